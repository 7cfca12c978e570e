// Smoke: the release app starts in a real window, serves its bundled UI, and its in-process sandbox org is up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appMemory, launch, listeningPorts, quit, shot } from '../lib.mjs';

test('the window opens with the bundled UI and the app starts its sandbox org', async () => {
  const browser = await launch();
  try {
    console.log(`# session + app launch: ${browser.launchedInMs} ms`);
    await browser.waitUntil(async () => (await browser.getTitle()) === 'Stand-in', {
      timeout: 10_000,
      timeoutMsg: 'the document title never became "Stand-in"',
    });
    // Served by the custom protocol (the UI is embedded), not Vite's dev server.
    const url = await browser.getUrl();
    assert.match(url, /^tauri:\/\/localhost/, `unexpected URL ${url}`);
    // React rendered something.
    await browser.waitUntil(async () => browser.execute(() => (document.getElementById('root')?.childElementCount ?? 0) > 0), {
      timeout: 10_000,
      timeoutMsg: 'the UI did not render into #root',
    });
    // The app process runs (with WebKit's helper processes) and listens on a loopback port for its sandbox.
    const mem = appMemory();
    assert.ok(mem.processes.length >= 1, 'the app process was not found');
    const app = mem.processes[0];
    const ports = listeningPorts(app.pid);
    assert.ok(ports.length >= 1, `the app (pid ${app.pid}) listens on no loopback port: the sandbox org did not start`);
    console.log(`# app pid ${app.pid}, sandbox on 127.0.0.1:${ports.join(',')}; ${mem.processes.length} processes, RSS ${mem.rssMiB} MiB, PSS ${mem.pssMiB} MiB`);
    await shot(browser, '00-first-paint');
  } finally {
    await quit(browser);
  }
});
