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
pub mod protocol;
pub mod session;

#[cfg(target_arch = "wasm32")]
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub mod app;
