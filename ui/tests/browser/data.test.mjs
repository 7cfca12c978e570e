// The data layer and big lists (issue 10): the query cache keeps lists across screens, the Users table keeps its
// sort and scroll, a big team's roster is searchable, sortable and virtualized, and the team is in the URL.
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

const callsOf = (page, command) => page.evaluate((c) => window.__standinMock.calls.filter((x) => x.command === c).length, command);
// A grid once the table has grid semantics (arrow-key row navigation), a table before.
const usersTable = (page) => page.getByRole('grid', { name: 'Users' }).or(page.getByRole('table', { name: 'Users' }));
const scrollTop = (page) => page.locator('.table-scroll').evaluate((el) => el.scrollTop);

describe('Return to the list', () => {
  test('Back from a profile keeps the sort and the scroll, from the cache (no second list_users)', async () => {
    const page = await openApp(browser, server.url, { query: 'users=2000&latency=0' });
    const count = page.getByTestId('user-count');
    await eventually(async () => assert.match(await count.innerText(), /^[\d,]+ users$/), { timeout: 10000 });

    const email = page.getByRole('columnheader', { name: 'Email' });
    await email.getByRole('button').click();
    await email.getByRole('button').click();
    assert.equal(await email.getAttribute('aria-sort'), 'descending');

    await page.locator('.table-scroll').evaluate((el) => {
      el.scrollTop = 24000;
    });
    await eventually(async () => assert.ok((await page.locator('tbody tr[data-index="600"]').count()) === 1));
    const before = await scrollTop(page);
    assert.ok(before > 20000, `scrolled down (${before})`);
    const row = page.locator('tbody tr[data-index="605"]');
    const rowText = await row.innerText();
    const name = (await row.getAttribute('aria-label')).split(',')[0];
    await row.click();
    await page.getByRole('heading', { level: 1, name }).waitFor();

    await page.goBack();
    await usersTable(page).waitFor();
    assert.equal(await page.getByRole('columnheader', { name: 'Email' }).getAttribute('aria-sort'), 'descending');
    assert.equal(await page.getByRole('columnheader', { name: 'Name' }).getAttribute('aria-sort'), 'none');
    await eventually(async () => assert.ok(Math.abs((await scrollTop(page)) - before) < 2, `scroll restored (${await scrollTop(page)} vs ${before})`));
    // The same row is at the same place, and it is the one Tab reaches.
    assert.equal(await page.locator('tbody tr[data-index="605"]').innerText(), rowText);
    assert.equal(await page.locator('tbody tr[data-index="605"]').getAttribute('tabindex'), '0');
    assert.equal(await callsOf(page, 'list_users'), 1, 'the list came from the cache');
    await expectAccessible(page, assert, 'users after return');
    await screenshot(page, '40-users-return-sorted');
    assertClean(page, assert);
  });

  test('the Teams screen reuses the team list and rosters it already loaded', async () => {
    const page = await openApp(browser, server.url, { hash: '#/teams' });
    await page.getByRole('table', { name: 'Members of Sales' }).waitFor();
    await page.getByRole('link', { name: 'Users' }).click();
    await usersTable(page).waitFor();
    await page.getByRole('link', { name: 'Teams' }).click();
    // Shown at once from the cache: no loading line in between.
    await page.getByRole('table', { name: 'Members of Sales' }).waitFor({ timeout: 1000 });
    assert.equal(await callsOf(page, 'list_teams'), 1);
    assert.equal(await callsOf(page, 'get_team_members'), 1);
    assertClean(page, assert);
  });
});

describe('Teams for big orgs', () => {
  const BIG = 'Everyone at Bigcorp';

  test('a 3,000-member team is virtualized, searchable, sortable; a row opens the profile; the team is in the URL', async () => {
    const page = await openApp(browser, server.url, { query: 'users=3000&bigTeam&latency=0', hash: '#/teams' });
    const teams = page.getByRole('complementary', { name: 'Teams' });
    await teams.getByRole('link', { name: new RegExp(`^${BIG}`) }).click();
    await eventually(async () => assert.match(page.url(), /#\/teams\/t[0-9a-f]{8}-/));
    const teamUrl = page.url();
    const table = page.getByRole('table', { name: `Members of ${BIG}` });
    await table.waitFor();
    const count = page.getByTestId('member-count');
    await eventually(async () => assert.equal(await count.innerText(), '3,000 members'));
    const rendered = await table.locator('tbody tr[data-index]').count();
    assert.ok(rendered > 5 && rendered < 60, `only the visible rows are in the DOM (got ${rendered} of 3,000)`);
    await expectAccessible(page, assert, 'big team');
    await screenshot(page, '41-teams-big');

    // Sort by email, descending: the last address alphabetically comes first.
    const email = table.getByRole('columnheader', { name: 'Email' });
    await email.getByRole('button').click();
    assert.equal(await email.getAttribute('aria-sort'), 'ascending');
    await email.getByRole('button').click();
    assert.equal(await email.getAttribute('aria-sort'), 'descending');
    const firstEmail = await table.locator('tbody tr[data-index="0"] td').nth(1).innerText();
    assert.match(firstEmail, /^taylor\.lindqvist\.\d+@bigcorp\.example$/);

    // Search: every word must match; the count says how many of the team match.
    const search = page.getByRole('searchbox', { name: 'Search members' });
    await search.fill('alex.anderson.1@');
    await eventually(async () => assert.equal(await count.innerText(), '1 of 3,000 members'));
    assert.equal(await table.locator('tbody tr[data-index]').count(), 1);
    await screenshot(page, '42-teams-big-search');
    await search.fill('nobody-like-this');
    await page.getByText('No members match “nobody-like-this”').waitFor();
    await search.fill('quinn');
    await eventually(async () => assert.match(await count.innerText(), /^250 of 3,000 members$/));
    await search.fill('quinn.anderson.8@');
    await eventually(async () => assert.equal(await count.innerText(), '1 of 3,000 members'));

    // A click on the row (not only the name) opens the profile; Back returns to the same team.
    const row = table.locator('tbody tr[data-index="0"]');
    await row.locator('td').nth(2).click();
    await page.getByRole('heading', { level: 1, name: 'Quinn Anderson 8' }).waitFor();
    await page.goBack();
    assert.equal(page.url(), teamUrl);
    await page.getByRole('table', { name: `Members of ${BIG}` }).waitFor();
    assert.equal(await teams.getByRole('link', { name: new RegExp(`^${BIG}`) }).getAttribute('aria-current'), 'page');
    assert.equal(await page.getByRole('columnheader', { name: 'Email' }).getAttribute('aria-sort'), 'descending');
    assert.equal(await page.getByRole('searchbox', { name: 'Search members' }).inputValue(), 'quinn.anderson.8@');
    assert.equal(await callsOf(page, 'get_team_members'), 2, 'Sales (the first team) once, the big team once');

    // The ⋯ menu on a row does not open the profile.
    await page.getByRole('button', { name: 'More actions for Quinn Anderson 8' }).click();
    await page.getByRole('menu').waitFor();
    assert.equal(page.url(), teamUrl);
    await page.keyboard.press('Escape');
    assertClean(page, assert);
  });

  test('a deep link to #/teams/ID opens that team; an unknown ID says so', async () => {
    const first = await openApp(browser, server.url, { query: 'users=300&bigTeam&latency=0', hash: '#/teams' });
    await first.getByRole('complementary', { name: 'Teams' }).getByRole('link', { name: /^Marketing/ }).click();
    await eventually(async () => assert.match(first.url(), /#\/teams\/t/));
    const hash = new URL(first.url()).hash;
    await first.context().close();

    const page = await openApp(browser, server.url, { hash });
    await page.getByRole('table', { name: 'Members of Marketing' }).waitFor();
    assert.equal(await page.getByRole('complementary', { name: 'Teams' }).getByRole('link', { name: /^Marketing/ }).getAttribute('aria-current'), 'page');
    await expectAccessible(page, assert, 'team deep link');

    await page.evaluate(() => {
      window.location.hash = '#/teams/t-missing';
    });
    await page.getByText('Team not found', { exact: true }).waitFor();
    await expectAccessible(page, assert, 'team not found');
    await screenshot(page, '43-teams-not-found');
    await page.getByRole('link', { name: 'Show all teams' }).click();
    await page.getByRole('table', { name: 'Members of Sales' }).waitFor();
    assertClean(page, assert);
  });
});
