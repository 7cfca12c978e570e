import type { ActorDto, Eligibility, ErrorDto } from '../ipc';

/** Rust's messages are written as clauses ("tom@… is archived …"); the UI shows them as sentences. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  // Never capitalize an email, an identifier or a quoted value that happens to open the clause.
  const firstWord = t.split(/\s/)[0] ?? '';
  const plainWord = /^[a-z][a-z-]*[,:;]?$/.test(firstWord);
  const first = plainWord ? t.charAt(0).toUpperCase() + t.slice(1) : t;
  return /[.!?…]$/.test(first) ? first : `${first}.`;
}

/**
 * Why the signed-in credentials cannot impersonate anyone, or null. Checked in the UI as well as in Rust so the
 * button says why before anything is sent.
 */
export function actorBlock(actor: ActorDto | null | undefined): string | null {
  if (!actor || actor.canImpersonate) return null;
  return `Your connection's credentials belong to ${actor.name ?? actor.email ?? 'a user'} (${actor.accountType}). Only Admins can impersonate.`;
}

/**
 * Why nobody can be impersonated while the connection's credentials could not be verified (Sigma refused them,
 * the org was unreachable): who they belong to, and so whether they may impersonate, is unknown. Null once an
 * actor is known or when there is no error to report.
 */
export function unverifiedBlock(actor: ActorDto | null | undefined, actorError: ErrorDto | null | undefined): string | null {
  if (actor || !actorError) return null;
  return `Stand-in could not verify your connection's credentials, so it cannot tell whether they may impersonate: ${sentence(actorError.message)} Test or fix the connection under Connections.`;
}

/**
 * The reason a user cannot be impersonated, as shown next to the button and in its tooltip; null if allowed.
 * Pass the connection's `actorError` so unverified credentials block too.
 */
export function impersonationBlock(eligibility: Eligibility, actor: ActorDto | null | undefined, actorError?: ErrorDto | null): string | null {
  const fromActor = actorBlock(actor) ?? unverifiedBlock(actor, actorError);
  if (fromActor) return fromActor;
  if (eligibility.allowed) return null;
  return sentence(eligibility.reason ?? 'This user cannot be impersonated.');
}
