import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installFakeBackend, removeFakeBackend } from '../ipc/testBackend';
import { member } from '../test/fixtures';
import {
  applyScopeChange,
  BOOT_USERS_MAX_AGE_MS,
  createQueryClient,
  findCachedMember,
  prefetchUsersAtBoot,
  queryKeys,
  TestQueries,
  useUsersQuery,
  useWhoamiQuery,
} from './queries';

afterEach(() => removeFakeBackend());

function Users() {
  const users = useUsersQuery(false);
  return <p>{users.loading ? 'loading' : users.error ? `error ${users.error.code}` : `${users.data?.length ?? 0} users`}</p>;
}

function Who() {
  const who = useWhoamiQuery();
  return <p>{who.loading ? 'no session' : 'who loaded'}</p>;
}

describe('query cache', () => {
  it('serves a remount from the cache without a second call', async () => {
    const calls: string[] = [];
    installFakeBackend((cmd) => {
      calls.push(cmd);
      return [member()];
    });
    const client = createQueryClient();
    const first = render(
      <TestQueries client={client}>
        <Users />
      </TestQueries>,
    );
    await screen.findByText('1 users');
    first.unmount();
    render(
      <TestQueries client={client}>
        <Users />
      </TestQueries>,
    );
    expect(screen.getByText('1 users')).toBeTruthy();
    expect(calls.filter((c) => c === 'list_users')).toHaveLength(1);
  });

  it('the first users query takes the list asked for at boot (one call in all), and only that query', async () => {
    const calls: string[] = [];
    installFakeBackend((cmd, args) => {
      calls.push(`${cmd} ${JSON.stringify(args)}`);
      return [member()];
    });
    prefetchUsersAtBoot();
    expect(calls).toEqual(['list_users {"query":{"search":null,"includeArchived":false}}']);
    render(
      <TestQueries>
        <Users />
      </TestQueries>,
    );
    await screen.findByText('1 users');
    expect(calls).toHaveLength(1);
    // Taken once: a later query (another connection's cache, say) asks Rust again.
    render(
      <TestQueries>
        <Users />
      </TestQueries>,
    );
    await waitFor(() => expect(calls).toHaveLength(2));
  });

  it('a boot-time list not taken within BOOT_USERS_MAX_AGE_MS is dropped: the first visit asks again', async () => {
    const calls: string[] = [];
    installFakeBackend((cmd) => {
      calls.push(cmd);
      return [member()];
    });
    const t0 = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(t0);
    prefetchUsersAtBoot();
    clock.mockReturnValue(t0 + BOOT_USERS_MAX_AGE_MS + 1);
    render(
      <TestQueries>
        <Users />
      </TestQueries>,
    );
    await screen.findByText('1 users');
    expect(calls).toEqual(['list_users', 'list_users']);
  });

  it('an error of the boot-time list is shown by the first query', async () => {
    installFakeBackend(() => {
      throw { code: 'network', message: 'down', requestId: null, status: null, details: null };
    });
    prefetchUsersAtBoot();
    render(
      <TestQueries>
        <Users />
      </TestQueries>,
    );
    await screen.findByText('error network');
  });

  it('shows an error as an ErrorDto', async () => {
    installFakeBackend(() => {
      throw { code: 'sigma_error', message: 'nope', requestId: 'r1', status: 500, details: null };
    });
    render(
      <TestQueries>
        <Users />
      </TestQueries>,
    );
    await screen.findByText('error sigma_error');
  });

  it('does not read as the user without a session', async () => {
    const calls: string[] = [];
    installFakeBackend((cmd) => {
      calls.push(cmd);
      return {};
    });
    render(
      <TestQueries>
        <Who />
      </TestQueries>,
    );
    expect(screen.getByText('no session')).toBeTruthy();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual([]);
  });

  it('drops what was read as the user when the session ends, and the old connection on a switch', async () => {
    installFakeBackend(() => ({}));
    const client = createQueryClient();
    client.setQueryData(queryKeys.whoami('s1'), { any: 1 });
    client.setQueryData(queryKeys.whoami('s2'), { any: 2 });
    client.setQueryData(queryKeys.users('Prod', false), [member()]);
    client.setQueryData(queryKeys.users('Staging', false), [member()]);

    applyScopeChange(client, { connection: 'Prod', sessionId: 's1' }, { connection: 'Prod', sessionId: null });
    expect(client.getQueryData(queryKeys.whoami('s1'))).toBeUndefined();
    expect(client.getQueryData(queryKeys.whoami('s2'))).toBeDefined();
    expect(client.getQueryData(queryKeys.users('Prod', false))).toBeDefined();

    applyScopeChange(client, { connection: 'Prod', sessionId: null }, { connection: 'Staging', sessionId: null });
    expect(client.getQueryData(queryKeys.users('Prod', false))).toBeUndefined();
    expect(client.getQueryData(queryKeys.users('Staging', false))).toBeDefined();
  });

  it('clears the session cache when the app scope changes', async () => {
    installFakeBackend(() => ({ ok: true }));
    const client = createQueryClient();
    const view = render(
      <TestQueries client={client} scope={{ sessionId: 's1' }}>
        <Who />
      </TestQueries>,
    );
    await screen.findByText('who loaded');
    expect(client.getQueryData(queryKeys.whoami('s1'))).toBeDefined();
    view.rerender(
      <TestQueries client={client} scope={{ sessionId: null }}>
        <Who />
      </TestQueries>,
    );
    await waitFor(() => expect(client.getQueryData(queryKeys.whoami('s1'))).toBeUndefined());
  });

  it('finds a member record in a cached users list or team roster', () => {
    const client = createQueryClient();
    const tom = member();
    const ann = member({ firstName: 'Ann', lastName: 'Ray' });
    client.setQueryData(queryKeys.users('Prod', true), [tom]);
    client.setQueryData(queryKeys.teamMembers('Prod', 't1'), [
      { userId: ann.memberId, isTeamAdmin: false, member: ann, impersonation: { allowed: true, reason: null } },
    ]);
    expect(findCachedMember(client, 'Prod', tom.memberId)).toBe(tom);
    expect(findCachedMember(client, 'Prod', ann.memberId)).toBe(ann);
    expect(findCachedMember(client, 'Other', tom.memberId)).toBeUndefined();
  });
});
