// Peer: PapaParse streams the File (header: true, chunk callback), a
// JavaScript aggregation sums revenue per customer, then the deciles are
// rendered. ?worker=1 runs PapaParse's parser in its own worker (rows are
// posted back to this thread, where the aggregation runs); default is the
// main thread, the typical integration. ?step=1 uses the per-row step
// callback instead of chunk.
import { decilesOf, newAggregator, onFileChosen, renderDeciles, setStatus } from './common.js';

const params = new URLSearchParams(location.search);
const worker = params.get('worker') === '1';
const step = params.get('step') === '1';

onFileChosen(
  (file) =>
    new Promise((resolve, reject) => {
      const agg = newAggregator();
      let parseErrors = 0;
      const t0 = performance.now();
      const config = {
        header: true,
        skipEmptyLines: true,
        worker,
        complete: () => {
          try {
            const tParsed = performance.now();
            const rows = decilesOf(agg.spend);
            renderDeciles(rows);
            setStatus('ready', 'ready');
            window.__bench = {
              ...window.__bench,
              peer: `papaparse ${Papa.VERSION ?? ''}`.trim(),
              worker,
              parse_ms: tParsed - t0,
              deciles_ms: performance.now() - tParsed,
              rows: agg.rows,
              orders: agg.orders,
              excludedOrders: agg.excludedOrders,
              ordersWithoutCustomer: agg.ordersWithoutCustomer,
              customers: agg.spend.size,
              revenue: agg.revenue,
              parseErrors,
              deciles: rows,
            };
            resolve();
          } catch (e) {
            reject(e);
          }
        },
        error: (err) => reject(err),
      };
      if (step) {
        config.step = (results) => {
          if (results.errors.length) parseErrors += results.errors.length;
          agg.row(results.data);
        };
      } else {
        config.chunk = (results) => {
          if (results.errors.length) parseErrors += results.errors.length;
          const data = results.data;
          for (let i = 0; i < data.length; i++) agg.row(data[i]);
        };
      }
      Papa.parse(file, config);
    }),
);

setStatus('idle', 'choose a file');
