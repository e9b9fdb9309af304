// End-to-end test of reading files no header table names (issue #14): the
// hand-made Japanese Excel export (UTF-16 text) reads without a question
// and equals the CLI; a column decided by its content is said in "how the
// file was read" and can be changed there; two competing columns ask.
//
//   node --test tests/e2e/mapping.test.mjs   (scripts/test.sh runs it)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  CLI,
  DIST,
  FIXTURES,
  armStatusLog,
  cliAnalyze,
  launchBrowser,
  readTable,
  rowsByKey,
  runOnApp,
  screenshot,
  showTab,
  startServer,
  uploadFile,
  waitForSettled,
} from './helpers.mjs';

const TEST_TIMEOUT_MS = 180_000;

let server;
let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html is missing: run \`trunk build --release\` first`);
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`cargo build --release -p ltv-lens-cli\` first`);
  server = await startServer(DIST);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

/** The summary table's revenue, orders and customers as numbers. */
async function summary(page) {
  await showTab(page, 'summary');
  const rows = rowsByKey(await readTable(page, 'summary'));
  const v = (k) => Number(rows[k]?.cells?.value?.value ?? NaN);
  return { revenue: v('revenue'), orders: v('orders'), customers: v('customers') };
}

describe('columns no header names', () => {
  test('the hand-made Japanese export (UTF-16 text) reads without a question, as the CLI reads it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const file = path.join(FIXTURES, 'handmade_ja_utf16.txt');
    const { json, reason } = cliAnalyze(file);
    assert.ok(json, reason);
    await runOnApp(browser, server, 'mapping-handmade', async ({ page }) => {
      await page.goto(`${server.url}?lang=ja`);
      await page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
      assert.equal(await uploadFile(page, file), 'ready', 'no mapping question');
      assert.equal(await page.locator('[data-testid=mapping-step]').count(), 0);
      const s = await summary(page);
      assert.deepEqual(s, { revenue: json.summary.revenue, orders: json.summary.orders, customers: json.summary.customers });
      assert.match(await page.locator('[data-testid=reading] .detected').textContent(), /UTF-16LE/);
    });
  });

  test('a column decided by its content is said, shown and changeable', { timeout: TEST_TIMEOUT_MS }, async () => {
    const file = path.join(FIXTURES, 'amount_by_content.csv');
    const { json, reason } = cliAnalyze(file);
    assert.ok(json, reason);
    for (const lang of ['en', 'ja']) {
      await runOnApp(browser, server, `mapping-content-${lang}`, async ({ page }) => {
        await page.goto(`${server.url}?lang=${lang}`);
        await page.waitForSelector('[data-testid=file-input]', { state: 'attached' });
        assert.equal(await uploadFile(page, file), 'ready');
        const note = await page.locator('[data-testid=format-note]').innerText();
        assert.match(note, /お会計/, 'the note names the column');
        assert.match(note, lang === 'ja' ? /として読める唯一の列/ : /only one whose cells read as/);
        const select = page.locator('[data-testid=read-map-order_total]');
        assert.equal(await select.isVisible(), true, 'the reading panel is open on the choice');
        assert.equal(await select.locator('option:checked').innerText(), 'お会計');
        assert.equal((await summary(page)).revenue, json.summary.revenue);
        await screenshot(page, `mapping-content-${lang}.png`);
        if (lang === 'en') {
          // Another column: the file is read again with it.
          await showTab(page, 'summary');
          await armStatusLog(page);
          await select.selectOption({ label: '伝票' });
          assert.equal(await waitForSettled(page), 'ready');
          const { json: other } = cliAnalyze(file, ['--map', 'order_total=伝票']);
          assert.equal((await summary(page)).revenue, other.summary.revenue);
        }
      });
    }
  });

  test('two columns that compete are a question', { timeout: TEST_TIMEOUT_MS }, async () => {
    await runOnApp(browser, server, 'mapping-compete', async ({ page }) => {
      const state = await uploadFile(page, path.join(FIXTURES, 'two_dates_two_amounts.csv'));
      assert.equal(state, 'error', 'status while two columns compete');
      await page.waitForSelector('[data-testid=mapping-step]', { timeout: 30_000 });
      const chosen = await page.evaluate(() =>
        ['order_date', 'order_total'].map((f) => document.querySelector(`[data-testid=map-${f}]`).value),
      );
      assert.deepEqual(chosen, ['2', '4'], 'the first candidates pre-selected');
      // Applied by hand, the mapping is remembered: local storage then holds
      // column numbers under a fingerprint of the header row, and no cell
      // or header of the file (PRIVACY.md, claim 7).
      await armStatusLog(page);
      await page.click('[data-testid=mapping-apply]');
      assert.equal(await waitForSettled(page), 'ready');
      const stored = await page.evaluate(() => Object.entries(window.localStorage));
      assert.ok(stored.length >= 1, 'the mapping is remembered');
      const text = fs.readFileSync(path.join(FIXTURES, 'two_dates_two_amounts.csv'), 'utf8');
      const cells = [...new Set(text.split(/[\n,"]/).map((c) => c.trim()).filter((c) => c.length >= 2))];
      for (const [key, value] of stored) {
        assert.match(key, /^ltv-lens\.mapping\.[0-9a-f]{16}$/, `storage key ${key}`);
        const m = JSON.parse(value);
        assert.ok(m.columns.every((c) => c === null || Number.isInteger(c)), `only column numbers: ${value}`);
        for (const cell of cells) assert.ok(!value.includes(cell) && !key.includes(cell), `${JSON.stringify(cell)} is not stored`);
      }
      await page.click('[data-testid=settings] summary');
      await page.click('[data-testid=forget-browser]');
      await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid=forget-status]')?.innerText || ''));
      assert.deepEqual(await page.evaluate(() => Object.keys(window.localStorage)), [], 'forgotten');
    });
  });
});
