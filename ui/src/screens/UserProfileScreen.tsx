import { useState, type ReactNode } from 'react';
import type { ErrorDto, MemberDto } from '../ipc';
import { AccountTypeBadge, StatusPill } from '../components/Badges';
import { EmptyState, Loading } from '../components/Feedback';
import { CopyButton } from '../components/CopyButton';
import { ErrorPanel } from '../components/ErrorPanel';
import { Field } from '../components/Field';
import { ImpersonateButton } from '../components/ImpersonateButton';
import { ImpersonateDialog, type ImpersonationTarget } from '../components/ImpersonateDialog';
import { PageHeader } from '../components/Shell';
import { WhyPanel } from '../components/WhyPanel';
import { impersonationBlock } from '../lib/eligibility';
import { formatDateTime, titleCase } from '../lib/format';
import { useUserQuery } from '../lib/queries';
import { useConnection } from '../state/connection';
import { routeHref } from '../state/router';

function sourceLabel(source: string): string {
  if (source === 'user') return 'Set on the user';
  if (source === 'default') return 'Default';
  if (source.startsWith('team:')) return `Team: ${source.slice(5)}`;
  return source;
}

/**
 * A user's profile. Only the member record is needed to show it (and to offer Impersonate user): teams and user
 * attributes come from other calls, and each section that failed shows its own error, request ID and Retry.
 */
export function UserProfileScreen({ memberId }: { memberId: string }) {
  const profile = useUserQuery(memberId);
  const { state } = useConnection();
  const [target, setTarget] = useState<ImpersonationTarget | null>(null);

  const breadcrumb = (
    <>
      <a href={routeHref({ name: 'users' })}>Users</a>
      <span aria-hidden="true">/</span>
      <span aria-current="page">{profile.data?.member.name ?? 'Profile'}</span>
    </>
  );

  if (profile.error) {
    return (
      <div className="screen">
        <PageHeader title="User profile" breadcrumb={breadcrumb} />
        <ErrorPanel error={profile.error} title="Could not load this user" onRetry={profile.reload} />
      </div>
    );
  }
  if (!profile.data) {
    return (
      <div className="screen">
        <PageHeader title="User profile" breadcrumb={breadcrumb} />
        <Loading label="Loading profile…" />
      </div>
    );
  }

  const { member, teams: teamsSection, attributes: attributesSection } = profile.data;
  const teams = teamsSection.value;
  const attributes = attributesSection.value;
  const blocked = impersonationBlock(member.impersonation, state?.actor, state?.actorError);
  const retrying = profile.refreshing;
  const extra = Object.entries(member.extra);

  return (
    <div className="screen">
      <PageHeader
        breadcrumb={breadcrumb}
        title={
          <span className="profile-title">
            <span className="avatar avatar-lg" aria-hidden="true">
              {(member.firstName.charAt(0) + member.lastName.charAt(0) || member.email.charAt(0)).toUpperCase()}
            </span>
            <span>{member.name}</span>
          </span>
        }
        subtitle={
          <span className="profile-sub">
            <span>{member.email}</span>
            <AccountTypeBadge type={member.memberType} />
            <StatusPill member={member} />
          </span>
        }
        actions={<ImpersonateButton blockedReason={blocked} onClick={() => setTarget({ email: member.email, name: member.name })} />}
      />
      <div className="profile-grid">
        <section className="card" aria-labelledby="details-h">
          <h2 className="card-title" id="details-h">
            Details
          </h2>
          <dl className="details">
            <Detail label="Name" value={member.name} />
            <Detail label="Email" value={member.email} copyLabel="Copy email" />
            <Detail label="Account type" value={titleCase(member.memberType)} />
            <Detail label="User type" value={member.userKind ? titleCase(member.userKind) : '—'} />
            <Detail label="Status" value={statusText(member)} />
            <Detail label="Member ID" value={member.memberId} mono copyLabel="Copy member ID" />
            <Detail label="Created" value={formatDateTime(member.createdAt)} />
            <Detail label="Updated" value={formatDateTime(member.updatedAt)} />
            {extra.map(([k, v]) => (
              <Detail key={k} label={k} value={typeof v === 'string' ? v : JSON.stringify(v)} mono />
            ))}
          </dl>
        </section>
        <div className="stack">
          <section className="card" aria-labelledby="teams-h">
            <h2 className="card-title" id="teams-h">
              Teams {teams && <span className="count-chip">{teams.length}</span>}
            </h2>
            {teams === null ? (
              <SectionError error={teamsSection.error} what="this user's teams" retrying={retrying} onRetry={profile.reload} />
            ) : teams.length === 0 ? (
              <p className="muted">Not a member of any team.</p>
            ) : (
              <ul className="chip-list">
                {teams.map((t) => (
                  <li key={t.teamId}>
                    <a className="chip" href={routeHref({ name: 'teams', teamId: t.teamId })}>
                      {t.name}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card card-flush" aria-labelledby="attrs-h">
            <h2 className="card-title padded" id="attrs-h">
              User attributes {attributes && <span className="count-chip">{attributes.length}</span>}
            </h2>
            {attributes === null ? (
              <div className="padded">
                <SectionError error={attributesSection.error} what="this user's attributes" retrying={retrying} onRetry={profile.reload} />
              </div>
            ) : attributes.length === 0 ? (
              <EmptyState title="No user attributes">Attributes set on the user or their teams appear here.</EmptyState>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Attribute</th>
                    <th scope="col">Value</th>
                    <th scope="col">Source</th>
                  </tr>
                </thead>
                <tbody>
                  {attributes.map((a) => (
                    <tr key={a.userAttributeId}>
                      <td>{a.name}</td>
                      <td>
                        <code>{a.value}</code>
                      </td>
                      <td className="muted">{sourceLabel(a.source)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
      </div>
      <WhySection memberId={member.memberId} name={member.name} />
      <ImpersonateDialog target={target} onClose={() => setTarget(null)} />
    </div>
  );
}

/**
 * "Why can't they see it?": a document ID (from the URL of the document in Sigma, or Compare) explained for this
 * user with the admin's token — no impersonation needed.
 */
function WhySection({ memberId, name }: { memberId: string; name: string }) {
  const [draft, setDraft] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  return (
    <section className="card stack" aria-labelledby="why-h">
      <h2 className="card-title" id="why-h">
        Why can’t they see it?
      </h2>
      <p className="muted" id="why-help">
        Paste a document, folder or workspace ID: the answer shows how {name} gets access to it, or what would give it.
      </p>
      <form
        className="why-form"
        onSubmit={(e) => {
          e.preventDefault();
          const id = draft.trim();
          setAsked(id === '' ? null : id);
        }}
      >
        <Field label="Document ID">
          {(p) => (
            <input
              {...p}
              aria-describedby="why-help"
              className="input mono"
              value={draft}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setDraft(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="btn btn-secondary" disabled={draft.trim() === ''}>
          Explain
        </button>
      </form>
      {asked && <WhyPanel memberId={memberId} documentId={asked} onClose={() => setAsked(null)} />}
    </section>
  );
}

/** A section whose own call failed: its error (with request ID) and a Retry that reloads the profile. */
function SectionError({ error, what, retrying, onRetry }: { error: ErrorDto | null; what: string; retrying: boolean; onRetry: () => void }): ReactNode {
  if (retrying) return <Loading label={`Loading ${what}…`} />;
  // The contract sets one of value and error; a section with neither is shown as failed, never as empty.
  const shown = error ?? { code: 'missing', message: `the answer held no ${what}`, requestId: null, rule: null };
  return <ErrorPanel error={shown} title={`Could not load ${what}`} onRetry={onRetry} compact />;
}

function statusText(m: MemberDto): string {
  if (m.isArchived) return 'Archived';
  if (m.isInactive) return 'Inactive';
  return 'Active';
}

function Detail({ label, value, mono = false, copyLabel }: { label: string; value: string; mono?: boolean; copyLabel?: string }) {
  return (
    <div className="detail">
      <dt>{label}</dt>
      <dd className={mono ? 'mono selectable' : undefined}>
        {value}
        {copyLabel && (
          <>
            {' '}
            <CopyButton text={value} label={copyLabel} />
          </>
        )}
      </dd>
    </div>
  );
}
