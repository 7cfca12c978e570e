// Large orgs (issue 8): the Users table and a team's member list with 100,000 members stay virtualized, reach
// their last row, find one person among 100,000, and stay accessible. Timings are in bench-search.mjs (a
// measurement, not a test).
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

const ORG = 'users=100000&bigTeam&latency=0';
const BIG = 'Everyone at Bigcorp';
// Member 50,014 of the generator: "Charlie Diaz 50014" (neither archived nor inactive), one of a kind.
const UNIQUE = 'Charlie Diaz 50014';

/** The names the table should show, sorted as the table sorts them (by name, ascending, base letters). */
async function sortedNames(page, command, args) {
  return page.evaluate(
    async ([command, args]) => {
      const list = await window.__TAURI_INTERNALS__.invoke(command, args);
      const names = list.map((m) => m.name ?? m.member?.name ?? m.userId);
      const collator = new Intl.Collator(undefined, { sensitivity: 'base' });
      return names.sort((a, b) => collator.compare(a, b));
    },
    [command, args],
  );
}

async function scrollToEnd(page, container) {
  await container.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
}

describe('100,000 members', () => {
  test('the Users table: under 100 rows in the DOM, the last user at the end, one search hit, axe clean', async () => {
    const page = await openApp(browser, server.url, { query: ORG });
    const count = page.getByTestId('user-count');
    await eventually(async () => assert.match(await count.innerText(), /^9\d,\d{3} users$/), { timeout: 30000 });
    const names = await sortedNames(page, 'list_users', { query: { search: null, includeArchived: false } });
    assert.equal(await count.innerText(), `${names.length.toLocaleString('en-US')} users`);
    const grid = page.getByRole('grid', { name: 'Users' });
    assert.equal(await grid.getAttribute('aria-rowcount'), String(names.length + 1));
    const rows = grid.locator('tbody tr[data-index]');
    assert.ok((await rows.count()) < 100, `${await rows.count()} rows in the DOM`);
    await expectAccessible(page, assert, 'users, 100k');

    await scrollToEnd(page, page.locator('.table-scroll'));
    const last = grid.locator(`tbody tr[data-index="${names.length - 1}"]`);
    await last.waitFor();
    assert.match((await last.getAttribute('aria-label')) ?? '', new RegExp(`^${names.at(-1)}, `));
    assert.ok(await last.isVisible());
    assert.ok((await rows.count()) < 100, 'still under 100 rows at the end');
    await screenshot(page, '80-users-100k-end');

    const search = page.getByRole('searchbox', { name: 'Search users' });
    await search.fill(UNIQUE.toLowerCase());
    await eventually(async () => assert.equal(await count.innerText(), `1 of ${names.length.toLocaleString('en-US')} users`));
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().getAttribute('aria-label')) ?? '', new RegExp(`^${UNIQUE}, charlie\\.diaz\\.50014@`));
    await expectAccessible(page, assert, 'users, 100k, searched');
    await screenshot(page, '81-users-100k-search');

    // Sorting 100k: Name descending puts the last name first.
    await search.fill('');
    await eventually(async () => assert.equal(await count.innerText(), `${names.length.toLocaleString('en-US')} users`));
    const name = grid.getByRole('columnheader', { name: 'Name' });
    await name.getByRole('button').click();
    await eventually(async () => assert.equal(await name.getAttribute('aria-sort'), 'descending'));
    await scrollToEnd(page, page.locator('.table-scroll')).catch(() => {});
    await page.locator('.table-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await eventually(async () =>
      assert.match((await grid.locator('tbody tr[data-index="0"]').getAttribute('aria-label')) ?? '', new RegExp(`^${names.at(-1)}, `)),
    );
    assertClean(page, assert);
  });

  test('a 100,000-member team: under 100 rows, the last member at the end, one search hit, axe clean', async () => {
    const page = await openApp(browser, server.url, { query: ORG, hash: '#/teams' });
    await page.getByRole('complementary', { name: 'Teams' }).getByRole('link', { name: new RegExp(`^${BIG}`) }).click({ timeout: 30000 });
    const count = page.getByTestId('member-count');
    await eventually(async () => assert.equal(await count.innerText(), '100,000 members'), { timeout: 30000 });
    const teamId = page.url().split('/').at(-1);
    const names = await sortedNames(page, 'get_team_members', { teamId });
    assert.equal(names.length, 100000);
    const table = page.getByRole('table', { name: `Members of ${BIG}` });
    const rows = table.locator('tbody tr[data-index]');
    assert.ok((await rows.count()) < 100, `${await rows.count()} rows in the DOM`);
    await expectAccessible(page, assert, 'team, 100k');

    const scroller = page.locator('.split-main .table-scroll');
    await scrollToEnd(page, scroller);
    const last = table.locator('tbody tr[data-index="99999"]');
    await last.waitFor();
    assert.equal(await last.locator('td').first().locator('.truncate').innerText(), names.at(-1));
    assert.ok((await rows.count()) < 100, 'still under 100 rows at the end');
    await screenshot(page, '82-team-100k-end');

    const search = page.getByRole('searchbox', { name: 'Search members' });
    await search.fill(UNIQUE.toLowerCase());
    await eventually(async () => assert.equal(await count.innerText(), '1 of 100,000 members'));
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().locator('td').first().locator('.truncate').innerText(), UNIQUE);
    await expectAccessible(page, assert, 'team, 100k, searched');
    await screenshot(page, '83-team-100k-search');
    assertClean(page, assert);
  });
});
