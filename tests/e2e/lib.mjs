// Shared helpers: start a WebDriver session on the real app, find elements by role and accessible name (as a
// user or a screen reader would), wait, and save screenshots.
import { remote } from 'webdriverio';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
export const APP = process.env.E2E_APP ?? path.join(ROOT, 'target/release/stand-in');
export const SHOTS = process.env.E2E_SCREENSHOTS ?? path.join(ROOT, 'target/e2e-screenshots');

/** Launches the app (tauri-driver starts it for the new session). `application` may be a wrapper script. */
export async function launch({ application = APP } = {}) {
  const port = Number(process.env.E2E_PORT ?? 4444);
  const started = Date.now();
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: process.env.E2E_WDIO_LOG ?? 'warn',
    connectionRetryTimeout: 60_000,
    connectionRetryCount: 0,
    capabilities: {
      'tauri:options': { application },
      'wdio:enforceWebDriverClassic': true,
    },
    waitforTimeout: 10_000,
  });
  browser.launchedInMs = Date.now() - started;
  return browser;
}

/** Closes the session, which closes the app; never throws (a failed test must still clean up). */
export async function quit(browser) {
  if (!browser) return;
  try {
    await browser.deleteSession();
  } catch (e) {
    console.error('deleteSession failed:', e?.message ?? e);
  }
}

/** A screenshot of the web view, named after the screen. */
export async function shot(browser, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await painted(browser);
  // WebKit may still be repainting some tiles (seen: the banner and the tab list blank in one shot, the rest
  // painted): take shots until two in a row are the same picture.
  let last = await screenshotNow(browser);
  for (let i = 0; i < 8; i++) {
    await sleep(150);
    const next = await screenshotNow(browser);
    if (next === last) break;
    last = next;
  }
  fs.writeFileSync(file, Buffer.from(last, 'base64'));
  return file;
}

/**
 * A WebDriver screenshot that cannot wait forever. The app draws without GPU compositing (src-tauri/webview.rs),
 * and then WebKit answers a screenshot at the next repaint — which a page at rest never makes: the request hung
 * (seen: every shot of a settled screen). An invisible change (a transparent outline toggled for two seconds)
 * makes repaints with the same pixels.
 */
async function screenshotNow(browser) {
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
  return browser.takeScreenshot();
}

/**
 * Waits until the web view has painted the current DOM: two animation frames. Painting is slow here (software
 * rendering under Xvfb: one frame took 300 ms on a busy 2-core machine), and a WebDriver screenshot shows the
 * last painted frame, so without this a screenshot can show the screen before the last click.
 */
export async function painted(browser) {
  await browser.executeAsync((done) => {
    const t = setTimeout(done, 5000);
    requestAnimationFrame(() => requestAnimationFrame(() => {
      clearTimeout(t);
      done();
    }));
  });
}

/** The visible text of each row of a table (innerText, whitespace collapsed), header row included. */
export async function rowTexts(browser, table) {
  return browser.execute(
    (t) => [...t.querySelectorAll('tr')].map((r) => r.innerText.replace(/\s+/g, ' ').trim()),
    table,
  );
}

/** Opens a row of a table (a click on its first cell, where a user would click). */
export async function openRow(browser, row) {
  const cell = await row.$('td');
  await cell.click();
}

// ---- finding by role and accessible name (runs in the page) ----

// A small, dependency-free approximation of ARIA roles and names: explicit role, else the implicit role of the
// tag; the name from aria-labelledby, aria-label, a <label>, then the text content (for roles named from
// content). Only visible elements count.
const FIND_SCRIPT = `
const [role, name, exact, within, all] = arguments;
const root = within || document;
const implicit = (el) => {
  const t = el.tagName.toLowerCase();
  if (t === 'button') return 'button';
  if (t === 'a' && el.hasAttribute('href')) return 'link';
  if (t === 'select') return 'combobox';
  if (t === 'textarea') return 'textbox';
  if (t === 'input') {
    const ty = (el.getAttribute('type') || 'text').toLowerCase();
    if (ty === 'search') return 'searchbox';
    if (ty === 'checkbox') return 'checkbox';
    if (ty === 'radio') return 'radio';
    if (ty === 'button' || ty === 'submit' || ty === 'reset') return 'button';
    return 'textbox';
  }
  if (/^h[1-6]$/.test(t)) return 'heading';
  if (t === 'table') return 'table';
  if (t === 'tr') return 'row';
  if (t === 'td') return 'cell';
  if (t === 'th') return 'columnheader';
  if (t === 'nav') return 'navigation';
  if (t === 'main') return 'main';
  if (t === 'aside') return 'complementary';
  if (t === 'form' && (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby'))) return 'form';
  if (t === 'dialog') return 'dialog';
  if (t === 'ul' || t === 'ol') return 'list';
  if (t === 'li') return 'listitem';
  if (t === 'section' && (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby'))) return 'region';
  return null;
};
const roleOf = (el) => (el.getAttribute('role') || '').split(' ')[0] || implicit(el);
const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
// Text from content, as an accessible name is computed: aria-hidden and undisplayed parts are skipped,
// visually hidden (screen-reader) text is kept, a nested aria-label replaces its element's content.
const textOf = (el) => {
  const walk = (n) => {
    if (n.nodeType === 3) return n.nodeValue;
    if (n.nodeType !== 1) return '';
    if (n.getAttribute('aria-hidden') === 'true') return '';
    const cs = getComputedStyle(n);
    if (cs.display === 'none' || cs.visibility === 'hidden') return '';
    if (n !== el && n.getAttribute('aria-label')) return ' ' + n.getAttribute('aria-label') + ' ';
    const t = n.tagName.toLowerCase();
    if (t === 'img') return n.getAttribute('alt') || '';
    if (t === 'svg' || t === 'style' || t === 'script') return '';
    let s = '';
    for (const c of n.childNodes) s += walk(c);
    return cs.display === 'inline' ? s : ' ' + s + ' ';
  };
  return norm(walk(el));
};
const nameOf = (el) => {
  const lb = el.getAttribute('aria-labelledby');
  if (lb) {
    const parts = lb.split(/\\s+/).map((id) => document.getElementById(id)).filter(Boolean).map((n) => norm(n.textContent));
    if (parts.length) return norm(parts.join(' '));
  }
  const al = el.getAttribute('aria-label');
  if (al) return norm(al);
  if (el.id && /^(input|select|textarea)$/i.test(el.tagName)) {
    const l = document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
    if (l) return norm(l.textContent);
  }
  const wrap = el.closest('label');
  if (wrap && wrap !== el && /^(input|select|textarea)$/i.test(el.tagName)) return norm(wrap.textContent);
  if (/^(input|textarea)$/i.test(el.tagName)) return norm(el.getAttribute('placeholder') || el.getAttribute('title'));
  return textOf(el) || norm(el.getAttribute('title'));
};
const visible = (el) => {
  if (!el.isConnected) return false;
  const r = el.getClientRects();
  if (!r.length) return false;
  const cs = getComputedStyle(el);
  return cs.visibility !== 'hidden' && cs.display !== 'none';
};
const matches = (n) => {
  if (name === null || name === undefined) return true;
  if (name && typeof name === 'object' && name.re) return new RegExp(name.re, name.flags || '').test(n);
  return exact ? n === name : n.toLowerCase().includes(String(name).toLowerCase());
};
const found = [];
for (const el of root.querySelectorAll('*')) {
  if (role && roleOf(el) !== role) continue;
  if (!visible(el)) continue;
  if (!matches(nameOf(el))) continue;
  found.push(el);
  if (!all) break;
}
return all ? found : (found[0] || null);
`;

function nameArg(name) {
  return name instanceof RegExp ? { re: name.source, flags: name.flags } : name;
}

/** The first visible element with that role and accessible name (exact by default; a RegExp also works). */
export async function queryRole(browser, role, name, { exact = true, within = null } = {}) {
  const ref = await browser.execute(FIND_SCRIPT, role, nameArg(name), exact, within, false);
  return ref ? browser.$(ref) : null;
}

export async function queryAllRole(browser, role, name = null, { exact = true, within = null } = {}) {
  const refs = await browser.execute(FIND_SCRIPT, role, nameArg(name), exact, within, true);
  return Promise.all((refs ?? []).map((r) => browser.$(r)));
}

/** Waits for an element with that role and name and returns it. */
export async function byRole(browser, role, name, { timeout = 10_000, exact = true, within = null } = {}) {
  let el = null;
  await browser.waitUntil(
    async () => {
      el = await queryRole(browser, role, name, { exact, within });
      return el !== null;
    },
    { timeout, interval: 100, timeoutMsg: `no visible ${role} named ${String(name)} after ${timeout} ms` },
  );
  return el;
}

/** Waits until no visible element with that role and name is left. */
export async function goneRole(browser, role, name, { timeout = 10_000, exact = true } = {}) {
  await browser.waitUntil(async () => (await queryRole(browser, role, name, { exact })) === null, {
    timeout,
    interval: 100,
    timeoutMsg: `${role} named ${String(name)} still visible after ${timeout} ms`,
  });
}

/** The page's visible text (innerText of the body, whitespace collapsed). */
export async function pageText(browser) {
  return browser.execute(() => document.body.innerText.replace(/\s+/g, ' ').trim());
}

/** Waits for a piece of text (string or RegExp) to be visible somewhere on the page; returns the page text. */
export async function waitText(browser, text, { timeout = 10_000 } = {}) {
  let last = '';
  const test = (t) => (text instanceof RegExp ? text.test(t) : t.includes(text));
  try {
    await browser.waitUntil(
      async () => {
        last = await pageText(browser);
        return test(last);
      },
      { timeout, interval: 100 },
    );
  } catch {
    throw new Error(`text ${String(text)} not on the page after ${timeout} ms; the page says: ${last.slice(0, 1500)}`);
  }
  return last;
}

export async function noText(browser, text, { timeout = 10_000 } = {}) {
  const test = (t) => (text instanceof RegExp ? text.test(t) : t.includes(text));
  let last = '';
  try {
    await browser.waitUntil(
      async () => {
        last = await pageText(browser);
        return !test(last);
      },
      { timeout, interval: 100 },
    );
  } catch {
    throw new Error(`text ${String(text)} still on the page after ${timeout} ms; the page says: ${last.slice(0, 1500)}`);
  }
}

/** Opens a screen from the sidebar ("Main" navigation) by its link text. */
export async function openNav(browser, label) {
  const nav = await byRole(browser, 'navigation', 'Main');
  const link = await byRole(browser, 'link', label, { within: nav });
  await link.click();
  await browser.waitUntil(async () => (await link.getAttribute('aria-current')) === 'page', {
    timeout: 5000,
    timeoutMsg: `the ${label} link did not become the current page`,
  });
}

/** Text of the yellow banner, or null when there is none. */
export async function bannerText(browser) {
  const b = await queryRole(browser, 'region', 'Impersonation session');
  return b ? browser.execute((el) => el.innerText.replace(/\s+/g, ' ').trim(), b) : null;
}

/** Seconds left in the banner's countdown (mm:ss, or h:mm:ss). */
export function parseCountdown(text) {
  const m = /Time left\s+(?:(\d+):)?(\d{1,2}):(\d{2})/.exec(text ?? '');
  if (!m) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Resident and proportional memory of the app and its WebKit helper processes (Linux /proc). */
export function appMemory(appName = path.basename(APP)) {
  const procs = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
      procs.push({ pid: Number(pid), ppid, comm });
    } catch {
      /* gone */
    }
  }
  const apps = procs.filter((p) => p.comm === appName.slice(0, 15));
  const out = [];
  const add = (p) => {
    let rss = 0;
    let pss = 0;
    try {
      const roll = fs.readFileSync(`/proc/${p.pid}/smaps_rollup`, 'utf8');
      rss = Number(/^Rss:\s+(\d+)/m.exec(roll)?.[1] ?? 0);
      pss = Number(/^Pss:\s+(\d+)/m.exec(roll)?.[1] ?? 0);
    } catch {
      /* gone */
    }
    out.push({ pid: p.pid, comm: p.comm, rssMiB: Math.round(rss / 1024), pssMiB: Math.round(pss / 1024) });
    for (const c of procs.filter((c) => c.ppid === p.pid)) add(c);
  };
  apps.forEach(add);
  const total = (k) => out.reduce((s, p) => s + p[k], 0);
  return { processes: out, rssMiB: total('rssMiB'), pssMiB: total('pssMiB') };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Loopback TCP ports a process listens on (from /proc: its socket inodes matched against /proc/net/tcp). */
export function listeningPorts(pid) {
  const inodes = new Set();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      /* closed meanwhile */
    }
  }
  const ports = [];
  for (const line of fs.readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9])) continue;
    const [addr, port] = f[1].split(':');
    if (addr === '0100007F') ports.push(parseInt(port, 16));
  }
  return ports;
}
