import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import type { AuditEntryDto } from '../ipc';
import { TestQueries } from '../lib/queries';
import { AuditScreen } from './AuditScreen';

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

function entry(n: number): AuditEntryDto {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    event: 'impersonation.request',
    profile: 'Sandbox org',
    actor: 'admin@acme.example',
    subject: 'tom.lee@acme.example',
    tenant: null,
    reason: `SUP-${n}`,
    sessionId: 's1',
    readOnly: true,
    method: 'GET',
    path: `/v2/files/${n}`,
    status: 200,
    detail: null,
    requestId: null,
    phase: null,
    reviewId: null,
  };
}

describe('Audit table', () => {
  it('renders only the entries in view of a 5,000-line log, newest first', async () => {
    const log = Array.from({ length: 5000 }, (_, i) => entry(i));
    installFakeBackend((cmd) => (cmd === 'audit_entries' ? log : null));
    render(<AuditScreen />, { wrapper: TestQueries });
    const table = await screen.findByRole('table', { name: 'Audit log' });
    expect(table.getAttribute('aria-rowcount')).toBe('5001');
    const rows = within(table)
      .getAllByRole('row')
      .filter((r) => r.hasAttribute('data-index'));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(rows[0]?.textContent).toContain('SUP-4999');
  });
});
