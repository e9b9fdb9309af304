// End-to-end test of the customer-list tabs (segments, customers,
// products) of the built app in headless Chromium: every table equals the
// CLI's `ltv-lens analyze --json`, and a downloaded list has exactly the
// bytes of `ltv-lens customers --segment ID` for the same file.
//
//   node --test tests/e2e/lists.test.mjs   (scripts/test.sh runs it)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  closeAll,
  CLI,
  DIST,
  cliAnalyze,
  cliSample,
  launchBrowser,
  openApp,
  readTable,
  rowsByKey,
  runOnApp,
  screenshot,
  showTab,
  startServer,
  uploadFile,
} from './helpers.mjs';

const TEST_TIMEOUT_MS = 300_000;

let server;
let browser;
let tmp;
let sample;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html is missing: run \`trunk build --release\` first`);
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`cargo build --release -p ltv-lens-cli\` first`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ltv-lists-'));
  const file = path.join(tmp, 'sample.csv');
  cliSample(file, { orders: 3000, seed: 11 });
  const { json, reason } = cliAnalyze(file);
  assert.ok(json, `the CLI cannot analyze its sample: ${reason}`);
  sample = { file, json };
  server = await startServer(DIST);
  browser = await launchBrowser();
});

after(() => closeAll({ browser, server, tmp }));

/** `ltv-lens customers FILE --segment ID ...` as bytes. */
function cliCustomers(file, segment, extra = []) {
  const r = spawnSync(CLI, ['customers', file, '--segment', segment, ...extra], { maxBuffer: 256 * 1024 * 1024 });
  assert.equal(r.status, 0, `ltv-lens customers --segment ${segment}: ${r.stderr}`);
  return r.stdout;
}

/** Clicks `export-<list>` and returns the downloaded file's name and bytes. */
async function download(page, list) {
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.click(`[data-testid="export-${list}"]`),
  ]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: fs.readFileSync(file) };
}

/** The data-value of a cell equals the CLI's number. */
function same(cell, want, what) {
  assert.ok(cell, `${what}: no such cell`);
  assert.equal(Number(cell.value), want, `${what}: app ${cell.value} !== CLI ${want}`);
}

function withApp(name, fn) {
  return runOnApp(browser, server, name, fn, { acceptDownloads: true });
}

describe('customer lists (segments, customers, products)', () => {
  test('segments: RFM grid, segments and cuts, CPM and its moves equal the CLI; a list downloads as the CLI writes it', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withApp('segments', async ({ page }) => {
      assert.equal(await uploadFile(page, sample.file), 'ready');
      const j = sample.json;
      await showTab(page, 'segments');

      const grid = rowsByKey(await readTable(page, 'rfm'));
      assert.equal(j.rfm.cells.length, 25);
      for (const c of j.rfm.cells) {
        const cell = grid[`r${c.r}`].cells[`f${c.f}`];
        same(cell, c.customers, `RFM R${c.r} F${c.f} customers`);
      }
      const revenue = await page.$$eval('table[data-testid="rfm-table"] td[data-revenue]', (tds) =>
        tds.map((td) => [td.closest('tr').dataset.key, td.dataset.col, Number(td.dataset.revenue)]));
      for (const [r, f, value] of revenue) {
        const c = j.rfm.cells.find((x) => `r${x.r}` === r && `f${x.f}` === f);
        assert.equal(value, c.revenue, `RFM ${r} ${f} revenue`);
      }
      const segs = rowsByKey(await readTable(page, 'rfm-segments'));
      for (const s of j.rfm.segments) {
        for (const col of ['customers', 'revenue', 'share_of_customers', 'share_of_revenue']) same(segs[s.id].cells[col], s[col], `RFM ${s.id} ${col}`);
      }
      const cuts = rowsByKey(await readTable(page, 'rfm-cuts'));
      for (const dim of ['r', 'f', 'm']) {
        j.rfm.cuts[dim].forEach((v, i) => {
          const cell = cuts[dim].cells[`c${i + 1}`];
          if (v === null) assert.ok(cell.value === null, `cut ${dim}${i + 1} is none`);
          else same(cell, v, `cut ${dim}${i + 1}`);
        });
      }

      const cpm = rowsByKey(await readTable(page, 'cpm'));
      let total = 0;
      for (const s of j.cpm.segments) {
        for (const col of ['active', 'churned', 'active_revenue', 'churned_revenue']) same(cpm[s.id].cells[col], s[col], `CPM ${s.id} ${col}`);
        total += s.active + s.churned;
      }
      assert.equal(total, j.cpm.customers, 'CPM segments add up to the customers');
      const summary = rowsByKey(await readTable(page, 'cpm-moves-summary'));
      const moves = rowsByKey(await readTable(page, 'cpm-moves'));
      assert.ok(j.cpm.moves.length > 0, 'the sample has complete months');
      for (const m of j.cpm.moves) {
        for (const col of ['moved_up', 'churned', 'came_back', 'new']) same(summary[m.month].cells[col], m[col], `${m.month} ${col}`);
        for (const c of m.counts) {
          if (c.from === 'none' && c.to === 'none') {
            assert.ok(!moves['none->none'], 'none -> none is not shown');
            continue;
          }
          same(moves[`${c.from}->${c.to}`].cells[m.month], c.customers, `${m.month} ${c.from} -> ${c.to}`);
        }
      }
      // Every shown count is one of the CLI's (absent pairs are 0).
      for (const [key, row] of Object.entries(moves)) {
        const [from, to] = key.split('->');
        for (const m of j.cpm.moves) {
          const c = m.counts.find((x) => x.from === from && x.to === to);
          same(row.cells[m.month], c ? c.customers : 0, `${m.month} ${key}`);
        }
      }
      await screenshot(page, '09-segments.png');

      // Downloads: the largest active CPM segment and an RFM segment, in
      // UTF-8 and in Shift_JIS, byte for byte as the CLI writes them.
      const biggest = [...j.cpm.segments].sort((a, b) => b.active - a.active)[0].id;
      const utf8 = await download(page, biggest);
      assert.match(utf8.name, new RegExp(`^ltv-lens-${biggest}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
      assert.ok(utf8.bytes.equals(cliCustomers(sample.file, biggest)), `${biggest}: the download differs from ltv-lens customers`);
      const lines = utf8.bytes.toString('utf8').split('\r\n').filter((l) => l);
      const want = j.cpm.segments.find((s) => s.id === biggest).active;
      assert.equal(lines.length - 1, want, `${biggest}: one row per customer of the segment`);
      await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid=export-status]')?.innerText || ''));
      const champions = j.rfm.segments.find((s) => s.id === 'champions');
      if (champions.customers > 0) {
        await page.selectOption('[data-testid=export-encoding]', 'shift_jis');
        const sjis = await download(page, 'champions');
        assert.ok(sjis.bytes.equals(cliCustomers(sample.file, 'champions', ['--encoding', 'shift_jis'])), 'champions (Shift_JIS) differs from the CLI');
      }

      // Japanese.
      await page.click('[data-testid=lang-ja]');
      await page.waitForFunction(() => document.documentElement.lang === 'ja');
      const yuryo = await page.innerText('table[data-testid="cpm-table"] tr[data-key="yuryo"] th');
      assert.equal(yuryo.trim(), '優良');
      await screenshot(page, '09-segments-ja.png');
    });
  });
  test('customers: ranks and churn risk equal the CLI; drop, tab, download gives the churn-risk list in three steps', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withApp('customers', async ({ page }) => {
      // 1. drop the file
      assert.equal(await uploadFile(page, sample.file), 'ready');
      const j = sample.json;
      // 2. the customers tab
      await showTab(page, 'customers');
      const ranks = rowsByKey(await readTable(page, 'ranks'));
      let total = 0;
      for (const id of ['high_ltv', 'potential_ltv', 'general']) {
        for (const col of ['customers', 'revenue_12m', 'share_of_customers', 'share_of_revenue']) same(ranks[id].cells[col], j.ranks[id][col], `${id} ${col}`);
        total += j.ranks[id].customers;
      }
      assert.equal(total, j.rfm.segments.reduce((a, s) => a + s.customers, 0), 'the ranks add up to the customers');
      const summary = rowsByKey(await readTable(page, 'churn-risk-summary'));
      same(summary.customers.cells.value, j.churn_risk.customers, 'customers at risk');
      same(summary.value_at_risk.cells.value, j.churn_risk.value_at_risk, 'value at risk');
      assert.ok(j.churn_risk.customers > 0, 'the sample has customers at risk');
      const risk = await readTable(page, 'churn-risk');
      assert.equal(risk.length, j.churn_risk.top.length);
      j.churn_risk.top.forEach((want, i) => {
        const got = risk[i].cells;
        assert.equal(got.customer.text, want.customer, `row ${i + 1} customer`);
        assert.equal(got.due_date.text, want.due_date, `row ${i + 1} due date`);
        same(got.days_overdue, want.days_overdue, `row ${i + 1} days overdue`);
        same(got.value_at_risk, want.value_at_risk, `row ${i + 1} value at risk`);
      });
      // 3. download: the whole list, as the CLI writes it
      const list = await download(page, 'churn_risk');
      assert.ok(list.bytes.equals(cliCustomers(sample.file, 'churn_risk')), 'churn_risk differs from ltv-lens customers');
      const lines = list.bytes.toString('utf8').split('\r\n').filter((l) => l);
      assert.equal(lines.length - 1, j.churn_risk.customers, 'one row per customer at risk');
      assert.ok(lines.slice(1).every((l) => l.split(',')[10] === 'yes'), 'every row is flagged churn_risk=yes');
      // A shown table as CSV: the ranks, numbers as in the JSON.
      const table = await download(page, 'ranks-table');
      const rows = table.bytes.toString('utf8').replace(/^\uFEFF/, '').split('\r\n').filter((l) => l).map((l) => l.split(','));
      assert.equal(rows.length, 4, 'header and three ranks');
      assert.equal(Number(rows[1][1]), j.ranks.high_ltv.customers);
      assert.equal(Number(rows[3][2]), j.ranks.general.revenue_12m);
      // A setting recomputes: a longer floor flags fewer customers.
      await page.fill('[data-testid=churn-risk-floor]', '120');
      await page.press('[data-testid=churn-risk-floor]', 'Enter');
      await page.dispatchEvent('[data-testid=churn-risk-floor]', 'change');
      const { json: j120 } = cliAnalyze(sample.file, ['--churn-risk-floor', '120']);
      await page.waitForFunction((n) => document.querySelector('table[data-testid="churn-risk-summary-table"] tr[data-key="customers"] [data-col="value"]')?.getAttribute('data-value') === String(n), j120.churn_risk.customers);
      assert.ok(j120.churn_risk.customers < j.churn_risk.customers);
      // Downloads use the settings on the page.
      const all = await download(page, 'all');
      assert.ok(all.bytes.equals(cliCustomers(sample.file, 'all', ['--churn-risk-floor', '120'])), 'all customers (floor 120) differs from the CLI');
      await screenshot(page, '09-customers.png');
      await page.click('[data-testid=lang-ja]');
      await page.waitForFunction(() => document.documentElement.lang === 'ja');
      assert.equal((await page.innerText('table[data-testid="ranks-table"] tr[data-key="high_ltv"] th')).trim(), '高LTV');
      await screenshot(page, '09-customers-ja.png');
    });
  });
  test('customers by predicted LTV: potential-LTV and P(alive) equal `--potential-ltv clv`; the list with CLV columns equals `customers --clv`', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { json: j } = cliAnalyze(sample.file, ['--potential-ltv', 'clv']);
    assert.equal(j.ranks.rule, 'clv', 'the sample fits a purchase model');
    await withApp('customers-clv', async ({ page }) => {
      assert.equal(await uploadFile(page, sample.file), 'ready');
      await showTab(page, 'customers');
      await page.selectOption('[data-testid=potential-ltv]', 'clv');
      await page.waitForSelector('[data-testid=potential-clv-formula]', { timeout: 60_000 });
      const ranks = rowsByKey(await readTable(page, 'ranks'));
      for (const id of ['high_ltv', 'potential_ltv', 'general']) {
        for (const col of ['customers', 'revenue_12m']) same(ranks[id].cells[col], j.ranks[id][col], `${id} ${col} by CLV`);
      }
      const risk = await readTable(page, 'churn-risk');
      j.churn_risk.top.forEach((want, i) => same(risk[i].cells.p_alive, want.p_alive, `row ${i + 1} P(alive)`));
      assert.match(page.url(), /potential-ltv=clv/, 'the rule is in the link');
      await page.check('[data-testid=export-with-clv]');
      const list = await download(page, 'potential_ltv');
      assert.ok(
        list.bytes.equals(cliCustomers(sample.file, 'potential_ltv', ['--clv', '--potential-ltv', 'clv'])),
        'potential_ltv with CLV columns differs from ltv-lens customers --clv',
      );
      await screenshot(page, '09-customers-clv.png');
    });
  });

  test('products: cross-sell pairs and first products equal the CLI in both modes; a file without products says so', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withApp('products', async ({ page }) => {
      assert.equal(await uploadFile(page, sample.file), 'ready');
      await showTab(page, 'products');
      const check = async (j, what) => {
        const c = j.cross_sell;
        assert.ok(c && c.pairs.length > 0, `${what}: the sample has pairs`);
        const pairs = await readTable(page, 'cross-sell');
        assert.equal(pairs.length, c.pairs.length, `${what}: one row per pair`);
        c.pairs.forEach((p, i) => {
          const got = pairs[i].cells;
          assert.equal(got.a.text, p.a, `${what} pair ${i + 1} a`);
          assert.equal(got.b.text, p.b, `${what} pair ${i + 1} b`);
          for (const col of ['count', 'support', 'confidence', 'lift']) same(got[col], p[col], `${what} pair ${i + 1} ${col}`);
        });
        const first = await readTable(page, 'first-product');
        assert.equal(first.length, c.first_product.length);
        c.first_product.forEach((f, i) => {
          assert.equal(first[i].cells.product.text, f.product, `first product ${i + 1}`);
          same(first[i].cells.customers, f.customers, `first product ${i + 1} customers`);
          if (f.f2_rate !== null) same(first[i].cells.f2_rate, f.f2_rate, `first product ${i + 1} F2`);
          if (f.ltv_12m !== null) same(first[i].cells.ltv_12m, f.ltv_12m, `first product ${i + 1} LTV`);
        });
      };
      await check(sample.json, 'by order');
      // No default non-product is in the sample's pairs.
      assert.ok(!sample.json.cross_sell.pairs.some((p) => /送料|ラッピング/.test(p.a + p.b)));
      await screenshot(page, '09-products.png');
      // Sorted by lift in the page: the same rows, lift non-increasing.
      await page.selectOption('[data-testid=cross-sell-sort]', 'lift');
      const maxLift = Math.max(...sample.json.cross_sell.pairs.map((p) => p.lift));
      await page.waitForFunction((m) => Number(document.querySelector('table[data-testid="cross-sell-table"] tr[data-key] [data-col="lift"]')?.getAttribute('data-value')) === m, maxLift);
      const byLift = await readTable(page, 'cross-sell');
      const lifts = byLift.map((r) => Number(r.cells.lift.value));
      assert.ok(lifts.every((l, i) => i === 0 || lifts[i - 1] >= l), 'sorted by lift');
      assert.deepEqual(byLift.map((r) => Number(r.key)).sort((a, b) => a - b), sample.json.cross_sell.pairs.map((_, i) => i + 1));
      assert.equal(lifts[0], maxLift);
      await page.selectOption('[data-testid=cross-sell-sort]', 'count');
      // By customer, within 30 days.
      await page.selectOption('[data-testid=cross-sell-mode]', 'customer');
      await page.fill('[data-testid=cross-sell-within]', '30');
      await page.dispatchEvent('[data-testid=cross-sell-within]', 'change');
      const { json: byCustomer } = cliAnalyze(sample.file, ['--cross-sell-mode', 'customer', '--cross-sell-within', '30']);
      await page.waitForFunction((t) => document.querySelector('[data-testid=cross-sell-counted]')?.innerText.startsWith(`T = ${t}`), byCustomer.cross_sell.transactions.toLocaleString('en-US'));
      await check(byCustomer, 'by customer within 30 days');
      await page.click('[data-testid=lang-ja]');
      await page.waitForFunction(() => document.documentElement.lang === 'ja');
      await screenshot(page, '09-products-ja.png');
    });
    await withApp('no-products', async ({ page }) => {
      const file = path.join(tmp, 'no-products.csv');
      fs.writeFileSync(file, 'Email,Created at,Total\na@example.com,2024-01-05,1000\nb@example.com,2024-02-01,500\n');
      assert.equal(await uploadFile(page, file), 'ready');
      await showTab(page, 'products');
      await page.waitForSelector('[data-testid=no-products]');
    });
  });
  test('every shown table downloads as CSV with its rows; the decile table equals the CLI', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    // A fresh page per tab: headless Chromium stops a page's downloads
    // after ten (its multiple-downloads limit).
    let tables = 0;
    let tabs = [];
    await withApp('tables', async ({ page }) => {
      tabs = await page.$$eval('[data-testid^="tab-"]', (els) => els.map((e) => e.dataset.testid.slice(4)));
    });
    for (const tab of tabs) {
      await withApp(`tables-${tab}`, async ({ page }) => {
        assert.equal(await uploadFile(page, sample.file), 'ready');
        await showTab(page, tab);
        await page.waitForTimeout(100);
        // Tables shown on request (a chart's values, the overview's) too.
        await page.$$eval('details', (ds) => ds.forEach((d) => (d.open = true)));
        const buttons = await page.$$eval('button[data-testid^="export-"][data-testid$="-table"]', (els) => els.map((e) => e.dataset.testid));
        for (const id of buttons) {
          const name = id.slice('export-'.length);
          const want = await page.$$eval(`table[data-testid="${name}"] tbody tr`, (trs) => trs.length);
          const file = await download(page, name);
          assert.match(file.name, new RegExp(`^ltv-lens-${name.replace(/-table$/, '')}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
          const text = file.bytes.toString('utf8');
          assert.ok(text.startsWith('\uFEFF'), `${name}: UTF-8 with BOM`);
          const lines = text.slice(1).split('\r\n').filter((l) => l);
          assert.equal(lines.length - 1, want, `${name} (${tab}): one CSV row per table row`);
          tables += 1;
        }
        if (tab === 'deciles') {
          const deciles = await download(page, 'decile-table');
          const rows = deciles.bytes.toString('utf8').slice(1).split('\r\n').filter((l) => l).slice(1).map((l) => l.split(','));
          sample.json.deciles.forEach((d, i) => {
            assert.equal(Number(rows[i][1]), d.customers, `D${d.decile} customers`);
            assert.equal(Number(rows[i][2]), d.revenue, `D${d.decile} revenue`);
          });
        }
      });
    }
    assert.ok(tables >= 20, `${tables} tables offered a download`);
  });

  test('predicted LTV: fitted in the worker when the tab is shown, the same numbers as `analyze --clv`', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withApp('clv', async ({ page }) => {
      assert.equal(await uploadFile(page, sample.file), 'ready');
      const r = spawnSync(CLI, ['analyze', sample.file, '--json', '--clv'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      assert.equal(r.status, 0, r.stderr);
      const c = JSON.parse(r.stdout).clv;
      assert.equal(c.status, 'ok', c.message);
      await showTab(page, 'clv');
      await page.waitForSelector('table[data-testid="clv-params-table"]', { timeout: 120_000 });
      const params = rowsByKey(await readTable(page, 'clv-params'));
      same(params.bg_nbd.cells.log_likelihood, c.bg_nbd.log_likelihood, 'BG/NBD log-likelihood');
      if (c.pareto_nbd) same(params.pareto_nbd.cells.log_likelihood, c.pareto_nbd.log_likelihood, 'Pareto/NBD log-likelihood');
      same(params.gamma_gamma.cells.log_likelihood, c.gamma_gamma.log_likelihood, 'Gamma-Gamma log-likelihood');
      const repeat = rowsByKey(await readTable(page, 'clv-repeat'));
      for (const row of c.repeat_counts) {
        same(repeat[String(row.repeat_purchases)].cells.actual, row.actual, `${row.repeat_purchases} repeat: actual`);
        same(repeat[String(row.repeat_purchases)].cells.expected, row.expected, `${row.repeat_purchases} repeat: expected`);
      }
      const top = await readTable(page, 'clv-top');
      assert.equal(top.length, c.top_customers.length);
      c.top_customers.forEach((want, i) => {
        assert.equal(top[i].cells.customer.text, want.customer, `top ${i + 1}`);
        same(top[i].cells.p_alive, want.p_alive, `top ${i + 1} P(alive)`);
        same(top[i].cells.clv, want.clv, `top ${i + 1} CLV`);
      });
      const grid = rowsByKey(await readTable(page, 'clv-p-alive'));
      c.p_alive_matrix.frequencies.forEach((f, i) => {
        c.p_alive_matrix.p_alive[i].forEach((p, j) => same(grid[String(f)].cells[`r${j}`], p, `P(alive) x=${f} column ${j}`));
      });
      assert.match(await page.innerText('[data-testid=clv-reading]'), /about once every \d+ days/);
      // The diagnostics as charts, each drawn, the tracking plot with its table.
      for (const id of ['clv-tracking-chart', 'clv-repeat-chart', 'clv-deciles-chart']) {
        const inked = await page.$eval(`canvas[data-testid="${id}"]`, (cv) => {
          const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
          return n;
        });
        assert.ok(inked > 2000, `${id} is drawn (${inked} inked pixels)`);
      }
      await page.click('details.chart-table summary');
      const track = await readTable(page, 'clv-tracking');
      assert.equal(track.length, c.tracking.length, 'one row per week');
      for (const i of [0, c.tracking.length - 1]) {
        assert.equal(track[i].key, c.tracking[i].day);
        same(track[i].cells.actual, c.tracking[i].actual, `week ${c.tracking[i].day} actual`);
        same(track[i].cells.expected, c.tracking[i].expected, `week ${c.tracking[i].day} expected`);
      }
      await screenshot(page, '10-clv.png');
      await page.click('[data-testid=lang-ja]');
      await page.waitForFunction(() => document.documentElement.lang === 'ja');
      assert.match(await page.innerText('[data-testid=clv-reading]'), /日に1回/);
      await screenshot(page, '10-clv-ja.png');
    });
  });
});
