//! # ltv-lens engine
//!
//! Customer analytics for online shops' order exports, with no idea that a
//! browser exists: the web app and the `ltv-lens` CLI are thin glue over it,
//! so both give the same figures for the same bytes.
//!
//! The pipeline, each stage with a typed outcome:
//! raw bytes → [`ingest`] (encoding, delimiter, header, [`mapping`]) →
//! [`store::Dataset`] (orders as integers, customers interned) → analyses
//! → [`report::Report`] (the JSON contract).
//!
//! The analyses, one module each with its formulas in the module doc:
//! - [`decile`]: decile analysis (デシル分析) of a window;
//! - [`trend`]: monthly decile trend (月次デシル推移) and the +2% rule;
//! - [`cohort`]: acquisition cohorts (コホート分析), retention and revenue;
//! - [`ltv`]: 12-month LTV (年間LTV) = AOV (顧客単価) × orders per customer
//!   (平均利用回数), profit LTV, LTV ÷ CPA and the payback month;
//! - [`targets`]: LTV targets (LTV目標), compound and linear, actual against
//!   target by month;
//! - [`tenure`]: tenure (在籍期間), plain mean and Kaplan–Meier restricted mean;
//! - [`repeat`]: F2 conversion (F2転換率), order-count flow (継続率), repeat
//!   rate (リピート率), returning/new share (リピーター率);
//! - [`rfm`]: RFM scores (RFM分析) and the R × F segment grid;
//! - [`cpm`]: CPM segments (初回 / よちよち / コツコツ / 流行 / 優良, active or
//!   離脱) and their monthly moves (引き上げ, 離脱, 復帰);
//! - [`ranks`]: customer ranks (高LTV / 潜在LTV / 一般) and churn risk
//!   (離脱予兆);
//! - [`customers`]: the per-customer list and its exports by segment, rank
//!   or churn risk;
//! - [`crosssell`]: cross-sell (併売分析) pairs with support, confidence and
//!   lift, same order or same customer; [`firstproduct`]: entry products
//!   (初回購入商品) with their F2 rate and 12-month LTV;
//! - [`clv`]: predictive CLV (予測LTV): BG/NBD, Pareto/NBD and Gamma-Gamma
//!   fits, P(alive), expected orders and discounted CLV per customer.
//!
//! They share [`history::History`] (each customer's first, second and last
//! order as of the as-of date) and [`calendar`] (months, weeks, quarters).
//!
//! ```
//! use ltv_engine::{ingest, report};
//! let csv = "Email,Order Date,Total\na@x.jp,2024-01-05,\"1,200\"\nb@x.jp,2024/2/1,¥800\nA@X.jp ,20240301,300\n";
//! let data = ingest::read_all(csv.as_bytes(), Default::default()).unwrap(); // ok-panic: doc example
//! let r = report::analyze(&data, &Default::default()).unwrap(); // ok-panic: doc example
//! assert_eq!(r.summary.customers, 2); // a@x.jp and A@X.jp are one customer
//! assert_eq!(r.deciles[0].revenue.major(), 1500.0);
//! ```
//!
//! Money is kept in integer minor units of the file's currency, and the
//! report shows it in major units ([`money::Money`]); the engine
//! returns errors, never panics, on any bytes.

pub mod calendar;
pub mod clv;
pub mod cohort;
pub mod cpm;
pub mod crosssell;
pub mod customers;
pub mod date;
pub mod decile;
pub mod error;
pub mod export;
pub mod firstproduct;
pub mod history;
pub mod ingest;
pub mod ltv;
pub mod mapping;
pub mod money;
pub mod overview;
pub mod ranks;
pub mod repeat;
pub mod report;
pub mod rfm;
pub mod settings;
mod split;
pub mod store;
pub mod targets;
pub mod tenure;
pub mod trend;

pub use error::{Error, ErrorKind};
