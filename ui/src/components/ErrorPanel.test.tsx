import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorPanel } from './ErrorPanel';
import { APP_VERSION, diagnosticsText, redact } from '../lib/diagnostics';
import * as ipc from '../ipc';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ErrorPanel', () => {
  it('shows message, code, rule and Sigma request ID, and retries', () => {
    const retry = vi.fn();
    render(
      <ErrorPanel
        title="Could not load users"
        error={{ code: 'sigma_error', message: 'Sigma had a server error (503)', requestId: 'req_51c0a2', rule: null }}
        onRetry={retry}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Could not load users');
    expect(alert.textContent).toContain('Sigma had a server error (503).');
    expect(alert.textContent).toContain('Codesigma_error');
    expect(alert.textContent).toContain('Request IDreq_51c0a2');
    expect(alert.textContent).not.toContain('Rule');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retry).toHaveBeenCalledOnce();
  });

  it('shows the rule of a refusal and no request ID or Retry when there are none', () => {
    render(<ErrorPanel error={{ code: 'refused', message: 'read only', requestId: null, rule: 'read_only' }} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Ruleread_only');
    expect(alert.textContent).not.toContain('Request ID');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Copy request ID' })).toBeNull();
    // Diagnostics can always be copied.
    expect(screen.getByRole('button', { name: 'Copy diagnostics' })).toBeTruthy();
  });

  it('copies the request ID and the diagnostics through Rust, and says so', async () => {
    const copy = vi.spyOn(ipc, 'copyText').mockResolvedValue(null);
    render(
      <ErrorPanel
        title="Export failed"
        error={{ code: 'storage', message: 'could not write /tmp/x', requestId: 'req_9f', rule: null }}
      />,
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy request ID' }));
    });
    expect(copy).toHaveBeenLastCalledWith('req_9f');
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Copied');

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy diagnostics' }));
    });
    const text = copy.mock.calls.at(-1)?.[0] ?? '';
    expect(text).toContain('What failed: Export failed');
    expect(text).toContain('Code: storage');
    expect(text).toContain('Message: could not write /tmp/x');
    expect(text).toContain('Request ID: req_9f');
    expect(text).toContain('Connection: unknown');
    expect(text).toMatch(/Time: \d{4}-\d\d-\d\dT/);
    expect(text).toContain(`App version: ${APP_VERSION}`);
  });

  it('says when nothing could be copied, and how to copy by hand', async () => {
    vi.spyOn(ipc, 'copyText').mockRejectedValue({ code: 'internal', message: 'no clipboard', requestId: null, rule: null });
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: vi.fn().mockRejectedValue(new Error('denied')) },
    });
    render(<ErrorPanel error={{ code: 'network', message: 'offline', requestId: 'req_1', rule: null }} />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy request ID' }));
    });
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Copy failed — select and press Ctrl+C');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });
  });
});

describe('diagnosticsText', () => {
  it('holds the named fields only: never a secret or token, whatever the error carries', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0b20ifQ.c2lnbmF0dXJl';
    // An error object that (wrongly) carries more than an ErrorDto: none of it may be copied.
    const error = {
      code: 'sigma_error',
      message: `Sigma said 401 for Bearer ${jwt} with client_secret=hunter2&x=1 and token ${jwt}`,
      requestId: 'req_7',
      rule: null,
      secret: 'sk-live-very-secret',
      accessToken: 'at-123456',
    } as ipc.ErrorDto;
    const text = diagnosticsText({ title: 'Could not load users', error, connection: 'Acme prod', at: new Date('2026-01-02T03:04:05Z') });
    expect(text).toBe(
      [
        'Stand-in diagnostics',
        'What failed: Could not load users',
        'Code: sigma_error',
        'Message: Sigma said 401 for [removed] with [removed]&x=1 and token [removed]',
        'Request ID: req_7',
        'Connection: Acme prod',
        'Time: 2026-01-02T03:04:05.000Z',
        `App version: ${APP_VERSION}`,
      ].join('\n'),
    );
    for (const leaked of [jwt, 'hunter2', 'sk-live-very-secret', 'at-123456']) expect(text).not.toContain(leaked);
  });

  it('redacts bearer, basic and query-string credentials', () => {
    expect(redact('Authorization: Basic dXNlcjpwYXNz')).toBe('Authorization: [removed]');
    expect(redact('https://x/?password=p4ss&access_token=abc')).toBe('https://x/?[removed]&[removed]');
    expect(redact('plain text stays')).toBe('plain text stays');
  });
});
