// Nothing ends silently, sections fail alone, unverified credentials (issue 10), in headless Chromium against
// the mock backend: the switch-connection confirmation, a notice for every end, the last-minute announcement
// with Extend, a profile whose attributes failed, and Impersonate user blocked for unverified credentials.
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

async function openUser(page, name) {
  await page.getByRole('searchbox', { name: 'Search users' }).fill(name);
  await page.getByRole('row', { name: new RegExp(`^${name},`) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function startFromProfile(page, reason = 'SUP-4821 dashboard missing rows') {
  await page.getByRole('button', { name: 'Impersonate user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Impersonate user' });
  await dialog.getByLabel('Reason or ticket').fill(reason);
  await dialog.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('region', { name: 'Impersonation session' }).waitFor();
}

const banner = (page) => page.getByRole('region', { name: 'Impersonation session' });
const notices = (page) => page.locator('.notices').innerText();
const calls = (page, command) => page.evaluate((c) => window.__standinMock.calls.filter((x) => x.command === c).length, command);

describe('Nothing ends silently', () => {
  test('switching connections during a session asks first; Cancel does nothing; confirming ends it with a notice', async () => {
    const page = await openApp(browser, server.url);
    await openUser(page, 'Tom Lee');
    await startFromProfile(page);
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('button', { name: 'Use Support (creator key)' }).click();
    const confirm = page.getByRole('dialog', { name: 'End the session as Tom Lee?' });
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /Switching to Support \(creator key\) ends your impersonation of Tom Lee/);
    await screenshot(page, 'endings-01-switch-confirm');
    await expectAccessible(page, assert, 'switch confirmation');

    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    assert.equal(await calls(page, 'select_connection'), 0);
    assert.equal(await banner(page).count(), 1);

    await page.getByRole('button', { name: 'Use Support (creator key)' }).click();
    await confirm.getByRole('button', { name: 'End session and switch' }).click();
    await eventually(async () => assert.equal(await banner(page).count(), 0));
    await eventually(async () => assert.match(await notices(page), /Impersonation of Tom Lee ended: the connection changed/));
    assert.equal(await calls(page, 'select_connection'), 1);
    await screenshot(page, 'endings-02-switched-notice');
    await expectAccessible(page, assert, 'after a switch');
    assertClean(page, assert);
  });

  test('Stop says the session ended', async () => {
    const page = await openApp(browser, server.url);
    await openUser(page, 'Tom Lee');
    await startFromProfile(page);
    await page.getByRole('button', { name: 'Stop Impersonation' }).click();
    await eventually(async () => assert.match(await notices(page), /Impersonation of Tom Lee ended: you stopped it/));
    assert.equal((await notices(page)).match(/you stopped it/g).length, 1, 'said once');
    assertClean(page, assert);
  });

  test('a minute before the end: an announcement, and Extend starts a new session for the same user and reason', async () => {
    const page = await openApp(browser, server.url);
    await openUser(page, 'Tom Lee');
    await startFromProfile(page, 'SUP-77 extend me');
    const alert = banner(page).getByRole('alert');
    assert.equal(await alert.innerText(), '');
    const before = await page.evaluate(() => window.__standinMock.calls.length);
    await page.evaluate(() => window.__standinMock.warnExpiring());
    await eventually(async () => assert.match(await alert.textContent(), /Less than a minute left impersonating Tom Lee\. Extend to keep the session/));
    const extend = banner(page).getByRole('button', { name: 'Extend' });
    await extend.waitFor();
    await screenshot(page, 'endings-03-banner-extend');
    await expectAccessible(page, assert, 'banner with Extend');
    assert.ok(before > 0);

    await extend.click();
    await eventually(async () => assert.match(await notices(page), /Session as Tom Lee extended/));
    assert.equal(await calls(page, 'extend_session'), 1);
    // The new session is not "ending soon": the announcement and the button go.
    await eventually(async () => assert.equal(await banner(page).getByRole('button', { name: 'Extend' }).count(), 0));
    assert.equal(await alert.innerText(), '');
    assert.match(await banner(page).innerText(), /You are impersonating Tom Lee/);
    assert.doesNotMatch(await notices(page), /Impersonation of Tom Lee ended/);

    // On record as an extension.
    const audit = await page.evaluate(() => window.__TAURI_INTERNALS__.invoke('audit_entries'));
    const ext = audit.find((e) => e.event === 'impersonation.extend');
    assert.ok(ext, 'an impersonation.extend record');
    assert.equal(ext.reason, 'SUP-77 extend me');
    assert.match(ext.detail, /^extends sess_/);
    assertClean(page, assert);
  });
});

describe('Sections fail alone', () => {
  test('a profile whose attributes failed shows the rest, the error with its request ID, Retry, and Impersonate user', async () => {
    const page = await openApp(browser, server.url);
    await page.evaluate(() => window.__standinMock.failProfileSection('attributes'));
    await openUser(page, 'Tom Lee');
    const attrs = page.getByRole('region', { name: /User attributes/ });
    const error = attrs.getByRole('alert');
    await error.waitFor();
    assert.match(await error.innerText(), /Could not load this user's attributes/);
    assert.match(await error.innerText(), /req_/);
    assert.equal(await page.getByText('Could not load this user', { exact: true }).count(), 0);
    assert.ok((await page.getByRole('region', { name: /Teams/ }).getByRole('link').count()) > 0, 'teams shown');
    const impersonate = page.getByRole('button', { name: 'Impersonate user' });
    assert.equal(await impersonate.getAttribute('aria-disabled'), null);
    await screenshot(page, 'endings-04-profile-section-failed');
    await expectAccessible(page, assert, 'profile with a failed section');

    await attrs.getByRole('button', { name: 'Retry' }).click();
    await eventually(async () => assert.equal(await attrs.getByRole('table').count(), 1));
    assert.equal(await attrs.getByRole('alert').count(), 0);
    assertClean(page, assert);
  });
});

describe('Unverified credentials', () => {
  test('Impersonate user is unavailable with the reason written out', async () => {
    const page = await openApp(browser, server.url, { query: `connection=${encodeURIComponent('Acme production')}` });
    await openUser(page, 'Tom Lee');
    const button = page.getByRole('button', { name: 'Impersonate user' });
    await eventually(async () => assert.equal(await button.getAttribute('aria-disabled'), 'true'));
    const reason = page.locator('.blocked-reason');
    assert.match(await reason.innerText(), /Stand-in could not verify your connection's credentials/);
    assert.match(await reason.innerText(), /Test or fix the connection under Connections/);
    // aria-disabled keeps it focusable for the reason; a click still opens nothing.
    await button.click({ force: true });
    assert.equal(await page.getByRole('dialog').count(), 0);
    await screenshot(page, 'endings-05-unverified-credentials');
    await expectAccessible(page, assert, 'unverified credentials');

    // The same in a team's member menu.
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('table', { name: 'Members of Sales' }).waitFor();
    await page.getByRole('button', { name: 'More actions for Tom Lee' }).click();
    const menu = page.getByRole('menu');
    await menu.waitFor();
    assert.equal(await menu.getByRole('menuitem', { name: 'Impersonate user' }).getAttribute('aria-disabled'), 'true');
    assert.match(await menu.innerText(), /could not verify your connection's credentials/);
    await expectAccessible(page, assert, 'team menu, unverified credentials');
    assertClean(page, assert);
  });
});
