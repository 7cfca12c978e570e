import { useEffect, useState, type FormEvent } from 'react';
import type { ErrorDto } from '../ipc';
import { subjectLabel } from '../lib/sessionTime';
import { useConnection } from '../state/connection';
import { useSession } from '../state/session';
import { Dialog } from './Dialog';
import { ErrorPanel } from './ErrorPanel';
import { Field, Switch } from './Field';
import { Spinner } from './Feedback';
import { Icon } from './Icon';

export interface ImpersonationTarget {
  email: string;
  name: string;
}

export const DURATIONS = [5, 15, 30, 60] as const;

/**
 * Reason, duration and read-only, then Start. With a session already running it first asks whether to end it,
 * and only then starts with `replaceActive` (Rust refuses a second session otherwise).
 */
export function ImpersonateDialog({
  target,
  onClose,
  initialReason = '',
}: {
  target: ImpersonationTarget | null;
  onClose: () => void;
  /** The reason to start with ("Impersonate again" fills in the last one); still editable. */
  initialReason?: string;
}) {
  const { session, start } = useSession();
  // A tenant connection impersonates in the tenant org, whose members the parent's credentials cannot read:
  // the eligibility shown in the lists could not be checked there, so the dialog says whose checks apply.
  const tenant = useConnection().state?.connection.tenant ?? null;
  const [reason, setReason] = useState('');
  const [duration, setDuration] = useState<number>(15);
  const [readOnly, setReadOnly] = useState(true);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<ErrorDto | null>(null);
  const [busy, setBusy] = useState(false);
  const [replaceConfirmed, setReplaceConfirmed] = useState(false);

  // A fresh form for each user the dialog opens for.
  useEffect(() => {
    if (!target) return;
    setReason(initialReason);
    setDuration(15);
    setReadOnly(true);
    setReasonError(null);
    setError(null);
    setBusy(false);
    setReplaceConfirmed(false);
  }, [target, initialReason]);

  const askReplace = session !== null && !replaceConfirmed;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!target || busy) return;
    if (!reason.trim()) {
      setReasonError('Enter a reason or a ticket number — it is recorded in the audit log.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await start({
        email: target.email,
        tenant: null,
        reason: reason.trim(),
        readOnly,
        durationMinutes: duration,
        replaceActive: session !== null,
      });
      onClose();
    } catch (err) {
      const dto = err as ErrorDto;
      if (dto.rule === 'session_active') setReplaceConfirmed(false);
      if (dto.rule === 'reason_required') setReasonError('Enter a reason or a ticket number — it is recorded in the audit log.');
      else setError(dto);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      open={target !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={askReplace && session ? `End the session as ${subjectLabel(session)}?` : 'Impersonate user'}
      description={
        target &&
        (askReplace ? undefined : (
          <>
            See Sigma as <strong>{target.name}</strong> ({target.email}). The session is recorded in the audit log.
          </>
        ))
      }
    >
      {target && askReplace && session && (
        <div className="dialog-body">
          <p className="confirm-text">
            End the session as <strong>{subjectLabel(session)}</strong> and start a new one?
          </p>
          <p className="muted">
            You are impersonating {subjectLabel(session)} ({session.subjectEmail}). Only one session can be active.
          </p>
          <footer className="dialog-footer">
            <button type="button" className="btn btn-secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setReplaceConfirmed(true)}>
              End it and continue
            </button>
          </footer>
        </div>
      )}
      {target && !askReplace && (
        <form className="dialog-body" onSubmit={submit} noValidate>
          <Field label="Reason or ticket" error={reasonError} help="For example SUP-1234 or a short sentence.">
            {(props) => (
              <input
                {...props}
                className="input"
                value={reason}
                autoFocus
                required
                aria-required="true"
                placeholder="SUP-1234: dashboard shows no rows"
                onChange={(e) => {
                  setReason(e.target.value);
                  if (reasonError && e.target.value.trim()) setReasonError(null);
                }}
              />
            )}
          </Field>
          <Field label="Duration" help="The session stops by itself when the time is up.">
            {(props) => (
              <select {...props} className="select" value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
                {DURATIONS.map((d) => (
                  <option key={d} value={d}>
                    {d} minutes
                  </option>
                ))}
              </select>
            )}
          </Field>
          {tenant && (
            <div className="inline-notice" role="note" aria-label="Tenant organization">
              <Icon name="warning" size={14} />
              <span>
                This connection impersonates in tenant org <span className="mono">{tenant}</span>. Stand-in cannot read that organization&apos;s members, so
                its own checks (Admin, archived, inactive, unknown account type) do not run here: <strong>Sigma&apos;s server checks apply</strong> when the
                session starts.
              </span>
            </div>
          )}
          <Switch
            checked={readOnly}
            onChange={setReadOnly}
            label="Read-only"
            description={readOnly ? 'Only GET requests are sent as this user.' : 'Write requests are allowed: changes are made as this user.'}
          />
          {error && <ErrorPanel error={error} title="Could not start impersonation" compact />}
          <footer className="dialog-footer">
            <button type="button" className="btn btn-secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy && <Spinner size={14} />}
              {busy ? 'Starting…' : 'Start'}
            </button>
          </footer>
        </form>
      )}
    </Dialog>
  );
}
