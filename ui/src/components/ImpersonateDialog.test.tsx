import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState, SessionDto, StartRequest } from '../ipc';
import { installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import { ConnectionProvider } from '../state/connection';
import { NoticesProvider } from '../state/notices';
import { SessionProvider } from '../state/session';
import { session as sessionFixture } from '../test/fixtures';
import { ImpersonateDialog } from './ImpersonateDialog';

function connectionState(tenant: string | null): ConnectionState {
  return {
    connection: {
      name: tenant ? 'Globex (tenant)' : 'Sandbox org',
      kind: tenant ? 'org' : 'sandbox',
      baseUrl: 'http://127.0.0.1:8787',
      region: 'Custom',
      clientId: 'standin-demo-admin',
      tenant,
      hasSecret: true,
      secretStatus: 'stored',
      caFile: null,
    },
    actor: null,
    actorError: null,
  };
}

/** A fake Rust side: records start requests, answers current_session with `active`, and the active connection (with `tenant`). */
function fakeBackend(active: SessionDto | null, tenant: string | null = null) {
  const starts: StartRequest[] = [];
  installFakeBackend((cmd, args) => {
    if (cmd === 'current_session') return active;
    if (cmd === 'current_connection') return connectionState(tenant);
    if (cmd === 'start_impersonation') {
      const request = args.request as StartRequest;
      starts.push(request);
      return sessionFixture({ id: 'sess_2', subjectEmail: request.email, subjectName: 'Sofia Martinez', readOnly: request.readOnly });
    }
    throw { code: 'internal', message: `unexpected ${cmd}`, requestId: null, rule: null };
  });
  return starts;
}

function renderDialog(onClose = () => {}) {
  return render(
    <NoticesProvider>
      <ConnectionProvider>
        <SessionProvider>
          <ImpersonateDialog target={{ email: 'sofia.martinez@acme.example', name: 'Sofia Martinez' }} onClose={onClose} />
        </SessionProvider>
      </ConnectionProvider>
    </NoticesProvider>,
  );
}

// Unmount (which unlistens through the mocked event plugin) before the mocks go away.
afterEach(() => {
  cleanup();
  removeFakeBackend();
});

describe('ImpersonateDialog', () => {
  it('requires a reason before calling Rust, with defaults 15 minutes and read-only', async () => {
    const starts = fakeBackend(null);
    const user = userEvent.setup();
    let closed = false;
    renderDialog(() => {
      closed = true;
    });
    const dialog = await screen.findByRole('dialog', { name: 'Impersonate user' });
    expect(dialog.textContent).toContain('Sofia Martinez');
    expect((screen.getByLabelText('Duration') as HTMLSelectElement).value).toBe('15');
    expect([...(screen.getByLabelText('Duration') as HTMLSelectElement).options].map((o) => o.value)).toEqual(['5', '15', '30', '60']);
    expect(screen.getByRole('switch', { name: 'Read-only' }).getAttribute('aria-checked')).toBe('true');

    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect(screen.getByText(/Enter a reason or a ticket number/)).toBeTruthy();
    expect(screen.getByLabelText('Reason or ticket').getAttribute('aria-invalid')).toBe('true');
    expect(starts).toHaveLength(0);

    await user.type(screen.getByLabelText('Reason or ticket'), '  SUP-42 ');
    expect(screen.queryByText(/Enter a reason or a ticket number/)).toBeNull();
    await user.selectOptions(screen.getByLabelText('Duration'), '30');
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(starts).toHaveLength(1));
    expect(starts[0]).toEqual({ email: 'sofia.martinez@acme.example', tenant: null, reason: 'SUP-42', readOnly: true, durationMinutes: 30, replaceActive: false });
    await waitFor(() => expect(closed).toBe(true));
    expect(window.location.hash).toBe('#/viewing/whoami');
  });

  it('turning read-only off is sent as such', async () => {
    const starts = fakeBackend(null);
    const user = userEvent.setup();
    renderDialog();
    await screen.findByRole('dialog');
    await user.click(screen.getByRole('switch', { name: 'Read-only' }));
    expect(screen.getByRole('switch', { name: 'Read-only' }).getAttribute('aria-checked')).toBe('false');
    await user.type(screen.getByLabelText('Reason or ticket'), 'SUP-7');
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(starts[0]?.readOnly).toBe(false));
  });

  it('with a session running, first asks to end it, then starts with replaceActive', async () => {
    const starts = fakeBackend(sessionFixture());
    const user = userEvent.setup();
    renderDialog();
    const confirm = await screen.findByRole('dialog', { name: 'End the session as Tom Lee?' });
    await waitFor(() => expect(confirm.textContent).toContain('End the session as Tom Lee and start a new one?'));
    await user.click(screen.getByRole('button', { name: 'End it and continue' }));
    await user.type(await screen.findByLabelText('Reason or ticket'), 'SUP-8');
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(starts[0]?.replaceActive).toBe(true));
  });

  it('in a tenant org, says that the server checks apply (and says nothing of the sort otherwise)', async () => {
    const starts = fakeBackend(null, 'globex-org-1');
    const user = userEvent.setup();
    renderDialog();
    await screen.findByRole('dialog', { name: 'Impersonate user' });
    const note = await screen.findByRole('note', { name: 'Tenant organization' });
    expect(note.textContent).toContain('globex-org-1');
    expect(note.textContent).toContain("Sigma's server checks apply");
    await user.type(screen.getByLabelText('Reason or ticket'), 'SUP-9');
    await user.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(starts).toHaveLength(1));
    cleanup();

    fakeBackend(null, null);
    renderDialog();
    await screen.findByRole('dialog', { name: 'Impersonate user' });
    // Let the connection load before looking for the note's absence.
    await waitFor(() => expect(screen.getByLabelText('Reason or ticket')).toBeTruthy());
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByRole('note', { name: 'Tenant organization' })).toBeNull();
  });

  it('Escape closes it', async () => {
    fakeBackend(null);
    const user = userEvent.setup();
    let closed = false;
    renderDialog(() => {
      closed = true;
    });
    await screen.findByRole('dialog');
    await user.keyboard('{Escape}');
    expect(closed).toBe(true);
  });
});
