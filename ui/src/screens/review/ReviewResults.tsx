import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { exportAccessReview, toErrorDto, type AccessReviewDto, type ErrorDto, type ExportFormat, type ReviewExportDto } from '../../ipc';
import { PermissionBadge } from '../../components/Badges';
import { CopyButton } from '../../components/CopyButton';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { SearchBox } from '../../components/SearchBox';
import { Spinner } from '../../components/Feedback';
import { formatDateTime, plural } from '../../lib/format';
import { ReviewMatrix } from './ReviewMatrix';
import { decodeMatrix, filterDocuments, filterUsers, folderChoices, typeChoices, userLabel, whoCanSee, type Matrix } from './reviewState';
import { useRevealExport } from '../../lib/useRevealExport';
import { rowWindow, SpacerRow } from '../../components/SpacerRow';

type View = 'matrix' | 'who';

/** "Why?" for one user and one document, when the app can explain access (H-explain's panel). */
export type WhyRequest = { memberId: string; documentId: string; label: string };

/**
 * A finished or cancelled review: the partial-results banner, the failures, filters by type and folder, the
 * matrix and its other axis ("who can see this document?"), and the exports.
 */
export function ReviewResults({ review, onWhy }: { review: AccessReviewDto; onWhy: ((req: WhyRequest) => void) | null }) {
  const matrix = useMemo(() => decodeMatrix(review), [review]);
  const [type, setType] = useState('all');
  const [folder, setFolder] = useState('all');
  const [search, setSearch] = useState('');
  const [view, setView] = useState<View>('matrix');
  const [doc, setDoc] = useState<number | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const types = useMemo(() => typeChoices(review.documents), [review]);
  const folders = useMemo(() => folderChoices(review.documents), [review]);
  const docCols = useMemo(() => filterDocuments(review.documents, type, folder), [review, type, folder]);
  const userRows = useMemo(() => filterUsers(review.users, search), [review, search]);
  const counts = useMemo(() => {
    let done = 0;
    let failed = 0;
    let notRun = 0;
    for (const u of review.users) {
      if (u.outcome === 'done') done++;
      else if (u.outcome === 'failed') failed++;
      else notRun++;
    }
    return { done, failed, notRun };
  }, [review]);

  const why = onWhy
    ? (u: number, d: number) => {
        const user = review.users[u];
        const document = review.documents[d];
        if (user?.memberId && document) onWhy({ memberId: user.memberId, documentId: document.id, label: `${userLabel(user)} and ${document.name}` });
      }
    : null;

  function openWho(d: number) {
    setDoc(d);
    setView('who');
  }

  return (
    <div className="stack review-results">
      {review.cancelled && (
        <div className="inline-notice warning" role="status" data-testid="review-partial">
          <Icon name="warning" />
          <span>
            <strong>Cancelled after {counts.done + counts.failed} of {review.users.length} users — partial results.</strong> Users not run are listed below.
          </span>
        </div>
      )}
      <div className="stat-row">
        <Stat label="Users reviewed" value={counts.done} />
        <Stat label="Failed" value={counts.failed} />
        {counts.notRun > 0 && <Stat label="Not run" value={counts.notRun} />}
        <Stat label="Documents" value={review.documents.length} />
      </div>
      <p className="muted small">
        Review <span className="mono selectable">{review.reviewId}</span> on {review.connection}, {formatDateTime(review.startedAt)} – {formatDateTime(review.finishedAt)}
        {review.fileType ? `, ${review.fileType} documents only` : ''}.
      </p>
      <Failures review={review} />
      <Exports reviewId={review.reviewId} />
      <div className="toolbar">
        <div className="segmented" role="tablist" aria-label="Review view">
          <button type="button" role="tab" aria-selected={view === 'matrix'} className={view === 'matrix' ? 'segment on' : 'segment'} onClick={() => setView('matrix')}>
            Users × documents
          </button>
          <button type="button" role="tab" aria-selected={view === 'who'} className={view === 'who' ? 'segment on' : 'segment'} onClick={() => setView('who')}>
            Who can see a document?
          </button>
        </div>
        <div className="inline-field">
          <label htmlFor="review-filter-type">Type</label>
          <select id="review-filter-type" className="select select-sm" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="all">All types</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="inline-field">
          <label htmlFor="review-filter-folder">Folder</label>
          <select id="review-filter-folder" className="select select-sm review-folder" value={folder} onChange={(e) => setFolder(e.target.value)}>
            <option value="all">All folders</option>
            {folders.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        {view === 'matrix' && <SearchBox ref={searchRef} value={search} onChange={setSearch} label="Filter users" placeholder="Filter users by name or email" />}
        <span className="toolbar-spacer" />
        <span className="count">
          {plural(userRows.length, 'user')} × {plural(docCols.length, 'document')}
        </span>
      </div>
      {view === 'matrix' ? (
        docCols.length === 0 ? (
          <p className="muted padded">No document matches the filters.</p>
        ) : (
          <div className="card card-flush matrix-card">
            <ReviewMatrix matrix={matrix} userRows={userRows} docCols={docCols} onWhy={why} onWhoCanSee={openWho} />
          </div>
        )
      ) : (
        <WhoCanSee matrix={matrix} docCols={docCols} doc={doc !== null && docCols.includes(doc) ? doc : (docCols[0] ?? null)} onPick={setDoc} onWhy={why} />
      )}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="stat">
      <span className="stat-value">{value.toLocaleString('en-US')}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

/** Each failed user with its error, and after a cancel each user not run, labelled as such. */
function Failures({ review }: { review: AccessReviewDto }) {
  const failed = review.users.filter((u) => u.outcome !== 'done');
  if (failed.length === 0) return null;
  return (
    <section className="card card-flush" aria-labelledby="review-failures-title">
      <div className="card-head">
        <h2 className="card-title" id="review-failures-title">
          Not reviewed <span className="count-chip">{failed.length}</span>
        </h2>
        <span className="muted">These users have no row of results; the others finished.</span>
      </div>
      {/* Focusable: the list scrolls inside its card, and keyboards must reach all of it. */}
      <ul className="review-failures" aria-label="Users not reviewed" tabIndex={0}>
        {failed.map((u, i) => (
          <li key={`${u.email}-${i}`} className="review-failure">
            <span className="review-failure-who">
              <strong>{userLabel(u)}</strong>
              {u.name && <span className="muted small"> {u.email}</span>}
            </span>
            {u.outcome === 'failed' ? (
              <span className="review-failure-why">
                <span className="tag tag-danger">Failed</span>
                <span className="mono small">{u.error?.code ?? 'error'}</span>
                <span>{u.error?.message ?? 'no detail'}</span>
                {u.error?.requestId && <CopyButton text={u.error.requestId} label={`Copy request ID ${u.error.requestId}`} />}
              </span>
            ) : (
              <span className="review-failure-why">
                <span className="tag tag-warning">Not run</span>
                <span className="muted">the review was cancelled before this user</span>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Export CSV / JSON to a new file in the Downloads folder, as the audit log does; Show in folder after. */
function Exports({ reviewId }: { reviewId: string }) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [done, setDone] = useState<ReviewExportDto | null>(null);
  const [error, setError] = useState<{ error: ErrorDto; format: ExportFormat } | null>(null);
  const { revealError, reveal, clearRevealError } = useRevealExport();

  async function run(format: ExportFormat) {
    setBusy(format);
    setError(null);
    setDone(null);
    clearRevealError();
    try {
      setDone(await exportAccessReview(reviewId, format));
    } catch (e) {
      setError({ error: toErrorDto(e), format });
    } finally {
      setBusy(null);
    }
  }


  return (
    <>
      <div className="toolbar">
        <button type="button" className="btn btn-secondary" onClick={() => void run('csv')} disabled={busy !== null}>
          {busy === 'csv' ? <Spinner size={14} /> : <Icon name="download" size={14} />}
          Export CSV
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => void run('json')} disabled={busy !== null}>
          {busy === 'json' ? <Spinner size={14} /> : <Icon name="download" size={14} />}
          Export JSON
        </button>
      </div>
      {done && (
        <div className="inline-notice success" role="status">
          <Icon name="check" />
          <span>
            Exported {plural(done.users, 'user')} × {plural(done.documents, 'document')} to <code className="selectable">{done.path}</code>
          </span>
          <CopyButton text={done.path} label="Copy export path" />
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void reveal(done.path)}>
            <Icon name="folder" size={14} />
            Show in folder
          </button>
        </div>
      )}
      {revealError && <ErrorPanel error={revealError} title="Could not show the export in its folder" compact />}
      {error && <ErrorPanel error={error.error} title={`${error.format === 'csv' ? 'CSV' : 'JSON'} export failed`} onRetry={() => void run(error.format)} />}
    </>
  );
}

/** The matrix's other axis: pick a document, see every reviewed user who can access it, and how. */
/** A "Who can see" row's height (a compact row with a badge and a small button), for the virtualizer. */
const WHO_ROW_HEIGHT = 37;

/**
 * The matrix's other axis for one document: every reviewed user who can open it. Virtualized like the other
 * long tables: a widely shared document in a 100,000-user review is 100,000 rows, of which only those in view
 * exist in the DOM.
 */
export function WhoCanSee({
  matrix,
  docCols,
  doc,
  onPick,
  onWhy,
}: {
  matrix: Matrix;
  docCols: number[];
  doc: number | null;
  onPick: (doc: number) => void;
  onWhy: ((u: number, d: number) => void) | null;
}) {
  const { review } = matrix;
  const viewers = useMemo(() => (doc === null ? [] : whoCanSee(matrix, doc)), [matrix, doc]);
  const index = useMemo(() => new Map(review.users.map((u, i) => [u, i])), [review]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: viewers.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => WHO_ROW_HEIGHT,
    overscan: 10,
  });
  const { items, padTop, padBottom } = rowWindow(virtualizer);
  if (doc === null) return <p className="muted padded">No document matches the filters.</p>;
  const document = review.documents[doc]!;
  return (
    <section className="card card-flush" aria-labelledby="who-title">
      <div className="card-head">
        <h2 className="card-title" id="who-title">
          Who can see this document?
        </h2>
        <label className="visually-hidden" htmlFor="who-doc">
          Document
        </label>
        <select id="who-doc" className="select select-sm who-doc" value={doc} onChange={(e) => onPick(Number(e.target.value))}>
          {docCols.map((d) => (
            <option key={d} value={d}>
              {review.documents[d]!.name} — {review.documents[d]!.path}
            </option>
          ))}
        </select>
        <span className="toolbar-spacer" />
        <span className="count">{plural(viewers.length, 'user')} of {review.users.length.toLocaleString('en-US')}</span>
      </div>
      {/* Focusable, so the rows can be scrolled with the keyboard. */}
      <div className="table-scroll who-scroll" ref={scrollRef} tabIndex={0} role="region" aria-label={`Who can see ${document.name}, scrollable`}>
        <table className="table table-compact" aria-label={`Who can see ${document.name}`} aria-rowcount={viewers.length + 2}>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">User</th>
              <th scope="col">Access level</th>
              <th scope="col">
                <span className="visually-hidden">Why</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <tr className="who-admin" aria-rowindex={2}>
              <td>
                You (admin) <span className="muted small">{review.actor}</span>
              </td>
              <td>{document.adminPermission ? <PermissionBadge permission={document.adminPermission} /> : <span className="muted">No access</span>}</td>
              <td />
            </tr>
            <SpacerRow height={padTop} colSpan={3} />
            {items.map((item) => {
              const viewer = viewers[item.index];
              if (!viewer) return null;
              const { user, permission } = viewer;
              const u = index.get(user)!;
              return (
                <tr key={`${user.email}-${u}`} aria-rowindex={item.index + 3} style={{ height: WHO_ROW_HEIGHT }}>
                  <td>
                    {userLabel(user)} {user.name && <span className="muted small">{user.email}</span>}
                  </td>
                  <td>
                    <PermissionBadge permission={permission} />
                  </td>
                  <td className="cell-actions">
                    {onWhy && user.memberId && (
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => onWhy(u, doc)} aria-label={`Why can ${userLabel(user)} see ${document.name}?`}>
                        Why?
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
            <SpacerRow height={padBottom} colSpan={3} />
          </tbody>
        </table>
      </div>
      {viewers.length === 0 && <p className="muted padded">None of the reviewed users can open this document.</p>}
    </section>
  );
}
