/**
 * The mock backend's access review (mock.ts hands it the fake org): users are "impersonated" `concurrency` at a
 * time, one batch per step, with `review-progress` after each batch and `review-finished` at the end, so the
 * screen can be watched, cancelled, throttled and failed in a browser without Rust.
 *
 * URL knobs: `reviewStepMs=MS` (one batch per step; default 250), `reviewFail=email1,email2` (those users fail
 * with a Sigma 503), `reviewThrottle=N` (after N users Sigma throttles for 2 s: the pace halves and progress
 * says `throttled`). Tests steer it through `window.__standinMock` (failReviewUser, throttleReview, setReviewStepMs).
 */
import { emit } from '@tauri-apps/api/event';
import type {
  AccessReviewDto,
  AuditEntryDto,
  Eligibility,
  ErrorDto,
  ExportFormat,
  ReviewDocumentDto,
  ReviewFinishedDto,
  ReviewProgressDto,
  ReviewRequestDto,
  ReviewStatusDto,
  ReviewUserDto,
} from './bindings';
import { permissionFor, type Org, type OrgMember } from './mockOrg';

export interface MockReviewControl {
  /** The user with this email fails in every later review. */
  failReviewUser(email: string): void;
  /** Sigma throttles the running review (or the next one) for `ms`. */
  throttleReview(ms: number): void;
  setReviewStepMs(ms: number): void;
}

interface Deps {
  org: Org;
  params: URLSearchParams;
  actor: () => OrgMember;
  connection: () => string;
  eligibility: (m: OrgMember) => Eligibility;
  record: (entry: Partial<AuditEntryDto> & Pick<AuditEntryDto, 'event'>) => void;
  fail: (code: string, message: string, withRequestId?: boolean) => ErrorDto;
}

interface Planned {
  member: OrgMember | null;
  email: string;
  /** Set before the review runs when the user cannot be impersonated at all. */
  refusal: ErrorDto | null;
}

interface Running {
  id: string;
  request: ReviewRequestDto;
  planned: Planned[];
  outcomes: Array<ReviewUserDto['outcome'] | null>;
  errors: Array<ErrorDto | null>;
  next: number;
  failed: number;
  started: number;
  timer: ReturnType<typeof setTimeout> | null;
  throttledUntil: number;
  cancelled: boolean;
}

export function createMockReviews(deps: Deps): { handle: (command: string, args: Record<string, unknown>) => { value: unknown } | null; control: MockReviewControl } {
  const { org, params } = deps;
  let stepMs = Number(params.get('reviewStepMs') ?? '250') || 250;
  const failing = new Set((params.get('reviewFail') ?? '').split(',').filter(Boolean).map((e) => e.toLowerCase()));
  let throttleAfter = Number(params.get('reviewThrottle') ?? '0') || 0;
  let throttleNowMs = 0;
  let running: Running | null = null;
  let last: { finished: ReviewFinishedDto; result: AccessReviewDto | null } | null = null;
  let counter = 0;
  const byEmail = new Map(org.members.map((m) => [m.email.toLowerCase(), m]));

  function plan(req: ReviewRequestDto): Planned[] {
    // Like the core: a member who cannot be impersonated is a row with the rule that refuses them (its code).
    const of = (m: OrgMember): Planned => {
      const ok = deps.eligibility(m);
      const rule = m.memberType.toLowerCase() === 'admin' ? 'target_is_admin' : m.archived ? 'target_archived' : m.inactive ? 'target_inactive' : 'actor_not_admin';
      return { member: m, email: m.email, refusal: ok.allowed ? null : { code: rule, message: ok.reason ?? 'refused', requestId: null, rule } };
    };
    switch (req.scope.kind) {
      case 'team': {
        const team = org.teams.find((t) => t.teamId === req.scope.teamId);
        if (!team) throw deps.fail('not_found', 'Sigma could not find that team (404)', true);
        return team.members.map((id) => org.members.find((m) => m.memberId === id)).filter((m): m is OrgMember => !!m).map(of);
      }
      case 'emails': {
        const emails = [...new Set((req.scope.emails ?? []).map((e) => e.trim().toLowerCase()).filter(Boolean))];
        if (emails.length === 0) throw deps.fail('invalid_review', 'give at least one email to review');
        return emails.map((email) => {
          const m = byEmail.get(email);
          if (m) return of(m);
          const malformed = !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email);
          return {
            member: null,
            email,
            refusal: malformed
              ? { code: 'malformed_email', message: `'${email}' is not a valid email address`, requestId: null, rule: 'malformed_email' }
              : { code: 'target_not_found', message: `no user with email ${email} in this organization`, requestId: null, rule: 'target_not_found' },
          };
        });
      }
      case 'all':
        // Every active member; admins are rows refused with their rule, as the core lists them.
        return org.members.filter((m) => !m.archived && !m.inactive).map(of);
    }
  }

  function progress(r: Running): ReviewProgressDto {
    // Like the core: `done` counts the users whose documents were listed, `failed` the others that ended.
    const ended = r.outcomes.filter((o) => o !== null).length;
    const elapsedMs = Math.max(1, Date.now() - r.started);
    const ratePerSec = (ended * 1000) / elapsedMs;
    return {
      reviewId: r.id,
      done: ended - r.failed,
      failed: r.failed,
      total: r.planned.length,
      elapsedMs,
      ratePerSec,
      etaMs: ended > 0 ? Math.round(((r.planned.length - ended) / ratePerSec) * 1000) : null,
      throttled: Date.now() < r.throttledUntil,
    };
  }

  function documentsAndAccess(r: Running): Pick<AccessReviewDto, 'documents' | 'access' | 'permissions'> {
    const type = r.request.fileType;
    const admin = deps.actor();
    const files = org.files.filter((f) => !type || f.fileType === type);
    const rows = r.planned.map((p, i) =>
      r.outcomes[i] === 'done' && p.member ? files.map((f) => permissionFor(p.member!, f)) : files.map(() => null),
    );
    // Only documents someone in the review, or the admin, can see: that is all a review can learn.
    const keep = files.map((f, j) => permissionFor(admin, f) !== null || rows.some((row) => row[j] !== null));
    const documents: ReviewDocumentDto[] = [];
    const index = new Map<number, number>();
    files.forEach((f, j) => {
      if (!keep[j]) return;
      index.set(j, documents.length);
      documents.push({ id: f.id, name: f.name, docType: f.fileType, path: f.path, adminPermission: permissionFor(admin, f) });
    });
    const permissions: string[] = [];
    const access = rows.map((row) => {
      const pairs: Array<[number, number]> = [];
      row.forEach((perm, j) => {
        const at = index.get(j);
        if (!perm || at === undefined) return;
        if (!permissions.includes(perm)) permissions.push(perm);
        pairs.push([at, permissions.indexOf(perm)]);
      });
      return pairs;
    });
    return { documents, access, permissions };
  }

  function finish(r: Running) {
    if (r.timer) clearTimeout(r.timer);
    running = null;
    const users: ReviewUserDto[] = r.planned.map((p, i) => ({
      memberId: p.member?.memberId ?? null,
      email: p.email,
      name: p.member ? `${p.member.firstName} ${p.member.lastName}`.trim() || null : null,
      outcome: r.outcomes[i] ?? 'notRun',
      error: r.errors[i] ?? null,
    }));
    const result: AccessReviewDto = {
      reviewId: r.id,
      actor: deps.actor().email,
      connection: deps.connection(),
      startedAt: new Date(r.started).toISOString(),
      finishedAt: new Date().toISOString(),
      cancelled: r.cancelled,
      fileType: r.request.fileType,
      users,
      ...documentsAndAccess(r),
    };
    const finished: ReviewFinishedDto = {
      reviewId: r.id,
      cancelled: r.cancelled,
      done: users.filter((u) => u.outcome === 'done').length,
      failed: r.failed,
      notRun: users.filter((u) => u.outcome === 'notRun').length,
      total: users.length,
      error: null,
    };
    last = { finished, result };
    void emit('review-finished', finished);
  }

  function step(r: Running) {
    if (running !== r) return;
    if (throttleNowMs > 0) {
      r.throttledUntil = Date.now() + throttleNowMs;
      throttleNowMs = 0;
    }
    if (throttleAfter > 0 && r.next >= throttleAfter) {
      r.throttledUntil = Date.now() + 2000;
      throttleAfter = 0;
    }
    const throttled = Date.now() < r.throttledUntil;
    // Throttled, the review slows down (half the users per step) instead of hammering Sigma.
    const batch = Math.max(1, Math.floor((r.request.concurrency ?? 8) / (throttled ? 2 : 1)));
    for (let k = 0; k < batch && r.next < r.planned.length; k++) {
      const i = r.next++;
      const p = r.planned[i]!;
      const injected = failing.has(p.email.toLowerCase());
      if (p.refusal || injected) {
        r.outcomes[i] = 'failed';
        r.errors[i] = p.refusal ?? deps.fail('sigma_error', 'Sigma had a server error (503); try again later and give Sigma support the request ID', true);
        r.failed++;
        continue;
      }
      r.outcomes[i] = 'done';
      deps.record({ event: 'impersonation.start', subject: p.email, reason: r.request.reason, sessionId: `sess_${r.id}_${i}`, readOnly: true, reviewId: r.id });
      deps.record({ event: 'impersonation.stop', subject: p.email, sessionId: `sess_${r.id}_${i}`, readOnly: true, reviewId: r.id });
    }
    void emit('review-progress', progress(r));
    if (r.next >= r.planned.length) finish(r);
    else r.timer = setTimeout(() => step(r), stepMs);
  }

  function handle(command: string, args: Record<string, unknown>): { value: unknown } | null {
    switch (command) {
      case 'start_access_review': {
        if (running) throw { code: 'review_running', message: 'an access review is already running; cancel it or wait for it to finish', requestId: null, rule: null } satisfies ErrorDto;
        const request = args.request as ReviewRequestDto;
        const planned = plan(request);
        const id = `rev_${Date.now().toString(36)}${++counter}`;
        const r: Running = { id, request, planned, outcomes: planned.map(() => null), errors: planned.map(() => null), next: 0, failed: 0, started: Date.now(), timer: null, throttledUntil: 0, cancelled: false };
        running = r;
        void emit('review-progress', progress(r));
        r.timer = setTimeout(() => step(r), stepMs);
        return { value: { reviewId: id } };
      }
      case 'cancel_access_review': {
        if (running && running.id === args.reviewId) {
          running.cancelled = true;
          finish(running);
        }
        return { value: null };
      }
      case 'access_review_status': {
        const status: ReviewStatusDto = { running: running ? progress(running) : null, last: last?.finished ?? null };
        return { value: status };
      }
      case 'access_review_result': {
        if (!last?.result || last.result.reviewId !== args.reviewId)
          throw deps.fail('review_not_found', 'that access review is no longer in memory; run it again');
        return { value: last.result };
      }
      case 'export_access_review': {
        if (!last?.result || last.result.reviewId !== args.reviewId)
          throw deps.fail('review_not_found', 'that access review is no longer in memory; run it again');
        const ext: ExportFormat = args.format === 'csv' ? 'csv' : 'json';
        const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
        return { value: { path: `/home/you/Downloads/stand-in-review-${stamp}.${ext}`, users: last.result.users.length, documents: last.result.documents.length } };
      }
      default:
        return null;
    }
  }

  const control: MockReviewControl = {
    failReviewUser(email) {
      failing.add(email.toLowerCase());
    },
    throttleReview(ms) {
      throttleNowMs = ms;
    },
    setReviewStepMs(ms) {
      stepMs = ms;
    },
  };
  return { handle, control };
}
