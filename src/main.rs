//! Entry point: installs the panic hook and mounts the app. The same wasm
//! module also runs in the engine's Web Worker, where there is no page to
//! mount: there `public/worker.js` calls `worker_main` instead.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::JsCast;
    console_error_panic_hook::set_once();
    if js_sys::global().dyn_ref::<web_sys::Window>().is_some() {
        leptos::mount::mount_to_body(ltv_lens_app::app::App);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ltv-lens-app is a web app: build it with `trunk build --release` (see README).");
}
