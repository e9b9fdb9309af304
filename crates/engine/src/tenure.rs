//! Tenure (在籍期間 / 契約期間): how long customers stay.
//!
//! A customer's tenure is the time from their first to their last order,
//! `T_c = last_c − first_c` in days; in months `T_c / 30.4375` (365.25 / 12).
//! A customer whose last order is within the churn window
//! (`as_of − last_c < churn_days`, default 240 days, the CPM convention) is
//! still active: their tenure is not over, so the plain mean
//! `Σ_c T_c / n` is biased low.
//!
//! The Kaplan–Meier estimate treats churned customers as events at `T_c`
//! and active ones as censored at the as-of date, `as_of − first_c`. With
//! `d_t` events and `r_t` customers at risk (time ≥ `t`) at day `t`,
//! `S(t) = Π_{s ≤ t} (1 − d_s / r_s)` is the share still in tenure after day
//! `t`, and the restricted mean over a horizon `τ` (default 24 months) is
//! `RMST(τ) = ∫_0^τ S(u) du = Σ_{t < ⌊τ⌋} S(t) + S(⌊τ⌋)·(τ − ⌊τ⌋)` days,
//! the mean tenure with each customer's tenure capped at `τ`. `τ` is cut to
//! the longest time observed (`effective_horizon`), beyond which `S` is not
//! known.

use crate::calendar::DAYS_PER_MONTH;
use crate::date::Day;
use crate::history::{History, NO_DAY};
use crate::store::Dataset;
use serde::{Deserialize, Serialize};

/// Settings of the tenure figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TenureParams {
    /// Days since the last order from which a customer counts as churned
    /// (離脱); default 240.
    pub churn_days: u32,
    /// `τ` of the restricted mean, in months; default 24.
    pub horizon_months: u32,
}

impl Default for TenureParams {
    fn default() -> Self {
        TenureParams {
            churn_days: 240,
            horizon_months: 24,
        }
    }
}

/// `S` at the end of month `k` of tenure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurvivalPoint {
    /// `k`: months of tenure (`k × 30.4375` days).
    pub month: u32,
    /// Kaplan–Meier share of customers whose tenure is longer.
    pub survival: f64,
}

/// The tenure figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tenure {
    pub churn_days: u32,
    /// `τ` asked for, in months.
    pub horizon_months: u32,
    /// `τ` used: the horizon cut to the longest time observed, in months.
    pub effective_horizon_months: Option<f64>,
    /// Customers with an order by the as-of date.
    pub customers: u64,
    /// Of them, last order within the churn window (censored).
    pub active: u64,
    /// Of them, last order `churn_days` or more before the as-of date.
    pub churned: u64,
    /// `Σ_c T_c / n`, in months.
    pub plain_mean_months: Option<f64>,
    /// `RMST(τ)` in months.
    pub restricted_mean_months: Option<f64>,
    /// `S` at whole months `0..=⌊effective horizon⌋`.
    pub survival: Vec<SurvivalPoint>,
}

/// Events and censorings by day of tenure.
#[derive(Default)]
struct Km {
    events: Vec<u64>,
    censored: Vec<u64>,
    n: u64,
    active: u64,
    sum_days: u64,
}

impl Km {
    /// Tallies the customers with `first[c] != NO_DAY`.
    fn tally(first: &[Day], last: &[Day], as_of: Day, churn_days: u32) -> Km {
        let mut k = Km::default();
        for (&f, &l) in first.iter().zip(last) {
            if f == NO_DAY || l < f || as_of < l {
                continue;
            }
            let tenure = (l as i64 - f as i64) as u64;
            let since_last = as_of as i64 - l as i64;
            let (t, hist) = if since_last >= churn_days as i64 {
                (tenure, &mut k.events)
            } else {
                k.active += 1;
                ((as_of as i64 - f as i64) as u64, &mut k.censored)
            };
            let t = t as usize;
            if hist.len() <= t {
                hist.resize(t + 1, 0);
            }
            if let Some(x) = hist.get_mut(t) {
                *x += 1;
            }
            k.n += 1;
            k.sum_days += tenure;
        }
        let len = k.events.len().max(k.censored.len());
        k.events.resize(len, 0);
        k.censored.resize(len, 0);
        k
    }

    /// `S(t)` after each day `t` of the histogram.
    fn survival(&self) -> Vec<f64> {
        let mut at_risk = self.n;
        let mut s = 1.0;
        self.events
            .iter()
            .zip(&self.censored)
            .map(|(&d, &c)| {
                if d > 0 && at_risk > 0 {
                    s *= 1.0 - d as f64 / at_risk as f64;
                }
                at_risk = at_risk.saturating_sub(d + c);
                s
            })
            .collect()
    }
}

/// `∫_0^τ S`, with `S` constant on `[t, t+1)`.
fn restricted_mean(s: &[f64], tau: f64) -> f64 {
    let whole = tau.floor().max(0.0) as usize;
    let mut area: f64 = s.iter().take(whole).sum();
    if let Some(&x) = s.get(whole) {
        area += x * (tau - whole as f64);
    }
    area
}

fn figures(k: &Km, p: &TenureParams) -> Tenure {
    let mut t = Tenure {
        churn_days: p.churn_days,
        horizon_months: p.horizon_months,
        effective_horizon_months: None,
        customers: k.n,
        active: k.active,
        churned: k.n - k.active,
        plain_mean_months: None,
        restricted_mean_months: None,
        survival: Vec::new(),
    };
    if k.n == 0 {
        return t;
    }
    t.plain_mean_months = Some(k.sum_days as f64 / k.n as f64 / DAYS_PER_MONTH);
    let s = k.survival();
    let longest = s.len().saturating_sub(1) as f64;
    let tau = (p.horizon_months as f64 * DAYS_PER_MONTH).min(longest);
    t.effective_horizon_months = Some(tau / DAYS_PER_MONTH);
    t.restricted_mean_months = Some(restricted_mean(&s, tau) / DAYS_PER_MONTH);
    let mut month = 0u32;
    while month as f64 * DAYS_PER_MONTH <= tau {
        let day = (month as f64 * DAYS_PER_MONTH).floor() as usize;
        if let Some(&x) = s.get(day) {
            t.survival.push(SurvivalPoint { month, survival: x });
        }
        month += 1;
    }
    t
}

/// The tenure figures as of the histories' date.
pub fn tenure(history: &History, p: &TenureParams) -> Tenure {
    figures(
        &Km::tally(&history.first, &history.last, history.as_of, p.churn_days),
        p,
    )
}

/// The Kaplan–Meier restricted mean tenure (months) as it stood on each of
/// the given days, ascending: the figure [`tenure`] gives as of that day.
/// One pass over the orders (sorted by day) and one tally per day.
pub fn restricted_mean_at(data: &Dataset, days: &[Day], p: &TenureParams) -> Vec<Option<f64>> {
    let n = data.customer_keys.len();
    let mut first = vec![NO_DAY; n];
    let mut last = vec![Day::MIN; n];
    let mut next = 0usize;
    days.iter()
        .map(|&day| {
            while let Some(o) = data.orders.get(next) {
                if o.day > day {
                    break;
                }
                next += 1;
                let c = o.customer as usize;
                if let (Some(f), Some(l)) = (first.get_mut(c), last.get_mut(c)) {
                    *f = (*f).min(o.day);
                    *l = (*l).max(o.day);
                }
            }
            figures(&Km::tally(&first, &last, day, p.churn_days), p).restricted_mean_months
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaplan_meier_by_hand() {
        // Four customers, as of day 100, churn window 30 days:
        //   a: first 0, last 10  -> churned, event at 10
        //   b: first 0, last 0   -> churned, event at 0
        //   c: first 40, last 80 -> active, censored at 60
        //   d: first 20, last 90 -> active, censored at 80
        let first = [0, 0, 40, 20];
        let last = [10, 0, 80, 90];
        let k = Km::tally(&first, &last, 100, 30);
        assert_eq!((k.n, k.active, k.sum_days), (4, 2, 10 + 40 + 70));
        let s = k.survival();
        // Day 0: 1 event of 4 at risk -> 3/4. Day 10: 1 of 3 -> 1/2. Then flat.
        assert_eq!(s[0], 0.75);
        assert_eq!(s[9], 0.75);
        assert_eq!(s[10], 0.5);
        assert_eq!(s[80], 0.5);
        // RMST over 30 days: 10 × 0.75 + 20 × 0.5 = 17.5.
        assert_eq!(restricted_mean(&s, 30.0), 17.5);
        assert_eq!(restricted_mean(&s, 10.5), 7.5 + 0.25);
    }

    #[test]
    fn no_customers() {
        let t = figures(&Km::default(), &TenureParams::default());
        assert_eq!(
            (t.customers, t.plain_mean_months, t.restricted_mean_months),
            (0, None, None)
        );
    }
}
