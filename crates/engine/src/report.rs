//! The analysis report: the JSON contract of `ltv-lens analyze --json`, and
//! the numbers the app writes into its tables' `data-value` attributes.
//!
//! [`Report`] holds the analyses' own outputs: money as [`Money`] (computed
//! in exact minor units, written as major units: 1234.56); shares are
//! fractions of 1. Its JSON is the CLI's, and the very same value crosses
//! from the engine's Web Worker to the page: every field is written, and
//! floats survive JSON exactly (shortest round-trip text), so the browser
//! shows the CLI's figures.

use crate::calendar::{label, period_end, Granularity, Period};
use crate::clv::{Clv, ClvParams};
use crate::cohort::{cohorts, Cohort, CohortTable};
use crate::cpm::{cpm, Cpm, CpmParams, Thresholds};
use crate::crosssell::{cross_sell, CrossSell, CrossSellParams};
use crate::date::to_day;
use crate::decile::{deciles, DecileRow, Window};
use crate::error::{Error, ErrorKind, Param, Problem, ProblemKind, SettingError};
use crate::history::History;
use crate::ltv::{ltv, ltv_at_month_ends, Ltv, LtvParams};
use crate::money::{minor_per_major, Money};
use crate::overview::{overview, Overview};
use crate::ranks::{customer_ranks, ChurnRisk, ChurnRiskParams, PotentialRule, Ranks};
use crate::repeat::{repeat, Repeat, RepeatParams};
use crate::rfm::{rfm, Rfm, RfmParams};
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
    /// RFM scoring: fixed cut points per dimension, default quintiles.
    pub rfm: RfmParams,
    /// CPM stage thresholds (see [`crate::cpm`]); its churn window is
    /// `churn_days`.
    #[serde(default)]
    pub cpm: CpmParams,
    /// Churn risk: factor × median gap, with a floor (see [`crate::ranks`]).
    #[serde(default)]
    pub churn_risk: ChurnRiskParams,
    /// Cross-sell (併売) settings (see [`crate::crosssell`]).
    #[serde(default)]
    pub cross_sell: CrossSellParams,
    /// Predictive CLV horizon and discount rate (see [`crate::clv`]).
    #[serde(default)]
    pub clv: ClvParams,
    /// How potential-LTV customers are found: by history (default) or by
    /// the predictive CLV (see [`crate::ranks`]).
    #[serde(default)]
    pub potential_rule: PotentialRule,
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
            rfm: RfmParams::default(),
            cpm: CpmParams::default(),
            churn_risk: ChurnRiskParams::default(),
            cross_sell: CrossSellParams::default(),
            clv: ClvParams::default(),
            potential_rule: PotentialRule::History,
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
        self.rfm.validate()?;
        let c = &self.cpm;
        Param::CpmToddlerDays.check(c.toddler_days as f64)?;
        Param::CpmLoyalDays.check(c.loyal_days as f64)?;
        if let Some(s) = c.spend {
            Param::CpmSpend.check(s)?;
        }
        if let Some(n) = self.cross_sell.within_days {
            Param::CrossSellWithin.check(n as f64)?;
        }
        Param::CrossSellMinSupport.check(self.cross_sell.min_support as f64)?;
        Param::ClvHorizon.check(self.clv.horizon_months as f64)?;
        Param::ClvDiscount.check(self.clv.discount)?;
        if c.toddler_days > c.loyal_days {
            return Err(SettingError::CpmTenureReversed {
                toddler_days: c.toddler_days,
                loyal_days: c.loyal_days,
            }
            .into());
        }
        Param::ChurnRiskFactor.check(self.churn_risk.factor)?;
        Param::ChurnRiskFloor.check(f64::from(self.churn_risk.floor_days))?;
        Ok(())
    }

    /// The LTV settings, the CPA in minor units of exponent `exp`.
    pub fn ltv_params(&self, exp: u8) -> LtvParams {
        LtvParams {
            horizon_months: self.horizon_months,
            gross_margin: self.gross_margin,
            cpa: self.cpa.map(|c| c * minor_per_major(exp)),
        }
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
    /// Revenue of the usable orders.
    pub revenue: Money,
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

/// The decile window and its totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecileWindow {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    /// Customers who bought in the window.
    pub customers: u64,
    /// Their revenue in the window.
    pub revenue: Money,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub summary: Summary,
    /// The headline KPIs of the decile window against the previous period
    /// of the same length (see [`crate::overview`]).
    pub overview: Overview,
    /// Deciles D1 (top) to D10 of the window (see [`crate::decile`]).
    pub deciles: Vec<DecileRow>,
    pub decile_window: DecileWindow,
    /// The periods of `cohorts` and of the per-cohort F2.
    pub cohort_granularity: Granularity,
    /// Acquisition cohorts, oldest first (see [`crate::cohort`]).
    pub cohorts: Vec<Cohort>,
    /// LTV from the monthly cohorts (see [`crate::ltv`]).
    pub ltv: Ltv,
    /// Target plan and actual against target (see [`crate::targets`]).
    pub targets: Targets,
    /// Monthly decile trend (see [`crate::trend`]).
    pub decile_trend: DecileTrend,
    /// Tenure, plain and Kaplan–Meier (see [`crate::tenure`]).
    pub tenure: Tenure,
    /// F2, order-count flow, repeat rate, returning/new mix (see
    /// [`crate::repeat`]).
    pub repeat: Repeat,
    /// RFM scores and the R × F segment grid (see [`crate::rfm`]).
    pub rfm: Rfm,
    /// CPM segments and their monthly moves (see [`crate::cpm`]).
    pub cpm: Cpm,
    /// Customer ranks: high-LTV, potential-LTV, general (see
    /// [`crate::ranks`]).
    pub ranks: Ranks,
    /// Customers at churn risk, by value at risk (see [`crate::ranks`]).
    pub churn_risk: ChurnRisk,
    /// Cross-sell pairs and entry products (see [`crate::crosssell`],
    /// [`crate::firstproduct`]); `None` when the file has no products.
    pub cross_sell: Option<CrossSell>,
    /// Predictive CLV: BG/NBD, Pareto/NBD and Gamma-Gamma (see
    /// [`crate::clv`]). `None` from [`analyze`]: the fits take seconds on
    /// a large file, so they are a separate step ([`analyze_with_clv`],
    /// the CLI's `--clv`; the page will run it after the other analyses
    /// are shown).
    pub clv: Option<Clv>,
}

/// Builds the summary of a dataset.
pub fn summary(data: &Dataset) -> Summary {
    let i = &data.info;
    let exp = i.minor_exponent;
    Summary {
        rows: i.rows,
        orders: data.orders.len() as u64,
        customers: data.customers(),
        revenue: Money::from_minor(data.revenue(), exp),
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
    let months = track_months(p, as_of);
    let ltv = ltv_at_month_ends(monthly, params.horizon_months, &months)
        .into_iter()
        .map(|x| x.map(Money::major))
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
                let month = label(m, Granularity::Month);
                trend
                    .months
                    .iter()
                    .find(|t| t.month == month)
                    .and_then(|t| t.deciles.get(d))
                    .filter(|c| c.customers > 0)
                    .map(|c| c.avg_spend.major())
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
    let ltv = ltv(&monthly, &params.ltv_params(exp));
    let overview = overview(data, params, as_of, window, &history, &ltv)?;
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
    let rfm = rfm(data, &history, &params.rfm);
    let cpm = cpm(data, as_of, &Thresholds::of(params, data));
    let predicted = predicted_values(data, params)?;
    let ranked = customer_ranks(data, &history, params, predicted.as_deref());
    let ranks = ranked.ranks(exp);
    let churn_risk = ranked.churn_risk(data, &history, &params.churn_risk);
    let cross_sell = cross_sell(data, &history, &params.cross_sell, params.f2_within_days);
    Ok(Report {
        summary: summary(data),
        overview,
        deciles: table.rows,
        decile_window: DecileWindow {
            from: window.from,
            to: window.to,
            as_of,
            customers: table.customers,
            revenue: table.revenue,
        },
        cohort_granularity: params.granularity,
        cohorts: chosen.unwrap_or(monthly).cohorts,
        ltv,
        targets,
        decile_trend: trend,
        tenure,
        repeat,
        rfm,
        cpm,
        ranks,
        churn_risk,
        cross_sell,
        clv: None,
    })
}

/// The CLV scores the ranks need: fitted only for potential-LTV by CLV.
pub(crate) fn predicted_values(
    data: &Dataset,
    params: &AnalyzeParams,
) -> Result<Option<Vec<Option<crate::clv::CustomerClv>>>, Error> {
    match params.potential_rule {
        PotentialRule::History => Ok(None),
        PotentialRule::Clv => crate::clv::scores(data, params).map(Some),
    }
}

/// Every analysis of the report, predictive CLV included (see
/// [`Report::clv`]).
pub fn analyze_with_clv(data: &Dataset, params: &AnalyzeParams) -> Result<Report, Error> {
    let mut report = analyze(data, params)?;
    report.clv = Some(clv_report(data, params)?);
    Ok(report)
}

/// The predictive CLV step alone, as of the report's as-of date (the
/// page runs it when its CLV view is shown).
pub fn clv_report(data: &Dataset, params: &AnalyzeParams) -> Result<Clv, Error> {
    clv_report_with_progress(data, params, &mut |_| {})
}

/// [`clv_report`], telling `progress` as each step of the fit starts.
pub fn clv_report_with_progress(
    data: &Dataset,
    params: &AnalyzeParams,
    progress: &mut dyn FnMut(crate::clv::FitStage),
) -> Result<Clv, Error> {
    params.validate()?;
    let (as_of, _) = params.window(data)?;
    Ok(crate::clv::clv_with_progress(
        data,
        as_of,
        &params.clv,
        progress,
    ))
}
