import { describe, expect, it } from 'vitest';
import type { ReviewFinishedDto, ReviewProgressDto } from '../../ipc';
import { REVIEW } from './fixtures';
import {
  decodeMatrix,
  filterDocuments,
  filterUsers,
  folderChoices,
  formatEta,
  formatRate,
  initialReviewState,
  malformedEmails,
  parseEmails,
  reviewReducer,
  typeChoices,
  whoCanSee,
  type ReviewState,
} from './reviewState';

const progress = (reviewId: string, done: number, failed = 0, total = 10): ReviewProgressDto => ({
  reviewId,
  done,
  failed,
  total,
  elapsedMs: 1000,
  ratePerSec: 2,
  etaMs: 4000,
  throttled: false,
});

const finished = (reviewId: string, over: Partial<ReviewFinishedDto> = {}): ReviewFinishedDto => ({
  reviewId,
  cancelled: false,
  done: 10,
  failed: 0,
  notRun: 0,
  total: 10,
  error: null,
  ...over,
});


describe('the review screen reducer', () => {
  it('follows the status it opens on: a running review, the last one, or nothing', () => {
    const running = reviewReducer(initialReviewState, { type: 'status', status: { running: progress('r1', 3), last: null } });
    expect(running).toMatchObject({ phase: 'running', reviewId: 'r1' });
    const last = reviewReducer(initialReviewState, { type: 'status', status: { running: null, last: finished('r0') } });
    expect(last).toMatchObject({ phase: 'finished', reviewId: 'r0' });
    expect(reviewReducer(initialReviewState, { type: 'status', status: { running: null, last: null } }).phase).toBe('idle');
  });

  it('takes progress that overtakes the Start answer, ignores other reviews, never goes backwards', () => {
    let s: ReviewState = reviewReducer({ ...initialReviewState, phase: 'idle' }, { type: 'start' });
    expect(s.phase).toBe('starting');
    s = reviewReducer(s, { type: 'progress', progress: progress('r2', 1) });
    expect(s).toMatchObject({ reviewId: 'r2', progress: { done: 1 } });
    s = reviewReducer(s, { type: 'started', reviewId: 'r2' });
    expect(s.phase).toBe('running');
    s = reviewReducer(s, { type: 'progress', progress: progress('other', 9) });
    expect(s.progress?.reviewId).toBe('r2');
    s = reviewReducer(s, { type: 'progress', progress: progress('r2', 4, 1) });
    s = reviewReducer(s, { type: 'progress', progress: progress('r2', 3, 1) });
    expect(s.progress).toMatchObject({ done: 4, failed: 1 });
    s = reviewReducer(s, { type: 'finished', finished: finished('other') });
    expect(s.phase).toBe('running');
    s = reviewReducer(s, { type: 'cancel' });
    expect(s.cancelling).toBe(true);
    s = reviewReducer(s, { type: 'finished', finished: finished('r2', { cancelled: true, notRun: 5 }) });
    expect(s).toMatchObject({ phase: 'finished', cancelling: false, finished: { cancelled: true } });
    s = reviewReducer(s, { type: 'result', result: { ...REVIEW, reviewId: 'stale' } });
    expect(s.result).toBeNull();
    s = reviewReducer(s, { type: 'result', result: { ...REVIEW, reviewId: 'r2' } });
    expect(s.result?.reviewId).toBe('r2');
    expect(reviewReducer(s, { type: 'newReview' }).phase).toBe('idle');
  });

  it('a refused start goes back to the form with the error; a review begun elsewhere is followed', () => {
    let s = reviewReducer({ ...initialReviewState, phase: 'idle' }, { type: 'start' });
    const error = { code: 'review_running', message: 'an access review is already running', requestId: null, rule: null };
    s = reviewReducer(s, { type: 'startFailed', error });
    expect(s).toMatchObject({ phase: 'idle', error });
    s = reviewReducer(s, { type: 'progress', progress: progress('elsewhere', 2) });
    expect(s).toMatchObject({ phase: 'running', reviewId: 'elsewhere', error: null });
  });
});

describe('the matrix', () => {
  const m = decodeMatrix(REVIEW);

  it('decodes each user’s pairs, tolerating a permission Sigma adds later and skipping pairs out of range', () => {
    expect([...m.rows[0]!]).toEqual([[0, 'organize'], [2, 'view']]);
    expect([...m.rows[1]!]).toEqual([[0, 'view'], [1, 'future-level']]);
    expect(m.rows[2]!.size).toBe(0);
  });

  it('filters documents by type and folder (the folder itself and below, not a sibling that shares its prefix)', () => {
    expect(filterDocuments(REVIEW.documents, 'workbook', 'all')).toEqual([0, 2]);
    expect(filterDocuments(REVIEW.documents, 'all', 'Workspaces/Sales')).toEqual([0, 2]);
    expect(filterDocuments(REVIEW.documents, 'all', 'Workspaces/Sales/Deep')).toEqual([2]);
    expect(filterDocuments(REVIEW.documents, 'dataset', 'Workspaces/Sales')).toEqual([]);
    expect(folderChoices(REVIEW.documents)).toEqual(['Workspaces', 'Workspaces/Data', 'Workspaces/Sales', 'Workspaces/Sales/Deep']);
    expect(typeChoices(REVIEW.documents)).toEqual(['dashboard-2027', 'dataset', 'workbook']);
  });

  it('filters users by name or email', () => {
    expect(filterUsers(REVIEW.users, '')).toEqual([0, 1, 2, 3]);
    expect(filterUsers(REVIEW.users, 'TOM')).toEqual([0]);
    expect(filterUsers(REVIEW.users, 'zoe park')).toEqual([3]);
  });

  it('answers who can see a document, with each level (failed and not-run users never count)', () => {
    expect(whoCanSee(m, 0).map((v) => [v.user.email, v.permission])).toEqual([
      ['tom.lee@acme.example', 'organize'],
      ['mia@acme.example', 'view'],
    ]);
    expect(whoCanSee(m, 3)).toEqual([]);
  });
});

describe('formatting and input', () => {
  it('says the time left and the rate', () => {
    expect(formatEta(null)).toBeNull();
    expect(formatEta(12_400)).toBe('about 12 s left');
    expect(formatEta(150_000)).toBe('about 3 min left');
    expect(formatEta(5_400_000)).toBe('about 1.5 h left');
    expect(formatRate(0)).toBe('—');
    expect(formatRate(3.84)).toBe('3.8 users/s');
    expect(formatRate(41.6)).toBe('42 users/s');
  });

  it('reads pasted emails in any shape, once each, and spots what is not one', () => {
    const emails = parseEmails('tom@acme.example, Mia@acme.example;\n<zoe@acme.example>\n\nTOM@acme.example not-an-email');
    expect(emails).toEqual(['tom@acme.example', 'Mia@acme.example', 'zoe@acme.example', 'not-an-email']);
    expect(malformedEmails(emails)).toEqual(['not-an-email']);
  });
});
