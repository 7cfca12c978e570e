import type { AccessReviewDto } from '../../ipc';

/** A small review for the unit tests: a failed user (an unknown email), a user not run, a permission Sigma adds later. */
export const REVIEW: AccessReviewDto = {
  reviewId: 'rev-1',
  actor: 'admin@acme.example',
  connection: 'Sandbox org',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:00:05Z',
  cancelled: false,
  fileType: null,
  users: [
    { memberId: 'm-tom', email: 'tom.lee@acme.example', name: 'Tom Lee', outcome: 'done', error: null },
    { memberId: 'm-mia', email: 'mia@acme.example', name: null, outcome: 'done', error: null },
    { memberId: null, email: 'nobody@acme.example', name: null, outcome: 'failed', error: { code: 'refused', message: 'no user with email nobody@acme.example', requestId: null, rule: 'target_not_found' } },
    { memberId: 'm-zoe', email: 'zoe@acme.example', name: 'Zoe Park', outcome: 'notRun', error: null },
  ],
  documents: [
    { id: 'd-1', name: 'Pipeline', docType: 'workbook', path: 'Workspaces/Sales/Pipeline', adminPermission: 'organize' },
    { id: 'd-2', name: 'Orders', docType: 'dataset', path: 'Workspaces/Data/Orders', adminPermission: null },
    { id: 'd-3', name: 'Forecast', docType: 'workbook', path: 'Workspaces/Sales/Deep/Forecast', adminPermission: 'view' },
    { id: 'd-4', name: 'Sales review', docType: 'dashboard-2027', path: 'Workspaces/Sales review', adminPermission: 'view' },
  ],
  permissions: ['organize', 'view', 'future-level'],
  // Mia's second pair points past the tables: skipped, never shown as something it is not.
  access: [[[0, 0], [2, 1]], [[0, 1], [1, 2], [9, 0], [3, 7]], [], []],
};
