// In-browser benchmark: the release app (dist/) and, with --peers, two peers
// (PapaParse + a JavaScript decile aggregation; DuckDB-WASM with the deciles
// in SQL; pages in peers/) read the same CSV files in headless Chromium,
// each given the file through its <input type=file> by page.setInputFiles.
// Not a test: timings vary. Prints tab-separated tables (BENCHMARKS.md).
//
//   node tests/e2e/bench.mjs [--peers | --contenders LIST] [--sizes N,N | --files A,B]
//       [--data-dir DIR] [--timeout S] [--retry-busy PCT] [--no-check] [--json OUT]
//   node tests/e2e/bench.mjs 62500 625000      (old form: sizes as arguments)
//
//   --sizes       orders per generated sample (ltv-lens sample --orders N --seed 1);
//                 default 62500,625000 (about 100k and 1M line items);
//                 6250000 (about 10M line items, 2.7 GB) is opt-in
//   --files       existing CSV files instead of generated samples
//   --data-dir    keep generated samples there and reuse them (default: a
//                 temporary directory, removed at the end)
//   --peers       = --contenders app,papaparse,papaparse-worker,duckdb
//   --contenders  app, papaparse (main thread), papaparse-worker,
//                 papaparse-step (main thread, per-row step callback), duckdb;
//                 default app
//   --timeout     seconds from file chosen to result before a run is given up (600)
//   --retry-busy  run again (3 runs at most) while other processes used more
//                 than PCT % of a core during the run; keep the quietest
//   --no-check    do not compare the deciles with `ltv-lens analyze --json`
//   --json OUT    also write every measurement as JSON
//
// Environment: LTV_CLI (the ltv-lens binary: samples and the decile check),
// LTV_DIST (the built app), LTV_CHROMIUM (see helpers.mjs).
//
// Each run gets a fresh browser (so the memory figures are that run's
// alone) with a fresh context and page. Columns:
// - startup_s: page.goto until the page takes a file (app: helpers.openApp;
//   DuckDB: database instantiated and connected);
// - seconds: page.setInputFiles until the result is in the DOM (status
//   ready and the decile table's D10 row); MB/s with 1 MB = 1e6 bytes;
// - peak RSS of the largest renderer (the tab; dedicated workers are threads
//   of the renderer process) and summed over all Chromium processes this
//   script started, sampled from /proc every 50 ms from file chosen to result;
// - main-thread long tasks in that time (PerformanceObserver 'longtask',
//   registered before the file is set): how many (> 50 ms), the longest;
// - other_cpu_%: CPU used meanwhile by processes this script did not start,
//   in % of one core (a build running beside the benchmark shows here);
// - outcome: ok, or the crash / error shown / timeout; the other runs go on.
// Then the D1..D10 revenue of every contender next to the CLI's (the app
// against `analyze`, the peers, which use the whole file, against
// `analyze --from FIRST --to LAST`), and the peers' own in-page timings.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, DIST, ROOT, cliSample, isLocalUrl, launchBrowser, openApp, runCli, startServer } from './helpers.mjs';

const E2E = path.join(ROOT, 'tests', 'e2e');

// --- the app: everything that knows how the app is driven is here ----------

/**
 * In the page (app and peers share the DOM hooks): 'ready' when the status
 * is ready and the decile table's D10 row is shown, 'error' when the page
 * gave up, else false.
 */
function resultState() {
  const state = document.querySelector('[data-testid=status]')?.getAttribute('data-state');
  if (state === 'error') return 'error';
  if (state === 'ready' && document.querySelector('table[data-testid=decile-table] tr[data-key=D10]')) return 'ready';
  return false;
}

const APP = {
  /** Opens the app in a fresh context; resolves once it can take a file. */
  async open(browser, servers) {
    if (!servers.app) throw new Error(servers.appProblem);
    // The decile table is the DOM hook app and peers share: open on it
    // (the app's first tab is the overview).
    return openApp(browser, servers.app, { at: '?tab=deciles' });
  },
  fileInput: 'input[type=file][data-testid=file-input]',
  /** In the page: 'ready' when results are shown, 'error' when the app gave up, else false. */
  resultState,
  /** In the page: the error shown, for the row. */
  errorText: () => document.querySelector('[data-testid=error]')?.innerText.trim() || '',
  /** In the page: the decile table's D1..D10 { decile, customers, revenue }. */
  deciles: readDecileTable,
  /** The CLI reference for the app's deciles: the default analysis (12-month window). */
  reference: 'cli',
};

// --- the peers (tests/e2e/peers/*.html, same DOM hooks as the app) ---------

function peer(page) {
  return {
    async open(browser, servers) {
      const opened = await openPeerPage(browser, new URL(page, servers.peers.url).href, servers.peers.origin);
      await opened.page.waitForSelector('[data-testid=status]:is([data-state=idle], [data-state=error])', {
        timeout: 120_000,
      });
      const state = await opened.page.getAttribute('[data-testid=status]', 'data-state');
      if (state !== 'idle') {
        throw new Error(`peer page did not start: ${await opened.page.evaluate(() => document.querySelector('[data-testid=error]')?.textContent)}`);
      }
      return opened;
    },
    fileInput: 'input[type=file][data-testid=file-input]',
    resultState,
    errorText: () => document.querySelector('[data-testid=error]')?.textContent.trim() || '',
    deciles: readDecileTable,
    /** Peers analyse the whole file: compare with `analyze --from FIRST --to LAST`. */
    reference: 'cli-whole-file',
  };
}

/**
 * Opens a peer page in a fresh context (like helpers.openApp, without the
 * app's own readiness hooks): requests to other origins are aborted, page
 * errors recorded.
 */
async function openPeerPage(browser, url, origin) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', acceptDownloads: false });
  context.setDefaultTimeout(120_000);
  const rec = { pageErrors: [], consoleErrors: [], offOrigin: [] };
  await context.route(
    (u) => !isLocalUrl(u.href, origin),
    (route) => {
      rec.offOrigin.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  const page = await context.newPage();
  page.on('pageerror', (err) => rec.pageErrors.push(String(err && err.stack ? err.stack : err)));
  page.on('console', (msg) => msg.type() === 'error' && rec.consoleErrors.push(msg.text()));
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  return { context, page, rec };
}

const CONTENDERS = {
  app: { label: 'ltv-lens', ...APP },
  papaparse: { label: 'papaparse-main', ...peer('peers/papaparse.html') },
  'papaparse-worker': { label: 'papaparse-worker', ...peer('peers/papaparse.html?worker=1') },
  'papaparse-step': { label: 'papaparse-main-step', ...peer('peers/papaparse.html?step=1') },
  duckdb: { label: 'duckdb-wasm', ...peer('peers/duckdb.html') },
};
const PEERS = ['app', 'papaparse', 'papaparse-worker', 'duckdb'];

/** Runs in the page: reads table[data-testid=decile-table] tr[data-key=Dn]. */
function readDecileTable() {
  const rows = [];
  for (let d = 1; d <= 10; d++) {
    const tr = document.querySelector(`table[data-testid=decile-table] tr[data-key=D${d}]`);
    const v = (col) => {
      const c = tr?.querySelector(`[data-col=${col}]`);
      return c ? Number(c.getAttribute('data-value')) : NaN;
    };
    rows.push({ decile: d, customers: v('customers'), revenue: v('revenue') });
  }
  return rows;
}

// --- command line ------------------------------------------------------------

function parseArgs(argv) {
  const o = { contenders: ['app'], sizes: null, files: null, dataDir: null, timeoutS: 600, check: true, json: null, retryBusy: null };
  const list = (s) => String(s).split(',').map((x) => x.trim()).filter(Boolean);
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--peers') o.contenders = PEERS;
    else if (a === '--contenders') o.contenders = list(value());
    else if (a === '--sizes') o.sizes = list(value()).map(Number);
    else if (a === '--files') o.files = list(value()).map((f) => path.resolve(f));
    else if (a === '--data-dir') o.dataDir = path.resolve(value());
    else if (a === '--timeout') o.timeoutS = Number(value());
    else if (a === '--no-check') o.check = false;
    else if (a === '--retry-busy') o.retryBusy = Number(value());
    else if (a === '--json') o.json = path.resolve(value());
    else if (a === '-h' || a === '--help') {
      console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).slice(0, 27).map((l) => l.slice(3)).join('\n'));
      process.exit(0);
    } else if (/^\d+$/.test(a)) positional.push(Number(a));
    else throw new Error(`unknown argument ${a} (try --help)`);
  }
  if (positional.length) o.sizes = [...(o.sizes || []), ...positional];
  for (const c of o.contenders) if (!CONTENDERS[c]) throw new Error(`unknown contender ${c}; known: ${Object.keys(CONTENDERS).join(', ')}`);
  if (o.sizes && o.sizes.some((n) => !(n > 0))) throw new Error('--sizes takes positive order counts');
  if (!(o.timeoutS > 0)) throw new Error('--timeout takes seconds > 0');
  if (o.files) for (const f of o.files) if (!fs.existsSync(f)) throw new Error(`no such file ${f}`);
  if (!o.files && !o.sizes) o.sizes = [62_500, 625_000];
  return o;
}

// --- measuring -------------------------------------------------------------

/** Physical lines minus the header line, streamed (files may be larger than memory). */
async function countLineItems(file) {
  let lines = 0;
  let last = 10;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    last = chunk[chunk.length - 1];
  }
  if (last !== 10) lines++;
  return Math.max(0, lines - 1);
}

/** Pids of the processes descended from this node process. */
function descendants() {
  const children = new Map();
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(pid));
    } catch {
      /* exited */
    }
  }
  const out = [];
  const stack = [process.pid];
  while (stack.length) {
    for (const c of children.get(stack.pop()) || []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

/**
 * Resident memory of the Chromium processes this script started: the largest
 * renderer (the tab, with its dedicated workers) and the sum over all of them
 * (browser, GPU, utility, renderers). Other Chromium instances on the machine
 * are not counted.
 */
function chromiumRss(pids = descendants()) {
  let renderer = 0;
  let all = 0;
  for (const pid of pids) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium')) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!m) continue;
      const rss = Number(m[1]) * 1024;
      all += rss;
      if (cmd.includes('--type=renderer')) renderer = Math.max(renderer, rss);
    } catch {
      /* exited */
    }
  }
  return { renderer, all };
}

function startSampler() {
  const peak = { renderer: 0, all: 0 };
  let pids = descendants();
  let ticks = 0;
  const timer = setInterval(() => {
    if (++ticks % 20 === 0) pids = descendants(); // new processes (workers' utility, crash handler)
    const m = chromiumRss(pids);
    peak.renderer = Math.max(peak.renderer, m.renderer);
    peak.all = Math.max(peak.all, m.all);
  }, 50);
  return {
    peak,
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** Busy CPU time of the whole machine, in clock ticks (/proc/stat: all but idle and iowait). */
function machineBusyTicks() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return user + nice + system + irq + softirq + (steal || 0);
}

/** CPU time of this script and the processes it started, in clock ticks. */
function ourTicks() {
  let t = 0;
  for (const pid of [process.pid, ...descendants()]) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      t += Number(f[11]) + Number(f[12]); // utime, stime
    } catch {
      /* exited */
    }
  }
  return t;
}

/**
 * CPU used by other processes on the machine (someone's build) while
 * `fn` ran, in per cent of one core (100 = one core fully busy): a
 * benchmark on 2 cores is only comparable when this stays near 0.
 */
function otherCpu() {
  const busy0 = machineBusyTicks();
  const ours0 = ourTicks();
  const t0 = Date.now();
  return () => {
    const seconds = (Date.now() - t0) / 1000;
    const other = machineBusyTicks() - busy0 - (ourTicks() - ours0);
    return seconds > 0 ? Math.max(0, (other / 100 / seconds) * 100) : 0; // USER_HZ is 100 on Linux
  };
}

/** Registers a 'longtask' observer in the page (before the file is set). */
async function armLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    });
    window.__longTaskObserver.observe({ type: 'longtask' });
  });
}

async function readLongTasks(page) {
  return page.evaluate(() => {
    for (const e of window.__longTaskObserver.takeRecords()) window.__longTasks.push(e.duration);
    window.__longTaskObserver.disconnect();
    const over = window.__longTasks.filter((d) => d > 50);
    return { count: over.length, longest: over.length ? Math.max(...over) : 0 };
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A sleep for Promise.race: it does not keep the process alive once the race is decided. */
const raceSleep = (ms) => new Promise((r) => setTimeout(r, ms).unref());

/** Closes the browser; kills what is left of it (by pid, our own processes only). */
async function closeBrowser(browser) {
  const before = descendants().filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium');
    } catch {
      return false;
    }
  });
  await Promise.race([browser.close().catch(() => {}), raceSleep(15_000)]);
  for (const pid of before) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** One contender on one file, in a fresh browser. Never throws. */
async function runOne(name, file, bytes, servers, opts) {
  const c = CONTENDERS[name];
  const run = { contender: c.label, file: path.basename(file), bytes, outcome: 'ok' };
  let browser;
  let sampler;
  try {
    browser = await launchBrowser();
    run.chromium = browser.version();
    const tOpen = Date.now();
    const { page, context, rec } = await c.open(browser, servers);
    context.setDefaultTimeout(opts.timeoutS * 1000);
    run.startup_s = (Date.now() - tOpen) / 1000;
    const pageInfo = await page.evaluate(() => window.__bench || null);
    if (pageInfo) run.page_startup = pageInfo;
    const died = new Promise((resolve) => {
      page.on('crash', () => resolve('renderer crashed (out of memory?)'));
      browser.on('disconnected', () => resolve('browser exited'));
      page.on('close', () => resolve('page closed'));
    });
    await armLongTasks(page);
    sampler = startSampler();
    const other = otherCpu();
    const t0 = Date.now();
    await page.setInputFiles(c.fileInput, file);
    const outcome = await Promise.race([
      page.waitForFunction(c.resultState, null, { timeout: opts.timeoutS * 1000, polling: 'raf' }).then((h) => h.jsonValue()),
      died,
      raceSleep(opts.timeoutS * 1000 + 5_000).then(() => 'no answer'),
    ]).catch((e) => (/Timeout/i.test(e.message) ? `timeout after ${opts.timeoutS} s` : `failed: ${e.message.split('\n')[0]}`));
    run.seconds = (Date.now() - t0) / 1000;
    run.other_cpu_pct = other();
    const peak = sampler.stop();
    run.peak_renderer_MB = peak.renderer / 1e6;
    run.peak_all_chromium_MB = peak.all / 1e6;
    if (outcome === 'ready') {
      run.MBps = bytes / 1e6 / run.seconds;
      const lt = await readLongTasks(page);
      run.longtasks = lt.count;
      run.longest_task_ms = lt.longest;
      run.deciles = await page.evaluate(c.deciles);
      // The peers' own in-page timings; the app's worker phases.
      run.page = await page.evaluate(
        () => window.__bench || JSON.parse(document.querySelector('[data-testid=status]')?.getAttribute('data-phases') || 'null'),
      );
    } else {
      const err = outcome === 'error' ? await page.evaluate(c.errorText).catch(() => '') : '';
      const lt = outcome === 'error' ? await readLongTasks(page).catch(() => null) : null;
      if (lt) {
        run.longtasks = lt.count;
        run.longest_task_ms = lt.longest;
      }
      run.outcome = outcome === 'error' ? `error shown: ${err || '(no message)'}` : outcome;
      if (rec.pageErrors.length) run.outcome += ` [page error: ${rec.pageErrors[0].split('\n')[0]}]`;
    }
    if (rec.offOrigin?.length) run.outcome += ` [${rec.offOrigin.length} request(s) to other origins blocked: ${rec.offOrigin[0]}]`;
  } catch (e) {
    if (sampler) {
      const peak = sampler.stop();
      run.peak_renderer_MB = peak.renderer / 1e6;
      run.peak_all_chromium_MB = peak.all / 1e6;
    }
    run.outcome = `failed: ${String(e.message || e).split('\n')[0]}`;
  } finally {
    sampler?.stop();
    if (browser) await closeBrowser(browser);
  }
  return run;
}

// --- the CLI reference ---------------------------------------------------------

/** `ltv-lens analyze` deciles: default (12-month window) and over the whole file. */
function cliReferences(file) {
  const out = {};
  const one = (args) => {
    const r = runCli(['analyze', file, ...args, '--json']);
    if (r.status !== 0) return { error: `exit ${r.status}: ${r.stderr.trim().split('\n')[0]}` };
    const j = JSON.parse(r.stdout);
    return {
      window: j.decile_window ? `${j.decile_window.from}..${j.decile_window.to}` : '',
      summary: j.summary,
      deciles: j.deciles.map((d) => ({ decile: d.decile, customers: d.customers, revenue: d.revenue })),
    };
  };
  out.cli = one([]);
  if (out.cli.summary) {
    const { first_order_date: from, last_order_date: to } = out.cli.summary;
    out['cli-whole-file'] = one(['--from', from, '--to', to]);
  }
  return out;
}

function diffDeciles(a, b) {
  if (!a || !b) return null;
  let revenue = 0;
  let customers = 0;
  for (let d = 0; d < 10; d++) {
    revenue = Math.max(revenue, Math.abs(a[d].revenue - b[d].revenue));
    customers = Math.max(customers, Math.abs(a[d].customers - b[d].customers));
  }
  return { revenue, customers };
}

// --- machine -------------------------------------------------------------------

function machine() {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? '?';
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1] || 0);
  const version = (pkg) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(E2E, 'node_modules', pkg, 'package.json'), 'utf8')).version;
    } catch {
      return 'not installed';
    }
  };
  const git = spawnSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout.trim() !== '';
  let app = 'dist/ missing';
  try {
    const wasm = fs.readdirSync(DIST).find((f) => f.endsWith('.wasm'));
    const st = fs.statSync(path.join(DIST, wasm));
    app = `${path.relative(ROOT, DIST) || DIST}/${wasm} ${st.size} bytes, built ${st.mtime.toISOString().slice(0, 16)}Z`;
  } catch {
    /* no dist */
  }
  return {
    date: new Date().toISOString().slice(0, 16) + 'Z',
    cpu: model,
    nproc: os.cpus().length,
    ram_GB: +(memKb / 1048576).toFixed(1),
    kernel: os.release(),
    node: process.version,
    'playwright-core': version('playwright-core'),
    papaparse: version('papaparse'),
    '@duckdb/duckdb-wasm': version('@duckdb/duckdb-wasm'),
    git: git + (dirty ? ' (working tree modified)' : ''),
    app,
  };
}

/**
 * The peers' web root: a directory with an index.html (static_server.py
 * wants one) and symlinks to tests/e2e/peers and tests/e2e/node_modules, so
 * the pages load PapaParse and DuckDB-WASM (module, workers, .wasm) from
 * this machine.
 */
function peerRoot() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ltv-bench-peers-'));
  fs.symlinkSync(path.join(E2E, 'peers'), path.join(root, 'peers'));
  fs.symlinkSync(path.join(E2E, 'node_modules'), path.join(root, 'node_modules'));
  fs.writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>bench peers</title>' +
      '<p><a href="peers/papaparse.html">PapaParse</a> · <a href="peers/papaparse.html?worker=1">PapaParse (worker)</a> · ' +
      '<a href="peers/duckdb.html">DuckDB-WASM</a></p>\n',
  );
  peerRoots.push(root);
  return root;
}
const peerRoots = [];
const copies = [];

/** Removes the temporary directories (peer roots: the links, never their targets). */
function cleanup() {
  for (const dir of copies.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  for (const root of peerRoots.splice(0)) {
    for (const f of ['peers', 'node_modules', 'index.html']) fs.rmSync(path.join(root, f), { force: true });
    fs.rmdirSync(root);
  }
}
const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// --- main ------------------------------------------------------------------------

const fmt = (x, digits) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '-');

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  // Ctrl-C / SIGTERM: stop our servers and browsers (by pid), remove temp dirs.
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      for (const pid of descendants()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      cleanup();
      process.exit(130);
    });
  }
  const tmp = opts.dataDir ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'ltv-bench-'));
  const dataDir = opts.dataDir || tmp;
  if (tmp) copies.push(tmp);
  fs.mkdirSync(dataDir, { recursive: true });
  const servers = {};
  const runs = [];
  const refs = {};
  try {
    let files = opts.files;
    if (!files) {
      files = opts.sizes.map((orders) => {
        const file = path.join(dataDir, `sample-${orders}-seed1.csv`);
        if (!fs.existsSync(file)) cliSample(file, { orders, seed: 1 });
        return file;
      });
    }
    const m = machine();
    if (opts.contenders.includes('app')) {
      // Serve a copy, so that a rebuild of dist/ during the run cannot mix two builds.
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ltv-bench-dist-'));
      copies.push(copy);
      try {
        fs.cpSync(DIST, copy, { recursive: true });
        servers.app = await startServer(copy);
      } catch (e) {
        servers.appProblem = `no app to serve from ${DIST}: ${String(e.message).split('\n')[0]}`;
      }
    }
    if (opts.contenders.some((c) => c !== 'app')) servers.peers = await startServer(peerRoot());
    const probe = await launchBrowser();
    m.chromium = probe.version();
    await closeBrowser(probe);
    for (const [k, v] of Object.entries(m)) console.log(`# ${k}: ${v}`);
    console.log(`# timeout: ${opts.timeoutS} s; contenders: ${opts.contenders.join(', ')}; load average at start: ${loadavg()}`);
    const header = ['file', 'line_items', 'MB', 'contender', 'startup_s', 'seconds', 'MB/s', 'peak_renderer_MB', 'peak_all_chromium_MB', 'longtasks>50ms', 'longest_task_ms', 'other_cpu_%', 'outcome'];
    const table = [header.join('\t')];
    console.log(table[0]);
    for (const file of files) {
      const bytes = fs.statSync(file).size;
      const lineItems = await countLineItems(file);
      if (opts.check && fs.existsSync(CLI)) refs[file] = cliReferences(file);
      for (const name of opts.contenders) {
        let run = await runOne(name, file, bytes, servers, opts);
        // With --retry-busy: run again (up to 3 times in all, 60 s apart) while
        // other processes took more than PCT % of a core; keep the quietest run.
        for (let attempt = 2; opts.retryBusy !== null && run.other_cpu_pct > opts.retryBusy && attempt <= 3; attempt++) {
          console.error(`# ${run.contender} on ${path.basename(file)}: other processes used ${run.other_cpu_pct.toFixed(0)} % of a core; again in 60 s (attempt ${attempt})`);
          await sleep(60_000);
          const again = await runOne(name, file, bytes, servers, opts);
          again.attempt = attempt;
          if (!(again.other_cpu_pct >= run.other_cpu_pct)) run = again;
        }
        run.line_items = lineItems;
        const ref = refs[file]?.[CONTENDERS[name].reference];
        run.reference = CONTENDERS[name].reference;
        run.diff = ref?.deciles ? diffDeciles(run.deciles, ref.deciles) : null;
        runs.push(run);
        const line = [
          path.basename(file),
          lineItems,
          fmt(bytes / 1e6, 1),
          run.contender,
          fmt(run.startup_s, 2),
          run.outcome === 'ok' ? fmt(run.seconds, 2) : '-',
          fmt(run.MBps, 1),
          fmt(run.peak_renderer_MB, 0),
          fmt(run.peak_all_chromium_MB, 0),
          run.longtasks ?? '-',
          fmt(run.longest_task_ms, 0),
          fmt(run.other_cpu_pct, 0),
          (run.outcome === 'ok' || run.outcome.startsWith('timeout') || run.seconds === undefined ? run.outcome : `${run.outcome} (after ${fmt(run.seconds, 1)} s)`) + (run.attempt ? ` (attempt ${run.attempt})` : ''),
        ].join('\t');
        table.push(line);
        console.log(line);
      }
    }

    console.log(`# load average at end: ${loadavg()}`);

    // Decile revenue per contender, next to the CLI's.
    console.log('\n# deciles: revenue per decile (D1 top); diff = largest |revenue| and |customers| difference against the reference');
    const dh = ['file', 'source', 'window', 'customers', ...Array.from({ length: 10 }, (_, i) => `D${i + 1}`), 'max_diff_revenue', 'max_diff_customers', 'reference'];
    console.log(dh.join('\t'));
    const decileLine = (file, source, window, deciles, diff, reference) =>
      console.log(
        [
          path.basename(file),
          source,
          window,
          deciles.reduce((s, d) => s + d.customers, 0),
          ...deciles.map((d) => (Number.isInteger(d.revenue) ? d.revenue : d.revenue.toFixed(2))),
          diff ? diff.revenue : '-',
          diff ? diff.customers : '-',
          reference || '-',
        ].join('\t'),
      );
    for (const file of files) {
      for (const [source, ref] of Object.entries(refs[file] || {})) {
        if (ref.deciles) decileLine(file, `ltv-lens ${source === 'cli' ? 'analyze' : 'analyze --from --to'}`, ref.window, ref.deciles, null, '');
        else console.log([path.basename(file), source, ref.error].join('\t'));
      }
      for (const run of runs.filter((r) => r.file === path.basename(file) && r.deciles)) {
        const window = run.reference === 'cli' ? '(app default)' : 'whole file';
        decileLine(file, run.contender, window, run.deciles, run.diff, run.diff ? run.reference : 'no reference');
      }
    }
    // What the peer pages measured themselves (milliseconds, in the page).
    const details = runs.filter((r) => r.page || r.page_startup);
    if (details.length) {
      console.log('\n# in-page figures (ms): DuckDB startup = selectBundle..connect; parse = PapaParse start..complete;');
      console.log('# ltv-lens: its engine worker\'s phases (s), parts = 2 when the second engine worker read the second half');
      console.log(['file', 'contender', 'in_page'].join('\t'));
      for (const r of details) {
        const p = { ...(r.page_startup || {}), ...(r.page || {}) };
        const keep = ['bundle', 'startup_ms', 'register_ms', 'query_ms', 'parse_ms', 'deciles_ms', 'rows', 'orders', 'excludedOrders', 'ordersWithoutCustomer', 'customers', 'parseErrors'];
        const phases = ['read', 'parse', 'wait', 'join', 'finish', 'analyze', 'parts', 'helper', 'memory_mb', 'helper_memory_mb'];
        const digits = r.contender === 'ltv-lens' ? 3 : 0;
        const text = (r.contender === 'ltv-lens' ? phases : keep)
          .filter((k) => p[k] !== undefined)
          .map((k) => `${k}=${typeof p[k] === 'number' && !Number.isInteger(p[k]) ? p[k].toFixed(digits) : p[k]}`)
          .join(' ');
        console.log([r.file, r.contender, text].join('\t'));
      }
    }
    if (opts.json) fs.writeFileSync(opts.json, JSON.stringify({ machine: m, runs, references: refs }, null, 2));
  } finally {
    await servers.app?.stop();
    await servers.peers?.stop();
    cleanup();
  }
}

await main();
