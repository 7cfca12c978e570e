#!/usr/bin/env node
// Licence check of every npm package a project locks (its package-lock.json: dependencies, dev dependencies and
// optional platform packages, installed or not), against the allow-list below. Dependency-free on purpose: the
// checker itself must not widen the supply chain it checks. Reads the `license` field npm records in the lockfile;
// for an entry without one, the installed package.json (`license`, or the legacy `licenses` array).
//
//   node packaging/check-npm-licenses.mjs DIR...      (each DIR holds a package-lock.json; exit 1 on any problem)
//
// Licence expressions are SPDX: `A OR B` passes when either side does, `A AND B` when both do, `A WITH X` only
// when that exact pair is listed. Not an SPDX expression (or no licence at all) fails: someone has to look.
import fs from 'node:fs';
import path from 'node:path';

// Only licences in use that are fine for a desktop app shipped in binary form (MIT). Add one only after reading
// it; a new copyleft licence is a decision, not a lockfile update.
const ALLOWED = new Map([
  ['MIT', 'permissive'],
  ['MIT-0', 'permissive, no attribution'],
  ['ISC', 'permissive'],
  ['0BSD', 'permissive, no attribution'],
  ['BSD-2-Clause', 'permissive'],
  ['BSD-3-Clause', 'permissive'],
  ['Apache-2.0', 'permissive, patent grant'],
  ['BlueOak-1.0.0', 'permissive (glob, minimatch, ... in the e2e tooling)'],
  ['CC0-1.0', 'public-domain dedication'],
  ['Zlib', 'permissive (pako, with MIT)'],
  // caniuse-lite's browser data (a build-time dependency of Vite's browserslist); attribution only.
  // @promptbook/utils (a WebdriverIO dependency of the e2e tooling, never shipped): attribution only.
  ['CC-BY-4.0', 'attribution'],
  // axe-core (browser accessibility tests only, never shipped): file-level copyleft, used unmodified.
  ['MPL-2.0', 'weak copyleft, file level; used unmodified'],
]);

// Packages whose manifest names no licence but whose files carry one, read by a person: name@version (exact, so
// an update is looked at again) → the licence found and where.
const CLARIFIED = new Map([
  ['css-value@0.0.1', { licence: 'MIT', where: 'the MIT License text in its Readme.md' }],
]);

/** Parses an SPDX expression into a tree; throws on anything else. */
function parse(expr) {
  const tokens = expr.match(/\(|\)|[^\s()]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const primary = () => {
    const t = next();
    if (t === '(') {
      const e = or();
      if (next() !== ')') throw new Error('unbalanced parentheses');
      return e;
    }
    if (!t || /^(AND|OR|WITH|\))$/i.test(t)) throw new Error(`unexpected ${t ?? 'end'}`);
    if (peek()?.toUpperCase() === 'WITH') {
      next();
      const exception = next();
      if (!exception || exception === '(' || exception === ')') throw new Error('WITH needs an exception');
      return { id: `${t} WITH ${exception}` };
    }
    return { id: t };
  };
  const and = () => {
    let e = primary();
    while (peek()?.toUpperCase() === 'AND') {
      next();
      e = { and: [e, primary()] };
    }
    return e;
  };
  const or = () => {
    let e = and();
    while (peek()?.toUpperCase() === 'OR') {
      next();
      e = { or: [e, and()] };
    }
    return e;
  };
  const tree = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]}`);
  return tree;
}

function allowed(tree) {
  if (tree.id) return ALLOWED.has(tree.id);
  if (tree.and) return tree.and.every(allowed);
  return tree.or.some(allowed);
}

function licenceOf(dir, key, entry) {
  if (typeof entry.license === 'string' && entry.license.trim()) return entry.license.trim();
  const manifest = path.join(dir, key, 'package.json');
  if (!fs.existsSync(manifest)) return null;
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  if (typeof pkg.license === 'string') return pkg.license.trim();
  if (pkg.license?.type) return String(pkg.license.type);
  if (Array.isArray(pkg.licenses) && pkg.licenses.length) {
    return pkg.licenses.map((l) => (typeof l === 'string' ? l : l.type)).join(' OR ');
  }
  return null;
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: check-npm-licenses.mjs DIR...   (directories holding a package-lock.json)');
  process.exit(2);
}
let problems = 0;
for (const dir of dirs) {
  const lockFile = path.join(dir, 'package-lock.json');
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
  if (!lock.packages || lock.lockfileVersion < 2) {
    console.error(`${lockFile}: lockfileVersion ${lock.lockfileVersion}: need 2 or 3 (npm 7+), which record every package`);
    problems++;
    continue;
  }
  const seen = new Map();
  let count = 0;
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.link) continue; // the project itself; workspace links are checked as projects
    count++;
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const id = `${name}@${entry.version ?? '?'}`;
    // Everything comes from the npm registry: a git, tarball-URL or file dependency is a problem of its own.
    if (entry.resolved && !entry.resolved.startsWith('https://registry.npmjs.org/')) {
      console.error(`${lockFile}: ${id} is not from the npm registry (${entry.resolved})`);
      problems++;
    }
    const licence = licenceOf(dir, key, entry) ?? CLARIFIED.get(id)?.licence;
    if (!licence) {
      console.error(`${lockFile}: ${id} declares no licence`);
      problems++;
      continue;
    }
    let ok;
    try {
      ok = allowed(parse(licence));
    } catch (e) {
      console.error(`${lockFile}: ${id}: licence "${licence}" is not an SPDX expression (${e.message})`);
      problems++;
      continue;
    }
    if (!ok) {
      console.error(`${lockFile}: ${id}: licence "${licence}" is not on the allow-list (packaging/check-npm-licenses.mjs)`);
      problems++;
    }
    seen.set(licence, (seen.get(licence) ?? 0) + 1);
  }
  const summary = [...seen].sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l} ×${n}`).join(', ');
  console.log(`${dir}: ${count} packages: ${summary}`);
}
if (problems) {
  console.error(`npm licences: ${problems} problem(s)`);
  process.exit(1);
}
console.log('npm licences: all allowed');
