//! RFM analysis (RFM分析): each customer's recency, frequency and monetary
//! value scored 1–5, and the R × F grid of named segments.
//!
//! Over the orders on or before the as-of date, for every customer with a
//! key and at least one such order (as [`crate::history`] counts them):
//! - R (recency, 最終購買からの日数) = as-of day − last order day, in days;
//! - F (frequency, 購買回数) = number of orders;
//! - M (monetary, 累計購買金額) = sum of the order amounts (minor units; a
//!   refund booked as its own negative order lowers it).
//!
//! ## Scores
//! Every score is 1 to 5, 5 the best: the most recent (fewest days), the
//! most orders, the most spend. A score comes from four ascending cut
//! points `c1 ≤ c2 ≤ c3 ≤ c4` per dimension:
//! - R score = 1 + #{k : R ≤ c_k} (R ≤ c1 → 5; c4 < R → 1; a customer at
//!   exactly c_k days is on the better side);
//! - F score = 1 + #{k : F ≥ c_k}, M score = 1 + #{k : M ≥ c_k} (F < c1 →
//!   1; F ≥ c4 → 5; a customer at exactly c_k is on the better side).
//!
//! A missing cut point (`null`) is never met.
//!
//! **Fixed thresholds** ([`RfmParams`]) give the cut points directly
//! (R in days, F in orders, M in the file's currency, major units).
//!
//! **Quintiles** (五分位, the default) derive them from the data so that
//! customers with the same value always get the same score. Sort the n
//! customers from worst to best (R: most days first; F, M: smallest
//! first) and let `below(v)` be the number of customers strictly worse
//! than v (the position of v's first occurrence). Then
//!
//! `score(v) = 1 + ⌊5 · below(v) / n⌋`
//!
//! so a tie never splits across a boundary: the whole run of equal values
//! takes the score of its first position. The effective cut point `c_k`
//! reported is the worst value with `below(v) ≥ ⌈k·n/5⌉` (`null` if there
//! is none), and the threshold rule above with those cut points gives
//! exactly these scores (R's are reported in days, ascending, like fixed
//! ones: the k-th from the best end is `c_(5−k)`). With F, where most customers have one order: if
//! 60% have F = 1, they all score 1 (nobody is below them), F = 2 scores 4
//! when it starts at 60% of the customers, and scores 2 and 3 are empty;
//! a value held by everyone scores 1.
//!
//! ## Segments (R × F)
//! The widely used RFM segment map over the R score (rows) and the F score
//! (columns), with its hibernating corner split into `lost` (R = 1):
//!
//! | R \ F | 1 | 2 | 3 | 4 | 5 |
//! |---|---|---|---|---|---|
//! | 5 | new | potential_loyalist | potential_loyalist | champions | champions |
//! | 4 | promising | potential_loyalist | potential_loyalist | loyal | loyal |
//! | 3 | about_to_sleep | about_to_sleep | needs_attention | loyal | loyal |
//! | 2 | hibernating | hibernating | at_risk | at_risk | cannot_lose |
//! | 1 | lost | lost | at_risk | at_risk | cannot_lose |
//!
//! Per cell and per segment: customers and their revenue (their M);
//! shares are of the scored customers and of their revenue (0 when that
//! revenue is 0).

use crate::error::{Error, SettingError};
use crate::history::{History, NO_DAY};
use crate::money::{minor_per_major, Money};
use crate::store::Dataset;
use serde::{Deserialize, Serialize};

/// One of the three RFM dimensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Recency (days since the last order).
    R,
    /// Frequency (orders).
    F,
    /// Monetary (spend).
    M,
}

/// RFM settings: per dimension, fixed cut points, or `None` for quintiles
/// (the default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RfmParams {
    /// R cut points in days, ascending.
    pub r: Option<[u32; 4]>,
    /// F cut points in orders, ascending.
    pub f: Option<[u32; 4]>,
    /// M cut points in the file's currency, major units, ascending.
    pub m: Option<[f64; 4]>,
}

impl RfmParams {
    /// Errs unless every fixed set of cut points is strictly ascending
    /// (and, for M, finite).
    pub fn validate(&self) -> Result<(), Error> {
        let check = |dimension: Dimension, cuts: [f64; 4]| -> Result<(), Error> {
            let ok = cuts.iter().all(|c| c.is_finite()) && cuts.windows(2).all(|w| w[0] < w[1]);
            if ok {
                Ok(())
            } else {
                Err(SettingError::RfmCutsNotAscending {
                    dimension,
                    cuts: cuts.to_vec(),
                }
                .into())
            }
        };
        if let Some(c) = self.r {
            check(Dimension::R, c.map(f64::from))?;
        }
        if let Some(c) = self.f {
            check(Dimension::F, c.map(f64::from))?;
        }
        if let Some(c) = self.m {
            check(Dimension::M, c)?;
        }
        Ok(())
    }
}

/// A named cell group of the R × F grid (see the module doc's table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Champions,
    Loyal,
    PotentialLoyalist,
    New,
    Promising,
    NeedsAttention,
    AboutToSleep,
    AtRisk,
    CannotLose,
    Hibernating,
    Lost,
}

impl Segment {
    /// Every segment, in the report's order (best first).
    pub const ALL: [Segment; 11] = [
        Segment::Champions,
        Segment::Loyal,
        Segment::PotentialLoyalist,
        Segment::New,
        Segment::Promising,
        Segment::NeedsAttention,
        Segment::AboutToSleep,
        Segment::AtRisk,
        Segment::CannotLose,
        Segment::Hibernating,
        Segment::Lost,
    ];

    /// Its snake_case id (as in the JSON).
    pub fn id(self) -> &'static str {
        match self {
            Segment::Champions => "champions",
            Segment::Loyal => "loyal",
            Segment::PotentialLoyalist => "potential_loyalist",
            Segment::New => "new",
            Segment::Promising => "promising",
            Segment::NeedsAttention => "needs_attention",
            Segment::AboutToSleep => "about_to_sleep",
            Segment::AtRisk => "at_risk",
            Segment::CannotLose => "cannot_lose",
            Segment::Hibernating => "hibernating",
            Segment::Lost => "lost",
        }
    }

    /// The segment of the cell (R score, F score); scores outside 1–5 are
    /// clamped.
    pub fn of(r: u8, f: u8) -> Segment {
        let (r, f) = (r.clamp(1, 5), f.clamp(1, 5));
        match (r, f) {
            (5, 1) => Segment::New,
            (5, 2 | 3) | (4, 2 | 3) => Segment::PotentialLoyalist,
            (5, _) => Segment::Champions,
            (4, 1) => Segment::Promising,
            (3 | 4, _) if f >= 4 => Segment::Loyal,
            (3, 3) => Segment::NeedsAttention,
            (3, _) => Segment::AboutToSleep,
            (_, 5) => Segment::CannotLose,
            (_, 3 | 4) => Segment::AtRisk,
            (2, _) => Segment::Hibernating,
            _ => Segment::Lost,
        }
    }
}

/// One customer's RFM values, scores and segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRfm {
    /// Days since the last order.
    pub recency_days: i64,
    /// Orders.
    pub orders: u32,
    /// Spend, minor units.
    pub spend: i64,
    pub r_score: u8,
    pub f_score: u8,
    pub m_score: u8,
    pub segment: Segment,
}

/// The effective cut points, ascending (R in days, F in orders, M money);
/// `null` is never met.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cuts {
    pub r: [Option<i64>; 4],
    pub f: [Option<i64>; 4],
    pub m: [Option<Money>; 4],
}

/// One cell of the R × F grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub r: u8,
    pub f: u8,
    pub segment: Segment,
    pub customers: u64,
    pub revenue: Money,
}

/// One segment's totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    pub id: Segment,
    pub customers: u64,
    pub revenue: Money,
    pub share_of_customers: f64,
    pub share_of_revenue: f64,
}

/// The RFM analysis of the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rfm {
    /// `quintiles` (no fixed cut points), `thresholds` (all three fixed) or
    /// `mixed`.
    pub scoring: String,
    pub cuts: Cuts,
    /// The 25 cells, R 5 to 1, then F 1 to 5.
    pub cells: Vec<Cell>,
    /// The segments in [`Segment::ALL`]'s order.
    pub segments: Vec<SegmentRow>,
}

/// Cut points in "higher is better" keys, and the score they give.
fn score_up(v: i64, cuts: &[Option<i64>; 4]) -> u8 {
    1 + cuts.iter().filter(|c| c.is_some_and(|c| v >= c)).count() as u8
}

/// Quintile cut points of `keys` sorted ascending (higher is better): the
/// k-th is the smallest value whose first occurrence is at or past
/// ⌈k·n/5⌉.
pub(crate) fn quintile_cuts(sorted: &[i64]) -> [Option<i64>; 4] {
    let n = sorted.len();
    let mut cuts = [None; 4];
    for (k, cut) in cuts.iter_mut().enumerate() {
        let p = ((k + 1) * n).div_ceil(5);
        let Some(&v) = sorted.get(p) else { continue };
        // The first position of v's run.
        let first = sorted.partition_point(|&x| x < v);
        *cut = if first >= p {
            Some(v)
        } else {
            // The next distinct value starts past p.
            let next = sorted.partition_point(|&x| x <= v);
            sorted.get(next).copied()
        };
    }
    cuts
}

/// Per dimension, cut points as "higher is better" keys (R as −days).
struct KeyCuts {
    r: [Option<i64>; 4],
    f: [Option<i64>; 4],
    m: [Option<i64>; 4],
}

/// Each customer's R, F, M (R as days) and the cut points.
fn score_all(
    data: &Dataset,
    history: &History,
    params: &RfmParams,
) -> (Vec<Option<CustomerRfm>>, KeyCuts) {
    let n = history.orders.len();
    // M: one pass over the orders (History has R and F).
    let mut spend = vec![0i64; n];
    for o in &data.orders {
        if o.day > history.as_of {
            continue;
        }
        if let Some(s) = spend.get_mut(o.customer as usize) {
            *s = s.saturating_add(o.amount);
        }
    }
    let active = |c: usize| history.orders[c] > 0 && history.first[c] != NO_DAY; // ok-panic: c < n
    let recency = |c: usize| i64::from(history.as_of) - i64::from(history.last[c]); // ok-panic: c < n
    let exp = data.info.minor_exponent;
    let quint = |key: &dyn Fn(usize) -> i64| {
        let mut v: Vec<i64> = (0..n).filter(|&c| active(c)).map(key).collect();
        v.sort_unstable();
        quintile_cuts(&v)
    };
    let cuts = KeyCuts {
        r: match params.r {
            Some(c) => {
                // Ascending days are descending keys: reverse them.
                let mut k = c.map(|d| Some(-i64::from(d)));
                k.reverse();
                k
            }
            None => quint(&|c| -recency(c)),
        },
        f: match params.f {
            Some(c) => c.map(|x| Some(i64::from(x))),
            None => quint(&|c| i64::from(history.orders[c])), // ok-panic: c < n
        },
        m: match params.m {
            Some(c) => c.map(|x| Some((x * minor_per_major(exp)).round() as i64)),
            None => quint(&|c| spend[c]), // ok-panic: c < n
        },
    };
    let customers = (0..n)
        .map(|c| {
            if !active(c) {
                return None;
            }
            let recency_days = recency(c);
            let orders = history.orders[c]; // ok-panic: c < n
            let spend = spend[c]; // ok-panic: c < n
            let r_score = score_up(-recency_days, &cuts.r);
            let f_score = score_up(i64::from(orders), &cuts.f);
            Some(CustomerRfm {
                recency_days,
                orders,
                spend,
                r_score,
                f_score,
                m_score: score_up(spend, &cuts.m),
                segment: Segment::of(r_score, f_score),
            })
        })
        .collect();
    (customers, cuts)
}

/// Each customer's RFM, indexed by customer id (`None` for a customer with
/// no order on or before the as-of date).
pub fn scores(data: &Dataset, history: &History, params: &RfmParams) -> Vec<Option<CustomerRfm>> {
    score_all(data, history, params).0
}

/// The RFM analysis: cut points, the R × F grid and the segments.
pub fn rfm(data: &Dataset, history: &History, params: &RfmParams) -> Rfm {
    let exp = data.info.minor_exponent;
    let (customers, cuts) = score_all(data, history, params);
    let mut count = [[0u64; 5]; 5];
    let mut revenue = [[0i64; 5]; 5];
    let mut total = (0u64, 0i64);
    for c in customers.iter().flatten() {
        let (r, f) = (usize::from(c.r_score - 1), usize::from(c.f_score - 1));
        if let (Some(n), Some(v)) = (
            count.get_mut(r).and_then(|x| x.get_mut(f)),
            revenue.get_mut(r).and_then(|x| x.get_mut(f)),
        ) {
            *n += 1;
            *v = v.saturating_add(c.spend);
        }
        total = (total.0 + 1, total.1.saturating_add(c.spend));
    }
    let mut cells = Vec::with_capacity(25);
    let mut seg = [(0u64, 0i64); 11];
    for r in (1..=5u8).rev() {
        for f in 1..=5u8 {
            let (ri, fi) = (usize::from(r - 1), usize::from(f - 1));
            let (n, v) = (count[ri][fi], revenue[ri][fi]); // ok-panic: r, f in 1..=5
            let segment = Segment::of(r, f);
            if let Some(s) = Segment::ALL
                .iter()
                .position(|&s| s == segment)
                .and_then(|i| seg.get_mut(i))
            {
                *s = (s.0 + n, s.1.saturating_add(v));
            }
            cells.push(Cell {
                r,
                f,
                segment,
                customers: n,
                revenue: Money::from_minor(v, exp),
            });
        }
    }
    let share = |a: f64, b: f64| if b == 0.0 { 0.0 } else { a / b };
    let segments = Segment::ALL
        .iter()
        .zip(seg)
        .map(|(&id, (n, v))| SegmentRow {
            id,
            customers: n,
            revenue: Money::from_minor(v, exp),
            share_of_customers: share(n as f64, total.0 as f64),
            share_of_revenue: share(v as f64, total.1 as f64),
        })
        .collect();
    let fixed = [params.r.is_some(), params.f.is_some(), params.m.is_some()];
    let scoring = match fixed.iter().filter(|&&x| x).count() {
        0 => "quintiles",
        3 => "thresholds",
        _ => "mixed",
    };
    let mut r = cuts.r.map(|c| c.map(|k| -k));
    r.reverse();
    Rfm {
        scoring: scoring.into(),
        cuts: Cuts {
            r,
            f: cuts.f,
            m: cuts.m.map(|c| c.map(|v| Money::from_minor(v, exp))),
        },
        cells,
        segments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintile_cuts_keep_ties_together() {
        // 10 values: six 1s, two 2s, a 3, a 5.
        let v = [1, 1, 1, 1, 1, 1, 2, 2, 3, 5];
        let cuts = quintile_cuts(&v);
        assert_eq!(cuts, [Some(2), Some(2), Some(2), Some(3)]);
        let s: Vec<u8> = v.iter().map(|&x| score_up(x, &cuts)).collect();
        assert_eq!(s, [1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
        // Distinct values: two each per quintile.
        let v: Vec<i64> = (1..=10).collect();
        let cuts = quintile_cuts(&v);
        assert_eq!(cuts, [Some(3), Some(5), Some(7), Some(9)]);
        // Everyone equal: all score 1, no cut is met.
        assert_eq!(quintile_cuts(&[4, 4, 4]), [None; 4]);
        assert_eq!(quintile_cuts(&[]), [None; 4]);
        // The formula 1 + ⌊5·below/n⌋ for every value of a random-ish list.
        let v = [0, 0, 3, 3, 3, 7, 8, 8, 9, 12, 12, 12, 13];
        let cuts = quintile_cuts(&v);
        for &x in &v {
            let below = v.iter().filter(|&&y| y < x).count();
            assert_eq!(score_up(x, &cuts) as usize, 1 + 5 * below / v.len(), "{x}");
        }
    }

    #[test]
    fn segment_map() {
        let row = |r| {
            (1..=5)
                .map(|f| Segment::of(r, f).id())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(
            row(5),
            "new potential_loyalist potential_loyalist champions champions"
        );
        assert_eq!(
            row(4),
            "promising potential_loyalist potential_loyalist loyal loyal"
        );
        assert_eq!(
            row(3),
            "about_to_sleep about_to_sleep needs_attention loyal loyal"
        );
        assert_eq!(
            row(2),
            "hibernating hibernating at_risk at_risk cannot_lose"
        );
        assert_eq!(row(1), "lost lost at_risk at_risk cannot_lose");
        let mut seen: Vec<_> = (1..=5)
            .flat_map(|r| (1..=5).map(move |f| Segment::of(r, f)))
            .collect();
        seen.sort_by_key(|s| s.id());
        seen.dedup();
        assert_eq!(seen.len(), Segment::ALL.len());
    }
}
