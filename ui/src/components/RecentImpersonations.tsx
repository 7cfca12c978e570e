import { useMemo, useState } from 'react';
import type { AuditEntryDto, MemberDto } from '../ipc';
import { formatDateTime, formatRelative } from '../lib/format';
import { impersonationBlock } from '../lib/eligibility';
import { useAuditQuery, useUsersQuery } from '../lib/queries';
import { useNow } from '../lib/useNow';
import { useConnection } from '../state/connection';
import { routeHref } from '../state/router';
import { ImpersonateDialog, type ImpersonationTarget } from './ImpersonateDialog';
import { EmailProfileLink } from './ProfileLink';
import { Icon } from './Icon';

export const RECENT_LIMIT = 5;

export interface RecentSession {
  email: string;
  reason: string;
  time: string;
}

/**
 * The last sessions started on this connection, from the audit log (not an access review's): newest first, one
 * per user (their latest), at most `limit`. The log is in chain order (oldest first), so it is read from the end.
 */
export function recentImpersonations(entries: readonly AuditEntryDto[], connection: string | null, limit = RECENT_LIMIT): RecentSession[] {
  const seen = new Set<string>();
  const out: RecentSession[] = [];
  for (let i = entries.length - 1; i >= 0 && out.length < limit; i--) {
    const e = entries[i]!;
    if (e.event !== 'impersonation.start' || !e.subject) continue;
    // An access review's sessions (hundreds at a time) are not impersonations anyone asked to repeat.
    if (e.reviewId) continue;
    if (connection !== null && e.profile !== connection) continue;
    const key = e.subject.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ email: e.subject, reason: e.reason ?? '', time: e.time });
  }
  return out;
}

/**
 * "Recent impersonations" on the Users screen: who was impersonated lately, why and when, each with
 * Impersonate again (the dialog opens with that reason filled in). Nothing is shown before the first session.
 */
export function RecentImpersonations() {
  const { state } = useConnection();
  const connection = state?.connection.name ?? null;
  const audit = useAuditQuery();
  // The same cached list as the Users table: names, profile links and whether each user can still be impersonated.
  const users = useUsersQuery(false);
  const now = useNow(30_000);
  const [target, setTarget] = useState<ImpersonationTarget | null>(null);
  const [reason, setReason] = useState('');

  const recent = useMemo(() => recentImpersonations(audit.data ?? [], connection), [audit.data, connection]);
  const byEmail = useMemo(() => {
    const map = new Map<string, MemberDto>();
    for (const m of users.data ?? []) map.set(m.email.toLowerCase(), m);
    return map;
  }, [users.data]);

  if (recent.length === 0) return null;

  return (
    <section className="card recent-impersonations" aria-labelledby="recent-h">
      <h2 className="card-title" id="recent-h">
        Recent impersonations
      </h2>
      <ul className="recent-list">
        {recent.map((r) => {
          const member = byEmail.get(r.email.toLowerCase());
          // Until the users list is in, Rust's rules still decide at Start; once it is, say why a user is out.
          const blocked = member
            ? impersonationBlock(member.impersonation, state?.actor, state?.actorError)
            : users.data
              ? 'Not an active user of this connection.'
              : null;
          const reasonId = `recent-${r.email}-why`;
          return (
            <li key={r.email} className="recent-item">
              <span className="recent-who">
                {member ? (
                  <a className="cell-link email-link" href={routeHref({ name: 'user', memberId: member.memberId })}>
                    {member.name}
                  </a>
                ) : (
                  <EmailProfileLink email={r.email} />
                )}
                {member && <span className="muted small">{member.email}</span>}
              </span>
              <span className="recent-reason truncate" title={r.reason}>
                {r.reason || <span className="muted">—</span>}
              </span>
              <time className="muted small nowrap" dateTime={r.time} title={formatDateTime(r.time)}>
                {formatRelative(Date.parse(r.time), now)}
              </time>
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                aria-label={`Impersonate again: ${member?.name ?? r.email}`}
                aria-disabled={blocked ? true : undefined}
                aria-describedby={blocked ? reasonId : undefined}
                onClick={() => {
                  if (blocked) return;
                  setReason(r.reason);
                  setTarget({ email: member?.email ?? r.email, name: member?.name ?? r.email });
                }}
              >
                <Icon name="eye" size={14} />
                Impersonate again
              </button>
              {blocked && (
                <span className="recent-blocked small" id={reasonId}>
                  <Icon name="lock" size={12} /> {blocked}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      <ImpersonateDialog target={target} initialReason={reason} onClose={() => setTarget(null)} />
    </section>
  );
}
