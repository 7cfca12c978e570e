// Access review (issue 8) on the mocked backend: run a team review and watch its progress (throttling
// included), the matrix with a failed user, filters by type and folder, "who can see this document?",
// exports, and a whole-org review started and cancelled with the keyboard alone (partial results).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, eventually, expectAccessible, launch, openApp, screenshot, serveDist } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const callsOf = (page, command) =>
  page.evaluate((c) => window.__standinMock.calls.filter((x) => x.command === c).map((x) => x.args), command);

describe('Access review', () => {
  test('a team review: progress and throttling, failures, the matrix, filters, who can see, exports', async () => {
    const page = await openApp(browser, server.url, { hash: '#/review', query: 'reviewStepMs=350&reviewFail=olivia.johnson@acme.example' });
    // The nav entry is there and current.
    const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access review' });
    assert.equal(await nav.getAttribute('aria-current'), 'page');
    const form = page.getByRole('form', { name: 'New access review' });
    await form.waitFor();
    await form.getByLabel('Team', { exact: true }).selectOption({ label: 'Sales' });
    await form.getByLabel('Concurrency').fill('2');
    await form.getByLabel('Reason or ticket').fill('SEC-212 quarterly review');
    await expectAccessible(page, assert, 'review setup');
    await screenshot(page, '70-review-setup');

    await form.getByRole('button', { name: 'Start review' }).click();
    const bar = page.getByRole('progressbar', { name: 'Users reviewed' });
    await bar.waitFor();
    // Sales has 8 members; the archived one is a row refused with its reason, never impersonated.
    await eventually(async () => assert.equal(await bar.getAttribute('aria-valuemax'), '8'));
    await eventually(async () => assert.ok(Number(await bar.getAttribute('aria-valuenow')) >= 2));
    await page.evaluate(() => window.__standinMock.throttleReview(1500));
    const throttled = page.getByTestId('review-throttled');
    await throttled.waitFor({ timeout: 5000 });
    assert.equal(await throttled.innerText(), 'Sigma is throttling — slowing down.');
    assert.match(await page.locator('.review-progress-text').innerText(), /\d of 8 users.*users\/s/);
    await expectAccessible(page, assert, 'review running');
    await screenshot(page, '71-review-running-throttled');
    const start = (await callsOf(page, 'start_access_review'))[0];
    assert.deepEqual(start.request.scope.kind, 'team');
    assert.equal(start.request.concurrency, 2);
    assert.equal(start.request.reason, 'SEC-212 quarterly review');

    // Finished: the failed user listed with its error, the others in the matrix.
    const grid = page.getByRole('grid', { name: 'Access matrix: users by documents' });
    await grid.waitFor({ timeout: 15000 });
    const failures = page.getByRole('list', { name: 'Users not reviewed' });
    assert.match(await failures.innerText(), /Olivia Johnson[\s\S]*Failed[\s\S]*sigma_error[\s\S]*503/);
    assert.match(await failures.innerText(), /Grace Chen[\s\S]*Failed[\s\S]*target_archived[\s\S]*archived/);
    assert.equal(await page.getByTestId('review-partial').count(), 0);
    assert.ok(await grid.getByRole('rowheader', { name: /You \(admin\)/ }).count());
    const tomHead = grid.getByRole('rowheader', { name: /Tom Lee/ });
    await tomHead.waitFor();
    await expectAccessible(page, assert, 'review results');
    await screenshot(page, '72-review-matrix');

    // Filters: a type, then a folder; the columns follow.
    const count = page.locator('.review-results .toolbar .count');
    const all = await count.innerText();
    await page.getByLabel('Type', { exact: true }).selectOption('workbook');
    await eventually(async () => assert.notEqual(await count.innerText(), all));
    const headers = await grid.getByRole('columnheader').allInnerTexts();
    assert.ok(headers.slice(1).every((h) => /workbook/.test(h)), headers.join(' | '));
    await page.getByLabel('Type', { exact: true }).selectOption('all');
    await page.getByLabel('Folder').selectOption('Workspaces/Finance');
    await eventually(async () => {
      const names = await grid.getByRole('columnheader').allInnerTexts();
      assert.ok(names.some((n) => n.includes('GL Balances')), names.join(' | '));
      assert.ok(!names.some((n) => n.includes('Pipeline Overview')), names.join(' | '));
    });
    await page.getByLabel('Folder').selectOption('all');

    // A cell, read as a sentence; the keyboard moves between cells.
    const cell = grid.getByRole('gridcell', { name: /^Tom Lee: Pipeline Overview, / });
    assert.match(await cell.innerText(), /Organize|—/);
    await grid.getByRole('rowheader', { name: /You \(admin\)/ }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-cell')), '1:1'));

    // Why? on a cell: the grant path, in a dialog; Esc closes it and focus goes back to the cell.
    await grid.getByRole('button', { name: /^Tom Lee: Pipeline Overview, organize\. Why\?$/ }).click();
    const why = page.getByRole('dialog', { name: 'Why? Tom Lee and Pipeline Overview' });
    await why.waitFor();
    await eventually(async () => assert.match(await why.innerText(), /Because:|would give access/));
    const tom = await page.evaluate(async () => (await window.__TAURI_INTERNALS__.invoke('list_users', { query: { search: 'tom lee', includeArchived: false } }))[0].memberId);
    assert.equal((await callsOf(page, 'explain_access')).at(-1).memberId, tom);
    await expectAccessible(page, assert, 'review why');
    await screenshot(page, '72b-review-why');
    await page.keyboard.press('Escape');
    await why.waitFor({ state: 'detached' });
    await eventually(async () => assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /Tom Lee: Pipeline Overview/));

    // Who can see: from a column's header.
    await grid.getByRole('button', { name: 'Who can see Pipeline Overview', exact: true }).click();
    const who = page.getByRole('table', { name: 'Who can see Pipeline Overview' });
    await who.waitFor();
    const rows = await who.getByRole('row').allInnerTexts();
    assert.match(rows[1], /You \(admin\)/);
    assert.ok(rows.some((r) => /Tom Lee[\s\S]*Organize/.test(r)), rows.join('\n'));
    assert.ok(!rows.some((r) => /Olivia Johnson/.test(r)), 'the failed user is not counted as seeing it');
    assert.equal(await page.getByRole('tab', { name: 'Who can see a document?' }).getAttribute('aria-selected'), 'true');
    await expectAccessible(page, assert, 'who can see');
    await screenshot(page, '73-review-who-can-see');
    await page.getByRole('combobox', { name: 'Document' }).selectOption({ label: 'GL Balances — Workspaces/Finance/GL Balances' });
    await page.getByRole('table', { name: 'Who can see GL Balances' }).waitFor();

    // Exports: a new file each, shown in its folder.
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Exported' });
    await eventually(async () => assert.match(await done.innerText(), /Exported 8 users × \d+ documents to \/home\/you\/Downloads\/stand-in-review-.*\.csv/));
    await page.getByRole('button', { name: 'Show in folder' }).click();
    await eventually(async () => assert.equal((await callsOf(page, 'reveal_export')).length, 1));
    await page.getByRole('button', { name: 'Export JSON' }).click();
    await eventually(async () => assert.match(await done.innerText(), /\.json/));
    const exports = await callsOf(page, 'export_access_review');
    assert.deepEqual(exports.map((e) => e.format), ['csv', 'json']);
    assert.equal(exports[0].reviewId, exports[1].reviewId);
    await screenshot(page, '74-review-exported');

    // Leaving and coming back keeps the result (it lives in Rust).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Access review' }).click();
    await page.getByRole('grid', { name: 'Access matrix: users by documents' }).waitFor();

    // Its records are in the audit log under one ID, which filters the log.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    const review = page.getByRole('button', { name: /^Show access review rev_/ }).first();
    await review.click();
    await eventually(async () => assert.match(await page.locator('.count').innerText(), /^12 of \d+ entries$/));
    await expectAccessible(page, assert, 'audit by review');
    await screenshot(page, '75-audit-review-filter');
    assertClean(page, assert);
  });

  test('keyboard only: the whole org after its confirmation, Esc cancels, partial results and users not run', async () => {
    const page = await openApp(browser, server.url, { hash: '#/review', query: 'reviewStepMs=400' });
    const form = page.getByRole('form', { name: 'New access review' });
    await form.waitFor();
    // Tab to the first scope radio, then the arrow keys pick "Everyone in the organization".
    await form.getByRole('radio', { name: 'A team' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await form.getByRole('radio', { name: 'Everyone in the organization' }).isChecked(), true);
    await eventually(async () => assert.match(await form.innerText(), /\d+ users can be impersonated/));
    await form.getByLabel('Concurrency').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Review the whole organization?' });
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /impersonate \d+ users, 3 at a time/);
    await expectAccessible(page, assert, 'review everyone confirmation');
    await screenshot(page, '76-review-confirm-everyone');
    const go = confirm.getByRole('button', { name: /^Review \d+ users$/ });
    await go.focus();
    await page.keyboard.press('Enter');
    const bar = page.getByRole('progressbar', { name: 'Users reviewed' });
    await bar.waitFor();
    await eventually(async () => assert.ok(Number(await bar.getAttribute('aria-valuenow')) >= 3));
    const total = Number(await bar.getAttribute('aria-valuemax'));
    await page.keyboard.press('Escape');
    const partial = page.getByTestId('review-partial');
    await partial.waitFor({ timeout: 5000 });
    assert.match(await partial.innerText(), new RegExp(`Cancelled after \\d+ of ${total} users — partial results`));
    assert.equal((await callsOf(page, 'cancel_access_review')).length, 1);
    const failures = page.getByRole('list', { name: 'Users not reviewed' });
    assert.match(await failures.innerText(), /Not run[\s\S]*cancelled before this user/);
    await expectAccessible(page, assert, 'review cancelled');
    await screenshot(page, '77-review-cancelled');
    // New review goes back to the form.
    await page.getByRole('button', { name: 'New review' }).click();
    await form.waitFor();
    assertClean(page, assert);
  });

  test('emails are checked before Start; a review started elsewhere is followed; dark mode; the palette finds the screen', async () => {
    const page = await openApp(browser, server.url, { hash: '#/users', colorScheme: 'dark', query: 'reviewStepMs=300' });
    await page.keyboard.press('Control+K');
    const input = page.getByRole('combobox');
    await input.waitFor();
    await input.fill('access review');
    await page.getByRole('option', { name: /Access review/ }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/review$/);
    const form = page.getByRole('form', { name: 'New access review' });
    await form.getByRole('radio', { name: 'These users' }).check();
    await form.getByLabel('Emails').fill('tom.lee@acme.example, nobody@acme.example\nnot-an-email');
    await form.getByRole('button', { name: 'Start review' }).click();
    assert.match(await form.innerText(), /Not an email: not-an-email/);
    assert.equal((await callsOf(page, 'start_access_review')).length, 0);
    await form.getByLabel('Emails').fill('tom.lee@acme.example, nobody@acme.example\nsofia.martinez@acme.example');
    await expectAccessible(page, assert, 'review emails dark');
    await screenshot(page, '78-review-emails-dark');
    // A review that began while the form was open (the screen was opened before it) is followed, not hidden.
    await page.evaluate(() => window.__TAURI_INTERNALS__.invoke('start_access_review', { request: { scope: { kind: 'all', teamId: null, emails: null }, fileType: null, concurrency: 1, reason: null } }));
    const bar = page.getByRole('progressbar', { name: 'Users reviewed' });
    await bar.waitFor();
    await page.getByRole('button', { name: 'Cancel review' }).click();
    await page.getByTestId('review-partial').waitFor();
    await page.getByRole('grid', { name: 'Access matrix: users by documents' }).waitFor();
    await expectAccessible(page, assert, 'review matrix dark');
    await screenshot(page, '79-review-matrix-dark');
    assertClean(page, assert);
  });
});
