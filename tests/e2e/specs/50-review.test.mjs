// Access review and "Why?" in the real window: a team reviewed against the built-in sandbox (each member
// impersonated in turn, read-only), the matrix with the admin's own row, a cell's Why? (the grant path from
// GET /v2/grants), the CSV and JSON exports on disk, the audit log filtered to the review, and the profile's
// "Why can't they see it?" for a document taken from the export.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { byRole, goneRole, launch, openNav, queryAllRole, quit, shot, waitText } from '../lib.mjs';

let browser;
let exported = null;

before(async () => {
  browser = await launch();
});
after(async () => {
  await quit(browser);
});

/** The path an export wrote, from the success notice ("Exported … to <path>"). */
async function exportedPath(format) {
  await (await byRole(browser, 'button', `Export ${format}`)).click();
  let file = null;
  await browser.waitUntil(
    async () => {
      file = await browser.execute((ext) => {
        const codes = [...document.querySelectorAll('[role=status] code')].map((c) => c.textContent.trim());
        return codes.find((p) => p.endsWith(ext)) ?? null;
      }, `.${format.toLowerCase()}`);
      return file !== null;
    },
    { timeout: 15_000, timeoutMsg: `no ${format} export notice` },
  );
  return file;
}

test('12. a team is reviewed: the matrix, a Why?, both exports, the audit log by review', async () => {
  await openNav(browser, 'Access review');
  await byRole(browser, 'form', 'New access review', { timeout: 15_000 });
  const team = await byRole(browser, 'combobox', 'Team');
  await browser.waitUntil(async () => (await team.$$('option')).length > 1, {
    timeout: 15_000,
    timeoutMsg: 'the teams were not listed',
  });
  await team.selectByIndex(1);
  const reason = await byRole(browser, 'textbox', 'Reason or ticket', { exact: false });
  await reason.setValue('SEC-212 e2e review');
  await shot(browser, '50-review-setup');
  await (await byRole(browser, 'button', 'Start review')).click();

  const grid = await byRole(browser, 'grid', 'Access matrix: users by documents', { timeout: 60_000 });
  await byRole(browser, 'rowheader', 'You (admin)', { within: grid, exact: false });
  await shot(browser, '51-review-matrix');

  // A cell of a reviewed user: "Name: Document, level. Why?" opens the grant path.
  const cells = await queryAllRole(browser, 'button', /: .+, [a-z]+\. Why\?$/);
  assert.ok(cells.length > 0, 'no user cell with access in the matrix');
  await cells[0].click();
  const dialog = await byRole(browser, 'dialog', /^Why\? /, { timeout: 15_000 });
  await byRole(browser, 'list', 'Why they have access', { within: dialog, timeout: 15_000 });
  await shot(browser, '52-review-why');
  await browser.keys('Escape');
  await goneRole(browser, 'dialog', /^Why\? /);

  const csv = await exportedPath('CSV');
  const header = fs.readFileSync(csv, 'utf8').split('\n')[0];
  assert.match(header, /^email,name,member_id,status/);
  const json = JSON.parse(fs.readFileSync(await exportedPath('JSON'), 'utf8'));
  assert.ok(json.users.length > 0 && json.documents.length > 0, 'the JSON export is empty');
  exported = json;
  await shot(browser, '53-review-exported');

  await openNav(browser, 'Audit log');
  const chip = await byRole(browser, 'button', /^Show access review /, { timeout: 15_000 });
  await chip.click();
  await waitText(browser, 'SEC-212 e2e review');
  await shot(browser, '54-audit-by-review');
});

test('13. the profile explains why a user can or cannot see a document', async () => {
  assert.ok(exported, 'needs the review export of test 12');
  const user = exported.users.find((u) => u.email === 'tom.lee@acme.example') ?? exported.users[0];
  const doc = exported.documents[0];
  await browser.execute((id) => {
    location.hash = `#/users/${encodeURIComponent(id)}`;
  }, user.memberId);
  const field = await byRole(browser, 'textbox', 'Document ID', { timeout: 15_000 });
  await field.setValue(doc.id);
  await (await byRole(browser, 'button', 'Explain')).click();
  await browser.waitUntil(
    async () =>
      (await queryAllRole(browser, 'list', 'Why they have access')).length > 0 ||
      (await queryAllRole(browser, 'list', 'What would give access')).length > 0,
    { timeout: 15_000, timeoutMsg: 'no explanation shown' },
  );
  await waitText(browser, doc.name);
  await shot(browser, '55-profile-why');
});
