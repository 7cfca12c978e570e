// The desktop app benchmark's driver (bench/app.sh runs it inside the D-Bus session and the X server, with
// tauri-driver listening on E2E_PORT). Every launch goes through bench/app/launch.sh, which records the spawn
// moment and the pid and gives the launch fresh HOME/XDG/STANDIN dirs: each launch is a first launch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { byRole, goneRole, launch, openNav, queryRole, quit, sleep, waitText } from '../../tests/e2e/lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LAUNCHER = path.join(HERE, 'launch.sh');
const TMP = process.env.BENCH_TMP;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 10));
const SESSION_RUNS = Math.max(0, Number(process.env.BENCH_SESSION_RUNS ?? 3));
const SETTLE_MS = 5000;
const MARK = 'standin-bench:painted';
const BUDGET = { launchMs: 1000, restRatio: 1.2, sessionRatio: 1.4 };

/** "name:K=V K=V|name2:K=V" → [{ name, env }]; the plain app is always first. */
function variants() {
  const out = [{ name: 'app', env: {} }];
  for (const spec of (process.env.BENCH_VARIANTS ?? '').split('|').map((s) => s.trim()).filter(Boolean)) {
    const [name, rest = ''] = spec.split(/:(.*)/s);
    const env = {};
    for (const kv of rest.split(/\s+/).filter(Boolean)) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    out.push({ name: name.trim(), env });
  }
  return out;
}

// ---- processes and memory (Linux /proc) ----

function children() {
  const byParent = new Map();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!byParent.has(ppid)) byParent.set(ppid, []);
      byParent.get(ppid).push(Number(pid));
    } catch {
      /* gone */
    }
  }
  return byParent;
}

/** PSS (and RSS) of a process and all its descendants, from smaps_rollup, in MiB. */
export function treeMemory(rootPid) {
  const byParent = children();
  const procs = [];
  const walk = (pid) => {
    try {
      const roll = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(roll)?.[1] ?? 0);
      procs.push({ pid, comm, pssMiB: kb('Pss') / 1024, rssMiB: kb('Rss') / 1024 });
    } catch {
      /* gone */
    }
    for (const c of byParent.get(pid) ?? []) walk(c);
  };
  walk(rootPid);
  const sum = (k) => procs.reduce((s, p) => s + p[k], 0);
  return { pssMiB: sum('pssMiB'), rssMiB: sum('rssMiB'), processes: procs };
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// ---- one launch ----

let launchNo = 0;

/** Launches a binary through the launcher with fresh dirs; returns { browser, spawnMs, pid }. */
async function start(exec, env) {
  launchNo += 1;
  const dir = path.join(TMP, `launch-${launchNo}`);
  const d = (n) => path.join(dir, n);
  for (const n of ['home', 'config', 'data', 'cache', 'standin-config', 'standin-data']) fs.mkdirSync(d(n), { recursive: true });
  const vars = {
    BENCH_EXEC: exec,
    BENCH_LAUNCH_DIR: dir,
    HOME: d('home'),
    XDG_CONFIG_HOME: d('config'),
    XDG_DATA_HOME: d('data'),
    XDG_CACHE_HOME: d('cache'),
    STANDIN_CONFIG_DIR: d('standin-config'),
    STANDIN_DATA_DIR: d('standin-data'),
    ...env,
  };
  const quote = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;
  fs.writeFileSync(
    path.join(TMP, 'next-launch.env'),
    Object.entries(vars).map(([k, v]) => `export ${k}=${quote(v)}`).join('\n') + '\n',
  );
  const browser = await launch({ application: LAUNCHER });
  const [spawned, pid] = fs.readFileSync(d('spawn'), 'utf8').trim().split(' ');
  return { browser, spawnMs: Number(spawned) * 1000, pid: Number(pid) };
}

/** Waits for the paint mark; returns its wall-clock time (ms since the epoch). */
async function paintedAt(browser, what) {
  let at = null;
  await browser.waitUntil(
    async () => {
      at = await browser.execute((mark) => {
        const e = performance.getEntriesByName(mark, 'mark')[0];
        // The page's clock against the wall clock, to prove timeOrigin + startTime is comparable with the spawn
        // time the launcher took from the system clock.
        if (!e) return null;
        // Where the time went, each phase since the page's time origin (the web view's navigation start): the
        // HTML in, the main script run (the app's "standin:boot" mark), the first IPC calls (the app's "ipc:…"
        // measures), the paint.
        const nav = performance.getEntriesByType('navigation')[0];
        const boot = performance.getEntriesByName('standin:boot', 'mark')[0];
        const ipc = performance
          .getEntriesByType('measure')
          .filter((m) => m.name.startsWith('ipc:'))
          .map((m) => ({ name: m.name.slice(4), start: m.startTime, end: m.startTime + m.duration }));
        const phases = {
          html: nav ? nav.responseEnd : null,
          domInteractive: nav ? nav.domInteractive : null,
          boot: boot ? boot.startTime : null,
          ipc,
          painted: e.startTime,
        };
        return { at: performance.timeOrigin + e.startTime, origin: performance.timeOrigin, phases, skew: Date.now() - (performance.timeOrigin + performance.now()) };
      }, MARK);
      return at !== null;
    },
    { timeout: 30_000, interval: 25, timeoutMsg: `${what}: no "${MARK}" mark after 30 s` },
  );
  if (Math.abs(at.skew) > 50) throw new Error(`${what}: the page's clock is ${at.skew} ms off the wall clock`);
  lastPhases = { origin: at.origin, ...at.phases };
  return at.at;
}

/** The phases of the last launch paintedAt saw (see there); the report prints them relative to the spawn. */
let lastPhases = null;

function phaseLine(spawnMs, p) {
  if (!p) return '';
  const rel = (t) => (t === null || t === undefined ? '–' : (p.origin + t - spawnMs).toFixed(0));
  const ipc = p.ipc.map((c) => `${c.name} ${rel(c.start)}→${rel(c.end)}`).join(', ');
  return `    since spawn (ms): page origin ${(p.origin - spawnMs).toFixed(0)}, html ${rel(p.html)}, dom ${rel(p.domInteractive)}, boot ${rel(p.boot)}, painted ${rel(p.painted)}${ipc ? `; ipc ${ipc}` : ''}`;
}

async function stop(launched) {
  await quit(launched.browser);
  for (let i = 0; i < 100 && alive(launched.pid); i++) await sleep(100);
  if (alive(launched.pid)) throw new Error(`pid ${launched.pid} still running after the session was closed`);
}

/**
 * A screenshot with a time limit. Without GPU compositing (the app's default, src-tauri/webview.rs) a WebDriver
 * screenshot waits for the next repaint, and a page at rest never repaints: an invisible change (a transparent
 * outline toggled for two seconds) makes one, with the same pixels.
 */
async function shot(browser, name) {
  await browser.execute(() => {
    const root = document.documentElement;
    let n = 0;
    const id = setInterval(() => {
      root.style.outline = n++ % 2 ? '' : '1px solid transparent';
      if (n > 40) {
        clearInterval(id);
        root.style.outline = '';
      }
    }, 50);
  });
  const png = await Promise.race([browser.takeScreenshot(), sleep(20_000).then(() => null)]);
  if (png) fs.writeFileSync(path.join(process.env.BENCH_SHOTS, `${name}.png`), Buffer.from(png, 'base64'));
  else console.error(`bench: screenshot ${name} timed out`);
}

/** Impersonates Tom Lee from his profile and visits every Viewing-as tab (as tests/e2e/specs/10 does). */
async function sessionAndEveryTab(browser, shotPrefix) {
  await openNav(browser, 'Users');
  await (await byRole(browser, 'searchbox', 'Search users')).setValue('tom');
  const row = await byRole(browser, 'row', 'Tom Lee, tom.lee@acme.example');
  await (await row.$('td')).click();
  await waitText(browser, 'tom.lee@acme.example');
  await (await byRole(browser, 'button', 'Impersonate user')).click();
  const dialog = await byRole(browser, 'dialog', 'Impersonate user');
  await (await byRole(browser, 'textbox', 'Reason or ticket', { within: dialog })).setValue('BENCH-1');
  await (await byRole(browser, 'button', 'Start', { within: dialog })).click();
  await goneRole(browser, 'dialog', 'Impersonate user', { timeout: 15_000 });
  await byRole(browser, 'region', 'Impersonation session', { timeout: 15_000 });
  await openNav(browser, 'Viewing as user');
  const tab = async (name) => (await byRole(browser, 'tab', name)).click();
  await tab('Who am I');
  await waitText(browser, 'User ID', { timeout: 15_000 });
  await tab('Documents');
  await byRole(browser, 'table', 'Documents the user can see', { timeout: 15_000 });
  if (shotPrefix) await shot(browser, `${shotPrefix}-documents`);
  await tab('My Documents');
  await sleep(500);
  await tab('Compare with my view');
  await byRole(browser, 'heading', /^Only you( \d+)?$/, { timeout: 15_000 });
  if (shotPrefix) await shot(browser, `${shotPrefix}-compare`);
  await tab('API console');
  await waitText(browser, 'Allowed as this user', { timeout: 10_000 });
  await (await byRole(browser, 'button', 'Send')).click();
  await byRole(browser, 'region', 'Response', { timeout: 15_000 });
  await tab('Token inspector');
  await waitText(browser, 'Impersonation token', { timeout: 10_000 });
  if (shotPrefix) await shot(browser, `${shotPrefix}-tokens`);
  if (!(await queryRole(browser, 'region', 'Impersonation session'))) throw new Error('the session ended during the tour');
}

async function measureApp(variant, round, withSession) {
  const l = await start(process.env.BENCH_APP, variant.env);
  try {
    const at = await paintedAt(l.browser, variant.name);
    const launchMs = at - l.spawnMs;
    if (process.env.BENCH_PHASES === '1') console.error(phaseLine(l.spawnMs, lastPhases));
    await sleep(SETTLE_MS);
    const rest = treeMemory(l.pid);
    if (round === 0) await shot(l.browser, `${variant.name}-users`);
    let session = null;
    if (withSession) {
      await sessionAndEveryTab(l.browser, round === 0 ? variant.name : null);
      await sleep(SETTLE_MS);
      session = treeMemory(l.pid);
    }
    return { launchMs, rest, session };
  } finally {
    await stop(l);
  }
}

async function measureEmpty(round) {
  const l = await start(process.env.BENCH_EMPTY, {});
  try {
    const at = await paintedAt(l.browser, 'empty window');
    const launchMs = at - l.spawnMs;
    if (process.env.BENCH_PHASES === '1') console.error(phaseLine(l.spawnMs, lastPhases));
    await sleep(SETTLE_MS);
    const rest = treeMemory(l.pid);
    if (round === 0) await shot(l.browser, 'empty-window');
    return { launchMs, rest };
  } finally {
    await stop(l);
  }
}

// ---- statistics and the report ----

const sorted = (xs) => [...xs].sort((a, b) => a - b);
/** Nearest-rank percentile. */
const pct = (xs, p) => {
  const s = sorted(xs);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};
const stats = (xs) => ({ n: xs.length, median: pct(xs, 50), p90: pct(xs, 90), min: sorted(xs)[0], max: sorted(xs).at(-1) });
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');

async function main() {
  const vs = variants();
  const loadBefore = os.loadavg();
  const results = { empty: [] };
  for (const v of vs) results[v.name] = [];
  for (let round = 0; round < RUNS; round++) {
    // Interleaved, so a machine that gets busier during the run weighs on both sides alike.
    results.empty.push(await measureEmpty(round));
    for (const v of vs) {
      const r = await measureApp(v, round, round < SESSION_RUNS);
      results[v.name].push(r);
      console.error(
        `# round ${round + 1}/${RUNS} ${v.name}: painted ${f0(r.launchMs)} ms, PSS at rest ${f0(r.rest.pssMiB)} MiB` +
          (r.session ? `, with a session ${f0(r.session.pssMiB)} MiB` : '') +
          ` | empty window ${f0(results.empty.at(-1).launchMs)} ms, ${f0(results.empty.at(-1).rest.pssMiB)} MiB`,
      );
    }
  }
  const empty = {
    launch: stats(results.empty.map((r) => r.launchMs)),
    rest: stats(results.empty.map((r) => r.rest.pssMiB)),
    processes: results.empty[0].rest.processes.map((p) => p.comm),
  };
  // Launch times depend on how busy the machine is (memory hardly does): the load average says how busy it was.
  const load = `load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} before, ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} after`;
  const summary = { machine: machine(), date: new Date().toISOString(), load, runs: RUNS, sessionRuns: SESSION_RUNS, empty, apps: {} };
  const lines = [];
  lines.push(`| what | launch → painted, median (p90) | PSS at rest, median | ×empty | PSS with a session, median | ×empty |`);
  lines.push(`|---|---|---|---|---|---|`);
  lines.push(`| empty Tauri window | ${f0(empty.launch.median)} ms (${f0(empty.launch.p90)}) | ${f0(empty.rest.median)} MiB | 1.00 | – | – |`);
  let ok = true;
  for (const v of vs) {
    const rs = results[v.name];
    const s = {
      env: v.env,
      launch: stats(rs.map((r) => r.launchMs)),
      rest: stats(rs.map((r) => r.rest.pssMiB)),
      session: stats(rs.filter((r) => r.session).map((r) => r.session.pssMiB)),
      processes: rs[0].rest.processes.map((p) => p.comm),
      sessionProcesses: rs.find((r) => r.session)?.session.processes.map((p) => `${p.comm} ${f0(p.pssMiB)} MiB`) ?? [],
    };
    s.restRatio = s.rest.median / empty.rest.median;
    s.sessionRatio = s.session.median / empty.rest.median;
    s.budgets = {
      launch: s.launch.median < BUDGET.launchMs,
      rest: s.restRatio <= BUDGET.restRatio,
      session: SESSION_RUNS === 0 || s.sessionRatio <= BUDGET.sessionRatio,
    };
    if (v.name === 'app') ok = Object.values(s.budgets).every(Boolean);
    summary.apps[v.name] = s;
    lines.push(
      `| ${v.name === 'app' ? 'Stand-in' : `Stand-in, ${v.name}`} | ${f0(s.launch.median)} ms (${f0(s.launch.p90)}) | ${f0(s.rest.median)} MiB | ${f2(s.restRatio)} | ${f0(s.session.median)} MiB | ${f2(s.sessionRatio)} |`,
    );
  }
  fs.writeFileSync(process.env.BENCH_OUT, JSON.stringify({ summary, results }, null, 2));
  const app = summary.apps.app;
  console.log(lines.join('\n'));
  console.log(`\nprocesses: app ${app.processes.join(', ')}; empty window ${empty.processes.join(', ')}`);
  console.log(`with a session: ${app.sessionProcesses.join(', ')}`);
  console.log(`machine: ${summary.machine}; ${RUNS} launches each (${SESSION_RUNS} with a session); ${summary.date}; ${load}`);
  console.log(
    `budgets: launch < ${BUDGET.launchMs} ms ${app.budgets.launch ? 'ok' : 'MISSED'}; ` +
      `PSS at rest ≤ ${BUDGET.restRatio}× ${app.budgets.rest ? 'ok' : 'MISSED'}; ` +
      `PSS with a session ≤ ${BUDGET.sessionRatio}× ${app.budgets.session ? 'ok' : 'MISSED'}`,
  );
  console.log(`raw numbers: ${process.env.BENCH_OUT}; screenshots: ${process.env.BENCH_SHOTS}`);
  if (!ok && process.env.BENCH_STRICT === '1') process.exitCode = 1;
}

function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  let distro = os.type();
  try {
    distro = /^PRETTY_NAME="?([^"\n]+)/m.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? distro;
  } catch {
    /* keep the kernel's name */
  }
  return `${distro}, ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Linux ${os.release()}`;
}

main().catch((e) => {
  console.error(`bench: ${e?.stack ?? e}`);
  process.exitCode = 1;
});
