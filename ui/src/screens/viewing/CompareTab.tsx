import { useMemo, useRef, useState } from 'react';
import type { FileDto, PermissionDifferenceDto } from '../../ipc';
import { AccessPair } from '../../components/Badges';
import { Dialog } from '../../components/Dialog';
import { Loading } from '../../components/Feedback';
import { ErrorPanel } from '../../components/ErrorPanel';
import { FileTable, FileTypeSelect } from '../../components/FileTable';
import { WhyPanel } from '../../components/WhyPanel';
import { useCompareQuery } from '../../lib/queries';
import { subjectLabel } from '../../lib/sessionTime';
import { useSession } from '../../state/session';

function Section({ id, title, hint, count, children }: { id: string; title: string; hint: string; count: number; children: React.ReactNode }) {
  return (
    <section className="card card-flush" aria-labelledby={id}>
      <div className="card-head">
        <h2 className="card-title" id={id}>
          {title} <span className="count-chip">{count}</span>
        </h2>
        <span className="muted">{hint}</span>
      </div>
      {count === 0 ? <p className="muted padded">Nothing here.</p> : children}
    </section>
  );
}

/** Each section's table scrolls inside its card, so the three stay on one page. */
const SECTION_HEIGHT = '420px';

/**
 * The differences by file ID, built once per answer: the access column looks each row up in constant time (a
 * `find` per row was quadratic, which thousands of differing documents make felt).
 */
export function differencesById(different: readonly PermissionDifferenceDto[]): Map<string, PermissionDifferenceDto> {
  return new Map(different.map((d) => [d.file.id, d]));
}

/**
 * What differs between the admin's own view and the user's: the usual answer to "why can't Tom see this?" — and
 * each row you can open has **Why?**, the grant path (or what would give access) for that document and user.
 * Rows only the user sees have none: the explanation is read with your token, which cannot read them.
 */
export function CompareTab() {
  const [type, setType] = useState('all');
  const cmp = useCompareQuery(type === 'all' ? null : type);
  const byId = useMemo(() => differencesById(cmp.data?.different ?? []), [cmp.data]);
  const differentFiles = useMemo(() => (cmp.data?.different ?? []).map((d) => d.file), [cmp.data]);
  const { session } = useSession();
  const subject = session ? subjectLabel(session) : 'The user';
  const [why, setWhy] = useState<FileDto | null>(null);
  // The dialog has no Radix trigger, so on close Radix has nothing to give focus back to: the button that
  // opened it gets it back here, once the dialog is gone.
  const opener = useRef<HTMLButtonElement | null>(null);
  const closeWhy = () => {
    setWhy(null);
    setTimeout(() => opener.current?.isConnected && opener.current.focus(), 0);
  };
  // A tenant's documents and grants live in another org, which the admin's own token cannot read.
  const subjectId = session && !session.tenant ? session.subjectId : null;
  const whyButton = (f: FileDto) =>
    subjectId ? (
      <button
        type="button"
        className="btn btn-ghost btn-sm why-button"
        aria-label={`Why? ${f.name}`}
        onClick={(e) => {
          opener.current = e.currentTarget;
          setWhy(f);
        }}
      >
        Why?
      </button>
    ) : null;
  const whyColumn = subjectId ? { header: 'Explain', render: whyButton } : undefined;
  return (
    <div className="stack">
      <div className="toolbar">
        <FileTypeSelect value={type} onChange={setType} id="compare-type" />
        <span className="toolbar-spacer" />
        {cmp.data && <span className="count">{cmp.data.same} with the same access</span>}
      </div>
      {cmp.error ? (
        <ErrorPanel error={cmp.error} title="Could not compare access" onRetry={cmp.reload} />
      ) : !cmp.data ? (
        <Loading label="Comparing your view with the user’s…" />
      ) : (
        <>
          <div className="stat-row">
            <Stat label="Only you" value={cmp.data.onlyAdmin.length} />
            <Stat label="Only the user" value={cmp.data.onlyUser.length} />
            <Stat label="Different access" value={cmp.data.different.length} />
            <Stat label="Same access" value={cmp.data.same} />
          </div>
          <Section id="cmp-admin" title="Only you" hint="You can open these; the user cannot." count={cmp.data.onlyAdmin.length}>
            <FileTable
              files={cmp.data.onlyAdmin}
              label="Only you"
              accessHeader="Your access"
              maxHeight={SECTION_HEIGHT}
              action={whyColumn}
            />
          </Section>
          <Section id="cmp-user" title="Only the user" hint="The user can open these; you cannot." count={cmp.data.onlyUser.length}>
            <FileTable files={cmp.data.onlyUser} label="Only the user" accessHeader="User’s access" maxHeight={SECTION_HEIGHT} />
          </Section>
          <Section id="cmp-diff" title="Different access" hint="Both can open these, with different access levels." count={cmp.data.different.length}>
            <FileTable
              files={differentFiles}
              label="Different access"
              accessHeader="You → user"
              maxHeight={SECTION_HEIGHT}
              action={whyColumn}
              access={(f: FileDto) => {
                const d = byId.get(f.id);
                return d ? <AccessPair yours={d.adminPermission} theirs={d.userPermission} subject={subject} /> : null;
              }}
            />
          </Section>
        </>
      )}
      <Dialog open={why !== null && subjectId !== null} onOpenChange={(open) => !open && closeWhy()} title={`Why? ${why?.name ?? ''}`} width={600}>
        <div className="dialog-body">{why && subjectId && <WhyPanel memberId={subjectId} documentId={why.id} />}</div>
      </Dialog>
    </div>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}
