//! The analysis settings by name: one table that the CLI (`--name VALUE`)
//! and the web app's URL (`?name=value`) both read, with the same names,
//! the same value formats and the same help.
//!
//! Each [`Setting`] sets one field of [`AnalyzeParams`] from text and
//! writes it back as text. A value that cannot be read is an error
//! ([`Setting::apply`]); whether the settings fit together is
//! [`AnalyzeParams::validate`]'s to say. Names the URL used before this
//! table ([`Setting::old_names`]: `as_of`, `target_months`...) are still
//! read, so links shared then keep their settings.

use crate::calendar::{parse_month, Granularity};
use crate::crosssell::{ExcludeList, Level, Mode};
use crate::ranks::PotentialRule;
use crate::report::AnalyzeParams;
use crate::targets::Reading;
use chrono::NaiveDate;

/// One analysis setting.
pub struct Setting {
    /// Its name: `--name` on the command line, `name=` in the URL.
    pub name: &'static str,
    /// Names the URL used for it before (still read, never written).
    pub old_names: &'static [&'static str],
    /// What its value looks like (`YYYY-MM-DD`, `MONTHS`...).
    pub value: &'static str,
    /// One line of help, with the default.
    pub help: &'static str,
    set: fn(&mut AnalyzeParams, &str) -> Result<(), String>,
    get: fn(&AnalyzeParams) -> Option<String>,
}

impl Setting {
    /// Sets this setting in `params` from `text`; an error says what was
    /// expected (`expected a date YYYY-MM-DD, got "2024-13-01"`).
    pub fn apply(&self, params: &mut AnalyzeParams, text: &str) -> Result<(), String> {
        (self.set)(params, text)
    }

    /// This setting's value in `params` as text that [`Setting::apply`]
    /// reads back (`None` if it is unset).
    pub fn format(&self, params: &AnalyzeParams) -> Option<String> {
        (self.get)(params)
    }

    /// Whether `name` names this setting (now or before).
    pub fn is_named(&self, name: &str) -> bool {
        self.name == name || self.old_names.contains(&name)
    }
}

/// The setting called `name` (or called so before).
pub fn setting(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.is_named(name))
}

/// The settings of `params` that differ from the defaults, by name, in
/// the order of [`SETTINGS`].
pub fn changed(params: &AnalyzeParams) -> Vec<(&'static str, String)> {
    let d = AnalyzeParams::default();
    SETTINGS
        .iter()
        .filter_map(|s| {
            let v = s.format(params)?;
            (Some(&v) != s.format(&d).as_ref()).then_some((s.name, v))
        })
        .collect()
}

fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("expected a date YYYY-MM-DD, got {text:?}"))
}

/// A whole number that fits a `u32`.
fn count(text: &str) -> Result<u32, String> {
    let n = text
        .trim()
        .parse::<u64>()
        .map_err(|_| format!("expected a whole number, got {text:?}"))?;
    u32::try_from(n).map_err(|_| format!("{n} is too large"))
}

/// A decimal number (`5000`, `12.5`).
fn decimal(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(format!("expected a number, got {text:?}")),
    }
}

/// A fraction written `0.35` or `35%`.
fn fraction(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let (num, scale) = match t.strip_suffix('%') {
        Some(p) => (p.trim(), 100.0),
        None => (t, 1.0),
    };
    match num.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x / scale),
        _ => Err(format!(
            "expected a fraction such as 0.35 or 35%, got {text:?}"
        )),
    }
}

/// One of a few names.
fn choice<T>(text: &str, read: impl Fn(&str) -> Option<T>, names: &str) -> Result<T, String> {
    read(text.trim()).ok_or_else(|| format!("expected {names}, got {text:?}"))
}

/// Four cut points written `a,b,c,d` (each read by `one`).
fn four<T: Copy + Default>(
    text: &str,
    one: impl Fn(&str) -> Result<T, String>,
) -> Result<[T; 4], String> {
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() != 4 {
        return Err(format!("expected four numbers a,b,c,d, got {text:?}"));
    }
    let mut out = [T::default(); 4];
    for (o, p) in out.iter_mut().zip(parts) {
        *o = one(p)?;
    }
    Ok(out)
}

/// Cut points as `a,b,c,d`.
fn write_four<T: ToString>(cuts: &[T; 4]) -> String {
    cuts.iter().map(T::to_string).collect::<Vec<_>>().join(",")
}

/// Every setting, in the order help lists them and the URL writes them.
pub const SETTINGS: &[Setting] = &[
    Setting {
        name: "as-of",
        old_names: &["as_of"],
        value: "YYYY-MM-DD",
        help: "The day the analysis is made for; only orders on or before it count (default: the last order's day)",
        set: |p, t| {
            p.as_of = Some(date(t)?);
            Ok(())
        },
        get: |p| p.as_of.map(|d| d.to_string()),
    },
    Setting {
        name: "from",
        old_names: &[],
        value: "YYYY-MM-DD",
        help: "First day of the decile window (default: 12 months before its end, plus a day)",
        set: |p, t| {
            p.from = Some(date(t)?);
            Ok(())
        },
        get: |p| p.from.map(|d| d.to_string()),
    },
    Setting {
        name: "to",
        old_names: &[],
        value: "YYYY-MM-DD",
        help: "Last day of the decile and repeat-rate window (default: the as-of day)",
        set: |p, t| {
            p.to = Some(date(t)?);
            Ok(())
        },
        get: |p| p.to.map(|d| d.to_string()),
    },
    Setting {
        name: "granularity",
        old_names: &["cohort"],
        value: "month|week|quarter",
        help: "Periods of the cohort table (default: month; LTV always uses months)",
        set: |p, t| {
            p.granularity = choice(t, Granularity::from_name, "month, week or quarter")?;
            Ok(())
        },
        get: |p| Some(p.granularity.name().into()),
    },
    Setting {
        name: "horizon",
        old_names: &[],
        value: "MONTHS",
        help: "LTV horizon in months (default: 12)",
        set: |p, t| {
            p.horizon_months = count(t)?;
            Ok(())
        },
        get: |p| Some(p.horizon_months.to_string()),
    },
    Setting {
        name: "margin",
        old_names: &[],
        value: "FRACTION",
        help: "Gross margin, 0.35 or 35%, for profit LTV and payback (default: none)",
        set: |p, t| {
            p.gross_margin = Some(fraction(t)?);
            Ok(())
        },
        get: |p| p.gross_margin.map(|m| m.to_string()),
    },
    Setting {
        name: "cpa",
        old_names: &[],
        value: "AMOUNT",
        help: "Cost per acquisition, in the file's currency (default: none)",
        set: |p, t| {
            p.cpa = Some(decimal(t)?);
            Ok(())
        },
        get: |p| p.cpa.map(|c| c.to_string()),
    },
    Setting {
        name: "churn-days",
        old_names: &["churn_days"],
        value: "DAYS",
        help: "Days since the last order from which a customer is churned (default: 240)",
        set: |p, t| {
            p.churn_days = count(t)?;
            Ok(())
        },
        get: |p| Some(p.churn_days.to_string()),
    },
    Setting {
        name: "tenure-horizon",
        old_names: &[],
        value: "MONTHS",
        help: "Horizon of the restricted mean tenure in months (default: 24)",
        set: |p, t| {
            p.tenure_horizon_months = count(t)?;
            Ok(())
        },
        get: |p| Some(p.tenure_horizon_months.to_string()),
    },
    Setting {
        name: "f2-within",
        old_names: &["f2_within"],
        value: "DAYS",
        help: "Count a second order as F2 only within this many days (default: no limit)",
        set: |p, t| {
            p.f2_within_days = Some(count(t)?);
            Ok(())
        },
        get: |p| p.f2_within_days.map(|d| d.to_string()),
    },
    Setting {
        name: "decile-rule",
        old_names: &[],
        value: "FRACTION",
        help: "Month-over-month growth of D1-D3 average spend to reach, 0.02 or 2% (default: 2%)",
        set: |p, t| {
            p.decile_growth_rule = fraction(t)?;
            Ok(())
        },
        get: |p| Some(p.decile_growth_rule.to_string()),
    },
    Setting {
        name: "target-baseline",
        old_names: &["target_baseline"],
        value: "X",
        help: "The targets' baseline (default: 5.13)",
        set: |p, t| {
            p.targets.baseline = decimal(t)?;
            Ok(())
        },
        get: |p| Some(p.targets.baseline.to_string()),
    },
    Setting {
        name: "target-growth",
        old_names: &["target_growth"],
        value: "FRACTION",
        help: "The targets' growth a month, 0.07 or 7% (default: 7%)",
        set: |p, t| {
            p.targets.growth = fraction(t)?;
            Ok(())
        },
        get: |p| Some(p.targets.growth.to_string()),
    },
    Setting {
        name: "target-horizon",
        old_names: &["target_months"],
        value: "MONTHS",
        help: "Months from the baseline month to the target (default: 4)",
        set: |p, t| {
            p.targets.horizon = count(t)?;
            Ok(())
        },
        get: |p| Some(p.targets.horizon.to_string()),
    },
    Setting {
        name: "target-reading",
        old_names: &["target_reading"],
        value: "compound|linear",
        help: "How the targets grow (default: compound)",
        set: |p, t| {
            p.targets.reading = choice(t, Reading::from_name, "compound or linear")?;
            Ok(())
        },
        get: |p| Some(p.targets.reading.name().into()),
    },
    Setting {
        name: "target-start",
        old_names: &[],
        value: "YYYY-MM",
        help: "The targets' baseline month (default: the target-horizon months before the last complete month)",
        set: |p, t| {
            p.targets.start = Some(choice(t, parse_month, "a month YYYY-MM")?);
            Ok(())
        },
        get: |p| p.targets.start.map(|d| d.format("%Y-%m").to_string()),
    },
    Setting {
        name: "rfm-r",
        old_names: &[],
        value: "DAYS,DAYS,DAYS,DAYS",
        help: "RFM recency cut points in days, ascending: at most the first scores 5, past the last 1 (default: quintiles)",
        set: |p, t| {
            p.rfm.r = Some(four(t, count)?);
            Ok(())
        },
        get: |p| p.rfm.r.as_ref().map(write_four),
    },
    Setting {
        name: "rfm-f",
        old_names: &[],
        value: "N,N,N,N",
        help: "RFM frequency cut points in orders, ascending: below the first scores 1, at least the last 5 (default: quintiles)",
        set: |p, t| {
            p.rfm.f = Some(four(t, count)?);
            Ok(())
        },
        get: |p| p.rfm.f.as_ref().map(write_four),
    },
    Setting {
        name: "rfm-m",
        old_names: &[],
        value: "AMOUNT,AMOUNT,AMOUNT,AMOUNT",
        help: "RFM monetary cut points in the file's currency, ascending: below the first scores 1, at least the last 5 (default: quintiles)",
        set: |p, t| {
            p.rfm.m = Some(four(t, decimal)?);
            Ok(())
        },
        get: |p| p.rfm.m.as_ref().map(write_four),
    },
    Setting {
        name: "cpm-toddler-days",
        old_names: &[],
        value: "DAYS",
        help: "CPM: tenure days (first to last order) from which a repeat customer is no longer a toddler (よちよち) (default: 90)",
        set: |p, t| {
            p.cpm.toddler_days = count(t)?;
            Ok(())
        },
        get: |p| Some(p.cpm.toddler_days.to_string()),
    },
    Setting {
        name: "cpm-loyal-days",
        old_names: &[],
        value: "DAYS",
        help: "CPM: tenure days from which a customer at the spend threshold is loyal (優良) rather than trendy (流行) (default: 210)",
        set: |p, t| {
            p.cpm.loyal_days = count(t)?;
            Ok(())
        },
        get: |p| Some(p.cpm.loyal_days.to_string()),
    },
    Setting {
        name: "cpm-spend",
        old_names: &[],
        value: "AMOUNT",
        help: "CPM: cumulative spend threshold, in the file's currency (default: 70000 for yen, 500 otherwise)",
        set: |p, t| {
            p.cpm.spend = Some(decimal(t)?);
            Ok(())
        },
        get: |p| p.cpm.spend.map(|s| s.to_string()),
    },
    Setting {
        name: "churn-risk-factor",
        old_names: &[],
        value: "X",
        help: "Churn risk: a repeat customer is due after this many times their median gap between orders (default: 1.5)",
        set: |p, t| {
            p.churn_risk.factor = decimal(t)?;
            Ok(())
        },
        get: |p| Some(p.churn_risk.factor.to_string()),
    },
    Setting {
        name: "churn-risk-floor",
        old_names: &[],
        value: "DAYS",
        help: "Churn risk: but never sooner than this many days after their last order (default: 30)",
        set: |p, t| {
            p.churn_risk.floor_days = count(t)?;
            Ok(())
        },
        get: |p| Some(p.churn_risk.floor_days.to_string()),
    },
    Setting {
        name: "exclude-products",
        old_names: &[],
        value: "TERM,TERM,...",
        help: "Non-products left out of the product analyses: lines whose product or category name contains a term, case ignored; empty for none (default: shipping, 送料, gift wrap, クーポン, 手数料 and the like)",
        set: |p, t| {
            p.cross_sell.exclude = Some(ExcludeList::new(t)?);
            Ok(())
        },
        get: |p| p.cross_sell.exclude.map(|e| e.as_str().to_string()),
    },
    Setting {
        name: "cross-sell-mode",
        old_names: &[],
        value: "order|customer",
        help: "Cross-sell: bought in the same order, or by the same customer on or after the first purchase of A (default: order)",
        set: |p, t| {
            p.cross_sell.mode = choice(t, Mode::from_name, "order or customer")?;
            Ok(())
        },
        get: |p| Some(p.cross_sell.mode.name().into()),
    },
    Setting {
        name: "cross-sell-within",
        old_names: &[],
        value: "DAYS",
        help: "Cross-sell by customer: B counts only within this many days of the first purchase of A (default: any time after)",
        set: |p, t| {
            p.cross_sell.within_days = Some(count(t)?);
            Ok(())
        },
        get: |p| p.cross_sell.within_days.map(|d| d.to_string()),
    },
    Setting {
        name: "cross-sell-min-support",
        old_names: &[],
        value: "N",
        help: "Cross-sell: list a pair from this many orders (or customers) with both (default: 3)",
        set: |p, t| {
            p.cross_sell.min_support = count(t)?;
            Ok(())
        },
        get: |p| Some(p.cross_sell.min_support.to_string()),
    },
    Setting {
        name: "cross-sell-level",
        old_names: &[],
        value: "product|category",
        help: "Cross-sell between products or between categories (categories only where the file has them; default: product)",
        set: |p, t| {
            p.cross_sell.level = choice(t, Level::from_name, "product or category")?;
            Ok(())
        },
        get: |p| Some(p.cross_sell.level.name().into()),
    },
    Setting {
        name: "potential-ltv",
        old_names: &[],
        value: "history|clv",
        help: "Potential-LTV customers: by their run-rate (history) or by the predicted CLV, which fits the CLV models with the analysis (default: history)",
        set: |p, t| {
            p.potential_rule = choice(t, PotentialRule::from_name, "history or clv")?;
            Ok(())
        },
        get: |p| Some(p.potential_rule.name().into()),
    },
    Setting {
        name: "clv-horizon",
        old_names: &[],
        value: "MONTHS",
        help: "Predictive CLV horizon in months (default: 12)",
        set: |p, t| {
            p.clv.horizon_months = count(t)?;
            Ok(())
        },
        get: |p| Some(p.clv.horizon_months.to_string()),
    },
    Setting {
        name: "clv-discount",
        old_names: &[],
        value: "FRACTION",
        help: "Predictive CLV discount rate a month, 0.01 or 1% (default: 1%)",
        set: |p, t| {
            p.clv.discount = fraction(t)?;
            Ok(())
        },
        get: |p| Some(p.clv.discount.to_string()),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> AnalyzeParams {
        let mut p = AnalyzeParams::default();
        for (name, value) in pairs {
            setting(name)
                .unwrap_or_else(|| panic!("{name}"))
                .apply(&mut p, value)
                .unwrap();
        }
        p
    }

    #[test]
    fn every_setting_reads_back_what_it_writes() {
        let p = read(&[
            ("as-of", "2024-12-31"),
            ("from", "2024-01-01"),
            ("to", "2024-06-30"),
            ("granularity", "quarter"),
            ("horizon", "6"),
            ("margin", "35%"),
            ("cpa", "4000.5"),
            ("churn-days", "180"),
            ("tenure-horizon", "12"),
            ("f2-within", "90"),
            ("decile-rule", "0.03"),
            ("target-baseline", "6.5"),
            ("target-growth", "5%"),
            ("target-horizon", "8"),
            ("target-reading", "linear"),
            ("target-start", "2024-03"),
            ("rfm-r", "30,60,90,180"),
            ("rfm-f", "2, 3,5,10"),
            ("rfm-m", "5000,10000,30000.5,100000"),
            ("cpm-toddler-days", "60"),
            ("cpm-loyal-days", "300"),
            ("cpm-spend", "50000"),
            ("churn-risk-factor", "2.5"),
            ("churn-risk-floor", "45"),
            ("exclude-products", "送料, Gift wrap、クーポン"),
            ("cross-sell-mode", "customer"),
            ("cross-sell-within", "30"),
            ("cross-sell-min-support", "5"),
            ("cross-sell-level", "category"),
            ("potential-ltv", "clv"),
            ("clv-horizon", "24"),
            ("clv-discount", "2%"),
        ]);
        assert_eq!(
            p.cross_sell.exclude.map(|e| e.as_str().to_string()),
            Some("送料,Gift wrap,クーポン".into())
        );
        assert_eq!(p.rfm.f, Some([2, 3, 5, 10]));
        assert_eq!(p.rfm.m, Some([5000.0, 10000.0, 30000.5, 100000.0]));
        assert_eq!(p.gross_margin, Some(0.35));
        assert_eq!(p.targets.growth, 0.05);
        assert_eq!(p.targets.reading, Reading::Linear);
        assert_eq!(p.targets.start, NaiveDate::from_ymd_opt(2024, 3, 1));
        let pairs = changed(&p);
        assert_eq!(pairs.len(), SETTINGS.len(), "{pairs:?}");
        let mut back = AnalyzeParams::default();
        for (name, value) in &pairs {
            setting(name).unwrap().apply(&mut back, value).unwrap();
        }
        assert_eq!(back, p);
        assert!(changed(&AnalyzeParams::default()).is_empty());
    }

    #[test]
    fn the_names_urls_used_before_are_still_read() {
        let old = read(&[
            ("as_of", "2024-12-31"),
            ("cohort", "week"),
            ("churn_days", "200"),
            ("f2_within", "60"),
            ("target_baseline", "4"),
            ("target_growth", "0.1"),
            ("target_months", "6"),
            ("target_reading", "linear"),
        ]);
        let new = read(&[
            ("as-of", "2024-12-31"),
            ("granularity", "week"),
            ("churn-days", "200"),
            ("f2-within", "60"),
            ("target-baseline", "4"),
            ("target-growth", "0.1"),
            ("target-horizon", "6"),
            ("target-reading", "linear"),
        ]);
        assert_eq!(old, new);
    }

    #[test]
    fn unreadable_values_say_what_was_expected() {
        let mut p = AnalyzeParams::default();
        let err = |name: &str, v: &str| setting(name).unwrap().apply(&mut { p }, v);
        assert_eq!(
            err("as-of", "2024-13-01"),
            Err("expected a date YYYY-MM-DD, got \"2024-13-01\"".into())
        );
        assert!(err("horizon", "-1").unwrap_err().contains("whole number"));
        assert!(err("horizon", "99999999999")
            .unwrap_err()
            .contains("too large"));
        assert!(err("margin", "lots").unwrap_err().contains("0.35 or 35%"));
        assert!(err("cpa", "NaN").unwrap_err().contains("a number"));
        assert!(err("granularity", "day")
            .unwrap_err()
            .contains("month, week or quarter"));
        assert!(err("target-start", "March")
            .unwrap_err()
            .contains("YYYY-MM"));
        assert!(err("rfm-r", "1,2,3").unwrap_err().contains("four numbers"));
        assert!(err("rfm-f", "1,2,x,4")
            .unwrap_err()
            .contains("whole number"));
        assert!(setting("nope").is_none());
        p.horizon_months = 3;
        assert_eq!(setting("horizon").unwrap().format(&p), Some("3".into()));
    }
}
