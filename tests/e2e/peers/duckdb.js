// Peer: DuckDB-WASM. At page load the database is instantiated from the
// local bundles (duckdb.selectBundle picks eh or mvp; the worker script and
// the .wasm come from this server). When a file is chosen it is registered
// as a file handle (BROWSER_FILEREADER: the worker reads slices of the File
// on demand), read with read_csv and the deciles computed by one SQL query
// that mirrors the rules of common.js; then the table is rendered.
import * as duckdb from '../node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';
import { STATUS_WORDS, onFileChosen, renderDeciles, setStatus, showError, withShares } from './common.js';

const DIST = new URL('../node_modules/@duckdb/duckdb-wasm/dist/', import.meta.url).href;
const BUNDLES = {
  mvp: { mainModule: `${DIST}duckdb-mvp.wasm`, mainWorker: `${DIST}duckdb-browser-mvp.worker.js` },
  eh: { mainModule: `${DIST}duckdb-eh.wasm`, mainWorker: `${DIST}duckdb-browser-eh.worker.js` },
};

const sql = (s) => `'${s.replace(/'/g, "''")}'`;
const anyWord = (col, words) => words.map((w) => `contains(${col}, ${sql(w)})`).join(' OR ');

/** The decile query over the registered file `name` (see common.js for the rules). */
export function decileQuery(name) {
  const s = `regexp_replace(lower(trim(status)), '^wc-', '')`;
  const excludedByStatus = `CASE
      WHEN status IS NULL THEN false
      WHEN ${anyWord('st', STATUS_WORDS.test)} THEN true
      WHEN ${anyWord('st', STATUS_WORDS.partiallyRefunded)} THEN false
      ELSE ${anyWord('st', [...STATUS_WORDS.cancelled, ...STATUS_WORDS.voided, ...STATUS_WORDS.refunded, ...STATUS_WORDS.failed])}
    END`;
  const money = (c) => `coalesce(TRY_CAST(${c} AS DOUBLE), TRY_CAST(regexp_replace(${c}, '[,¥$円[:space:]]', '', 'g') AS DOUBLE))`;
  return `
WITH lines AS (
  SELECT "Name" AS name,
         NULLIF(trim("Email"), '') AS email,
         NULLIF(trim("Financial Status"), '') AS status,
         NULLIF(trim("Total"), '') AS total,
         NULLIF(trim("Refunded Amount"), '') AS refunded,
         NULLIF(trim("Cancelled at"), '') AS cancelled_at
  FROM read_csv(${sql(name)}, header = true, delim = ',', quote = '"', escape = '"', all_varchar = true)
  WHERE NULLIF("Name", '') IS NOT NULL
),
orders AS (
  SELECT name,
         lower(any_value(email)) AS email,
         any_value(status) AS status,
         any_value(total) AS total_cell,
         any_value(refunded) AS refunded_cell,
         count(cancelled_at) > 0 AS cancelled
  FROM lines GROUP BY name
),
kept AS (
  SELECT email, total - coalesce(refunded, 0) AS amount
  FROM (SELECT email, status, cancelled, ${s} AS st,
               ${money('total_cell')} AS total, ${money('refunded_cell')} AS refunded
        FROM orders)
  WHERE NOT cancelled AND total IS NOT NULL AND NOT (${excludedByStatus})
),
customers AS (
  SELECT email, sum(amount) AS spend FROM kept WHERE email IS NOT NULL GROUP BY email
),
ranked AS (
  SELECT spend, ntile(10) OVER (ORDER BY spend DESC, email ASC) AS decile FROM customers
)
SELECT decile::INTEGER AS decile, count(*)::BIGINT AS customers, sum(spend)::DOUBLE AS revenue
FROM ranked GROUP BY decile ORDER BY decile`;
}

const t0 = performance.now();
let db;
let conn;
try {
  const bundle = await duckdb.selectBundle(BUNDLES);
  const worker = new Worker(bundle.mainWorker);
  db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  conn = await db.connect();
  window.__bench = {
    peer: `duckdb-wasm ${await db.getVersion()}`,
    bundle: bundle.mainModule.split('/').pop(),
    startup_ms: performance.now() - t0,
    startup_since_navigation_ms: performance.now(),
  };
  setStatus('idle', 'choose a file');
} catch (e) {
  showError(e);
}

let n = 0;
onFileChosen(async (file) => {
  const name = `input-${++n}.csv`;
  const tStart = performance.now();
  await db.registerFileHandle(name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  const tQuery = performance.now();
  const table = await conn.query(decileQuery(name));
  const tDone = performance.now();
  const rows = table.toArray().map((r) => ({
    decile: Number(r.decile),
    customers: Number(r.customers),
    revenue: Number(r.revenue),
  }));
  for (let d = 1; d <= 10; d++) {
    if (!rows.find((r) => r.decile === d)) rows.push({ decile: d, customers: 0, revenue: 0 });
  }
  rows.sort((a, b) => a.decile - b.decile);
  const deciles = withShares(rows);
  renderDeciles(deciles);
  setStatus('ready', 'ready');
  window.__bench = {
    ...window.__bench,
    register_ms: tQuery - tStart,
    query_ms: tDone - tQuery,
    customers: rows.reduce((s, r) => s + r.customers, 0),
    deciles,
  };
  await db.dropFile(name).catch(() => {});
});
