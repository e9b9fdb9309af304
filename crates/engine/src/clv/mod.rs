//! Predictive CLV (予測LTV): who will buy again, how often, and for how
//! much, from each customer's purchase history as of the as-of date.
//!
//! Conventions of the literature (Fader, Hardie & Lee 2005): for each
//! customer with a key, from the orders on or before the as-of date (the
//! end of calibration; later orders are never used for fitting),
//! - frequency x = the number of distinct purchase days after the first;
//! - recency t_x = time from the first to the last purchase day;
//! - T = time from the first purchase day to the as-of date.
//!
//! Time is in **weeks** (days ÷ 7; [`TimeUnit::Week`], stated in the
//! output), so fitted parameters read like the papers'. Customers with the
//! same (x, t_x, T) are compressed into one weighted cell before fitting:
//! a shop's hundreds of thousands of customers become far fewer cells.
//!
//! Models, each fitted by maximum likelihood on log parameters
//! ([`optim`]: BFGS, with the analytic gradient for BG/NBD and
//! Gamma-Gamma and a central-difference one for Pareto/NBD, falling back
//! to Nelder–Mead when it does not settle):
//! - [`BgNbd`] (purchases and P(alive));
//! - [`ParetoNbd`] (the second purchase model);
//! - [`GammaGamma`] (average order value, on repeat buyers with a
//!   positive average repeat order value).
//!
//! The purchase model used for CLV is the one with the smaller mean
//! absolute error per customer on the holdout (the orders after the as-of
//! date, when there are any and both fits converged), else BG/NBD (else
//! Pareto/NBD if only it converged). Without a holdout there is nothing to
//! compare on and BG/NBD makes the scores, so Pareto/NBD (the slower fit)
//! is then fitted only if BG/NBD did not converge; otherwise `pareto_nbd`
//! is null and `pareto_nbd_skipped` is true.
//!
//! CLV over H months with monthly discount rate d:
//! CLV = E[AOV] · Σ_{m=1..H} (E[Y(m·M)] − E[Y((m−1)·M)]) / (1+d)^m,
//! where M = 365.25/12 days is a month and E[Y(t)] the expected purchases
//! in (T, T+t]. An expected count is an average over customers like this
//! one, not a promise: 0.4 orders means "4 in 10 such customers buy once".

mod bgnbd;
mod gammagamma;
pub mod optim;
mod pareto;
pub mod special;

pub use bgnbd::BgNbd;
pub use gammagamma::{GammaGamma, SpendCell};
pub use pareto::ParetoNbd;

use crate::date::{from_day, to_day, Day};
use crate::error::Error;
use crate::money::{minor_per_major, Money};
use crate::report::AnalyzeParams;
use crate::store::Dataset;
use chrono::NaiveDate;
use optim::{minimize, minimize_bfgs, Limits, Minimum};
use serde::{Deserialize, Serialize};
use special::Det;
use std::collections::HashMap;

/// Days in a week, the time unit of the fits.
pub const DAYS_PER_UNIT: f64 = 7.0;
/// Average days in a month.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

/// Customers who share frequency x, recency t_x and age T (in weeks).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    pub x: u32,
    pub t_x: f64,
    pub t: f64,
    /// How many customers.
    pub weight: f64,
}

/// Cells grouped by x, each group with the distinct times (t_x and T
/// values) its cells use: the likelihoods evaluate the terms that depend
/// on one time (ln(α+τ), the Pareto/NBD's ₂F₁) once per distinct time
/// instead of once per cell. Built once per fit; does not depend on the
/// parameters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grouped {
    pub(crate) groups: Vec<Group>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Group {
    pub x: u32,
    /// Distinct times, ascending.
    pub taus: Vec<f64>,
    pub cells: Vec<GroupCell>,
}

/// A cell, with the indices of its t_x and T in its group's `taus`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct GroupCell {
    pub i_tx: usize,
    pub i_t: usize,
    pub t_x: f64,
    pub t: f64,
    pub weight: f64,
}

impl Grouped {
    pub fn new(cells: &[Cell]) -> Grouped {
        let mut sorted = cells.to_vec();
        sorted.sort_by_key(|c| c.x);
        let mut groups: Vec<Group> = Vec::new();
        for c in &sorted {
            match groups.last_mut() {
                Some(g) if g.x == c.x => {}
                _ => groups.push(Group {
                    x: c.x,
                    ..Group::default()
                }),
            }
            if let Some(g) = groups.last_mut() {
                g.taus.push(c.t_x);
                g.taus.push(c.t);
            }
        }
        let mut at = 0;
        for g in &mut groups {
            g.taus.sort_by(f64::total_cmp);
            g.taus.dedup();
            let n = sorted
                .get(at..)
                .map_or(0, |rest| rest.iter().take_while(|c| c.x == g.x).count());
            let index = |taus: &[f64], v: f64| taus.partition_point(|&u| u.total_cmp(&v).is_lt());
            g.cells = sorted
                .get(at..at + n)
                .unwrap_or(&[])
                .iter()
                .map(|c| GroupCell {
                    i_tx: index(&g.taus, c.t_x),
                    i_t: index(&g.taus, c.t),
                    t_x: c.t_x,
                    t: c.t,
                    weight: c.weight,
                })
                .collect();
            at += n;
        }
        Grouped { groups }
    }
}

/// The settings of the CLV analysis.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClvParams {
    /// CLV horizon in months (予測期間); default 12.
    pub horizon_months: u32,
    /// Monthly discount rate (月次割引率) as a fraction; default 0.01.
    pub discount: f64,
}

impl Default for ClvParams {
    fn default() -> Self {
        ClvParams {
            horizon_months: 12,
            discount: 0.01,
        }
    }
}

/// The time unit of the fitted parameters and of t_x and T.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Week,
    Day,
}

/// A purchase model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseModel {
    BgNbd,
    ParetoNbd,
}

/// Whether CLV could be computed, and if not why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClvStatus {
    /// Purchases and spend both modelled.
    Ok,
    /// No customer with a key bought on or before the as-of date.
    NoCustomers,
    /// No customer bought on two different days: nothing to learn a
    /// repeat rate from.
    NoRepeatBuyers,
    /// Fewer than [`MIN_CUSTOMERS`] customers or [`MIN_REPEAT_BUYERS`]
    /// repeat buyers: too few to fit.
    TooFewCustomers,
    /// Neither purchase model converged.
    NotConverged,
    /// Purchases are modelled but not spend (too few repeat buyers with a
    /// positive average order value, or the spend fit did not converge):
    /// P(alive) and expected orders, no CLV.
    NoSpendModel,
    /// The spend model's q ≤ 1 (infinite mean spend): no CLV.
    SpendModelInvalid,
}

/// One fit: its parameters, log-likelihood and how the optimizer ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit<P> {
    pub params: P,
    pub log_likelihood: f64,
    pub iterations: u32,
    pub evaluations: u32,
    /// The optimizer met its tolerances with every parameter in a sane
    /// range (e^±15).
    pub converged: bool,
    /// Why it did not converge, and what to try.
    pub message: Option<String>,
}

/// The holdout check of one purchase model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldoutFit {
    /// Expected repeat purchases (distinct purchase days) in the holdout,
    /// all calibration customers together.
    pub predicted: f64,
    /// Mean absolute error per customer.
    pub mae: f64,
}

/// Predicted against actual purchases after the as-of date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Holdout {
    /// First and last day of the holdout (the day after the as-of date to
    /// the last order).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Its length in the time unit.
    pub length: f64,
    /// Customers acquired by the as-of date (the ones predicted).
    pub customers: u64,
    /// Their repeat purchases (distinct purchase days) in the holdout.
    pub actual: u64,
    pub bg_nbd: Option<HoldoutFit>,
    pub pareto_nbd: Option<HoldoutFit>,
}

/// Calibration check: customers by number of repeat purchases, actual and
/// as the BG/NBD fit expects them (the paper's Figure 2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepeatCount {
    /// 0 to 7; 7 means 7 or more.
    pub repeat_purchases: u32,
    pub actual: u64,
    pub expected: f64,
}

/// P(alive) for a customer observed for the whole calibration period, by
/// frequency (rows) and recency (columns).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PAliveMatrix {
    pub model: PurchaseModel,
    /// T of every cell, in the time unit.
    pub t: f64,
    pub frequencies: Vec<u32>,
    pub recencies: Vec<f64>,
    /// `p_alive[i][j]` for `frequencies[i]`, `recencies[j]` (a customer
    /// with x = 0 has t_x = 0: her row repeats that one value).
    pub p_alive: Vec<Vec<f64>>,
}

/// Customers ranked by predicted CLV in ten equal groups, top first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueDecile {
    pub decile: u8,
    pub customers: u64,
    pub total: Money,
    pub mean: Money,
    pub min: Money,
    pub max: Money,
}

/// One customer of the top list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopCustomer {
    pub customer: String,
    pub x: u32,
    pub t_x: f64,
    pub t: f64,
    pub p_alive: f64,
    pub expected_orders: f64,
    pub expected_avg_order_value: Option<Money>,
    pub clv: Option<Money>,
}

/// The predictive CLV report (the `clv` key of the JSON).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clv {
    pub status: ClvStatus,
    /// What the status means and what to do, in English (the app
    /// translates by status).
    pub message: Option<String>,
    pub time_unit: TimeUnit,
    /// The end of calibration (the as-of date).
    pub calibration_end: NaiveDate,
    pub horizon_months: u32,
    pub discount: f64,
    /// Customers with an order on or before the as-of date.
    pub customers: u64,
    /// Of them, customers with x ≥ 1.
    pub repeat_buyers: u64,
    /// Distinct (x, t_x, T) cells the purchase models were fitted on.
    pub cells: u64,
    /// The purchase model behind the scores and CLV.
    pub model: Option<PurchaseModel>,
    pub bg_nbd: Option<Fit<BgNbd>>,
    pub pareto_nbd: Option<Fit<ParetoNbd>>,
    /// γ in major units of money.
    pub gamma_gamma: Option<Fit<GammaGamma>>,
    /// Repeat buyers the spend model was fitted on (positive average).
    pub spend_customers: u64,
    /// Correlation of x and average repeat order value among them: the
    /// spend model assumes none (|ρ| above about 0.3 weakens it).
    pub frequency_spend_correlation: Option<f64>,
    pub holdout: Option<Holdout>,
    pub repeat_counts: Vec<RepeatCount>,
    pub p_alive_matrix: Option<PAliveMatrix>,
    pub value_deciles: Vec<ValueDecile>,
    /// The 100 customers with the highest CLV (or expected orders when
    /// there is no CLV), highest first.
    pub top_customers: Vec<TopCustomer>,
    /// Cumulative repeat purchases of the calibration customers week by
    /// week, actual and as the purchase model expects them, through
    /// calibration and holdout (the papers' tracking plot).
    pub tracking: Vec<TrackingPoint>,
    /// Pareto/NBD was not fitted because there is no holdout (no order
    /// after the as-of date) to compare it with BG/NBD on, and without one
    /// a converged BG/NBD makes the scores anyway (`pareto_nbd` is then
    /// null). False when it was fitted, or when no purchase model was
    /// fitted (see `status`).
    pub pareto_nbd_skipped: bool,
}

/// One point of the tracking plot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackingPoint {
    /// The last day counted.
    pub day: NaiveDate,
    /// Repeat purchases (distinct purchase days after each customer's
    /// first) on or before it.
    pub actual: u64,
    /// Their expected number: Σ over customers of E[X(day − first day)].
    pub expected: f64,
}

/// The scores of one customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerClv {
    /// Probability of being still active (生存確率) at the as-of date.
    pub p_alive: f64,
    /// Expected orders (distinct purchase days) over the horizon.
    pub expected_orders: f64,
    /// Expected average order value; `None` without a spend model.
    pub expected_avg_order_value: Option<Money>,
    /// Discounted CLV over the horizon; `None` without a spend model.
    pub clv: Option<Money>,
    pub model: PurchaseModel,
}

/// One customer's calibration summary.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Summary {
    first: Day,
    last: Day,
    x: u32,
    /// Amount of the orders after the first purchase day, minor units.
    repeat_spend: i64,
    /// Distinct purchase days after the as-of date.
    holdout: u32,
    holdout_last: Day,
}

/// A customer's history in the models' terms.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Frequency: distinct purchase days after the first, by the as-of date.
    pub x: u32,
    /// Recency: first to last purchase day, in weeks.
    pub t_x: f64,
    /// First purchase day to the as-of date, in weeks.
    pub t: f64,
    /// Amount of the orders after the first purchase day (minor units).
    pub repeat_spend: i64,
    /// Distinct purchase days after the as-of date (the holdout).
    pub holdout: u32,
}

/// Every customer's (x, t_x, T) as of `as_of`, by customer id (`None`
/// for a customer whose first order is after it).
pub fn calibration(data: &Dataset, as_of: NaiveDate) -> Vec<Option<Calibration>> {
    let as_of = to_day(as_of);
    summaries(data, as_of)
        .into_iter()
        .map(|s| {
            s.map(|s| Calibration {
                x: s.x,
                t_x: weeks(i64::from(s.last) - i64::from(s.first)),
                t: weeks(i64::from(as_of) - i64::from(s.first)),
                repeat_spend: s.repeat_spend,
                holdout: s.holdout,
            })
        })
        .collect()
}

/// Everything fitted, ready to score customers.
#[derive(Clone, Debug)]
pub struct Fitted {
    as_of: Day,
    exponent: u8,
    params: ClvParams,
    summaries: Vec<Option<Summary>>,
    cells: Vec<Cell>,
    cell_of: Vec<u32>,
    repeat_buyers: u64,
    spend_customers: u64,
    correlation: Option<f64>,
    last_day: Option<Day>,
    bg: Option<Fit<BgNbd>>,
    pareto: Option<Fit<ParetoNbd>>,
    /// Pareto/NBD not fitted for want of a holdout.
    pareto_skipped: bool,
    /// γ in minor units.
    spend: Option<Fit<GammaGamma>>,
    status: ClvStatus,
    model: Option<PurchaseModel>,
    holdout: Option<Holdout>,
    /// Per cell: expected purchases at the end of each month of the
    /// horizon (chosen model), then in the holdout under BG/NBD and under
    /// Pareto/NBD.
    cell_expected: Vec<CellForecast>,
}

#[derive(Clone, Debug, Default)]
struct CellForecast {
    p_alive: f64,
    by_month: Vec<f64>,
}

fn weeks(days: i64) -> f64 {
    days as f64 / DAYS_PER_UNIT
}

/// Each customer's summary as of `as_of` (orders are sorted by day).
fn summaries(data: &Dataset, as_of: Day) -> Vec<Option<Summary>> {
    let mut out: Vec<Option<Summary>> = vec![None; data.customer_keys.len()];
    for o in data.customer_orders() {
        let Some(slot) = out.get_mut(o.customer as usize) else {
            continue;
        };
        if o.day <= as_of {
            match slot {
                None => {
                    *slot = Some(Summary {
                        first: o.day,
                        last: o.day,
                        holdout_last: as_of,
                        ..Summary::default()
                    })
                }
                Some(s) => {
                    if o.day > s.last {
                        s.x = s.x.saturating_add(1);
                        s.last = o.day;
                    }
                    if o.day > s.first {
                        s.repeat_spend = s.repeat_spend.saturating_add(o.amount);
                    }
                }
            }
        } else if let Some(s) = slot {
            if o.day > s.holdout_last {
                s.holdout = s.holdout.saturating_add(1);
                s.holdout_last = o.day;
            }
        }
    }
    out
}

/// The cells, sorted by (x, t_x, T), and each customer's cell.
fn compress(summaries: &[Option<Summary>], as_of: Day) -> (Vec<Cell>, Vec<u32>) {
    let mut keys: Vec<(u32, i64, i64, u32)> = summaries
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            s.map(|s| {
                (
                    s.x,
                    i64::from(s.last) - i64::from(s.first),
                    i64::from(as_of) - i64::from(s.first),
                    i as u32,
                )
            })
        })
        .collect();
    keys.sort_unstable();
    let mut cells: Vec<Cell> = Vec::new();
    let mut cell_of = vec![u32::MAX; summaries.len()];
    let mut prev: Option<(u32, i64, i64)> = None;
    for (x, tx, t, i) in keys {
        if prev != Some((x, tx, t)) {
            prev = Some((x, tx, t));
            cells.push(Cell {
                x,
                t_x: weeks(tx),
                t: weeks(t),
                weight: 0.0,
            });
        }
        if let Some(c) = cells.last_mut() {
            c.weight += 1.0;
        }
        if let Some(slot) = cell_of.get_mut(i as usize) {
            *slot = cells.len().saturating_sub(1) as u32;
        }
    }
    (cells, cell_of)
}

/// Log parameters beyond e^±15 mean the data do not pin the model down
/// (time is in weeks and spend is scaled to its mean, so sensible values
/// lie far inside).
const LOG_BOUND: f64 = 15.0;
/// The search stays inside e^±20: past it the cost is +∞, so a fit whose
/// likelihood keeps rising towards a limit stops at the wall (and is
/// reported as not converged) instead of wandering off.
const LOG_WALL: f64 = 20.0;

/// The tracking plot covers at most 20 years of days.
pub const MAX_TRACKING_DAYS: usize = 7_305;

/// Fewer customers or repeat buyers than this and nothing is fitted
/// ([`ClvStatus::TooFewCustomers`]): four parameters are not pinned down
/// by a handful of histories, and a fit would report noise.
pub const MIN_CUSTOMERS: u64 = 30;
pub const MIN_REPEAT_BUYERS: u64 = 5;

/// Nelder–Mead inside the wall.
fn minimize_walled(cost: impl Fn(&[f64]) -> f64, start: &[f64]) -> Minimum {
    minimize(
        |v| {
            if v.iter().all(|x| x.abs() <= LOG_WALL) {
                cost(v)
            } else {
                f64::INFINITY
            }
        },
        start,
        Limits::default(),
    )
}

/// The fit at a minimum, with its convergence checked and explained.
fn fit_from<P>(minimum: Minimum, make: impl Fn(&[f64]) -> Option<P>) -> Option<Fit<P>> {
    let Minimum {
        x,
        cost,
        iterations,
        evaluations,
        converged,
    } = minimum;
    let params = make(&x)?;
    let in_range = x.iter().all(|v| v.abs() < LOG_BOUND);
    let finite = cost.is_finite();
    let message = if !finite {
        Some("the likelihood could not be evaluated at any starting point; check the data (dates, amounts)".to_string())
    } else if !converged {
        Some(format!("the optimizer stopped after {iterations} iterations without settling; the figures are the best found, treat them with care (more customers or a longer calibration period usually help)"))
    } else if !in_range {
        Some("a parameter ran off to an extreme: the data do not pin the model down (too few customers or repeat buyers?)".to_string())
    } else {
        None
    };
    Some(Fit {
        params,
        log_likelihood: if finite { -cost } else { 0.0 },
        iterations,
        evaluations,
        converged: converged && in_range && finite,
        message,
    })
}

/// Starting point: a purchase rate matching the average repeat count.
fn start_rate(cells: &[Cell]) -> (f64, f64) {
    let n: f64 = cells.iter().map(|c| c.weight).sum();
    let mean_x = cells.iter().map(|c| c.weight * c.x as f64).sum::<f64>() / n.max(1.0);
    let mean_t = cells.iter().map(|c| c.weight * c.t).sum::<f64>() / n.max(1.0);
    let alpha = (mean_t.max(1e-3) / mean_x.max(1e-2)).clamp(1e-3, 1e6);
    (alpha, mean_t.clamp(1e-3, 1e6))
}

/// BFGS stops when every component of the gradient (in log parameters)
/// is below this times 1 + |ln L|: at the scale of ln L's rounding noise,
/// and far tighter than the published digits (on CDNOW, 1e-9 · 9583 ≈
/// 1e-5, a step of about 1e-8 in the log parameters).
const GRADIENT_TOLERANCE: f64 = 1e-9;

/// Fits BG/NBD on the cells: BFGS with the analytic gradient (a few dozen
/// likelihood evaluations), and Nelder–Mead from the best point found
/// when BFGS does not settle (a flat or walled likelihood).
pub fn fit_bg_nbd(cells: &[Cell]) -> Option<Fit<BgNbd>> {
    let (alpha, _) = start_rate(cells);
    let grouped = Grouped::new(cells);
    let minimum = quasi_newton_or_simplex(
        |v, grad| {
            let inside = v.iter().all(|x| x.abs() <= LOG_WALL);
            match (inside, BgNbd::from_log(v)) {
                (true, Some(m)) => {
                    let (ll, g) = m.log_likelihood_and_gradient(&grouped);
                    for (out, gi) in grad.iter_mut().zip(g) {
                        *out = -gi;
                    }
                    -ll
                }
                _ => f64::NAN,
            }
        },
        1,
        &|v: &[f64]| BgNbd::from_log(v).map_or(f64::NAN, |m| -m.log_likelihood_grouped(&grouped)),
        &[0.0, alpha.dln(), 0.0, 0.0],
    );
    fit_from(minimum, BgNbd::from_log)
}

/// Fits Pareto/NBD on the cells: BFGS with a central-difference gradient
/// (its ₂F₁ has no handy derivative; 9 likelihood evaluations per
/// gradient, still well under half of Nelder–Mead's), then Nelder–Mead
/// from the best point found when BFGS does not settle.
pub fn fit_pareto_nbd(cells: &[Cell]) -> Option<Fit<ParetoNbd>> {
    let (alpha, mean_t) = start_rate(cells);
    let grouped = Grouped::new(cells);
    let cost = |v: &[f64]| {
        if v.iter().all(|x| x.abs() <= LOG_WALL) {
            ParetoNbd::from_log(v).map_or(f64::NAN, |m| -m.log_likelihood_grouped(&grouped))
        } else {
            f64::NAN
        }
    };
    let minimum = quasi_newton_or_simplex(
        |v, grad| {
            let mut w = v.to_vec();
            for (i, gi) in grad.iter_mut().enumerate() {
                *gi = central_difference(&cost, &mut w, i);
            }
            cost(v)
        },
        FD_EVALUATIONS,
        &cost,
        &[0.0, alpha.dln(), 0.0, mean_t.dln()],
    );
    fit_from(minimum, ParetoNbd::from_log)
}

/// Likelihood evaluations per cost-and-gradient call of the
/// central-difference gradient in four parameters.
const FD_EVALUATIONS: u32 = 9;

/// Step of the central differences, in log parameters: the truncation
/// error (∝ h²) and the rounding error (∝ noise / h) are both near 1e-8
/// of the cost's scale, below [`FD_GRADIENT_TOLERANCE`].
const FD_STEP: f64 = 1e-4;

/// Gradient tolerance of the fits with a central-difference gradient:
/// looser than [`GRADIENT_TOLERANCE`] (the gradient itself carries about
/// 1e-8 relative error); on CDNOW and simulated shops the parameters still
/// agree with Nelder–Mead's to about 1e-5 relative.
const FD_GRADIENT_TOLERANCE: f64 = 1e-7;

/// ∂cost/∂v_i by central differences (`v` is restored).
fn central_difference(cost: &impl Fn(&[f64]) -> f64, v: &mut [f64], i: usize) -> f64 {
    let Some(x0) = v.get(i).copied() else {
        return f64::NAN;
    };
    let mut at = |x: f64| {
        if let Some(vi) = v.get_mut(i) {
            *vi = x;
        }
        cost(v)
    };
    let (up, down) = (at(x0 + FD_STEP), at(x0 - FD_STEP));
    at(x0);
    (up - down) / (2.0 * FD_STEP)
}

/// BFGS from `start` with `cost_grad` (each call counted as
/// `evaluations_per_call` likelihood evaluations); when it does not
/// settle, Nelder–Mead on `cost` from the best point it found (or from
/// `start`). The iterations and evaluations of both are added up.
fn quasi_newton_or_simplex(
    cost_grad: impl Fn(&[f64], &mut [f64]) -> f64,
    evaluations_per_call: u32,
    cost: &impl Fn(&[f64]) -> f64,
    start: &[f64],
) -> Minimum {
    let tolerance = if evaluations_per_call > 1 {
        FD_GRADIENT_TOLERANCE
    } else {
        GRADIENT_TOLERANCE
    };
    let mut quasi_newton = minimize_bfgs(cost_grad, start, 200, tolerance);
    quasi_newton.evaluations = quasi_newton
        .evaluations
        .saturating_mul(evaluations_per_call);
    if quasi_newton.converged {
        return quasi_newton;
    }
    let from = if quasi_newton.cost.is_finite() {
        quasi_newton.x.clone()
    } else {
        start.to_vec()
    };
    let mut m = minimize_walled(cost, &from);
    m.iterations += quasi_newton.iterations;
    m.evaluations += quasi_newton.evaluations;
    m
}

/// Fits Gamma-Gamma on repeat buyers' (x, z̄) cells (x ≥ 1, z̄ > 0). The
/// search runs on (ln p, ln q, ln(γ/q)): when customers' mean spends
/// hardly differ, the likelihood rises along q → ∞ with γ/q fixed, and in
/// these coordinates that ridge is one axis the search can follow (to
/// the wall, reported as not converged) instead of a diagonal it crawls
/// along. BFGS with the analytic gradient, Nelder–Mead if it does not
/// settle.
pub fn fit_gamma_gamma(cells: &[SpendCell]) -> Option<Fit<GammaGamma>> {
    let n: f64 = cells.iter().map(|c| c.weight).sum();
    let mean = cells.iter().map(|c| c.weight * c.avg).sum::<f64>() / n.max(1.0);
    if !(mean.is_finite() && mean > 0.0) {
        return None;
    }
    // Fitted on spends ÷ their mean (γ scales with the money unit; the
    // log-likelihood shifts by −n ln(mean)), so yen and dollars search
    // the same range.
    let scaled: Vec<SpendCell> = cells
        .iter()
        .map(|c| SpendCell {
            avg: c.avg / mean,
            ..*c
        })
        .collect();
    let make = |v: &[f64]| match v {
        [p, q, g] => GammaGamma::from_log(&[*p, *q, g + q]),
        _ => None,
    };
    // BFGS with the analytic gradient: in (ln p, ln q, ln(γ/q)),
    // ∂/∂ln q = ∂/∂ln q + ∂/∂ln γ of the plain log parameters.
    let minimum = quasi_newton_or_simplex(
        |v, grad| match (v.iter().all(|x| x.abs() <= LOG_WALL), make(v)) {
            (true, Some(m)) => {
                let (ll, [gp, gq, gg]) = m.log_likelihood_and_gradient(&scaled);
                for (out, gi) in grad.iter_mut().zip([gp, gq + gg, gg]) {
                    *out = -gi;
                }
                -ll
            }
            _ => f64::NAN,
        },
        1,
        &|v: &[f64]| make(v).map_or(f64::NAN, |m| -m.log_likelihood(&scaled)),
        &[0.0, 2f64.dln(), -(2f64.dln())],
    );
    let mut fit = fit_from(minimum, make)?;
    fit.params.gamma *= mean;
    fit.log_likelihood -= n * mean.dln();
    Some(fit)
}

/// The spend cells of the repeat buyers with a positive average, sorted
/// by (x, z̄), and the correlation of x with z̄ among them.
fn spend_cells(summaries: &[Option<Summary>]) -> (Vec<SpendCell>, u64, Option<f64>) {
    let mut keys: Vec<(u32, i64)> = summaries
        .iter()
        .flatten()
        .filter(|s| s.x > 0 && s.repeat_spend > 0)
        .map(|s| (s.x, s.repeat_spend))
        .collect();
    keys.sort_unstable();
    let n = keys.len() as u64;
    let mut cells: Vec<SpendCell> = Vec::new();
    let mut prev = None;
    for (x, spend) in &keys {
        if prev != Some((*x, *spend)) {
            prev = Some((*x, *spend));
            cells.push(SpendCell {
                x: *x,
                avg: *spend as f64 / f64::from(*x),
                weight: 0.0,
            });
        }
        if let Some(c) = cells.last_mut() {
            c.weight += 1.0;
        }
    }
    let r = correlation(&cells);
    (cells, n, r)
}

/// Weighted Pearson correlation of x and z̄.
fn correlation(cells: &[SpendCell]) -> Option<f64> {
    let n: f64 = cells.iter().map(|c| c.weight).sum();
    if n < 2.0 {
        return None;
    }
    let mx = cells.iter().map(|c| c.weight * c.x as f64).sum::<f64>() / n;
    let my = cells.iter().map(|c| c.weight * c.avg).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for c in cells {
        let (dx, dy) = (c.x as f64 - mx, c.avg - my);
        sxy += c.weight * dx * dy;
        sxx += c.weight * dx * dx;
        syy += c.weight * dy * dy;
    }
    let r = sxy / (sxx * syy).sqrt();
    r.is_finite().then_some(r)
}

/// Horizons, in weeks, of the end of each month of the CLV horizon.
fn month_ends(params: &ClvParams) -> Vec<f64> {
    (1..=params.horizon_months)
        .map(|m| f64::from(m) * DAYS_PER_MONTH / DAYS_PER_UNIT)
        .collect()
}

/// A step of the CLV fit, in order (for a progress line: the browser's
/// worker posts each as it starts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FitStage {
    /// Each customer's (x, t_x, T), compressed into cells.
    Summaries,
    BgNbd,
    ParetoNbd,
    GammaGamma,
    /// Expected purchases per cell and the holdout check.
    Forecast,
    /// Scores, deciles, the top customers and the tracking plot.
    Report,
}

impl FitStage {
    pub const ALL: [FitStage; 6] = [
        FitStage::Summaries,
        FitStage::BgNbd,
        FitStage::ParetoNbd,
        FitStage::GammaGamma,
        FitStage::Forecast,
        FitStage::Report,
    ];

    /// 1-based position among [`FitStage::ALL`].
    pub fn number(self) -> usize {
        FitStage::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }
}

/// BG/NBD's expected purchases over `horizons` of a customer alive at T:
/// the integral over p depends on (x, T) only, so it is computed once per
/// pair, with the quadrature nodes once per x (the cells come sorted by x).
struct IfAlive<'h> {
    model: BgNbd,
    horizons: &'h [f64],
    by_x_t: HashMap<(u32, u64), Vec<f64>>,
    nodes: Option<(u32, Vec<(f64, f64)>)>,
}

impl<'h> IfAlive<'h> {
    fn new(model: BgNbd, horizons: &'h [f64]) -> Self {
        IfAlive {
            model,
            horizons,
            by_x_t: HashMap::new(),
            nodes: None,
        }
    }

    fn at(&mut self, x: u32, t: f64) -> &[f64] {
        let (m, horizons, nodes) = (self.model, self.horizons, &mut self.nodes);
        self.by_x_t.entry((x, t.to_bits())).or_insert_with(|| {
            let at_x = match nodes.take() {
                Some((nx, n)) if nx == x => n,
                _ => m.dropout_nodes(x),
            };
            let e = m.expected_if_alive_at(x, t, horizons, &at_x);
            *nodes = Some((x, at_x));
            e
        })
    }
}

impl Fitted {
    /// Summarises the customers as of `as_of` and fits the models.
    pub fn new(data: &Dataset, as_of: NaiveDate, params: &ClvParams) -> Fitted {
        Fitted::with_progress(data, as_of, params, &mut |_| {})
    }

    /// [`Fitted::new`], telling `progress` as each step starts.
    pub fn with_progress(
        data: &Dataset,
        as_of: NaiveDate,
        params: &ClvParams,
        progress: &mut dyn FnMut(FitStage),
    ) -> Fitted {
        progress(FitStage::Summaries);
        let as_of = to_day(as_of);
        let summaries = summaries(data, as_of);
        let (cells, cell_of) = compress(&summaries, as_of);
        let repeat_buyers = summaries.iter().flatten().filter(|s| s.x > 0).count() as u64;
        let (spend, spend_customers, correlation) = spend_cells(&summaries);
        let last_day = data.customer_orders().map(|o| o.day).max();
        let mut f = Fitted {
            as_of,
            exponent: data.info.minor_exponent,
            params: *params,
            summaries,
            cells,
            cell_of,
            repeat_buyers,
            spend_customers,
            correlation,
            last_day,
            bg: None,
            pareto: None,
            pareto_skipped: false,
            spend: None,
            status: ClvStatus::NoCustomers,
            model: None,
            holdout: None,
            cell_expected: Vec::new(),
        };
        if f.cells.is_empty() {
            return f;
        }
        f.start_holdout();
        if repeat_buyers == 0 {
            f.status = ClvStatus::NoRepeatBuyers;
            return f;
        }
        let customers = f.summaries.iter().flatten().count() as u64;
        if customers < MIN_CUSTOMERS || repeat_buyers < MIN_REPEAT_BUYERS {
            f.status = ClvStatus::TooFewCustomers;
            return f;
        }
        progress(FitStage::BgNbd);
        f.bg = fit_bg_nbd(&f.cells);
        // Pareto/NBD only matters where the holdout compares it with
        // BG/NBD, or where BG/NBD did not converge (otherwise BG/NBD makes
        // the scores).
        let bg_converged = f.bg.as_ref().is_some_and(|b| b.converged);
        if f.holdout.is_some() || !bg_converged {
            progress(FitStage::ParetoNbd);
            f.pareto = fit_pareto_nbd(&f.cells);
        } else {
            f.pareto_skipped = true;
        }
        if spend.len() >= 2 && spend_customers >= 2 {
            progress(FitStage::GammaGamma);
            f.spend = fit_gamma_gamma(&spend);
        }
        progress(FitStage::Forecast);
        f.forecast();
        f.choose();
        f
    }

    /// The holdout's days and actual purchases, when there are orders
    /// after the as-of date (the models' predictions come in
    /// [`Fitted::forecast`]).
    fn holdout_length(&self) -> Option<f64> {
        self.last_day
            .filter(|&d| d > self.as_of)
            .map(|d| weeks(i64::from(d) - i64::from(self.as_of)))
    }

    fn start_holdout(&mut self) {
        let holdout_len = self.holdout_length();
        self.holdout = holdout_len.map(|length| Holdout {
            from: from_day(self.as_of.saturating_add(1)),
            to: from_day(self.last_day.unwrap_or(self.as_of)),
            length,
            customers: self.summaries.iter().flatten().count() as u64,
            actual: self
                .summaries
                .iter()
                .flatten()
                .map(|s| u64::from(s.holdout))
                .sum(),
            bg_nbd: None,
            pareto_nbd: None,
        });
    }

    /// Expected purchases per cell, for both models where they converged.
    fn forecast(&mut self) {
        let holdout_len = self.holdout_length();
        let months = month_ends(&self.params);
        let bg = self.bg.as_ref().filter(|f| f.converged).map(|f| f.params);
        let pareto = self
            .pareto
            .as_ref()
            .filter(|f| f.converged)
            .map(|f| f.params);
        // Holdout errors per model, summed over customers.
        let mut predicted = [0.0f64; 2];
        let mut abs_err = [0.0f64; 2];
        let mut hold: Vec<(f64, f64)> = vec![(0.0, 0.0); self.cells.len()];
        // Pareto/NBD's P(alive) per cell (its ₂F₁ terms are the costly
        // part), computed once for the holdout and the scores.
        let pareto_alive: Vec<f64> = match pareto {
            Some(m) => self
                .cells
                .iter()
                .map(|c| m.p_alive(c.x, c.t_x, c.t))
                .collect(),
            None => Vec::new(),
        };
        if let Some(len) = holdout_len {
            let horizon = [len];
            let mut bg_if_alive = bg.map(|m| IfAlive::new(m, &horizon));
            for (i, (c, h)) in self.cells.iter().zip(hold.iter_mut()).enumerate() {
                if let (Some(m), Some(cache)) = (bg, bg_if_alive.as_mut()) {
                    let e: f64 = cache.at(c.x, c.t).iter().sum();
                    h.0 = finite(m.p_alive(c.x, c.t_x, c.t) * e);
                }
                if let (Some(m), Some(&alive)) = (pareto, pareto_alive.get(i)) {
                    h.1 = finite(m.expected_given_alive(alive, c.x, c.t, &[len]).iter().sum());
                }
            }
            for (s, &ci) in self.summaries.iter().zip(&self.cell_of) {
                let (Some(s), Some(h)) = (s, hold.get(ci as usize)) else {
                    continue;
                };
                let a = f64::from(s.holdout);
                predicted[0] += h.0;
                predicted[1] += h.1;
                abs_err[0] += (h.0 - a).abs();
                abs_err[1] += (h.1 - a).abs();
            }
        }
        if let Some(h) = self.holdout.as_mut() {
            let n = (h.customers as f64).max(1.0);
            let fit = |i: usize| HoldoutFit {
                predicted: predicted.get(i).copied().unwrap_or(0.0),
                mae: abs_err.get(i).copied().unwrap_or(0.0) / n,
            };
            h.bg_nbd = bg.map(|_| fit(0));
            h.pareto_nbd = pareto.map(|_| fit(1));
        }
        self.model = match (&self.holdout, bg, pareto) {
            (
                Some(Holdout {
                    bg_nbd: Some(b),
                    pareto_nbd: Some(p),
                    ..
                }),
                Some(_),
                Some(_),
            ) if p.mae < b.mae => Some(PurchaseModel::ParetoNbd),
            (_, Some(_), _) => Some(PurchaseModel::BgNbd),
            (_, None, Some(_)) => Some(PurchaseModel::ParetoNbd),
            _ => None,
        };
        let model = self.model;
        let mut if_alive = bg.map(|m| IfAlive::new(m, &months));
        self.cell_expected = self
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (p_alive, by_month) = match (model, bg, pareto) {
                    (Some(PurchaseModel::BgNbd), Some(m), _) => {
                        let alive = m.p_alive(c.x, c.t_x, c.t);
                        let e = if_alive
                            .as_mut()
                            .map_or(&[][..], |cache| cache.at(c.x, c.t));
                        (alive, e.iter().map(|v| alive * v).collect())
                    }
                    (Some(PurchaseModel::ParetoNbd), _, Some(m)) => {
                        let alive = pareto_alive
                            .get(i)
                            .copied()
                            .unwrap_or_else(|| m.p_alive(c.x, c.t_x, c.t));
                        (alive, m.expected_given_alive(alive, c.x, c.t, &months))
                    }
                    _ => (0.0, Vec::new()),
                };
                CellForecast {
                    p_alive: finite(p_alive),
                    by_month: by_month.into_iter().map(finite).collect(),
                }
            })
            .collect();
    }

    /// The status from the fits.
    fn choose(&mut self) {
        self.status = if self.model.is_none() {
            ClvStatus::NotConverged
        } else {
            match &self.spend {
                Some(f) if f.converged && f.params.q > 1.0 => ClvStatus::Ok,
                Some(f) if f.converged => ClvStatus::SpendModelInvalid,
                _ => ClvStatus::NoSpendModel,
            }
        };
    }

    fn gamma_gamma(&self) -> Option<GammaGamma> {
        self.spend
            .as_ref()
            .filter(|f| f.converged && f.params.q > 1.0)
            .map(|f| f.params)
    }

    /// Every customer's scores, by customer id (`None` for a customer
    /// with no order by the as-of date, or when no purchase model fits).
    pub fn scores(&self) -> Vec<Option<CustomerClv>> {
        let Some(model) = self.model else {
            return vec![None; self.summaries.len()];
        };
        let gg = self.gamma_gamma();
        let exp = self.exponent;
        let d = self.params.discount;
        self.summaries
            .iter()
            .zip(&self.cell_of)
            .map(|(s, &ci)| {
                let s = s.as_ref()?;
                let f = self.cell_expected.get(ci as usize)?;
                let expected_orders = f.by_month.last().copied().unwrap_or(0.0);
                let avg = if s.x > 0 && s.repeat_spend > 0 {
                    s.repeat_spend as f64 / f64::from(s.x)
                } else {
                    0.0
                };
                let x = if avg > 0.0 { s.x } else { 0 };
                let aov = gg.and_then(|g| g.expected_avg(x, avg)).map(finite);
                let clv = aov.map(|v| {
                    let mut prev = 0.0;
                    let mut total = 0.0;
                    for (m, &e) in f.by_month.iter().enumerate() {
                        total += (e - prev).max(0.0) / (1.0 + d).dpowi(m as i32 + 1);
                        prev = e;
                    }
                    finite(total * v)
                });
                Some(CustomerClv {
                    p_alive: f.p_alive,
                    expected_orders,
                    expected_avg_order_value: aov.map(|v| Money::from_minor_f64(v, exp)),
                    clv: clv.map(|v| Money::from_minor_f64(v, exp)),
                    model,
                })
            })
            .collect()
    }

    /// The report, with the scores from [`Fitted::scores`].
    pub fn report(&self, data: &Dataset, scores: &[Option<CustomerClv>]) -> Clv {
        let exp = self.exponent;
        let major = minor_per_major(exp);
        let message = match self.status {
            ClvStatus::Ok => None,
            ClvStatus::NoCustomers => Some("no customer with a key bought on or before the as-of date".into()),
            ClvStatus::NoRepeatBuyers => Some("no customer bought on two different days by the as-of date: the models need repeat buyers (a later as-of date or a longer export helps)".into()),
            ClvStatus::TooFewCustomers => Some(format!("too few customers to fit the models: at least {MIN_CUSTOMERS} customers and {MIN_REPEAT_BUYERS} repeat buyers by the as-of date are needed")),
            ClvStatus::NotConverged => Some("neither purchase model settled on parameters; the figures are left out (more customers or a longer calibration period usually help)".into()),
            ClvStatus::NoSpendModel => Some("the spend model needs at least two repeat buyers with a positive average order value and a fit that settles: P(alive) and expected orders only, no CLV".into()),
            ClvStatus::SpendModelInvalid => Some("the spend model's q is at most 1 (order values too spread out for a finite average): P(alive) and expected orders only, no CLV".into()),
        };
        let gamma_gamma = self.spend.clone().map(|mut f| {
            f.params.gamma /= major;
            f
        });
        Clv {
            status: self.status,
            message,
            time_unit: TimeUnit::Week,
            calibration_end: from_day(self.as_of),
            horizon_months: self.params.horizon_months,
            discount: self.params.discount,
            customers: self.summaries.iter().flatten().count() as u64,
            repeat_buyers: self.repeat_buyers,
            cells: self.cells.len() as u64,
            model: self.model,
            bg_nbd: self.bg.clone(),
            pareto_nbd: self.pareto.clone(),
            gamma_gamma,
            spend_customers: self.spend_customers,
            frequency_spend_correlation: self.correlation,
            holdout: self.holdout.clone(),
            repeat_counts: self.repeat_counts(),
            p_alive_matrix: self.p_alive_matrix(),
            value_deciles: value_deciles(scores, exp),
            top_customers: self.top(data, scores),
            tracking: self.tracking(data),
            pareto_nbd_skipped: self.pareto_skipped,
        }
    }

    /// Customers by repeat purchases 0..7+, actual and expected by BG/NBD.
    fn repeat_counts(&self) -> Vec<RepeatCount> {
        let Some(m) = self.bg.as_ref().filter(|f| f.converged).map(|f| f.params) else {
            return Vec::new();
        };
        let mut actual = [0u64; 8];
        let mut expected = [0f64; 8];
        // Cells sorted by x; group the ages T to evaluate once per T.
        let mut by_t: Vec<(f64, f64)> = Vec::new();
        for c in &self.cells {
            if let Some(a) = actual.get_mut((c.x as usize).min(7)) {
                *a += c.weight as u64;
            }
            by_t.push((c.t, c.weight));
        }
        by_t.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut i = 0;
        while let Some(&(t, _)) = by_t.get(i) {
            let mut w = 0.0;
            while let Some(&(t2, w2)) = by_t.get(i) {
                if t2 != t {
                    break;
                }
                w += w2;
                i += 1;
            }
            let mut below = 0.0;
            for (k, e) in expected.iter_mut().enumerate().take(7) {
                let p = finite(m.p_count(k as u32, t));
                below += p;
                *e += w * p;
            }
            if let Some(e) = expected.get_mut(7) {
                *e += w * (1.0 - below).max(0.0);
            }
        }
        actual
            .iter()
            .zip(expected)
            .enumerate()
            .map(|(k, (&actual, expected))| RepeatCount {
                repeat_purchases: k as u32,
                actual,
                expected,
            })
            .collect()
    }

    /// Weekly points from the first purchase to the last order (the as-of
    /// date without a holdout), the last point on that day; none past
    /// [`MAX_TRACKING_DAYS`].
    fn tracking(&self, data: &Dataset) -> Vec<TrackingPoint> {
        let (Some(model), Some(start)) = (
            self.model,
            self.summaries.iter().flatten().map(|s| s.first).min(),
        ) else {
            return Vec::new();
        };
        let end = self.last_day.unwrap_or(self.as_of).max(self.as_of);
        let offset =
            |d: Day| usize::try_from(i64::from(d) - i64::from(start)).unwrap_or(usize::MAX);
        let span = offset(end);
        if span > MAX_TRACKING_DAYS {
            return Vec::new();
        }
        // E[X(t)] of a new customer at every whole day of the span: the
        // conditional expectation of one with x = 0 observed for no time.
        let days: Vec<f64> = (0..=span).map(|d| weeks(d as i64)).collect();
        let unconditional = match model {
            PurchaseModel::BgNbd => self
                .bg
                .as_ref()
                .map(|f| f.params.expected(0, 0.0, 0.0, &days)),
            PurchaseModel::ParetoNbd => self
                .pareto
                .as_ref()
                .map(|f| f.params.expected(0, 0.0, 0.0, &days)),
        }
        .unwrap_or_default();
        // Customers by first day, and repeat purchase days by day.
        let mut new_by_day = vec![0u64; span + 1];
        for s in self.summaries.iter().flatten() {
            if let Some(n) = new_by_day.get_mut(offset(s.first)) {
                *n += 1;
            }
        }
        let mut repeats_by_day = vec![0u64; span + 1];
        let mut last_seen: Vec<Day> = self
            .summaries
            .iter()
            .map(|s| s.map_or(Day::MAX, |s| s.first))
            .collect();
        for o in data.customer_orders() {
            let Some(seen) = last_seen.get_mut(o.customer as usize) else {
                continue;
            };
            if *seen != Day::MAX && o.day > *seen {
                *seen = o.day;
                if let Some(n) = repeats_by_day.get_mut(offset(o.day)) {
                    *n += 1;
                }
            }
        }
        let firsts: Vec<(usize, u64)> = new_by_day
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(d, &n)| (d, n))
            .collect();
        let mut points: Vec<usize> = (1..).map(|k| 7 * k).take_while(|&d| d < span).collect();
        points.push(span);
        let mut actual = 0u64;
        let mut counted = 0usize;
        points
            .into_iter()
            .map(|at| {
                while counted <= at {
                    actual += repeats_by_day.get(counted).copied().unwrap_or(0);
                    counted += 1;
                }
                let expected = firsts
                    .iter()
                    .take_while(|&&(d, _)| d <= at)
                    .map(|&(d, n)| n as f64 * unconditional.get(at - d).copied().unwrap_or(0.0))
                    .sum::<f64>();
                TrackingPoint {
                    day: from_day(start.saturating_add(at as Day)),
                    actual,
                    expected: finite(expected),
                }
            })
            .collect()
    }

    fn p_alive_matrix(&self) -> Option<PAliveMatrix> {
        let model = self.model?;
        let t = self.cells.iter().map(|c| c.t).fold(0.0, f64::max);
        let max_x = self.cells.iter().map(|c| c.x).max().unwrap_or(0).min(10);
        let frequencies: Vec<u32> = (0..=max_x).collect();
        let recencies: Vec<f64> = (0..=8).map(|j| t * f64::from(j) / 8.0).collect();
        let p = |x: u32, t_x: f64| -> f64 {
            let t_x = if x == 0 { 0.0 } else { t_x };
            let v = match model {
                PurchaseModel::BgNbd => self.bg.as_ref().map(|f| f.params.p_alive(x, t_x, t)),
                PurchaseModel::ParetoNbd => {
                    self.pareto.as_ref().map(|f| f.params.p_alive(x, t_x, t))
                }
            };
            finite(v.unwrap_or(0.0))
        };
        let p_alive = frequencies
            .iter()
            .map(|&x| recencies.iter().map(|&r| p(x, r)).collect())
            .collect();
        Some(PAliveMatrix {
            model,
            t,
            frequencies,
            recencies,
            p_alive,
        })
    }

    fn top(&self, data: &Dataset, scores: &[Option<CustomerClv>]) -> Vec<TopCustomer> {
        let key = |c: &CustomerClv| c.clv.map_or(c.expected_orders, |m| m.minor());
        let mut ranked: Vec<(usize, &CustomerClv)> = scores
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|s| (i, s)))
            .collect();
        ranked.sort_by(|a, b| key(b.1).total_cmp(&key(a.1)).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(100)
            .filter_map(|(i, s)| {
                let sum = self.summaries.get(i).copied().flatten()?;
                Some(TopCustomer {
                    customer: crate::mapping::display_key(&data.customer_keys[i]).into_owned(),
                    x: sum.x,
                    t_x: weeks(i64::from(sum.last) - i64::from(sum.first)),
                    t: weeks(i64::from(self.as_of) - i64::from(sum.first)),
                    p_alive: s.p_alive,
                    expected_orders: s.expected_orders,
                    expected_avg_order_value: s.expected_avg_order_value,
                    clv: s.clv,
                })
            })
            .collect()
    }
}

/// 0 for a value that is not finite (never reached by a converged fit;
/// the output never carries NaN).
fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// Ten groups of customers by CLV, top first (sizes differ by at most one).
fn value_deciles(scores: &[Option<CustomerClv>], exp: u8) -> Vec<ValueDecile> {
    let mut v: Vec<f64> = scores
        .iter()
        .flatten()
        .filter_map(|s| s.clv.map(|m| m.minor()))
        .collect();
    if v.is_empty() {
        return Vec::new();
    }
    v.sort_by(|a, b| b.total_cmp(a));
    let n = v.len();
    (0..10)
        .map(|d| {
            let part = v.get(n * d / 10..n * (d + 1) / 10).unwrap_or(&[]);
            let total: f64 = part.iter().sum();
            let money = |m: f64| Money::from_minor_f64(m, exp);
            ValueDecile {
                decile: d as u8 + 1,
                customers: part.len() as u64,
                total: money(total),
                mean: money(if part.is_empty() {
                    0.0
                } else {
                    total / part.len() as f64
                }),
                min: money(part.last().copied().unwrap_or(0.0)),
                max: money(part.first().copied().unwrap_or(0.0)),
            }
        })
        .collect()
}

/// Fits the models as of the settings' as-of date (default the last
/// order day).
pub fn fit(data: &Dataset, params: &AnalyzeParams) -> Result<Fitted, Error> {
    let (as_of, _) = params.window(data)?;
    Ok(Fitted::new(data, as_of, &params.clv))
}

/// Every customer's P(alive), expected orders, expected average order
/// value and CLV over the horizon, by customer id (for the customer list
/// and the churn-risk and potential-LTV ranks).
pub fn scores(data: &Dataset, params: &AnalyzeParams) -> Result<Vec<Option<CustomerClv>>, Error> {
    Ok(fit(data, params)?.scores())
}

/// The CLV report for [`crate::report::analyze`].
pub fn clv(data: &Dataset, as_of: NaiveDate, params: &ClvParams) -> Clv {
    clv_with_progress(data, as_of, params, &mut |_| {})
}

/// [`clv`], telling `progress` as each step starts.
pub fn clv_with_progress(
    data: &Dataset,
    as_of: NaiveDate,
    params: &ClvParams,
    progress: &mut dyn FnMut(FitStage),
) -> Clv {
    let fitted = Fitted::with_progress(data, as_of, params, progress);
    progress(FitStage::Report);
    let scores = fitted.scores();
    fitted.report(data, &scores)
}
