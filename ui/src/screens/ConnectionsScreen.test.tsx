import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionDto, ConnectionState, SessionDto } from '../ipc';
import { installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import { TestQueries } from '../lib/queries';
import { ConnectionProvider } from '../state/connection';
import { NoticesProvider } from '../state/notices';
import { SessionProvider } from '../state/session';
import { session as sessionFixture } from '../test/fixtures';
import { ConnectionsScreen } from './ConnectionsScreen';

function conn(name: string, kind: ConnectionDto['kind']): ConnectionDto {
  return { name, kind, baseUrl: 'https://aws-api.sigmacomputing.com', region: 'AWS US West', clientId: 'c1', tenant: null, hasSecret: true, secretStatus: 'stored', caFile: null };
}
const SANDBOX = conn('Sandbox org', 'sandbox');
const PROD = conn('Acme production', 'org');

function fakeBackend(active: SessionDto | null, activeConnection: ConnectionDto = SANDBOX) {
  let current = activeConnection;
  let session = active;
  const selects: string[] = [];
  installFakeBackend((cmd, args) => {
    if (cmd === 'current_session') return session;
    if (cmd === 'current_connection' || cmd === 'select_connection') {
      if (cmd === 'select_connection') {
        selects.push(String(args.name));
        current = args.name === PROD.name ? PROD : SANDBOX;
        session = null;
      }
      return { connection: current, actor: null, actorError: null } satisfies ConnectionState;
    }
    if (cmd === 'list_connections') return [SANDBOX, PROD];
    if (cmd === 'list_regions') return [{ name: 'AWS US West', baseUrl: 'https://aws-api.sigmacomputing.com' }];
    throw { code: 'internal', message: `unexpected ${cmd}`, requestId: null, rule: null };
  });
  return selects;
}

function renderScreen() {
  return render(
    <NoticesProvider>
      <ConnectionProvider>
        <SessionProvider>
          <TestQueries>
            <ConnectionsScreen />
          </TestQueries>
        </SessionProvider>
      </ConnectionProvider>
    </NoticesProvider>,
  );
}

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

// Dialogs and several round trips each: generous timeouts so a loaded machine does not fail them.
const SLOW = 15_000;

describe('ConnectionsScreen: switching connections', () => {
  it('with a session running, asks "End the session as Tom Lee?" first and does nothing on Cancel', async () => {
    const selects = fakeBackend(sessionFixture());
    const user = userEvent.setup();
    renderScreen();
    await user.click(await screen.findByRole('button', { name: 'Use Acme production' }));
    const dialog = await screen.findByRole('dialog', { name: 'End the session as Tom Lee?' });
    expect(dialog.textContent).toContain('Switching to Acme production ends your impersonation of Tom Lee');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(selects).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Use Acme production' }));
    await screen.findByRole('dialog', { name: 'End the session as Tom Lee?' });
    await user.click(screen.getByRole('button', { name: 'End session and switch' }));
    await waitFor(() => expect(selects).toEqual(['Acme production']));
  }, SLOW);

  it('without a session, switches at once', async () => {
    const selects = fakeBackend(null);
    const user = userEvent.setup();
    renderScreen();
    await user.click(await screen.findByRole('button', { name: 'Use Acme production' }));
    await waitFor(() => expect(selects).toEqual(['Acme production']));
    expect(screen.queryByRole('dialog')).toBeNull();
  }, SLOW);

  it('rotating or removing the connection a session runs on says first that it ends the session', async () => {
    fakeBackend(sessionFixture(), PROD);
    const user = userEvent.setup();
    renderScreen();
    await user.click(await screen.findByRole('button', { name: 'Remove Acme production' }));
    const remove = await screen.findByRole('dialog', { name: 'Remove Acme production?' });
    await waitFor(() => expect(remove.textContent).toContain('Removing it ends your impersonation of Tom Lee'));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Rotate secret of Acme production' }));
    const rotate = await screen.findByRole('dialog', { name: 'Rotate secret' });
    expect(rotate.textContent).toContain('Rotating the secret ends your impersonation of Tom Lee');
  }, SLOW);

  it('says nothing of the sort for a connection without the session', async () => {
    fakeBackend(sessionFixture(), SANDBOX);
    const user = userEvent.setup();
    renderScreen();
    await user.click(await screen.findByRole('button', { name: 'Remove Acme production' }));
    const remove = await screen.findByRole('dialog', { name: 'Remove Acme production?' });
    expect(remove.textContent).not.toContain('ends your impersonation');
  }, SLOW);
});
