import { useState } from 'react';
import { testConnection, toErrorDto, type ActorDto, type ConnectionDto, type ErrorDto, type SecretStatus } from '../ipc';
import { AccountTypeBadge } from '../components/Badges';
import { Dialog } from '../components/Dialog';
import { Loading, Spinner } from '../components/Feedback';
import { ErrorPanel } from '../components/ErrorPanel';
import { Icon } from '../components/Icon';
import { PageHeader } from '../components/Shell';
import { subjectLabel } from '../lib/sessionTime';
import { useConnectionsQuery, useRegionsQuery } from '../lib/queries';
import { useConnection } from '../state/connection';
import { useNotices } from '../state/notices';
import { useSession } from '../state/session';
import { ConnectionDialog } from './connections/ConnectionDialog';
import { RemoveConnectionDialog, RotateSecretDialog } from './connections/SmallDialogs';

/** Where the connection's secret is. A keyring that cannot be reached is not "missing": rotating would not help. */
export function SecretState({ status }: { status: SecretStatus }) {
  switch (status) {
    case 'stored':
      return <span className="ok-text">In the OS keyring</span>;
    case 'missing':
      return <span className="warn-text">Missing — rotate to add one</span>;
    case 'keyringUnavailable':
      return (
        <span className="warn-text" title="The system keyring (Secret Service) could not be reached, so Stand-in cannot tell whether the secret is stored.">
          Keyring unavailable — start or unlock the system keyring
        </span>
      );
  }
}

type TestState = { status: 'testing' } | { status: 'ok'; actor: ActorDto } | { status: 'failed'; error: ErrorDto };

export function ConnectionsScreen() {
  const list = useConnectionsQuery();
  const regions = useRegionsQuery();
  const { state, select, reload: reloadActive } = useConnection();
  const { session, refresh: refreshSession } = useSession();
  const { push } = useNotices();
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [editing, setEditing] = useState<{ mode: 'add' | 'edit'; connection: ConnectionDto | null } | null>(null);
  const [rotating, setRotating] = useState<ConnectionDto | null>(null);
  const [removing, setRemoving] = useState<ConnectionDto | null>(null);
  const [selecting, setSelecting] = useState<string | null>(null);
  const [selectError, setSelectError] = useState<ErrorDto | null>(null);
  // A switch that would end the active session waits here until confirmed: nothing ends without asking.
  const [confirmSwitch, setConfirmSwitch] = useState<string | null>(null);

  async function runTest(name: string) {
    setTests((t) => ({ ...t, [name]: { status: 'testing' } }));
    try {
      const actor = await testConnection(name);
      setTests((t) => ({ ...t, [name]: { status: 'ok', actor } }));
    } catch (e) {
      setTests((t) => ({ ...t, [name]: { status: 'failed', error: toErrorDto(e) } }));
    }
  }

  // Rotating or removing the active connection reselects it in Rust, which ends the session on it.
  function endsSessionOf(c: ConnectionDto | null): string | null {
    return session && c && c.name === state?.connection.name ? subjectLabel(session) : null;
  }

  function use(name: string) {
    if (session && name !== state?.connection.name) {
      setConfirmSwitch(name);
      return;
    }
    void switchTo(name);
  }

  async function switchTo(name: string) {
    setConfirmSwitch(null);
    setSelecting(name);
    setSelectError(null);
    try {
      await select(name);
      // Switching connections ends any impersonation in Rust; re-read it so the banner follows.
      await refreshSession();
      push({ tone: 'success', title: `Now using ${name}` });
    } catch (e) {
      setSelectError(toErrorDto(e));
    } finally {
      setSelecting(null);
    }
  }

  const names = list.data?.map((c) => c.name) ?? [];
  const activeName = state?.connection.name;

  return (
    <div className="screen">
      <PageHeader
        title="Connections"
        subtitle="Sigma organizations and the API credentials Stand-in acts with. Secrets stay in the system keyring."
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setEditing({ mode: 'add', connection: null })} disabled={!regions.data}>
            <Icon name="plus" size={14} />
            Add connection
          </button>
        }
      />
      {selectError && <ErrorPanel error={selectError} title="Could not switch connection" onRetry={() => setSelectError(null)} />}
      {regions.error && <ErrorPanel error={regions.error} title="Could not load Sigma's regions" onRetry={regions.reload} />}
      {list.error ? (
        <ErrorPanel error={list.error} title="Could not load connections" onRetry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading connections…" />
      ) : (
        <ul className="conn-grid" aria-label="Connections">
          {list.data.map((c) => {
            const active = c.name === activeName;
            const test = tests[c.name];
            const sandbox = c.kind === 'sandbox';
            return (
              <li key={c.name} className={active ? 'card conn-card active' : 'card conn-card'} aria-label={c.name}>
                <div className="conn-head">
                  <span className={sandbox ? 'conn-icon sandbox' : 'conn-icon'} aria-hidden="true">
                    <Icon name={sandbox ? 'plug' : 'key'} />
                  </span>
                  <div className="conn-title">
                    <h2 className="card-title">{c.name}</h2>
                    <p className="muted small">{sandbox ? 'Built-in sandbox · works offline' : c.region}</p>
                  </div>
                  {active ? <span className="pill pill-active">Active</span> : sandbox ? <span className="tag">Built-in</span> : null}
                </div>
                <dl className="conn-meta">
                  <div>
                    <dt>API</dt>
                    <dd className="mono truncate" title={c.baseUrl}>
                      {c.baseUrl}
                    </dd>
                  </div>
                  <div>
                    <dt>Client ID</dt>
                    <dd className="mono">{c.clientId}</dd>
                  </div>
                  <div>
                    <dt>Secret</dt>
                    <dd>
                      {c.kind === 'sandbox' ? (
                        <span>Built in (demo, kept in memory)</span>
                      ) : (
                        <SecretState status={c.secretStatus} />
                      )}
                    </dd>
                  </div>
                  {c.tenant && (
                    <div>
                      <dt>Tenant</dt>
                      <dd className="mono">{c.tenant}</dd>
                    </div>
                  )}
                  {c.caFile && (
                    <div>
                      <dt>CA file</dt>
                      <dd className="mono truncate" title={c.caFile}>
                        {c.caFile}
                      </dd>
                    </div>
                  )}
                </dl>
                {test && (
                  <div className="conn-test" aria-live="polite">
                    {test.status === 'testing' && (
                      <span className="check check-pending">
                        <Spinner size={12} /> Testing…
                      </span>
                    )}
                    {test.status === 'ok' && (
                      <div className={test.actor.canImpersonate ? 'test-result ok' : 'test-result warn'}>
                        <Icon name={test.actor.canImpersonate ? 'check' : 'warning'} size={14} />
                        <span>
                          Credentials of <strong>{test.actor.name ?? test.actor.email ?? test.actor.userId}</strong>
                          {test.actor.email && test.actor.name ? ` (${test.actor.email})` : ''}
                        </span>
                        <AccountTypeBadge type={test.actor.accountType} />
                        {!test.actor.canImpersonate && <span className="small">Not an Admin: cannot impersonate.</span>}
                      </div>
                    )}
                    {test.status === 'failed' && <ErrorPanel error={test.error} title="Test failed" compact onRetry={() => void runTest(c.name)} />}
                  </div>
                )}
                <div className="conn-actions">
                  <button type="button" className="btn btn-secondary btn-sm" onClick={() => use(c.name)} disabled={active || selecting !== null} aria-label={active ? undefined : `Use ${c.name}`}>
                    {selecting === c.name && <Spinner size={12} />}
                    {active ? 'In use' : 'Use'}
                  </button>
                  <button type="button" className="btn btn-secondary btn-sm" onClick={() => void runTest(c.name)} disabled={test?.status === 'testing'} aria-label={`Test ${c.name}`}>
                    Test
                  </button>
                  {!sandbox && (
                    <>
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing({ mode: 'edit', connection: c })} aria-label={`Edit ${c.name}`}>
                        Edit
                      </button>
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setRotating(c)} aria-label={`Rotate secret of ${c.name}`}>
                        Rotate secret
                      </button>
                      <span className="toolbar-spacer" />
                      <button type="button" className="btn btn-ghost btn-sm danger-text" onClick={() => setRemoving(c)} aria-label={`Remove ${c.name}`}>
                        Remove
                      </button>
                    </>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <ConnectionDialog
        open={editing !== null}
        mode={editing?.mode ?? 'add'}
        connection={editing?.connection ?? null}
        regions={regions.data ?? []}
        existingNames={names}
        onClose={() => setEditing(null)}
        onSaved={(saved) => {
          push({ tone: 'success', title: editing?.mode === 'add' ? `Added ${saved.name}` : `Saved ${saved.name}` });
          setEditing(null);
          list.reload();
          void reloadActive();
        }}
      />
      <Dialog
        open={confirmSwitch !== null && session !== null}
        onOpenChange={(open) => {
          if (!open) setConfirmSwitch(null);
        }}
        title={session ? `End the session as ${subjectLabel(session)}?` : 'End the session?'}
        description={
          session && confirmSwitch ? (
            <>
              Switching to <strong>{confirmSwitch}</strong> ends your impersonation of {subjectLabel(session)} ({session.subjectEmail}): a session
              belongs to the connection it was started on. You will be back as yourself.
            </>
          ) : undefined
        }
      >
        <div className="dialog-body">
          <footer className="dialog-footer">
            <button type="button" className="btn btn-secondary" onClick={() => setConfirmSwitch(null)}>
              Cancel
            </button>
            <button type="button" className="btn btn-primary" onClick={() => confirmSwitch && void switchTo(confirmSwitch)}>
              End session and switch
            </button>
          </footer>
        </div>
      </Dialog>
      <RotateSecretDialog
        connection={rotating}
        endsSessionOf={endsSessionOf(rotating)}
        onClose={() => setRotating(null)}
        onDone={() => {
          push({ tone: 'success', title: `Secret of ${rotating?.name ?? ''} rotated` });
          setTests((t) => {
            const next = { ...t };
            if (rotating) delete next[rotating.name];
            return next;
          });
          setRotating(null);
          list.reload();
          void reloadActive();
        }}
      />
      <RemoveConnectionDialog
        connection={removing}
        endsSessionOf={endsSessionOf(removing)}
        onClose={() => setRemoving(null)}
        onDone={() => {
          push({ tone: 'success', title: `Removed ${removing?.name ?? ''}` });
          setRemoving(null);
          list.reload();
          void reloadActive();
          void refreshSession();
        }}
      />
    </div>
  );
}
