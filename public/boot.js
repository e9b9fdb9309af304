// Loads the app. A static file (not an inline script) so that the
// Content-Security-Policy can forbid inline scripts.
//
// The wasm module is compiled once. The page instantiates it for the UI;
// a dedicated Web Worker (worker.js) instantiates the same module for the
// engine, so reading and analysing a file never blocks the page; a third
// (reader.js) reads the file's slices for it, and a fourth, the helper
// (worker.js again), reads the second half of a large file on another
// core. All start here, while the page loads: after that the app requests
// nothing.
import init, { page_main } from './ltv-lens-app.js';

// The offline copy (sw.js): registered while the page loads, so the copy
// of the app's own files is made right away; `data-offline="ready"` on
// <html> once it is. A later release replaces it; the page then says so.
offlineCopy();

function offlineCopy() {
  const sw = navigator.serviceWorker;
  if (!sw || !/^https?:$/.test(location.protocol)) return;
  const hadController = Boolean(sw.controller);
  sw.addEventListener('controllerchange', () => {
    if (hadController) updateReady();
  });
  sw.register(new URL('./sw.js', import.meta.url), { scope: './' })
    .then(() => sw.ready)
    .then(() => document.documentElement.setAttribute('data-offline', 'ready'))
    .catch((e) => console.warn('ltv-lens: no offline copy', e));
}

// A new release was installed while this page was open: say so, in the
// page's language, with a button that reloads.
function updateReady() {
  if (document.querySelector('[data-testid=update-ready]')) return;
  const ja = document.documentElement.lang === 'ja';
  const box = document.createElement('div');
  box.className = 'update-ready';
  box.setAttribute('role', 'status');
  box.setAttribute('data-testid', 'update-ready');
  box.append(ja ? '新しい版の ltv-lens が使えます。 ' : 'A new version of ltv-lens is ready. ');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button';
  button.textContent = ja ? '再読み込み' : 'Reload';
  button.addEventListener('click', () => location.reload());
  box.append(button);
  document.body.prepend(box);
}

const module = await compileWasm(new URL('./ltv-lens-app_bg.wasm', import.meta.url));

// compileStreaming needs the server to say `Content-Type: application/wasm`;
// an intranet server that does not know .wasm still serves the bytes.
async function compileWasm(url) {
  const response = await fetch(url);
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    console.warn('ltv-lens: the server sends the wasm without its type (application/wasm); compiling it from its bytes');
    return WebAssembly.compile(await response.arrayBuffer());
  }
}
function engineWorker(name) {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name });
}

// The engine worker, handed to the app once it is instantiated.
let worker;
try {
  worker = engineWorker('ltv-lens-engine');
  // The reader worker serves each engine worker on a port of its own.
  let reader = null;
  try {
    reader = new Worker(new URL('./reader.js', import.meta.url), { name: 'ltv-lens-reader' });
  } catch (e) {
    console.warn('ltv-lens: no reader worker, the engine reads the file itself', e);
  }
  const readerPort = () => {
    if (!reader) return undefined;
    const channel = new MessageChannel();
    reader.postMessage(channel.port2, [channel.port2]);
    return channel.port1;
  };
  // The helper: a second engine worker for the second half of a large
  // file, joined to the engine by a channel. Started now, with the page,
  // since a worker started later would fetch its script after load.
  let peerPort;
  if ((navigator.hardwareConcurrency || 1) >= 2) {
    try {
      const helper = engineWorker('ltv-lens-helper');
      const peer = new MessageChannel();
      const port = readerPort();
      helper.postMessage(
        { module, role: 'helper', readerPort: port, peerPort: peer.port2 },
        [port, peer.port2].filter(Boolean),
      );
      peerPort = peer.port1;
    } catch (e) {
      console.warn('ltv-lens: no helper worker, files are read on one core', e);
    }
  }
  const port = readerPort();
  worker.postMessage({ module, role: 'engine', readerPort: port, peerPort }, [port, peerPort].filter(Boolean));
} catch (e) {
  worker = undefined;
  // Without workers the engine runs in the page (slower for big files).
  console.warn('ltv-lens: no Web Worker, the engine runs in the page', e);
}
await init({ module_or_path: module });
page_main(worker);
