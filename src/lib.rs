//! # ltv-lens web app
//!
//! A thin leptos (client-side rendered) shell over the `ltv_engine` crate:
//! state, components and one view per analysis, no arithmetic. The pure
//! parts ([`i18n`], [`format`], the messages in [`protocol`], the page's
//! state machine in [`session`], the app's [`error`]s) build and test
//! natively; the components and the workers exist only for `wasm32`.

pub mod error;
pub mod format;
pub mod i18n;
pub mod lists;
pub mod protocol;
pub mod session;

#[cfg(target_arch = "wasm32")]
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub mod app;

/// What the binary's `main` does in the page and in every worker: installs
/// the panic hook. (`main` calling it also links this library into the
/// binary, with its exports `page_main`, `worker_main` and `helper_main`.)
#[cfg(target_arch = "wasm32")]
pub fn start() {
    console_error_panic_hook::set_once();
}
