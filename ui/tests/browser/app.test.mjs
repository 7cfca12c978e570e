// The built UI (ui/dist) in headless Chromium against the mock backend: every screen, the impersonation flow,
// the banner, refusals, errors, expiry, keyboard use, axe-core, and a screenshot of each screen.
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

const TOM = { name: 'Tom Lee', email: 'tom.lee@acme.example' };

async function openUser(page, name) {
  await page.getByRole('searchbox', { name: 'Search users' }).fill(name);
  await page.getByRole('row', { name: new RegExp(`^${name},`) }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function startFromProfile(page, { reason = 'SUP-4821 dashboard missing rows', duration } = {}) {
  await page.getByRole('button', { name: 'Impersonate user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Impersonate user' });
  await dialog.waitFor();
  await dialog.getByLabel('Reason or ticket').fill(reason);
  if (duration) await dialog.getByLabel('Duration').selectOption(String(duration));
  await dialog.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('region', { name: 'Impersonation session' }).waitFor();
}

const bannerText = (page) => page.getByRole('region', { name: 'Impersonation session' }).innerText();

describe('Users', () => {
  test('a list that Sigma throttles says so while it waits, then loads', async () => {
    const page = await openApp(browser, server.url, { query: 'throttle=list_users' });
    const note = page.getByTestId('sigma-retry');
    await note.waitFor();
    assert.equal(await note.innerText(), 'Sigma is throttling: retrying in 2 s (try 2 of 5)');
    // Inside the loading line's live region, so a screen reader hears it.
    assert.match(await page.getByRole('status').filter({ hasText: 'Loading users' }).innerText(), /Sigma is throttling/);
    await expectAccessible(page, assert, 'users-throttled');
    await screenshot(page, '01b-users-throttled');
    await eventually(async () => assert.equal(await page.getByTestId('user-count').innerText(), '36 users'));
    await assertClean(page, assert);
  });

  test('lists, counts, searches with "/", sorts, and includes archived on request', async () => {
    const page = await openApp(browser, server.url);
    await eventually(async () => assert.equal(await page.getByTestId('user-count').innerText(), '36 users'));
    await expectAccessible(page, assert, 'users');
    await screenshot(page, '01-users');

    // "/" focuses the search box from anywhere on the page.
    await page.locator('body').click({ position: { x: 700, y: 840 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Search users');
    await page.keyboard.type('lee');
    await eventually(async () => assert.equal(await page.getByTestId('user-count').innerText(), '1 of 36 users'));
    await page.keyboard.press('Escape');
    await eventually(async () => assert.equal(await page.getByTestId('user-count').innerText(), '36 users'));

    // "/" works from a focused link too; Ctrl+K is the command palette, not the search (keyboard.test.mjs).
    await page.getByRole('link', { name: 'Users' }).focus();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Search users');

    // Sorting: Email descending puts zoe.park first.
    const emailHeader = page.getByRole('columnheader', { name: 'Email' });
    await emailHeader.getByRole('button').click();
    assert.equal(await emailHeader.getAttribute('aria-sort'), 'ascending');
    await emailHeader.getByRole('button').click();
    assert.equal(await emailHeader.getAttribute('aria-sort'), 'descending');
    assert.match(await page.locator('tbody tr[data-index="0"]').innerText(), /zoe\.park@acme\.example/);

    await page.getByLabel('Include archived and inactive').check();
    await eventually(async () => assert.equal(await page.getByTestId('user-count').innerText(), '40 users'));
    await page.getByRole('searchbox', { name: 'Search users' }).fill('grace');
    await eventually(async () => assert.match(await page.getByRole('row', { name: /^Grace Chen/ }).innerText(), /Archived/));
    await page.getByRole('searchbox', { name: 'Search users' }).fill('lucas');
    await eventually(async () => assert.match(await page.getByRole('row', { name: /^Lucas Silva/ }).innerText(), /Inactive/));
    assertClean(page, assert);
  });

  test('rows open with the keyboard: arrows move, Enter opens the profile', async () => {
    const page = await openApp(browser, server.url);
    await page.getByRole('row', { name: /^Aisha Bello/ }).waitFor();
    await page.getByRole('row', { name: /^Aisha Bello/ }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.match(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''), /^Avery Adams/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Avery Adams' }).waitFor();
    assert.match(page.url(), /#\/users\/m/);
    assertClean(page, assert);
  });

  test('100,000 members stay virtualized', async () => {
    const page = await openApp(browser, server.url, { query: 'users=100000&latency=0' });
    // The generator archives or deactivates every 97th / 89th member: those are hidden by default.
    const count = async () => Number((await page.getByTestId('user-count').innerText()).replace(/[^\d]/g, ''));
    await eventually(async () => assert.ok((await count()) > 97000, 'about 98k active users are listed'), { timeout: 20000 });
    const total = await count();
    const rendered = await page.locator('tbody tr[data-index]').count();
    assert.ok(rendered > 10 && rendered < 80, `only the visible rows are in the DOM (got ${rendered})`);
    const t0 = Date.now();
    await page.locator('.table-scroll').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await eventually(async () => assert.ok((await page.locator(`tbody tr[data-index="${total - 1}"]`).count()) === 1));
    const search = page.getByRole('searchbox', { name: 'Search users' });
    await search.fill('quinn');
    await eventually(async () => assert.match(await page.getByTestId('user-count').innerText(), new RegExp(`^[\\d,]+ of ${total.toLocaleString('en-US')} users$`)));
    const elapsed = Date.now() - t0;
    assert.ok(elapsed < 3000, `scroll to the end and search took ${elapsed} ms`);
    await screenshot(page, '12-users-100k');
    assertClean(page, assert);
  });
});

describe('Profile and impersonation', () => {
  test('profile shows details, teams, attributes and an enabled Impersonate user', async () => {
    const page = await openApp(browser, server.url);
    await openUser(page, TOM.name);
    assert.match(await page.locator('.profile-grid').innerText(), /Snowflake role/);
    assert.match(await page.locator('.profile-grid').innerText(), /Team: Sales/);
    const button = page.getByRole('button', { name: 'Impersonate user' });
    assert.equal(await button.getAttribute('aria-disabled'), null);
    await expectAccessible(page, assert, 'profile');
    await screenshot(page, '02-profile');
    assertClean(page, assert);
  });

  test('admins, archived and inactive users cannot be impersonated: reason as text and tooltip', async () => {
    const page = await openApp(browser, server.url);
    await page.getByLabel('Include archived and inactive').check();
    for (const [name, reason] of [
      ['Priya Raman', /admins cannot impersonate other admins/],
      ['Grace Chen', /archived/],
      ['Lucas Silva', /inactive/],
    ]) {
      await openUser(page, name);
      const button = page.getByRole('button', { name: 'Impersonate user' });
      assert.equal(await button.getAttribute('aria-disabled'), 'true');
      assert.match(await page.locator('.blocked-reason').innerText(), reason);
      await button.hover();
      await eventually(async () => assert.match(await page.getByRole('tooltip').innerText(), reason));
      if (name === 'Priya Raman') {
        await expectAccessible(page, assert, 'disabled profile');
        await screenshot(page, '03-profile-admin-disabled');
      }
      // Clicking does nothing (force: Playwright itself refuses to click an aria-disabled button).
      await button.click({ force: true });
      assert.equal(await page.getByRole('dialog').count(), 0);
      await page.goBack();
    }
    assertClean(page, assert);
  });

  test('the dialog requires a reason, Escape closes it, Start opens a session with the banner', async () => {
    const page = await openApp(browser, server.url);
    await openUser(page, TOM.name);
    await page.getByRole('button', { name: 'Impersonate user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Impersonate user' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Duration').inputValue(), '15');
    assert.equal(await dialog.getByRole('switch', { name: 'Read-only' }).getAttribute('aria-checked'), 'true');
    await dialog.getByRole('button', { name: 'Start' }).click();
    assert.match(await dialog.locator('.field-error').innerText(), /Enter a reason/);
    assert.equal(await dialog.getByLabel('Reason or ticket').getAttribute('aria-invalid'), 'true');
    await expectAccessible(page, assert, 'impersonate dialog');
    await screenshot(page, '04-impersonate-dialog');
    await page.keyboard.press('Escape');
    await eventually(async () => assert.equal(await page.getByRole('dialog').count(), 0));

    await startFromProfile(page, { duration: 30 });
    const text = await bannerText(page);
    assert.match(text, /You are impersonating Tom Lee \(tom\.lee@acme\.example\)/);
    assert.match(text, /Read-only/);
    const countdown = page.locator('.banner-countdown');
    const first = await countdown.innerText();
    assert.match(first, /^(30:00|29:5\d)$/);
    await eventually(async () => assert.notEqual(await countdown.innerText(), first), { timeout: 3000 });
    assert.match(page.url(), /#\/viewing\/whoami$/);
    assert.equal(await page.getByRole('button', { name: 'Stop Impersonation' }).count(), 1);
    assertClean(page, assert);
  });

  test('Viewing as the user: every tab, console checks, and Stop returns to the profile', async () => {
    const page = await openApp(browser, server.url);
    await openUser(page, TOM.name);
    const profileUrl = page.url();
    await startFromProfile(page);

    await page.getByRole('heading', { name: 'As the server sees it' }).waitFor();
    await expectAccessible(page, assert, 'who am I');
    await screenshot(page, '05-viewing-whoami');

    await page.getByRole('tab', { name: 'Documents', exact: true }).click();
    await page.getByRole('table', { name: 'Documents the user can see' }).waitFor();
    await page.getByLabel('Type').selectOption('workbook');
    await eventually(async () => {
      const types = await page.locator('.filetype').allInnerTexts();
      assert.ok(types.length > 0 && types.every((t) => t === 'Workbook'));
    });
    await expectAccessible(page, assert, 'documents');
    await screenshot(page, '06-viewing-documents');

    await page.getByRole('tab', { name: 'My Documents' }).click();
    await page.getByRole('table', { name: 'My Documents' }).waitFor();
    assert.match(await page.getByRole('table', { name: 'My Documents' }).innerText(), /Territory ideas/);

    await page.getByRole('tab', { name: 'Compare with my view' }).click();
    await page.getByRole('heading', { name: /^Only you/ }).waitFor();
    for (const h of [/^Only you \d+$/, /^Only the user \d+$/, /^Different access \d+$/]) await page.getByRole('heading', { name: h }).waitFor();
    await expectAccessible(page, assert, 'compare');
    await screenshot(page, '07-viewing-compare');

    // Keyboard on the tabs (Radix): arrow right moves to the next tab.
    await page.getByRole('tab', { name: 'Compare with my view' }).focus();
    await page.keyboard.press('ArrowRight');
    await eventually(async () => assert.match(page.url(), /#\/viewing\/console$/));
    await page.getByLabel('Method').selectOption('POST');
    await page.getByLabel('Path').fill('/v2/workbooks');
    await eventually(async () => assert.match(await page.locator('#console-check').innerText(), /read-only: only GET/));
    assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true);
    await page.getByLabel('Method').selectOption('GET');
    await page.getByLabel('Path').fill('/v2/credentials');
    await eventually(async () => assert.match(await page.locator('#console-check').innerText(), /does not accept impersonation tokens/));
    await page.getByLabel('Path').fill('/v2/whoami');
    await eventually(async () => assert.match(await page.locator('#console-check').innerText(), /Allowed/));
    await page.getByRole('button', { name: 'Send' }).click();
    const response = page.getByRole('region', { name: 'Response' });
    await response.waitFor();
    assert.match(await response.innerText(), /200/);
    assert.match(await response.innerText(), /Request ID\s+req_/);
    assert.match(await response.innerText(), /"email": "tom\.lee@acme\.example"/);
    await expectAccessible(page, assert, 'console');
    await screenshot(page, '08-viewing-console');

    await page.getByRole('tab', { name: 'Token inspector' }).click();
    await page.getByRole('heading', { name: 'Impersonation token' }).waitFor();
    const tokensText = await page.locator('.token-grid').innerText();
    assert.match(tokensText, /Actor token/);
    assert.match(tokensText, /Subject token/);
    assert.doesNotMatch(tokensText, /eyJ[A-Za-z0-9_-]{10,}/, 'no raw JWT is ever shown');
    await expectAccessible(page, assert, 'tokens');
    await screenshot(page, '09-viewing-tokens');

    // The sidebar shows the session's screen only while it runs.
    assert.equal(await page.getByRole('link', { name: 'Viewing as user' }).count(), 1);
    await page.getByRole('button', { name: 'Stop Impersonation' }).click();
    await eventually(async () => assert.equal(await page.getByRole('region', { name: 'Impersonation session' }).count(), 0));
    await page.getByRole('heading', { level: 1, name: TOM.name }).waitFor();
    assert.equal(page.url(), profileUrl);
    assert.equal(await page.getByRole('link', { name: 'Viewing as user' }).count(), 0);
    assertClean(page, assert);
  });

  test('impersonate from a team member ⋯ menu, with disabled items explained', async () => {
    const page = await openApp(browser, server.url, { hash: '#/teams' });
    await page.getByRole('table', { name: 'Members of Sales' }).waitFor();

    // Archived member: the menu item is disabled and says why.
    await page.getByRole('button', { name: 'More actions for Grace Chen' }).click();
    const menu = page.getByRole('menu');
    await menu.waitFor();
    const item = menu.getByRole('menuitem', { name: 'Impersonate user' });
    assert.equal(await item.getAttribute('aria-disabled'), 'true');
    assert.match(await menu.innerText(), /archived/);
    await expectAccessible(page, assert, 'team menu');
    await screenshot(page, '10-teams-menu-disabled');
    await page.keyboard.press('Escape');
    await eventually(async () => assert.equal(await page.getByRole('menu').count(), 0));

    // Keyboard: open with Enter, arrows move, Enter picks.
    await page.getByRole('button', { name: 'More actions for Sofia Martinez' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Impersonate user'));
    await page.keyboard.press('ArrowDown');
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'View profile'));
    await page.keyboard.press('ArrowUp');
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Impersonate user'));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Impersonate user' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Sofia Martinez/);
    await dialog.getByLabel('Reason or ticket').fill('SUP-9 check Sales access');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await eventually(async () => assert.match(await bannerText(page), /You are impersonating Sofia Martinez \(sofia\.martinez@acme\.example\)/));

    // With a session running, a new one first asks to end it, then starts with replaceActive.
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('button', { name: 'More actions for Mateo Rossi' }).click();
    await page.getByRole('menuitem', { name: 'Impersonate user' }).click();
    const confirm = page.getByRole('dialog', { name: 'End the session as Sofia Martinez?' });
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /End the session as Sofia Martinez and start a new one\?/);
    await screenshot(page, '11-replace-session-confirm');
    await confirm.getByRole('button', { name: 'End it and continue' }).click();
    const form = page.getByRole('dialog', { name: 'Impersonate user' });
    await form.getByLabel('Reason or ticket').fill('SUP-10');
    await form.getByRole('button', { name: 'Start' }).click();
    await eventually(async () => assert.match(await bannerText(page), /Mateo Rossi/));
    const starts = await page.evaluate(() => window.__standinMock.calls.filter((c) => c.command === 'start_impersonation').map((c) => c.args.request.replaceActive));
    assert.deepEqual(starts, [false, true]);

    // View profile from the menu.
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('button', { name: 'More actions for Olivia Johnson' }).click();
    await page.getByRole('menuitem', { name: 'View profile' }).click();
    await page.getByRole('heading', { level: 1, name: 'Olivia Johnson' }).waitFor();
    assertClean(page, assert);
  });

  test('expiry ends the session by itself and says so', async () => {
    const page = await openApp(browser, server.url, { query: 'sessionSeconds=3' });
    await openUser(page, TOM.name);
    const profileUrl = page.url();
    await startFromProfile(page);
    assert.match(await page.locator('.banner-countdown').innerText(), /^00:0[0-3]$/);
    assert.match(await page.locator('.banner').getAttribute('class'), /banner-soon/);
    await screenshot(page, '13-banner-expiring');
    await eventually(async () => assert.equal(await page.getByRole('region', { name: 'Impersonation session' }).count(), 0), { timeout: 6000 });
    assert.match(await page.locator('.notices').innerText(), /Impersonation of Tom Lee ended: time ran out/);
    assert.equal(page.url(), profileUrl);
    await screenshot(page, '14-session-expired-notice');
    assertClean(page, assert);
  });

  test('credentials that are not Admin: warning in the top bar, Impersonate disabled with the reason', async () => {
    const page = await openApp(browser, server.url, { query: `connection=${encodeURIComponent('Support (creator key)')}` });
    await eventually(async () => assert.match(await page.locator('.topbar').innerText(), /Not an Admin/));
    assert.match(await page.locator('.topbar').innerText(), /Casey Nguyen/);
    await openUser(page, TOM.name);
    const button = page.getByRole('button', { name: 'Impersonate user' });
    assert.equal(await button.getAttribute('aria-disabled'), 'true');
    assert.match(await page.locator('.blocked-reason').innerText(), /Only Admins can impersonate/);
    await expectAccessible(page, assert, 'non-admin profile');
    await screenshot(page, '15-profile-non-admin');
    assertClean(page, assert);
  });
});

describe('Errors', () => {
  test('a failed load shows message, code and request ID, and Retry recovers', async () => {
    const page = await openApp(browser, server.url, { query: 'fail=list_users' });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /Could not load users/);
    assert.match(text, /Sigma had a server error/);
    assert.match(text, /sigma_error/);
    assert.match(text, /Request ID\s+req_[0-9a-f]+/);
    await expectAccessible(page, assert, 'error panel');
    await screenshot(page, '16-error-request-id');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await eventually(async () => assert.equal(await page.getByTestId('user-count').innerText(), '36 users'));
    // The page must not log errors of its own; the injected failure is an expected rejection.
    assertClean(page, assert);
  });

  test('a refused start is shown in the dialog with its rule', async () => {
    const page = await openApp(browser, server.url);
    await openUser(page, TOM.name);
    await page.evaluate(() => window.__standinMock.failNext('start_impersonation', { code: 'refused', rule: 'target_not_found', message: 'no user with email tom.lee@acme.example in this organization; check the spelling or the tenant', requestId: null }));
    await page.getByRole('button', { name: 'Impersonate user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Impersonate user' });
    await dialog.getByLabel('Reason or ticket').fill('SUP-1');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await eventually(async () => assert.match(await dialog.getByRole('alert').innerText(), /target_not_found/));
    assert.equal(await page.getByRole('region', { name: 'Impersonation session' }).count(), 0);
    assertClean(page, assert);
  });
});

describe('Connections', () => {
  test('sandbox card, test, add with validation, edit, rotate, use and remove', async () => {
    const page = await openApp(browser, server.url, { hash: '#/connections' });
    const sandbox = page.getByRole('listitem', { name: 'Sandbox org' });
    await sandbox.waitFor();
    assert.match(await sandbox.innerText(), /Built-in sandbox/);
    assert.match(await sandbox.innerText(), /Active/);

    await page.getByRole('button', { name: 'Test Sandbox org' }).click();
    await eventually(async () => assert.match(await sandbox.innerText(), /Credentials of Avery Adams \(admin@acme\.example\)\s*Admin/));
    await page.getByRole('button', { name: 'Test Acme production' }).click();
    const prod = page.getByRole('listitem', { name: 'Acme production' });
    await eventually(async () => assert.match(await prod.getByRole('alert').innerText(), /unauthorized[\s\S]*Request ID\s+req_/));
    await expectAccessible(page, assert, 'connections');
    await screenshot(page, '17-connections');

    await page.getByRole('button', { name: 'Add connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add connection' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    const errors = await dialog.locator('.field-error').allInnerTexts();
    assert.equal(errors.length, 3, `name, client ID and secret are required: ${errors.join(' | ')}`);
    await dialog.getByLabel('Region').selectOption({ label: 'Custom URL…' });
    await dialog.getByLabel('API base URL').fill('http://sigma.example.com');
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    assert.match(await dialog.locator('.field-error').first().innerText(), /Give the connection a name/);
    assert.match(await dialog.innerText(), /Use https:\/\//);
    assert.equal(await dialog.getByLabel('Client secret').getAttribute('type'), 'password');
    await expectAccessible(page, assert, 'add connection dialog');
    await screenshot(page, '18-add-connection-validation');

    await dialog.getByLabel('Name').fill('Globex EU');
    await dialog.getByLabel('Region').selectOption({ label: 'AWS Europe — api.eu.aws.sigmacomputing.com' });
    await dialog.getByLabel('Client ID').fill('globex-client');
    await dialog.getByLabel('Client secret').fill('s3cr3t-value');
    await dialog.getByLabel('Tenant').fill('org_globex');
    await dialog.getByLabel(/CA certificate file/).fill('globex-ca.pem');
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    assert.match(await dialog.locator('.field-error').first().innerText(), /full path/);
    await dialog.getByLabel(/CA certificate file/).fill('/etc/ssl/certs/globex-ca.pem');
    await dialog.getByRole('button', { name: 'Add connection' }).click();
    const globex = page.getByRole('listitem', { name: 'Globex EU' });
    await globex.waitFor();
    assert.match(await globex.innerText(), /AWS Europe/);
    assert.match(await globex.innerText(), /org_globex/);
    assert.match(await globex.innerText(), /CA file\s*\/etc\/ssl\/certs\/globex-ca\.pem/);
    const added = await page.evaluate(() => window.__standinMock.calls.find((c) => c.command === 'add_connection').args.input);
    assert.deepEqual(added, {
      name: 'Globex EU',
      baseUrl: 'https://api.eu.aws.sigmacomputing.com',
      clientId: 'globex-client',
      tenant: 'org_globex',
      secret: 's3cr3t-value',
      caFile: '/etc/ssl/certs/globex-ca.pem',
    });

    await page.getByRole('button', { name: 'Edit Globex EU' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Globex EU' });
    assert.equal(await edit.getByLabel('Client secret').count(), 0, 'the secret is never shown or edited here');
    await edit.getByLabel('Tenant').fill('');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await eventually(async () => assert.doesNotMatch(await globex.innerText(), /org_globex/));
    const update = await page.evaluate(() => window.__standinMock.calls.find((c) => c.command === 'update_connection').args);
    assert.deepEqual(update, {
      name: 'Globex EU',
      update: { name: null, baseUrl: null, clientId: null, tenant: null, clearTenant: true, caFile: null, clearCaFile: false },
    });
    assert.match(await globex.innerText(), /globex-ca\.pem/, 'an unchanged CA file is kept');

    await page.getByRole('button', { name: 'Rotate secret of Globex EU' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate secret' });
    await rotate.getByRole('button', { name: 'Save secret' }).click();
    assert.match(await rotate.locator('.field-error').innerText(), /Enter the new client secret/);
    await rotate.getByLabel('New client secret').fill('new-secret');
    await rotate.getByRole('button', { name: 'Save secret' }).click();
    await eventually(async () => assert.equal(await page.getByRole('dialog').count(), 0));

    await page.getByRole('button', { name: 'Use Globex EU' }).click();
    await eventually(async () => assert.match(await page.locator('.topbar').innerText(), /Globex EU/));

    await page.getByRole('button', { name: 'Remove Globex EU' }).click();
    const remove = page.getByRole('dialog', { name: 'Remove Globex EU?' });
    assert.match(await remove.innerText(), /keyring/);
    await remove.getByRole('button', { name: 'Remove' }).click();
    await eventually(async () => assert.equal(await page.getByRole('listitem', { name: 'Globex EU' }).count(), 0));
    await eventually(async () => assert.match(await page.locator('.topbar').innerText(), /Sandbox org/));
    assertClean(page, assert);
  });
});

describe('Connections without a keyring', () => {
  test('a keyring that cannot be reached is said as such, not as a missing secret', async () => {
    const page = await openApp(browser, server.url, { hash: '#/connections', query: 'keyring=unavailable' });
    const prod = page.getByRole('listitem', { name: 'Acme production' });
    await prod.waitFor();
    assert.match(await prod.innerText(), /Keyring unavailable/);
    assert.doesNotMatch(await prod.innerText(), /Missing/);
    assert.match(await page.getByRole('listitem', { name: 'Sandbox org' }).innerText(), /Built in/);
    await expectAccessible(page, assert, 'connections without a keyring');
    assertClean(page, assert);
  });
});

describe('Audit log', () => {
  test('shows entries, filters by text and event, exports CSV and JSON', async () => {
    const page = await openApp(browser, server.url, { hash: '#/audit' });
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.waitFor();
    assert.equal(await table.locator('tbody tr').count(), 11);
    await page.getByLabel('Event').selectOption('impersonation.refused');
    await eventually(async () => assert.equal(await table.locator('tbody tr').count(), 2));
    await page.getByLabel('Event').selectOption('all');
    await page.keyboard.press('/');
    await page.keyboard.type('olivia');
    await eventually(async () => assert.equal(await table.locator('tbody tr').count(), 2));
    await page.getByRole('searchbox', { name: 'Filter audit log' }).fill('');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await eventually(async () => assert.match(await page.locator('.inline-notice').innerText(), /Exported 11 entries to .*\.csv/));
    await page.getByRole('button', { name: 'Export JSON' }).click();
    await eventually(async () => assert.match(await page.locator('.inline-notice').innerText(), /\.json/));
    // Verify: intact, then (the mock told to find tampering) the first altered line, as an alert.
    await page.getByRole('button', { name: 'Verify' }).click();
    const verdict = page.getByTestId('audit-verification');
    await eventually(async () => assert.equal(await verdict.innerText(), 'Audit log intact. intact, 11 records'));
    await expectAccessible(page, assert, 'audit');
    await screenshot(page, '19-audit');
    await page.evaluate(() =>
      window.__standinMock.setAuditVerification({
        status: 'broken',
        intact: false,
        records: 2,
        legacyRecords: 0,
        problemLine: 3,
        problemKind: 'deleted',
        summary: 'NOT intact: line 3: record 3 is missing before this line (deleted)',
        interruptedLines: [],
      }),
    );
    await page.getByRole('button', { name: 'Verify' }).click();
    await eventually(async () => assert.match(await page.getByRole('alert').innerText(), /altered at line 3.*record 3 is missing/s));
    await expectAccessible(page, assert, 'audit-tampered');
    await screenshot(page, '19b-audit-tampered');
    assertClean(page, assert);
  });
});

describe('Dark mode', () => {
  test('screens follow prefers-color-scheme: dark and stay accessible', async () => {
    const page = await openApp(browser, server.url, { colorScheme: 'dark' });
    await eventually(async () => assert.equal(await page.getByTestId('user-count').innerText(), '36 users'));
    await expectAccessible(page, assert, 'users (dark)');
    await screenshot(page, '20-dark-users');
    await openUser(page, TOM.name);
    await startFromProfile(page);
    await page.getByRole('tab', { name: 'Documents', exact: true }).click();
    await page.getByRole('table', { name: 'Documents the user can see' }).waitFor();
    await expectAccessible(page, assert, 'documents with banner (dark)');
    await screenshot(page, '21-dark-viewing-documents');
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('button', { name: 'More actions for Grace Chen' }).click();
    await page.getByRole('menu').waitFor();
    await screenshot(page, '22-dark-teams-menu');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('listitem', { name: 'Sandbox org' }).waitFor();
    await expectAccessible(page, assert, 'connections (dark)');
    await screenshot(page, '23-dark-connections');
    assertClean(page, assert);
  });
});
