import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessReviewDto, ErrorDto, ReviewStatusDto } from '../../ipc';
import { emitFakeEvent, installFakeBackend, removeFakeBackend } from '../../ipc/testBackend';
import { TipProvider } from '../../components/Tip';
import { TestQueries } from '../../lib/queries';
import { ConnectionProvider } from '../../state/connection';
import { NoticesProvider } from '../../state/notices';
import { SessionProvider } from '../../state/session';
import { ReviewScreen } from './ReviewScreen';
import { REVIEW } from './fixtures';

afterEach(() => {
  cleanup();
  removeFakeBackend();
});

type Call = { command: string; args: Record<string, unknown> };

const member = (id: string, allowed: boolean) => ({
  memberId: id,
  email: `${id}@acme.example`,
  firstName: id,
  lastName: '',
  name: id,
  memberType: allowed ? 'Viewer' : 'Admin',
  userKind: null,
  isArchived: false,
  isInactive: false,
  homeFolderId: null,
  createdAt: null,
  updatedAt: null,
  impersonation: { allowed, reason: allowed ? null : 'admins cannot be impersonated' },
  extra: {},
});

function backend({
  status = { running: null, last: null },
  start = () => ({ reviewId: 'rev-1' }),
  result = REVIEW,
}: { status?: ReviewStatusDto; start?: () => unknown; result?: AccessReviewDto } = {}): Call[] {
  const calls: Call[] = [];
  installFakeBackend((command, args) => {
    calls.push({ command, args });
    switch (command) {
      case 'current_session':
        return null;
      case 'current_connection':
        return {
          connection: { name: 'Sandbox org', kind: 'sandbox', baseUrl: 'http://127.0.0.1:1', region: 'Custom', clientId: 'c', tenant: null, hasSecret: true, secretStatus: 'stored', caFile: null },
          actor: { userId: 'm-admin', organizationId: 'o', email: 'admin@acme.example', name: 'Ada Admin', accountType: 'Admin', canImpersonate: true },
          actorError: null,
        };
      case 'list_users':
        // For the whole-org count: two users who can be impersonated, one admin who cannot.
        return [member('a', true), member('b', true), member('admin', false)];
      case 'list_teams':
        return [{ teamId: 't-sales', name: 'Sales', description: null, visibility: null, isArchived: false }];
      case 'access_review_status':
        return status;
      case 'start_access_review':
        return start();
      case 'cancel_access_review':
        return null;
      case 'access_review_result':
        return result;
      case 'explain_access':
        throw { code: 'not_found', message: 'Sigma found nothing there (404)', requestId: 'req_9', rule: null };
      default:
        throw { code: 'internal', message: `unexpected ${command}`, requestId: null, rule: null };
    }
  });
  return calls;
}

function renderScreen() {
  return render(
    <NoticesProvider>
      <ConnectionProvider>
        <SessionProvider>
          <TestQueries>
            <TipProvider>
              <ReviewScreen />
            </TipProvider>
          </TestQueries>
        </SessionProvider>
      </ConnectionProvider>
    </NoticesProvider>,
  );
}

const progress = (done: number, over = {}) => ({ reviewId: 'rev-1', done, failed: 0, total: 4, elapsedMs: 1000, ratePerSec: 2, etaMs: 1000, throttled: false, ...over });

describe('Access review screen', () => {
  it('starts a team review with what the form says, shows progress and throttling, then the result', async () => {
    const calls = backend();
    renderScreen();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'New access review' });
    await user.click(within(form).getByRole('button', { name: 'Start review' }));
    // Nothing is sent until a team is chosen.
    expect(within(form).getByText('Pick a team')).toBeTruthy();
    expect(calls.some((c) => c.command === 'start_access_review')).toBe(false);
    await waitFor(() => expect(within(form).getByRole('option', { name: 'Sales' })).toBeTruthy());
    await user.selectOptions(within(form).getByLabelText('Team', { exact: true }), 't-sales');
    await user.selectOptions(within(form).getByLabelText('Type'), 'workbook');
    await user.clear(within(form).getByLabelText('Concurrency'));
    await user.type(within(form).getByLabelText('Concurrency'), '4');
    await user.type(within(form).getByLabelText(/Reason or ticket/), 'SEC-212');
    await user.click(within(form).getByRole('button', { name: 'Start review' }));
    await waitFor(() => expect(calls.some((c) => c.command === 'start_access_review')).toBe(true));
    expect(calls.find((c) => c.command === 'start_access_review')!.args).toEqual({
      request: { scope: { kind: 'team', teamId: 't-sales', emails: null }, fileType: 'workbook', concurrency: 4, reason: 'SEC-212' },
    });

    await act(() => emitFakeEvent('review-progress', progress(1, { failed: 1, throttled: true })));
    const bar = await screen.findByRole('progressbar', { name: 'Users reviewed' });
    expect(bar.getAttribute('aria-valuenow')).toBe('2');
    expect(bar.getAttribute('aria-valuemax')).toBe('4');
    expect(screen.getByText('Sigma is throttling — slowing down.')).toBeTruthy();
    expect(screen.getByText(/1 failed/)).toBeTruthy();
    await act(() => emitFakeEvent('review-finished', { reviewId: 'rev-1', cancelled: false, done: 2, failed: 1, notRun: 1, total: 4, error: null }));
    const grid = await screen.findByRole('grid', { name: 'Access matrix: users by documents' });
    expect(within(grid).getByRole('rowheader', { name: /You \(admin\)/ })).toBeTruthy();
    expect(within(grid).getByRole('gridcell', { name: 'Tom Lee: Pipeline, organize. Why?' })).toBeTruthy();
    expect(within(grid).getByRole('gridcell', { name: 'mia@acme.example: Orders, future-level. Why?' })).toBeTruthy();
    // The failed user with its error, and the user not run, labelled.
    const failures = screen.getByRole('list', { name: 'Users not reviewed' });
    expect(failures.textContent).toMatch(/nobody@acme\.example.*Failed.*refused.*no user with email/);
    expect(failures.textContent).toMatch(/Zoe Park.*Not run/);

    // Why? on a cell asks about that user and that document; the admin's row and a failed user's cells do not ask.
    expect(within(grid).queryByRole('button', { name: /^You: / })).toBeNull();
    expect(within(grid).queryByRole('button', { name: /nobody@acme\.example/ })).toBeNull();
    await user.click(within(grid).getByRole('button', { name: 'Tom Lee: Pipeline, organize. Why?' }));
    const dialog = await screen.findByRole('dialog', { name: 'Why? Tom Lee and Pipeline' });
    await waitFor(() => expect(calls.find((c) => c.command === 'explain_access')?.args).toEqual({ memberId: 'm-tom', documentId: 'd-1' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Could not explain this access');
    // A whole form typed key by key, a review and a dialog: more than the default 5 s on a loaded machine.
  }, 20_000);

  it('Esc cancels a running review; the partial result says so', async () => {
    const calls = backend({ status: { running: progress(1), last: null }, result: { ...REVIEW, cancelled: true } });
    renderScreen();
    await screen.findByRole('progressbar', { name: 'Users reviewed' });
    await userEvent.setup().keyboard('{Escape}');
    await waitFor(() => expect(calls.filter((c) => c.command === 'cancel_access_review')).toEqual([{ command: 'cancel_access_review', args: { reviewId: 'rev-1' } }]));
    expect(screen.getByRole('button', { name: 'Cancelling…' })).toBeTruthy();
    await act(() => emitFakeEvent('review-finished', { reviewId: 'rev-1', cancelled: true, done: 2, failed: 1, notRun: 1, total: 4, error: null }));
    expect((await screen.findByTestId('review-partial')).textContent).toContain('Cancelled after 3 of 4 users — partial results.');
  });

  it('a refused start is shown with its reason, and the form stays', async () => {
    const refused: ErrorDto = { code: 'review_running', message: 'an access review is already running; cancel it or wait for it to end', requestId: null, rule: null };
    backend({
      start: () => {
        throw refused;
      },
    });
    renderScreen();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'New access review' });
    await user.click(within(form).getByRole('radio', { name: 'These users' }));
    await user.type(within(form).getByLabelText('Emails'), 'tom.lee@acme.example');
    await user.click(within(form).getByRole('button', { name: 'Start review' }));
    expect((await screen.findByRole('alert')).textContent).toContain('already running');
    expect(screen.getByRole('form', { name: 'New access review' })).toBeTruthy();
  });

  it('the whole org is confirmed first, with the number of users it covers', async () => {
    const calls = backend();
    renderScreen();
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'New access review' });
    await user.click(within(form).getByRole('radio', { name: 'Everyone in the organization' }));
    await waitFor(() => expect(form.textContent).toContain('2 users can be impersonated'));
    await user.click(within(form).getByRole('button', { name: 'Start review' }));
    const dialog = await screen.findByRole('dialog', { name: 'Review the whole organization?' });
    expect(calls.some((c) => c.command === 'start_access_review')).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Review 2 users' }));
    await waitFor(() => expect(calls.find((c) => c.command === 'start_access_review')?.args).toMatchObject({ request: { scope: { kind: 'all' } } }));
  });
});
