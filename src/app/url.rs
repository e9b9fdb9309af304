//! Settings in the page URL: `?lang=ja&as_of=2024-12-31&from=…&to=…&tab=…`.
//! A consultant can send a link with the settings; data never goes there.

use super::state::Tab;
use crate::i18n::Lang;
use chrono::NaiveDate;
use ltv_engine::calendar::Granularity;
use ltv_engine::report::AnalyzeParams;
use ltv_engine::targets::Reading;

fn query() -> Option<web_sys::UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()
}

fn date(q: &web_sys::UrlSearchParams, name: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&q.get(name)?, "%Y-%m-%d").ok()
}

/// Language (URL, else the browser's), analysis settings and tab.
pub fn read_settings() -> (Lang, AnalyzeParams, Tab) {
    let browser = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    let Some(q) = query() else {
        return (
            Lang::from_tag(&browser),
            AnalyzeParams::default(),
            Tab::Deciles,
        );
    };
    let lang = Lang::from_tag(&q.get("lang").unwrap_or(browser));
    let num = |name: &str| {
        q.get(name)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    let d = AnalyzeParams::default();
    let mut params = AnalyzeParams {
        as_of: date(&q, "as_of"),
        from: date(&q, "from"),
        to: date(&q, "to"),
        granularity: q
            .get("cohort")
            .and_then(|g| Granularity::from_name(&g))
            .unwrap_or(d.granularity),
        horizon_months: num("horizon").map_or(d.horizon_months, |v| v as u32),
        gross_margin: num("margin"),
        cpa: num("cpa"),
        churn_days: num("churn_days").map_or(d.churn_days, |v| v as u32),
        f2_within_days: num("f2_within").map(|v| v as u32),
        ..d
    };
    if let Some(v) = num("target_baseline") {
        params.targets.baseline = v;
    }
    if let Some(v) = num("target_growth") {
        params.targets.growth = v;
    }
    if let Some(v) = num("target_months") {
        params.targets.horizon = v as u32;
    }
    if q.get("target_reading").as_deref() == Some("linear") {
        params.targets.reading = Reading::Linear;
    }
    // A link with out-of-range settings falls back to the defaults.
    if params.validate().is_err() {
        params = AnalyzeParams {
            as_of: params.as_of,
            from: params.from,
            to: params.to,
            ..d
        };
    }
    let tab = q
        .get("tab")
        .and_then(|t| Tab::from_name(&t))
        .unwrap_or(Tab::Deciles);
    (lang, params, tab)
}

/// Writes the settings to the URL without reloading or adding history.
pub fn write_settings(lang: Lang, params: &AnalyzeParams, tab: Tab) {
    let Ok(q) = web_sys::UrlSearchParams::new() else {
        return;
    };
    q.append("lang", lang.tag());
    for (name, d) in [
        ("as_of", params.as_of),
        ("from", params.from),
        ("to", params.to),
    ] {
        if let Some(d) = d {
            q.append(name, &d.to_string());
        }
    }
    let d = AnalyzeParams::default();
    let put = |name: &str, v: String| q.append(name, &v);
    if params.granularity != d.granularity {
        put("cohort", params.granularity.name().into());
    }
    if params.horizon_months != d.horizon_months {
        put("horizon", params.horizon_months.to_string());
    }
    if let Some(m) = params.gross_margin {
        put("margin", m.to_string());
    }
    if let Some(c) = params.cpa {
        put("cpa", c.to_string());
    }
    if params.churn_days != d.churn_days {
        put("churn_days", params.churn_days.to_string());
    }
    if let Some(f) = params.f2_within_days {
        put("f2_within", f.to_string());
    }
    let (t, dt) = (&params.targets, &d.targets);
    if t.baseline != dt.baseline {
        put("target_baseline", t.baseline.to_string());
    }
    if t.growth != dt.growth {
        put("target_growth", t.growth.to_string());
    }
    if t.horizon != dt.horizon {
        put("target_months", t.horizon.to_string());
    }
    if t.reading == Reading::Linear {
        put("target_reading", "linear".into());
    }
    q.append("tab", tab.name());
    let Some(w) = web_sys::window() else { return };
    let path = w.location().pathname().unwrap_or_default();
    let url = format!("{path}?{}", String::from(q.to_string()));
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
