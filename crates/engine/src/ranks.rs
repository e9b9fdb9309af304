//! Customer ranks (顧客ランク: 高LTV / 潜在LTV / 一般) and churn risk
//! (離脱予兆): whom to thank, whom to grow, whom to call back before they go.
//!
//! Everything is as of the as-of date `d`, over the orders on or before it
//! that have a customer key (as [`crate::history`] counts them). The ranked
//! customers are those with at least one such order; `n` is their number.
//!
//! ## The 12-month value
//! `V_c` = customer `c`'s spend over the 12 calendar months ending on `d`
//! ([`Window::months_ending`]`(d, 12)`: for `d` = 2024-12-31 that is
//! 2024-01-01 ..= 2024-12-31), the value the decile analysis sorts its
//! default window by ([`crate::decile::window_spend`]). A customer who did
//! not buy in those months has `V_c = 0`. (The decile window's own `from` /
//! `to` settings do not move it: this is always the last 12 months.)
//!
//! ## Ranks
//! - **High-LTV (高LTV)**: the top 20% by `V_c`, with ties kept together as
//!   in RFM's quintiles ([`crate::rfm`]): sort the `n` values ascending and
//!   let `below(v)` = #{customers with a value < v}; `c` is high-LTV when
//!
//!   `below(V_c) ≥ ⌈4n/5⌉` and `V_c > 0`
//!
//!   (RFM's score 5 on this value). A run of equal values that straddles
//!   the 20% line is left out whole, so the rank holds at most 20% of the
//!   customers: with values 100, 80, 80, 70, 60, 50, 40, 30, 20, 10 only the
//!   100 is high-LTV (the two 80s would be the 2nd and 3rd of 10). A
//!   customer with no spend in the 12 months is never high-LTV. The **cut**
//!   is the lowest high-LTV value (`null` when nobody is high-LTV).
//! - **Potential-LTV (潜在LTV)**, by history ([`PotentialRule::History`],
//!   the default): not high-LTV, and
//!   - active: `d − last_c < churn_days` (not 離脱, as in [`crate::cpm`]);
//!   - at least 2 orders;
//!   - run-rate ≥ cut, where
//!
//!     `run-rate_c = S_c ÷ max(d − first_c, 90) × 365`
//!
//!     with `S_c` the spend since the first order (all their orders up to
//!     `d`, RFM's M) and `d − first_c` the days since the first order. The
//!     90-day floor keeps a brand-new customer's first weeks from being
//!     annualised into a fortune. Compared exactly in minor units:
//!     `S_c × 365 ≥ cut × max(d − first_c, 90)`.
//!
//!   With nobody high-LTV (no cut) nobody is potential-LTV either.
//!
//!   **By predicted value** ([`PotentialRule::Clv`], setting
//!   `potential-ltv=clv`): not high-LTV, and the predicted value over the
//!   CLV horizon (default 12 months) ≥ cut, where the predicted value is the
//!   discounted CLV ([`crate::clv`]) or, when the spend model does not hold,
//!   expected orders × the customer's average order value (`S_c ÷ k_c`).
//!   The churn-risk rows then carry P(alive). When no purchase model fits,
//!   the history rule is used and `rule` says so.
//! - **General (一般)**: everyone else. The three ranks add up to `n`.
//!
//! Per rank: customers, their 12-month revenue `Σ V_c`, and both as shares
//! of all ranked customers (0 when the total is 0).
//!
//! ## Churn risk (離脱予兆)
//! An active repeat customer whose days since the last order have run past
//! their own usual interval. For `c` with order days (distinct, ascending)
//! `t_1 < t_2 < … < t_k`:
//! - repeat: `k ≥ 2` (two orders on the same day are one day: not repeat);
//! - active: `d − t_k < churn_days`;
//! - `gap` = the median of `t_{i+1} − t_i` (the mean of the two middle gaps
//!   when their number is even, so it can end in .5);
//! - allowed days `A_c = max(factor × gap, floor)` (settings
//!   `churn-risk-factor`, default 1.5, and `churn-risk-floor`, default 30
//!   days);
//! - **due date** = `t_k + ⌈A_c⌉` days;
//! - **at risk** when `d > due date`; days overdue = `d − due date`. On the
//!   due date itself a customer is not yet at risk; the day after they are.
//!
//! With the defaults, a customer who buys every 10 days is due 30 days after
//! the last order (the floor beats 1.5 × 10), one who buys every 60 days
//! after 90, one with gaps of 20 and 25 days (median 22.5) after
//! ⌈33.75⌉ = 34. A customer whose allowed days reach `churn_days` goes
//! from active straight to churned without being flagged.
//!
//! **Value at risk** = `V_c`, the 12-month value. The report's list is
//! sorted by value at risk (highest first), then days overdue (most first),
//! then customer key, and holds the first [`TOP_ROWS`]; the customer list
//! ([`crate::customers`]) has all of them.

use crate::clv::CustomerClv;
use crate::date::{from_day, Day};
use crate::decile::{window_spend, Window};
use crate::history::{History, NO_DAY};
use crate::money::Money;
use crate::report::AnalyzeParams;
use crate::rfm::quintile_cuts;
use crate::store::Dataset;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Rows of [`ChurnRisk::top`].
pub const TOP_ROWS: usize = 100;

/// The least days the potential-LTV run-rate divides by.
pub const RUN_RATE_MIN_DAYS: i64 = 90;

/// Churn-risk settings (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChurnRiskParams {
    /// A customer is due after `factor` × their median gap; default 1.5.
    pub factor: f64,
    /// …but never sooner than this many days; default 30.
    pub floor_days: u32,
}

impl Default for ChurnRiskParams {
    fn default() -> Self {
        ChurnRiskParams {
            factor: 1.5,
            floor_days: 30,
        }
    }
}

/// A customer's rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    /// 高LTV: the top 20% by 12-month value.
    HighLtv,
    /// 潜在LTV: on course to become high-LTV.
    PotentialLtv,
    /// 一般: the rest.
    General,
}

impl Rank {
    /// Every rank, highest first.
    pub const ALL: [Rank; 3] = [Rank::HighLtv, Rank::PotentialLtv, Rank::General];

    /// Its id in the JSON and the CLI.
    pub fn id(self) -> &'static str {
        match self {
            Rank::HighLtv => "high_ltv",
            Rank::PotentialLtv => "potential_ltv",
            Rank::General => "general",
        }
    }

    /// Its Japanese name.
    pub fn japanese(self) -> &'static str {
        match self {
            Rank::HighLtv => "高LTV",
            Rank::PotentialLtv => "潜在LTV",
            Rank::General => "一般",
        }
    }
}

/// How potential-LTV customers are found (setting `potential-ltv`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PotentialRule {
    /// Active, 2+ orders, run-rate at least the high-LTV cut.
    #[default]
    History,
    /// The predicted value over the CLV horizon at least the high-LTV cut
    /// ([`crate::clv`]; the fit runs with the analysis).
    Clv,
}

impl PotentialRule {
    /// `history` or `clv`.
    pub fn name(self) -> &'static str {
        match self {
            PotentialRule::History => "history",
            PotentialRule::Clv => "clv",
        }
    }

    pub fn from_name(name: &str) -> Option<PotentialRule> {
        [PotentialRule::History, PotentialRule::Clv]
            .into_iter()
            .find(|r| r.name() == name)
    }
}

/// A customer's predicted value over the CLV horizon, minor units: the
/// CLV when the spend model holds, else the expected orders times the
/// customer's own average order value.
fn predicted_value(score: &CustomerClv, spend: i64, orders: u32) -> f64 {
    match score.clv {
        Some(v) => v.minor(),
        None if orders > 0 => score.expected_orders * spend as f64 / f64::from(orders),
        None => 0.0,
    }
}

/// A customer at risk of churning.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Overdue {
    /// The day they were due to order again.
    pub due: Day,
    /// Days past it (≥ 1).
    pub days_overdue: i64,
    /// The median gap between their order days.
    pub median_gap_days: f64,
}

/// Every customer's rank and churn risk, indexed by customer id.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerRanks {
    pub as_of: Day,
    /// The 12 months of the value.
    pub window: Window,
    pub rule: PotentialRule,
    /// The lowest high-LTV value (minor units); `None` if nobody is.
    pub cut: Option<i64>,
    /// 12-month value `V_c`, minor units.
    pub value: Vec<i64>,
    /// `None` for a customer with no order by the as-of date.
    pub rank: Vec<Option<Rank>>,
    /// `Some` for the customers at risk.
    pub risk: Vec<Option<Overdue>>,
    /// P(alive) by customer when the CLV scores were given (empty
    /// otherwise).
    pub p_alive: Vec<Option<f64>>,
}

/// Ranks and churn risk of every customer (see the module doc). With
/// `predicted` (the CLV scores by customer id, [`crate::clv::scores`]) and
/// the rule [`PotentialRule::Clv`], potential-LTV is by predicted value;
/// without a fitted model (every score `None`) it falls back to history,
/// and the ranks say which rule was used.
pub fn customer_ranks(
    data: &Dataset,
    history: &History,
    params: &AnalyzeParams,
    predicted: Option<&[Option<CustomerClv>]>,
) -> CustomerRanks {
    let predicted = predicted.filter(|s| s.iter().any(Option::is_some));
    let rule = match (params.potential_rule, predicted) {
        (PotentialRule::Clv, Some(_)) => PotentialRule::Clv,
        _ => PotentialRule::History,
    };
    let score = |c: usize| predicted.and_then(|s| s.get(c)).and_then(Option::as_ref);
    let as_of = history.as_of;
    let window = Window::months_ending(from_day(as_of), 12);
    let n = history.orders.len();
    let value: Vec<i64> = window_spend(data, window)
        .into_iter()
        .map(|(s, _)| s)
        .chain(std::iter::repeat(0))
        .take(n)
        .collect();
    let ranked = |c: usize| history.orders.get(c).is_some_and(|&k| k > 0);
    let val = |c: usize| value.get(c).copied().unwrap_or(0);
    // High-LTV: RFM's quintile score 5 on the value, and a value above 0.
    let mut sorted: Vec<i64> = (0..n).filter(|&c| ranked(c)).map(val).collect();
    sorted.sort_unstable();
    let top = quintile_cuts(&sorted)[3];
    let high = |c: usize| ranked(c) && val(c) > 0 && top.is_some_and(|t| val(c) >= t);
    let cut = (0..n).filter(|&c| high(c)).map(val).min();

    // Each customer's order days (ascending, as the orders are sorted) and
    // spend up to the as-of date, bucketed by customer.
    let mut start = Vec::with_capacity(n + 1);
    start.push(0usize);
    let mut total = 0usize;
    for &k in &history.orders {
        total += k as usize;
        start.push(total);
    }
    let mut fill = start.clone();
    let mut days: Vec<Day> = vec![0; total];
    let mut spend = vec![0i64; n];
    for o in &data.orders {
        if o.day > as_of {
            continue;
        }
        let c = o.customer as usize;
        let (Some(f), Some(s)) = (fill.get_mut(c), spend.get_mut(c)) else {
            continue; // no customer key
        };
        if let Some(d) = days.get_mut(*f) {
            *d = o.day;
        }
        *f += 1;
        *s = s.saturating_add(o.amount);
    }

    let churn_days = i64::from(params.churn_days);
    let mut gaps = Vec::new();
    let mut rank = vec![None; n];
    let mut risk = vec![None; n];
    // ok-panic: every `[c]` below: c < n, the length of every per-customer
    // vector here and in `history`; `start` has n + 1 entries.
    for c in 0..n {
        if !ranked(c) {
            continue;
        }
        let (first, last) = (history.first[c], history.last[c]);
        let active = first != NO_DAY && i64::from(as_of) - i64::from(last) < churn_days;
        let orders = history.orders[c];
        let potential = match rule {
            PotentialRule::History => {
                active
                    && orders >= 2
                    && cut.is_some_and(|cut| {
                        let days = (i64::from(as_of) - i64::from(first)).max(RUN_RATE_MIN_DAYS);
                        i128::from(spend[c]) * 365 >= i128::from(cut) * i128::from(days)
                    })
            }
            PotentialRule::Clv => cut.is_some_and(|cut| {
                score(c).is_some_and(|s| predicted_value(s, spend[c], orders) >= cut as f64)
            }),
        };
        rank[c] = Some(if high(c) {
            Rank::HighLtv
        } else if potential {
            Rank::PotentialLtv
        } else {
            Rank::General
        });
        if !active {
            continue;
        }
        let mine = days.get_mut(start[c]..start[c + 1]).unwrap_or_default();
        mine.sort_unstable(); // already sorted when the dataset is
        gaps.clear();
        gaps.extend(
            mine.windows(2)
                .map(|w| i64::from(w[1]) - i64::from(w[0])) // ok-panic: windows of 2
                .filter(|&g| g > 0),
        );
        risk[c] = overdue(&mut gaps, last, as_of, &params.churn_risk);
    }
    let p_alive = match predicted {
        Some(s) => s.iter().map(|x| x.as_ref().map(|x| x.p_alive)).collect(),
        None => Vec::new(),
    };
    CustomerRanks {
        as_of,
        window,
        rule,
        cut,
        value,
        rank,
        risk,
        p_alive,
    }
}

/// Whether a customer with these gaps between distinct order days (any
/// order; empty: not a repeat customer) and this last order day is past
/// due on `as_of`.
fn overdue(gaps: &mut [i64], last: Day, as_of: Day, p: &ChurnRiskParams) -> Option<Overdue> {
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    let mid = gaps.len() / 2;
    let median = if gaps.len() % 2 == 1 {
        gaps[mid] as f64 // ok-panic: mid < len
    } else {
        (gaps[mid - 1] + gaps[mid]) as f64 / 2.0 // ok-panic: len ≥ 2 is even, 1 ≤ mid < len
    };
    let allowed = (p.factor * median).max(f64::from(p.floor_days));
    // Validation keeps the factor finite; past 100 years nobody is due.
    let allowed = allowed.ceil().min(36_500.0 * 100.0) as i64;
    let due = i64::from(last) + allowed;
    let days_overdue = i64::from(as_of) - due;
    if days_overdue <= 0 {
        return None;
    }
    Some(Overdue {
        due: Day::try_from(due).ok()?,
        days_overdue,
        median_gap_days: median,
    })
}

/// The churn-risk order: value at risk (highest first), then days overdue
/// (most first), then customer key.
pub fn by_risk(a: (i64, i64, &str), b: (i64, i64, &str)) -> Ordering {
    b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2))
}

/// One rank's customers and 12-month revenue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankRow {
    pub customers: u64,
    /// Their spend over the 12 months.
    pub revenue_12m: Money,
    /// Of the ranked customers.
    pub share_of_customers: f64,
    /// Of the ranked customers' 12-month revenue (0 when it is 0).
    pub share_of_revenue: f64,
}

/// The report's customer ranks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranks {
    /// How potential-LTV was decided (`history`, or `clv` when the rule
    /// asked for it and a purchase model fitted).
    pub rule: PotentialRule,
    /// The 12 months of the value.
    pub window: Window,
    /// The lowest high-LTV 12-month value; `null` if nobody is high-LTV.
    pub cut: Option<Money>,
    pub high_ltv: RankRow,
    pub potential_ltv: RankRow,
    pub general: RankRow,
}

/// One customer at risk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChurnRiskRow {
    /// The customer key as the store holds it.
    pub customer: String,
    pub orders: u32,
    pub last_order_date: NaiveDate,
    pub due_date: NaiveDate,
    pub days_overdue: i64,
    pub median_gap_days: f64,
    /// Their 12-month spend.
    pub value_at_risk: Money,
    /// The purchase model's probability that they are still active, when
    /// the CLV scores were computed (potential-LTV by CLV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_alive: Option<f64>,
}

/// The report's churn risk (離脱予兆).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChurnRisk {
    pub factor: f64,
    pub floor_days: u32,
    /// Customers at risk.
    pub customers: u64,
    /// Their 12-month spend.
    pub value_at_risk: Money,
    /// The first [`TOP_ROWS`] in the churn-risk order ([`by_risk`]).
    pub top: Vec<ChurnRiskRow>,
}

impl CustomerRanks {
    /// The report's ranks.
    pub fn ranks(&self, exp: u8) -> Ranks {
        let mut per = [(0u64, 0i64); 3];
        for (r, &v) in self.rank.iter().zip(&self.value) {
            let Some(r) = r else { continue };
            let i = Rank::ALL.iter().position(|x| x == r).unwrap_or(2);
            if let Some(p) = per.get_mut(i) {
                *p = (p.0 + 1, p.1.saturating_add(v));
            }
        }
        let n: u64 = per.iter().map(|p| p.0).sum();
        let total = per.iter().fold(0i64, |a, p| a.saturating_add(p.1));
        let share = |a: f64, b: f64| if b == 0.0 { 0.0 } else { a / b };
        let row = |(k, v): (u64, i64)| RankRow {
            customers: k,
            revenue_12m: Money::from_minor(v, exp),
            share_of_customers: share(k as f64, n as f64),
            share_of_revenue: share(v as f64, total as f64),
        };
        let [high, potential, general] = per;
        Ranks {
            rule: self.rule,
            window: self.window,
            cut: self.cut.map(|c| Money::from_minor(c, exp)),
            high_ltv: row(high),
            potential_ltv: row(potential),
            general: row(general),
        }
    }

    /// The report's churn risk.
    pub fn churn_risk(&self, data: &Dataset, history: &History, p: &ChurnRiskParams) -> ChurnRisk {
        let exp = data.info.minor_exponent;
        let key = |c: usize| data.customer_keys.get(c).unwrap_or("");
        let mut at: Vec<(usize, Overdue)> = self
            .risk
            .iter()
            .enumerate()
            .filter_map(|(c, r)| Some((c, (*r)?)))
            .collect();
        let val = |c: usize| self.value.get(c).copied().unwrap_or(0);
        at.sort_unstable_by(|a, b| {
            by_risk(
                (val(a.0), a.1.days_overdue, key(a.0)),
                (val(b.0), b.1.days_overdue, key(b.0)),
            )
        });
        let total = at.iter().fold(0i64, |s, a| s.saturating_add(val(a.0)));
        ChurnRisk {
            factor: p.factor,
            floor_days: p.floor_days,
            customers: at.len() as u64,
            value_at_risk: Money::from_minor(total, exp),
            top: at
                .iter()
                .take(TOP_ROWS)
                .map(|&(c, o)| ChurnRiskRow {
                    customer: crate::mapping::display_key(key(c)).into_owned(),
                    orders: history.orders.get(c).copied().unwrap_or(0),
                    last_order_date: from_day(history.last.get(c).copied().unwrap_or(0)),
                    due_date: from_day(o.due),
                    days_overdue: o.days_overdue,
                    median_gap_days: o.median_gap_days,
                    value_at_risk: Money::from_minor(val(c), exp),
                    p_alive: self.p_alive.get(c).copied().flatten(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn due(
        gaps: &[i64],
        last: Day,
        as_of: Day,
        factor: f64,
        floor: u32,
    ) -> Option<(Day, i64, f64)> {
        let p = ChurnRiskParams {
            factor,
            floor_days: floor,
        };
        overdue(&mut gaps.to_vec(), last, as_of, &p)
            .map(|o| (o.due, o.days_overdue, o.median_gap_days))
    }

    #[test]
    fn the_due_date_is_the_last_order_plus_the_allowed_days_rounded_up() {
        // Median of 3, 30, 9 is 9: 1.5 × 9 = 13.5 → 14 days; floor 0.
        assert_eq!(due(&[3, 30, 9], 100, 114, 1.5, 0), None);
        assert_eq!(due(&[3, 30, 9], 100, 115, 1.5, 0), Some((114, 1, 9.0)));
        // Even count: the mean of the middle two, 7 and 8 → 7.5 → 11.25 → 12.
        assert_eq!(due(&[8, 1, 7, 20], 0, 13, 1.5, 0), Some((12, 1, 7.5)));
        // The floor wins: 30 > 1.5 × 10.
        assert_eq!(due(&[10], 0, 30, 1.5, 30), None);
        assert_eq!(due(&[10], 0, 31, 1.5, 30), Some((30, 1, 10.0)));
        // No gaps: not a repeat customer.
        assert_eq!(due(&[], 0, 10_000, 1.0, 0), None);
        // Huge gaps and factors never overflow.
        assert_eq!(
            due(&[i64::from(i32::MAX)], Day::MAX - 1, Day::MAX, 10.0, 0),
            None
        );
        assert_eq!(
            due(&[1], Day::MIN, Day::MAX, 1.0, 0).map(|d| d.0),
            Some(Day::MIN + 1)
        );
    }

    #[test]
    fn rank_ids() {
        let ids: Vec<&str> = Rank::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids, ["high_ltv", "potential_ltv", "general"]);
        for r in Rank::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.id());
        }
        assert_eq!(
            serde_json::to_value(PotentialRule::History).unwrap(),
            "history"
        );
    }
}
