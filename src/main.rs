//! Entry point: installs the panic hook and mounts the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(ltv_lens_app::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ltv-lens-app is a web app: build it with `trunk build --release` (see README).");
}
