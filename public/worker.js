// An engine Web Worker. The page (boot.js) first sends the compiled wasm
// module and the port to the file reader worker; every later message is a
// request handled by the Rust `worker_main` (src/worker.rs).
//
// For a large file the engine starts a helper: a second engine worker
// (this script again, nested, role 'helper', running `helper_main` in
// src/parts.rs) that reads the second half on another core, hands it over
// and is terminated, so its memory is gone before the engine's own peak.
import init, { worker_main, helper_main } from './ltv-lens-app.js';

self.onmessage = async (event) => {
  self.onmessage = null;
  const { module, role, readerPort, peerPort } = event.data;
  if (role === 'helper') {
    // If this worker dies (out of memory), the engine reads the whole
    // file itself instead of waiting for its second half.
    self.addEventListener('error', () => peerPort.postMessage(['"Died"', undefined]));
    await init({ module_or_path: module });
    helper_main(readerPort, peerPort);
    return;
  }
  // Called by the engine (src/parts.rs): [worker, port to it].
  self.ltvSpawnHelper = () => {
    const helper = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'ltv-lens-helper' });
    const peer = new MessageChannel();
    let helperReader;
    if (readerPort) {
      // The reader worker serves the helper on a port of its own.
      const channel = new MessageChannel();
      readerPort.postMessage({ type: 'serve', port: channel.port2 }, [channel.port2]);
      helperReader = channel.port1;
    }
    helper.postMessage(
      { module, role: 'helper', readerPort: helperReader, peerPort: peer.port2 },
      helperReader ? [helperReader, peer.port2] : [peer.port2],
    );
    return [helper, peer.port1];
  };
  await init({ module_or_path: module });
  worker_main(readerPort);
};
