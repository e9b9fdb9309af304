//! Settings in the page URL: `?lang=ja&as_of=2024-12-31&from=…&to=…&tab=…`.
//! A consultant can send a link with the settings; data never goes there.

use super::state::Tab;
use crate::i18n::Lang;
use chrono::NaiveDate;
use ltv_engine::report::AnalyzeParams;

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
    let params = AnalyzeParams {
        as_of: date(&q, "as_of"),
        from: date(&q, "from"),
        to: date(&q, "to"),
        ..AnalyzeParams::default()
    };
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
    q.append("tab", tab.name());
    let Some(w) = web_sys::window() else { return };
    let path = w.location().pathname().unwrap_or_default();
    let url = format!("{path}?{}", String::from(q.to_string()));
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
