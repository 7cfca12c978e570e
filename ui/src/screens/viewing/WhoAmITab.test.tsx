import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserProfileDto } from '../../ipc';
import { installFakeBackend, removeFakeBackend } from '../../ipc/testBackend';
import { TestQueries } from '../../lib/queries';
import { warehouseUse, attributeSource } from '../../lib/attributes';
import { member, session } from '../../test/fixtures';
import { WhoAmITab } from './WhoAmITab';

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

const PROFILE: UserProfileDto = {
  member: member({ memberId: 'm-tom', email: 'tom.lee@acme.example', name: 'Tom Lee' }),
  teams: { value: [{ teamId: 't-fin', name: 'Finance', description: null, visibility: null, isArchived: false }], error: null },
  attributes: {
    value: [
      { userAttributeId: 'ua-role', name: 'Snowflake role', value: 'FINANCE_READER', source: 'team:Finance' },
      { userAttributeId: 'ua-wh', name: 'Snowflake warehouse', value: 'ANALYTICS_WH', source: 'user' },
      { userAttributeId: 'ua-region', name: 'Region', value: 'EMEA', source: 'default' },
    ],
    error: null,
  },
};

function backend(profile: UserProfileDto) {
  const calls: string[] = [];
  installFakeBackend((cmd, args) => {
    calls.push(`${cmd}${args.memberId ? `:${String(args.memberId)}` : ''}`);
    if (cmd === 'session_whoami') return { userId: 'm-tom', organizationId: 'org-1', accountType: 'creator', extra: {} };
    if (cmd === 'get_user') return profile;
    throw { code: 'internal', message: `unexpected ${cmd}`, requestId: null, rule: null };
  });
  return calls;
}

function renderTab(subjectId: string | null) {
  return render(
    <TestQueries scope={{ connection: 'Sandbox org', sessionId: 'sess_1' }}>
      <WhoAmITab session={session({ id: 'sess_1', subjectId })} />
    </TestQueries>,
  );
}

describe('WhoAmITab', () => {
  it('shows their teams and user attributes with source, which apply to warehouse connections, and a profile link', async () => {
    const calls = backend(PROFILE);
    renderTab('m-tom');
    const attrs = await screen.findByRole('table', { name: 'Their user attributes' });
    const rows = within(attrs).getAllByRole('row').map((r) => r.textContent);
    expect(rows).toEqual([
      'AttributeValueSourceOn warehouse connections',
      'Snowflake roleFINANCE_READERTeam: FinanceApplied as the role',
      'Snowflake warehouseANALYTICS_WHSet on the userApplied as the warehouse',
      'RegionEMEADefault—',
    ]);
    const teams = screen.getByRole('region', { name: /Their teams/ });
    expect(within(teams).getByRole('link', { name: 'Finance' }).getAttribute('href')).toBe('#/teams/t-fin');
    expect(screen.getByRole('link', { name: 'Open their profile' }).getAttribute('href')).toBe('#/users/m-tom');
    expect(calls).toContain('get_user:m-tom');
    expect(await screen.findByRole('button', { name: 'Copy user ID' })).toBeTruthy();
  });

  it('a section that failed shows its own error; the rest still shows', async () => {
    backend({ ...PROFILE, teams: { value: null, error: { code: 'not_found', message: 'Sigma answered 404', requestId: 'req_t', rule: null } } });
    renderTab('m-tom');
    expect(await screen.findByText('Could not load their teams')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Their user attributes' })).toBeTruthy();
  });

  it('on a tenant connection (no member ID) says why there is no profile, and asks for none', async () => {
    const calls = backend(PROFILE);
    renderTab(null);
    expect(await screen.findByText(/cannot read the tenant org’s members/)).toBeTruthy();
    await screen.findByText('m-tom');
    expect(calls.some((c) => c.startsWith('get_user'))).toBe(false);
  });
});

describe('attributes', () => {
  it('recognise role and warehouse by name, any case; name the source', () => {
    expect(warehouseUse({ name: 'SNOWFLAKE_ROLE' })).toBe('role');
    expect(warehouseUse({ name: 'db role' })).toBe('role');
    expect(warehouseUse({ name: 'Warehouse' })).toBe('warehouse');
    expect(warehouseUse({ name: 'Region' })).toBeNull();
    expect(attributeSource('team:Sales EMEA')).toBe('Team: Sales EMEA');
    expect(attributeSource('user')).toBe('Set on the user');
    expect(attributeSource('default')).toBe('Default');
  });
});
