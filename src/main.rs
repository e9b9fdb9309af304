//! Entry point: installs the panic hook. The same wasm module runs in the
//! page and in the engine's Web Workers; `public/boot.js` then calls
//! `page_main` with the engine worker (mounting the app), and
//! `public/worker.js` calls `worker_main` or `helper_main`.

#[cfg(target_arch = "wasm32")]
fn main() {
    ltv_lens_app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ltv-lens-app is a web app: build it with `trunk build --release` (see README).");
}
