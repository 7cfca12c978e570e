/**
 * The only door to the Rust side. One typed function per command of CONTRACT.md, with its argument names;
 * every rejection is normalized to an `ErrorDto` so screens can always show a code, a message and Sigma's
 * request ID. Nothing outside this folder imports @tauri-apps/*.
 */
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  AccessReviewDto,
  ActorDto,
  AuditEntryDto,
  AuditExport,
  AuditFilter,
  AuditVerificationDto,
  ComparisonDto,
  ConnectionDto,
  ConnectionInput,
  ConnectionState,
  ConnectionUpdate,
  ConsoleCheck,
  ConsoleRequest,
  ConsoleResponse,
  ExpiringEvent,
  ExplanationDto,
  ExportFormat,
  FileDto,
  MemberDto,
  RegionDto,
  RetryEvent,
  ReviewExportDto,
  ReviewFinishedDto,
  ReviewProgressDto,
  ReviewRequestDto,
  ReviewStartedDto,
  ReviewStatusDto,
  SessionDto,
  StartRequest,
  StopResult,
  TeamDto,
  TeamMemberDto,
  TokenInfoDto,
  UserProfileDto,
  UserQuery,
  WhoAmIDto,
} from './bindings';

export type {
  AccessReviewDto,
  ActorDto,
  AuditEntryDto,
  AuditExport,
  AuditFilter,
  AuditVerificationDto,
  ComparisonDto,
  ConnectionDto,
  ConnectionInput,
  ConnectionKind,
  ConnectionState,
  ConnectionUpdate,
  ConsoleCheck,
  ConsoleRequest,
  ConsoleResponse,
  Eligibility,
  ErrorDto,
  ExpiringEvent,
  AccessKindDto,
  AccessPathDto,
  ExplainedDocumentDto,
  ExplainedMemberDto,
  ExplanationDto,
  InodeRefDto,
  SuggestionDto,
  SuggestionKindDto,
  TeamRefDto,
  ExportFormat,
  FileDto,
  MemberAttributeDto,
  MemberDto,
  PermissionDifferenceDto,
  RegionDto,
  RetryEvent,
  ReviewDocumentDto,
  ReviewExportDto,
  ReviewFinishedDto,
  ReviewOutcomeKind,
  ReviewProgressDto,
  ReviewRequestDto,
  ReviewScopeDto,
  ReviewScopeKind,
  ReviewStartedDto,
  ReviewStatusDto,
  ReviewUserDto,
  SecretStatus,
  SessionDto,
  StartRequest,
  StopReason,
  StopResult,
  TeamDto,
  TeamMemberDto,
  TokenInfoDto,
  TokenKind,
  UserProfileDto,
  UserQuery,
  WhoAmIDto,
} from './bindings';

export { isErrorDto, toErrorDto } from './errors';
import { toErrorDto } from './errors';

/** How many of the first calls leave a performance measure (bench/app.sh BENCH_PHASES=1: where a launch waits). */
const TIMED_CALLS = 12;
let timedCalls = 0;

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  const timed = timedCalls < TIMED_CALLS;
  if (timed) timedCalls += 1;
  const start = timed ? performance.now() : 0;
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toErrorDto(e);
  } finally {
    if (timed) performance.measure(`ipc:${command}`, { start, end: performance.now() });
  }
}

// Connections
export const listConnections = (): Promise<ConnectionDto[]> => call('list_connections');
export const listRegions = (): Promise<RegionDto[]> => call('list_regions');
export const addConnection = (input: ConnectionInput): Promise<ConnectionDto> => call('add_connection', { input });
export const updateConnection = (name: string, update: ConnectionUpdate): Promise<ConnectionDto> =>
  call('update_connection', { name, update });
export const rotateSecret = (name: string, secret: string): Promise<null> => call('rotate_secret', { name, secret });
export const removeConnection = (name: string): Promise<null> => call('remove_connection', { name });
export const testConnection = (name: string): Promise<ActorDto> => call('test_connection', { name });
export const selectConnection = (name: string): Promise<ConnectionState> => call('select_connection', { name });
export const currentConnection = (): Promise<ConnectionState> => call('current_connection');

// Directory
export const listUsers = (query: UserQuery): Promise<MemberDto[]> => call('list_users', { query });
export const getUser = (memberId: string): Promise<UserProfileDto> => call('get_user', { memberId });
export const listTeams = (): Promise<TeamDto[]> => call('list_teams');
export const getTeamMembers = (teamId: string): Promise<TeamMemberDto[]> => call('get_team_members', { teamId });

// Impersonation session
export const startImpersonation = (request: StartRequest): Promise<SessionDto> =>
  call('start_impersonation', { request });
export const stopImpersonation = (): Promise<StopResult | null> => call('stop_impersonation');
/** A new exchange for the same user, reason and mode; the answer is the new session (its ID changes). */
export const extendSession = (): Promise<SessionDto> => call('extend_session');
export const currentSession = (): Promise<SessionDto | null> => call('current_session');
export const sessionWhoami = (): Promise<WhoAmIDto> => call('session_whoami');
export const sessionFiles = (fileType: string | null): Promise<FileDto[]> => call('session_files', { fileType });
export const sessionMyDocuments = (): Promise<FileDto[]> => call('session_my_documents');
export const sessionCompare = (fileType: string | null): Promise<ComparisonDto> =>
  call('session_compare', { fileType });
export const checkConsoleRequest = (request: ConsoleRequest): Promise<ConsoleCheck> =>
  call('check_console_request', { request });
export const consoleSend = (request: ConsoleRequest): Promise<ConsoleResponse> => call('console_send', { request });
export const sessionTokens = (): Promise<TokenInfoDto[]> => call('session_tokens');
/** Why a member can (or cannot) see a document: read with the admin's token, no session needed. */
export const explainAccess = (memberId: string, documentId: string): Promise<ExplanationDto> =>
  call('explain_access', { memberId, documentId });

// Audit
export const auditEntries = (): Promise<AuditEntryDto[]> => call('audit_entries');
/** Exports the entries the filter selects (null: all of them), in the log's own order. */
export const exportAudit = (format: ExportFormat, filter: AuditFilter | null = null): Promise<AuditExport> =>
  call('export_audit', { format, filter });
/** "Show in folder": opens the folder of a file an export wrote (Rust refuses any other path). */
export const revealExport = (path: string): Promise<null> => call('reveal_export', { path });

// Access review: impersonates each user of a team, a list or the org in turn, in Rust; progress and the end
// come as events, the result (kept in Rust memory) is read once the review has ended.
export const startAccessReview = (request: ReviewRequestDto): Promise<ReviewStartedDto> =>
  call('start_access_review', { request });
export const cancelAccessReview = (reviewId: string): Promise<null> => call('cancel_access_review', { reviewId });
export const accessReviewStatus = (): Promise<ReviewStatusDto> => call('access_review_status');
export const accessReviewResult = (reviewId: string): Promise<AccessReviewDto> => call('access_review_result', { reviewId });
/** A new file in the Downloads folder, like the audit export; "Show in folder" takes its path. */
export const exportAccessReview = (reviewId: string, format: ExportFormat): Promise<ReviewExportDto> =>
  call('export_access_review', { reviewId, format });

// Clipboard. WebKitGTK's Clipboard API is unreliable in the app's window, so text goes through Rust
// (tauri-plugin-clipboard-manager, granted write-text only); CopyButton falls back to the web API elsewhere.
export const copyText = (text: string): Promise<null> => call('plugin:clipboard-manager|write_text', { text });
export const verifyAudit = (): Promise<AuditVerificationDto> => call('verify_audit');

// Events. Each returns a function that stops listening (the React effects' cleanup).
function subscribe<T>(event: string, cb: (payload: T) => void, onListening?: () => void): () => void {
  let unlisten: UnlistenFn | null = null;
  let cancelled = false;
  listen<T>(event, (e) => cb(e.payload))
    .then((fn) => {
      // The component may have unmounted before `listen` resolved: unlisten at once then.
      if (cancelled) fn();
      else unlisten = fn;
    })
    .catch((e: unknown) => {
      console.error(`could not listen to ${event}`, e);
    })
    .finally(() => onListening?.());
  return () => {
    cancelled = true;
    unlisten?.();
  };
}

export const onSessionStarted = (cb: (session: SessionDto) => void): (() => void) => subscribe('session-started', cb);
export const onSessionExpiring = (cb: (event: ExpiringEvent) => void): (() => void) =>
  subscribe('session-expiring', cb);
export const onSessionStopped = (cb: (result: StopResult) => void): (() => void) => subscribe('session-stopped', cb);
/** Before each wait between tries of a call to Sigma (throttling, a server error, a dropped connection). */
export const onSigmaRetry = (cb: (event: RetryEvent) => void, onListening?: () => void): (() => void) =>
  subscribe('sigma-retry', cb, onListening);

export const onReviewProgress = (cb: (p: ReviewProgressDto) => void): (() => void) => subscribe('review-progress', cb);
export const onReviewFinished = (cb: (f: ReviewFinishedDto) => void): (() => void) => subscribe('review-finished', cb);

/** Whether the page asked for the in-memory backend (`?mock`, or VITE_IPC_MOCK at build time). */
export function wantsMockBackend(): boolean {
  const fromEnv = import.meta.env.VITE_IPC_MOCK;
  if (typeof fromEnv === 'string' && fromEnv !== '' && fromEnv !== '0' && fromEnv !== 'false') return true;
  return new URLSearchParams(window.location.search).has('mock');
}

/** Installs the mock backend; loaded lazily so a normal start never fetches it. */
export async function installMockBackendIfAsked(): Promise<void> {
  if (!wantsMockBackend()) return;
  const { installMockBackend } = await import('./mock');
  installMockBackend(new URLSearchParams(window.location.search));
}
