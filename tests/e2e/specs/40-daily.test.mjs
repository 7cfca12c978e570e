// Daily support work in the real window: the users list keeps its sort across a profile visit, a team's members
// are searched and opened, Copy, Extend in the last minute, Impersonate again from Recent impersonations, and
// switching connections during a session asks first. Sessions are capped at 55 s (a wrapper script), so the
// banner offers Extend from the start.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bannerText, byRole, goneRole, launch, openNav, openRow, quit, rowTexts, shot, waitText } from '../lib.mjs';

const WRAPPER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../minute-session-app.sh');
const TOM = { name: 'Tom Lee', email: 'tom.lee@acme.example' };
let browser;

before(async () => {
  browser = await launch({ application: WRAPPER });
});
after(async () => {
  await quit(browser);
});

/** The users grid (a table with role=grid). */
async function usersGrid() {
  return browser.$('table.table-users');
}

/** Texts of the first n member rows (virtualization adds spacer rows without an email: skipped). */
async function firstRows(n) {
  const texts = await rowTexts(browser, await usersGrid());
  return texts.filter((t) => t.includes('@')).slice(0, n);
}

test('8. back from a profile, the users list keeps its sort', async () => {
  await openNav(browser, 'Users');
  await browser.waitUntil(async () => (await firstRows(1)).length > 0, {
    timeout: 15_000,
    timeoutMsg: 'the users list did not load',
  });
  const emailHeader = await byRole(browser, 'button', 'Email');
  await emailHeader.click();
  await emailHeader.click(); // descending: an order the list never has by default
  const before = await firstRows(3);
  const th = await emailHeader.parentElement();
  assert.equal(await th.getAttribute('aria-sort'), 'descending');
  const firstRef = await browser.execute((g) => g.querySelector('tbody tr[aria-label]'), await usersGrid());
  await openRow(browser, await browser.$(firstRef));
  await byRole(browser, 'button', /Copy member ID/);
  await browser.back();
  await byRole(browser, 'button', 'Email');
  assert.deepEqual(await firstRows(3), before, 'the sort was lost');
  assert.equal(await (await (await byRole(browser, 'button', 'Email')).parentElement()).getAttribute('aria-sort'), 'descending');
  await shot(browser, '40-users-sort-kept');
});

test('9. a team member is found by search and opened with a click on the row', async () => {
  await openNav(browser, 'Teams');
  const teams = await byRole(browser, 'complementary', 'Teams', { timeout: 15_000 });
  await browser.waitUntil(async () => (await teams.$$('a.team-link')).length > 0, { timeout: 15_000 });
  // The biggest team, so a search has something to narrow.
  const links = await teams.$$('a.team-link');
  await links[0].click();
  const search = await byRole(browser, 'searchbox', 'Search members', { timeout: 15_000 });
  const table = await byRole(browser, 'table', /^Members of /, { exact: false });
  const memberRows = async () => (await rowTexts(browser, table)).filter((t) => t.includes('@'));
  await browser.waitUntil(async () => (await memberRows()).length > 0, { timeout: 15_000 });
  const all = await memberRows();
  assert.ok(all.length > 1, `the team has too few members to search: ${all.length}`);
  const email = all[all.length - 1].match(/[\w.+-]+@[\w.-]+/)[0];
  await search.setValue(email);
  await browser.waitUntil(async () => (await memberRows()).length === 1, {
    timeout: 5000,
    timeoutMsg: `searching ${email} did not leave one member`,
  });
  assert.ok(/#\/teams\//.test(await browser.getUrl()), 'the team is not in the URL');
  await shot(browser, '41-team-member-search');
  const ref = await browser.execute(
    (t) => [...t.querySelectorAll('tbody tr')].find((r) => r.innerText.includes('@')),
    table,
  );
  await openRow(browser, await browser.$(ref));
  await waitText(browser, email);
  await byRole(browser, 'button', /Copy member ID/);
});

test('10. Copy, Extend in the last minute, then Impersonate again with the reason filled in', async () => {
  await openNav(browser, 'Users');
  await (await byRole(browser, 'searchbox', 'Search users')).setValue('tom');
  await openRow(browser, await byRole(browser, 'row', `${TOM.name}, ${TOM.email}`));
  await (await byRole(browser, 'button', 'Copy member ID')).click();
  await waitText(browser, 'Copied');

  await (await byRole(browser, 'button', 'Impersonate user')).click();
  const dialog = await byRole(browser, 'dialog', 'Impersonate user');
  await (await byRole(browser, 'textbox', 'Reason or ticket', { within: dialog })).setValue('E2E-daily');
  await (await byRole(browser, 'button', 'Start', { within: dialog })).click();
  await byRole(browser, 'region', 'Impersonation session', { timeout: 15_000 });
  // 55 s cap: the last minute from the start, announced, with Extend.
  const extend = await byRole(browser, 'button', 'Extend', { timeout: 10_000 });
  await waitText(browser, /Less than a minute left impersonating Tom Lee/);
  await shot(browser, '42-extend-offered');
  await extend.click();
  await waitText(browser, 'Session as Tom Lee extended', { timeout: 15_000 });
  assert.ok((await bannerText(browser)).includes('You are impersonating Tom Lee'));
  await (await byRole(browser, 'button', 'Stop Impersonation')).click();
  await goneRole(browser, 'region', 'Impersonation session', { timeout: 15_000 });

  await openNav(browser, 'Audit log');
  const log = await byRole(browser, 'table', 'Audit log', { timeout: 15_000 }).catch(() => byRole(browser, 'grid', 'Audit log'));
  const texts = await rowTexts(browser, log);
  assert.ok(texts.some((t) => /Extended/.test(t) && t.includes('E2E-daily')), `no extension on record: ${JSON.stringify(texts)}`);

  await openNav(browser, 'Users');
  await (await byRole(browser, 'button', `Impersonate again: ${TOM.name}`, { timeout: 15_000 })).click();
  const again = await byRole(browser, 'dialog', 'Impersonate user');
  const reason = await byRole(browser, 'textbox', 'Reason or ticket', { within: again });
  assert.equal(await reason.getValue(), 'E2E-daily');
  await shot(browser, '43-impersonate-again');
  await (await byRole(browser, 'button', 'Start', { within: again })).click();
  await byRole(browser, 'region', 'Impersonation session', { timeout: 15_000 });
});

test('11. switching connections during a session asks first; Cancel keeps the session', async () => {
  assert.ok(await bannerText(browser), 'test 10 left no session running');
  await openNav(browser, 'Connections');
  // A second connection: the sandbox itself under another name (its URL and demo credentials are shown).
  const page = await waitText(browser, 'standin-demo-admin', { timeout: 15_000 });
  const url = page.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
  await (await byRole(browser, 'button', 'Add connection')).click();
  const add = await byRole(browser, 'dialog', 'Add connection');
  await (await byRole(browser, 'textbox', 'Name', { within: add })).setValue('Sandbox again');
  const region = await add.$('select');
  await region.selectByAttribute('value', '__custom__');
  await (await byRole(browser, 'textbox', 'API base URL', { within: add })).setValue(url);
  await (await byRole(browser, 'textbox', 'Client ID', { within: add })).setValue('standin-demo-admin');
  const secret = await add.$('input[type="password"]');
  await secret.setValue('demo-admin-secret-5f2c9e7a4b1d8036');
  await (await byRole(browser, 'button', 'Add connection', { within: add })).click();
  await goneRole(browser, 'dialog', 'Add connection', { timeout: 15_000 });

  await (await byRole(browser, 'button', 'Use Sandbox again', { timeout: 15_000 })).click();
  const ask = await byRole(browser, 'dialog', 'End the session as Tom Lee?');
  await shot(browser, '44-switch-confirm');
  await (await byRole(browser, 'button', 'Cancel', { within: ask })).click();
  await goneRole(browser, 'dialog', 'End the session as Tom Lee?');
  assert.ok(await bannerText(browser), 'Cancel ended the session');

  await (await byRole(browser, 'button', 'Use Sandbox again')).click();
  const ask2 = await byRole(browser, 'dialog', 'End the session as Tom Lee?');
  await (await byRole(browser, 'button', 'End session and switch', { within: ask2 })).click();
  await goneRole(browser, 'region', 'Impersonation session', { timeout: 15_000 });
  await waitText(browser, /ended/i);
  await shot(browser, '45-switched');
});
