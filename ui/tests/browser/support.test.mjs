// Daily support work (issue 10): Copy buttons and Copy diagnostics, recent impersonations with Impersonate
// again, the user's teams and attributes while viewing as them, and the Audit export of what the filter shows.
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

const clipboard = (page) => page.evaluate(() => window.__standinMock.clipboard.slice());
const callsOf = (page, command) =>
  page.evaluate((c) => window.__standinMock.calls.filter((x) => x.command === c).map((x) => x.args), command);

describe('Recent impersonations', () => {
  test('the Users screen lists the last sessions; Impersonate again starts with the reason filled in', async () => {
    const page = await openApp(browser, server.url);
    const recent = page.getByRole('region', { name: 'Recent impersonations' });
    await recent.waitFor();
    // Newest first, from the seeded audit log.
    await eventually(async () => {
      const items = await recent.getByRole('listitem').allInnerTexts();
      assert.equal(items.length, 2);
      assert.match(items[0], /Olivia Johnson[\s\S]*SUP-4830/);
      assert.match(items[1], /Tom Lee[\s\S]*SUP-4821 dashboard missing rows/);
    });
    await expectAccessible(page, assert, 'users with recent impersonations');
    await screenshot(page, '50-users-recent-impersonations');

    await recent.getByRole('button', { name: 'Impersonate again: Tom Lee' }).click();
    const dialog = page.getByRole('dialog', { name: 'Impersonate user' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Reason or ticket').inputValue(), 'SUP-4821 dashboard missing rows');
    await expectAccessible(page, assert, 'impersonate again dialog');
    await screenshot(page, '51-impersonate-again-dialog');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await page.waitForURL(/#\/viewing\/whoami$/);
    const starts = await callsOf(page, 'start_impersonation');
    assert.equal(starts.length, 1);
    assert.equal(starts[0].request.email, 'tom.lee@acme.example');
    assert.equal(starts[0].request.reason, 'SUP-4821 dashboard missing rows');
    assertClean(page, assert);
  });
});

describe('Viewing as user', () => {
  test('Who am I shows their teams, their attributes with source and warehouse use, a profile link, and copies IDs', async () => {
    const page = await openApp(browser, server.url);
    const recent = page.getByRole('region', { name: 'Recent impersonations' });
    await recent.getByRole('button', { name: 'Impersonate again: Tom Lee' }).click();
    await page.getByRole('dialog', { name: 'Impersonate user' }).getByRole('button', { name: 'Start' }).click();
    await page.waitForURL(/#\/viewing\/whoami$/);

    const attrs = page.getByRole('table', { name: 'Their user attributes' });
    await attrs.waitFor();
    const rows = await attrs.getByRole('row').allInnerTexts();
    assert.ok(rows.some((r) => /Snowflake role[\s\S]*Applied as the role/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /Snowflake warehouse[\s\S]*Applied as the warehouse/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /Region[\s\S]*(Set on the user|Default|Team: )/.test(r)), rows.join('\n'));
    assert.ok((await page.getByRole('region', { name: /Their teams/ }).getByRole('link').count()) >= 1);
    const profile = page.getByRole('link', { name: 'Open their profile' });
    assert.match(await profile.getAttribute('href'), /^#\/users\//);

    await page.getByRole('button', { name: 'Copy user ID' }).click();
    await eventually(async () => assert.equal((await clipboard(page)).length, 1));
    assert.match((await clipboard(page))[0], /\S/);
    await eventually(async () => assert.ok((await page.getByRole('status').allInnerTexts()).includes('Copied')));
    await expectAccessible(page, assert, 'who am I with attributes');
    await screenshot(page, '52-viewing-whoami-attributes');

    await profile.click();
    await page.getByRole('heading', { level: 1, name: 'Tom Lee' }).waitFor();
    assertClean(page, assert);
  });
});

describe('Copy diagnostics', () => {
  test('an error panel copies what failed, code, request ID, connection, time and version — no secret', async () => {
    const page = await openApp(browser, server.url, { hash: '#/teams' });
    await page.getByRole('heading', { level: 1, name: 'Teams' }).waitFor();
    await page.evaluate(() => window.__standinMock.failNext('list_users', { requestId: 'req_diag_42' }));
    await page.getByRole('link', { name: 'Users' }).click();
    const panel = page.getByRole('alert').filter({ hasText: 'Could not load users' });
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Copy request ID' }).click();
    await panel.getByRole('button', { name: 'Copy diagnostics' }).click();
    await eventually(async () => assert.equal((await clipboard(page)).length, 2));
    const [requestId, text] = await clipboard(page);
    assert.equal(requestId, 'req_diag_42');
    assert.match(text, /^Stand-in diagnostics\n/);
    assert.match(text, /What failed: Could not load users/);
    assert.match(text, /Code: sigma_error/);
    assert.match(text, /Request ID: req_diag_42/);
    assert.match(text, /Connection: Sandbox org/);
    assert.match(text, /Time: \d{4}-\d\d-\d\dT/);
    assert.match(text, /App version: \d+\.\d+\.\d+/);
    assert.doesNotMatch(text, /secret|eyJ|clientSecret|token:/i);
    await eventually(async () => assert.match(await panel.innerText(), /Copied/));
    await expectAccessible(page, assert, 'error panel with copy');
    await screenshot(page, '53-error-panel-copy-diagnostics');
    assertClean(page, assert);
  });
});

describe('Audit export', () => {
  test('exports what the filter shows, shows it in its folder, copies request IDs, and links to profiles', async () => {
    const page = await openApp(browser, server.url, { hash: '#/audit' });
    await page.getByRole('table', { name: 'Audit log' }).waitFor();
    await page.getByRole('searchbox', { name: 'Filter audit log' }).fill('olivia');
    await eventually(async () => assert.match(await page.locator('.count').innerText(), /^2 of 11 entries$/));
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Exported' });
    await eventually(async () => assert.match(await done.innerText(), /Exported 2 entries to/));
    assert.deepEqual((await callsOf(page, 'export_audit'))[0], { format: 'json', filter: { text: 'olivia', event: null } });

    await page.getByRole('button', { name: 'Show in folder' }).click();
    await eventually(async () => assert.equal((await callsOf(page, 'reveal_export')).length, 1));
    await page.getByRole('button', { name: 'Copy export path' }).click();
    await eventually(async () => assert.match((await clipboard(page))[0] ?? '', /stand-in-audit-.*\.json$/));
    await expectAccessible(page, assert, 'audit after export');
    await screenshot(page, '54-audit-exported');

    // A failed export's Retry repeats that export (JSON, same filter), not a CSV one.
    await page.evaluate(() => window.__standinMock.failNext('export_audit', { code: 'storage', message: 'could not write /home/you/Downloads: disk full', requestId: null }));
    await page.getByRole('button', { name: 'Export JSON' }).click();
    const failed = page.getByRole('alert').filter({ hasText: 'JSON export failed' });
    await failed.waitFor();
    await screenshot(page, '55-audit-export-failed');
    await failed.getByRole('button', { name: 'Retry' }).click();
    await eventually(async () => assert.equal((await callsOf(page, 'export_audit')).length, 3));
    assert.deepEqual((await callsOf(page, 'export_audit'))[2], { format: 'json', filter: { text: 'olivia', event: null } });

    await page.getByRole('searchbox', { name: 'Filter audit log' }).fill('');
    await page.getByRole('button', { name: 'Copy request ID req_51c0a2b2e9c4' }).click();
    await eventually(async () => assert.ok((await clipboard(page)).includes('req_51c0a2b2e9c4')));

    await page.getByRole('link', { name: 'olivia.johnson@acme.example' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Olivia Johnson' }).waitFor();
    assertClean(page, assert);
  });
});
