import { useEffect, useReducer, useRef, useState } from 'react';
import './review.css';
import {
  accessReviewResult,
  accessReviewStatus,
  cancelAccessReview,
  onReviewFinished,
  onReviewProgress,
  startAccessReview,
  toErrorDto,
  type ReviewProgressDto,
  type ReviewRequestDto,
} from '../../ipc';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading, Spinner } from '../../components/Feedback';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/Shell';
import { WhyPanel } from '../../components/WhyPanel';
import { plural } from '../../lib/format';
import { dialogOpen } from '../../lib/useSearchShortcut';
import { useSession } from '../../state/session';
import { ReviewResults, type WhyRequest } from './ReviewResults';
import { ReviewSetup } from './ReviewSetup';
import { formatEta, formatRate, initialReviewState, reviewReducer } from './reviewState';

/**
 * Access review: impersonate every user of a team, a list or the org (in Rust, a few at a time), watch the
 * progress, cancel, and read the users × documents matrix. The review runs in Rust and outlives this screen:
 * coming back picks up the running review or the last result.
 */
export function ReviewScreen() {
  const [state, dispatch] = useReducer(reviewReducer, initialReviewState);
  const { session } = useSession();
  const [why, setWhy] = useState<WhyRequest | null>(null);

  useEffect(() => {
    const offProgress = onReviewProgress((progress) => dispatch({ type: 'progress', progress }));
    const offFinished = onReviewFinished((finished) => dispatch({ type: 'finished', finished }));
    let live = true;
    accessReviewStatus().then(
      (status) => live && dispatch({ type: 'status', status }),
      (e: unknown) => live && dispatch({ type: 'statusFailed', error: toErrorDto(e) }),
    );
    return () => {
      live = false;
      offProgress();
      offFinished();
    };
  }, []);

  // The result is read once the review has ended (it lives in Rust memory until the next review).
  const wantResult = state.phase === 'finished' && state.reviewId !== null && state.result === null && state.finished?.error == null;
  const reviewId = state.reviewId;
  useEffect(() => {
    if (!wantResult || reviewId === null) return;
    let live = true;
    accessReviewResult(reviewId).then(
      (result) => live && dispatch({ type: 'result', result }),
      (e: unknown) => live && dispatch({ type: 'resultFailed', error: toErrorDto(e) }),
    );
    return () => {
      live = false;
    };
  }, [wantResult, reviewId]);

  async function start(request: ReviewRequestDto) {
    dispatch({ type: 'start' });
    try {
      const { reviewId: id } = await startAccessReview(request);
      dispatch({ type: 'started', reviewId: id });
    } catch (e) {
      dispatch({ type: 'startFailed', error: toErrorDto(e) });
    }
  }

  async function cancel() {
    if (state.reviewId === null) return;
    dispatch({ type: 'cancel' });
    try {
      await cancelAccessReview(state.reviewId);
    } catch (e) {
      dispatch({ type: 'cancelFailed', error: toErrorDto(e) });
    }
  }

  const running = state.phase === 'running' || state.phase === 'starting';
  // Esc cancels a running review (unless a dialog owns the keyboard).
  const cancelRef = useRef(cancel);
  cancelRef.current = cancel;
  useEffect(() => {
    if (state.phase !== 'running') return;
    function onKey(e: KeyboardEvent) {
      if (e.key !== 'Escape' || dialogOpen() || e.defaultPrevented) return;
      e.preventDefault();
      void cancelRef.current();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [state.phase]);

  return (
    <div className="screen">
      <PageHeader
        title="Access review"
        subtitle="What every user of a team, a list or the whole organization can open, beside your own access."
        actions={
          state.phase === 'finished' ? (
            <button type="button" className="btn btn-primary" onClick={() => dispatch({ type: 'newReview' })}>
              <Icon name="plus" size={14} />
              New review
            </button>
          ) : undefined
        }
      />
      {state.error && (
        <ErrorPanel error={state.error} title={state.phase === 'finished' ? 'The review could not run' : 'Could not start the review'} />
      )}
      {state.phase === 'loading' && <Loading label="Reading the review status…" />}
      {(state.phase === 'idle' || state.phase === 'starting') && (
        <ReviewSetup starting={state.phase === 'starting'} sessionActive={session !== null} onStart={(r) => void start(r)} />
      )}
      {running && state.progress && <ReviewProgress progress={state.progress} cancelling={state.cancelling} onCancel={() => void cancel()} />}
      {state.phase === 'finished' && state.result && <ReviewResults review={state.result} onWhy={setWhy} />}
      {state.phase === 'finished' && !state.result && !state.error && <Loading label="Reading the review’s results…" />}
      <Dialog open={why !== null} onOpenChange={(open) => !open && setWhy(null)} title={`Why? ${why?.label ?? ''}`} width={600}>
        <div className="dialog-body">{why && <WhyPanel memberId={why.memberId} documentId={why.documentId} />}</div>
      </Dialog>
    </div>
  );
}

function ReviewProgress({ progress, cancelling, onCancel }: { progress: ReviewProgressDto; cancelling: boolean; onCancel: () => void }) {
  const { failed, total } = progress;
  // `done` counts the users whose documents were listed; failed users have ended too.
  const ended = progress.done + failed;
  const pct = total > 0 ? Math.round((ended / total) * 100) : 0;
  const eta = formatEta(progress.etaMs);
  return (
    <section className="card review-progress" aria-labelledby="review-progress-title">
      <div className="review-progress-head">
        <h2 className="card-title" id="review-progress-title">
          Reviewing {total > 0 ? plural(total, 'user') : 'users'}…
        </h2>
        <button type="button" className="btn btn-danger" onClick={onCancel} disabled={cancelling} aria-keyshortcuts="Escape">
          {cancelling ? <Spinner size={14} /> : <Icon name="stop" size={14} />}
          {cancelling ? 'Cancelling…' : 'Cancel review'}
        </button>
      </div>
      <div
        className="review-bar"
        role="progressbar"
        aria-label="Users reviewed"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={ended}
        aria-valuetext={`${ended} of ${total} users`}
      >
        <span className="review-bar-fill" style={{ width: `${pct}%` }} />
      </div>
      <p className="review-progress-text" aria-live="polite">
        <strong>
          {ended.toLocaleString('en-US')} of {total.toLocaleString('en-US')}
        </strong>{' '}
        users
        {failed > 0 && <span className="danger-text"> · {failed} failed</span>}
        <span className="muted"> · {formatRate(progress.ratePerSec)}</span>
        {eta && <span className="muted"> · {eta}</span>}
      </p>
      {progress.throttled && (
        <p className="inline-notice warning" data-testid="review-throttled">
          <Icon name="warning" />
          <span>Sigma is throttling — slowing down.</span>
        </p>
      )}
      <p className="muted small">Esc cancels: users already reviewed are kept as partial results.</p>
    </section>
  );
}
