// Quitting during a session: a terminate signal (logout, shutdown, `kill`) ends the session the way Stop does,
// so the audit log never shows a start without an end (the token dies with the process either way).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { appMemory, byRole, launch, openNav, openRow, quit, sleep } from '../lib.mjs';

let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await quit(browser);
});

function auditEntries() {
  const file = path.join(process.env.STANDIN_DATA_DIR ?? '', 'audit.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

test('9. a terminate signal during a session records its end before the app exits', async () => {
  assert.ok(process.env.STANDIN_DATA_DIR, 'run.sh sets STANDIN_DATA_DIR for the app and this test');
  await openNav(browser, 'Users');
  await (await byRole(browser, 'searchbox', 'Search users')).setValue('sofia');
  await openRow(browser, await byRole(browser, 'row', 'Sofia Martinez, sofia.martinez@acme.example'));
  await (await byRole(browser, 'button', 'Impersonate user')).click();
  const dialog = await byRole(browser, 'dialog', 'Impersonate user');
  await (await byRole(browser, 'textbox', 'Reason or ticket', { within: dialog })).setValue('E2E-quit');
  await (await byRole(browser, 'button', 'Start', { within: dialog })).click();
  await byRole(browser, 'region', 'Impersonation session', { timeout: 15_000 });

  const started = auditEntries().filter((e) => e.reason === 'E2E-quit' && e.event === 'impersonation.start');
  assert.equal(started.length, 1, 'the start is recorded');
  const sessionId = started[0].sessionId;

  // The app process (WebKit's helpers are its children): SIGTERM, as a logout or shutdown sends.
  const apps = appMemory().processes.filter((p) => p.comm === 'stand-in');
  assert.equal(apps.length, 1, `one app process: ${JSON.stringify(apps)}`);
  process.kill(apps[0].pid, 'SIGTERM');
  let ended = [];
  for (let i = 0; i < 50 && ended.length === 0; i++) {
    await sleep(100);
    ended = auditEntries().filter((e) => e.sessionId === sessionId && e.event === 'impersonation.stop');
  }
  assert.equal(ended.length, 1, 'the signal recorded the end of the session');
  let alive = true;
  for (let i = 0; i < 50 && alive; i++) {
    await sleep(100);
    alive = appMemory().processes.some((p) => p.pid === apps[0].pid);
  }
  assert.ok(!alive, 'the app exited after recording');
});
