//! The analysis report: the JSON contract of `ltv-lens analyze --json`, and
//! the numbers the app writes into its tables' `data-value` attributes.
//!
//! Money is in major units (1234.56) as `f64` computed once from the exact
//! minor units; shares are fractions of 1. The browser and the CLI build this
//! same struct from the same bytes, so their figures are identical.

use crate::decile::{deciles, DecileTable, Window};
use crate::error::{Error, ErrorKind, Problem, ProblemKind};
use crate::money::to_major;
use crate::store::{Dataset, ExclusionReason};
use chrono::NaiveDate;
use serde::Serialize;

/// The settings of an analysis (all optional; defaults as in DOMAIN.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnalyzeParams {
    /// The day the analysis is made for; default the last order date.
    pub as_of: Option<NaiveDate>,
    /// Decile window start; default 12 months before `to`, plus one day.
    pub from: Option<NaiveDate>,
    /// Decile window end; default the as-of date.
    pub to: Option<NaiveDate>,
}

impl AnalyzeParams {
    /// The decile window these settings give for a dataset.
    pub fn window(&self, data: &Dataset) -> Result<(NaiveDate, Window), Error> {
        let last = data.last_day().ok_or(Error::new(ErrorKind::NoOrders))?;
        let as_of = self.as_of.unwrap_or(last);
        let to = self.to.unwrap_or(as_of);
        let from = self.from.unwrap_or(Window::months_ending(to, 12).from);
        if from > to {
            return Err(ErrorKind::BadSetting {
                detail: format!("the window starts ({from}) after it ends ({to})"),
            }
            .into());
        }
        Ok((as_of, Window { from, to }))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExclusionSummary {
    pub reason: ExclusionReason,
    pub description: &'static str,
    pub orders: u64,
    pub rows: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProblemCount {
    pub kind: ProblemKind,
    pub count: u64,
    pub expected: &'static str,
}

/// How the file was read and what it holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Data rows read.
    pub rows: u64,
    /// Usable orders.
    pub orders: u64,
    /// Distinct customers among the usable orders.
    pub customers: u64,
    /// Revenue of the usable orders (major units).
    pub revenue: f64,
    /// Rows of excluded orders.
    pub excluded_rows: u64,
    pub first_order_date: Option<NaiveDate>,
    pub last_order_date: Option<NaiveDate>,
    pub exclusions: Vec<ExclusionSummary>,
    pub orders_without_customer: u64,
    pub problem_counts: Vec<ProblemCount>,
    pub problems: Vec<Problem>,
    pub invalid_byte_sequences: u64,
    pub encoding: String,
    pub delimiter: String,
    pub platform: Option<crate::mapping::Platform>,
    pub currency: Option<String>,
    pub minor_exponent: u8,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecileJson {
    pub decile: u8,
    pub customers: u64,
    pub revenue: f64,
    pub share: f64,
    pub cumulative_share: f64,
    pub avg_spend: f64,
    pub min_spend: f64,
    pub max_spend: f64,
    pub orders_per_customer: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecileWindow {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub customers: u64,
    pub revenue: f64,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub deciles: Vec<DecileJson>,
    pub decile_window: DecileWindow,
    /// The decile table in minor units (for charts; not serialised).
    #[serde(skip)]
    pub decile_table: DecileTable,
}

/// Builds the summary of a dataset.
pub fn summary(data: &Dataset) -> Summary {
    let i = &data.info;
    let exp = i.minor_exponent;
    Summary {
        rows: i.rows,
        orders: data.orders.len() as u64,
        customers: data.customers(),
        revenue: to_major(data.revenue(), exp),
        excluded_rows: i.excluded_rows(),
        first_order_date: data.first_day(),
        last_order_date: data.last_day(),
        exclusions: i
            .exclusions
            .iter()
            .map(|e| ExclusionSummary {
                reason: e.reason,
                description: e.reason.describe(),
                orders: e.orders,
                rows: e.rows,
            })
            .collect(),
        orders_without_customer: i.orders_without_customer,
        problem_counts: i
            .problem_counts
            .iter()
            .map(|&(kind, count)| ProblemCount {
                kind,
                count,
                expected: kind.expected(),
            })
            .collect(),
        problems: i.problems.clone(),
        invalid_byte_sequences: i.invalid_byte_sequences,
        encoding: i.encoding.clone(),
        delimiter: match i.delimiter {
            '\t' => "tab".into(),
            c => c.to_string(),
        },
        platform: i.platform,
        currency: i.currency.clone(),
        minor_exponent: exp,
    }
}

/// Runs every analysis of the report.
pub fn analyze(data: &Dataset, params: &AnalyzeParams) -> Result<Report, Error> {
    let (as_of, window) = params.window(data)?;
    let table = deciles(data, window);
    let exp = data.info.minor_exponent;
    let m = |x: i64| to_major(x, exp);
    let mf = |x: f64| x / 10f64.powi(exp as i32);
    Ok(Report {
        summary: summary(data),
        deciles: table
            .rows
            .iter()
            .map(|r| DecileJson {
                decile: r.decile,
                customers: r.customers,
                revenue: m(r.revenue),
                share: r.share,
                cumulative_share: r.cumulative_share,
                avg_spend: mf(r.avg_spend),
                min_spend: m(r.min_spend),
                max_spend: m(r.max_spend),
                orders_per_customer: r.orders_per_customer,
            })
            .collect(),
        decile_window: DecileWindow {
            from: window.from,
            to: window.to,
            as_of,
            customers: table.customers,
            revenue: m(table.revenue),
        },
        decile_table: table,
    })
}
