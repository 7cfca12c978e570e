import { useMemo, useState, type FormEvent } from 'react';
import type { ReviewRequestDto, ReviewScopeKind } from '../../ipc';
import { Dialog, DialogClose } from '../../components/Dialog';
import { FileTypeSelect } from '../../components/FileTable';
import { Field } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Feedback';
import { plural } from '../../lib/format';
import { useTeamsQuery, useUsersQuery } from '../../lib/queries';
import { malformedEmails, parseEmails } from './reviewState';

export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 64;

const SCOPES: Array<{ kind: ReviewScopeKind; label: string }> = [
  { kind: 'team', label: 'A team' },
  { kind: 'emails', label: 'These users' },
  { kind: 'all', label: 'Everyone in the organization' },
];

/**
 * Who to review and how: a team, pasted emails, or the whole org (confirmed with the number of users it
 * will impersonate), a document type, the concurrency and a reason.
 */
export function ReviewSetup({
  starting,
  sessionActive,
  onStart,
}: {
  starting: boolean;
  sessionActive: boolean;
  onStart: (request: ReviewRequestDto) => void;
}) {
  const teams = useTeamsQuery();
  const [kind, setKind] = useState<ReviewScopeKind>('team');
  const [teamId, setTeamId] = useState('');
  const [emailsText, setEmailsText] = useState('');
  const [type, setType] = useState('all');
  const [concurrency, setConcurrency] = useState(String(DEFAULT_CONCURRENCY));
  const [reason, setReason] = useState('');
  const [confirmAll, setConfirmAll] = useState(false);
  const [touched, setTouched] = useState(false);

  const emails = useMemo(() => parseEmails(emailsText), [emailsText]);
  const bad = useMemo(() => malformedEmails(emails), [emails]);
  const n = Number(concurrency);
  const concurrencyError = Number.isInteger(n) && n >= 1 && n <= MAX_CONCURRENCY ? null : `A whole number from 1 to ${MAX_CONCURRENCY}`;
  const teamError = kind === 'team' && !teamId ? 'Pick a team' : null;
  const emailsError = kind === 'emails' ? (emails.length === 0 ? 'Enter at least one email' : bad.length ? `Not an email: ${bad.slice(0, 3).join(', ')}${bad.length > 3 ? '…' : ''}` : null) : null;
  const valid = !concurrencyError && !teamError && !emailsError;

  function request(): ReviewRequestDto {
    return {
      scope: { kind, teamId: kind === 'team' ? teamId : null, emails: kind === 'emails' ? emails : null },
      fileType: type === 'all' ? null : type,
      concurrency: n,
      reason: reason.trim() || null,
    };
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!valid || starting) return;
    if (kind === 'all') setConfirmAll(true);
    else onStart(request());
  }

  return (
    <form className="card review-setup" onSubmit={submit} aria-labelledby="review-setup-title" noValidate>
      <h2 className="card-title" id="review-setup-title">
        New access review
      </h2>
      <p className="muted card-lead">
        Stand-in impersonates each user in turn (read-only, a few at a time), lists the documents they can open, and builds the matrix
        beside your own access. Every impersonation is in the audit log under the review’s ID.
      </p>
      <fieldset className="review-scope">
        <legend className="field-label">Who</legend>
        <div className="segmented" role="radiogroup" aria-label="Who">
          {SCOPES.map((s) => (
            <label key={s.kind} className={kind === s.kind ? 'segment on' : 'segment'}>
              <input type="radio" name="review-scope" value={s.kind} checked={kind === s.kind} onChange={() => setKind(s.kind)} />
              {s.label}
            </label>
          ))}
        </div>
      </fieldset>
      {kind === 'team' && (
        <Field label="Team" error={touched ? teamError : null} help={teams.error ? `Teams could not be listed: ${teams.error.message}` : undefined}>
          {(p) => (
            <select {...p} className="select" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">{teams.data ? 'Choose a team…' : 'Loading teams…'}</option>
              {(teams.data ?? []).map((t) => (
                <option key={t.teamId} value={t.teamId}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {kind === 'emails' && (
        <Field
          label="Emails"
          error={touched ? emailsError : null}
          help={emails.length ? `${plural(emails.length, 'user')}; one per line, or separated by commas` : 'One per line, or separated by commas'}
        >
          {(p) => <textarea {...p} className="input review-emails" rows={4} value={emailsText} onChange={(e) => setEmailsText(e.target.value)} placeholder={'tom.lee@acme.example\nsofia.martinez@acme.example'} />}
        </Field>
      )}
      {kind === 'all' && (
        <WholeOrg
          confirming={confirmAll}
          onConfirmingChange={setConfirmAll}
          concurrency={n}
          onConfirm={() => {
            setConfirmAll(false);
            onStart(request());
          }}
        />
      )}
      <div className="review-options">
        <FileTypeSelect value={type} onChange={setType} id="review-type" />
        <div className="inline-field">
          <label htmlFor="review-concurrency">Concurrency</label>
          <input
            id="review-concurrency"
            className="input input-narrow"
            type="number"
            min={1}
            max={MAX_CONCURRENCY}
            value={concurrency}
            onChange={(e) => setConcurrency(e.target.value)}
            aria-invalid={concurrencyError ? true : undefined}
            aria-describedby="review-concurrency-help"
          />
          <span id="review-concurrency-help" className={concurrencyError ? 'field-error' : 'muted small'}>
            {concurrencyError ?? 'users at once; fewer while Sigma throttles'}
          </span>
        </div>
      </div>
      <Field label="Reason or ticket" optional help="Recorded with every impersonation of the review.">
        {(p) => <input {...p} className="input" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="SEC-212 quarterly access review" />}
      </Field>
      {sessionActive && (
        <p className="inline-notice review-session-note" role="note">
          <Icon name="info" />
          <span>Your impersonation session stays open: the review runs its own sessions, one per user, and does not touch it.</span>
        </p>
      )}
      <div className="review-setup-actions">
        <button type="submit" className="btn btn-primary" disabled={starting}>
          {starting ? <Spinner size={14} /> : <Icon name="eye" size={14} />}
          {starting ? 'Starting…' : 'Start review'}
        </button>
      </div>
    </form>
  );
}

/**
 * The whole-org choice: how many users it covers, and the confirmation before Start. The member list is read
 * only when this is chosen (from the same cache as the Users screen).
 */
function WholeOrg({
  confirming,
  onConfirmingChange,
  concurrency,
  onConfirm,
}: {
  confirming: boolean;
  onConfirmingChange: (open: boolean) => void;
  concurrency: number;
  onConfirm: () => void;
}) {
  const users = useUsersQuery(false);
  // Admins cannot be impersonated, so a whole-org review covers the others.
  const count = users.data ? users.data.filter((u) => u.impersonation.allowed).length : null;
  return (
    <>
      <p className="muted review-all-note">
        {count === null ? 'Counting the organization’s users…' : `${plural(count, 'user')} can be impersonated (admins, archived and inactive users cannot).`}
      </p>
      <Dialog
        open={confirming}
        onOpenChange={onConfirmingChange}
        title="Review the whole organization?"
        description={
          count === null
            ? 'Stand-in will impersonate every user who can be impersonated, a few at a time. Each impersonation is recorded in the audit log.'
            : `Stand-in will impersonate ${plural(count, 'user')}, ${concurrency} at a time (admins are listed, never impersonated). Each impersonation is recorded in the audit log.`
        }
      >
        <div className="dialog-footer">
          <DialogClose asChild>
            <button type="button" className="btn btn-secondary">
              Cancel
            </button>
          </DialogClose>
          <button type="button" className="btn btn-primary" onClick={onConfirm}>
            {count === null ? 'Review everyone' : `Review ${plural(count, 'user')}`}
          </button>
        </div>
      </Dialog>
    </>
  );
}
