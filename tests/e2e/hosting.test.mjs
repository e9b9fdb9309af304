// End-to-end tests of where the app runs (issue #13): from a sub-path of a
// plain static server, offline after the first visit (the service worker's
// copy), a new release replacing that copy, and the one-file build opened
// from disk.
//
//   node --test tests/e2e/hosting.test.mjs   (scripts/test.sh runs it)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ARTIFACTS,
  CLI,
  DIST,
  FIXTURES,
  ROOT,
  assertMatchesCli,
  clickSample,
  cliAnalyze,
  cliSample,
  describePage,
  dropFile,
  launchBrowser,
  runOnApp,
  screenshot,
  startServer,
  uploadFile,
  waitForSettled,
} from './helpers.mjs';

const TEST_TIMEOUT_MS = 240_000;
const SUB_PATH = 'tools/ltv-lens/';
/** The files the offline copy keeps (public/sw.js's FILES), sw.js itself and the page's addresses. */
const APP_FILES = ['', 'index.html', 'boot.js', 'worker.js', 'reader.js', 'style.css', 'ltv-lens-app.js', 'ltv-lens-app_bg.wasm', 'sw.js'];

let browser;
let tmp;
const sample = {};
const fixture = path.join(FIXTURES, 'shopify_small.csv');
let fixtureJson;

/** A copy of dist/ under `<root>/tools/ltv-lens/`, as a host with other pages would serve it. */
function siteWithSubPath(name) {
  const root = path.join(tmp, name);
  fs.cpSync(DIST, path.join(root, SUB_PATH), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>another site</title>');
  return root;
}

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html is missing: run \`trunk build --release\` first`);
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`cargo build --release -p ltv-lens-cli\` first`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ltv-hosting-'));
  // The sample button's data: `ltv-lens sample` with its defaults.
  sample.file = path.join(tmp, 'sample-shop.csv');
  cliSample(sample.file, { orders: 20000, seed: 42 });
  sample.json = cliAnalyze(sample.file).json;
  assert.ok(sample.json, 'the CLI reads its own sample');
  assert.ok(fs.existsSync(fixture), fixture);
  fixtureJson = cliAnalyze(fixture).json;
  assert.ok(fixtureJson, `the CLI reads ${fixture}`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every request the context made, as paths below the app's address. */
function appRequests(rec, origin) {
  return rec.requests
    .filter((r) => !r.url.startsWith('data:') && !r.url.startsWith('blob:'))
    .map((r) => {
      const u = new URL(r.url);
      assert.equal(u.origin, origin, `a request to another origin: ${r.url}`);
      return { ...r, file: u.pathname.startsWith(`/${SUB_PATH}`) ? u.pathname.slice(SUB_PATH.length + 1) : u.pathname };
    });
}

describe('hosting', () => {
  test('from a sub-path of a plain static server: the sample and a file, as the CLI reads them', { timeout: TEST_TIMEOUT_MS }, async () => {
    // A plain server: .wasm as application/octet-stream, no extra headers.
    const server = await startServer(siteWithSubPath('subpath'), { plain: true });
    try {
      await runOnApp(browser, server, 'subpath', async ({ page, rec }) => {
        assert.equal(await clickSample(page), 'ready', `the sample under /${SUB_PATH}: ${await describePage(page)}`);
        await assertMatchesCli(page, sample.json, 'the sample under a sub-path');
        assert.equal(await uploadFile(page, fixture), 'ready', await describePage(page));
        await assertMatchesCli(page, fixtureJson, 'shopify_small.csv under a sub-path');
        // Every file came from below the sub-path, none from the site's root.
        const files = appRequests(rec, server.origin);
        const outside = files.filter((r) => !new URL(r.url).pathname.startsWith(`/${SUB_PATH}`));
        assert.deepEqual(outside.map((r) => r.url), [], 'requests outside the sub-path');
        assert.deepEqual(
          [...new Set(files.map((r) => r.file))].filter((f) => !APP_FILES.includes(f)),
          [],
          'requests for files that are not the app',
        );
        const wasm = rec.requests.find((r) => r.url.endsWith('.wasm'));
        assert.ok(wasm, 'the wasm was fetched');
        // The settings live in the address, which stays below the sub-path.
        assert.ok(new URL(page.url()).pathname.startsWith(`/${SUB_PATH}`), page.url());
      }, { at: SUB_PATH });
    } finally {
      await server.stop();
    }
  });

  test('offline after the first visit: reload with the network off, analyse the sample and a dropped file', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = await startServer(siteWithSubPath('offline'));
    try {
      await runOnApp(browser, server, 'offline', async ({ page, context, rec }) => {
        // The offline copy holds exactly the app's files, fetched once.
        const cached = await page.evaluate(async () => {
          const names = await caches.keys();
          const cache = await caches.open(names[0]);
          return { names, urls: (await cache.keys()).map((r) => new URL(r.url).pathname) };
        });
        assert.equal(cached.names.length, 1, `one cache: ${cached.names}`);
        assert.match(cached.names[0], /^ltv-lens-[0-9a-f]{16}$/, 'the cache is named after the release');
        assert.deepEqual(
          cached.urls.map((u) => u.slice(SUB_PATH.length + 1)).sort(),
          APP_FILES.filter((f) => f !== 'sw.js').sort(),
          'the cached files',
        );
        const before = rec.requests.length;
        const failed = [];
        page.on('requestfailed', (r) => failed.push(r.url()));
        await context.setOffline(true);
        await page.reload({ waitUntil: 'load' });
        await page.waitForSelector('html[data-engine]', { state: 'attached', timeout: 60_000 });
        await screenshot(page, 'hosting-offline-start.png');
        assert.equal(await clickSample(page), 'ready', `the sample, offline: ${await describePage(page)}`);
        await assertMatchesCli(page, sample.json, 'the sample, offline');
        assert.equal(await dropFile(page, fixture), 'ready', `a dropped file, offline: ${await describePage(page)}`);
        await assertMatchesCli(page, fixtureJson, 'a dropped file, offline');
        await screenshot(page, 'hosting-offline-file.png');
        // Offline, every request was answered by the copy.
        assert.deepEqual(failed, [], 'requests that failed offline');
        assert.ok(rec.requests.length > before, 'the reload went through the offline copy');
      }, { at: SUB_PATH });
    } finally {
      await server.stop();
    }
  });

  test('a new release replaces the offline copy, and the open page says an update is ready', { timeout: TEST_TIMEOUT_MS }, async () => {
    const root = siteWithSubPath('update');
    const server = await startServer(root);
    try {
      await runOnApp(browser, server, 'update', async ({ page }) => {
        const first = await page.evaluate(() => caches.keys());
        assert.equal(first.length, 1);
        assert.equal(await page.locator('[data-testid=update-ready]').count(), 0, 'no update on the first visit');
        // Publish a "new release": another VERSION in sw.js.
        const sw = path.join(root, SUB_PATH, 'sw.js');
        const text = fs.readFileSync(sw, 'utf8');
        const next = 'feedc0ffee000001';
        fs.writeFileSync(sw, text.replace(/^const VERSION = '[^']*';/m, `const VERSION = '${next}';`));
        await page.reload({ waitUntil: 'load' });
        await page.waitForSelector('[data-testid=update-ready]', { timeout: 60_000 });
        assert.match(await page.locator('[data-testid=update-ready]').innerText(), /new version/i);
        await screenshot(page, 'hosting-update-ready.png');
        // The new worker deletes the old copy as it takes over.
        for (let i = 0; i < 100 && (await page.evaluate(() => caches.keys())).length > 1; i++) await page.waitForTimeout(100);
        assert.deepEqual(await page.evaluate(() => caches.keys()), [`ltv-lens-${next}`], 'the old copy was deleted');
        // The page it was said on still works.
        assert.equal(await clickSample(page), 'ready', await describePage(page));
        // And its button reloads into the new release.
        await page.click('[data-testid=update-ready] button');
        await page.waitForSelector('html[data-engine]', { state: 'attached', timeout: 60_000 });
        assert.equal(await page.locator('[data-testid=update-ready]').count(), 0, 'the reloaded page has no notice');
      }, { at: SUB_PATH });
    } finally {
      await server.stop();
    }
  });
});

describe('the headers file for static hosts', () => {
  test('dist/_headers sets the page\'s own CSP, nosniff, no referrer and no device permissions', () => {
    const headers = fs.readFileSync(path.join(DIST, '_headers'), 'utf8');
    const index = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
    const meta = index.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1];
    const header = headers.match(/^\s+Content-Security-Policy: (.*)$/m)?.[1];
    assert.ok(meta && header, 'both policies are there');
    // The header is the page's policy plus what only a header can say.
    assert.equal(header, `${meta}; frame-ancestors 'none'`);
    assert.match(headers, /^\s+X-Content-Type-Options: nosniff$/m);
    assert.match(headers, /^\s+Referrer-Policy: no-referrer$/m);
    assert.match(headers, /^\s+Permissions-Policy: camera=\(\), microphone=\(\), geolocation=\(\)/m);
    assert.match(headers, /^\/\*\.wasm\n\s+Content-Type: application\/wasm$/m);
  });
});

describe('the one-file build', () => {
  test('opened from disk (file://): the sample and a dropped file as the CLI reads them; no request of any kind', { timeout: TEST_TIMEOUT_MS }, async () => {
    const out = path.join(tmp, 'ltv-lens.html');
    const built = spawnSync('node', [path.join(ROOT, 'scripts', 'single-file.mjs'), '--dist', DIST, '--out', out], { encoding: 'utf8' });
    assert.equal(built.status, 0, `scripts/single-file.mjs failed: ${built.stderr}`);
    const html = fs.readFileSync(out, 'utf8');
    // One file: no reference to another file, no address of any site.
    assert.doesNotMatch(html, /\b(src|href)="(?!data:)[^"]/, 'a src or href to another file');
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1];
    assert.ok(csp, 'the one file has a CSP');
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['connect-src'], ["'none'"], 'no connection at all');
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.ok(directives['script-src'].every((v) => /^'sha256-/.test(v) || v === "'wasm-unsafe-eval'"), `script-src ${directives['script-src']}`);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const requests = [];
    const errors = [];
    context.on('request', (r) => requests.push(r.url()));
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
      await page.waitForSelector('html[data-engine]', { state: 'attached', timeout: 90_000 });
      assert.equal(await page.getAttribute('html', 'data-engine'), 'worker', 'the engine runs in a worker started from a blob: URL');
      assert.equal(await clickSample(page), 'ready', await describePage(page));
      await assertMatchesCli(page, sample.json, 'the sample in the one-file build');
      assert.equal(await dropFile(page, fixture), 'ready', await describePage(page));
      await assertMatchesCli(page, fixtureJson, 'a dropped file in the one-file build');
      await screenshot(page, 'hosting-one-file.png');
      // The CSP is enforced: a fetch anywhere is refused.
      const refused = await page.evaluate(() => fetch('https://csp-probe.invalid/').then(() => false, () => true));
      assert.ok(refused, 'a fetch from the one file is refused');
      assert.deepEqual(errors.filter((e) => !/csp-probe|Content Security Policy/.test(e)), [], 'errors in the page');
      const network = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:'));
      assert.deepEqual(network, [], 'network requests from the one file');
    } finally {
      await context.close();
    }
  });
});
