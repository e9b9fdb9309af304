// The engine's Web Worker: the page (boot.js) sends the compiled wasm
// module first; every later message is a request handled by the Rust
// `worker_main` (src/worker.rs), which replaces this handler.
import init, { worker_main } from './ltv-lens-app.js';

self.onmessage = async (event) => {
  self.onmessage = null;
  await init({ module_or_path: event.data });
  worker_main();
};
