import type { SessionDto } from '../ipc';

/**
 * When the session ends, in this page's clock. `expiresAt` is authoritative, but if it disagrees with
 * `secondsLeft` by more than a few seconds (a skewed or test clock on the Rust side), the countdown follows
 * `secondsLeft` from the moment the DTO arrived — the banner must never show 00:00 for a live session.
 */
export function sessionDeadline(session: SessionDto, receivedAtMs: number): number {
  const fromSecondsLeft = receivedAtMs + Number(session.secondsLeft) * 1000;
  const fromExpiresAt = Date.parse(session.expiresAt);
  if (Number.isNaN(fromExpiresAt) || Math.abs(fromExpiresAt - fromSecondsLeft) > 5000) return fromSecondsLeft;
  return fromExpiresAt;
}

export function subjectLabel(session: Pick<SessionDto, 'subjectName' | 'subjectEmail'>): string {
  return session.subjectName?.trim() || session.subjectEmail;
}
