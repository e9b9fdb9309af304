// An engine Web Worker: the page (boot.js) first sends the compiled wasm
// module, the role, the port to the file reader worker and the port to the
// other engine worker; every later message is handled by Rust. The engine
// (`worker_main`, src/worker/engine.rs) answers the page; the helper
// (`helper_main`, src/worker/helper.rs) reads the second half of a large
// file for the engine on another core.
import init, { worker_main, helper_main } from './ltv-lens-app.js';

self.onmessage = async (event) => {
  self.onmessage = null;
  const { module, role, readerPort, peerPort } = event.data;
  if (role === 'helper') {
    // If this worker dies (out of memory), the engine reads whole files
    // itself instead of waiting for a second half: `PeerMsg::Died` in
    // src/protocol.rs, as [json, extra].
    self.addEventListener('error', () =>
      peerPort.postMessage([JSON.stringify({ type: 'died' }), undefined]),
    );
    await init({ module_or_path: module });
    helper_main(readerPort, peerPort);
    return;
  }
  await init({ module_or_path: module });
  worker_main(readerPort, peerPort);
};
