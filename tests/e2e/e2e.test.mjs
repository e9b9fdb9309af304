// End-to-end test of the built app (dist/) in headless Chromium, through the
// app's DOM contract, with every number compared to the CLI's
// `ltv-lens analyze FILE --json` for the same file.
//
//   node --test tests/e2e/          (after `trunk build --release` and
//                                    `cargo build --release -p ltv-lens-cli`;
//                                    scripts/test.sh does all of it)
//
// Screenshots go to tests/e2e/artifacts/ (also one per failing test).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  closeAll,
  ARTIFACTS,
  ROOT,
  armStatusLog,
  waitForSettled,
  CLI,
  DIST,
  assertMatchesCli,
  clickSample,
  cliAnalyze,
  cliSample,
  damagedCsv,
  describePage,
  errorText,
  fixtureCsvs,
  isLocalUrl,
  launchBrowser,
  num,
  openApp,
  pngLikeBytes,
  readTable,
  rowsByKey,
  runOnApp,
  screenshot,
  showTab,
  startServer,
  statusState,
  uploadFile,
} from './helpers.mjs';

const TEST_TIMEOUT_MS = 300_000;

let server;
let browser;
let tmp;
/** The generated fixture: { file, json }. */
let sample;

before(async () => {
  assert.ok(
    fs.existsSync(path.join(DIST, 'index.html')),
    `${DIST}/index.html is missing: run \`trunk build --release\` first (scripts/test.sh does)`,
  );
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`cargo build --release -p ltv-lens-cli\` first`);
  // Failure screenshots of an earlier run would only confuse.
  if (fs.existsSync(ARTIFACTS)) {
    for (const f of fs.readdirSync(ARTIFACTS)) if (/^fail-.*\.png$/.test(f)) fs.rmSync(path.join(ARTIFACTS, f));
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ltv-e2e-'));
  const file = path.join(tmp, 'sample.csv');
  cliSample(file, { orders: 3000, seed: 7 });
  const { json, reason } = cliAnalyze(file);
  assert.ok(json, `the CLI cannot analyze its own sample (${file}): ${reason}`);
  sample = { file, json };
  server = await startServer(DIST);
  browser = await launchBrowser();
});

after(() => closeAll({ browser, server, tmp }));

/** Runs `fn` on a fresh page of the app (see helpers.runOnApp). */
function withApp(name, fn) {
  return runOnApp(browser, server, name, fn);
}

describe('ltv-lens app (release build, headless Chromium)', () => {
  test('1. the page loads idle, without console errors', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withApp('load', async ({ page, rec }) => {
      assert.equal(await statusState(page), 'idle', 'status data-state right after load');
      for (const sel of ['input[type=file][data-testid=file-input]', '[data-testid=drop-zone]', '[data-testid=load-sample]']) {
        assert.equal(await page.locator(sel).count(), 1, `${sel} is on the page`);
      }
      // Let late errors (a failed resource, a deferred panic) show up.
      await page.waitForTimeout(1_000);
      await screenshot(page, '01-start.png');
      assert.deepEqual(rec.consoleErrors, [], 'console errors while loading');
      assert.deepEqual(rec.pageErrors, [], 'uncaught page errors while loading');
    });
  });

  test('2. an uploaded file shows the same numbers as the CLI', { timeout: TEST_TIMEOUT_MS * 4 }, async (t) => {
    const files = [{ name: 'generated sample (3000 orders, seed 7)', file: sample.file, json: sample.json, shot: true }];
    for (const file of fixtureCsvs()) {
      const { json, reason } = cliAnalyze(file);
      if (json) files.push({ name: path.relative(ROOT, file), file, json });
      else t.diagnostic(`skipping tests/fixtures/${path.basename(file)}: the CLI cannot read it (${reason})`);
    }
    for (const f of files) {
      await t.test(f.name, { timeout: TEST_TIMEOUT_MS }, async () => {
        await withApp(`upload-${path.basename(f.file, '.csv')}`, async ({ page, rec }) => {
          const state = await uploadFile(page, f.file);
          assert.equal(state, 'ready', `status after uploading ${f.name}; ${await describePage(page)}`);
          await assertMatchesCli(page, f.json, f.name);
          if (f.shot) {
            await showTab(page, 'deciles');
            await screenshot(page, '02-deciles.png');
          }
          assert.deepEqual(rec.consoleErrors, [], 'console errors while loading the file');
        });
      });
    }
  });

  test('3. privacy: no request once the app has loaded (and made its offline copy), none to another origin, only the app\'s files; CSP blocks connections', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withApp('privacy', async ({ page, rec }) => {
      assert.ok(rec.loaded, 'the load event fired');
      // The engine runs in a dedicated Web Worker, started while the page
      // loads; "loaded" is the page's load event plus the worker's start.
      assert.equal(await page.getAttribute('html', 'data-engine'), 'worker', 'the engine runs in a Web Worker');
      const state = await uploadFile(page, sample.file);
      assert.equal(state, 'ready', 'status after uploading the sample');
      await showTab(page, 'deciles');
      await readTable(page, 'decile');
      await showTab(page, 'summary');
      await readTable(page, 'summary');
      // Give anything lazy (fonts, images, beacons) time to go out.
      await page.waitForTimeout(2_000);

      const fmt = (rs) => rs.map((r) => `${r.method} ${r.url} (${r.resourceType})`).join('\n    ');
      const foreign = rec.requests.filter((r) => !isLocalUrl(r.url, server.origin));
      const late = rec.requests.filter((r) => r.afterReady && !r.url.startsWith('data:') && !r.url.startsWith('blob:'));
      assert.ok(
        foreign.length === 0 && late.length === 0,
        `the page made requests it must not make:` +
          `\n  to another origin than ${server.origin} (${foreign.length}):\n    ${fmt(foreign)}` +
          `\n  after the page loaded and the engine started (${late.length}):\n    ${fmt(late)}` +
          (late.some((r) => /\.wasm$/.test(new URL(r.url).pathname))
            ? '\n  hint: the wasm is fetched after `load`; a <link rel="preload" href="./<app>_bg.wasm" as="fetch"' +
              ' type="application/wasm" crossorigin> in index.html makes it load before `load`'
            : ''),
      );
      assert.deepEqual(rec.websockets, [], 'WebSocket connections');
      // One service worker, the app's offline copy (public/sw.js); all it
      // fetched are the app's own files, with GET.
      assert.deepEqual(page.context().serviceWorkers().map((w) => w.url()), [`${server.origin}/sw.js`], 'service workers');
      const appFiles = ['/', '/index.html', '/boot.js', '/worker.js', '/reader.js', '/style.css', '/ltv-lens-app.js', '/ltv-lens-app_bg.wasm', '/sw.js'];
      const other = rec.requests.filter(
        (r) => !r.url.startsWith('data:') && !r.url.startsWith('blob:') && (r.method !== 'GET' || !appFiles.includes(new URL(r.url).pathname)),
      );
      assert.deepEqual(other.map((r) => `${r.method} ${r.url}`), [], 'requests other than GET of the app\'s own files');

      // The page's own Content-Security-Policy must keep connections home.
      const policies = await page.$$eval('meta[http-equiv="Content-Security-Policy" i]', (ms) => ms.map((m) => m.content));
      assert.ok(policies.length > 0, 'no <meta http-equiv="Content-Security-Policy"> in the page');
      const allowed = new Set(["'self'", "'none'", 'blob:', 'data:']);
      const verdicts = policies.map((p) => {
        const directives = new Map(
          p
            .split(';')
            .map((d) => d.trim().split(/\s+/))
            .filter((d) => d[0])
            .map(([name, ...values]) => [name.toLowerCase(), values]),
        );
        const which = directives.has('connect-src') ? 'connect-src' : directives.has('default-src') ? 'default-src' : null;
        const bad = which ? directives.get(which).filter((v) => !allowed.has(v.toLowerCase())) : ['(no connect-src or default-src)'];
        return { policy: p, which, bad };
      });
      assert.ok(
        verdicts.some((v) => v.which && v.bad.length === 0),
        `no CSP limits connect-src to 'self': ${verdicts.map((v) => `"${v.policy}" allows ${v.bad.join(' ')}`).join('; ')}`,
      );

      // And the browser enforces it: a fetch to another origin is refused by
      // the CSP (the test's router would abort it anyway, so nothing leaves).
      const violation = await page.evaluate(
        () =>
          new Promise((resolve) => {
            const timer = setTimeout(() => resolve(null), 5_000);
            document.addEventListener('securitypolicyviolation', (e) => {
              clearTimeout(timer);
              resolve(e.violatedDirective);
            });
            fetch('https://csp-probe.invalid/').catch(() => {});
          }),
      );
      assert.match(String(violation), /^(connect-src|default-src)/, 'a fetch to another origin is reported as a CSP violation');
    });
  });

  test('4. the sample button gives plausible deciles', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withApp('sample', async ({ page }) => {
      const state = await clickSample(page);
      assert.equal(state, 'ready', 'status after clicking load-sample');
      await showTab(page, 'summary');
      const summary = rowsByKey(await readTable(page, 'summary'));
      await showTab(page, 'deciles');
      const rows = await readTable(page, 'decile');
      assert.deepEqual(
        rows.map((r) => r.key),
        ['D1', 'D2', 'D3', 'D4', 'D5', 'D6', 'D7', 'D8', 'D9', 'D10'],
        'decile-table rows',
      );
      const d = rowsByKey(rows);
      const customers = rows.map((r) => num(r.cells.customers));
      assert.ok(customers.every(Number.isInteger), `decile customers are integers: ${customers}`);
      const total = customers.reduce((a, b) => a + b, 0);
      assert.ok(total > 0, 'some customers are in the deciles');
      const allCustomers = num(summary.customers?.cells.value);
      assert.ok(total <= allCustomers, `decile customers (${total}) <= all customers (${allCustomers})`);
      assert.ok(
        num(d.D1.cells.avg_spend) >= num(d.D10.cells.avg_spend),
        `D1 avg_spend ${d.D1.cells.avg_spend.value} >= D10 avg_spend ${d.D10.cells.avg_spend.value}`,
      );
      const cumulative = rows.map((r) => num(r.cells.cumulative_share));
      for (let i = 1; i < cumulative.length; i++) {
        assert.ok(cumulative[i] >= cumulative[i - 1], `cumulative_share does not decrease: ${cumulative}`);
      }
      assert.ok(Math.abs(cumulative[9] - 1) <= 1e-12, `D10 cumulative_share is 1 (got ${cumulative[9]})`);
    });
  });

  test('5a. a binary file gives an error, and the page still works after it', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withApp('binary', async ({ page }) => {
      const bad = { name: 'not-orders.csv', mimeType: 'text/csv', buffer: pngLikeBytes(4096) };
      assert.equal(await uploadFile(page, bad), 'error', 'status after uploading PNG bytes');
      const message = await errorText(page);
      assert.ok(message.length > 0, '[data-testid=error] shows a message for PNG bytes');
      assert.equal(await uploadFile(page, sample.file), 'ready', 'status after uploading a good file next');
      await assertMatchesCli(page, sample.json, 'good file after a bad one');
    });
  });

  test('5b. damaged rows are reported with their line numbers', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { text, badLines } = damagedCsv();
    const file = path.join(tmp, 'damaged.csv');
    fs.writeFileSync(file, text);
    const { json, reason } = cliAnalyze(file);
    assert.ok(json, `the CLI cannot read the damaged CSV: ${reason}`);
    const cliLines = (json.summary.problems || []).map((p) => p.line);
    assert.deepEqual(
      [...cliLines].sort((a, b) => a - b),
      badLines,
      `the CLI reports problems on lines ${badLines} (1-based physical lines)`,
    );

    await withApp('damaged', async ({ page }) => {
      assert.equal(await uploadFile(page, file), 'ready', 'status after uploading a CSV with two damaged rows');
      let shown = await errorText(page);
      await showTab(page, 'summary');
      shown += '\n' + (await page.evaluate(() => document.querySelector('[data-testid=problems]')?.innerText ?? ''));
      const mentioned = badLines.filter((n) => new RegExp(`(^|\\D)${n}(\\D|$)`).test(shown));
      assert.ok(
        mentioned.length > 0,
        `the messages name line ${badLines.join(' or ')}; they say: ${JSON.stringify(shown.trim().slice(0, 600))}`,
      );
      await assertMatchesCli(page, json, 'damaged CSV');
    });
  });

  test('5c. unknown headers open the mapping step; applying it analyses the file', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Semicolons, decimal commas and markup in a cell; two columns of
    // amounts compete, so the columns are pre-selected from their content
    // and the user confirms them (one amount column would be taken without
    // asking: mapping.test.mjs).
    const file = path.join(tmp, 'unknown-headers.csv');
    fs.writeFileSync(
      file,
      'col_a;col_b;col_c;col_d;memo\nx@y.jp;2024-05-01;1.234,50;5,00;<b>bold</b>\nz@y.jp;2024-05-02;99,00;5,00;<img src=x onerror=alert(1)>\nX@Y.jp ;2024-05-03;10,00;0,00;\n',
    );
    await withApp('mapping', async ({ page }) => {
      assert.equal(await uploadFile(page, file), 'error', 'status while the columns are unknown');
      await page.waitForSelector('[data-testid=mapping-step]', { timeout: 10_000 });
      const chosen = await page.evaluate(() =>
        ['order_date', 'order_total', 'email'].map((f) => document.querySelector(`[data-testid=map-${f}]`).value),
      );
      assert.deepEqual(chosen, ['1', '2', '0'], 'columns pre-selected from their content');
      const preview = await page.evaluate(() => document.querySelector('[data-testid=mapping-preview]').innerText);
      assert.match(preview, /<b>bold<\/b>/, 'cell markup is shown as text');
      assert.equal(await page.evaluate(() => document.querySelectorAll('[data-testid=mapping-preview] b, [data-testid=mapping-preview] img').length), 0);
      await armStatusLog(page);
      await page.click('[data-testid=mapping-apply]');
      assert.equal(await waitForSettled(page), 'ready', 'status after applying the mapping');
      await showTab(page, 'summary');
      const summary = rowsByKey(await readTable(page, 'summary'));
      assert.equal(num(summary.revenue.cells.value), 1343.5, 'revenue 1234.50 + 99.00 + 10.00');
      assert.equal(num(summary.customers.cells.value), 2, 'x@y.jp and "X@Y.jp " are one customer');
      await screenshot(page, '04-mapping-applied.png');
      // The same layout again: the remembered mapping is used, no question.
      assert.equal(await uploadFile(page, file), 'ready', 'a remembered layout reads at once');
      await page.waitForSelector('[data-testid=notice]', { timeout: 10_000 });
    });
  });

  test('5d. ambiguous dates are asked about; read options re-read the file', { timeout: TEST_TIMEOUT_MS }, async () => {
    const file = path.join(tmp, 'ambiguous-dates.csv');
    fs.writeFileSync(file, 'email,date,total,status\na@x.us,04/03/2024,10,paid\nb@x.us,05/06/2024,20,paid\nc@x.us,05/07/2024,40,cancelled\n');
    await withApp('date-order', async ({ page }) => {
      assert.equal(await uploadFile(page, file), 'ready');
      await page.waitForSelector('[data-testid=date-order-question]', { timeout: 10_000 });
      await showTab(page, 'summary');
      let summary = rowsByKey(await readTable(page, 'summary'));
      assert.equal(summary.first_order_date.cells.value.text, '2024-04-03', 'read month first until answered');
      await armStatusLog(page);
      await page.click('[data-testid=date-order-day-first]');
      assert.equal(await waitForSettled(page), 'ready');
      await page.waitForSelector('[data-testid=date-order-question]', { state: 'detached', timeout: 10_000 });
      await showTab(page, 'summary');
      summary = rowsByKey(await readTable(page, 'summary'));
      assert.equal(summary.first_order_date.cells.value.text, '2024-03-04', 'day first after the answer');
      assert.equal(num(summary.revenue.cells.value), 30, 'the cancelled order is excluded');
      // Switch the cancellation rule off: the file is re-read with it.
      await page.click('[data-testid=reading] summary');
      await armStatusLog(page);
      await page.click('[data-testid=rule-cancelled]');
      assert.equal(await waitForSettled(page), 'ready');
      await showTab(page, 'summary');
      summary = rowsByKey(await readTable(page, 'summary'));
      assert.equal(num(summary.revenue.cells.value), 70, 'cancelled order counted when the rule is off');
      await screenshot(page, '05-reading-options.png');
    });
  });

  test('7. cohorts, LTV, targets, trend, repeat and tenure show the CLI numbers', { timeout: TEST_TIMEOUT_MS * 3 }, async (t) => {
    const files = [{ name: 'generated sample', file: sample.file, json: sample.json }];
    const extra = (process.env.LTV_E2E_EXTRA_CSV || '').split(':').filter((f) => f && fs.existsSync(f));
    for (const file of extra) {
      const { json } = cliAnalyze(file);
      if (json) files.push({ name: path.basename(file), file, json });
    }
    for (const f of files) {
      await t.test(f.name, { timeout: TEST_TIMEOUT_MS }, async () => {
        await withApp(`analyses-${path.basename(f.file, '.csv')}`, async ({ page }) => {
          assert.equal(await uploadFile(page, f.file), 'ready');
          const j = f.json;
          const same = (got, want, what) => {
            if (want === null || want === undefined) {
              assert.ok(got.value === null || got.value === undefined || got.value === '', `${what}: app shows ${got.value}, CLI has none`);
            } else {
              assert.equal(Number(got.value), want, `${what}: app ${got.value} !== CLI ${want}`);
            }
          };
          // Cohorts: every retention and cumulative revenue cell.
          await showTab(page, 'cohorts');
          const retention = rowsByKey(await readTable(page, 'cohort'));
          const cumulative = rowsByKey(await readTable(page, 'cohort-ltv'));
          assert.equal(Object.keys(retention).length, j.cohorts.length, 'one row per cohort');
          for (const c of j.cohorts) {
            same(retention[c.cohort].cells.customers, c.customers, `${c.cohort} customers`);
            for (const p of c.periods) {
              same(retention[c.cohort].cells[`retention_${p.period}`], p.retention, `${c.cohort} retention ${p.period}`);
              same(cumulative[c.cohort].cells[`cumulative_revenue_per_customer_${p.period}`], p.cumulative_revenue_per_customer, `${c.cohort} LTV ${p.period}`);
            }
          }
          // LTV and targets.
          await showTab(page, 'ltv');
          const ltv = rowsByKey(await readTable(page, 'ltv'));
          for (const k of ['ltv', 'aov', 'orders_per_customer', 'cohorts_used', 'customers_used']) same(ltv[k].cells.value, j.ltv[k], `ltv ${k}`);
          for (const track of j.targets.tracks) {
            const rows = rowsByKey(await readTable(page, `target-${track.metric}`));
            for (const m of track.months) {
              same(rows[m.month].cells.actual, m.actual, `${track.metric} ${m.month} actual`);
              same(rows[m.month].cells.target, m.target, `${track.metric} ${m.month} target`);
            }
          }
          const plan = rowsByKey(await readTable(page, 'target-plan'));
          for (const s of j.targets.plan.steps) same(plan[String(s.month)].cells.compound, s.compound, `plan ${s.month}`);
          // Decile trend.
          await showTab(page, 'trend');
          const trend = rowsByKey(await readTable(page, 'decile-trend'));
          for (const m of j.decile_trend.months) {
            for (const c of m.deciles) same(trend[m.month].cells[`d${c.decile}`], c.avg_spend, `trend ${m.month} D${c.decile}`);
          }
          // Repeat and tenure.
          await showTab(page, 'repeat');
          const rep = rowsByKey(await readTable(page, 'repeat'));
          same(rep.f2_rate.cells.value, j.repeat.f2.rate, 'F2');
          same(rep.repeat_rate.cells.value, j.repeat.repeat_rate.rate, 'repeat rate');
          const flow = rowsByKey(await readTable(page, 'flow'));
          for (const s of j.repeat.flow) same(flow[String(s.order)].cells.rate, s.rate, `flow ${s.order}`);
          const mix = rowsByKey(await readTable(page, 'mix'));
          for (const m of j.repeat.returning_by_month) same(mix[m.month].cells.returning_share, m.returning_share, `mix ${m.month}`);
          const ten = rowsByKey(await readTable(page, 'tenure'));
          same(ten.plain_mean_months.cells.value, j.tenure.plain_mean_months, 'plain mean tenure');
          same(ten.restricted_mean_months.cells.value, j.tenure.restricted_mean_months, 'KM restricted mean');
          if (f.name === 'generated sample') {
            for (const tab of ['cohorts', 'ltv', 'trend', 'repeat']) {
              await showTab(page, tab);
              await screenshot(page, `07-${tab}.png`);
            }
          }
        });
      });
    }
  });

  test('6. the Japanese switch translates the page', { timeout: TEST_TIMEOUT_MS }, async () => {
    await withApp('ja', async ({ page }) => {
      await page.click('[data-testid=lang-ja]');
      await page.waitForFunction(() => document.documentElement.lang === 'ja', null, { timeout: 10_000 });
      const text = await page.evaluate(() => document.body.innerText);
      assert.match(text, /[\u3040-\u30ff\u4e00-\u9faf]/, 'visible text contains Japanese');
      await screenshot(page, '03-ja.png');
      await page.click('[data-testid=lang-en]');
      await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 10_000 });
    });
  });

  test('8. a big file: progress moves, the page stays responsive, a setting recomputes without re-reading, cancel restores', { timeout: TEST_TIMEOUT_MS }, async () => {
    // About 175 MB: big enough to be caught while it is read, on any machine.
    const big = path.join(tmp, 'big.csv');
    cliSample(big, { orders: 400_000, seed: 3 });
    const { json, reason } = cliAnalyze(big);
    assert.ok(json, `the CLI cannot analyze ${big}: ${reason}`);
    try {
      await withApp('big', async ({ page, rec }) => {
        assert.equal(await page.getAttribute('html', 'data-engine'), 'worker', 'the engine runs in a Web Worker');
        // Progress: the status text while working, sampled in the page.
        await page.evaluate(() => {
          window.__progress = [];
          window.__frames = 0;
          const tick = () => {
            window.__frames += 1;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
          new MutationObserver(() => {
            const s = document.querySelector('[data-testid=status]');
            if (s?.getAttribute('data-state') === 'working') window.__progress.push(s.innerText);
          }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        });
        await armStatusLog(page);
        await page.setInputFiles('input[type=file][data-testid=file-input]', big);
        await page.waitForFunction(() => window.__progress.some((t) => /\d[\d,]* rows/.test(t)), null, { timeout: 30_000, polling: 20 });
        // The page answers while the worker parses: a click switches the language.
        const framesBefore = await page.evaluate(() => window.__frames);
        await page.click('[data-testid=lang-ja]');
        await page.waitForFunction(() => document.documentElement.lang === 'ja', null, { timeout: 10_000 });
        const during = await statusState(page);
        await page.click('[data-testid=lang-en]');
        const framesAfter = await page.evaluate(() => window.__frames);
        assert.equal(await waitForSettled(page), 'ready', 'the big file is read');
        const progress = await page.evaluate(() => window.__progress);
        // "8.4 of 173.5 MB" (English) or "173.5 MB 中 8.4 MB" (Japanese).
        const megabytes = progress
          .map((t) => {
            const en = /([\d.]+) of [\d.]+ MB/.exec(t);
            const ja = /[\d.]+ MB 中 ([\d.]+) MB/.exec(t);
            return en || ja;
          })
          .filter(Boolean)
          .map((m) => Number(m[1]));
        assert.ok(new Set(megabytes).size >= 3, `progress moved through at least 3 values: ${JSON.stringify(progress.slice(0, 8))}`);
        assert.ok(megabytes.every((v, i) => i === 0 || v >= megabytes[i - 1]), `progress never went back: ${megabytes.join(', ')}`);
        assert.equal(during, 'working', 'the language switched while the file was still being read');
        assert.ok(framesAfter > framesBefore, `frames were painted during the read (${framesBefore} → ${framesAfter})`);
        const states = await page.evaluate(() => window.__ltvStates);
        assert.deepEqual(states.slice(-2), ['working', 'ready'], `status went working → ready: ${JSON.stringify(states)}`);
        const phases = JSON.parse((await page.getAttribute('[data-testid=status]', 'data-phases')) || 'null');
        assert.ok(phases && phases.parse > 0 && phases.analyze > 0, `the worker reported its phases: ${JSON.stringify(phases)}`);
        // A file this large is read on two cores: the helper worker's half
        // was joined (and the numbers below still equal the CLI's).
        assert.equal(phases.parts, 2, `the second half was read by the helper worker: ${JSON.stringify(phases)}`);
        await assertMatchesCli(page, json, 'big file');

        // A setting recomputes from the order store: no 'working' state,
        // the file is not read again, the numbers follow.
        const d1Before = num(rowsByKey(await readTable(page, 'decile')).D1.cells.revenue);
        await armStatusLog(page);
        const asOf = json.decile_window.as_of;
        const earlier = new Date(Date.parse(asOf) - 90 * 86_400_000).toISOString().slice(0, 10);
        await page.click('[data-testid=settings] summary');
        await page.fill('[data-testid=as-of]', earlier);
        await page.dispatchEvent('[data-testid=as-of]', 'change');
        await page.waitForFunction(
          (before) => {
            const cell = document.querySelector('table[data-testid=decile-table] tr[data-key=D1] [data-col=revenue]');
            return cell && Number(cell.getAttribute('data-value')) !== before;
          },
          d1Before,
          { timeout: 30_000 },
        );
        const { json: json2 } = cliAnalyze(big, ['--as-of', earlier]);
        assert.ok(json2, 'the CLI analyzes with --as-of');
        const d1After = num(rowsByKey(await readTable(page, 'decile')).D1.cells.revenue);
        assert.equal(d1After, json2.deciles[0].revenue, 'D1 revenue after the as-of change equals the CLI with --as-of');
        assert.deepEqual(await page.evaluate(() => window.__ltvStates), [], 'no re-read (status stayed ready)');

        // Cancel: a second load is stopped; what was shown comes back.
        await armStatusLog(page);
        await page.evaluate(() => { window.__progress = []; });
        await page.setInputFiles('input[type=file][data-testid=file-input]', big);
        await page.waitForFunction(() => window.__progress.some((t) => /\d[\d,]* rows/.test(t)), null, { timeout: 30_000, polling: 20 });
        await page.click('[data-testid=cancel]');
        await page.waitForSelector('[data-testid=notice]', { timeout: 10_000 });
        assert.equal(await statusState(page), 'ready', 'after cancel the previous results are ready again');
        assert.match(await page.innerText('[data-testid=notice]'), /cancelled/i);
        const d1Restored = num(rowsByKey(await readTable(page, 'decile')).D1.cells.revenue);
        assert.equal(d1Restored, d1After, 'the previous results are shown again after cancel');

        // Another file chosen while one is read: the newer one is shown.
        await armStatusLog(page);
        await page.evaluate(() => { window.__progress = []; });
        await page.setInputFiles('input[type=file][data-testid=file-input]', big);
        await page.waitForFunction(() => window.__progress.some((t) => /\d[\d,]* rows/.test(t)), null, { timeout: 30_000, polling: 20 });
        await page.setInputFiles('input[type=file][data-testid=file-input]', sample.file);
        assert.equal(await waitForSettled(page), 'ready', 'the second file is read');
        assert.match(await page.innerText('[data-testid=status]'), /sample\.csv/, 'the status names the second file');
        // The as-of date set above still applies.
        const { json: sampleAsOf } = cliAnalyze(sample.file, ['--as-of', earlier]);
        await assertMatchesCli(page, sampleAsOf, 'a file chosen while another was read');
        assert.deepEqual(rec.consoleErrors, [], 'console errors');
        // Reading on two cores fetched nothing: the helper worker started
        // with the page.
        const late = rec.requests.filter((r) => r.afterReady && !r.url.startsWith('data:') && !r.url.startsWith('blob:'));
        assert.deepEqual(late.map((r) => r.url), [], 'requests after the page loaded');
        await screenshot(page, '08-big-file.png');
      });
    } finally {
      fs.rmSync(big, { force: true });
    }
  });
});
