// Expiry: with a 6-second policy cap (STANDIN_SESSION_CAP_SECONDS, set by a wrapper script), a session ends by
// itself — the banner goes away without Stop, a notice says the time ran out, and the audit log records it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bannerText, byRole, goneRole, launch, openNav, openRow, quit, rowTexts, shot, waitText } from '../lib.mjs';

const WRAPPER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../short-session-app.sh');
let browser;

before(async () => {
  browser = await launch({ application: WRAPPER });
  console.log(`# session + app launch (wrapper): ${browser.launchedInMs} ms`);
});
after(async () => {
  await quit(browser);
});

test('7. a session ends by itself when its time is up', async () => {
  await openNav(browser, 'Users');
  await (await byRole(browser, 'searchbox', 'Search users')).setValue('tom');
  await openRow(browser, await byRole(browser, 'row', 'Tom Lee, tom.lee@acme.example'));
  await (await byRole(browser, 'button', 'Impersonate user')).click();
  const dialog = await byRole(browser, 'dialog', 'Impersonate user');
  await (await byRole(browser, 'textbox', 'Reason or ticket', { within: dialog })).setValue('E2E-expiry');
  await (await byRole(browser, 'button', 'Start', { within: dialog })).click();
  await byRole(browser, 'region', 'Impersonation session', { timeout: 15_000 });
  const started = Date.now();
  const banner = await bannerText(browser);
  assert.ok(banner.includes('You are impersonating Tom Lee (tom.lee@acme.example)'), banner);
  // The banner shows the capped time (≤ 6 s), not the 15 minutes picked in the dialog.
  assert.match(banner, /0:0[0-6]\b/, `the banner does not show the 6-second cap: ${banner}`);
  await shot(browser, '18-expiry-banner');

  await goneRole(browser, 'region', 'Impersonation session', { timeout: 20_000 });
  const endedAfter = (Date.now() - started) / 1000;
  console.log(`# banner gone ${endedAfter.toFixed(1)} s after the start`);
  assert.ok(endedAfter > 3, `the session ended too early (${endedAfter} s)`);
  await waitText(browser, /time ran out|expired/i, { timeout: 5000 });
  await shot(browser, '19-expired-notice');

  await openNav(browser, 'Audit log');
  const table = await byRole(browser, 'table', 'Audit log', { timeout: 15_000 });
  const texts = await rowTexts(browser, table);
  // The core records a timer expiry as a stop with detail "expired" (an "impersonation.expired" event only when
  // a request meets an expired session); accept either.
  const expiredEntry = (t) =>
    t.includes('E2E-expiry') && (/\bExpired\b/.test(t) || (/\bStopped\b/.test(t) && /\bexpired\b/.test(t)));
  assert.ok(texts.some(expiredEntry), `no expiry entry: ${JSON.stringify(texts)}`);
  await shot(browser, '20-audit-expired');
});
