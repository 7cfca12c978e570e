// "Why can't this user see it?" in the built UI (issue 8): Why? on the Compare rows, the profile's section, the
// keyboard, the error state, axe on each, and screenshots to look at.
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

async function impersonateTomAndCompare(page) {
  await openUser(page, 'Tom Lee');
  await page.getByRole('button', { name: 'Impersonate user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Impersonate user' });
  await dialog.getByLabel('Reason or ticket').fill('SUP-5120 cannot see the campaign workbook');
  await dialog.getByRole('button', { name: 'Start' }).click();
  await page.getByRole('region', { name: 'Impersonation session' }).waitFor();
  await page.getByRole('tab', { name: 'Compare with my view' }).click();
  await page.getByRole('heading', { name: /^Different access \d+$/ }).waitFor();
}

const explainCalls = (page) =>
  page.evaluate(() => window.__standinMock.calls.filter((c) => c.command === 'explain_access').map((c) => c.args));

describe('Why? in Compare', () => {
  test('a document only you can open: no access, and what would give it', async () => {
    const page = await openApp(browser, server.url);
    await impersonateTomAndCompare(page);
    const why = page.getByRole('button', { name: 'Why? Campaign Performance' });
    await why.click();
    const dialog = page.getByRole('dialog', { name: 'Why? Campaign Performance' });
    await dialog.getByRole('heading', { name: /^Tom Lee cannot see “Campaign Performance”/ }).waitFor();
    const ways = dialog.getByRole('list', { name: 'What would give access' });
    assert.match(await ways.innerText(), /Add them to team Marketing: it has edit on folder Marketing/);
    assert.match(await ways.innerText(), /Share folder Marketing with them \(edit\), as it is shared with team Marketing \(edit\)/);
    await expectAccessible(page, assert, 'why: no access');
    await screenshot(page, '80-why-no-access');
    // Escape closes it and gives focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await eventually(async () => assert.equal(await page.getByRole('dialog').count(), 0));
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Why? Campaign Performance'));
    assertClean(page, assert);
  });

  test('a document with different access, opened from the keyboard: the grant path', async () => {
    const page = await openApp(browser, server.url, { colorScheme: 'dark' });
    await impersonateTomAndCompare(page);
    const why = page.getByRole('button', { name: 'Why? GL Balances' });
    await why.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Why? GL Balances' });
    const because = dialog.getByRole('list', { name: 'Why they have access' });
    await because.waitFor();
    assert.equal(await because.innerText(), 'team Executive has view on folder Finance (inherited)');
    assert.match(await dialog.getByRole('heading', { level: 3 }).innerText(), /^Tom Lee can view “GL Balances”/);
    assert.match(await dialog.getByRole('list', { name: 'What would give access' }).innerText(), /Add them to team Finance: it has explore/);
    await expectAccessible(page, assert, 'why: granted');
    await screenshot(page, '81-why-granted-dark');
    const args = await explainCalls(page);
    assert.equal(args.length, 1);
    assert.equal(args[0].memberId.startsWith('m'), true);
    assertClean(page, assert);
  });

  test('a failed explanation shows the error with its request ID, and Retry works', async () => {
    const page = await openApp(browser, server.url);
    await impersonateTomAndCompare(page);
    await page.evaluate(() => window.__standinMock.failNext('explain_access'));
    await page.getByRole('button', { name: 'Why? Campaign Performance' }).click();
    const dialog = page.getByRole('dialog', { name: 'Why? Campaign Performance' });
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Could not explain this access/);
    assert.match(await alert.innerText(), /req_/);
    await expectAccessible(page, assert, 'why: error');
    await screenshot(page, '82-why-error');
    await alert.getByRole('button', { name: /Retry/ }).click();
    await dialog.getByRole('list', { name: 'What would give access' }).waitFor();
    assertClean(page, assert);
  });
});

describe("Why can't they see it? on a profile", () => {
  test('a document ID explained for the user, without a session', async () => {
    const page = await openApp(browser, server.url);
    // A document ID as support would paste it: take one from a Why? in Compare, then stop.
    await impersonateTomAndCompare(page);
    await page.getByRole('button', { name: 'Why? Campaign Performance' }).click();
    await page.getByRole('dialog', { name: 'Why? Campaign Performance' }).getByRole('list', { name: 'What would give access' }).waitFor();
    const [{ documentId }] = await explainCalls(page);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Stop Impersonation' }).click();
    await eventually(async () => assert.equal(await page.getByRole('region', { name: 'Impersonation session' }).count(), 0));

    await page.goto(`${server.url}?mock&latency=20#/users`);
    await page.waitForSelector('.app');
    await openUser(page, 'Hannah Kim');
    const section = page.getByRole('region', { name: 'Why can’t they see it?' });
    await section.getByRole('textbox', { name: 'Document ID' }).fill(` ${documentId} `);
    await section.getByRole('textbox', { name: 'Document ID' }).press('Enter');
    await section.getByRole('heading', { name: /^Hannah Kim can organize “Campaign Performance”/ }).waitFor();
    assert.equal(
      await section.getByRole('list', { name: 'Why they have access' }).innerText(),
      'they own it (organize)\nteam Marketing has edit on folder Marketing (inherited)',
    );
    await expectAccessible(page, assert, 'profile why');
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, '83-profile-why');

    // A wrong ID: Sigma's 404, in words, with its request ID.
    await section.getByRole('textbox', { name: 'Document ID' }).fill('no-such-document');
    await section.getByRole('button', { name: 'Explain' }).click();
    const alert = section.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /File no-such-document not found/);
    await section.getByRole('button', { name: 'Close' }).click();
    await eventually(async () => assert.equal(await section.getByRole('alert').count(), 0));
    assertClean(page, assert);
  });
});
