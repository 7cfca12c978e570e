// Shared set-up of the browser tests: a static server for ui/dist (with the app's real CSP, so a violation
// fails the test), headless Debian Chromium through playwright-core, axe-core, and screenshots.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const UI_ROOT = resolve(here, '../..');
export const DIST = join(UI_ROOT, 'dist');
export const SHOTS = resolve(UI_ROOT, '../target/ui-screenshots');
export const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

export async function serveDist() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('ui/dist is missing: run `npm run build` first');
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = join(DIST, rel);
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page on the mocked app. Console errors, page errors and CSP violations are collected: a test ends with
 * `assertClean(page)`.
 */
export async function openApp(
  browser,
  baseUrl,
  { query = '', hash = '#/users', colorScheme = 'light', width = 1360, height = 860, reducedMotion = 'reduce' } = {},
) {
  // Reduced motion by default keeps screenshots still; keyboard.test.mjs passes 'no-preference' to see motion.
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, reducedMotion });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${baseUrl}?mock&latency=20${query ? `&${query}` : ''}${hash}`);
  await page.waitForSelector('.app');
  return page;
}

export function assertClean(page, assert) {
  assert.deepEqual(page.problems, [], `the page logged errors:\n${page.problems.join('\n')}`);
}

const require = createRequire(import.meta.url);
let axeSource;

/** Runs axe-core on the page; returns the serious and critical violations (with where they are). */
export async function axeViolations(page) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // evaluate() goes through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function expectAccessible(page, assert, label) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${label}: axe found serious/critical violations:\n${JSON.stringify(violations, null, 2)}`);
}

export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  // Let transitions and the tooltip delay settle so the picture is what a person sees.
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Polls `fn` until it stops throwing (assertions about text that updates asynchronously). */
export async function eventually(fn, { timeout = 5000, interval = 50 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}
