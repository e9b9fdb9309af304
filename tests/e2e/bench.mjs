// In-browser benchmark: the release app in headless Chromium reads sample
// files of several sizes through the file input; prints time from file
// chosen to results shown, MB/s, and the peak resident memory of Chromium's
// processes (sampled every 50 ms from /proc). Not a test: timings vary.
//
//   node tests/e2e/bench.mjs [ORDERS ...]      (default: 62500 625000)
//
// The sample has about 1.6 line items per order, so 625000 orders is about
// one million line-item rows.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliSample, launchBrowser, openApp, startServer } from './helpers.mjs';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const ORDERS = sizes.length ? sizes : [62_500, 625_000];

/**
 * Resident memory of Chromium's processes: the largest renderer (the tab)
 * and the sum over all of them (browser, GPU, utility, renderers).
 */
function chromiumRss() {
  let renderer = 0;
  let all = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium')) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!m) continue;
      const rss = Number(m[1]) * 1024;
      all += rss;
      if (cmd.includes('--type=renderer')) renderer = Math.max(renderer, rss);
    } catch { /* exited */ }
  }
  return { renderer, all };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ltv-bench-'));
const server = await startServer();
const browser = await launchBrowser();
console.log(`chromium ${browser.version()}, ${os.cpus().length} cores, node ${process.version}`);
console.log('orders\tline_items\tMB\tseconds\tMB/s\tpeak_renderer_MB\tpeak_all_chromium_MB');
try {
  for (const orders of ORDERS) {
    const file = path.join(tmp, `sample-${orders}.csv`);
    cliSample(file, { orders, seed: 1 });
    const bytes = fs.statSync(file).size;
    const lineItems = fs.readFileSync(file, 'utf8').split('\n').length - 2;
    const { page, context } = await openApp(browser, server);
    let peakRenderer = 0;
    let peakAll = 0;
    const timer = setInterval(() => {
      const m = chromiumRss();
      peakRenderer = Math.max(peakRenderer, m.renderer);
      peakAll = Math.max(peakAll, m.all);
    }, 50);
    const t0 = Date.now();
    await page.setInputFiles('input[type=file][data-testid=file-input]', file);
    await page.waitForSelector('[data-testid=status][data-state=ready] , [data-testid=status][data-state=error]', { timeout: 600_000 });
    await page.waitForSelector('table[data-testid=decile-table] tr[data-key=D10]', { timeout: 600_000 });
    const seconds = (Date.now() - t0) / 1000;
    clearInterval(timer);
    const state = await page.getAttribute('[data-testid=status]', 'data-state');
    if (state !== 'ready') throw new Error(`status ${state} for ${orders} orders`);
    const mb = bytes / 1e6;
    console.log(
      [orders, lineItems, mb.toFixed(1), seconds.toFixed(2), (mb / seconds).toFixed(1), (peakRenderer / 1e6).toFixed(0), (peakAll / 1e6).toFixed(0)].join('\t'),
    );
    await context.close();
    fs.rmSync(file);
  }
} finally {
  await browser.close();
  server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
