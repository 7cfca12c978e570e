import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState, ErrorDto, UserProfileDto } from '../ipc';
import { installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import { TipProvider } from '../components/Tip';
import { TestQueries } from '../lib/queries';
import { ConnectionProvider } from '../state/connection';
import { NoticesProvider } from '../state/notices';
import { SessionProvider } from '../state/session';
import { member } from '../test/fixtures';
import { UserProfileScreen } from './UserProfileScreen';

const notFound: ErrorDto = { code: 'not_found', message: 'Sigma could not find /v2/teams/t1/user-attributes (404)', requestId: 'req_404a', rule: null };

function connection(verified: boolean): ConnectionState {
  return {
    connection: {
      name: 'Acme production',
      kind: 'org',
      baseUrl: 'https://aws-api.sigmacomputing.com',
      region: 'AWS US West',
      clientId: 'a1f3c9e2d4b7',
      tenant: null,
      hasSecret: true,
      secretStatus: 'stored',
      caFile: null,
    },
    actor: verified
      ? { userId: 'm-admin', organizationId: 'o', email: 'admin@acme.example', name: 'Ada Admin', accountType: 'Admin', canImpersonate: true }
      : null,
    actorError: verified
      ? null
      : { code: 'unauthorized', message: 'Sigma did not accept the credentials or token (401); check the client ID and secret', requestId: 'req_401', rule: null },
  };
}

/** `answers` are the successive get_user answers (the last one repeats). */
function fakeBackend(answers: UserProfileDto[], verified = true) {
  let calls = 0;
  installFakeBackend((cmd) => {
    if (cmd === 'current_session') return null;
    if (cmd === 'current_connection') return connection(verified);
    if (cmd === 'get_user') return answers[Math.min(calls++, answers.length - 1)];
    throw { code: 'internal', message: `unexpected ${cmd}`, requestId: null, rule: null };
  });
  return () => calls;
}

const tom = member();
const teams = { value: [{ teamId: 't1', name: 'Sales', description: null, visibility: null, isArchived: false }], error: null };
const attributes = { value: [{ userAttributeId: 'ua1', name: 'SNOWFLAKE_ROLE', value: 'SALES_READER', source: 'team:Sales' }], error: null };

function renderProfile() {
  return render(
    <NoticesProvider>
      <ConnectionProvider>
        <SessionProvider>
          <TestQueries>
            <TipProvider>
              <UserProfileScreen memberId={tom.memberId} />
            </TipProvider>
          </TestQueries>
        </SessionProvider>
      </ConnectionProvider>
    </NoticesProvider>,
  );
}

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

// Several round trips each: generous timeouts so a loaded machine does not fail them.
const SLOW = 15_000;

describe('UserProfileScreen', () => {
  it('shows what loaded when the attributes failed: their own error, request ID and Retry; Impersonate stays', async () => {
    const count = fakeBackend([
      { member: tom, teams, attributes: { value: null, error: notFound } },
      { member: tom, teams, attributes },
    ]);
    renderProfile();
    await screen.findByRole('heading', { level: 1, name: /Tom Lee/ });
    const attrs = screen.getByRole('region', { name: /User attributes/ });
    const alert = within(attrs).getByRole('alert');
    expect(alert.textContent).toContain("Could not load this user's attributes");
    expect(alert.textContent).toContain('req_404a');
    // The rest loaded: teams and the action.
    expect(within(screen.getByRole('region', { name: /Teams/ })).getByRole('link', { name: 'Sales' })).toBeTruthy();
    expect(screen.queryByText('Could not load this user')).toBeNull();
    const impersonate = screen.getByRole('button', { name: 'Impersonate user' });
    expect(impersonate.getAttribute('aria-disabled')).toBeNull();

    await userEvent.setup().click(within(attrs).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(within(screen.getByRole('region', { name: /User attributes/ })).getByText('SNOWFLAKE_ROLE')).toBeTruthy());
    expect(count()).toBe(2);
  }, SLOW);

  it('a failed teams section says so in its place (never "not a member of any team")', async () => {
    fakeBackend([{ member: tom, teams: { value: null, error: notFound }, attributes }]);
    renderProfile();
    const region = await screen.findByRole('region', { name: /Teams/ });
    await waitFor(() => expect(within(region).getByRole('alert').textContent).toContain("Could not load this user's teams"));
    expect(within(region).queryByText('Not a member of any team.')).toBeNull();
    expect(screen.getByText('SNOWFLAKE_ROLE')).toBeTruthy();
  }, SLOW);

  it('with credentials that could not be verified, Impersonate user is unavailable and says why in words', async () => {
    fakeBackend([{ member: tom, teams, attributes }], false);
    renderProfile();
    await screen.findByRole('heading', { level: 1, name: /Tom Lee/ });
    const button = await screen.findByRole('button', { name: 'Impersonate user' });
    await waitFor(() => expect(button.getAttribute('aria-disabled')).toBe('true'));
    const reason = document.getElementById(button.getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toMatch(/could not verify your connection's credentials/);
    expect(reason?.textContent).toContain('Sigma did not accept the credentials');
    await userEvent.setup().click(button);
    expect(screen.queryByRole('dialog')).toBeNull();
  }, SLOW);
});

describe("UserProfileScreen: Why can't they see it?", () => {
  it('explains a document ID for this user, without a session', async () => {
    const asked: Record<string, unknown>[] = [];
    installFakeBackend((cmd, args) => {
      if (cmd === 'current_session') return null;
      if (cmd === 'current_connection') return connection(true);
      if (cmd === 'get_user') return { member: tom, teams, attributes };
      if (cmd === 'explain_access') {
        asked.push(args);
        return {
          member: { id: tom.memberId, email: tom.email, name: 'Tom Lee' },
          document: { id: 'd-9', name: 'Board Deck', docType: 'workbook', path: 'Executive', adminPermission: 'edit' },
          access: null,
          paths: [],
          wouldGrant: [{ kind: 'joinTeam', permission: 'view', team: { id: 't-x', name: 'Executive' }, onInode: { id: 'ws', name: 'Executive', inodeType: 'workspace' }, grantees: [] }],
          ancestorsComplete: true,
        };
      }
      throw { code: 'internal', message: `unexpected ${cmd}`, requestId: null, rule: null };
    });
    renderProfile();
    const section = await screen.findByRole('region', { name: 'Why can’t they see it?' });
    const input = within(section).getByRole('textbox', { name: 'Document ID' });
    const explain = within(section).getByRole('button', { name: 'Explain' });
    expect(explain.hasAttribute('disabled')).toBe(true);
    await userEvent.type(input, '  d-9 {Enter}');
    await within(section).findByText('Add them to team Executive: it has view on workspace Executive');
    expect(within(section).getByRole('heading', { name: 'Tom Lee cannot see “Board Deck” (workbook)' })).toBeTruthy();
    expect(asked).toEqual([{ memberId: tom.memberId, documentId: 'd-9' }]);
    await userEvent.click(within(section).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(within(section).queryByText(/cannot see/)).toBeNull());
  }, SLOW);
});
