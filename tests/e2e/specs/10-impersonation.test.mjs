// The main flows on the sandbox org, in one app launch (the order matters: the audit log at the end lists the
// sessions started and stopped before it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appMemory,
  bannerText,
  byRole,
  goneRole,
  launch,
  openNav,
  openRow,
  pageText,
  parseCountdown,
  queryAllRole,
  queryRole,
  rowTexts,
  quit,
  shot,
  sleep,
  waitText,
} from '../lib.mjs';

const TOM = { name: 'Tom Lee', email: 'tom.lee@acme.example' };
const PRIYA = { name: 'Priya Raman', email: 'priya.raman@acme.example' };
const ACTOR = { name: 'Avery Adams', email: 'admin@acme.example' };
const BANNER = `You are impersonating ${TOM.name} (${TOM.email})`;

let browser;
let tomMemberId = null;

/** Users → search → open the user's profile; returns when the profile's heading shows. */
async function openProfile(search, person, screenshot) {
  await openNav(browser, 'Users');
  const box = await byRole(browser, 'searchbox', 'Search users');
  await box.setValue(search);
  const row = await byRole(browser, 'row', `${person.name}, ${person.email}`);
  if (screenshot) await shot(browser, screenshot);
  await openRow(browser, row);
  await byRole(browser, 'heading', new RegExp(`(^| )${person.name}$`));
  await waitText(browser, person.email);
}

/** Fills and submits the Impersonate dialog; returns when the banner shows. */
async function startFromDialog(reason) {
  const dialog = await byRole(browser, 'dialog', 'Impersonate user');
  const reasonBox = await byRole(browser, 'textbox', 'Reason or ticket', { within: dialog });
  await reasonBox.setValue(reason);
  await (await byRole(browser, 'button', 'Start', { within: dialog })).click();
  await goneRole(browser, 'dialog', 'Impersonate user', { timeout: 15_000 });
  await byRole(browser, 'region', 'Impersonation session', { timeout: 15_000 });
}

async function stopSession() {
  await (await byRole(browser, 'button', 'Stop Impersonation')).click();
  await goneRole(browser, 'region', 'Impersonation session', { timeout: 15_000 });
}

/** Leaves no session behind when a test failed half-way, so the next one starts as yourself. */
async function ensureNoSession() {
  if (await queryRole(browser, 'region', 'Impersonation session')) await stopSession();
  const dialog = await queryRole(browser, 'dialog', null);
  if (dialog) await browser.keys('Escape');
}

describe('impersonation on the sandbox org', () => {
  before(async () => {
    browser = await launch();
    console.log(`# session + app launch: ${browser.launchedInMs} ms`);
  });
  after(async () => {
    await quit(browser);
  });

  test('1. the app opens on the sandbox org and shows the connection and the actor', async () => {
    const text = await waitText(browser, 'Sandbox org', { timeout: 15_000 });
    await waitText(browser, ACTOR.name, { timeout: 15_000 });
    assert.match(await pageText(browser), /http:\/\/127\.0\.0\.1:\d+/, 'the sandbox base URL is not shown');
    assert.ok(!/Credentials not verified/.test(text), 'the sandbox credentials were not verified');
    await shot(browser, '01-start');
    await openNav(browser, 'Connections');
    const card = await byRole(browser, 'listitem', 'Sandbox org');
    assert.ok(card, 'no Sandbox org card');
    await waitText(browser, 'standin-demo-admin');
    await shot(browser, '02-connections');
  });

  test('2. impersonate from a user profile: reason required, then the yellow banner', async () => {
    await ensureNoSession();
    await openProfile('tom', TOM, '03-users-search');
    tomMemberId = decodeURIComponent(await browser.execute(() => location.hash.split('/')[2] ?? ''));
    assert.ok(tomMemberId, 'no member id in the profile URL');
    await shot(browser, '04-profile-tom');

    const impersonate = await byRole(browser, 'button', 'Impersonate user');
    assert.notEqual(await impersonate.getAttribute('aria-disabled'), 'true', 'Impersonate user is disabled for Tom');
    await impersonate.click();
    const dialog = await byRole(browser, 'dialog', 'Impersonate user');
    await waitText(browser, TOM.email);
    await shot(browser, '05-dialog');

    // Empty reason: refused in the form, the dialog stays, no session starts.
    await (await byRole(browser, 'button', 'Start', { within: dialog })).click();
    const reasonBox = await byRole(browser, 'textbox', 'Reason or ticket', { within: dialog });
    await browser.waitUntil(async () => (await reasonBox.getAttribute('aria-invalid')) === 'true', {
      timeout: 5000,
      timeoutMsg: 'the empty reason was not marked invalid',
    });
    await waitText(browser, /Enter a reason/i);
    assert.equal(await bannerText(browser), null, 'a session started without a reason');
    await shot(browser, '06-dialog-reason-required');

    await startFromDialog('E2E-1');
    const banner = await bannerText(browser);
    assert.ok(banner.includes(BANNER), `banner reads: ${banner}`);
    assert.match(banner, /Read-only/);
    assert.ok(await queryRole(browser, 'button', 'Stop Impersonation'), 'no Stop Impersonation button');
    assert.match(banner, /\b\d{1,2}:\d{2}\b/, `no mm:ss in the banner: ${banner}`);
    const first = parseCountdown(banner);
    assert.ok(first !== null && first > 0, `countdown not read from: ${banner}`);
    await sleep(2200);
    const second = parseCountdown(await bannerText(browser));
    assert.ok(second < first, `the countdown did not decrease: ${first} → ${second}`);
    await shot(browser, '07-banner');
  });

  test('3. as the user: documents with access levels, compare with my view, who am I', async () => {
    assert.ok(await queryRole(browser, 'region', 'Impersonation session'), 'needs the session of test 2');
    await openNav(browser, 'Viewing as user');

    await (await byRole(browser, 'tab', 'Documents')).click();
    const table = await byRole(browser, 'table', 'Documents the user can see', { timeout: 15_000 });
    const rows = await queryAllRole(browser, 'row', null, { within: table });
    assert.ok(rows.length > 2, `only ${rows.length} rows (with the header) in Documents`);
    const tableText = (await rowTexts(browser, table)).join('\n');
    assert.match(tableText, /\b(View|Explore|Edit|Organize|Annotate)\b/, 'no access level in the documents table');
    await shot(browser, '08-banner-documents');

    await (await byRole(browser, 'tab', 'Compare with my view')).click();
    for (const section of ['Only you', 'Only the user', 'Different access']) {
      await byRole(browser, 'heading', new RegExp(`^${section}( \\d+)?$`), { timeout: 15_000 });
    }
    await shot(browser, '09-compare');

    await (await byRole(browser, 'tab', 'Who am I')).click();
    const who = await waitText(browser, 'User ID', { timeout: 15_000 });
    assert.ok(who.includes(tomMemberId), `Who am I does not show Tom's user ID ${tomMemberId}`);
    await shot(browser, '10-whoami');

    // API console (a GET as the user) and the token inspector, when present; neither may show a raw token.
    if (await queryRole(browser, 'tab', 'API console')) {
      await (await byRole(browser, 'tab', 'API console')).click();
      await waitText(browser, 'Allowed as this user', { timeout: 10_000 });
      await (await byRole(browser, 'button', 'Send')).click();
      await byRole(browser, 'region', 'Response', { timeout: 15_000 });
      await waitText(browser, tomMemberId);
      await shot(browser, '11-console');
    }
    if (await queryRole(browser, 'tab', 'Token inspector')) {
      await (await byRole(browser, 'tab', 'Token inspector')).click();
      await waitText(browser, 'Impersonation token', { timeout: 10_000 });
      await shot(browser, '12-token-inspector');
    }
    const all = await browser.execute(() => document.documentElement.outerHTML);
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./.test(all), 'a raw JWT is in the page');

    const mem = appMemory();
    console.log(
      `# memory with a session open: ${mem.processes.map((p) => `${p.comm}(${p.pid}) RSS ${p.rssMiB} MiB PSS ${p.pssMiB} MiB`).join('; ')}; total RSS ${mem.rssMiB} MiB, PSS ${mem.pssMiB} MiB`,
    );
  });

  test('4. Stop Impersonation: the banner goes, back on the profile as yourself', async () => {
    assert.ok(await queryRole(browser, 'region', 'Impersonation session'), 'needs the session of test 2');
    await stopSession();
    await byRole(browser, 'heading', new RegExp(`(^| )${TOM.name}$`), { timeout: 10_000 });
    assert.equal(decodeURIComponent(await browser.execute(() => location.hash)), `#/users/${tomMemberId}`);
    const text = await pageText(browser);
    assert.ok(text.includes(ACTOR.name), 'the actor is no longer shown');
    assert.ok(!text.includes('You are impersonating'), 'banner text still on the page');
    assert.equal(await queryRole(browser, 'link', 'Viewing as user'), null, '"Viewing as user" still in the sidebar');
    await shot(browser, '13-stopped-profile');
  });

  test("5. impersonate from a team's ⋯ menu", async () => {
    await ensureNoSession();
    await openNav(browser, 'Teams');
    const teams = await byRole(browser, 'complementary', 'Teams').catch(() => null);
    await (await byRole(browser, 'link', /^Sales\b/, { within: teams })).click();
    await byRole(browser, 'table', 'Members of Sales', { timeout: 15_000 });
    await (await byRole(browser, 'button', `More actions for ${TOM.name}`)).click();
    const menu = await byRole(browser, 'menu', null);
    const item = await byRole(browser, 'menuitem', 'Impersonate user', { within: menu });
    await shot(browser, '14-team-members-menu');
    await item.click();
    await byRole(browser, 'dialog', 'Impersonate user');
    await waitText(browser, TOM.email);
    await startFromDialog('E2E-2');
    assert.ok((await bannerText(browser)).includes(BANNER));
    await shot(browser, '15-banner-from-team');
    await stopSession();
  });

  test("6. an admin's Impersonate user is disabled, with the reason shown", async () => {
    await ensureNoSession();
    await openProfile('priya', PRIYA);
    const button = await byRole(browser, 'button', 'Impersonate user');
    const disabled = (await button.getAttribute('aria-disabled')) === 'true' || (await button.getAttribute('disabled')) !== null;
    assert.ok(disabled, 'Impersonate user is enabled for an Admin');
    await waitText(browser, /admins cannot impersonate other admins/i);
    await shot(browser, '16-admin-disabled');
    // Clicking it anyway opens nothing.
    await button.click().catch(() => {});
    await sleep(300);
    assert.equal(await queryRole(browser, 'dialog', 'Impersonate user'), null, 'the dialog opened for an Admin');
    assert.equal(await bannerText(browser), null);
  });

  test('8. the audit log lists the starts and stops of this run', async () => {
    await ensureNoSession();
    await openNav(browser, 'Audit log');
    const table = await byRole(browser, 'table', 'Audit log', { timeout: 15_000 });
    const texts = await rowTexts(browser, table);
    for (const reason of ['E2E-1', 'E2E-2']) {
      const started = texts.filter((t) => /\bStarted\b/.test(t) && t.includes(reason) && t.includes(TOM.email));
      assert.equal(started.length, 1, `one "Started" entry for ${reason}, found: ${JSON.stringify(texts)}`);
    }
    const stopped = texts.filter((t) => /\bStopped\b/.test(t) && t.includes(TOM.email));
    assert.ok(stopped.length >= 2, `two "Stopped" entries expected, found: ${JSON.stringify(texts)}`);
    assert.ok(texts.some((t) => t.includes(ACTOR.email)), 'the actor is not in the audit log');
    // Every record of this run is signed with the key in the (real, private) keyring and chained.
    await (await byRole(browser, 'button', 'Verify')).click();
    await waitText(browser, /Audit log intact\. intact, \d+ records/, { timeout: 15_000 });
    await shot(browser, '17-audit-log');
  });
});
