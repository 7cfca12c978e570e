import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState, SessionDto, TeamDto } from '../ipc';
import { installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import { ConnectionProvider } from '../state/connection';
import { NoticesProvider } from '../state/notices';
import { SessionProvider } from '../state/session';
import { member, session as sessionFixture } from '../test/fixtures';
import { GlobalShortcuts } from './CommandPalette';

const state: ConnectionState = {
  connection: {
    name: 'Sandbox org',
    kind: 'sandbox',
    baseUrl: 'http://127.0.0.1:8787',
    region: 'Custom',
    clientId: 'standin-demo-admin',
    tenant: null,
    hasSecret: true,
    secretStatus: 'stored',
    caFile: null,
  },
  actor: null,
  actorError: null,
};

const team: TeamDto = { teamId: 't-sales', name: 'Sales', description: 'Pipeline people', visibility: null, isArchived: false };

function fakeBackend(active: SessionDto | null) {
  const calls: string[] = [];
  installFakeBackend((cmd) => {
    calls.push(cmd);
    if (cmd === 'current_session') return active;
    if (cmd === 'current_connection') return state;
    if (cmd === 'list_users') return [member({ firstName: 'Tom', lastName: 'Lee', memberId: 'c0ffee12-0001' }), member({ firstName: 'Priya', lastName: 'Raman', memberId: 'beef0042-0002' })];
    if (cmd === 'list_teams') return [team];
    if (cmd === 'stop_impersonation') return { sessionId: 'sess_1', subjectEmail: 'tom.lee@acme.example', subjectId: 'c0ffee12-0001', reason: 'stopped' };
    throw { code: 'internal', message: `unexpected ${cmd}`, requestId: null, rule: null };
  });
  return calls;
}

function renderShortcuts() {
  return render(
    <NoticesProvider>
      <ConnectionProvider>
        <SessionProvider>
          <input aria-label="Somewhere to type" />
          <GlobalShortcuts />
        </SessionProvider>
      </ConnectionProvider>
    </NoticesProvider>,
  );
}

async function openPalette() {
  fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
  return screen.findByRole('combobox', { name: 'Go to a user, team or screen' });
}

afterEach(() => {
  // Unmount first: the session provider unsubscribes its events through the fake backend.
  cleanup();
  removeFakeBackend();
});

describe('CommandPalette', () => {
  it('Ctrl+K opens it, a member ID finds the user, Enter goes to their profile', async () => {
    fakeBackend(null);
    renderShortcuts();
    const input = await openPalette();
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeTruthy();
    // With no query: the screens, no session-only entries.
    expect(screen.getAllByRole('option').map((o) => o.querySelector('.palette-option-label')?.textContent)).toEqual([
      'Users',
      'Teams',
      'Connections',
      'Access review',
      'Audit log',
      'Keyboard shortcuts',
    ]);
    await userEvent.type(input, 'beef0042');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(1));
    const option = screen.getByRole('option', { name: /Priya Raman/ });
    expect(option.getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(option.id);
    await userEvent.keyboard('{Enter}');
    expect(window.location.hash).toBe('#/users/beef0042-0002');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('arrows move the highlight; a team is one of the results', async () => {
    fakeBackend(null);
    renderShortcuts();
    const input = await openPalette();
    const selected = () => screen.getAllByRole('option').find((o) => o.getAttribute('aria-selected') === 'true')?.querySelector('.palette-option-label')?.textContent;
    expect(selected()).toBe('Users');
    await userEvent.keyboard('{ArrowDown}');
    expect(selected()).toBe('Teams');
    await userEvent.keyboard('{ArrowUp}{ArrowUp}');
    // Up from the first wraps to the last.
    expect(selected()).toBe('Keyboard shortcuts');
    await userEvent.type(input, 'sales');
    await screen.findByRole('option', { name: /Sales/ });
    await userEvent.keyboard('{Enter}');
    expect(window.location.hash).toBe('#/teams/t-sales');
  });

  it('offers Viewing as user and Stop Impersonation only while a session is active', async () => {
    const calls = fakeBackend(sessionFixture({ subjectId: 'c0ffee12-0001', subjectName: 'Tom Lee' }));
    renderShortcuts();
    await waitFor(() => expect(calls).toContain('current_session'));
    const input = await openPalette();
    await screen.findByRole('option', { name: /Viewing as user/ });
    await userEvent.type(input, 'stop');
    await userEvent.click(await screen.findByRole('option', { name: /Stop Impersonation/ }));
    await waitFor(() => expect(calls).toContain('stop_impersonation'));
    await waitFor(() => expect(window.location.hash).toBe('#/users/c0ffee12-0001'));
  });

  it('opens even while typing in a field; "?" opens the sheet only when not typing', async () => {
    fakeBackend(null);
    renderShortcuts();
    const field = screen.getByRole('textbox', { name: 'Somewhere to type' });
    field.focus();
    fireEvent.keyDown(field, { key: '?' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(field, { key: 'k', metaKey: true });
    await screen.findByRole('dialog', { name: 'Command palette' });
    // Ctrl+K again closes it.
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    act(() => {
      document.body.focus();
    });
    fireEvent.keyDown(document.body, { key: '?' });
    const sheet = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(sheet.textContent).toMatch(/Command palette/);
    expect(sheet.textContent).toMatch(/member ID/);
  });

  it('switches the theme from the palette', async () => {
    fakeBackend(null);
    renderShortcuts();
    const input = await openPalette();
    await userEvent.type(input, 'theme dark');
    await userEvent.keyboard('{Enter}');
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    window.localStorage.clear();
    document.documentElement.removeAttribute('data-theme');
  });
});
