//! # ltv-lens engine
//!
//! Customer analytics for online shops' order exports, with no idea that a
//! browser exists: the web app and the `ltv-lens` CLI are thin glue over it,
//! so both give the same figures for the same bytes.
//!
//! The pipeline, each stage with a typed outcome:
//! raw bytes → [`ingest`] (encoding, delimiter, header, [`mapping`]) →
//! [`store::Dataset`] (orders as integers, customers interned) → analyses
//! ([`decile`]) → [`report::Report`] (the JSON contract).
//!
//! ```
//! use ltv_engine::{ingest, report};
//! let csv = "Email,Order Date,Total\na@x.jp,2024-01-05,\"1,200\"\nb@x.jp,2024/2/1,¥800\nA@X.jp ,20240301,300\n";
//! let data = ingest::read_all(csv.as_bytes(), Default::default()).unwrap(); // ok-panic: doc example
//! let r = report::analyze(&data, &Default::default()).unwrap(); // ok-panic: doc example
//! assert_eq!(r.summary.customers, 2); // a@x.jp and A@X.jp are one customer
//! assert_eq!(r.deciles[0].revenue, 1500.0);
//! ```
//!
//! Money is kept in integer minor units of the file's currency; the engine
//! returns errors, never panics, on any bytes.

pub mod date;
pub mod decile;
pub mod error;
pub mod ingest;
pub mod mapping;
pub mod money;
pub mod report;
pub mod sample;
pub mod store;

pub use error::{Error, ErrorKind};
