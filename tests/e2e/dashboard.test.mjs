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
  CLI,
  TABS,
  openTab,
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
      assert.deepEqual(await stops(), ['tab-deciles'], 'only the chosen tab is a tab stop');
      await page.focus('[data-testid=tab-deciles]');
      await page.keyboard.press('ArrowRight');
      assert.equal(await selected(), 'tab-cohorts');
      assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'tab-cohorts', 'focus follows');
      await page.keyboard.press('End');
      assert.equal(await selected(), 'tab-summary');
      await page.keyboard.press('ArrowRight');
      assert.equal(await selected(), 'tab-deciles', 'the arrows wrap around');
      await page.keyboard.press('ArrowLeft');
      assert.equal(await selected(), 'tab-summary');
      await page.keyboard.press('Home');
      assert.equal(await selected(), 'tab-deciles');
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
