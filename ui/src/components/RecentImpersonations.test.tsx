import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntryDto, ConnectionState, MemberDto, StartRequest } from '../ipc';
import { installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import { TestQueries } from '../lib/queries';
import { ConnectionProvider } from '../state/connection';
import { NoticesProvider } from '../state/notices';
import { SessionProvider } from '../state/session';
import { session as sessionFixture } from '../test/fixtures';
import { RecentImpersonations, recentImpersonations } from './RecentImpersonations';

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

function start(subject: string, reason: string, time: string, profile = 'Sandbox org'): AuditEntryDto {
  return {
    time,
    event: 'impersonation.start',
    profile,
    actor: 'admin@acme.example',
    subject,
    tenant: null,
    reason,
    sessionId: `s-${time}`,
    readOnly: true,
    method: null,
    path: null,
    status: null,
    detail: null,
    requestId: null,
    phase: null,
    reviewId: null,
  };
}

function stop(subject: string, time: string): AuditEntryDto {
  return { ...start(subject, 'x', time), event: 'impersonation.stop' };
}

describe('recentImpersonations', () => {
  it('newest first, one per user (their latest reason), starts on this connection only, at most 5', () => {
    const log = [
      start('tom.lee@acme.example', 'SUP-1', '2026-01-01T09:00:00Z'),
      stop('tom.lee@acme.example', '2026-01-01T09:05:00Z'),
      start('a@acme.example', 'A', '2026-01-01T10:00:00Z'),
      start('elsewhere@globex.example', 'G', '2026-01-01T10:30:00Z', 'Globex'),
      start('b@acme.example', 'B', '2026-01-01T11:00:00Z'),
      start('c@acme.example', 'C', '2026-01-01T12:00:00Z'),
      start('d@acme.example', 'D', '2026-01-01T13:00:00Z'),
      start('TOM.LEE@acme.example', 'SUP-2', '2026-01-01T14:00:00Z'),
      stop('TOM.LEE@acme.example', '2026-01-01T14:10:00Z'),
      // An access review's sessions are not listed.
      { ...start('reviewed@acme.example', 'SEC-1', '2026-01-01T15:00:00Z'), reviewId: 'rev-1' },
    ];
    expect(recentImpersonations(log, 'Sandbox org')).toEqual([
      { email: 'TOM.LEE@acme.example', reason: 'SUP-2', time: '2026-01-01T14:00:00Z' },
      { email: 'd@acme.example', reason: 'D', time: '2026-01-01T13:00:00Z' },
      { email: 'c@acme.example', reason: 'C', time: '2026-01-01T12:00:00Z' },
      { email: 'b@acme.example', reason: 'B', time: '2026-01-01T11:00:00Z' },
      { email: 'a@acme.example', reason: 'A', time: '2026-01-01T10:00:00Z' },
    ]);
    expect(recentImpersonations(log, 'Globex').map((r) => r.email)).toEqual(['elsewhere@globex.example']);
    expect(recentImpersonations([], 'Sandbox org')).toEqual([]);
  });
});

const CONNECTION: ConnectionState = {
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

function member(over: Partial<MemberDto>): MemberDto {
  return {
    memberId: 'm-tom',
    email: 'tom.lee@acme.example',
    firstName: 'Tom',
    lastName: 'Lee',
    name: 'Tom Lee',
    memberType: 'creator',
    userKind: null,
    isArchived: false,
    isInactive: false,
    homeFolderId: null,
    createdAt: null,
    updatedAt: null,
    impersonation: { allowed: true, reason: null },
    extra: {},
    ...over,
  };
}

function backend(audit: AuditEntryDto[]) {
  const starts: StartRequest[] = [];
  installFakeBackend((cmd, args) => {
    if (cmd === 'current_session') return null;
    if (cmd === 'current_connection') return CONNECTION;
    if (cmd === 'audit_entries') return audit;
    if (cmd === 'list_users')
      return [
        member({}),
        member({ memberId: 'm-ada', email: 'ada@acme.example', name: 'Ada Admin', memberType: 'admin', impersonation: { allowed: false, reason: 'Ada Admin is an Admin; admins cannot be impersonated' } }),
      ];
    if (cmd === 'start_impersonation') {
      const request = args.request as StartRequest;
      starts.push(request);
      return sessionFixture({ id: 'sess_9', subjectEmail: request.email, subjectName: 'Tom Lee', readOnly: request.readOnly });
    }
    throw { code: 'internal', message: `unexpected ${cmd}`, requestId: null, rule: null };
  });
  return starts;
}

function renderRecent() {
  return render(
    <TestQueries scope={{ connection: 'Sandbox org' }}>
      <NoticesProvider>
        <ConnectionProvider>
          <SessionProvider>
            <RecentImpersonations />
          </SessionProvider>
        </ConnectionProvider>
      </NoticesProvider>
    </TestQueries>,
  );
}

describe('RecentImpersonations', () => {
  it('Impersonate again opens the dialog with the last reason filled in, and starts with it', async () => {
    const starts = backend([
      start('tom.lee@acme.example', 'SUP-7 workbook missing', '2026-01-01T09:00:00Z'),
      start('ada@acme.example', 'SUP-8', '2026-01-01T10:00:00Z'),
      start('gone@acme.example', 'SUP-9', '2026-01-01T11:00:00Z'),
    ]);
    renderRecent();
    const section = await screen.findByRole('region', { name: 'Recent impersonations' });
    const items = await within(section).findAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringContaining('gone@acme.example'),
      expect.stringContaining('Ada Admin'),
      expect.stringContaining('Tom Lee'),
    ]);
    // Names link to profiles once the users list is in; who can no longer be impersonated says why.
    await waitFor(() => expect(within(section).getByRole('link', { name: 'Tom Lee' }).getAttribute('href')).toBe('#/users/m-tom'));
    const ada = within(section).getByRole('button', { name: 'Impersonate again: Ada Admin' });
    expect(ada.getAttribute('aria-disabled')).toBe('true');
    expect(items[1]!.textContent).toContain('admins cannot be impersonated');
    expect(within(section).getByRole('button', { name: 'Impersonate again: gone@acme.example' }).getAttribute('aria-disabled')).toBe('true');

    await userEvent.click(within(section).getByRole('button', { name: 'Impersonate again: Tom Lee' }));
    const reason = await screen.findByRole('textbox', { name: /Reason/ });
    expect((reason as HTMLInputElement).value).toBe('SUP-7 workbook missing');
    await userEvent.click(screen.getByRole('button', { name: /^Start/ }));
    await waitFor(() => expect(starts).toHaveLength(1));
    expect(starts[0]).toMatchObject({ email: 'tom.lee@acme.example', reason: 'SUP-7 workbook missing' });
  }, 30_000);

  it('shows nothing before the first session', async () => {
    backend([]);
    const { container } = renderRecent();
    await waitFor(() => expect(container.textContent).toBe(''));
    expect(screen.queryByRole('region', { name: 'Recent impersonations' })).toBeNull();
  });
});
