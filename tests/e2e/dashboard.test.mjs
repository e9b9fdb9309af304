// End-to-end tests of the page around the analyses (issue #12): the first
// screen, the tabs by keyboard (WAI-ARIA tabs pattern), axe-core on the
// first screen and every tab in both languages at a phone and a desktop
// width, and the settings carried by a link to a fresh page.
//
//   node --test tests/e2e/dashboard.test.mjs   (scripts/test.sh runs it)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ARTIFACTS,
  CLI,
  TABS,
  openTab,
  readTable,
  rowsByKey,
  DIST,
  ROOT,
  assertMatchesCli,
  clickSample,
  cliAnalyze,
  cliSample,
  closeAll,
  describePage,
  dropFile,
  launchBrowser,
  runOnApp,
  screenshot,
  startServer,
  uploadFile,
} from './helpers.mjs';

const TEST_TIMEOUT_MS = 600_000;
const FITTED = '[data-testid=clv-fitted], [data-testid=clv-error]';
const AXE = path.join(ROOT, 'tests', 'e2e', 'node_modules', 'axe-core', 'axe.min.js');
const WIDTHS = { phone: { width: 375, height: 800 }, desktop: { width: 1280, height: 900 } };

let server;
let browser;
let tmp;
const sample = {};

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html is missing: run \`trunk build --release\` first`);
  assert.ok(fs.existsSync(CLI), `${CLI} is missing`);
  assert.ok(fs.existsSync(AXE), `${AXE} is missing: run npm ci in tests/e2e`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ltv-dashboard-'));
  sample.file = path.join(tmp, 'shop.csv');
  cliSample(sample.file, { orders: 3000, seed: 11 });
  server = await startServer(DIST);
  browser = await launchBrowser();
});

after(() => closeAll({ browser, server, tmp }));

/** axe-core's serious and critical violations on the page as it is now. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  }
  const result = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

describe('the page around the analyses', () => {
  test('the first screen says what you get, which exports are read and why nothing is uploaded', { timeout: TEST_TIMEOUT_MS }, async () => {
    await runOnApp(browser, server, 'intro', async ({ page }) => {
      for (const lang of ['en', 'ja']) {
        await page.click(`[data-testid=lang-${lang}]`);
        const intro = page.locator('[data-testid=intro]');
        await intro.waitFor();
        assert.equal(await intro.locator('li').count() >= 7 + 4, true, 'seven analyses and four privacy points');
        const text = await intro.innerText();
        assert.match(text, lang === 'en' ? /Shopify.*Rakuten.*Amazon/s : /Shopify.*楽天.*Amazon/s, 'the exports read');
        await page.$eval('[data-testid=privacy-details]', (d) => {
          d.open = true;
        });
        assert.match(await page.locator('[data-testid=privacy-details]').innerText(), lang === 'en' ? /no network request/ : /通信を一切行いません/);
        await screenshot(page, `dashboard-intro-${lang}.png`);
      }
      assert.equal(await clickSample(page), 'ready');
      assert.equal(await page.locator('[data-testid=intro]').count(), 0, 'the first screen gives way to the results');
    });
  });

  test('the tabs follow the WAI-ARIA tabs pattern: one tab stop, arrows, Home and End', { timeout: TEST_TIMEOUT_MS }, async () => {
    await runOnApp(browser, server, 'tabs-keyboard', async ({ page }) => {
      assert.equal(await uploadFile(page, sample.file), 'ready');
      const selected = () => page.$eval('[role=tablist] [aria-selected=true]', (b) => b.dataset.testid);
      const stops = () => page.$$eval('[role=tab]', (bs) => bs.filter((b) => b.tabIndex === 0).map((b) => b.dataset.testid));
      assert.deepEqual(await stops(), ['tab-overview'], 'only the chosen tab (the overview, first) is a tab stop');
      await page.focus('[data-testid=tab-overview]');
      await page.keyboard.press('ArrowRight');
      assert.equal(await selected(), 'tab-deciles');
      assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'tab-deciles', 'focus follows');
      await page.keyboard.press('End');
      assert.equal(await selected(), 'tab-summary');
      await page.keyboard.press('ArrowRight');
      assert.equal(await selected(), 'tab-overview', 'the arrows wrap around');
      await page.keyboard.press('ArrowLeft');
      assert.equal(await selected(), 'tab-summary');
      await page.keyboard.press('Home');
      assert.equal(await selected(), 'tab-overview');
      await page.keyboard.press('ArrowRight');
      assert.deepEqual(await stops(), ['tab-deciles']);
      // The panel is labelled by its tab, and reached with Tab.
      const panel = await page.$eval('[role=tabpanel]', (p) => [p.id, p.getAttribute('aria-labelledby')]);
      assert.deepEqual(panel, ['panel-deciles', 'tab-deciles']);
      assert.equal(await page.getAttribute('[data-testid=tab-deciles]', 'aria-controls'), 'panel-deciles');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'panel-deciles', 'Tab goes from the tabs to the panel');
    });
  });

  test('every chart downloads as a PNG: the drawn chart under a heading with its title, the as-of date and the file', { timeout: TEST_TIMEOUT_MS }, async () => {
    await runOnApp(
      browser,
      server,
      'chart-png',
      async ({ page }) => {
        assert.equal(await uploadFile(page, sample.file), 'ready');
        const got = [];
        for (const tab of TABS) {
          await openTab(page, tab, { clvDone: FITTED });
          for (const id of await page.$$eval('button[data-testid$="-png"]', (bs) => bs.map((b) => b.dataset.testid))) {
            const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${id}"]`)]);
            const bytes = fs.readFileSync(await dl.path());
            assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${id}: a PNG`);
            const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
            assert.deepEqual([w, h], [1440, 840], `${id}: the 1440 × 720 chart under a 120 px heading`);
            assert.match(dl.suggestedFilename(), new RegExp(`^ltv-lens-${id.replace(/-png$/, '')}-\\d{4}-\\d{2}-\\d{2}\\.png$`));
            fs.writeFileSync(path.join(ROOT, 'tests', 'e2e', 'artifacts', `dashboard-${dl.suggestedFilename()}`), bytes);
            got.push(id);
          }
        }
        // Every canvas on every tab has its button.
        for (const id of ['decile-chart-png', 'cohort-ltv-chart-png', 'target-chart-png', 'trend-chart-png', 'mix-chart-png', 'survival-chart-png', 'clv-tracking-chart-png']) {
          assert.ok(got.includes(id), `${id} was downloaded (got ${got.join(', ')})`);
        }
      },
      { acceptDownloads: true },
    );
  });

  for (const [width, viewport] of Object.entries(WIDTHS)) {
    test(`axe-core: no serious or critical violation on the first screen and every tab, both languages (${width}, ${viewport.width} px)`, { timeout: TEST_TIMEOUT_MS }, async () => {
      await runOnApp(
        browser,
        server,
        `axe-${width}`,
        async ({ page }) => {
          const found = [];
          for (const lang of ['en', 'ja']) {
            await page.click(`[data-testid=lang-${lang}]`);
            if (lang === 'en') {
              for (const v of await axeViolations(page)) found.push(`first screen (${lang}): ${v}`);
              assert.equal(await uploadFile(page, sample.file), 'ready', await describePage(page));
            }
            for (const tab of TABS) {
              await openTab(page, tab, { clvDone: FITTED });
              for (const v of await axeViolations(page)) found.push(`${tab} (${lang}): ${v}`);
              if (width === 'phone') {
                const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
                if (overflow > 0) found.push(`${tab} (${lang}): the page is ${overflow} px wider than the ${viewport.width} px window`);
              }
              await screenshot(page, `dashboard-${width}-${lang}-${tab}.png`);
            }
          }
          assert.deepEqual(found, [], `${found.length} problem(s)`);
        },
        { viewport, bypassCSP: true },
      );
    });
  }

  test('the dark scheme follows the system: no serious or critical axe violation on the first screen and every tab', { timeout: TEST_TIMEOUT_MS }, async () => {
    await runOnApp(
      browser,
      server,
      'axe-dark',
      async ({ page }) => {
        await page.emulateMedia({ colorScheme: 'dark' });
        const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        const [r, g, b] = bg.match(/\d+/g).map(Number);
        assert.ok(r + g + b < 150, `a dark page background (${bg})`);
        const found = [];
        for (const v of await axeViolations(page)) found.push(`first screen: ${v}`);
        await screenshot(page, 'dashboard-dark-intro.png');
        assert.equal(await uploadFile(page, sample.file), 'ready');
        for (const lang of ['en', 'ja']) {
          await page.click(`[data-testid=lang-${lang}]`);
          for (const tab of TABS) {
            await openTab(page, tab, { clvDone: FITTED });
            for (const v of await axeViolations(page)) found.push(`${tab} (${lang}): ${v}`);
            if (lang === 'en') await screenshot(page, `dashboard-dark-${tab}.png`);
          }
        }
        assert.deepEqual(found, [], `${found.length} problem(s)`);
      },
      { bypassCSP: true },
    );
  });

  test('the overview comes first: each KPI, its previous period and its change equal the CLI, or say why not', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { json } = cliAnalyze(sample.file);
    const { json: withCpa } = cliAnalyze(sample.file, ['--cpa', '2500']);
    assert.ok(json && withCpa);
    /** The cards: key, and per column its data-value, data-missing and text. */
    const readKpis = (page) =>
      page.$$eval('[data-testid=kpi]', (cards) =>
        cards.map((c) => {
          const col = (name) => {
            const el = c.querySelector(`[data-col=${name}]`);
            return el ? { value: el.getAttribute('data-value'), missing: el.getAttribute('data-missing'), text: el.innerText.trim() } : null;
          };
          return { key: c.dataset.key, value: col('value'), previous: col('previous'), change: col('change'), text: c.innerText };
        }),
      );
    const compare = (cards, kpis, where) => {
      assert.deepEqual(cards.map((c) => c.key), kpis.map((k) => k.kpi), `${where}: the KPIs in order`);
      for (const [i, k] of kpis.entries()) {
        const c = cards[i];
        const at = `${where} ${k.kpi}`;
        if (k.value === null) {
          assert.equal(c.value.value, null, `${at}: no value`);
          assert.equal(c.value.missing, k.missing, `${at}: why no value`);
          assert.ok(c.value.text.length > 5, `${at}: the reason is written: ${c.value.text}`);
        } else {
          assert.equal(Number(c.value.value), k.value, `${at}: value`);
          assert.ok(/\d/.test(c.value.text), `${at}: the value is shown: ${c.value.text}`);
        }
        if (k.change === null) {
          assert.equal(c.change.missing, k.change_missing, `${at}: why no change`);
        } else {
          assert.equal(Number(c.change.value), k.change, `${at}: change`);
          assert.equal(Number(c.previous.value), k.previous, `${at}: previous`);
        }
      }
    };
    await runOnApp(browser, server, 'overview', async ({ page }) => {
      assert.equal(await uploadFile(page, sample.file), 'ready');
      assert.equal(await page.getAttribute('[data-testid=tab-overview]', 'aria-selected'), 'true', 'the overview is the first tab shown');
      const o = json.overview;
      assert.ok(o.kpis.filter((k) => k.change !== null).length >= 8, 'the sample has a previous period to compare with');
      for (const lang of ['en', 'ja']) {
        await page.click(`[data-testid=lang-${lang}]`);
        await page.waitForSelector(`html[lang=${lang}]`);
        compare(await readKpis(page), o.kpis, lang);
        // The same figures as a table (its CSV is the table's).
        const table = rowsByKey(await page.$eval('[data-testid=overview-as-table]', (d) => (d.open = true)).then(() => readTable(page, 'overview')));
        for (const k of o.kpis) {
          for (const col of ['value', 'previous', 'change']) {
            const cell = table[k.kpi].cells[col];
            assert.equal(cell.value === null ? null : Number(cell.value), k[col], `${lang} overview-table ${k.kpi} ${col}`);
          }
        }
        const period = await page.innerText('[data-testid=overview-period]');
        const [y, m, d] = o.from.split('-').map(Number);
        assert.ok(period.includes(lang === 'ja' ? `${y}年${m}月${d}日` : `${y}`), `${lang}: the period as the language writes dates: ${period}`);
        const cpa = (await readKpis(page)).find((c) => c.key === 'ltv_to_cpa');
        assert.match(cpa.value.text, lang === 'ja' ? /CPA/ : /Enter a CPA/, `${lang}: LTV ÷ CPA says a CPA is needed`);
        await page.setViewportSize({ width: 375, height: 800 });
        await screenshot(page, `dashboard-overview-${lang}-phone.png`);
        await page.setViewportSize({ width: 1280, height: 900 });
        await screenshot(page, `dashboard-overview-${lang}.png`);
      }
      // A CPA (set on the LTV tab) gives LTV ÷ CPA, as the CLI's --cpa.
      await page.click('[data-testid=tab-ltv]');
      await page.fill('[data-testid=ltv-cpa]', '2500');
      await page.dispatchEvent('[data-testid=ltv-cpa]', 'change');
      await page.click('[data-testid=tab-overview]');
      await page.waitForFunction(() => document.querySelector('[data-key=ltv_to_cpa] [data-col=value]')?.hasAttribute('data-value'));
      compare(await readKpis(page), withCpa.overview.kpis, 'with a CPA');
      // Each card opens its tab.
      await page.click('[data-testid=kpi-f2_rate-tab]');
      assert.equal(await page.getAttribute('[data-testid=tab-repeat]', 'aria-selected'), 'true', 'F2 opens the repeat tab');
    });
  });

  test('the printed report: the file, the as-of date, the settings, then every section in the tabs\' order, one per page; a PDF', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { json } = cliAnalyze(sample.file, ['--cpa', '2500', '--margin', '0.4']);
    assert.ok(json);
    for (const lang of ['en', 'ja']) {
      await runOnApp(browser, server, `print-${lang}`, async ({ page }) => {
        await page.goto(`${server.url}?lang=${lang}&cpa=2500&margin=0.4`);
        await page.waitForSelector('html[data-engine]', { state: 'attached' });
        assert.equal(await uploadFile(page, sample.file), 'ready');
        // The browser's dialog cannot be driven: count the calls instead.
        await page.evaluate(() => {
          window.__printed = 0;
          window.print = () => {
            window.__printed += 1;
          };
        });
        await page.click('[data-testid=print-report]');
        await page.waitForFunction(() => window.__printed === 1, null, { timeout: 120_000 });
        const sections = await page.$$eval('[data-testid=report-section]', (s) => s.map((x) => x.dataset.tab));
        assert.deepEqual(sections, TABS, 'every section, in the order of the tabs');
        // Each section shows data: a table with rows or a drawn chart (the
        // predicted LTV as fitted).
        for (const tab of TABS) {
          const shows = await page.$eval(`[data-testid=report-section][data-tab=${tab}]`, (s) =>
            s.querySelectorAll('tr[data-key], [data-testid=kpi]').length + s.querySelectorAll('canvas').length,
          );
          assert.ok(shows > 0, `${lang}: the ${tab} section shows data`);
        }
        assert.ok(await page.$('[data-testid=report-section][data-tab=clv] [data-testid=clv-fitted]'), `${lang}: the CLV fit ended before printing`);
        const head = await page.innerText('[data-testid=report-head]');
        assert.ok(head.includes('shop.csv'), `${lang}: the file name is in the heading`);
        const [y, m, d] = json.decile_window.as_of.split('-').map(Number);
        assert.ok(head.includes(lang === 'ja' ? `${y}年${m}月${d}日` : `${d} `), `${lang}: the as-of date: ${head}`);
        const settings = await page.innerText('[data-testid=report-settings]');
        assert.match(settings, /: 2500 \(cpa = 2500\)/, `${lang}: the CPA used, in words and by its link name: ${settings}`);
        assert.match(settings, /: 40\.0 \(margin = 0\.4\)/, `${lang}: the margin used, as the page asks for it (%): ${settings}`);
        assert.match(settings, lang === 'ja' ? /粗利率/ : /margin/i, `${lang}: in the page's words: ${settings}`);
        const ltv = json.overview.kpis.find((k) => k.kpi === 'ltv_to_cpa');
        const shown = await page.$eval('[data-testid=report-section][data-tab=overview] [data-key=ltv_to_cpa] [data-col=value]', (c) => Number(c.dataset.value));
        assert.equal(shown, ltv.value, `${lang}: the report's LTV ÷ CPA is the CLI's`);
        // On paper: no control, no tab bar; each section starts a page.
        await page.emulateMedia({ media: 'print' });
        for (const sel of ['[data-testid=print-report]', '[data-testid=report-back]', '[role=tablist]', '[data-testid=drop-zone]', '[data-testid=settings]']) {
          const el = await page.$(sel);
          assert.ok(!el || !(await el.isVisible()), `${lang}: ${sel} is not printed`);
        }
        const breaks = await page.$$eval('[data-testid=report-section]', (s) => s.map((x) => getComputedStyle(x).breakBefore));
        assert.deepEqual(breaks.slice(1), TABS.slice(1).map(() => 'page'), `${lang}: a page break before each section after the first`);
        await page.screenshot({ path: path.join(ARTIFACTS, `report-${lang}-print.png`), fullPage: true });
        const pdf = path.join(ARTIFACTS, `report-${lang}.pdf`);
        await page.pdf({ path: pdf, format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true });
        const bytes = fs.readFileSync(pdf);
        const pages = (bytes.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
        assert.ok(pages >= TABS.length, `${lang}: ${pages} pages for ${TABS.length} sections`);
        console.log(`# ${lang}: report PDF ${bytes.length} bytes, ${pages} pages`);
        // Printing ends (afterprint): the tabs come back.
        await page.emulateMedia({ media: 'screen' });
        await page.waitForSelector('[role=tabpanel]');
        assert.equal(await page.$('[data-testid=report]'), null, `${lang}: the report is gone after printing`);
        // "Back to the tabs" where the browser says nothing after its dialog.
        await page.click('[data-testid=print-report]');
        await page.waitForFunction(() => window.__printed === 2, null, { timeout: 120_000 });
        await page.click('[data-testid=report-back]');
        await page.waitForSelector('[role=tabpanel]');
        assert.equal(await page.$('[data-testid=report]'), null, `${lang}: the report is gone after "back"`);
      });
    }
  });

  test('the exact value under the pointer, on a tap and by keyboard equals the table beside the chart', { timeout: TEST_TIMEOUT_MS }, async () => {
    await runOnApp(browser, server, 'readout', async ({ page }) => {
      assert.equal(await uploadFile(page, sample.file), 'ready');
      await page.click('[data-testid=tab-deciles]');
      /** The page point over slot `i` of a chart, from the plot edges it reports. */
      const aim = async (testid, i) => {
        await page.waitForFunction((t) => document.querySelector(`[data-testid=${t}]`)?.dataset.plot, testid);
        const canvas = page.locator(`[data-testid=${testid}]`);
        await canvas.scrollIntoViewIfNeeded();
        const [left, right, n] = (await canvas.getAttribute('data-plot')).split(' ').map(Number);
        const width = await canvas.evaluate((c) => c.width);
        const box = await canvas.boundingBox();
        return { x: box.x + ((left + ((i + 0.5) * (right - left)) / n) * box.width) / width, y: box.y + box.height * 0.6, n };
      };
      const readout = async (testid, index) => {
        await page.waitForFunction(([t, i]) => document.querySelector(`[data-testid=${t}-readout]`)?.dataset.index === String(i), [testid, index]);
        return page.$eval(`[data-testid=${testid}-readout]`, (p) => ({
          values: [...p.querySelectorAll('[data-series]')].map((s) => Number(s.dataset.value)),
          text: p.innerText,
        }));
      };
      const deciles = rowsByKey(await readTable(page, 'decile'));
      const decile = (d) => [Number(deciles[`D${d}`].cells.share.value), Number(deciles[`D${d}`].cells.cumulative_share.value)];
      // Hover over D3.
      const d3 = await aim('decile-chart', 2);
      await page.mouse.move(d3.x, d3.y);
      let r = await readout('decile-chart', 2);
      assert.match(r.text, /^D3/);
      assert.deepEqual(r.values, decile(3), 'hover on D3: share and cumulative share as in the table');
      assert.ok(r.text.includes(deciles.D3.cells.share.text), `the share as the table writes it: ${r.text}`);
      // A tap (a touch pointer) on D7.
      const d7 = await aim('decile-chart', 6);
      await page.mouse.move(0, 0);
      await page.locator('[data-testid=decile-chart]').dispatchEvent('pointerdown', { clientX: d7.x, clientY: d7.y, pointerType: 'touch', bubbles: true });
      r = await readout('decile-chart', 6);
      assert.deepEqual(r.values, decile(7), 'tap on D7');
      // By keyboard: focus, End, ArrowLeft.
      await page.focus('[data-testid=decile-chart]');
      await page.keyboard.press('End');
      r = await readout('decile-chart', 9);
      assert.deepEqual(r.values, decile(10), 'End: D10');
      await page.keyboard.press('ArrowLeft');
      r = await readout('decile-chart', 8);
      assert.deepEqual(r.values, decile(9), 'ArrowLeft: D9');
      // A line chart: the returning share of a month, as in the table below it.
      await page.click('[data-testid=tab-repeat]');
      const mix = rowsByKey(await readTable(page, 'mix'));
      const at = await aim('mix-chart', 3);
      await page.mouse.move(at.x, at.y);
      r = await readout('mix-chart', 3);
      const month = r.text.split(' ')[0].trim();
      assert.ok(mix[month], `the readout names a month of the table: ${r.text}`);
      assert.equal(r.values[0], Number(mix[month].cells.returning_share.value), `returning share of ${month}`);
      // By keyboard on the survival curve: its last month, as in its table.
      await page.$eval('[data-testid=survival-as-table]', (d) => (d.open = true));
      const survival = await readTable(page, 'survival');
      await page.focus('[data-testid=survival-chart]');
      await page.keyboard.press('End');
      r = await readout('survival-chart', survival.length - 1);
      const last = survival[survival.length - 1];
      assert.ok(r.text.startsWith(last.key), `the readout names month ${last.key}: ${r.text}`);
      assert.equal(r.values[0], Number(last.cells.survival.value), 'survival at the last month');
      await screenshot(page, 'dashboard-readout.png');
    });
  });

  test('settings in the link: set, copy the link, open it fresh, drop the file: the same settings and the CLI\'s numbers', { timeout: TEST_TIMEOUT_MS }, async () => {
    let link;
    await runOnApp(browser, server, 'link-set', async ({ page }) => {
      assert.equal(await uploadFile(page, sample.file), 'ready');
      await page.click('[data-testid=settings] summary');
      await page.fill('[data-testid=as-of]', '2024-06-30');
      await page.dispatchEvent('[data-testid=as-of]', 'change');
      await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.dataset.state === 'ready');
      await page.click('[data-testid=tab-customers]');
      await page.fill('[data-testid=churn-risk-factor]', '2');
      await page.press('[data-testid=churn-risk-factor]', 'Enter');
      await page.dispatchEvent('[data-testid=churn-risk-factor]', 'change');
      await page.click('[data-testid=lang-ja]');
      await page.waitForTimeout(300);
      link = await page.inputValue('[data-testid=settings-link]');
      assert.match(link, /as-of=2024-06-30/);
      assert.match(link, /churn-risk-factor=2/);
      assert.match(link, /lang=ja/);
      assert.match(link, /tab=customers/);
      // The link is the page's address, and holds no data from the file.
      assert.equal(link, page.url(), 'the link is the address the page shows');
      const someCustomer = fs.readFileSync(sample.file, 'utf8').split('\n')[1].split(',')[1];
      assert.ok(someCustomer && !decodeURIComponent(link).includes(someCustomer), 'no customer in the link');
      assert.ok(!link.includes('shop.csv'), 'no file name in the link');
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
      await page.click('[data-testid=copy-link]');
      await page.waitForSelector('[data-testid=copy-status]:has-text("コピーしました")');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'the clipboard holds the link');
      await screenshot(page, 'dashboard-link.png');
      // Reset to defaults: the link keeps only the language and the tab.
      await page.click('[data-testid=reset-settings]');
      await page.waitForTimeout(300);
      const reset = new URL(await page.inputValue('[data-testid=settings-link]'));
      assert.deepEqual([...reset.searchParams.keys()], ['lang', 'tab'], `after reset: ${reset.search}`);
    });
    // A fresh page (another browser profile) opens the link and gets the file.
    const { json } = cliAnalyze(sample.file, ['--as-of', '2024-06-30', '--churn-risk-factor', '2']);
    assert.ok(json);
    await runOnApp(browser, server, 'link-open', async ({ page }) => {
      await page.goto(link);
      await page.waitForSelector('html[data-engine]', { state: 'attached' });
      assert.equal(await page.getAttribute('html', 'lang'), 'ja');
      assert.equal(await dropFile(page, sample.file), 'ready');
      assert.equal(await page.getAttribute('[data-testid=tab-customers]', 'aria-selected'), 'true', 'the tab came with the link');
      assert.equal(await page.inputValue('[data-testid=churn-risk-factor]'), '2');
      await page.click('[data-testid=settings] summary');
      assert.equal(await page.inputValue('[data-testid=as-of]'), '2024-06-30');
      await page.click('[data-testid=tab-customers]');
      const risk = Number(await page.$eval('[data-testid=churn-risk-summary-table] [data-key=customers] [data-col=value]', (c) => c.dataset.value));
      assert.equal(risk, json.churn_risk.customers, 'churn risk with the linked factor equals the CLI');
      await assertMatchesCli(page, json, 'opened from the link');
    });
  });
});
