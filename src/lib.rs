//! # ltv-lens web app
//!
//! A thin leptos (client-side rendered) shell over the `ltv_engine` crate:
//! state, components and one view per analysis, no arithmetic. The pure
//! parts ([`i18n`], [`format`]) build and test natively; the components
//! exist only for `wasm32`.

pub mod format;
pub mod i18n;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub mod app;
