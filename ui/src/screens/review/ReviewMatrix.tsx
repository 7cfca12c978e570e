import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { PermissionBadge } from '../../components/Badges';
import { userLabel, type Matrix } from './reviewState';

const ROW_H = 40;
const HEAD_H = 52;
const COL_W = 132;
const FIRST_W = 248;

/**
 * The users × documents matrix as an ARIA grid, virtualized both ways (a review can be 1,000 users by 5,000
 * documents): only the cells in view are in the DOM, the header row and the user column stay in place while
 * the rest scrolls. The first row is the admin's own access. One cell takes Tab; the arrow keys, Home/End and
 * Page Up/Down move between cells; Enter (or a click) on a user's cell asks why they have that access, and a
 * document's header opens "who can see this document?".
 */
export function ReviewMatrix({
  matrix,
  userRows,
  docCols,
  onWhy,
  onWhoCanSee,
}: {
  matrix: Matrix;
  /** Indexes into the review's users, in display order. */
  userRows: number[];
  /** Indexes into the review's documents, in display order. */
  docCols: number[];
  onWhy: ((user: number, doc: number) => void) | null;
  onWhoCanSee: (doc: number) => void;
}) {
  const { review } = matrix;
  const scrollRef = useRef<HTMLDivElement>(null);
  // Row 0 is "You (admin)"; row r > 0 is userRows[r - 1]. Column 0 is the user column.
  const rowCount = userRows.length + 1;
  const rows = useVirtualizer({ count: rowCount, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 6 });
  const cols = useVirtualizer({
    horizontal: true,
    count: docCols.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => COL_W,
    overscan: 3,
  });
  const [active, setActive] = useState<{ r: number; c: number }>({ r: 0, c: 0 });
  const focusAfterMove = useRef(false);
  const r0 = Math.min(active.r, rowCount - 1);
  const c0 = Math.min(active.c, docCols.length);

  useEffect(() => {
    if (!focusAfterMove.current) return;
    focusAfterMove.current = false;
    const id = requestAnimationFrame(() => {
      scrollRef.current?.querySelector<HTMLElement>(`[data-cell="${r0}:${c0}"]`)?.focus();
    });
    return () => cancelAnimationFrame(id);
  });

  function move(e: KeyboardEvent) {
    const lastR = rowCount - 1;
    const lastC = docCols.length;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_H) - 2);
    const to: Record<string, { r: number; c: number }> = {
      ArrowDown: { r: Math.min(lastR, r0 + 1), c: c0 },
      ArrowUp: { r: Math.max(0, r0 - 1), c: c0 },
      ArrowRight: { r: r0, c: Math.min(lastC, c0 + 1) },
      ArrowLeft: { r: r0, c: Math.max(0, c0 - 1) },
      PageDown: { r: Math.min(lastR, r0 + page), c: c0 },
      PageUp: { r: Math.max(0, r0 - page), c: c0 },
      Home: e.ctrlKey ? { r: 0, c: 0 } : { r: r0, c: 0 },
      End: e.ctrlKey ? { r: lastR, c: lastC } : { r: r0, c: lastC },
    };
    const next = to[e.key];
    if (!next) return;
    e.preventDefault();
    rows.scrollToIndex(next.r, { align: 'auto' });
    if (next.c > 0) cols.scrollToIndex(next.c - 1, { align: 'auto' });
    else cols.scrollToOffset(0);
    focusAfterMove.current = true;
    setActive(next);
  }

  const vRows = rows.getVirtualItems();
  const vCols = cols.getVirtualItems();
  const width = FIRST_W + cols.getTotalSize();
  const height = HEAD_H + rows.getTotalSize();
  const padLeft = vCols[0]?.start ?? 0;
  const tab = (r: number, c: number) => (r === r0 && c === c0 ? 0 : -1);
  const focusCell = (r: number, c: number) => () => setActive({ r, c });

  return (
    <div
      className="matrix-scroll"
      ref={scrollRef}
      role="grid"
      aria-label="Access matrix: users by documents"
      aria-rowcount={rowCount + 1}
      aria-colcount={docCols.length + 1}
      onKeyDown={move}
    >
      <div className="matrix-inner" style={{ width, height }}>
        <div className="matrix-row matrix-head" role="row" aria-rowindex={1} style={{ width, height: HEAD_H }}>
          <div className="matrix-first matrix-corner" role="columnheader" aria-colindex={1}>
            User
          </div>
          <div style={{ width: padLeft, flex: 'none' }} aria-hidden="true" />
          {vCols.map((vc) => {
            const d = docCols[vc.index]!;
            const doc = review.documents[d]!;
            return (
              <div key={vc.key} className="matrix-col-head" role="columnheader" aria-colindex={vc.index + 2} style={{ width: COL_W }} title={doc.path}>
                <button type="button" className="matrix-doc" onClick={() => onWhoCanSee(d)}>
                  <span className="matrix-doc-name">
                    <span className="visually-hidden">Who can see </span>
                    {doc.name}
                  </span>
                  <span className="matrix-doc-type" aria-hidden="true">
                    {doc.docType}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
        {vRows.map((vr) => {
          const admin = vr.index === 0;
          const u = admin ? -1 : userRows[vr.index - 1]!;
          const user = admin ? null : review.users[u]!;
          const row = admin ? null : matrix.rows[u]!;
          const ran = admin || user!.outcome === 'done';
          return (
            <div
              key={vr.key}
              className={admin ? 'matrix-row matrix-admin' : ran ? 'matrix-row' : 'matrix-row matrix-norun'}
              role="row"
              aria-rowindex={vr.index + 2}
              style={{ width, height: ROW_H, transform: `translateY(${HEAD_H + vr.start}px)` }}
            >
              <div
                className="matrix-first"
                role="rowheader"
                aria-colindex={1}
                tabIndex={tab(vr.index, 0)}
                data-cell={`${vr.index}:0`}
                onFocus={focusCell(vr.index, 0)}
              >
                {admin ? (
                  <span className="matrix-user">
                    <span className="matrix-user-name">You (admin)</span>
                    <span className="matrix-user-email">{review.actor}</span>
                  </span>
                ) : (
                  <span className="matrix-user">
                    <span className="matrix-user-name">
                      {userLabel(user!)}
                      {user!.outcome === 'failed' && <span className="tag tag-danger">Failed</span>}
                      {user!.outcome === 'notRun' && <span className="tag tag-warning">Not run</span>}
                    </span>
                    {user!.name && <span className="matrix-user-email">{user!.email}</span>}
                  </span>
                )}
              </div>
              <div style={{ width: padLeft, flex: 'none' }} aria-hidden="true" />
              {vCols.map((vc) => {
                const d = docCols[vc.index]!;
                const doc = review.documents[d]!;
                const c = vc.index + 1;
                const perm = admin ? doc.adminPermission : (row!.get(d) ?? null);
                const who = admin ? 'You' : userLabel(user!);
                const label = !ran ? `${who}: ${doc.name}, not known (${user!.outcome === 'failed' ? 'failed' : 'not run'})` : `${who}: ${doc.name}, ${perm ?? 'no access'}`;
                const canAsk = !admin && ran && onWhy !== null && user!.memberId !== null;
                const content = perm ? <PermissionBadge permission={perm} /> : <span className="matrix-none">{ran ? '—' : '?'}</span>;
                return (
                  <div key={vc.key} className="matrix-cell" role="gridcell" aria-colindex={c + 1} style={{ width: COL_W }}>
                    {canAsk ? (
                      <button
                        type="button"
                        className="matrix-cell-btn"
                        tabIndex={tab(vr.index, c)}
                        data-cell={`${vr.index}:${c}`}
                        onFocus={focusCell(vr.index, c)}
                        onClick={() => onWhy!(u, d)}
                        title="Why? — the grant path"
                      >
                        <span className="visually-hidden">{`${label}. Why?`}</span>
                        <span aria-hidden="true">{content}</span>
                      </button>
                    ) : (
                      <span className="matrix-cell-btn" tabIndex={tab(vr.index, c)} data-cell={`${vr.index}:${c}`} onFocus={focusCell(vr.index, c)}>
                        <span className="visually-hidden">{label}</span>
                        <span aria-hidden="true">{content}</span>
                      </span>
                    )}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
