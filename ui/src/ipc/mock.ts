/**
 * An in-memory backend with the same commands and events as the Rust side, for development and for the browser
 * tests (`?mock` in the URL, or VITE_IPC_MOCK). It follows the contract's rules — eligibility, read-only console,
 * replaceActive, expiry — so the UI can be exercised end to end without Rust.
 *
 * URL knobs: `latency=MS` (default 60), `users=N` (N generated members on top of the demo org),
 * `fail=cmd1,cmd2` (each fails once with a Sigma-style error), `sessionSeconds=S` (sessions last S seconds),
 * `throttle=cmd1,cmd2` (the first call of each is throttled: a `sigma-retry` event, a 2 s wait, then the answer),
 * `bigTeam` (with `users=N`: one more team, "Everyone at Bigcorp", holding the N generated members).
 * Access reviews (mockReview.ts): `reviewStepMs=MS`, `reviewFail=email1,email2`, `reviewThrottle=N`.
 * Tests steer it at run time through `window.__standinMock`.
 */
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type { InvokeArgs } from '@tauri-apps/api/core';
import type {
  ActorDto,
  AuditEntryDto,
  AuditFilter,
  AuditVerificationDto,
  ConnectionDto,
  ConnectionInput,
  ConnectionState,
  ConnectionUpdate,
  ConsoleRequest,
  Eligibility,
  ErrorDto,
  FileDto,
  MemberDto,
  RegionDto,
  SectionDto,
  SessionDto,
  StartRequest,
  StopReason,
  StopResult,
  TeamDto,
  TeamMemberDto,
  TokenInfoDto,
  UserQuery,
} from './bindings';
import { buildOrg, permissionFor, type OrgFile, type OrgMember } from './mockOrg';
import { explainFor } from './mockExplain';
import { createMockReviews, type MockReviewControl } from './mockReview';

export interface MockControl extends MockReviewControl {
  /** The next call of `command` rejects with this error (a Sigma-style 503 with a request ID by default). */
  failNext(command: string, error?: Partial<ErrorDto>): void;
  /** Ends the active session as if its time ran out. */
  expireNow(): void;
  /** Emits session-expiring for the active session. */
  warnExpiring(): void;
  /** The next get_user answers with this profile section failed (as a server without its endpoint would). */
  failProfileSection(section: 'teams' | 'attributes'): void;
  setLatency(ms: number): void;
  /** What `verify_audit` answers from now on (`null`: intact, one record per entry). */
  setAuditVerification(v: AuditVerificationDto | null): void;
  /** Every command called so far with its arguments, for assertions. */
  calls: Array<{ command: string; args: unknown }>;
  /** Every text written to the clipboard through Rust, oldest first. */
  clipboard: string[];
}

/** Rust's `matches_filter`: event, then the trimmed text in any of the searched fields, case-insensitively. */
function matchesAuditFilter(e: AuditEntryDto, f: AuditFilter): boolean {
  if (f.event !== null && e.event !== f.event) return false;
  const t = f.text.trim().toLowerCase();
  if (!t) return true;
  return [e.actor, e.subject, e.reason, e.profile, e.path, e.detail, e.requestId, e.sessionId, e.reviewId].some(
    (x) => typeof x === 'string' && x.toLowerCase().includes(t),
  );
}

declare global {
  interface Window {
    __standinMock?: MockControl;
  }
}

const REGIONS: RegionDto[] = [
  ['AWS US West', 'https://aws-api.sigmacomputing.com'],
  ['AWS US East', 'https://api.us-a.aws.sigmacomputing.com'],
  ['AWS Canada', 'https://api.ca.aws.sigmacomputing.com'],
  ['AWS Europe', 'https://api.eu.aws.sigmacomputing.com'],
  ['AWS Australia', 'https://api.au.aws.sigmacomputing.com'],
  ['AWS UK', 'https://api.uk.aws.sigmacomputing.com'],
  ['Azure US', 'https://api.us.azure.sigmacomputing.com'],
  ['Azure Europe', 'https://api.eu.azure.sigmacomputing.com'],
  ['GCP US', 'https://api.sigmacomputing.com'],
].map(([name, baseUrl]) => ({ name: name!, baseUrl: baseUrl! }));

const SANDBOX = 'Sandbox org';

interface SavedConnection {
  dto: ConnectionDto;
  /** The email of whoever owns the credentials in the fake org. */
  actorEmail: string;
  /** Testing it fails like a real org with wrong credentials would. */
  brokenCredentials: boolean;
}

interface ActiveSession {
  dto: SessionDto;
  subject: OrgMember;
  expiringTimer: ReturnType<typeof setTimeout> | null;
  expiryTimer: ReturnType<typeof setTimeout>;
}

let requestCounter = 0x3a7f10;
function requestId(): string {
  requestCounter += 0x1d3;
  return `req_${requestCounter.toString(16)}b2e9c4`;
}

function refuse(rule: string, message: string): ErrorDto {
  return { code: 'refused', message, requestId: null, rule };
}

function fail(code: string, message: string, withRequestId = false): ErrorDto {
  return { code, message, requestId: withRequestId ? requestId() : null, rule: null };
}

function displayName(m: OrgMember): string {
  const name = `${m.firstName} ${m.lastName}`.trim();
  return name || m.email;
}

export function installMockBackend(params: URLSearchParams): MockControl {
  const org = buildOrg(Number(params.get('users') ?? '0') || 0, params.has('bigTeam'));
  const sessionSeconds = Number(params.get('sessionSeconds') ?? '0') || 0;
  let latency = Number(params.get('latency') ?? '60');
  const failures = new Map<string, Partial<ErrorDto>>();
  for (const cmd of (params.get('fail') ?? '').split(',').filter(Boolean)) failures.set(cmd, {});
  const throttled = new Set((params.get('throttle') ?? '').split(',').filter(Boolean));

  const byId = new Map(org.members.map((m) => [m.memberId, m]));
  const byEmail = new Map(org.members.map((m) => [m.email.toLowerCase(), m]));

  const sandboxUrl = 'http://127.0.0.1:47110';
  const connections: SavedConnection[] = [
    {
      dto: { name: SANDBOX, kind: 'sandbox', baseUrl: sandboxUrl, region: 'Custom', clientId: 'standin-demo-admin', tenant: null, hasSecret: true, secretStatus: 'stored', caFile: null },
      actorEmail: 'admin@acme.example',
      brokenCredentials: false,
    },
    {
      dto: { name: 'Acme production', kind: 'org', baseUrl: 'https://aws-api.sigmacomputing.com', region: 'AWS US West', clientId: 'a1f3c9e2d4b7', tenant: null, hasSecret: true, secretStatus: 'stored', caFile: null },
      actorEmail: 'admin@acme.example',
      brokenCredentials: true,
    },
    {
      dto: { name: 'Support (creator key)', kind: 'org', baseUrl: 'https://api.eu.aws.sigmacomputing.com', region: 'AWS Europe', clientId: 'c7d2e8f1a9b3', tenant: null, hasSecret: true, secretStatus: 'stored', caFile: null },
      actorEmail: 'casey.nguyen@acme.example',
      brokenCredentials: false,
    },
  ];
  // ?keyring=unavailable: the Secret Service cannot be reached, so saved connections cannot say whether a secret is stored.
  if (params.get('keyring') === 'unavailable')
    for (const c of connections) if (c.dto.kind === 'org') c.dto = { ...c.dto, hasSecret: false, secretStatus: 'keyringUnavailable' };
  // Rust checks a CA file (absolute path, PEM with a certificate); the mock accepts absolute paths ending in .pem.
  const checkCaFile = (path: string | null): string | null => {
    const p = path?.trim() ?? '';
    if (!p) return null;
    if (!p.startsWith('/')) throw fail('invalid_profile', `invalid profile: the CA certificate file '${p}' must be given as a full path, e.g. /etc/ssl/certs/corp-ca.pem`);
    if (!p.endsWith('.pem')) throw fail('invalid_profile', `invalid profile: the CA certificate file '${p}' is not a valid PEM file; export the CA certificate as PEM (-----BEGIN CERTIFICATE-----)`);
    return p;
  };
  let activeName = params.get('connection') ?? SANDBOX;
  let session: ActiveSession | null = null;
  const failingSections = new Set<'teams' | 'attributes'>();
  const audit: AuditEntryDto[] = seedAudit();
  let auditVerification: AuditVerificationDto | null = null;
  const calls: MockControl['calls'] = [];
  const clipboard: string[] = [];

  function active(): SavedConnection {
    return connections.find((c) => c.dto.name === activeName) ?? connections[0]!;
  }

  function actorMember(conn: SavedConnection = active()): OrgMember {
    return byEmail.get(conn.actorEmail) ?? org.members[0]!;
  }

  function actorDto(conn: SavedConnection): ActorDto {
    const m = actorMember(conn);
    return {
      userId: m.memberId,
      organizationId: 'org_acme_5c1e',
      email: m.email,
      name: displayName(m),
      accountType: m.memberType,
      canImpersonate: m.memberType.toLowerCase() === 'admin',
    };
  }

  function connectionState(): ConnectionState {
    const conn = active();
    if (conn.brokenCredentials) {
      return {
        connection: conn.dto,
        actor: null,
        actorError: fail('unauthorized', 'Sigma did not accept the credentials or token (401); check the client ID and secret (rotate the secret if it changed)', true),
      };
    }
    return { connection: conn.dto, actor: actorDto(conn), actorError: null };
  }

  function eligibility(m: OrgMember): Eligibility {
    const actor = actorMember();
    if (actor.memberType.toLowerCase() !== 'admin')
      return { allowed: false, reason: `these API credentials belong to a user of account type '${actor.memberType}'; only the Admin account type can impersonate` };
    if (m.memberType.toLowerCase() === 'admin')
      return { allowed: false, reason: `${m.email} is an Admin, and admins cannot impersonate other admins` };
    if (m.archived) return { allowed: false, reason: `${m.email} is archived (deactivated) and cannot be impersonated` };
    if (m.inactive) return { allowed: false, reason: `${m.email} is inactive (archived by SCIM) and cannot be impersonated` };
    return { allowed: true, reason: null };
  }

  function memberDto(m: OrgMember): MemberDto {
    return {
      memberId: m.memberId,
      email: m.email,
      firstName: m.firstName,
      lastName: m.lastName,
      name: displayName(m),
      memberType: m.memberType,
      userKind: m.userKind,
      isArchived: m.archived,
      isInactive: m.inactive,
      homeFolderId: `home-${m.memberId.slice(0, 8)}`,
      createdAt: m.createdAt,
      updatedAt: m.createdAt,
      impersonation: eligibility(m),
      extra: {},
    };
  }

  function teamDto(t: (typeof org.teams)[number]): TeamDto {
    return { teamId: t.teamId, name: t.name, description: t.description, visibility: t.visibility, isArchived: false };
  }

  function fileDto(f: OrgFile, permission: string): FileDto {
    return {
      id: f.id,
      name: f.name,
      fileType: f.fileType,
      permission,
      path: f.path,
      parentId: f.parentId,
      ownerId: f.ownerId,
      badge: f.badge,
      description: null,
      isArchived: false,
      updatedAt: f.updatedAt,
    };
  }

  function visibleFiles(m: OrgMember, fileType: string | null): FileDto[] {
    const out: FileDto[] = [];
    for (const f of org.files) {
      if (fileType && f.fileType !== fileType) continue;
      const p = permissionFor(m, f);
      if (p) out.push(fileDto(f, p));
    }
    return out;
  }

  function requireSession(): ActiveSession {
    if (!session) throw fail('no_session', 'no impersonation session is active; start one from a user’s profile');
    return session;
  }

  function record(entry: Partial<AuditEntryDto> & Pick<AuditEntryDto, 'event'>): void {
    audit.push({
      time: new Date().toISOString(),
      profile: activeName,
      actor: actorMember().email,
      subject: session?.subject.email ?? '',
      tenant: null,
      reason: null,
      sessionId: session?.dto.id ?? null,
      readOnly: session?.dto.readOnly ?? null,
      method: null,
      path: null,
      status: null,
      detail: null,
      requestId: null,
      phase: null,
      reviewId: null,
      ...entry,
    });
  }

  function endSession(reason: StopReason): StopResult | null {
    if (!session) return null;
    const s = session;
    if (s.expiringTimer) clearTimeout(s.expiringTimer);
    clearTimeout(s.expiryTimer);
    record({ event: reason === 'expired' ? 'impersonation.expired' : 'impersonation.stop' });
    session = null;
    const result: StopResult = { sessionId: s.dto.id, subjectEmail: s.dto.subjectEmail, subjectId: s.dto.subjectId, reason };
    void emit('session-stopped', result);
    return result;
  }

  function secondsLeft(s: ActiveSession): number {
    return Math.max(0, Math.round((Date.parse(s.dto.expiresAt) - Date.now()) / 1000));
  }

  function start(req: StartRequest): SessionDto {
    const actor = actorMember();
    const email = req.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      throw refuse('malformed_email', `'${req.email}' is not a valid email address; give the user's full email, e.g. tom@example.com`);
    if (!req.reason.trim())
      throw refuse('reason_required', 'a reason (for example a ticket number) is required to impersonate a user');
    if (session && !req.replaceActive)
      throw refuse('session_active', `you are already impersonating ${session.subject.email}; stop that session before starting another`);
    const target = byEmail.get(email);
    if (!target) throw refuse('target_not_found', `no user with email ${email} in this organization; check the spelling or the tenant`);
    const ok = eligibility(target);
    if (!ok.allowed) {
      const rule = actor.memberType.toLowerCase() !== 'admin' ? 'actor_not_admin' : target.memberType.toLowerCase() === 'admin' ? 'target_is_admin' : target.archived ? 'target_archived' : 'target_inactive';
      record({ event: 'impersonation.refused', subject: target.email, reason: req.reason, detail: rule, sessionId: null });
      throw refuse(rule, ok.reason ?? 'refused');
    }
    if (session) endSession('replaced');

    const seconds = sessionSeconds || Math.min(60, Math.max(1, req.durationMinutes)) * 60;
    const now = Date.now();
    const dto: SessionDto = {
      id: `sess_${now.toString(36)}`,
      connection: activeName,
      actorEmail: actor.email,
      subjectEmail: target.email,
      subjectName: displayName(target),
      subjectId: target.memberId,
      subjectAccountType: target.memberType,
      tenant: req.tenant,
      reason: req.reason.trim(),
      readOnly: req.readOnly,
      startedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + seconds * 1000).toISOString(),
      secondsLeft: seconds,
    };
    const s: ActiveSession = {
      dto,
      subject: target,
      expiringTimer: seconds > 60 ? setTimeout(() => void emit('session-expiring', { sessionId: dto.id, secondsLeft: 60 }), (seconds - 60) * 1000) : null,
      expiryTimer: setTimeout(() => endSession('expired'), seconds * 1000),
    };
    session = s;
    record({ event: 'impersonation.start', subject: target.email, reason: dto.reason, sessionId: dto.id, readOnly: dto.readOnly });
    void emit('session-started', dto);
    return dto;
  }

  // Like Rust: a new exchange for the same user, reason and mode; the old session ends without a
  // session-stopped event (nothing ended for the user), the extension is on record naming both sessions.
  function extend(): SessionDto {
    const old = session;
    if (!old) throw fail('no_session', 'no impersonation session is active; start one from a user\'s profile');
    const length = Date.parse(old.dto.expiresAt) - Date.parse(old.dto.startedAt);
    if (old.expiringTimer) clearTimeout(old.expiringTimer);
    clearTimeout(old.expiryTimer);
    record({ event: 'impersonation.stop', detail: 'stopped' });
    session = null;
    const seconds = Math.max(1, Math.round(length / 1000));
    const now = Date.now();
    const dto: SessionDto = {
      ...old.dto,
      id: `sess_${now.toString(36)}x`,
      startedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + seconds * 1000).toISOString(),
      secondsLeft: seconds,
    };
    session = {
      dto,
      subject: old.subject,
      expiringTimer: seconds > 60 ? setTimeout(() => void emit('session-expiring', { sessionId: dto.id, secondsLeft: 60 }), (seconds - 60) * 1000) : null,
      expiryTimer: setTimeout(() => endSession('expired'), seconds * 1000),
    };
    record({ event: 'impersonation.start', subject: dto.subjectEmail, reason: dto.reason, sessionId: dto.id, readOnly: dto.readOnly });
    record({ event: 'impersonation.extend', subject: dto.subjectEmail, reason: dto.reason, sessionId: dto.id, readOnly: dto.readOnly, detail: `extends ${old.dto.id}` });
    void emit('session-started', dto);
    return dto;
  }

  const REJECTS_IMPERSONATION = ['/v2/auth', '/v2/credentials', '/v2/tenants', '/v2/members/invite'];

  function check(req: ConsoleRequest): { allowed: boolean; reason: string | null } {
    const s = requireSession();
    const path = req.path.trim();
    if (!path.startsWith('/')) return { allowed: false, reason: 'the path must start with /, e.g. /v2/whoami' };
    const bare = path.split('?')[0] ?? path;
    if (REJECTS_IMPERSONATION.some((p) => bare.startsWith(p)))
      return { allowed: false, reason: `Sigma does not accept impersonation tokens on ${bare}; call it as yourself instead` };
    if (s.dto.readOnly && req.method.toUpperCase() !== 'GET')
      return { allowed: false, reason: `this session is read-only: only GET requests are allowed, not ${req.method.toUpperCase()}` };
    return { allowed: true, reason: null };
  }

  function consoleSend(req: ConsoleRequest) {
    const s = requireSession();
    const verdict = check(req);
    if (!verdict.allowed) {
      record({ event: 'impersonation.refused', method: req.method, path: req.path, detail: verdict.reason });
      throw refuse(s.dto.readOnly && req.method !== 'GET' ? 'read_only' : 'endpoint_rejects_impersonation', verdict.reason ?? 'refused');
    }
    const rid = requestId();
    const [bare, query = ''] = req.path.split('?');
    let status = 200;
    let body: unknown;
    if (bare === '/v2/whoami') {
      body = { userId: s.subject.memberId, organizationId: 'org_acme_5c1e', email: s.subject.email, memberType: s.subject.memberType };
    } else if (bare === '/v2/files') {
      const type = new URLSearchParams(query).get('typeFilters');
      body = { entries: visibleFiles(s.subject, type), nextPage: null, total: visibleFiles(s.subject, type).length };
    } else if (bare === '/v2/teams') {
      body = { entries: org.teams.filter((t) => t.members.includes(s.subject.memberId)).map(teamDto), nextPage: null };
    } else if (bare?.startsWith('/v2/members/')) {
      const m = byId.get(bare.slice('/v2/members/'.length));
      if (m) body = memberDto(m);
      else {
        status = 404;
        body = { message: 'Member not found', code: 'not_found', requestId: rid };
      }
    } else {
      status = 404;
      body = { message: `No route for ${req.method} ${bare}`, code: 'not_found', requestId: rid };
    }
    // Like the app: on record before it is sent, then its outcome.
    record({ event: 'impersonation.request', method: req.method.toUpperCase(), path: req.path, phase: 'sent' });
    record({ event: 'impersonation.request', method: req.method.toUpperCase(), path: req.path, status, requestId: rid, phase: 'outcome' });
    return { status, body, requestId: rid, elapsedMs: 40 + (req.path.length % 90) };
  }

  function tokens(): TokenInfoDto[] {
    const s = requireSession();
    const iat = Math.floor(Date.parse(s.dto.startedAt) / 1000);
    const exp = Math.floor(Date.parse(s.dto.expiresAt) / 1000);
    const actor = actorMember();
    return [
      {
        kind: 'actor',
        header: { alg: 'RS256', typ: 'JWT', kid: 'sigma-2025-07' },
        claims: { sub: actor.memberId, email: actor.email, org: 'org_acme_5c1e', scope: 'api', iat: iat - 600, exp: iat + 3000 },
        expiresAt: new Date((iat + 3000) * 1000).toISOString(),
        note: 'The connection’s own token (client credentials); refreshed before it expires.',
      },
      {
        kind: 'subject',
        header: { alg: 'HS256', typ: 'JWT', kid: active().dto.clientId },
        claims: { sub: s.subject.email, iat, exp: iat + 60, jti: `jti-${s.dto.id.slice(5)}` },
        expiresAt: new Date((iat + 60) * 1000).toISOString(),
        note: 'Signed by Stand-in with the client secret; used once, for the token exchange.',
      },
      {
        kind: 'impersonation',
        header: { alg: 'RS256', typ: 'JWT', kid: 'sigma-2025-07' },
        claims: { sub: s.subject.memberId, act: { sub: actor.memberId }, org: 'org_acme_5c1e', iat, exp },
        expiresAt: s.dto.expiresAt,
        note: 'From Sigma’s token exchange; it has no refresh token and ends with the session.',
      },
    ];
  }

  function handle(command: string, args: Record<string, unknown>): unknown {
    switch (command) {
      case 'list_connections':
        return connections.map((c) => c.dto);
      case 'list_regions':
        return REGIONS;
      case 'add_connection': {
        const input = args.input as ConnectionInput;
        if (!input.name.trim()) throw fail('invalid_profile', 'invalid profile: the name is empty');
        if (connections.some((c) => c.dto.name === input.name))
          throw fail('profile_exists', `a connection named '${input.name}' already exists; pick another name or remove it first`);
        if (!/^https?:\/\/[^\s/]+/.test(input.baseUrl))
          throw fail('invalid_base_url', `invalid base URL '${input.baseUrl}': it should look like https://aws-api.sigmacomputing.com`);
        const region = REGIONS.find((r) => r.baseUrl === input.baseUrl)?.name ?? 'Custom';
        const caFile = checkCaFile(input.caFile);
        const stored = input.secret.length > 0;
        const dto: ConnectionDto = {
          name: input.name,
          kind: 'org',
          baseUrl: input.baseUrl,
          region,
          clientId: input.clientId,
          tenant: input.tenant,
          hasSecret: stored,
          secretStatus: stored ? 'stored' : 'missing',
          caFile,
        };
        connections.push({ dto, actorEmail: 'admin@acme.example', brokenCredentials: false });
        return dto;
      }
      case 'update_connection': {
        const name = args.name as string;
        const update = args.update as ConnectionUpdate;
        const c = connections.find((x) => x.dto.name === name);
        if (!c) throw fail('profile_not_found', `no connection named '${name}'`);
        if (c.dto.kind === 'sandbox') throw fail('invalid_profile', 'the Sandbox org cannot be edited');
        if (update.name && update.name !== name && connections.some((x) => x.dto.name === update.name))
          throw fail('profile_exists', `a connection named '${update.name}' already exists; pick another name`);
        const caFile = update.clearCaFile ? null : update.caFile ? checkCaFile(update.caFile) : c.dto.caFile;
        c.dto = {
          ...c.dto,
          name: update.name ?? c.dto.name,
          baseUrl: update.baseUrl ?? c.dto.baseUrl,
          region: update.baseUrl ? (REGIONS.find((r) => r.baseUrl === update.baseUrl)?.name ?? 'Custom') : c.dto.region,
          clientId: update.clientId ?? c.dto.clientId,
          tenant: update.clearTenant ? null : (update.tenant ?? c.dto.tenant),
          caFile,
        };
        if (activeName === name) activeName = c.dto.name;
        return c.dto;
      }
      case 'rotate_secret': {
        const c = connections.find((x) => x.dto.name === args.name);
        if (!c) throw fail('profile_not_found', `no connection named '${String(args.name)}'`);
        c.dto = { ...c.dto, hasSecret: true, secretStatus: 'stored' };
        c.brokenCredentials = false;
        return null;
      }
      case 'remove_connection': {
        const i = connections.findIndex((x) => x.dto.name === args.name);
        if (i < 0) throw fail('profile_not_found', `no connection named '${String(args.name)}'`);
        if (connections[i]!.dto.kind === 'sandbox') throw fail('invalid_profile', 'the Sandbox org is built in and cannot be removed');
        connections.splice(i, 1);
        if (activeName === args.name) {
          endSession('switched');
          activeName = SANDBOX;
        }
        return null;
      }
      case 'test_connection': {
        const c = connections.find((x) => x.dto.name === args.name);
        if (!c) throw fail('profile_not_found', `no connection named '${String(args.name)}'`);
        if (c.brokenCredentials)
          throw fail('unauthorized', 'Sigma did not accept the credentials or token (401); check the client ID and secret (rotate the secret if it changed)', true);
        return actorDto(c);
      }
      case 'select_connection': {
        const c = connections.find((x) => x.dto.name === args.name);
        if (!c) throw fail('profile_not_found', `no connection named '${String(args.name)}'`);
        if (activeName !== c.dto.name) endSession('switched');
        activeName = c.dto.name;
        return connectionState();
      }
      case 'current_connection':
        return connectionState();
      case 'list_users': {
        const q = (args.query ?? {}) as UserQuery;
        const needle = q.search?.trim().toLowerCase() ?? '';
        return org.members
          .filter((m) => q.includeArchived || (!m.archived && !m.inactive))
          .filter((m) => !needle || displayName(m).toLowerCase().includes(needle) || m.email.includes(needle))
          .map(memberDto);
      }
      case 'get_user': {
        const m = byId.get(args.memberId as string);
        if (!m) throw { code: 'not_found', message: 'Sigma could not find that member (404)', requestId: requestId(), rule: null } satisfies ErrorDto;
        // Sections fail alone, as against a server without the endpoint (the Rust side keeps the member record).
        const section = <T,>(name: 'teams' | 'attributes', value: () => T): SectionDto<T> => {
          if (!failingSections.delete(name)) return { value: value(), error: null };
          const path = name === 'teams' ? `/v2/members/${m.memberId}/teams` : '/v2/teams/{teamId}/user-attributes';
          return { value: null, error: { code: 'not_found', message: `Sigma could not find ${path} (404)`, requestId: requestId(), rule: null } };
        };
        return {
          member: memberDto(m),
          teams: section('teams', () => org.teams.filter((t) => m.teams.includes(t.teamId)).map(teamDto)),
          attributes: section('attributes', () => [
            { userAttributeId: 'ua-role', name: 'Snowflake role', value: m.memberType === 'Admin' ? 'SYSADMIN' : `${(org.teams.find((t) => m.teams.includes(t.teamId))?.name ?? 'analyst').toUpperCase().replace(/\s+/g, '_')}_READER`, source: m.teams.length ? `team:${org.teams.find((t) => m.teams.includes(t.teamId))?.name ?? ''}` : 'default' },
            { userAttributeId: 'ua-wh', name: 'Snowflake warehouse', value: m.memberType === 'Viewer' ? 'XS_SHARED_WH' : 'ANALYTICS_WH', source: m.memberType === 'Viewer' ? 'default' : 'user' },
            { userAttributeId: 'ua-region', name: 'Region', value: ['NA', 'EMEA', 'APAC'][m.email.length % 3] ?? 'NA', source: 'user' },
          ]),
        };
      }
      case 'list_teams':
        return org.teams.map(teamDto);
      case 'get_team_members': {
        const t = org.teams.find((x) => x.teamId === args.teamId);
        if (!t) throw fail('not_found', 'Sigma could not find that team (404)', true);
        return t.members.map((mid): TeamMemberDto => {
          const m = byId.get(mid);
          return {
            userId: mid,
            isTeamAdmin: t.admins.includes(mid),
            member: m ? memberDto(m) : null,
            impersonation: m ? eligibility(m) : { allowed: false, reason: 'the member record could not be found' },
          };
        });
      }
      case 'start_impersonation':
        return start(args.request as StartRequest);
      case 'stop_impersonation':
        return endSession('stopped');
      case 'extend_session':
        return extend();
      case 'current_session':
        return session ? { ...session.dto, secondsLeft: secondsLeft(session) } : null;
      case 'session_whoami': {
        const s = requireSession();
        return { userId: s.subject.memberId, organizationId: 'org_acme_5c1e', accountType: s.subject.memberType, extra: { email: s.subject.email, isEmbedUser: s.subject.userKind === 'embed' } };
      }
      case 'session_files':
        return visibleFiles(requireSession().subject, (args.fileType as string | null) ?? null);
      case 'session_my_documents': {
        const s = requireSession();
        return org.files.filter((f) => f.personal && f.ownerId === s.subject.memberId).map((f) => fileDto(f, 'organize'));
      }
      case 'session_compare': {
        const s = requireSession();
        const type = (args.fileType as string | null) ?? null;
        const admin = actorMember();
        const onlyAdmin: FileDto[] = [];
        const onlyUser: FileDto[] = [];
        const different = [];
        let same = 0;
        for (const f of org.files) {
          if (type && f.fileType !== type) continue;
          const a = permissionFor(admin, f);
          const u = permissionFor(s.subject, f);
          if (a && !u) onlyAdmin.push(fileDto(f, a));
          else if (u && !a) onlyUser.push(fileDto(f, u));
          else if (a && u && a !== u) different.push({ file: fileDto(f, u), adminPermission: a, userPermission: u });
          else if (a && u) same++;
        }
        return { onlyAdmin, onlyUser, different, same };
      }
      case 'explain_access': {
        // Sigma's 404 wording, as the Rust side passes it on (with a request ID).
        const notFound = (what: string) =>
          fail('not_found', `Sigma found nothing there (404: wrong path, wrong regional host, or missing resource): ${what}`, true);
        const member = org.members.find((m) => m.memberId === String(args.memberId ?? '').trim());
        if (!member) throw notFound(`Member ${String(args.memberId)} not found`);
        const file = org.files.find((f) => f.id === String(args.documentId ?? '').trim());
        if (!file) throw notFound(`File ${String(args.documentId)} not found`);
        return explainFor(org, member, file, actorMember(), notFound);
      }
      case 'check_console_request':
        return check(args.request as ConsoleRequest);
      case 'console_send':
        return consoleSend(args.request as ConsoleRequest);
      case 'session_tokens':
        return tokens();
      case 'audit_entries':
        return audit;
      case 'verify_audit':
        return auditVerification ?? intactVerification(audit.length);
      case 'export_audit': {
        const ext = args.format === 'csv' ? 'csv' : 'json';
        // The same filter rule as Rust's (and the Audit screen's): the count says what the file would hold.
        const filter = (args.filter ?? null) as AuditFilter | null;
        const count = filter ? audit.filter((e) => matchesAuditFilter(e, filter)).length : audit.length;
        return { path: `/home/you/Downloads/stand-in-audit-${new Date().toISOString().slice(0, 10)}.${ext}`, count };
      }
      case 'reveal_export': {
        if (!/^\/home\/you\/Downloads\/stand-in-(audit|review)-/.test(String(args.path))) {
          throw fail('storage', `could not read or write ${String(args.path)}: not an export of this app`);
        }
        return null;
      }
      case 'plugin:clipboard-manager|write_text':
        clipboard.push(String(args.text));
        return null;
      default:
        throw fail('internal', `the mock backend has no command '${command}'`);
    }
  }

  // Access reviews (mockReview.ts), over the same org, actor and audit log.
  const reviews = createMockReviews({ org, params, actor: () => actorMember(), connection: () => activeName, eligibility, record, fail });

  mockIPC(
    async (command: string, payload?: InvokeArgs) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ command, args });
      if (latency > 0) await new Promise((r) => setTimeout(r, command === 'list_users' ? latency * 3 : latency));
      if (throttled.delete(command)) {
        // As the Rust side does before waiting out Sigma's Retry-After.
        void emit('sigma-retry', {
          message: 'Sigma is throttling: retrying in 2 s (try 2 of 5)',
          path: '/v2/members',
          reason: 'throttled',
          delaySeconds: 2,
          nextTry: 2,
          maxTries: 5,
        });
        await new Promise((r) => setTimeout(r, 2000));
      }
      const injected = failures.get(command);
      if (injected) {
        failures.delete(command);
        throw {
          code: injected.code ?? 'sigma_error',
          message: injected.message ?? 'Sigma had a server error (503); try again later and give Sigma support the request ID',
          requestId: injected.requestId === undefined ? requestId() : injected.requestId,
          rule: injected.rule ?? null,
        } satisfies ErrorDto;
      }
      return (reviews.handle(command, args) ?? { value: handle(command, args) }).value;
    },
    { shouldMockEvents: true },
  );

  const control: MockControl = {
    ...reviews.control,
    failNext(command, error = {}) {
      failures.set(command, error);
    },
    expireNow() {
      endSession('expired');
    },
    failProfileSection(section) {
      failingSections.add(section);
    },
    warnExpiring() {
      if (session) void emit('session-expiring', { sessionId: session.dto.id, secondsLeft: Math.min(60, secondsLeft(session)) });
    },
    setLatency(ms) {
      latency = ms;
    },
    setAuditVerification(v) {
      auditVerification = v;
    },
    calls,
    clipboard,
  };
  window.__standinMock = control;
  return control;
}

function intactVerification(records: number): AuditVerificationDto {
  return {
    status: 'intact',
    intact: true,
    records,
    legacyRecords: 0,
    problemLine: null,
    problemKind: null,
    summary: `intact, ${records} records`,
    interruptedLines: [],
  };
}

function seedAudit(): AuditEntryDto[] {
  const base = Date.UTC(2025, 9, 14, 14, 2, 11);
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
  const common = { profile: SANDBOX, actor: 'admin@acme.example', tenant: null, readOnly: true, detail: null, requestId: null, method: null, path: null, status: null, phase: null, reviewId: null };
  return [
    { ...common, time: at(0), event: 'impersonation.start', subject: 'tom.lee@acme.example', reason: 'SUP-4821 dashboard missing rows', sessionId: 'sess_a1' },
    { ...common, time: at(1), event: 'impersonation.request', subject: 'tom.lee@acme.example', reason: null, sessionId: 'sess_a1', method: 'GET', path: '/v2/files?typeFilters=workbook', status: 200, requestId: 'req_51c0a2b2e9c4' },
    { ...common, time: at(2), event: 'impersonation.refused', subject: 'tom.lee@acme.example', reason: null, sessionId: 'sess_a1', method: 'POST', path: '/v2/workbooks', detail: 'this session is read-only: only GET requests are allowed, not POST' },
    { ...common, time: at(6), event: 'impersonation.stop', subject: 'tom.lee@acme.example', reason: null, sessionId: 'sess_a1' },
    { ...common, time: at(40), event: 'impersonation.refused', subject: 'priya.raman@acme.example', reason: 'check access', sessionId: null, readOnly: null, detail: 'target_is_admin' },
    { ...common, time: at(95), event: 'impersonation.start', subject: 'olivia.johnson@acme.example', reason: 'SUP-4830', sessionId: 'sess_b2' },
    { ...common, time: at(110), event: 'impersonation.expired', subject: 'olivia.johnson@acme.example', reason: null, sessionId: 'sess_b2' },
    // An access review: one session per user, every record under the review's ID.
    { ...common, time: at(130), event: 'impersonation.start', subject: 'mia.thompson@acme.example', reason: 'SEC-212 quarterly review', sessionId: 'sess_r1', reviewId: 'rev_5c1e0a7f' },
    { ...common, time: at(130), event: 'impersonation.stop', subject: 'mia.thompson@acme.example', reason: null, sessionId: 'sess_r1', reviewId: 'rev_5c1e0a7f' },
    { ...common, time: at(131), event: 'impersonation.start', subject: 'sofia.martinez@acme.example', reason: 'SEC-212 quarterly review', sessionId: 'sess_r2', reviewId: 'rev_5c1e0a7f' },
    { ...common, time: at(131), event: 'impersonation.stop', subject: 'sofia.martinez@acme.example', reason: null, sessionId: 'sess_r2', reviewId: 'rev_5c1e0a7f' },
  ];
}
