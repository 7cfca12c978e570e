import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeBackend, removeFakeBackend } from '../../ipc/testBackend';
import type { ComparisonDto, FileDto, PermissionDifferenceDto } from '../../ipc';
import { TestQueries } from '../../lib/queries';
import { NoticesProvider } from '../../state/notices';
import { SessionProvider } from '../../state/session';
import { session } from '../../test/fixtures';
import { CompareTab, differencesById } from './CompareTab';

afterEach(() => {
  // Unmount first: the session provider stops listening to events through the fake backend.
  cleanup();
  removeFakeBackend();
});

function file(n: number): FileDto {
  return {
    id: `f-${n}`,
    name: `Workbook ${n}`,
    fileType: 'workbook',
    permission: 'view',
    path: `Workspaces/Sales/Workbook ${n}`,
    parentId: null,
    ownerId: null,
    badge: null,
    description: null,
    isArchived: false,
    updatedAt: null,
  };
}

function diff(n: number, admin: string, user: string): PermissionDifferenceDto {
  return { file: file(n), adminPermission: admin, userPermission: user };
}

describe('Compare join', () => {
  it('indexes each difference by its file ID', () => {
    const rows = [diff(1, 'edit', 'view'), diff(2, 'organize', 'explore')];
    const byId = differencesById(rows);
    expect(byId.size).toBe(2);
    expect(byId.get('f-2')).toBe(rows[1]);
    expect(byId.get('f-1')?.userPermission).toBe('view');
    expect(byId.get('f-3')).toBeUndefined();
    expect(differencesById([]).size).toBe(0);
  });

  it('joins 50,000 rows in linear time (a find per row would take billions of steps)', () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => diff(i, 'edit', 'view'));
    const t0 = performance.now();
    const byId = differencesById(rows);
    let found = 0;
    for (const r of rows) if (byId.get(r.file.id) === r) found++;
    expect(found).toBe(50_000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('shows each file with its own pair of access levels, rendering only the rows in view', async () => {
    const different = Array.from({ length: 2000 }, (_, i) => diff(i, i % 2 ? 'edit' : 'organize', i % 2 ? 'view' : 'explore'));
    const answer: ComparisonDto = { onlyAdmin: [file(90001)], onlyUser: [], different, same: 7 };
    installFakeBackend((cmd) => {
      if (cmd === 'current_session') return session();
      if (cmd === 'session_compare') return answer;
      return null;
    });
    render(
      <NoticesProvider>
        <SessionProvider>
          <TestQueries scope={{ sessionId: 'sess_1' }}>
            <CompareTab />
          </TestQueries>
        </SessionProvider>
      </NoticesProvider>,
    );
    const table = await screen.findByRole('table', { name: 'Different access' });
    const rows = within(table).getAllByRole('row').filter((r) => r.hasAttribute('data-index'));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(table.getAttribute('aria-rowcount')).toBe('2001');
    // Row 1 is Workbook 1: edit for the admin, view for the user (not row 0's organize → explore).
    const row1 = rows.find((r) => r.getAttribute('data-index') === '1');
    expect(row1?.textContent).toContain('Workbook 1');
    expect(row1?.textContent).toMatch(/edit/i);
    expect(row1?.textContent).toMatch(/view/i);
    expect(row1?.textContent).not.toMatch(/organize/i);
    expect(screen.getByText('7 with the same access')).toBeTruthy();
  });
});

describe('Why? in Compare', () => {
  it('opens the explanation of that document for the impersonated user, on the rows you can open', async () => {
    const asked: Record<string, unknown>[] = [];
    const answer: ComparisonDto = { onlyAdmin: [file(1)], onlyUser: [file(2)], different: [diff(3, 'edit', 'view')], same: 0 };
    installFakeBackend((cmd, args) => {
      if (cmd === 'current_session') return session();
      if (cmd === 'session_compare') return answer;
      if (cmd === 'explain_access') {
        asked.push(args);
        return {
          member: { id: 'm-tom', email: 'tom.lee@acme.example', name: 'Tom Lee' },
          document: { id: String(args.documentId), name: 'Workbook 3', docType: 'workbook', path: 'Workspaces/Sales', adminPermission: 'edit' },
          access: 'view',
          paths: [{ kind: 'inheritedTeamGrant', permission: 'view', viaTeam: { id: 't', name: 'Sales' }, onInode: { id: 'ws', name: 'Sales', inodeType: 'workspace' }, grantId: 'g' }],
          wouldGrant: [],
          ancestorsComplete: true,
        };
      }
      return null;
    });
    render(
      <NoticesProvider>
        <SessionProvider>
          <TestQueries scope={{ sessionId: 'sess_1' }}>
            <CompareTab />
          </TestQueries>
        </SessionProvider>
      </NoticesProvider>,
    );
    await screen.findByRole('table', { name: 'Different access' });
    // Only-you and different rows have Why?; a row only the user sees cannot be read with your token.
    await screen.findByRole('button', { name: 'Why? Workbook 1' });
    expect(screen.queryByRole('button', { name: 'Why? Workbook 2' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Why? Workbook 3' }));
    const dialog = await screen.findByRole('dialog', { name: 'Why? Workbook 3' });
    await within(dialog).findByText('team Sales has view on workspace Sales (inherited)');
    expect(asked).toEqual([{ memberId: 'm-tom', documentId: 'f-3' }]);
  });

  it('has no Why? for a tenant session (its grants live in another org)', async () => {
    const answer: ComparisonDto = { onlyAdmin: [file(1)], onlyUser: [], different: [], same: 0 };
    installFakeBackend((cmd) => {
      if (cmd === 'current_session') return session({ tenant: 'org-globex' });
      if (cmd === 'session_compare') return answer;
      return null;
    });
    render(
      <NoticesProvider>
        <SessionProvider>
          <TestQueries scope={{ sessionId: 'sess_1' }}>
            <CompareTab />
          </TestQueries>
        </SessionProvider>
      </NoticesProvider>,
    );
    await screen.findByRole('table', { name: 'Only you' });
    await waitFor(() => expect(screen.getByText('Workbook 1')).toBeTruthy());
    expect(screen.queryByRole('button', { name: /^Why\?/ })).toBeNull();
  });
});
