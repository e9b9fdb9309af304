// End-to-end test of hostile text (issue #13): product names, e-mails,
// headers and the file's own name carrying HTML, script, `javascript:`
// URLs, bidi overrides, formulas and very long strings are shown as inert
// text on every tab, in both languages, and written as inert text into a
// downloaded list.
//
//   node --test tests/e2e/hostile.test.mjs   (scripts/test.sh runs it)

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, DIST, TABS, cliAnalyze, closeAll, openTab, describePage, launchBrowser, runOnApp, screenshot, startServer, uploadFile } from './helpers.mjs';

const TEST_TIMEOUT_MS = 300_000;

// Each would do something if it were markup or a link: set a flag, run a
// script, open a dialog.
const LONG = 'L'.repeat(20_000);
const HOSTILE = {
  img: '<img src=x onerror="window.__pwned=1">',
  script: '<script>window.__pwned=2</script>',
  svg: '<svg onload="window.__pwned=3"><b>bold</b></svg>',
  link: 'javascript:window.__pwned=4',
  closeCell: '</td></tr></table><h1 id="injected">x</h1>',
  bidi: 'gift\u202Egnp.exe',
  formula: '=HYPERLINK("https://evil.invalid","click")',
  long: LONG,
};
const EMAILS = [
  '"<img src=x onerror=window.__pwned=5>"@example.com',
  'javascript:alert(1)@example.com',
  '\u202Emoc.elpmaxe@eve',
  '=cmd|" /C calc"!A0@example.com',
];

let server;
let browser;
let tmp;
let file;
let json;

/** A Shopify export whose names, e-mails and one extra header are hostile. */
function hostileCsv() {
  const q = (s) => `"${String(s).replace(/"/g, '""')}"`;
  // Shopify's columns (the continuation rows of an order are read as its
  // lines), and one more whose header is markup.
  const header = [
    'Name', 'Email', 'Financial Status', 'Paid at', 'Currency', 'Subtotal', 'Shipping', 'Taxes', 'Total',
    'Discount Code', 'Discount Amount', 'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price',
    'Lineitem sku', 'Billing Name', 'Notes', 'Refunded Amount', 'Id', 'Cancelled at', 'Phone', HOSTILE.img,
  ];
  const row = (cells) => header.map((h) => q(cells[h] ?? '')).join(',');
  const names = Object.values(HOSTILE);
  const lines = [header.map(q).join(',')];
  let order = 1000;
  // The hostile e-mails and twenty plain ones, so that products pair up
  // often enough for the cross-sell table.
  const customers = [...EMAILS, ...Array.from({ length: 20 }, (_, i) => `c${i}@example.com`)];
  for (let month = 1; month <= 12; month++) {
    customers.forEach((email, i) => {
      if ((month + i) % 3 === 0) return;
      order += 1;
      const a = names[(month + i) % names.length];
      const b = names[(month + i + 3) % names.length];
      const d = `2024-${String(month).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00 +0900`;
      lines.push(row({
        Name: `#${order}`, Email: email, 'Financial Status': 'paid', 'Paid at': d, Currency: 'JPY',
        Subtotal: '3000', Shipping: '0', Taxes: '0', Total: '3000', 'Discount Amount': '0', 'Created at': d,
        'Lineitem quantity': '1', 'Lineitem name': a, 'Lineitem price': '1000', 'Lineitem sku': HOSTILE.closeCell,
        'Billing Name': HOSTILE.bidi, Notes: HOSTILE.script, 'Refunded Amount': '0', Id: String(order),
        [HOSTILE.img]: HOSTILE.link,
      }));
      lines.push(row({ Name: `#${order}`, 'Lineitem quantity': '2', 'Lineitem name': b, 'Lineitem price': '1000', 'Lineitem sku': HOSTILE.svg }));
    });
  }
  return lines.join('\r\n') + '\r\n';
}

before(async () => {
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html is missing: run \`trunk build --release\` first`);
  assert.ok(fs.existsSync(CLI), `${CLI} is missing`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ltv-hostile-'));
  // The file's own name is hostile too (a bidi override and markup).
  file = path.join(tmp, '<img src=x onerror=window.__pwned=9>\u202Evsc.orders.csv');
  fs.writeFileSync(file, hostileCsv());
  json = cliAnalyze(file).json;
  assert.ok(json, 'the CLI reads the hostile file');
  server = await startServer(DIST);
  browser = await launchBrowser();
});

after(() => closeAll({ browser, server, tmp }));

/** What markup the page would have if any text had become markup. */
async function injected(page) {
  return page.evaluate(() => {
    const found = [];
    if (window.__pwned !== undefined) found.push(`window.__pwned = ${window.__pwned}`);
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.getAttributeNames()) {
        if (/^on/i.test(a)) found.push(`<${el.localName} ${a}>`);
      }
      const href = el.getAttribute('href');
      if (href && /^\s*javascript:/i.test(href)) found.push(`<${el.localName} href=${href}>`);
    }
    for (const s of document.querySelectorAll('script:not([src]), svg, iframe, object, embed, #injected, img[src=x]')) {
      if (s.localName === 'script' && s.type === 'application/octet-stream') continue;
      found.push(`<${s.localName}${s.id ? `#${s.id}` : ''}>`);
    }
    return found;
  });
}

describe('hostile text', () => {
  for (const lang of ['en', 'ja']) {
    test(`is inert on every tab, in the file name and in a downloaded list (${lang})`, { timeout: TEST_TIMEOUT_MS }, async () => {
      await runOnApp(
        browser,
        server,
        `hostile-${lang}`,
        async ({ page, rec }) => {
          const dialogs = [];
          page.on('dialog', (d) => {
            dialogs.push(d.message());
            d.dismiss().catch(() => {});
          });
          await page.goto(`${server.url}?lang=${lang}`);
          await page.waitForSelector('html[data-engine]', { state: 'attached' });
          await page.waitForSelector('html[data-offline=ready]', { state: 'attached' });
          const loaded = rec.requests.length;
          assert.equal(await uploadFile(page, file), 'ready', await describePage(page));
          // The file name is shown as text, isolated from the words around it.
          const status = page.locator('[data-testid=status] bdi');
          assert.equal(await status.innerText(), path.basename(file), 'the file name, as text');
          for (const tab of TABS) {
            await openTab(page, tab);
            assert.deepEqual(await injected(page), [], `markup from the file on the ${tab} tab`);
            // Nothing is cut off or pushes the page sideways, long names included.
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            assert.ok(overflow <= 0, `the ${tab} tab is ${overflow} px wider than the window`);
            // A table of names fits its box: a long name wraps and is
            // clipped, the numbers beside it stay in sight.
            const wide = await page.$$eval('table.data', (tables) =>
              tables
                .filter((t) => t.querySelector('td.text') && t.offsetParent)
                .filter((t) => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
                .map((t) => `${t.dataset.testid}: ${Math.round(t.getBoundingClientRect().width)} px in ${t.parentElement.clientWidth} px`),
            );
            assert.deepEqual(wide, [], `tables of names wider than their box on the ${tab} tab`);
            await screenshot(page, `hostile-${lang}-${tab}.png`);
          }
          // The names are there, as the text they are.
          await page.click('[data-testid=tab-products]');
          const products = await page.locator('main').innerText();
          assert.ok((await page.locator('[data-testid=cross-sell-table] tr[data-key]').count()) > 0, 'the cross-sell table has pairs');
          for (const s of [HOSTILE.img, HOSTILE.svg, HOSTILE.link, HOSTILE.closeCell]) {
            assert.ok(products.includes(s), `the products tab shows ${JSON.stringify(s)} as text`);
          }
          await page.click('[data-testid=tab-customers]');
          const customers = await page.locator('main').innerText();
          assert.ok(
            EMAILS.some((e) => customers.includes(e)),
            'the customers tab shows a hostile e-mail as text',
          );
          // A downloaded list: the names as text, formulas neutralised.
          const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid="export-all"]')]);
          const text = fs.readFileSync(await dl.path(), 'utf8').replace(/^\uFEFF/, '');
          assert.ok(!/(^|[,\r\n])"?[=+\-@]/.test(text.replace(/^.*\r?\n/, '')), 'a cell of the list starts with = + - @ (a formula)');
          assert.ok(text.includes(`'=cmd|`), 'the formula-like e-mail is written with a leading apostrophe');
          assert.deepEqual(dialogs, [], 'dialogs opened');
          // Reading, every tab, the CLV fit and the download asked for nothing.
          const requests = rec.requests.slice(loaded).filter((r) => !r.url.startsWith('blob:') && !r.url.startsWith('data:'));
          assert.deepEqual(requests.map((r) => `${r.method} ${r.url}`), [], 'requests after the page loaded');
          assert.deepEqual(await injected(page), [], 'markup after the download');
          // The app's numbers are the CLI's, hostile names or not.
          const revenue = await page.$eval('[data-testid=summary-table] [data-key=revenue] [data-col=value]', (c) => c.getAttribute('data-value')).catch(() => null);
          if (revenue !== null) assert.equal(Number(revenue), json.summary.revenue, 'revenue equals the CLI');
        },
        { acceptDownloads: true },
      );
    });
  }
});
