/**
 * Every read the screens make, through one TanStack Query cache. Going back to a list shows the cached rows at
 * once (and refreshes them in the background once they are stale), two screens asking for the same thing share
 * one call, and the cache is scoped so nothing outlives what it belongs to:
 *
 * - `['conn', connection, …]`: the directory as seen by one connection; removed when the connection changes.
 * - `['session', sessionId, …]`: reads made *as the impersonated user*; removed when that session ends, so no
 *   user's data stays in memory after their session.
 * - `['local', …]`: this machine's connections, regions and audit log.
 *
 * Screens use the hooks below, never `useQuery` directly, so the keys stay in this one module.
 */
import {
  QueryClient,
  QueryClientProvider,
  useQuery,
  useQueryClient,
  type QueryKey,
  type UseQueryResult,
} from '@tanstack/react-query';
import { createContext, createElement, useContext, useEffect, useRef, type ReactNode } from 'react';
import {
  auditEntries,
  explainAccess,
  getTeamMembers,
  getUser,
  listConnections,
  listRegions,
  listTeams,
  listUsers,
  sessionCompare,
  sessionFiles,
  sessionMyDocuments,
  sessionTokens,
  sessionWhoami,
  toErrorDto,
  type AuditEntryDto,
  type ComparisonDto,
  type ConnectionDto,
  type ErrorDto,
  type ExplanationDto,
  type FileDto,
  type MemberDto,
  type RegionDto,
  type TeamDto,
  type TeamMemberDto,
  type TokenInfoDto,
  type UserProfileDto,
  type WhoAmIDto,
} from '../ipc';
import { useConnection } from '../state/connection';
import { useSession } from '../state/session';

/** How long a directory read is fresh: back within a minute means no call at all; later, a background refresh. */
export const DIRECTORY_STALE_MS = 60_000;
/** Reads as the user: short, since the point is to see what they see now. */
export const SESSION_STALE_MS = 15_000;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: DIRECTORY_STALE_MS,
        // The Rust side already retries Sigma's transient failures (and says so with `sigma-retry`); a second
        // layer of retries here would only delay the error panel and its request ID.
        retry: false,
        // Queries are keyed by connection and session: a stale answer for a scope that has since changed is
        // removed, not refetched.
        refetchOnReconnect: false,
      },
    },
  });
}

/** What the cache is scoped by: the selected connection's name and the active session's ID. */
export interface QueryScopeValue {
  connection: string | null;
  sessionId: string | null;
}

const ScopeContext = createContext<QueryScopeValue>({ connection: null, sessionId: null });

export const queryKeys = {
  connectionRoot: (connection: string | null): QueryKey => ['conn', connection ?? ''],
  users: (connection: string | null, includeArchived: boolean): QueryKey => ['conn', connection ?? '', 'users', { includeArchived }],
  usersAll: (connection: string | null): QueryKey => ['conn', connection ?? '', 'users'],
  user: (connection: string | null, memberId: string): QueryKey => ['conn', connection ?? '', 'user', memberId],
  teams: (connection: string | null): QueryKey => ['conn', connection ?? '', 'teams'],
  teamMembers: (connection: string | null, teamId: string): QueryKey => ['conn', connection ?? '', 'team-members', teamId],
  teamMembersAll: (connection: string | null): QueryKey => ['conn', connection ?? '', 'team-members'],
  explain: (connection: string | null, memberId: string, documentId: string): QueryKey => ['conn', connection ?? '', 'explain', memberId, documentId],
  sessionRoot: (sessionId: string): QueryKey => ['session', sessionId],
  whoami: (sessionId: string): QueryKey => ['session', sessionId, 'whoami'],
  files: (sessionId: string, fileType: string | null): QueryKey => ['session', sessionId, 'files', fileType],
  myDocuments: (sessionId: string): QueryKey => ['session', sessionId, 'my-documents'],
  compare: (sessionId: string, fileType: string | null): QueryKey => ['session', sessionId, 'compare', fileType],
  tokens: (sessionId: string): QueryKey => ['session', sessionId, 'tokens'],
  connections: (): QueryKey => ['local', 'connections'],
  regions: (): QueryKey => ['local', 'regions'],
  audit: (): QueryKey => ['local', 'audit'],
} as const;

/** The shape screens consume (the same as the old `useAsync`, plus `refreshing` for a background refresh). */
export interface QueryState<T> {
  data: T | undefined;
  error: ErrorDto | null;
  /** Nothing to show yet (first load, or a disabled query). */
  loading: boolean;
  /** A call is in flight while cached data is shown. */
  refreshing: boolean;
  reload: () => void;
}

function toState<T>(q: UseQueryResult<T, unknown>): QueryState<T> {
  return {
    data: q.data,
    error: q.error ? toErrorDto(q.error) : null,
    loading: q.isPending,
    refreshing: q.isFetching && !q.isPending,
    reload: () => void q.refetch(),
  };
}

function useScope(): QueryScopeValue {
  return useContext(ScopeContext);
}

// Directory (per connection)

/**
 * The first users list, asked for at boot (main.tsx), before React renders: it is on its way while the
 * connection and the session are read and the shell is drawn, so a launch waits for one IPC round less before
 * the users table (the launch budget, BENCHMARKS.md §5). main.tsx asks only when the app opens on the Users
 * screen; it is Rust's current connection's list, the one that screen shows (nothing can switch connection
 * before then). The first users query takes it, once, and only while it is fresh.
 */
let bootUsers: { users: Promise<MemberDto[]>; at: number } | null = null;

/** A list asked for at boot is the first screen's, not a later visit's: older than this, it is dropped. */
export const BOOT_USERS_MAX_AGE_MS = 10_000;

export function prefetchUsersAtBoot(): void {
  const users = listUsers({ search: null, includeArchived: false });
  // Its error, if any, is the first query's to show; never an unhandled rejection.
  users.catch(() => undefined);
  bootUsers = { users, at: Date.now() };
}

function takeBootUsers(includeArchived: boolean): Promise<MemberDto[]> | null {
  const boot = bootUsers;
  if (includeArchived || boot === null) return null;
  bootUsers = null;
  return Date.now() - boot.at <= BOOT_USERS_MAX_AGE_MS ? boot.users : null;
}

export function useUsersQuery(includeArchived: boolean): QueryState<MemberDto[]> {
  const { connection } = useScope();
  return toState(
    useQuery({
      queryKey: queryKeys.users(connection, includeArchived),
      queryFn: () => takeBootUsers(includeArchived) ?? listUsers({ search: null, includeArchived }),
    }),
  );
}

export function useUserQuery(memberId: string): QueryState<UserProfileDto> {
  const { connection } = useScope();
  return toState(useQuery({ queryKey: queryKeys.user(connection, memberId), queryFn: () => getUser(memberId) }));
}

export function useTeamsQuery(): QueryState<TeamDto[]> {
  const { connection } = useScope();
  return toState(useQuery({ queryKey: queryKeys.teams(connection), queryFn: () => listTeams() }));
}

export function useTeamMembersQuery(teamId: string): QueryState<TeamMemberDto[]> {
  const { connection } = useScope();
  return toState(useQuery({ queryKey: queryKeys.teamMembers(connection, teamId), queryFn: () => getTeamMembers(teamId) }));
}

/**
 * Why a member can (or cannot) see a document, read with the admin's token (no session needed). Keyed by
 * connection, so the review matrix, the profile and Compare share one call per pair; fresh for as long as the
 * Compare tab's reads, since grants change while someone fixes access. Disabled until both IDs are given.
 */
export function useExplanation(memberId: string, documentId: string): QueryState<ExplanationDto> {
  const { connection } = useScope();
  const member = memberId.trim();
  const document = documentId.trim();
  return toState(
    useQuery({
      queryKey: queryKeys.explain(connection, member, document),
      queryFn: () => explainAccess(member, document),
      enabled: member !== '' && document !== '',
      staleTime: SESSION_STALE_MS,
    }),
  );
}

/**
 * A member record already in the cache (from a users list or a team roster), so a profile can show who it is
 * while its own call is in flight. `undefined` when no cached list has it.
 */
export function useCachedMember(memberId: string): MemberDto | undefined {
  const client = useQueryClient();
  const { connection } = useScope();
  return findCachedMember(client, connection, memberId);
}

export function findCachedMember(client: QueryClient, connection: string | null, memberId: string): MemberDto | undefined {
  for (const [, list] of client.getQueriesData<MemberDto[]>({ queryKey: queryKeys.usersAll(connection) })) {
    const hit = list?.find((m) => m.memberId === memberId);
    if (hit) return hit;
  }
  for (const [, roster] of client.getQueriesData<TeamMemberDto[]>({ queryKey: queryKeys.teamMembersAll(connection) })) {
    const hit = roster?.find((tm) => tm.member?.memberId === memberId)?.member;
    if (hit) return hit;
  }
  return undefined;
}

// As the impersonated user (per session). Disabled, and so `loading`, while there is no session.

function useSessionQuery<T>(key: (sessionId: string) => QueryKey, fn: () => Promise<T>): QueryState<T> {
  const { sessionId } = useScope();
  return toState(
    useQuery({
      queryKey: sessionId ? key(sessionId) : ['session', 'none'],
      queryFn: fn,
      enabled: sessionId !== null,
      staleTime: SESSION_STALE_MS,
    }),
  );
}

export const useWhoamiQuery = (): QueryState<WhoAmIDto> => useSessionQuery(queryKeys.whoami, () => sessionWhoami());
export const useFilesQuery = (fileType: string | null): QueryState<FileDto[]> =>
  useSessionQuery((id) => queryKeys.files(id, fileType), () => sessionFiles(fileType));
export const useMyDocumentsQuery = (): QueryState<FileDto[]> => useSessionQuery(queryKeys.myDocuments, () => sessionMyDocuments());
export const useCompareQuery = (fileType: string | null): QueryState<ComparisonDto> =>
  useSessionQuery((id) => queryKeys.compare(id, fileType), () => sessionCompare(fileType));
export const useTokensQuery = (): QueryState<TokenInfoDto[]> => useSessionQuery(queryKeys.tokens, () => sessionTokens());

// This machine

export function useConnectionsQuery(): QueryState<ConnectionDto[]> {
  return toState(useQuery({ queryKey: queryKeys.connections(), queryFn: () => listConnections() }));
}

export function useRegionsQuery(): QueryState<RegionDto[]> {
  // Sigma's regions are a fixed list in the app: they never go stale.
  return toState(useQuery({ queryKey: queryKeys.regions(), queryFn: () => listRegions(), staleTime: Infinity }));
}

export function useAuditQuery(): QueryState<AuditEntryDto[]> {
  // Written by this app as it works: always re-read when the screen opens (the cached rows show meanwhile).
  return toState(useQuery({ queryKey: queryKeys.audit(), queryFn: () => auditEntries(), staleTime: 0 }));
}

/**
 * Applies a scope change to the cache: when the session ends (or is replaced), everything read as that user is
 * removed; when the connection changes, everything read through the old one is. The audit log gains records
 * with every session change, so it is marked stale.
 */
export function applyScopeChange(client: QueryClient, prev: QueryScopeValue, next: QueryScopeValue): void {
  if (prev.sessionId !== null && prev.sessionId !== next.sessionId) {
    client.removeQueries({ queryKey: queryKeys.sessionRoot(prev.sessionId) });
  }
  if (prev.connection !== next.connection) {
    client.removeQueries({ queryKey: queryKeys.connectionRoot(prev.connection) });
  }
  if (prev.sessionId !== next.sessionId || prev.connection !== next.connection) {
    void client.invalidateQueries({ queryKey: queryKeys.audit() });
  }
}

/** Provides the scope to the hooks below it (for tests, and for screens rendered outside the app's providers). */
export function QueryScopeProvider({ value, children }: { value: QueryScopeValue; children?: ReactNode }) {
  const client = useQueryClient();
  const prev = useRef<QueryScopeValue>(value);
  useEffect(() => {
    applyScopeChange(client, prev.current, value);
    prev.current = value;
  }, [client, value.connection, value.sessionId]);
  return createElement(ScopeContext.Provider, { value }, children);
}

/** The app's scope: the selected connection and the active session, from their providers. */
export function AppQueryScope({ children }: { children?: ReactNode }) {
  const { state } = useConnection();
  const { session } = useSession();
  const connection = state?.connection.name ?? null;
  const sessionId = session?.id ?? null;
  const value = useScopeValue(connection, sessionId);
  return createElement(QueryScopeProvider, { value }, children);
}

function useScopeValue(connection: string | null, sessionId: string | null): QueryScopeValue {
  const ref = useRef<QueryScopeValue>({ connection, sessionId });
  if (ref.current.connection !== connection || ref.current.sessionId !== sessionId) ref.current = { connection, sessionId };
  return ref.current;
}

/** A client and scope for unit tests: `render(createElement(TestQueries, { scope }, <Screen />))`. */
export function TestQueries({ scope, client, children }: { scope?: Partial<QueryScopeValue>; client?: QueryClient; children?: ReactNode }) {
  const ref = useRef<QueryClient | null>(client ?? null);
  ref.current ??= createQueryClient();
  const value = useScopeValue(scope?.connection ?? 'Test org', scope?.sessionId ?? null);
  return createElement(QueryClientProvider, { client: ref.current }, createElement(QueryScopeProvider, { value }, children));
}

export { QueryClientProvider };
