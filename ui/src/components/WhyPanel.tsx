import { useId } from 'react';
import { PermissionBadge } from './Badges';
import { ErrorPanel } from './ErrorPanel';
import { Loading } from './Feedback';
import { headline, pathText, suggestionText, suggestionsHeading } from '../lib/explain';
import { useExplanation } from '../lib/queries';

/**
 * "Why can (or can't) this user see it?" for one member and one document: the routes that give access,
 * strongest first, or what would give it. Reused by Compare, the profile and the review matrix, so its props
 * stay as they are: `memberId`, `documentId`, and `onClose` when the host wants a Close button.
 */
export function WhyPanel({ memberId, documentId, onClose }: { memberId: string; documentId: string; onClose?: () => void }) {
  const q = useExplanation(memberId, documentId);
  const titleId = useId();
  const e = q.data;
  return (
    <section className="why-panel" aria-labelledby={titleId} aria-busy={q.loading || q.refreshing}>
      {q.error ? (
        <>
          <h3 className="why-title" id={titleId}>
            Why?
          </h3>
          <ErrorPanel error={q.error} title="Could not explain this access" onRetry={q.reload} compact />
        </>
      ) : !e ? (
        <>
          <h3 className="why-title" id={titleId}>
            Why?
          </h3>
          <Loading label="Working out who gave access…" />
        </>
      ) : (
        <>
          <h3 className="why-title" id={titleId}>
            {headline(e)} {e.access && <PermissionBadge permission={e.access} />}
          </h3>
          {e.document.path && <p className="muted small">In {e.document.path}</p>}
          {e.paths.length > 0 && (
            <>
              <p className="why-lead">Because:</p>
              <ul className="why-list" aria-label="Why they have access">
                {e.paths.map((p, i) => (
                  <li key={p.grantId ?? `${p.kind}-${i}`}>{pathText(p)}</li>
                ))}
              </ul>
            </>
          )}
          {e.wouldGrant.length > 0 && (
            <>
              <p className="why-lead">{suggestionsHeading(e)}</p>
              <ul className="why-list why-suggestions" aria-label="What would give access">
                {e.wouldGrant.map((s, i) => (
                  <li key={`${s.kind}-${s.onInode.id}-${s.team?.id ?? ''}-${i}`}>{suggestionText(s, e.document.id)}</li>
                ))}
              </ul>
            </>
          )}
          {!e.access && e.wouldGrant.length === 0 && <p className="muted">Nothing in the grants above it would give access.</p>}
          {!e.ancestorsComplete && (
            <p className="muted small">
              Some folders above it are not visible to you: their grants are counted, whether the user owns them is not known.
            </p>
          )}
        </>
      )}
      {onClose && (
        <div className="why-actions">
          <button type="button" className="btn btn-secondary btn-sm" onClick={onClose}>
            Close
          </button>
        </div>
      )}
    </section>
  );
}
