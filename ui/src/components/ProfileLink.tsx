import { useState, type MouseEvent } from 'react';
import { listUsers } from '../ipc';
import { navigate } from '../state/router';

/**
 * Finds a member by email: the audit log records emails, not member IDs. An exact (case-insensitive) match
 * among the users the search returns, archived included (an audit entry may outlive the account's activity).
 */
export async function memberIdForEmail(email: string): Promise<string | null> {
  const wanted = email.trim().toLowerCase();
  if (!wanted) return null;
  const found = await listUsers({ search: email.trim(), includeArchived: true });
  return found.find((m) => m.email.toLowerCase() === wanted)?.memberId ?? null;
}

/**
 * An email that opens that user's profile. Written as a link (it navigates) whose target is looked up when it
 * is followed; when the user is not in the current connection's org, it says so beside the email.
 */
export function EmailProfileLink({ email, className }: { email: string; className?: string }) {
  const [problem, setProblem] = useState<string | null>(null);

  async function open(e: MouseEvent) {
    e.preventDefault();
    setProblem(null);
    try {
      const memberId = await memberIdForEmail(email);
      if (memberId) navigate({ name: 'user', memberId });
      else setProblem('Not a user of this connection');
    } catch {
      setProblem('Could not look this user up');
    }
  }

  return (
    <>
      <a href="#/users" className={className ? `cell-link email-link ${className}` : 'cell-link email-link'} onClick={(e) => void open(e)} title={`Open the profile of ${email}`}>
        {email}
      </a>
      <span className="muted small" role="status">
        {problem ? ` — ${problem}` : ''}
      </span>
    </>
  );
}
