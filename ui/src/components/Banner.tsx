import type { SessionDto } from '../ipc';
import { formatCountdown, secondsUntil } from '../lib/format';
import { subjectLabel } from '../lib/sessionTime';
import { useNow } from '../lib/useNow';
import { Icon } from './Icon';
import { Spinner } from './Feedback';

/**
 * The yellow banner: fixed above every screen while a session is active, so nobody forgets they are acting as
 * someone else. The countdown is recomputed each second from the deadline (never decremented), so a
 * throttled timer cannot make it drift.
 *
 * With a minute left the banner says so aloud (an alert region, present from the start so screen readers pick
 * up the change) and offers Extend: a colour change alone is never heard.
 */
export function Banner({
  session,
  deadlineMs,
  expiringSoon,
  stopping,
  onStop,
  extending = false,
  onExtend,
}: {
  session: SessionDto;
  deadlineMs: number;
  expiringSoon: boolean;
  stopping: boolean;
  onStop: () => void;
  extending?: boolean;
  /** Shown as Extend once the session has a minute left. */
  onExtend?: () => void;
}) {
  const now = useNow(1000);
  const left = secondsUntil(deadlineMs, now);
  const name = subjectLabel(session);
  const soon = expiringSoon || left <= 60;
  const ended = left <= 0;
  return (
    <section className={soon ? 'banner banner-soon' : 'banner'} role="region" aria-label="Impersonation session">
      <div className="banner-main" role="status">
        <Icon name="eye" size={18} />
        <p className="banner-text">
          You are impersonating <strong>{name}</strong> <span className="banner-email">({session.subjectEmail})</span>
        </p>
      </div>
      <div className="banner-side">
        {session.tenant && (
          <span
            className="banner-chip"
            title="Stand-in cannot read a tenant org's members, so Sigma's own checks decided who may be impersonated"
          >
            Tenant {session.tenant} · Sigma's checks applied
          </span>
        )}
        {session.readOnly && (
          <span className="banner-chip">
            <Icon name="lock" size={13} />
            Read-only
          </span>
        )}
        <span className="visually-hidden" role="alert">
          {soon && !ended ? `Less than a minute left impersonating ${name}. ${onExtend ? 'Extend to keep the session, or it ends by itself.' : 'The session ends by itself.'}` : ''}
        </span>
        <span className="banner-time">
          Time left{' '}
          <time className="banner-countdown" dateTime={`PT${left}S`}>
            {formatCountdown(left)}
          </time>
        </span>
        {soon && !ended && onExtend && (
          <button type="button" className="btn btn-banner-secondary" onClick={onExtend} disabled={extending || stopping}>
            {extending ? <Spinner size={14} /> : <Icon name="refresh" size={14} />}
            Extend
          </button>
        )}
        <button type="button" className="btn btn-banner" onClick={onStop} disabled={stopping}>
          {stopping ? <Spinner size={14} /> : <Icon name="stop" size={14} />}
          Stop Impersonation
        </button>
      </div>
    </section>
  );
}
