//! The analysis report: the JSON contract of `ltv-lens analyze --json`, and
//! the numbers the app writes into its tables' `data-value` attributes.
//!
//! Money is in major units (1234.56) as `f64` computed once from the exact
//! minor units; shares are fractions of 1. The browser and the CLI build this
//! same struct from the same bytes, so their figures are identical.

use crate::calendar::{label, period_end, Granularity, Period};
use crate::cohort::{cohorts, CohortTable};
use crate::date::to_day;
use crate::decile::{deciles, DecileTable, Window};
use crate::error::{Error, ErrorKind, Param, Problem, ProblemKind, SettingError};
use crate::history::History;
use crate::ltv::{ltv, ltv_at_month_ends, Ltv, LtvParams};
use crate::money::to_major;
use crate::repeat::{repeat, Repeat, RepeatParams};
use crate::store::{Dataset, ExclusionReason};
use crate::targets::{plan, track, track_months, Metric, TargetParams, Targets, Unit};
use crate::tenure::{restricted_mean_at, tenure, Tenure, TenureParams};
use crate::trend::{decile_trend, DecileTrend};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The settings of an analysis, each with its default on its field (the
/// analysis that uses it explains it in its module doc). Every one is a
/// setting the user can change; the app keeps them in the page URL.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalyzeParams {
    /// The day the analysis is made for; default the last order date. The
    /// cohort, LTV, tenure, repeat and trend analyses use only the orders
    /// on or before it.
    pub as_of: Option<NaiveDate>,
    /// Decile window start; default 12 months before `to`, plus one day.
    pub from: Option<NaiveDate>,
    /// Decile window end; default the as-of date. The repeat rate uses the
    /// same window.
    pub to: Option<NaiveDate>,
    /// Periods of the cohort table and of the per-cohort F2; default month.
    /// (LTV always uses monthly cohorts.)
    pub granularity: Granularity,
    /// LTV horizon in months; default 12 (年間LTV).
    pub horizon_months: u32,
    /// Gross margin (粗利率) as a fraction, for profit LTV and payback;
    /// default none (profit figures are left out rather than guessed).
    pub gross_margin: Option<f64>,
    /// Customer acquisition cost (CPA) in major units; default none.
    pub cpa: Option<f64>,
    /// Days since the last order from which a customer is churned; default
    /// 240.
    pub churn_days: u32,
    /// Horizon of the restricted mean tenure, months; default 24.
    pub tenure_horizon_months: u32,
    /// F2 counts a second order only within this many days; default none.
    pub f2_within_days: Option<u32>,
    /// Month-over-month growth of average spend D1–D3 should reach; default
    /// 0.02 (+2%).
    pub decile_growth_rule: f64,
    /// LTV, tenure and decile targets.
    pub targets: TargetParams,
}

impl Default for AnalyzeParams {
    fn default() -> Self {
        AnalyzeParams {
            as_of: None,
            from: None,
            to: None,
            granularity: Granularity::Month,
            horizon_months: 12,
            gross_margin: None,
            cpa: None,
            churn_days: 240,
            tenure_horizon_months: 24,
            f2_within_days: None,
            decile_growth_rule: 0.02,
            targets: TargetParams::default(),
        }
    }
}

impl AnalyzeParams {
    /// Checks the settings that do not depend on the data (ranges; see
    /// [`Param::range`]), in this order; the first out of range errs.
    pub fn validate(&self) -> Result<(), Error> {
        Param::LtvHorizon.check(self.horizon_months as f64)?;
        if let Some(m) = self.gross_margin {
            Param::GrossMargin.check(m)?;
        }
        if let Some(c) = self.cpa {
            Param::Cpa.check(c)?;
        }
        Param::ChurnDays.check(self.churn_days as f64)?;
        Param::TenureHorizon.check(self.tenure_horizon_months as f64)?;
        if let Some(n) = self.f2_within_days {
            Param::F2Within.check(n as f64)?;
        }
        Param::DecileGrowthRule.check(self.decile_growth_rule)?;
        let t = &self.targets;
        Param::TargetBaseline.check(t.baseline)?;
        Param::TargetGrowth.check(t.growth)?;
        Param::TargetHorizon.check(t.horizon as f64)?;
        Ok(())
    }

    /// The decile window these settings give for a dataset.
    pub fn window(&self, data: &Dataset) -> Result<(NaiveDate, Window), Error> {
        let last = data.last_day().ok_or(Error::new(ErrorKind::NoOrders))?;
        let as_of = self.as_of.unwrap_or(last);
        let to = self.to.unwrap_or(as_of);
        let from = self.from.unwrap_or(Window::months_ending(to, 12).from);
        if from > to {
            return Err(SettingError::WindowReversed { from, to }.into());
        }
        Ok((as_of, Window { from, to }))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExclusionSummary {
    pub reason: ExclusionReason,
    pub description: Cow<'static, str>,
    pub orders: u64,
    pub rows: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemCount {
    pub kind: ProblemKind,
    pub count: u64,
    pub expected: Cow<'static, str>,
}

/// How the file was read and what it holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecileWindow {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub customers: u64,
    pub revenue: f64,
}

/// One observed period of a cohort (see [`crate::cohort`]); money in major
/// units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortPeriodJson {
    pub period: u32,
    pub active: u64,
    pub retention: f64,
    pub orders: u64,
    pub revenue: f64,
    pub revenue_per_customer: f64,
    pub cumulative_revenue: f64,
    pub cumulative_revenue_per_customer: f64,
}

/// One cohort: `cohort` is `YYYY-MM` (`YYYY-Www`, `YYYY-Qn`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortJson {
    pub cohort: String,
    pub start: NaiveDate,
    pub customers: u64,
    /// Observed periods only.
    pub periods: Vec<CohortPeriodJson>,
}

/// One point of the LTV curve (see [`crate::ltv`]); money in major units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LtvCurveJson {
    pub period: u32,
    pub cohorts: u64,
    pub customers: u64,
    pub cumulative_revenue_per_customer: f64,
    pub cumulative_profit_per_customer: Option<f64>,
}

/// The LTV figures (see [`crate::ltv`]); money in major units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LtvJson {
    pub horizon_months: u32,
    pub ltv: Option<f64>,
    pub aov: Option<f64>,
    pub orders_per_customer: Option<f64>,
    pub cohorts_used: u64,
    pub customers_used: u64,
    pub orders_used: u64,
    pub revenue_used: f64,
    pub first_cohort: Option<String>,
    pub last_cohort: Option<String>,
    pub gross_margin: Option<f64>,
    pub profit_ltv: Option<f64>,
    pub cpa: Option<f64>,
    pub ltv_to_cpa: Option<f64>,
    pub affordable: Option<bool>,
    pub payback_month: Option<u32>,
    pub curve: Vec<LtvCurveJson>,
}

/// One decile of one month of the trend (see [`crate::trend`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendCellJson {
    pub decile: u8,
    pub customers: u64,
    pub revenue: f64,
    pub avg_spend: f64,
    pub growth: Option<f64>,
    pub meets_rule: bool,
}

/// One month of the decile trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendMonthJson {
    pub month: String,
    pub buyers: u64,
    pub revenue: f64,
    pub deciles: Vec<TrendCellJson>,
}

/// The monthly decile trend; money in major units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendJson {
    pub rule: f64,
    pub rule_deciles: u8,
    pub months: Vec<TrendMonthJson>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub summary: Summary,
    pub deciles: Vec<DecileJson>,
    pub decile_window: DecileWindow,
    /// The decile table in minor units (for charts; not serialised).
    #[serde(skip)]
    pub decile_table: DecileTable,
    /// The periods of `cohorts` and of the per-cohort F2.
    pub cohort_granularity: Granularity,
    /// Acquisition cohorts, oldest first (see [`crate::cohort`]).
    pub cohorts: Vec<CohortJson>,
    /// LTV from the monthly cohorts (see [`crate::ltv`]).
    pub ltv: LtvJson,
    /// Target plan and actual against target (see [`crate::targets`]).
    pub targets: Targets,
    /// Monthly decile trend (see [`crate::trend`]).
    pub decile_trend: TrendJson,
    /// Tenure, plain and Kaplan–Meier (see [`crate::tenure`]).
    pub tenure: Tenure,
    /// F2, order-count flow, repeat rate, returning/new mix (see
    /// [`crate::repeat`]).
    pub repeat: Repeat,
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
                description: e.reason.describe().into(),
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
                expected: kind.expected().into(),
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

/// Major units of a minor-unit amount or average.
fn major(x: f64, exp: u8) -> f64 {
    x / 10f64.powi(exp as i32)
}

fn cohorts_json(t: &CohortTable, exp: u8) -> Vec<CohortJson> {
    let m = |x: f64| major(x, exp);
    t.cohorts
        .iter()
        .map(|c| CohortJson {
            cohort: c.label.clone(),
            start: c.start,
            customers: c.customers,
            periods: c
                .cells
                .iter()
                .map(|x| CohortPeriodJson {
                    period: x.period,
                    active: x.active,
                    retention: x.retention,
                    orders: x.orders,
                    revenue: to_major(x.revenue, exp),
                    revenue_per_customer: m(x.revenue_per_customer),
                    cumulative_revenue: to_major(x.cumulative_revenue, exp),
                    cumulative_revenue_per_customer: m(x.cumulative_revenue_per_customer),
                })
                .collect(),
        })
        .collect()
}

fn ltv_json(l: &Ltv, exp: u8) -> LtvJson {
    let m = |x: f64| major(x, exp);
    LtvJson {
        horizon_months: l.horizon_months,
        ltv: l.ltv.map(m),
        aov: l.aov.map(m),
        orders_per_customer: l.orders_per_customer,
        cohorts_used: l.cohorts_used,
        customers_used: l.customers_used,
        orders_used: l.orders_used,
        revenue_used: to_major(l.revenue_used, exp),
        first_cohort: l.first_cohort.clone(),
        last_cohort: l.last_cohort.clone(),
        gross_margin: l.gross_margin,
        profit_ltv: l.profit_ltv.map(m),
        cpa: l.cpa.map(m),
        ltv_to_cpa: l.ltv_to_cpa,
        affordable: l.affordable,
        payback_month: l.payback_month,
        curve: l
            .curve
            .iter()
            .map(|p| LtvCurveJson {
                period: p.period,
                cohorts: p.cohorts,
                customers: p.customers,
                cumulative_revenue_per_customer: m(p.cumulative_revenue_per_customer),
                cumulative_profit_per_customer: p.cumulative_profit_per_customer.map(m),
            })
            .collect(),
    }
}

fn trend_json(t: &DecileTrend, exp: u8) -> TrendJson {
    TrendJson {
        rule: t.rule,
        rule_deciles: t.rule_deciles,
        months: t
            .months
            .iter()
            .map(|mo| TrendMonthJson {
                month: mo.month.clone(),
                buyers: mo.buyers,
                revenue: to_major(mo.revenue, exp),
                deciles: mo
                    .deciles
                    .iter()
                    .map(|c| TrendCellJson {
                        decile: c.decile,
                        customers: c.customers,
                        revenue: to_major(c.revenue, exp),
                        avg_spend: major(c.avg_spend, exp),
                        growth: c.growth,
                        meets_rule: c.meets_rule,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Actual against target for LTV, tenure and D1–D3 (see
/// [`crate::targets`]); money in major units.
fn targets_of(
    data: &Dataset,
    params: &AnalyzeParams,
    as_of: NaiveDate,
    monthly: &CohortTable,
    trend: &DecileTrend,
) -> Targets {
    let p = &params.targets;
    let exp = data.info.minor_exponent;
    let months = track_months(p, as_of);
    let ltv = ltv_at_month_ends(monthly, params.horizon_months, &months)
        .into_iter()
        .map(|x| x.map(|v| major(v, exp)))
        .collect::<Vec<_>>();
    // Tenure as of the last day of each complete month.
    let complete: Vec<Period> = months
        .iter()
        .copied()
        .filter(|&m| period_end(m, Granularity::Month) <= as_of)
        .collect();
    let ends: Vec<_> = complete
        .iter()
        .map(|&m| to_day(period_end(m, Granularity::Month)))
        .collect();
    let tp = TenureParams {
        churn_days: params.churn_days,
        horizon_months: params.tenure_horizon_months,
    };
    let means = restricted_mean_at(data, &ends, &tp);
    let tenure: Vec<Option<f64>> = months
        .iter()
        .map(|m| {
            complete
                .iter()
                .position(|c| c == m)
                .and_then(|i| means.get(i).copied().flatten())
        })
        .collect();
    let decile = |d: usize| -> Vec<Option<f64>> {
        months
            .iter()
            .map(|&m| {
                trend
                    .months
                    .iter()
                    .find(|t| t.period == m)
                    .and_then(|t| t.deciles.get(d))
                    .filter(|c| c.customers > 0)
                    .map(|c| major(c.avg_spend, exp))
            })
            .collect()
    };
    Targets {
        plan: plan(p),
        start: months.first().map(|&m| label(m, Granularity::Month)),
        tracks: vec![
            track(Metric::Ltv, Unit::Money, &months, &ltv, p),
            track(Metric::Tenure, Unit::Months, &months, &tenure, p),
            track(Metric::D1, Unit::Money, &months, &decile(0), p),
            track(Metric::D2, Unit::Money, &months, &decile(1), p),
            track(Metric::D3, Unit::Money, &months, &decile(2), p),
        ],
    }
}

/// Runs every analysis of the report.
pub fn analyze(data: &Dataset, params: &AnalyzeParams) -> Result<Report, Error> {
    params.validate()?;
    let (as_of, window) = params.window(data)?;
    let table = deciles(data, window);
    let exp = data.info.minor_exponent;
    let history = History::new(data, as_of)?;
    let monthly = cohorts(data, &history, Granularity::Month)?;
    let chosen = if params.granularity == Granularity::Month {
        None
    } else {
        Some(cohorts(data, &history, params.granularity)?)
    };
    let ltv = ltv(
        &monthly,
        &LtvParams {
            horizon_months: params.horizon_months,
            gross_margin: params.gross_margin,
            cpa: params.cpa.map(|c| c * 10f64.powi(exp as i32)),
        },
    );
    let trend = decile_trend(data, &history, params.decile_growth_rule);
    let targets = targets_of(data, params, as_of, &monthly, &trend);
    let tenure = tenure(
        &history,
        &TenureParams {
            churn_days: params.churn_days,
            horizon_months: params.tenure_horizon_months,
        },
    );
    let repeat = repeat(
        data,
        &history,
        &RepeatParams {
            f2_within_days: params.f2_within_days,
            granularity: params.granularity,
            window: Some(window),
        },
    );
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
        cohort_granularity: params.granularity,
        cohorts: cohorts_json(chosen.as_ref().unwrap_or(&monthly), exp),
        ltv: ltv_json(&ltv, exp),
        targets,
        decile_trend: trend_json(&trend, exp),
        tenure,
        repeat,
    })
}

/// A [`Report`] with the fields its JSON leaves out (the decile table in
/// minor units, the F2 and returning/new periods), for handing a report
/// from the engine's Web Worker to the page: `Report` → `ReportWire` →
/// JSON → `ReportWire` → the same `Report`. Floats survive JSON exactly
/// (shortest round-trip text), so the page shows the worker's numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportWire {
    pub report: Report,
    pub decile_table: DecileTable,
    pub f2_periods: Vec<crate::calendar::Period>,
    pub mix_periods: Vec<crate::calendar::Period>,
}

impl From<Report> for ReportWire {
    fn from(report: Report) -> Self {
        ReportWire {
            decile_table: report.decile_table.clone(),
            f2_periods: report
                .repeat
                .f2
                .by_cohort
                .iter()
                .map(|c| c.period)
                .collect(),
            mix_periods: report
                .repeat
                .returning_by_month
                .iter()
                .map(|m| m.period)
                .collect(),
            report,
        }
    }
}

impl From<ReportWire> for Report {
    fn from(w: ReportWire) -> Self {
        let mut r = w.report;
        r.decile_table = w.decile_table;
        for (c, p) in r.repeat.f2.by_cohort.iter_mut().zip(w.f2_periods) {
            c.period = p;
        }
        for (m, p) in r.repeat.returning_by_month.iter_mut().zip(w.mix_periods) {
            m.period = p;
        }
        r
    }
}
