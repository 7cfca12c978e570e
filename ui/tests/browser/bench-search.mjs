// Measures the 100k-member lists in headless Chromium against the mocked backend (`npm run bench:search`):
//   - first paint: navigation start → the Users table's first row in the DOM (100,000 generated members);
//   - search: one keystroke → the browser idle again with the answer on screen, typing whole queries letter by
//     letter into the Users search and into a 100,000-member team's search (median and p95 over every keystroke);
//   - sort: a click on a column header → idle with the table re-sorted.
// "Idle" is requestIdleCallback after the input event: React's deferred render, the virtualizer and the paint are
// done. The same loop on an input outside the app (React never sees it) gives the floor of this way of measuring:
// the wait for the next frame and the idle callback, with no work of the app's. A measurement script, not a test: it prints a table and a JSON line (for BENCHMARKS.md); it fails only
// if an answer on screen is wrong.
import { launch, openApp, serveDist } from './harness.mjs';

const ORG = 'users=100000&bigTeam&latency=0';
const QUERIES = ['charlie diaz 50014', 'taylor.lindqvist', 'quinn 777', 'x1f'];
const ROUNDS = Number(process.env.ROUNDS ?? 3);

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

/** Types each query letter by letter into the search box; returns ms per keystroke (input event → idle). */
async function typeAndTime(page, label, countTestId) {
  return page.evaluate(
    async ([label, queries, rounds, countTestId]) => {
      const input = document.querySelector(`input[aria-label="${label}"]`);
      if (!input) throw new Error(`no search box labelled ${label}`);
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const idle = () => new Promise((r) => requestIdleCallback(() => r(), { timeout: 30000 }));
      const set = (v) => {
        setter.call(input, v);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      };
      const times = [];
      const counts = {};
      for (let round = 0; round < rounds; round++) {
        for (const q of queries) {
          for (let i = 1; i <= q.length; i++) {
            const t0 = performance.now();
            set(q.slice(0, i));
            await idle();
            times.push(performance.now() - t0);
          }
          counts[q] = document.querySelector(`[data-testid="${countTestId}"]`)?.textContent ?? '';
          set('');
          await idle();
        }
      }
      return { times, counts };
    },
    [label, QUERIES, ROUNDS, countTestId],
  );
}

/** The measuring loop's own cost: keystrokes into an input React does not own, input event → idle. */
async function frameFloor(page) {
  return page.evaluate(async () => {
    const input = document.createElement('input');
    document.body.appendChild(input);
    const idle = () => new Promise((r) => requestIdleCallback(() => r(), { timeout: 30000 }));
    const times = [];
    for (let i = 1; i <= 60; i++) {
      const t0 = performance.now();
      input.value = 'x'.repeat(i % 12);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await idle();
      times.push(performance.now() - t0);
    }
    input.remove();
    return times;
  });
}

async function clickSortAndTime(page, tableSelector, header) {
  return page.evaluate(
    async ([tableSelector, header]) => {
      const idle = () => new Promise((r) => requestIdleCallback(() => r(), { timeout: 30000 }));
      const times = [];
      for (let i = 0; i < 4; i++) {
        const button = [...document.querySelectorAll(`${tableSelector} th button`)].find((b) => b.textContent?.trim() === header);
        if (!button) throw new Error(`no ${header} header`);
        const t0 = performance.now();
        button.click();
        await idle();
        times.push(performance.now() - t0);
      }
      return times;
    },
    [tableSelector, header],
  );
}

const server = await serveDist();
const browser = await launch();
const results = {};
try {
  // First paint of the Users table, three fresh pages.
  const paints = [];
  for (let i = 0; i < 3; i++) {
    const page = await openApp(browser, server.url, { query: ORG });
    await page.locator('tbody tr[data-index="0"]').waitFor({ timeout: 60000 });
    paints.push(await page.evaluate(() => performance.now()));
    await page.context().close();
  }
  results.firstPaintMs = stats(paints);

  const page = await openApp(browser, server.url, { query: ORG });
  await page.locator('tbody tr[data-index="0"]').waitFor({ timeout: 60000 });
  await page.waitForTimeout(500);
  results.floorKeystrokeMs = stats(await frameFloor(page));
  const users = await typeAndTime(page, 'Search users', 'user-count');
  results.usersKeystrokeMs = stats(users.times);
  if (!users.counts['charlie diaz 50014']?.startsWith('1 of ')) throw new Error(`users search: ${JSON.stringify(users.counts)}`);
  results.usersSortMs = stats(await clickSortAndTime(page, 'table[aria-label="Users"]', 'Email'));

  await page.goto(`${server.url}?mock&${ORG}#/teams`);
  await page.getByRole('complementary', { name: 'Teams' }).getByRole('link', { name: /^Everyone at Bigcorp/ }).click({ timeout: 60000 });
  await page.getByText('100,000 members').waitFor({ timeout: 60000 });
  await page.waitForTimeout(500);
  const team = await typeAndTime(page, 'Search members', 'member-count');
  results.teamKeystrokeMs = stats(team.times);
  if (!team.counts['charlie diaz 50014']?.startsWith('1 of ')) throw new Error(`team search: ${JSON.stringify(team.counts)}`);
  results.teamSortMs = stats(await clickSortAndTime(page, 'table[aria-label="Members of Everyone at Bigcorp"]', 'Email'));
} finally {
  await browser.close();
  await server.close();
}
const fmt = (s) => `median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (n=${s.n})`;
console.log(`first paint of the Users table (100k): ${fmt(results.firstPaintMs)}`);
console.log(`floor (input outside the app) → idle:  ${fmt(results.floorKeystrokeMs)}`);
console.log(`Users search, keystroke → idle:       ${fmt(results.usersKeystrokeMs)}`);
console.log(`Users sort (Email), click → idle:      ${fmt(results.usersSortMs)}`);
console.log(`Team search, keystroke → idle:        ${fmt(results.teamKeystrokeMs)}`);
console.log(`Team sort (Email), click → idle:       ${fmt(results.teamSortMs)}`);
console.log(JSON.stringify(results));
