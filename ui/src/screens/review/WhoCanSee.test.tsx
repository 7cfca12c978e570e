import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AccessReviewDto } from '../../ipc';
import { WhoCanSee } from './ReviewResults';
import { decodeMatrix } from './reviewState';

/** A review of `n` users who can all view the one document. */
function wideReview(n: number): AccessReviewDto {
  return {
    reviewId: 'rev-wide',
    actor: 'admin@acme.example',
    connection: 'Sandbox org',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    cancelled: false,
    fileType: null,
    users: Array.from({ length: n }, (_, i) => ({ memberId: `m-${i}`, email: `user${i}@acme.example`, name: `User ${i}`, outcome: 'done' as const, error: null })),
    documents: [{ id: 'd-1', name: 'Everyone', docType: 'workbook', path: 'Workspaces/All/Everyone', adminPermission: 'organize' }],
    permissions: ['view'],
    access: Array.from({ length: n }, () => [[0, 0]] as [number, number][]),
  };
}

describe('Who can see this document?', () => {
  it('counts every viewer but renders only the rows in view (a widely shared document in a large review)', () => {
    const matrix = decodeMatrix(wideReview(20_000));
    render(<WhoCanSee matrix={matrix} docCols={[0]} doc={0} onPick={() => undefined} onWhy={null} />);
    expect(document.querySelector('.card-head .count')?.textContent).toBe('20,000 users of 20,000');
    const table = screen.getByRole('table', { name: 'Who can see Everyone' });
    expect(table.getAttribute('aria-rowcount')).toBe('20002');
    // The header, the admin's row and at most a viewport of users (none before jsdom lays anything out).
    expect(table.querySelectorAll('tbody tr:not(.spacer)').length).toBeLessThan(100);
    expect(screen.getByText('You (admin)')).toBeTruthy();
  });
});
