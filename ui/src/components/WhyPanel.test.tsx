import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import type { ExplanationDto } from '../ipc';
import { headline, inodeLabel, pathText, suggestionText, suggestionsHeading } from '../lib/explain';
import { TestQueries } from '../lib/queries';
import { WhyPanel } from './WhyPanel';

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

const finance = { id: 'ws-1', name: 'Finance', inodeType: 'workspace' };
const reports = { id: 'f-1', name: 'Reports', inodeType: 'folder' };

function explanation(overrides: Partial<ExplanationDto> = {}): ExplanationDto {
  return {
    member: { id: 'm-tom', email: 'tom.lee@acme.example', name: 'Tom Lee' },
    document: { id: 'd-1', name: 'Q3 Revenue', docType: 'workbook', path: 'Finance/Reports', adminPermission: 'edit' },
    access: 'explore',
    paths: [
      { kind: 'userGrant', permission: 'explore', viaTeam: null, onInode: null, grantId: 'g-1' },
      { kind: 'inheritedTeamGrant', permission: 'view', viaTeam: { id: 't-s', name: 'Sales' }, onInode: reports, grantId: 'g-2' },
    ],
    wouldGrant: [],
    ancestorsComplete: true,
    ...overrides,
  };
}

const none = explanation({
  access: null,
  paths: [],
  wouldGrant: [
    { kind: 'joinTeam', permission: 'organize', team: { id: 't-o', name: 'Ops' }, onInode: finance, grantees: [] },
    { kind: 'grantOnFolder', permission: 'explore', team: null, onInode: reports, grantees: ['team Sales (view)', 'Ann Bell (explore)'] },
    { kind: 'archivedTeam', permission: 'edit', team: { id: 't-b', name: 'Old BI' }, onInode: reports, grantees: [] },
  ],
});

describe('explanations in words', () => {
  it('names every route, with the team and the folder it comes through', () => {
    const e = explanation();
    expect(headline(e)).toBe('Tom Lee can explore “Q3 Revenue” (workbook)');
    expect(e.paths.map(pathText)).toEqual(['it is shared with them: explore', 'team Sales has view on folder Reports (inherited)']);
    expect(pathText({ kind: 'owner', permission: 'edit', viaTeam: null, onInode: null, grantId: null })).toBe('they own it (edit)');
    expect(pathText({ kind: 'inheritedOwner', permission: 'edit', viaTeam: null, onInode: finance, grantId: null })).toBe(
      'they own workspace Finance above it (edit, inherited)',
    );
    expect(pathText({ kind: 'teamGrant', permission: 'view', viaTeam: { id: 't', name: 'Sales' }, onInode: null, grantId: 'g' })).toBe(
      'team Sales has view on it',
    );
    expect(pathText({ kind: 'inheritedUserGrant', permission: 'view', viaTeam: null, onInode: reports, grantId: 'g' })).toBe(
      'they have view on folder Reports (inherited)',
    );
  });

  it('says what would give access, and names folders it cannot read by their ID', () => {
    expect(headline(none)).toBe('Tom Lee cannot see “Q3 Revenue” (workbook)');
    expect(suggestionsHeading(none)).toBe('No access — these would give it:');
    expect(suggestionsHeading(explanation())).toBe('These would give more (you have edit):');
    expect(none.wouldGrant.map((s) => suggestionText(s, 'd-1'))).toEqual([
      'Add them to team Ops: it has organize on workspace Finance',
      'Share folder Reports with them (explore), as it is shared with team Sales (view), Ann Bell (explore)',
      'Their team Old BI has edit on folder Reports, but the team is archived, and archived teams give no access',
    ]);
    expect(inodeLabel({ id: 'x-9', name: null, inodeType: 'folder' })).toBe('folder x-9 (not visible to you)');
    expect(inodeLabel({ id: 'd-1', name: 'Q3 Revenue', inodeType: 'workbook' }, 'd-1')).toBe('this document');
  });

  it('shows a permission or a kind Sigma adds later instead of failing', () => {
    const odd = { kind: 'viaMagic' as never, permission: 'superview', viaTeam: null, onInode: null, grantId: null };
    expect(pathText(odd)).toBe('superview through viaMagic');
  });
});

describe('WhyPanel', () => {
  it('asks with the member and the document, and lists the routes strongest first', async () => {
    const calls: Record<string, unknown>[] = [];
    installFakeBackend((cmd, args) => {
      if (cmd === 'explain_access') {
        calls.push(args);
        return explanation();
      }
      return null;
    });
    render(
      <TestQueries scope={{ connection: 'Sandbox org' }}>
        <WhyPanel memberId="m-tom" documentId=" d-1 " />
      </TestQueries>,
    );
    const list = await screen.findByRole('list', { name: 'Why they have access' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'it is shared with them: explore',
      'team Sales has view on folder Reports (inherited)',
    ]);
    expect(screen.getByRole('heading', { name: /Tom Lee can explore “Q3 Revenue”/ })).toBeTruthy();
    expect(calls).toEqual([{ memberId: 'm-tom', documentId: 'd-1' }]);
    expect(screen.queryByRole('button', { name: 'Close' })).toBeNull();
  });

  it('says there is no access and what would give it', async () => {
    installFakeBackend((cmd) => (cmd === 'explain_access' ? none : null));
    render(
      <TestQueries scope={{ connection: 'Sandbox org' }}>
        <WhyPanel memberId="m-tom" documentId="d-1" />
      </TestQueries>,
    );
    const list = await screen.findByRole('list', { name: 'What would give access' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    expect(screen.getByText('No access — these would give it:')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Why they have access' })).toBeNull();
  });

  it('shows the error with its request ID, and Retry asks again', async () => {
    let n = 0;
    installFakeBackend((cmd) => {
      if (cmd !== 'explain_access') return null;
      n++;
      if (n === 1) throw { code: 'not_found', message: 'File d-1 not found', requestId: 'req_42', rule: null };
      return explanation();
    });
    render(
      <TestQueries scope={{ connection: 'Sandbox org' }}>
        <WhyPanel memberId="m-tom" documentId="d-1" />
      </TestQueries>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not explain this access');
    expect(alert.textContent).toContain('req_42');
    fireEvent.click(within(alert).getByRole('button', { name: /retry/i }));
    await screen.findByRole('list', { name: 'Why they have access' });
    expect(n).toBe(2);
  });

  it('offers Close when the host wants one', async () => {
    let closed = 0;
    installFakeBackend((cmd) => (cmd === 'explain_access' ? explanation({ ancestorsComplete: false }) : null));
    render(
      <TestQueries scope={{ connection: 'Sandbox org' }}>
        <WhyPanel memberId="m-tom" documentId="d-1" onClose={() => closed++} />
      </TestQueries>,
    );
    await screen.findByText(/Some folders above it are not visible to you/);
    fireEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(closed).toBe(1));
  });
});
