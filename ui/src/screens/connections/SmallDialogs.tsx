import { useEffect, useState, type FormEvent } from 'react';
import { removeConnection, rotateSecret, toErrorDto, type ConnectionDto, type ErrorDto } from '../../ipc';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Field } from '../../components/Field';
import { Spinner } from '../../components/Feedback';

/** Said before an action on the active connection that ends the session running on it: nothing ends unasked. */
function EndsSession({ subject, action }: { subject: string | null | undefined; action: string }) {
  if (!subject) return null;
  return (
    <p className="warn-text ends-session">
      {action} ends your impersonation of <strong>{subject}</strong>: a session belongs to the connection it was started on.
    </p>
  );
}

export function RotateSecretDialog({
  connection,
  onClose,
  onDone,
  endsSessionOf,
}: {
  connection: ConnectionDto | null;
  onClose: () => void;
  onDone: () => void;
  /** The impersonated user's name when rotating this connection ends the active session. */
  endsSessionOf?: string | null;
}) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<ErrorDto | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setSecret('');
    setError(null);
    setFailure(null);
    setBusy(false);
  }, [connection]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!connection) return;
    if (!secret) {
      setError('Enter the new client secret.');
      return;
    }
    setBusy(true);
    try {
      await rotateSecret(connection.name, secret);
      onDone();
    } catch (err) {
      setFailure(toErrorDto(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={connection !== null} onOpenChange={(o) => !o && onClose()} title="Rotate secret" description={connection ? `Replace the client secret of ${connection.name} in the system keyring.` : undefined}>
      <form className="dialog-body" onSubmit={submit} noValidate>
        <EndsSession subject={endsSessionOf} action="Rotating the secret" />
        <Field label="New client secret" error={error}>
          {(p) => <input {...p} className="input mono" type="password" autoFocus autoComplete="new-password" value={secret} onChange={(e) => { setSecret(e.target.value); setError(null); }} />}
        </Field>
        {failure && <ErrorPanel error={failure} title="Could not rotate the secret" compact />}
        <footer className="dialog-footer">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy && <Spinner size={14} />}
            Save secret
          </button>
        </footer>
      </form>
    </Dialog>
  );
}

export function RemoveConnectionDialog({
  connection,
  onClose,
  onDone,
  endsSessionOf,
}: {
  connection: ConnectionDto | null;
  onClose: () => void;
  onDone: () => void;
  /** The impersonated user's name when removing this connection ends the active session. */
  endsSessionOf?: string | null;
}) {
  const [failure, setFailure] = useState<ErrorDto | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setFailure(null);
    setBusy(false);
  }, [connection]);

  async function remove() {
    if (!connection) return;
    setBusy(true);
    try {
      await removeConnection(connection.name);
      onDone();
    } catch (err) {
      setFailure(toErrorDto(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={connection !== null} onOpenChange={(o) => !o && onClose()} title={`Remove ${connection?.name ?? 'connection'}?`} description="The connection and its client secret in the system keyring are deleted. The audit log keeps its entries.">
      <div className="dialog-body">
        <EndsSession subject={endsSessionOf} action="Removing it" />
        {failure && <ErrorPanel error={failure} title="Could not remove the connection" compact />}
        <footer className="dialog-footer">
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" onClick={() => void remove()} disabled={busy}>
            {busy && <Spinner size={14} />}
            Remove
          </button>
        </footer>
      </div>
    </Dialog>
  );
}
