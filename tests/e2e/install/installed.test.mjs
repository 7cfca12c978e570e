// The installed package, used as an admin would: first launch of /usr/bin/stand-in on a fresh account (no
// setup: the sandbox org and its users table), the installed `standin` against `standin sandbox serve`, a saved
// profile (config + keyring) and an impersonation (audit log + audit key) to see where files land, then
// `dpkg -r`, after which the binaries are gone and the keyring entries and the audit log are still there.
//
// Run only by tests/e2e/install/run.sh (it installs the .deb first, and this removes it): INSTALL_TEST=1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { APP, byRole, launch, openNav, pageText, quit, rowTexts, shot, waitText } from '../lib.mjs';

const CLI = process.env.INSTALL_CLI ?? '/usr/bin/standin';
const PACKAGE = process.env.INSTALL_PACKAGE ?? 'stand-in';
const SERVICE = 'dev.standin.console';
const TOM = { name: 'Tom Lee', email: 'tom.lee@acme.example' };
const { HOME, XDG_CONFIG_HOME, XDG_DATA_HOME } = process.env;

if (process.env.INSTALL_TEST !== '1') {
  throw new Error('installed.test.mjs removes the package at the end: run it through tests/e2e/install/run.sh');
}
for (const v of ['STANDIN_CONFIG_DIR', 'STANDIN_DATA_DIR']) {
  assert.equal(process.env[v], undefined, `${v} is set: the files would not land where an installed app puts them`);
}

/** Runs the installed CLI; returns stdout (throws with stderr on a non-zero exit). */
function cli(args, { env = {}, input } = {}) {
  return execFileSync(CLI, args, { env: { ...process.env, ...env }, input, encoding: 'utf8', timeout: 60_000 });
}

function secretToolHas(account) {
  try {
    execFileSync('secret-tool', ['lookup', 'service', SERVICE, 'username', account], { stdio: 'pipe' });
    return true;
  } catch {
    // keyring 3 stores "service"+"username"; older entries may use "account": try that too.
    try {
      execFileSync('secret-tool', ['lookup', 'service', SERVICE, 'account', account], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  }
}

describe(`the installed ${PACKAGE} package`, () => {
  let browser;
  let serve;
  let creds;

  before(async () => {
    assert.ok(APP.startsWith('/usr/'), `E2E_APP=${APP}: this spec is for the installed app`);
    assert.ok(fs.existsSync(APP) && fs.existsSync(CLI), `${APP} or ${CLI} is not installed`);
  });
  after(async () => {
    await quit(browser);
    serve?.kill();
  });

  test('first launch: the sandbox org opens with no setup and the users table lists its members', async () => {
    browser = await launch();
    console.log(`# installed app launched in ${browser.launchedInMs} ms`);
    await waitText(browser, 'Sandbox org', { timeout: 20_000 });
    await openNav(browser, 'Users');
    // The users table is a grid (arrow-key row navigation), a plain table in older builds.
    const table = await byRole(browser, 'grid', 'Users', { timeout: 20_000 }).catch(() =>
      byRole(browser, 'table', 'Users', { timeout: 1000 }),
    );
    // The demo org has about 40 members; the table is virtualised, so count the rendered rows, not all of them.
    await browser.waitUntil(async () => (await rowTexts(browser, table)).length > 10, {
      timeout: 15_000,
      timeoutMsg: 'the users table did not fill',
    });
    const rows = await rowTexts(browser, table);
    assert.match(rows[0], /Name/i, `unexpected header row: ${rows[0]}`);
    assert.ok(rows.some((r) => r.includes('@acme.example')), `no member rows: ${rows.slice(0, 5).join(' | ')}`);
    const box = await byRole(browser, 'searchbox', 'Search users');
    await box.setValue('tom');
    await byRole(browser, 'row', `${TOM.name}, ${TOM.email}`);
    console.log(`# users table: ${rows.length - 1} rows rendered; "${TOM.name}" found by search`);
    await shot(browser, 'install-users');
    assert.ok(!/Could not connect|Connection refused/.test(await pageText(browser)));
  });

  test('the window closes and leaves nothing running', async () => {
    await quit(browser);
    browser = null;
  });

  test('standin sandbox serve, then standin users against it', async () => {
    serve = spawn(CLI, ['sandbox', 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: serve.stdout });
    const first = await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('standin sandbox serve printed nothing in 30 s')), 30_000);
      serve.once('exit', (code) => reject(new Error(`standin sandbox serve exited (${code})`)));
      lines.once('line', (l) => {
        clearTimeout(t);
        resolve(l);
      });
    });
    creds = JSON.parse(first);
    assert.match(creds.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const env = { SIGMA_BASE_URL: creds.baseUrl, SIGMA_CLIENT_ID: creds.clientId, SIGMA_CLIENT_SECRET: creds.clientSecret };
    const users = JSON.parse(cli(['users', '--json'], { env }));
    assert.ok(Array.isArray(users) && users.length >= 30, `standin users --json listed ${users?.length} users`);
    assert.ok(JSON.stringify(users).includes(TOM.email), 'Tom Lee is not in standin users');
    const table = cli(['users'], { env });
    assert.match(table, /tom\.lee@acme\.example/);
    console.log(`# standin users: ${users.length} users from ${creds.baseUrl}`);
  });

  test('a saved profile and an impersonation: config, audit log and keyring entries in their XDG places', async () => {
    cli(['profile', 'add', 'install-test', '--base-url', creds.baseUrl, '--client-id', creds.clientId], {
      input: `${creds.clientSecret}\n`,
    });
    const profiles = path.join(XDG_CONFIG_HOME, 'stand-in', 'profiles.json');
    assert.ok(fs.existsSync(profiles), `no ${profiles}: the config dir does not follow XDG_CONFIG_HOME`);
    assert.ok(!fs.readFileSync(profiles, 'utf8').includes(creds.clientSecret), 'the secret is in profiles.json');
    assert.ok(secretToolHas('profile:install-test'), 'the profile secret is not in the keyring');

    const who = JSON.parse(cli(['--profile', 'install-test', 'as', TOM.email, '--reason', 'install test', 'whoami', '--json']));
    // Sigma's whoami names the user by ID: it must be Tom's, as `standin users` lists him.
    const tom = JSON.parse(cli(['--profile', 'install-test', 'users', '--json'])).find((u) => JSON.stringify(u).includes(TOM.email));
    assert.ok(who.userId && JSON.stringify(tom).includes(who.userId), `whoami as Tom: ${JSON.stringify(who)}; Tom: ${JSON.stringify(tom)}`);
    const audit = path.join(XDG_DATA_HOME, 'stand-in', 'audit.jsonl');
    assert.ok(fs.existsSync(audit), `no ${audit}: the data dir does not follow XDG_DATA_HOME`);
    assert.match(cli(['audit', 'verify']), /intact/);
    assert.ok(secretToolHas('audit-key'), 'the audit key is not in the keyring');

    // Everything Stand-in (and its web view) wrote is under the XDG dirs, nothing loose in HOME.
    const loose = fs.readdirSync(HOME).filter((f) => !['.dbus', '.pki'].includes(f));
    assert.deepEqual(loose, [], `files written straight into HOME: ${loose.join(', ')}`);
  });

  test('dpkg -r removes the binaries and leaves the audit log, the profiles and the keyring entries', async () => {
    serve.kill();
    serve = null;
    const audit = path.join(XDG_DATA_HOME, 'stand-in', 'audit.jsonl');
    const before = fs.readFileSync(audit);
    const asRoot = process.getuid() === 0 ? [] : ['sudo'];
    execFileSync(asRoot[0] ?? 'dpkg', [...asRoot.slice(1), ...(asRoot.length ? ['dpkg'] : []), '-r', PACKAGE], { stdio: 'inherit' });
    assert.ok(!fs.existsSync(APP), `${APP} is still there after dpkg -r`);
    assert.ok(!fs.existsSync(CLI), `${CLI} is still there after dpkg -r`);
    assert.deepEqual(fs.readFileSync(audit), before, 'the audit log changed at removal');
    assert.ok(fs.existsSync(path.join(XDG_CONFIG_HOME, 'stand-in', 'profiles.json')), 'profiles.json went with the package');
    assert.ok(secretToolHas('audit-key'), 'the audit key went with the package');
    assert.ok(secretToolHas('profile:install-test'), 'the profile secret went with the package');
  });
});
