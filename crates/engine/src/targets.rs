//! LTV targets (LTV目標): a baseline, a monthly growth rate `g` and a
//! horizon `H` months.
//!
//! Month `k`'s target (`k = 0..=H`, `k = 0` is the baseline):
//! - compound reading: `baseline × (1 + g)^k`;
//! - linear reading: `baseline × (1 + g·k)`.
//!
//! The field's worked example: average tenure 5.13 months, +7% a month →
//! 5.49, 5.87, 6.28, 6.72 over four months (compound). "+7% for 5 months is
//! +35%" is the linear reading; compounding gives `1.07^5 − 1 = +40.3%`.
//! Both are always computed; [`Reading`] says which one is drawn.
//!
//! **Plan**: the schedule of the baseline the user types (default the worked
//! example: 5.13, 7%, 4 months).
//!
//! **Tracks** (actual against target): the same growth and horizon applied
//! to each metric from its own actual value in the plan's first month. The
//! plan runs over calendar months `start ..= start + H` (default: the last
//! `H + 1` complete months, so every month has an actual). The actual of a
//! month is the metric **as of the last day of that month, using only the
//! orders up to that day**, and exists only for complete months (last day on
//! or before the as-of date):
//! - LTV: the `horizon_months` LTV of [`crate::ltv`] as of that day
//!   ([`crate::ltv::ltv_at_month_ends`]);
//! - average tenure: the Kaplan–Meier restricted mean of [`crate::tenure`]
//!   as of that day ([`crate::tenure::restricted_mean_at`]);
//! - D1–D3: the average spend per customer of the decile in that month's
//!   decile trend ([`crate::trend`]).
//!
//! `gap = actual − target`, `gap_ratio = actual / target − 1`.

use crate::calendar::{label, last_complete, month_of, Granularity, Period};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which target is drawn (both are computed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// `baseline × (1 + g)^k`.
    #[default]
    Compound,
    /// `baseline × (1 + g·k)`.
    Linear,
}

impl Reading {
    pub fn name(self) -> &'static str {
        match self {
            Reading::Compound => "compound",
            Reading::Linear => "linear",
        }
    }
    pub fn from_name(name: &str) -> Option<Reading> {
        [Reading::Compound, Reading::Linear]
            .into_iter()
            .find(|r| r.name() == name)
    }
}

/// Settings of the targets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetParams {
    /// The plan's baseline (default 5.13, the worked example).
    pub baseline: f64,
    /// Monthly growth `g` (0.07 = +7%).
    pub growth: f64,
    /// `H`, months after the baseline month (default 4).
    pub horizon: u32,
    pub reading: Reading,
    /// The plan's first (baseline) month: any day of it. Default: `H`
    /// months before the last complete month.
    pub start: Option<NaiveDate>,
}

impl Default for TargetParams {
    fn default() -> Self {
        TargetParams {
            baseline: 5.13,
            growth: 0.07,
            horizon: 4,
            reading: Reading::Compound,
            start: None,
        }
    }
}

/// `baseline × (1 + g)^k`.
pub fn compound_target(baseline: f64, growth: f64, k: u32) -> f64 {
    baseline * (1.0 + growth).powi(k as i32)
}

/// `baseline × (1 + g·k)`.
pub fn linear_target(baseline: f64, growth: f64, k: u32) -> f64 {
    baseline * (1.0 + growth * k as f64)
}

/// One month of the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanStep {
    /// `k`.
    pub month: u32,
    pub compound: f64,
    pub linear: f64,
    /// The one of the chosen reading.
    pub target: f64,
}

/// The plan of the typed baseline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub baseline: f64,
    pub growth: f64,
    pub horizon: u32,
    pub reading: Reading,
    /// `k = 0..=H`.
    pub steps: Vec<PlanStep>,
    /// `(1 + g)^H − 1`.
    pub total_growth_compound: f64,
    /// `g·H`.
    pub total_growth_linear: f64,
}

fn chosen(reading: Reading, compound: f64, linear: f64) -> f64 {
    match reading {
        Reading::Compound => compound,
        Reading::Linear => linear,
    }
}

/// The schedule of `p.baseline`.
pub fn plan(p: &TargetParams) -> Plan {
    Plan {
        baseline: p.baseline,
        growth: p.growth,
        horizon: p.horizon,
        reading: p.reading,
        steps: (0..=p.horizon)
            .map(|k| {
                let compound = compound_target(p.baseline, p.growth, k);
                let linear = linear_target(p.baseline, p.growth, k);
                PlanStep {
                    month: k,
                    compound,
                    linear,
                    target: chosen(p.reading, compound, linear),
                }
            })
            .collect(),
        total_growth_compound: compound_target(1.0, p.growth, p.horizon) - 1.0,
        total_growth_linear: p.growth * p.horizon as f64,
    }
}

/// What a track follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// The `horizon_months` LTV (money).
    Ltv,
    /// Average tenure, Kaplan–Meier restricted mean (months).
    Tenure,
    /// Average spend per customer of decile 1, 2, 3 that month (money).
    D1,
    D2,
    D3,
}

/// The unit of a track's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Money,
    Months,
}

/// One month of a track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// `k`, months since the baseline month.
    pub k: u32,
    /// The target of the chosen reading (`None` without a baseline).
    pub target: Option<f64>,
    pub target_compound: Option<f64>,
    pub target_linear: Option<f64>,
    /// The metric as of the month's last day (`None` before it ends).
    pub actual: Option<f64>,
    /// `actual − target`.
    pub gap: Option<f64>,
    /// `actual / target − 1`.
    pub gap_ratio: Option<f64>,
}

/// Actual against target of one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Track {
    pub metric: Metric,
    pub unit: Unit,
    /// The actual of the baseline month (`k = 0`).
    pub baseline: Option<f64>,
    pub months: Vec<TrackMonth>,
}

/// The calendar months of the tracks: `start ..= start + H`.
pub fn track_months(p: &TargetParams, as_of: NaiveDate) -> Vec<Period> {
    let start = match p.start {
        Some(d) => month_of(d),
        None => last_complete(as_of, Granularity::Month).saturating_sub(p.horizon as Period),
    };
    (0..=p.horizon)
        .map(|k| start.saturating_add(k as Period))
        .collect()
}

/// A track from the metric's actuals of the [`track_months`] (in order).
pub fn track(
    metric: Metric,
    unit: Unit,
    months: &[Period],
    actuals: &[Option<f64>],
    p: &TargetParams,
) -> Track {
    let baseline = actuals.first().copied().flatten();
    let months = months
        .iter()
        .enumerate()
        .map(|(k, &m)| {
            let k = k as u32;
            let actual = actuals.get(k as usize).copied().flatten();
            let compound = baseline.map(|b| compound_target(b, p.growth, k));
            let linear = baseline.map(|b| linear_target(b, p.growth, k));
            let target = compound.zip(linear).map(|(c, l)| chosen(p.reading, c, l));
            let gap = actual.zip(target).map(|(a, t)| a - t);
            let gap_ratio = actual
                .zip(target)
                .and_then(|(a, t)| (t != 0.0).then(|| a / t - 1.0));
            TrackMonth {
                month: label(m, Granularity::Month),
                k,
                target,
                target_compound: compound,
                target_linear: linear,
                actual,
                gap,
                gap_ratio,
            }
        })
        .collect();
    Track {
        metric,
        unit,
        baseline,
        months,
    }
}

/// The targets: the plan and the tracks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    pub plan: Plan,
    /// The tracks' baseline month, `YYYY-MM`.
    pub start: Option<String>,
    /// LTV, tenure, D1, D2, D3.
    pub tracks: Vec<Track>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worked_example() {
        let p = plan(&TargetParams::default());
        // In hundredths: 5.13, 5.49, 5.87, 6.28, 6.72.
        let r: Vec<i64> = p
            .steps
            .iter()
            .map(|s| (s.compound * 100.0).round() as i64)
            .collect();
        assert_eq!(r, vec![513, 549, 587, 628, 672]);
        let five = plan(&TargetParams {
            horizon: 5,
            ..TargetParams::default()
        });
        assert!((five.total_growth_linear - 0.35).abs() < 1e-12);
        assert!((five.total_growth_compound - 0.402_551_7).abs() < 1e-7);
    }

    #[test]
    fn tracks_start_h_months_before_the_last_complete_month() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let p = TargetParams::default();
        let m = track_months(&p, d("2024-06-15"));
        let labels: Vec<String> = m.iter().map(|&x| label(x, Granularity::Month)).collect();
        assert_eq!(
            labels,
            ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
        );
        let t = track(
            Metric::Tenure,
            Unit::Months,
            &m,
            &[Some(2.0), Some(2.2), None, Some(2.0), Some(3.0)],
            &p,
        );
        assert_eq!(t.baseline, Some(2.0));
        assert_eq!(t.months[1].target, Some(2.14));
        assert!((t.months[1].gap.unwrap() - 0.06).abs() < 1e-12);
        assert_eq!(t.months[2].gap, None);
        let lin = TargetParams {
            reading: Reading::Linear,
            ..p
        };
        let t = track(Metric::Tenure, Unit::Months, &m, &[Some(2.0)], &lin);
        assert!((t.months[4].target.unwrap() - 2.56).abs() < 1e-12);
        assert_eq!(t.months[4].actual, None);
    }
}
