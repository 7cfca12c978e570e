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
  const [event, setEvent] = useState<RetryEvent | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onSigmaRetry((e) => {
      setEvent(e);
      clearTimeout(timer);
      timer = setTimeout(() => setEvent(null), (e.delaySeconds + 2) * 1000);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, []);
  return event;
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
