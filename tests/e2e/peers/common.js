// Shared by the peer pages of the in-browser benchmark (../bench.mjs):
// ltv-lens's default order rules for a Shopify-style export, the decile
// split, and the page's DOM contract (the same hooks as the app:
// [data-testid=status][data-state], table[data-testid=decile-table]
// tr[data-key=D1..D10] with [data-col][data-value] cells).
//
// Rules mirrored from crates/engine (ingest.rs, mapping.rs::status_class,
// decile.rs), documented in BENCHMARKS.md:
// - an order is a run of rows with the same `Name`; a row whose `Name` is
//   empty or equal to the previous row's continues the order above; the
//   order-level fields (Email, Financial Status, Total, Refunded Amount,
//   Cancelled at) are read from its first row (Shopify writes them there);
// - excluded: `Cancelled at` set, or a financial status that is cancelled,
//   voided, refunded (in full), failed or test (status words below);
//   an empty `Total` (missing amount) also excludes the order;
// - amount = Total - Refunded Amount (the engine subtracts refunds from
//   every order that is not excluded, i.e. partial refunds);
// - customer key = Email trimmed and lower-cased; orders without one count
//   in revenue but not in the deciles;
// - customers sorted by spend descending, ties by key ascending, cut into
//   10 groups of equal headcount, the first n % 10 groups one larger.
// Not mirrored: the 12-month decile window (the peers use the whole file;
// the bench compares them with `ltv-lens analyze --from FIRST --to LAST`),
// orders with a missing or invalid date, other currencies, amounts written
// with currency symbols beyond `¥ $ , 円`, non-consecutive rows of one order.

/** Status words, checked in this order like the engine's `status_class`. */
export const STATUS_WORDS = {
  test: ['test', 'テスト'],
  partiallyRefunded: ['partially refunded', 'partially_refunded', 'partial refund', '一部返金', '一部返品'],
  cancelled: ['cancel', 'キャンセル', '取消', '取り消'],
  voided: ['void'],
  refunded: ['refund', '返金', '返品', '返送', 'returned to seller', 'rejected by buyer', 'returning to seller'],
  failed: ['fail', '決済エラー', '与信エラー', 'エラー', '購入処理中', 'declined'],
};

/** True when an order with this status cell is left out by default. */
export function statusExcludes(cell) {
  if (!cell) return false;
  let l = cell.trim().toLowerCase();
  if (l.startsWith('wc-')) l = l.slice(3);
  if (l === '') return false;
  const has = (words) => words.some((w) => l.includes(w));
  if (has(STATUS_WORDS.test)) return true;
  if (has(STATUS_WORDS.partiallyRefunded)) return false;
  return has(STATUS_WORDS.cancelled) || has(STATUS_WORDS.voided) || has(STATUS_WORDS.refunded) || has(STATUS_WORDS.failed);
}

/** A money cell as a number; NaN when it is not one. */
export function parseAmount(cell) {
  if (cell === undefined || cell === null) return NaN;
  const s = cell.trim();
  if (s === '') return NaN;
  const n = Number(s);
  if (!Number.isNaN(n)) return n;
  return Number(s.replace(/[,¥$円\s]/g, ''));
}

/**
 * Per-customer revenue over a stream of row objects (header names as keys).
 * `row(r)` for every data row, then `spend` (Map key -> revenue) and counts.
 */
export function newAggregator() {
  const spend = new Map();
  let lastName = null;
  const agg = {
    spend,
    rows: 0,
    orders: 0,
    excludedOrders: 0,
    ordersWithoutCustomer: 0,
    revenue: 0,
    row(r) {
      agg.rows++;
      const name = r.Name;
      if (name === undefined || name === '' || name === lastName) return; // a further line item
      lastName = name;
      agg.orders++;
      const cancelledAt = r['Cancelled at'];
      const total = parseAmount(r.Total);
      if ((cancelledAt && cancelledAt.trim() !== '') || statusExcludes(r['Financial Status']) || Number.isNaN(total)) {
        agg.excludedOrders++;
        return;
      }
      const refunded = parseAmount(r['Refunded Amount']);
      const amount = Number.isNaN(refunded) ? total : total - refunded;
      agg.revenue += amount;
      const key = (r.Email || '').trim().toLowerCase();
      if (key === '') {
        agg.ordersWithoutCustomer++;
        return;
      }
      spend.set(key, (spend.get(key) || 0) + amount);
    },
  };
  return agg;
}

/**
 * The decile split of a Map key -> spend: 10 rows { decile, customers,
 * revenue, share, cumulative_share }, D1 the top.
 */
export function decilesOf(spend) {
  const arr = [...spend];
  arr.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const n = arr.length;
  const base = Math.floor(n / 10);
  const extra = n % 10;
  const rows = [];
  let i = 0;
  let total = 0;
  for (let d = 1; d <= 10; d++) {
    const size = base + (d <= extra ? 1 : 0);
    let revenue = 0;
    for (let k = 0; k < size; k++) revenue += arr[i++][1];
    total += revenue;
    rows.push({ decile: d, customers: size, revenue });
  }
  return withShares(rows, total);
}

/** Adds share and cumulative_share to 10 rows { decile, customers, revenue }. */
export function withShares(rows, total = rows.reduce((s, r) => s + r.revenue, 0)) {
  let cum = 0;
  return rows.map((r) => {
    cum += r.revenue;
    return { ...r, share: total ? r.revenue / total : 0, cumulative_share: total ? cum / total : 0 };
  });
}

// --- the page --------------------------------------------------------------

export const $ = (sel) => document.querySelector(sel);

export function setStatus(state, text = state) {
  const el = $('[data-testid=status]');
  el.setAttribute('data-state', state);
  el.textContent = text;
}

export function showError(err) {
  const msg = String(err && err.message ? err.message : err);
  window.__bench = { ...(window.__bench || {}), error: msg };
  $('[data-testid=error]').textContent = msg;
  setStatus('error', 'error');
}

/** Renders the 10-row decile table (text nodes only). */
export function renderDeciles(rows) {
  const table = $('table[data-testid=decile-table]');
  const tbody = table.tBodies[0] || table.appendChild(document.createElement('tbody'));
  tbody.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.setAttribute('data-key', `D${r.decile}`);
    const cell = (col, value, text) => {
      const td = document.createElement('td');
      if (col) {
        td.setAttribute('data-col', col);
        td.setAttribute('data-value', String(value));
      }
      td.textContent = text;
      tr.appendChild(td);
    };
    cell(null, null, `D${r.decile}`);
    cell('customers', r.customers, r.customers.toLocaleString('en-US'));
    cell('revenue', r.revenue, r.revenue.toLocaleString('en-US'));
    cell('share', r.share, `${(r.share * 100).toFixed(1)} %`);
    cell('cumulative_share', r.cumulative_share, `${(r.cumulative_share * 100).toFixed(1)} %`);
    tbody.appendChild(tr);
  }
}

/** Calls `onFile(file)` when a file is chosen in input[data-testid=file-input]. */
export function onFileChosen(onFile) {
  const input = $('input[type=file][data-testid=file-input]');
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    if (!file) return;
    window.__bench = { ...(window.__bench || {}), fileChosenAt: performance.now(), bytes: file.size };
    setStatus('loading', 'loading');
    $('table[data-testid=decile-table] tbody')?.replaceChildren();
    Promise.resolve()
      .then(() => onFile(file))
      .catch(showError);
  });
}
