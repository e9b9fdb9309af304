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
            Tab::Deciles,
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
        .unwrap_or(Tab::Deciles);
    (lang, params, tab)
}

/// Writes the settings to the URL without reloading or adding history.
pub fn write_settings(lang: Lang, params: &AnalyzeParams, tab: Tab) {
    let Ok(q) = web_sys::UrlSearchParams::new() else {
        return;
    };
    q.append("lang", lang.tag());
    for (name, value) in changed(params) {
        q.append(name, &value);
    }
    q.append("tab", tab.name());
    let Some(w) = web_sys::window() else { return };
    let path = w.location().pathname().unwrap_or_default();
    let url = format!("{path}?{}", String::from(q.to_string()));
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
