/**
 * The Access review screen's state and the pure work on a review's result: the screen's reducer (events from
 * Rust arrive in any order relative to the Start call's answer), the compact matrix decoded into lookups,
 * the document filters and the "who can see this document?" axis. Unit-tested without a DOM.
 */
import type { AccessReviewDto, ErrorDto, ReviewDocumentDto, ReviewFinishedDto, ReviewProgressDto, ReviewStatusDto, ReviewUserDto } from '../../ipc';

export type Phase = 'loading' | 'idle' | 'starting' | 'running' | 'finished';

export interface ReviewState {
  phase: Phase;
  /** The review this screen follows (running or last ended); events about any other are ignored. */
  reviewId: string | null;
  progress: ReviewProgressDto | null;
  finished: ReviewFinishedDto | null;
  result: AccessReviewDto | null;
  /** Start refused, the review failed before it began, or its result could not be read. */
  error: ErrorDto | null;
  cancelling: boolean;
}

export type ReviewAction =
  | { type: 'status'; status: ReviewStatusDto }
  | { type: 'statusFailed'; error: ErrorDto }
  | { type: 'start' }
  | { type: 'started'; reviewId: string }
  | { type: 'startFailed'; error: ErrorDto }
  | { type: 'progress'; progress: ReviewProgressDto }
  | { type: 'finished'; finished: ReviewFinishedDto }
  | { type: 'result'; result: AccessReviewDto }
  | { type: 'resultFailed'; error: ErrorDto }
  | { type: 'cancel' }
  | { type: 'cancelFailed'; error: ErrorDto }
  | { type: 'newReview' };

export const initialReviewState: ReviewState = {
  phase: 'loading',
  reviewId: null,
  progress: null,
  finished: null,
  result: null,
  error: null,
  cancelling: false,
};

/** Users whose part has ended (listed or failed). */
export function ended(p: ReviewProgressDto): number {
  return p.done + p.failed;
}

/** Whether an event about `reviewId` belongs to what the screen follows now. */
function ours(state: ReviewState, reviewId: string): boolean {
  // While starting, the first event names the new review (Rust may emit it before Start answers).
  return state.phase === 'starting' ? state.reviewId === null || state.reviewId === reviewId : state.reviewId === reviewId;
}

export function reviewReducer(state: ReviewState, action: ReviewAction): ReviewState {
  switch (action.type) {
    case 'status': {
      if (state.phase !== 'loading') return state;
      const { running, last } = action.status;
      if (running) return { ...state, phase: 'running', reviewId: running.reviewId, progress: running };
      if (last) return { ...state, phase: 'finished', reviewId: last.reviewId, finished: last, error: last.error };
      return { ...state, phase: 'idle' };
    }
    case 'statusFailed':
      return { ...state, phase: 'idle', error: action.error };
    case 'start':
      return { ...initialReviewState, phase: 'starting' };
    case 'started':
      if (state.phase === 'starting') return { ...state, phase: 'running', reviewId: action.reviewId };
      // The review already ended (a tiny one): keep the finished state, but name it.
      if (state.phase === 'finished' && state.reviewId === null) return { ...state, reviewId: action.reviewId };
      return state;
    case 'startFailed':
      return state.phase === 'starting' ? { ...state, phase: 'idle', error: action.error } : state;
    case 'progress':
      // A review running in Rust that this screen did not start (opened before it began): follow it.
      if (state.phase === 'idle') return { ...state, phase: 'running', reviewId: action.progress.reviewId, progress: action.progress, error: null };
      if (state.phase !== 'starting' && state.phase !== 'running') return state;
      if (!ours(state, action.progress.reviewId)) return state;
      // Events can overtake each other; progress never goes backwards.
      if (state.progress && state.progress.reviewId === action.progress.reviewId && ended(action.progress) < ended(state.progress)) return state;
      return { ...state, reviewId: action.progress.reviewId, progress: action.progress };
    case 'finished':
      if (state.phase !== 'starting' && state.phase !== 'running') return state;
      if (!ours(state, action.finished.reviewId)) return state;
      return { ...state, phase: 'finished', reviewId: action.finished.reviewId, finished: action.finished, error: action.finished.error, cancelling: false };
    case 'result':
      return state.reviewId === action.result.reviewId ? { ...state, result: action.result } : state;
    case 'resultFailed':
      return { ...state, error: action.error };
    case 'cancel':
      return state.phase === 'running' ? { ...state, cancelling: true } : state;
    case 'cancelFailed':
      return { ...state, cancelling: false, error: action.error };
    case 'newReview':
      return state.phase === 'finished' ? { ...initialReviewState, phase: 'idle' } : state;
  }
}

/** "about 12 s left", "about 3 min left"; null while the rate is unknown. */
export function formatEta(etaMs: number | null): string | null {
  if (etaMs === null || !Number.isFinite(etaMs)) return null;
  const s = Math.max(0, Math.round(etaMs / 1000));
  if (s < 60) return `about ${s} s left`;
  if (s < 3600) return `about ${Math.round(s / 60)} min left`;
  return `about ${(s / 3600).toFixed(1)} h left`;
}

export function formatRate(ratePerSec: number): string {
  if (!Number.isFinite(ratePerSec) || ratePerSec <= 0) return '—';
  return ratePerSec >= 10 ? `${Math.round(ratePerSec)} users/s` : `${ratePerSec.toFixed(1)} users/s`;
}

/** Emails pasted in any shape: one per line, or separated by commas, semicolons or spaces; duplicates once. */
export function parseEmails(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const e = raw.trim().replace(/^<|>$/g, '');
    if (!e || seen.has(e.toLowerCase())) continue;
    seen.add(e.toLowerCase());
    out.push(e);
  }
  return out;
}

/** The emails that do not look like one (the review would refuse them; shown before Start). */
export function malformedEmails(emails: readonly string[]): string[] {
  return emails.filter((e) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e));
}

/** A decoded review: each user's row as a map from document index to permission. */
export interface Matrix {
  review: AccessReviewDto;
  rows: Array<Map<number, string>>;
}

export function decodeMatrix(review: AccessReviewDto): Matrix {
  const rows = review.users.map((_, i) => {
    const row = new Map<number, string>();
    for (const [doc, perm] of review.access[i] ?? []) {
      const name = review.permissions[perm];
      // A pair pointing outside the tables is skipped rather than shown as something it is not.
      if (name !== undefined && doc < review.documents.length) row.set(doc, name);
    }
    return row;
  });
  return { review, rows };
}

/** Every folder that holds a document of the review (each ancestor too), sorted: the folder filter's choices. */
export function folderChoices(documents: readonly ReviewDocumentDto[]): string[] {
  const set = new Set<string>();
  for (const d of documents) {
    const parts = d.path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) set.add(parts.slice(0, i).join('/'));
  }
  return [...set].sort((a, b) => a.localeCompare(b));
}

export function typeChoices(documents: readonly ReviewDocumentDto[]): string[] {
  return [...new Set(documents.map((d) => d.docType))].sort();
}

/** Indexes of the documents that pass the filters ('all' for none); a folder matches itself and below. */
export function filterDocuments(documents: readonly ReviewDocumentDto[], type: string, folder: string): number[] {
  const out: number[] = [];
  documents.forEach((d, i) => {
    if (type !== 'all' && d.docType !== type) return;
    if (folder !== 'all' && d.path !== folder && !d.path.startsWith(`${folder}/`)) return;
    out.push(i);
  });
  return out;
}

/** Indexes of the users matching the search (name or email), in review order. */
export function filterUsers(users: readonly ReviewUserDto[], search: string): number[] {
  const t = search.trim().toLowerCase();
  const out: number[] = [];
  users.forEach((u, i) => {
    if (!t || u.email.toLowerCase().includes(t) || (u.name ?? '').toLowerCase().includes(t)) out.push(i);
  });
  return out;
}

export interface Viewer {
  user: ReviewUserDto;
  permission: string;
}

/** The matrix's other axis: who, among the reviewed users, can access document `doc`, and how. */
export function whoCanSee(matrix: Matrix, doc: number): Viewer[] {
  const out: Viewer[] = [];
  matrix.review.users.forEach((user, i) => {
    const permission = matrix.rows[i]?.get(doc);
    if (permission) out.push({ user, permission });
  });
  return out;
}

export function userLabel(u: ReviewUserDto): string {
  return u.name?.trim() || u.email;
}
