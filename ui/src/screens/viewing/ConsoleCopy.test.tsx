import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeBackend, removeFakeBackend } from '../../ipc/testBackend';
import { ConsoleTab } from './ConsoleTab';

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

describe('ConsoleTab copy', () => {
  it('copies the response body and its request ID', async () => {
    const copied: string[] = [];
    installFakeBackend((cmd, args) => {
      if (cmd === 'check_console_request') return { allowed: true, reason: null, normalizedPath: '/v2/whoami' };
      if (cmd === 'console_send') return { status: 200, body: { userId: 'm-tom' }, requestId: 'req_c1', elapsedMs: 12 };
      if (cmd === 'plugin:clipboard-manager|write_text') {
        copied.push(String(args.text));
        return null;
      }
      throw { code: 'internal', message: `unexpected ${cmd}`, requestId: null, rule: null };
    });
    render(<ConsoleTab readOnly />);
    // Send is enabled once Rust has checked the request.
    await screen.findByText('Allowed as this user');
    fireEvent.click(screen.getByRole('button', { name: /^Send/ }));
    await screen.findByRole('button', { name: 'Copy response' });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy response' }));
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy request ID' }));
    });
    expect(copied).toEqual([JSON.stringify({ userId: 'm-tom' }, null, 2), 'req_c1']);
  });
});
