// The npm licence checker must be able to fail: lockfiles with a disallowed, missing or malformed licence, or a
// package from outside the registry, are refused; allowed expressions pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHECKER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'check-npm-licenses.mjs');

function check(packages, { manifests = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npm-licences-'));
  try {
    const lock = { name: 'x', lockfileVersion: 3, packages: { '': { name: 'x' } } };
    for (const [name, entry] of Object.entries(packages)) lock.packages[`node_modules/${name}`] = { version: '1.0.0', ...entry };
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
    for (const [name, manifest] of Object.entries(manifests)) {
      fs.mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
      fs.writeFileSync(path.join(dir, 'node_modules', name, 'package.json'), JSON.stringify(manifest));
    }
    const r = spawnSync(process.execPath, [CHECKER, dir], { encoding: 'utf8' });
    return { code: r.status, out: r.stdout + r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('allowed licences and expressions pass', () => {
  const r = check({
    a: { license: 'MIT' },
    b: { license: '(MIT OR GPL-3.0-or-later)' },
    c: { license: 'Apache-2.0 AND (BSD-3-Clause OR GPL-2.0)' },
    'd/node_modules/e': { license: 'ISC' },
  });
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /all allowed/);
});

test('a licence off the list fails, alone or in an AND', () => {
  for (const license of ['GPL-3.0-only', 'MIT AND GPL-3.0-only', 'AGPL-3.0-or-later OR SSPL-1.0', 'MIT WITH Foo-exception']) {
    const r = check({ a: { license: 'MIT' }, bad: { license } });
    assert.equal(r.code, 1, `${license} passed: ${r.out}`);
    assert.match(r.out, /bad@1\.0\.0: licence ".*" is not on the allow-list/);
  }
});

test('no licence, or one that is not an SPDX expression, fails', () => {
  assert.match(check({ none: {} }).out, /none@1\.0\.0 declares no licence/);
  assert.equal(check({ none: {} }).code, 1);
  const r = check({ odd: { license: 'MIT OR' } });
  assert.equal(r.code, 1);
  assert.match(r.out, /not an SPDX expression/);
  assert.equal(check({ odd: { license: 'SEE LICENSE IN LICENSE.txt' } }).code, 1);
});

test('an entry without a licence in the lockfile is read from its installed package.json', () => {
  assert.equal(check({ m: {} }, { manifests: { m: { name: 'm', license: 'BSD-2-Clause' } } }).code, 0);
  assert.equal(check({ m: {} }, { manifests: { m: { name: 'm', licenses: [{ type: 'MIT' }] } } }).code, 0);
  assert.equal(check({ m: {} }, { manifests: { m: { name: 'm', license: 'GPL-2.0-only' } } }).code, 1);
});

test('a package from outside the npm registry fails', () => {
  const r = check({ g: { license: 'MIT', resolved: 'git+ssh://git@example.com/x/g.git#abc' } });
  assert.equal(r.code, 1);
  assert.match(r.out, /not from the npm registry/);
});
