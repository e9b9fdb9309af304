// The engine's Web Worker: the page (boot.js) first sends the compiled
// wasm module and the port to the file reader worker; every later message
// is a request handled by the Rust `worker_main` (src/worker.rs), which
// replaces this handler.
import init, { worker_main } from './ltv-lens-app.js';

self.onmessage = async (event) => {
  self.onmessage = null;
  const { module, readerPort } = event.data;
  await init({ module_or_path: module });
  worker_main(readerPort);
};
