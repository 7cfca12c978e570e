import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TestQueries } from '../lib/queries';
import { AuditScreen } from './AuditScreen';
import { installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import type { AuditEntryDto } from '../ipc';

afterEach(() => {
  cleanup();
  removeFakeBackend();
  window.location.hash = '';
});

function entry(over: Partial<AuditEntryDto>): AuditEntryDto {
  return {
    time: '2026-01-01T10:00:00Z',
    event: 'impersonation.start',
    profile: 'Sandbox org',
    actor: 'admin@acme.example',
    subject: 'tom.lee@acme.example',
    tenant: null,
    reason: 'SUP-7',
    sessionId: 's1',
    readOnly: true,
    method: null,
    path: null,
    status: null,
    detail: null,
    requestId: null,
    phase: null,
    reviewId: null,
    ...over,
  };
}

const ENTRIES = [
  entry({}),
  entry({ event: 'impersonation.request', phase: 'outcome', method: 'GET', path: '/v2/whoami', status: 200, requestId: 'req_abc123' }),
  entry({ event: 'impersonation.start', subject: 'sofia.martinez@acme.example', reason: 'SUP-9', sessionId: 's2' }),
];

type Call = { command: string; args: Record<string, unknown> };

function backend(over: (c: Call) => unknown = () => undefined): Call[] {
  const calls: Call[] = [];
  installFakeBackend((command, args) => {
    const call = { command, args };
    calls.push(call);
    const answer = over(call);
    if (answer !== undefined) return answer;
    switch (command) {
      case 'audit_entries':
        return ENTRIES;
      case 'export_audit':
        return { path: `/home/you/Downloads/stand-in-audit-1.${String(args.format)}`, count: 1 };
      case 'reveal_export':
        return null;
      case 'plugin:clipboard-manager|write_text':
        return null;
      case 'list_users':
        return [
          { memberId: 'm-tom', email: 'Tom.Lee@acme.example' },
          { memberId: 'm-tommy', email: 'tom.lee@acme.example.org' },
        ];
      default:
        throw { code: 'internal', message: `unexpected ${command}`, requestId: null, rule: null };
    }
  });
  return calls;
}

describe('Audit export', () => {
  it('exports what the filter shows: the text and event go to Rust', async () => {
    const calls = backend();
    render(<AuditScreen />, { wrapper: TestQueries });
    await screen.findByText('SUP-9');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter audit log' }), { target: { value: 'sofia' } });
    fireEvent.change(screen.getByLabelText('Event'), { target: { value: 'impersonation.start' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await screen.findByText(/Exported 1 entry/);
    const exp = calls.find((c) => c.command === 'export_audit');
    expect(exp?.args).toEqual({ format: 'csv', filter: { text: 'sofia', event: 'impersonation.start' } });
  }, 30_000);

  it('with no filter, exports every entry (event null, text empty)', async () => {
    const calls = backend();
    render(<AuditScreen />, { wrapper: TestQueries });
    await screen.findByText('SUP-9');
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    await screen.findByText(/Exported 1 entry/);
    expect(calls.find((c) => c.command === 'export_audit')?.args).toEqual({ format: 'json', filter: { text: '', event: null } });
  });

  it('Retry after a failed JSON export repeats that JSON export with its filter', async () => {
    let fail = true;
    const calls = backend((c) => {
      if (c.command === 'export_audit' && fail) {
        fail = false;
        throw { code: 'storage', message: 'could not write /home/you/Downloads: disk full', requestId: null, rule: null };
      }
      return undefined;
    });
    render(<AuditScreen />, { wrapper: TestQueries });
    await screen.findByText('SUP-9');
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter audit log' }), { target: { value: 'SUP-7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Export JSON' }));
    expect(await screen.findByText('JSON export failed')).toBeTruthy();
    // The filter changes after the failure: Retry still repeats the export that failed.
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter audit log' }), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await screen.findByText(/Exported 1 entry/);
    const exports = calls.filter((c) => c.command === 'export_audit').map((c) => c.args);
    expect(exports).toEqual([
      { format: 'json', filter: { text: 'SUP-7', event: null } },
      { format: 'json', filter: { text: 'SUP-7', event: null } },
    ]);
    expect(screen.queryByText('JSON export failed')).toBeNull();
  });

  it('Show in folder reveals the file just written; Copy puts its path on the clipboard', async () => {
    const calls = backend();
    render(<AuditScreen />, { wrapper: TestQueries });
    await screen.findByText('SUP-9');
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await screen.findByText(/Exported 1 entry/);
    fireEvent.click(screen.getByRole('button', { name: 'Show in folder' }));
    await waitFor(() => expect(calls.some((c) => c.command === 'reveal_export')).toBe(true));
    expect(calls.find((c) => c.command === 'reveal_export')?.args).toEqual({ path: '/home/you/Downloads/stand-in-audit-1.csv' });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy export path' }));
    });
    expect(calls.filter((c) => c.command === 'plugin:clipboard-manager|write_text').map((c) => c.args.text)).toEqual([
      '/home/you/Downloads/stand-in-audit-1.csv',
    ]);
  });

  it('says when the folder cannot be shown', async () => {
    backend((c) =>
      c.command === 'reveal_export'
        ? (() => {
            throw { code: 'storage', message: 'the file manager could not be opened', requestId: null, rule: null };
          })()
        : undefined,
    );
    render(<AuditScreen />, { wrapper: TestQueries });
    await screen.findByText('SUP-9');
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await screen.findByText(/Exported 1 entry/);
    fireEvent.click(screen.getByRole('button', { name: 'Show in folder' }));
    expect(await screen.findByText('Could not show the export in its folder')).toBeTruthy();
  });
});

describe('Audit rows', () => {
  it('copy a request ID, and open the subject’s profile by email (exact match, any case)', async () => {
    const calls = backend();
    render(<AuditScreen />, { wrapper: TestQueries });
    await screen.findByText('SUP-9');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy request ID req_abc123' }));
    });
    expect(calls.filter((c) => c.command === 'plugin:clipboard-manager|write_text').map((c) => c.args.text)).toEqual(['req_abc123']);

    fireEvent.click(screen.getAllByRole('link', { name: 'tom.lee@acme.example' })[0]!);
    await waitFor(() => expect(window.location.hash).toBe('#/users/m-tom'));
    expect(calls.find((c) => c.command === 'list_users')?.args).toEqual({ query: { search: 'tom.lee@acme.example', includeArchived: true } });
  });

  it('says when the subject is not a user of this connection', async () => {
    backend((c) => (c.command === 'list_users' ? [] : undefined));
    render(<AuditScreen />, { wrapper: TestQueries });
    await screen.findByText('SUP-9');
    fireEvent.click(screen.getByRole('link', { name: 'sofia.martinez@acme.example' }));
    expect(await screen.findByText(/Not a user of this connection/)).toBeTruthy();
    expect(window.location.hash).toBe('');
  });
});
