#!/usr/bin/env node
// The npm half of the supply-chain check (scripts/supply-chain.sh runs it):
// the end-to-end tests' packages (tests/e2e) are pinned, hashed and under
// permissive licences, and none of them ships in the built app.
//
// `npm audit` needs the registry's advisory service, which this machine's
// registry mirror refuses (405); these checks need no network.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const E2E = path.join(ROOT, 'tests', 'e2e');
const DIST = process.argv[2] ? path.resolve(process.argv[2]) : path.join(ROOT, 'dist');
const ALLOWED = new Set(['MIT', 'Apache-2.0', 'ISC', '0BSD', 'BSD-2-Clause', 'BSD-3-Clause']);
// Test tools under a file-level copyleft, allowed by name: they run in the
// tests only and never ship (dist/ is checked below).
const TEST_ONLY = new Map([['axe-core', 'MPL-2.0']]);
/** What the built app is made of: nothing else may be in dist/. */
const DIST_FILES = ['_headers', 'boot.js', 'index.html', 'ltv-lens-app.js', 'ltv-lens-app_bg.wasm', 'reader.js', 'style.css', 'sw.js', 'worker.js'];

const problems = [];
const pkg = JSON.parse(fs.readFileSync(path.join(E2E, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(E2E, 'package-lock.json'), 'utf8'));

// Direct dependencies at exact versions, the lock agreeing.
for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
  if (!/^\d+\.\d+\.\d+$/.test(range)) problems.push(`${name}@${range}: not pinned to an exact version`);
  const locked = lock.packages?.[`node_modules/${name}`]?.version;
  if (locked !== range) problems.push(`${name}: package.json says ${range}, the lock ${locked}`);
}

// Every package of the lock: a sha512 hash (npm ci refuses a tarball that
// differs) and, installed, a permissive licence.
const licences = {};
let count = 0;
for (const [where, entry] of Object.entries(lock.packages || {})) {
  if (!where) continue;
  count += 1;
  if (!/^sha512-/.test(entry.integrity || '')) problems.push(`${where}: no sha512 integrity in the lock`);
  const manifest = path.join(E2E, where, 'package.json');
  if (!fs.existsSync(manifest)) {
    problems.push(`${where}: not installed (run npm ci in tests/e2e)`);
    continue;
  }
  const m = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const licence = typeof m.license === 'string' ? m.license : (m.licenses || []).map((l) => l.type || l).join(' OR ');
  const name = where.replace(/^.*node_modules\//, '');
  const ok =
    licence.replace(/[()]/g, '').split(/\s+OR\s+/).some((l) => ALLOWED.has(l.trim())) || TEST_ONLY.get(name) === licence;
  if (!ok) problems.push(`${where}: licence ${JSON.stringify(licence)} is not one of ${[...ALLOWED].join(', ')}`);
  licences[licence] = (licences[licence] || 0) + 1;
}

// The built app holds only its own files: no package of the tests.
if (fs.existsSync(DIST)) {
  const extra = fs.readdirSync(DIST).filter((f) => !f.startsWith('.') && !DIST_FILES.includes(f));
  if (extra.length) problems.push(`dist/ holds files that are not the app's: ${extra.join(', ')}`);
} else {
  problems.push(`${DIST} not found (build the app first)`);
}

const summary = Object.entries(licences).map(([l, n]) => `${n} ${l}`).join(', ');
if (problems.length) {
  console.error(`supply-chain: npm: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`supply-chain: npm: ${count} packages of tests/e2e, all pinned by sha512, licences ${summary}; dist/ holds only the app's ${DIST_FILES.length} files`);
