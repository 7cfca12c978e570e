import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionDto, StopResult } from '../ipc';
import { emitFakeEvent, installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import { session as sessionFixture } from '../test/fixtures';
import { NoticesProvider, useNotices } from './notices';
import { endNotice, SessionProvider, useSession } from './session';

/** A fake Rust side holding one session; `extend_session` answers `extended` (or fails with `extendError`). */
function fakeBackend({ extended, extendError }: { extended?: SessionDto; extendError?: boolean } = {}) {
  let active: SessionDto | null = sessionFixture();
  const calls: string[] = [];
  installFakeBackend((cmd) => {
    calls.push(cmd);
    if (cmd === 'current_session') return active;
    if (cmd === 'stop_impersonation') {
      const s = active;
      active = null;
      return s ? ({ sessionId: s.id, subjectEmail: s.subjectEmail, subjectId: s.subjectId, reason: 'stopped' } satisfies StopResult) : null;
    }
    if (cmd === 'extend_session') {
      if (extendError || !extended) throw { code: 'sigma_error', message: 'Sigma had a server error (503)', requestId: 'req_9', rule: null };
      active = extended;
      return extended;
    }
    throw { code: 'internal', message: `unexpected ${cmd}`, requestId: null, rule: null };
  });
  return {
    calls,
    clear: () => {
      active = null;
    },
  };
}

function Probe() {
  const { session, stop, extend } = useSession();
  const { notices } = useNotices();
  return (
    <div>
      <p data-testid="session">{session?.id ?? 'none'}</p>
      <button type="button" onClick={() => void stop()}>
        stop
      </button>
      <button type="button" onClick={() => void extend()}>
        extend
      </button>
      <ul>
        {notices.map((n) => (
          <li key={n.id} data-testid="notice">
            {n.title}
          </li>
        ))}
      </ul>
    </div>
  );
}

function renderProbe() {
  return render(
    <NoticesProvider>
      <SessionProvider>
        <Probe />
      </SessionProvider>
    </NoticesProvider>,
  );
}

const stopped = (reason: StopResult['reason']): StopResult => ({ sessionId: 'sess_1', subjectEmail: 'tom.lee@acme.example', subjectId: 'm-tom', reason });

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

describe('session endings', () => {
  it('every reason has a notice that says why', () => {
    expect(endNotice('Tom Lee', 'stopped').title).toBe('Impersonation of Tom Lee ended: you stopped it');
    expect(endNotice('Tom Lee', 'expired').title).toBe('Impersonation of Tom Lee ended: time ran out');
    expect(endNotice('Tom Lee', 'endedByServer').title).toMatch(/expired on the server/);
    expect(endNotice('Tom Lee', 'switched').title).toBe('Impersonation of Tom Lee ended: the connection changed');
    expect(endNotice('Tom Lee', 'replaced').title).toBe('Impersonation of Tom Lee ended: a new session replaced it');
  });

  it('Stop raises a notice, once, whether its answer or its event comes first', async () => {
    fakeBackend();
    renderProbe();
    await waitFor(() => expect(screen.getByTestId('session').textContent).toBe('sess_1'));
    await userEvent.setup().click(screen.getByRole('button', { name: 'stop' }));
    await act(() => emitFakeEvent('session-stopped', stopped('stopped')));
    await waitFor(() => expect(screen.getByTestId('session').textContent).toBe('none'));
    const notices = screen.getAllByTestId('notice').map((n) => n.textContent);
    expect(notices).toEqual(['Impersonation of Tom Lee ended: you stopped it']);
  });

  it('a connection switch says so, even when the session was re-read before its event arrived', async () => {
    const backend = fakeBackend();
    renderProbe();
    await waitFor(() => expect(screen.getByTestId('session').textContent).toBe('sess_1'));
    backend.clear();
    await act(() => emitFakeEvent('session-stopped', stopped('switched')));
    await waitFor(() => expect(screen.getByTestId('notice').textContent).toBe('Impersonation of Tom Lee ended: the connection changed'));
    expect(screen.getByTestId('session').textContent).toBe('none');
  });

  it('a late event about a replaced session says why without clearing the new one', async () => {
    fakeBackend();
    renderProbe();
    await waitFor(() => expect(screen.getByTestId('session').textContent).toBe('sess_1'));
    await act(() => emitFakeEvent('session-started', sessionFixture({ id: 'sess_2', subjectName: 'Sofia Martinez' })));
    await act(() => emitFakeEvent('session-stopped', stopped('replaced')));
    await waitFor(() => expect(screen.getByTestId('notice').textContent).toBe('Impersonation of Tom Lee ended: a new session replaced it'));
    expect(screen.getByTestId('session').textContent).toBe('sess_2');
  });
});

describe('Extend', () => {
  it('adopts the new session and says it was extended', async () => {
    const backend = fakeBackend({ extended: sessionFixture({ id: 'sess_ext' }) });
    renderProbe();
    await waitFor(() => expect(screen.getByTestId('session').textContent).toBe('sess_1'));
    await userEvent.setup().click(screen.getByRole('button', { name: 'extend' }));
    await waitFor(() => expect(screen.getByTestId('session').textContent).toBe('sess_ext'));
    expect(backend.calls).toContain('extend_session');
    expect(screen.getByTestId('notice').textContent).toBe('Session as Tom Lee extended');
  });

  it('a failed Extend keeps the session and says why', async () => {
    fakeBackend({ extendError: true });
    renderProbe();
    await waitFor(() => expect(screen.getByTestId('session').textContent).toBe('sess_1'));
    await userEvent.setup().click(screen.getByRole('button', { name: 'extend' }));
    await waitFor(() => expect(screen.getByTestId('notice').textContent).toBe('Could not extend the session as Tom Lee'));
    expect(screen.getByTestId('session').textContent).toBe('sess_1');
  });
});
