//! Settings in the page URL: `?lang=ja&as-of=2024-12-31&from=…&to=…&tab=…`,
//! the analysis settings by the names the CLI uses
//! ([`ltv_engine::settings`]; the names links used before are still read).
//! A consultant can send a link with the settings; data never goes there.

use super::state::Tab;
use crate::i18n::Lang;
use ltv_engine::report::AnalyzeParams;
use ltv_engine::settings::{changed, SETTINGS};

fn query() -> Option<web_sys::UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()
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
            Tab::Overview,
        );
    };
    let lang = Lang::from_tag(&q.get("lang").unwrap_or(browser));
    let d = AnalyzeParams::default();
    let mut params = d;
    for setting in SETTINGS {
        // A value that cannot be read is left at its default.
        let names = std::iter::once(setting.name).chain(setting.old_names.iter().copied());
        if let Some(v) = names.filter_map(|n| q.get(n)).next() {
            let _ = setting.apply(&mut params, &v);
        }
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
        .unwrap_or(Tab::Overview);
    (lang, params, tab)
}

/// The query of a link with these settings: `lang=…&<changed settings>&tab=…`.
fn settings_query(lang: Lang, params: &AnalyzeParams, tab: Tab) -> Option<String> {
    let q = web_sys::UrlSearchParams::new().ok()?;
    q.append("lang", lang.tag());
    for (name, value) in changed(params) {
        q.append(name, &value);
    }
    q.append("tab", tab.name());
    Some(String::from(q.to_string()))
}

/// Writes the settings to the URL without reloading or adding history.
pub fn write_settings(lang: Lang, params: &AnalyzeParams, tab: Tab) {
    let Some(query) = settings_query(lang, params, tab) else {
        return;
    };
    let Some(w) = web_sys::window() else { return };
    let path = w.location().pathname().unwrap_or_default();
    let url = format!("{path}?{query}");
    if let Ok(h) = w.history() {
        // A page opened from disk (the one-file build) may refuse: the
        // link below still carries the settings.
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The page's whole address with these settings: what "copy link" copies.
pub fn settings_link(lang: Lang, params: &AnalyzeParams, tab: Tab) -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = href.split(['?', '#']).next().unwrap_or_default();
    match settings_query(lang, params, tab) {
        Some(q) => format!("{base}?{q}"),
        None => base.to_string(),
    }
}
