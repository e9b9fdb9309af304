// Helpers for the end-to-end test (e2e.test.mjs): the static server, the
// CLI, the browser, and reading the app through its DOM contract.

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = process.env.LTV_DIST || path.join(ROOT, 'dist');
export const CLI = process.env.LTV_CLI || path.join(ROOT, 'target', 'release', 'ltv-lens');
export const CHROMIUM = process.env.LTV_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'tests', 'e2e', 'artifacts');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');

/** How long the app may take to reach `ready`/`error` after a file is given. */
export const READY_TIMEOUT_MS = Number(process.env.LTV_E2E_READY_TIMEOUT_MS || 60_000);
/** How long the page may take to download, compile and mount the wasm app. */
export const MOUNT_TIMEOUT_MS = Number(process.env.LTV_E2E_MOUNT_TIMEOUT_MS || 90_000);

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// --- static server ---------------------------------------------------------

/**
 * Starts scripts/static_server.py on a free port; resolves to
 * `{ url, origin, stop(), log() }` once it printed its URL.
 */
export async function startServer(dir = DIST, { timeoutMs = 30_000, plain = false } = {}) {
  const args = [path.join(ROOT, 'scripts', 'static_server.py'), '--dir', dir, '--port', '0', ...(plain ? ['--plain'] : [])];
  const child = spawn('python3', args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr.push(...chunk.split('\n').filter(Boolean));
    if (stderr.length > 400) stderr.splice(0, stderr.length - 400);
  });
  const lines = readline.createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`static_server.py printed no URL within ${timeoutMs} ms\n${stderr.join('\n')}`));
    }, timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`static_server.py exited early (code ${code}, signal ${signal})\n${stderr.join('\n')}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  if (!/^http:\/\/127\.0\.0\.1:\d+\/$/.test(url)) {
    child.kill('SIGKILL');
    throw new Error(`static_server.py's first line is not http://127.0.0.1:PORT/: ${JSON.stringify(url)}`);
  }
  // Keep draining stdout so the server never blocks on a full pipe.
  lines.on('line', () => {});
  return {
    url,
    origin: new URL(url).origin,
    log: () => stderr.join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Closes what a test file's `before` opened (any of them may be missing). */
export async function closeAll({ browser, server, tmp } = {}) {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

// --- the CLI ---------------------------------------------------------------

export function runCli(args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw new Error(`cannot run ${CLI}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `ltv-lens analyze FILE --json`, parsed; null (with the reason) when it exits non-zero. */
export function cliAnalyze(file, extra = []) {
  const r = runCli(['analyze', file, '--json', ...extra]);
  if (r.status !== 0) return { json: null, reason: `exit ${r.status}: ${r.stderr.trim()}` };
  try {
    return { json: JSON.parse(r.stdout), reason: null };
  } catch (e) {
    throw new Error(`ltv-lens analyze ${file} --json printed invalid JSON: ${e.message}\n${r.stdout.slice(0, 500)}`);
  }
}

export function cliSample(out, { orders, seed }) {
  const r = runCli(['sample', '--orders', String(orders), '--seed', String(seed), '--out', out]);
  if (r.status !== 0) throw new Error(`ltv-lens sample failed (exit ${r.status}): ${r.stderr.trim()}`);
  if (!fs.existsSync(out) || fs.statSync(out).size === 0) throw new Error(`ltv-lens sample wrote nothing to ${out}`);
}

// --- the browser -----------------------------------------------------------

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 120_000 });
}

/**
 * Opens the app in a fresh context. Everything the page does is recorded
 * from the first request on: `rec.requests` ({ url, method, resourceType,
 * afterLoad }), `rec.websockets`, `rec.consoleErrors`, `rec.pageErrors`,
 * `rec.loaded` (the page's `load` event fired). Requests to any other
 * origin are recorded, then aborted, so nothing ever leaves the machine.
 */
export async function openApp(
  browser,
  server,
  { acceptDownloads = false, at = '', viewport = { width: 1280, height: 900 }, bypassCSP = false } = {},
) {
  const context = await browser.newContext({ viewport, locale: 'en-US', acceptDownloads, bypassCSP });
  context.setDefaultTimeout(90_000);
  // `ready`: the page has loaded and the engine's Web Worker has started
  // (it fetches worker.js and the wasm glue while it starts).
  const rec = { requests: [], websockets: [], consoleErrors: [], pageErrors: [], loaded: false, ready: false };
  context.on('request', (req) => {
    rec.requests.push({
      url: req.url(),
      method: req.method(),
      resourceType: req.resourceType(),
      afterLoad: rec.loaded,
      afterReady: rec.ready,
    });
  });
  await context.route(
    (url) => !isLocalUrl(url.href, server.origin),
    (route) => route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.on('load', () => {
    rec.loaded = true;
  });
  page.on('websocket', (ws) => rec.websockets.push(ws.url()));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url;
    rec.consoleErrors.push(where && !msg.text().includes(where) ? `${msg.text()} [${where}]` : msg.text());
  });
  page.on('pageerror', (err) => rec.pageErrors.push(String(err && err.stack ? err.stack : err)));
  await page.goto(server.url + at, { waitUntil: 'load', timeout: MOUNT_TIMEOUT_MS });
  await page.waitForSelector('[data-testid=status]', { state: 'attached', timeout: MOUNT_TIMEOUT_MS });
  await page.waitForSelector('html[data-engine]', { state: 'attached', timeout: MOUNT_TIMEOUT_MS });
  // The offline copy (sw.js) is made once, while the page loads; after it,
  // nothing is requested.
  await page.waitForSelector('html[data-offline=ready]', { state: 'attached', timeout: MOUNT_TIMEOUT_MS });
  rec.ready = true;
  return { context, page, rec };
}

/** Same origin as the app, or a local-only scheme (data:, blob: of the app's origin). */
export function isLocalUrl(href, origin) {
  if (href.startsWith('data:')) return true;
  if (href.startsWith('blob:')) return originOf(href.slice(5)) === origin;
  return originOf(href) === origin;
}

export function originOf(href) {
  try {
    return new URL(href).origin;
  } catch {
    return href;
  }
}

// --- the app's DOM contract ------------------------------------------------

export async function statusState(page) {
  return page.evaluate(() => document.querySelector('[data-testid=status]')?.getAttribute('data-state') ?? null);
}

/** The text of `[data-testid=error]` ('' when absent). */
export async function errorText(page) {
  return page.evaluate(() => document.querySelector('[data-testid=error]')?.innerText.trim() ?? '');
}

/** A one-paragraph picture of the page for failure messages. */
export async function describePage(page) {
  try {
    return await page.evaluate(() => {
      const q = (s) => document.querySelector(s);
      const status = q('[data-testid=status]');
      const text = (el) => (el ? el.innerText.trim().replace(/\s+/g, ' ').slice(0, 400) : '(absent)');
      return [
        `status data-state=${status?.getAttribute('data-state') ?? '(no status element)'} text="${text(status)}"`,
        `error: ${text(q('[data-testid=error]'))}`,
        q('[data-testid=mapping-step]') ? 'a column-mapping step is shown ([data-testid=mapping-step])' : '',
        `html lang=${document.documentElement.lang}`,
      ]
        .filter(Boolean)
        .join('; ');
    });
  } catch (e) {
    return `(page not readable: ${e.message})`;
  }
}

/**
 * Starts logging every change of the status' data-state (a MutationObserver),
 * so that waitForSettled() can tell a new result from the one shown before.
 */
export async function armStatusLog(page) {
  await page.evaluate(() => {
    const read = () => document.querySelector('[data-testid=status]')?.getAttribute('data-state') ?? null;
    window.__ltvStates = [];
    window.__ltvLast = read();
    if (!window.__ltvObserver) {
      window.__ltvObserver = new MutationObserver(() => {
        const now = read();
        if (now !== window.__ltvLast) {
          window.__ltvLast = now;
          window.__ltvStates.push(now);
        }
      });
      window.__ltvObserver.observe(document.documentElement, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-state'],
      });
    }
  });
}

/**
 * Waits until the status changed since armStatusLog() and is now `ready` or
 * `error`; returns that state. Times out with a description of the page.
 */
export async function waitForSettled(page, { timeoutMs = READY_TIMEOUT_MS } = {}) {
  try {
    await page.waitForFunction(
      () => {
        const now = document.querySelector('[data-testid=status]')?.getAttribute('data-state');
        return window.__ltvStates.length > 0 && (now === 'ready' || now === 'error');
      },
      null,
      { timeout: timeoutMs, polling: 100 },
    );
  } catch (e) {
    const seen = await page.evaluate(() => window.__ltvStates).catch(() => []);
    throw new Error(
      `status did not reach ready/error within ${timeoutMs} ms (states seen: ${JSON.stringify(seen)}); ${await describePage(page)}`,
    );
  }
  return statusState(page);
}

/** Gives a file to `input[type=file][data-testid=file-input]`; waits; returns the state. */
export async function uploadFile(page, file) {
  await armStatusLog(page);
  await page.setInputFiles('input[type=file][data-testid=file-input]', file);
  return waitForSettled(page);
}

/**
 * Drops a file on `[data-testid=drop-zone]` as a user would: a `drop` event
 * whose DataTransfer holds the file (its bytes and name); waits; returns
 * the state.
 */
export async function dropFile(page, file, name = path.basename(file)) {
  await armStatusLog(page);
  const b64 = fs.readFileSync(file).toString('base64');
  const dataTransfer = await page.evaluateHandle(
    ({ b64, name }) => {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type: 'text/csv' }));
      return dt;
    },
    { b64, name },
  );
  await page.dispatchEvent('[data-testid=drop-zone]', 'dragover', { dataTransfer });
  await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer });
  return waitForSettled(page);
}

/** The summary and decile tables equal `ltv-lens analyze --json` (`json`). */
export async function assertMatchesCli(page, json, label) {
  await showTab(page, 'summary');
  const summaryRows = await readTable(page, 'summary');
  await showTab(page, 'deciles');
  const decileRows = await readTable(page, 'decile');
  const diffs = compareWithCli(summaryRows, decileRows, json);
  if (diffs.length) {
    assert.fail(
      `${label}: ${diffs.length} difference(s) between the app and \`ltv-lens analyze --json\`; first: ${diffs[0]}` +
        (diffs.length > 1 ? `\n  all:\n    ${diffs.slice(0, 40).join('\n    ')}` : ''),
    );
  }
}

export async function clickSample(page) {
  await armStatusLog(page);
  await page.click('[data-testid=load-sample]');
  return waitForSettled(page);
}

/** The tabs, in their order on the page. */
export const TABS = ['overview', 'deciles', 'cohorts', 'ltv', 'trend', 'repeat', 'segments', 'customers', 'products', 'clv', 'summary'];
/** What the predicted-LTV tab shows once its fit has finished (or cannot run). */
export const CLV_DONE = '[data-testid=clv-fitted], [data-testid=clv-error], [data-testid=clv-status]';

/**
 * Shows a tab and waits until it has settled: the predicted-LTV tab until
 * its fit is done (`clvDone`), any tab a moment for its charts.
 */
export async function openTab(page, tab, { clvDone = CLV_DONE, settleMs = 300 } = {}) {
  await page.click(`[data-testid=tab-${tab}]`);
  if (tab === 'clv') await page.waitForSelector(clvDone, { timeout: 120_000 });
  await page.waitForTimeout(settleMs);
}

/** Clicks `[data-testid=tab-NAME]` (when the app has it) so the section shows. */
export async function showTab(page, name) {
  const tab = page.locator(`[data-testid="tab-${name}"]`);
  await tab.first().click();
}

/**
 * Reads `table[data-testid=NAME-table]`: an array of
 * { key, cells: { col: { value: data-value string or null, text } } }.
 */
export async function readTable(page, name) {
  const sel = `table[data-testid="${name}-table"]`;
  await page.waitForSelector(sel, { state: 'visible', timeout: 30_000 });
  return page.$eval(sel, (table) =>
    [...table.querySelectorAll('tr[data-key]')].map((tr) => ({
      key: tr.getAttribute('data-key'),
      cells: Object.fromEntries(
        [...tr.querySelectorAll('[data-col]')].map((c) => [
          c.getAttribute('data-col'),
          { value: c.getAttribute('data-value'), text: c.innerText.trim() },
        ]),
      ),
    })),
  );
}

export function rowsByKey(rows) {
  return Object.fromEntries(rows.map((r) => [r.key, r]));
}

/** Number(data-value), or NaN when the attribute is missing or empty. */
export function num(cell) {
  if (!cell || cell.value === null || cell.value.trim() === '') return NaN;
  return Number(cell.value);
}

export const SUMMARY_KEYS = ['rows', 'orders', 'customers', 'revenue', 'excluded_rows'];
export const DECILE_COLS = ['customers', 'revenue', 'share', 'cumulative_share', 'avg_spend'];

/**
 * Compares what the app shows with the CLI's JSON: every summary row and
 * every decile cell that carries a data-value and has a numeric field of the
 * same name in the JSON, with ===. Returns a list of differences (strings).
 */
export function compareWithCli(summaryRows, decileRows, json) {
  const diffs = [];
  const check = (where, cell, expected) => {
    if (!cell) return diffs.push(`${where}: cell missing in the app (CLI has ${JSON.stringify(expected)})`);
    if (cell.value === null) return diffs.push(`${where}: no data-value in the app (CLI has ${JSON.stringify(expected)})`);
    if (typeof expected !== 'number') {
      return diffs.push(`${where}: app data-value "${cell.value}" but the CLI's value is ${JSON.stringify(expected)}`);
    }
    const got = num(cell);
    if (!(got === expected)) {
      diffs.push(`${where}: app data-value "${cell.value}" (${got}) !== CLI ${JSON.stringify(expected)}`);
    }
    if (cell.text === '') diffs.push(`${where}: the cell's visible text is empty`);
  };

  const summary = rowsByKey(summaryRows);
  for (const key of SUMMARY_KEYS) {
    if (!summary[key]) diffs.push(`summary-table: no row data-key="${key}"`);
  }
  for (const row of summaryRows) {
    const cell = row.cells.value;
    if (!cell || cell.value === null) continue; // text-only rows (dates, names)
    if (!(row.key in json.summary)) continue;
    check(`summary-table row "${row.key}" value`, cell, json.summary[row.key]);
  }
  for (const key of SUMMARY_KEYS) {
    if (summary[key] && (!summary[key].cells.value || summary[key].cells.value.value === null)) {
      diffs.push(`summary-table row "${key}": no [data-col=value][data-value] cell`);
    }
  }

  const deciles = rowsByKey(decileRows);
  if (decileRows.length !== 10) diffs.push(`decile-table: ${decileRows.length} rows, expected 10 (D1..D10)`);
  for (let d = 1; d <= 10; d++) {
    const row = deciles[`D${d}`];
    const cli = (json.deciles || []).find((x) => x.decile === d);
    if (!cli) {
      diffs.push(`CLI JSON has no deciles[] entry with decile ${d}`);
      continue;
    }
    if (!row) {
      diffs.push(`decile-table: no row data-key="D${d}"`);
      continue;
    }
    for (const col of DECILE_COLS) {
      if (!row.cells[col]) diffs.push(`decile-table D${d}: no [data-col=${col}] cell`);
    }
    for (const [col, cell] of Object.entries(row.cells)) {
      if (cell.value === null || !(col in cli)) continue;
      check(`decile-table D${d} ${col}`, cell, cli[col]);
    }
  }
  return diffs;
}

// --- files -----------------------------------------------------------------

export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** CSV files the owner keeps in tests/fixtures (absolute paths, sorted). */
export function fixtureCsvs() {
  const own = fs.existsSync(FIXTURES)
    ? fs
        .readdirSync(FIXTURES)
        .filter((f) => f.toLowerCase().endsWith('.csv'))
        .sort()
        .map((f) => path.join(FIXTURES, f))
    : [];
  // Exports re-saved as spreadsheets.
  const books = path.join(FIXTURES, 'workbooks');
  if (fs.existsSync(books)) {
    own.push(...fs.readdirSync(books).filter((f) => /\.(xlsx|xls|ods)$/i.test(f)).sort().map((f) => path.join(books, f)));
  }
  // Extra files made by earlier stages (the CDNOW log from the cross-check).
  const extra = (process.env.LTV_E2E_EXTRA_CSV || '').split(':').filter((f) => f && fs.existsSync(f));
  return [...own, ...extra];
}

/** Deterministic bytes: a PNG signature, then pseudo-random data. */
export function pngLikeBytes(size = 4096, seed = 12345) {
  const buf = Buffer.alloc(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(buf, 0);
  let x = seed >>> 0;
  for (let i = 8; i < size; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    buf[i] = x >>> 24;
  }
  return buf;
}

/**
 * A generic CSV (Email,Order Date,Total) with 20 good rows and two damaged
 * ones; returns { text, badLines } where badLines are the 1-based physical
 * line numbers of the damaged rows.
 */
export function damagedCsv() {
  const lines = ['Email,Order Date,Total'];
  for (let i = 0; i < 20; i++) {
    const day = String(1 + i).padStart(2, '0');
    lines.push(`customer${i % 7}@example.com,2024-01-${day},${1000 + i * 37}`);
  }
  lines.push('bad-date@example.com,2024-02-30,1500');
  const badDate = lines.length;
  lines.push('bad-amount@example.com,2024-02-10,abc');
  const badAmount = lines.length;
  return { text: lines.join('\n') + '\n', badLines: [badDate, badAmount] };
}

/**
 * Runs `fn({ page, rec, context })` on a fresh page of the app (`options`
 * go to openApp); on failure saves a screenshot and adds what the page
 * shows to the error. Any uncaught page error (a wasm panic, an exception)
 * fails the test.
 */
export async function runOnApp(browser, server, name, fn, options = {}) {
  const app = await openApp(browser, server, options);
  try {
    await fn(app);
    assert.deepEqual(app.rec.pageErrors, [], 'uncaught errors in the page (panic or exception)');
  } catch (err) {
    const shot = await screenshot(app.page, `fail-${name}.png`).catch(() => null);
    let extra = `\n  page: ${await describePage(app.page)}${shot ? `\n  screenshot: ${shot}` : ''}`;
    if (app.rec.pageErrors.length) extra += `\n  page errors:\n    ${app.rec.pageErrors.join('\n    ')}`;
    if (app.rec.consoleErrors.length) extra += `\n  console errors:\n    ${app.rec.consoleErrors.join('\n    ')}`;
    if (err instanceof Error) {
      // The reporter prints err.stack, which holds the message as it was made.
      const original = err.message;
      err.message = original + extra;
      if (typeof err.stack === 'string' && original && err.stack.includes(original)) {
        err.stack = err.stack.replace(original, err.message);
      }
    }
    throw err;
  } finally {
    await app.context.close().catch(() => {});
  }
}
