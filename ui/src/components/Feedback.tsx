import { useEffect, useState, type ReactNode } from 'react';
import { onSigmaRetry, type RetryEvent } from '../ipc';
import { Icon, type IconName } from './Icon';

export function Spinner({ size = 16 }: { size?: number }) {
  return <span className="spinner" style={{ width: size, height: size }} aria-hidden="true" />;
}

/**
 * The latest wait between tries of a call to Sigma, for as long as the wait lasts (plus a moment), so a
 * long list that pauses says why instead of looking stuck.
 */
export function useSigmaRetry(): RetryEvent | null {
  const [event, setEvent] = useState<RetryEvent | null>(() => earlyWait()?.event ?? null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (e: RetryEvent, ms: number) => {
      setEvent(e);
      clearTimeout(timer);
      timer = setTimeout(() => setEvent(null), ms);
    };
    // A wait that began before this line appeared (see watchEarlyRetries) ends when it would have.
    const wait = earlyWait();
    if (wait) show(wait.event, wait.ms);
    const off = onSigmaRetry((e) => show(e, retryShownMs(e)));
    return () => {
      off();
      clearTimeout(timer);
    };
  }, []);
  return event;
}

const retryShownMs = (e: RetryEvent) => (e.delaySeconds + 2) * 1000;

/** The latest wait seen by the boot-time listener, and until when it is worth showing. */
let early: { event: RetryEvent; until: number } | null = null;

/** That wait, and how much longer to show it, while it lasts. */
function earlyWait(): { event: RetryEvent; ms: number } | null {
  const ms = early ? early.until - Date.now() : 0;
  return early && ms > 0 ? { event: early.event, ms } : null;
}

/**
 * Listens for waits from boot on (main.tsx), before any loading line exists: the users list is asked for then
 * (lib/queries.ts), and if Sigma throttles it, the loading line that appears a moment later must still say
 * so. Resolves once the listener is registered, so nothing asked for after it can wait unseen.
 */
export function watchEarlyRetries(): Promise<void> {
  // For the app's lifetime: never unsubscribed.
  return new Promise((resolve) => {
    onSigmaRetry((e) => {
      early = { event: e, until: Date.now() + retryShownMs(e) };
    }, resolve);
  });
}

/** A loading line that screen readers announce ("Loading users…"), with why it pauses when it does. */
export function Loading({ label }: { label: string }) {
  const retry = useSigmaRetry();
  return (
    <div className="loading" role="status" aria-live="polite">
      <Spinner />
      <span>{label}</span>
      {retry && (
        <span className="loading-retry" data-testid="sigma-retry">
          {retry.message}
        </span>
      )}
    </div>
  );
}

/** Placeholder rows while a table loads, so the layout does not jump when data arrives. */
export function SkeletonRows({ rows = 8, columns = 4 }: { rows?: number; columns?: number }) {
  return (
    <div className="skeleton-table" aria-hidden="true">
      {Array.from({ length: rows }, (_, r) => (
        <div className="skeleton-row" key={r}>
          {Array.from({ length: columns }, (_, c) => (
            <span className="skeleton" key={c} style={{ width: `${40 + ((r * 7 + c * 13) % 45)}%` }} />
          ))}
        </div>
      ))}
    </div>
  );
}

export function EmptyState({
  icon = 'info',
  title,
  children,
  action,
}: {
  icon?: IconName;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty-state">
      <span className="empty-state-icon">
        <Icon name={icon} size={20} />
      </span>
      <p className="empty-state-title">{title}</p>
      {children && <div className="empty-state-body">{children}</div>}
      {action && <div className="empty-state-action">{action}</div>}
    </div>
  );
}
