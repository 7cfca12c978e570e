import * as Tabs from '@radix-ui/react-tabs';
import { EmptyState } from '../components/Feedback';
import { PageHeader } from '../components/Shell';
import { AccountTypeBadge } from '../components/Badges';
import { subjectLabel } from '../lib/sessionTime';
import { navigate, routeHref, type ViewTab } from '../state/router';
import { useSession } from '../state/session';
import { WhoAmITab } from './viewing/WhoAmITab';
import { DocumentsTab, MyDocumentsTab } from './viewing/DocumentsTab';
import { CompareTab } from './viewing/CompareTab';
import { ConsoleTab } from './viewing/ConsoleTab';
import { TokensTab } from './viewing/TokensTab';

const TABS: Array<{ id: ViewTab; label: string }> = [
  { id: 'whoami', label: 'Who am I' },
  { id: 'documents', label: 'Documents' },
  { id: 'my-documents', label: 'My Documents' },
  { id: 'compare', label: 'Compare with my view' },
  { id: 'console', label: 'API console' },
  { id: 'tokens', label: 'Token inspector' },
];

/** Everything here runs with the impersonation token: what Sigma shows this user. */
export function ViewingScreen({ tab }: { tab: ViewTab }) {
  const { session } = useSession();
  if (!session) {
    return (
      <div className="screen">
        <PageHeader title="Viewing as user" />
        <EmptyState
          icon="eye"
          title="No active impersonation session"
          action={
            <a className="btn btn-primary" href="#/users">
              Find a user
            </a>
          }
        >
          Open a user’s profile, or a team member’s ⋯ menu, and choose Impersonate user.
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="screen">
      <PageHeader
        title={
          <>
            Viewing as {subjectLabel(session)}
          </>
        }
        subtitle={
          <span className="profile-sub">
            <span>{session.subjectEmail}</span>
            {session.subjectAccountType && <AccountTypeBadge type={session.subjectAccountType} />}
            {session.reason && <span className="muted">Reason: {session.reason}</span>}
            {session.subjectId && (
              <a href={routeHref({ name: 'user', memberId: session.subjectId })}>Their profile</a>
            )}
          </span>
        }
      />
      <Tabs.Root value={tab} onValueChange={(v) => navigate({ name: 'viewing', tab: v as ViewTab })} className="tabs">
        <Tabs.List className="tab-list" aria-label="Views as the user">
          {TABS.map((t) => (
            <Tabs.Trigger key={t.id} value={t.id} className="tab">
              {t.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {/* Only the visible tab is mounted, so each tab's calls run when it is opened. */}
        <Tabs.Content value={tab} className="tab-panel">
          {tab === 'whoami' && <WhoAmITab session={session} />}
          {tab === 'documents' && <DocumentsTab />}
          {tab === 'my-documents' && <MyDocumentsTab />}
          {tab === 'compare' && <CompareTab />}
          {tab === 'console' && <ConsoleTab readOnly={session.readOnly} />}
          {tab === 'tokens' && <TokensTab />}
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
