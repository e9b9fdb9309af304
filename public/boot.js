// Loads the app. A static file (not an inline script) so that the
// Content-Security-Policy can forbid inline scripts.
//
// The wasm module is compiled once. The page instantiates it for the UI;
// a dedicated Web Worker (worker.js) instantiates the same module for the
// engine, so reading and analysing a file never blocks the page; a third
// (reader.js) reads the file's slices for it. (For a large file the engine
// starts a helper worker of its own, from the same script and module, for
// the second half.) All start here, while the page loads: after that the
// app requests nothing.
import init from './ltv-lens-app.js';

const module = await WebAssembly.compileStreaming(
  fetch(new URL('./ltv-lens-app_bg.wasm', import.meta.url)),
);
try {
  const worker = new Worker(new URL('./worker.js', import.meta.url), {
    type: 'module',
    name: 'ltv-lens-engine',
  });
  // A second worker reads the file's slices, so the engine only parses.
  let readerPort;
  try {
    const reader = new Worker(new URL('./reader.js', import.meta.url), { name: 'ltv-lens-reader' });
    const channel = new MessageChannel();
    reader.postMessage(channel.port2, [channel.port2]);
    readerPort = channel.port1;
  } catch (e) {
    console.warn('ltv-lens: no reader worker, the engine reads the file itself', e);
  }
  worker.postMessage({ module, readerPort }, readerPort ? [readerPort] : []);
  globalThis.ltvLensWorker = worker;
} catch (e) {
  // Without workers the engine runs in the page (slower for big files).
  console.warn('ltv-lens: no Web Worker, the engine runs in the page', e);
}
await init({ module_or_path: module });
