//! Customer-list downloads: a button per list (`[data-testid=export-<list>]`)
//! asks the engine worker to write the list from its order store with the
//! current settings; the CSV comes back as a `Blob` and is saved through a
//! `blob:` link made in the page. Nothing is uploaded.

use super::state::{use_state, AppState};
use crate::error::AppError;
use crate::format::int;
use crate::i18n::segments::SegmentTexts;
use crate::protocol::{Exported, Request};
use crate::worker::js_bytes::csv_blob;
use leptos::prelude::*;
use ltv_engine::export::{Cell, ExportEncoding};
use wasm_bindgen::{JsCast, JsValue};

/// Downloads: the encoding chosen, the export being written, the last
/// outcome.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportState {
    pub encoding: ExportEncoding,
    /// Customer lists with the predicted-LTV columns.
    pub with_clv: bool,
    /// The export being written: its id and list.
    pub pending: Option<(u64, String)>,
    /// The last export's outcome: the list and what was written, or the
    /// error.
    pub last: Option<(String, Result<Exported, AppError>)>,
    next_id: u64,
}

/// Asks the engine for list `list` with the current settings.
fn start(state: AppState, list: &str) {
    let mut id = 0;
    state.export.update(|e| {
        e.next_id += 1;
        id = e.next_id;
        e.pending = Some((id, list.to_string()));
    });
    state.send(&Request::Export {
        id,
        list: list.to_string(),
        encoding: state.export.with_untracked(|e| e.encoding),
        params: state.params.get_untracked(),
        with_clv: state.export.with_untracked(|e| e.with_clv),
    });
}

/// The engine's answer to an export: saves the file if it is the export
/// asked for last.
pub fn finished(
    state: AppState,
    id: u64,
    list: String,
    result: Result<Exported, AppError>,
    blob: JsValue,
) {
    let current = state
        .export
        .with_untracked(|e| e.pending.as_ref().map(|p| p.0));
    if current != Some(id) {
        return;
    }
    if let (Ok(done), Some(blob)) = (&result, blob.dyn_ref::<web_sys::Blob>()) {
        save(blob, &done.file_name);
    }
    state.export.update(|e| {
        e.pending = None;
        e.last = Some((list, result));
    });
}

/// Saves a blob under `name` through a temporary `blob:` link.
fn save(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    save_url(&url, name);
    // The download has its bytes once the click is handled.
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(10_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
}

/// Downloads what `url` holds (a `blob:` or `data:` URL made in the page)
/// as `name`, through a link the page clicks.
pub(super) fn save_url(url: &str, name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        let _ = a.set_attribute("href", url);
        let _ = a.set_attribute("download", name);
        if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
            a.click();
        }
    }
}

/// A "CSV" button that downloads the shown table `<name>-table` as it
/// is on the page (numbers as the CLI's JSON writes them, from
/// `data-value`; cells marked `no-export`, the download buttons, left
/// out), written in the page by the engine's CSV writer.
#[component]
pub fn TableDownload(#[prop(into)] name: String) -> impl IntoView {
    let state = use_state();
    let testid = format!("export-{name}-table");
    view! {
        <button
            type="button"
            class="button export table-export"
            data-testid=testid
            on:click=move |_| download_table(state, &name)
        >
            {move || state.lang.get().seg().download_csv}
        </button>
    }
}

/// Writes table `<name>-table` of the page as CSV and saves it.
fn download_table(state: AppState, name: &str) {
    let Some(table) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.query_selector(&format!("table[data-testid=\"{name}-table\"]"))
            .ok()
            .flatten()
    }) else {
        return;
    };
    let texts = |sel: &str, within: &web_sys::Element| -> Vec<web_sys::Element> {
        let Ok(list) = within.query_selector_all(sel) else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
            .collect()
    };
    let text = |e: &web_sys::Element| e.text_content().unwrap_or_default().trim().to_string();
    let header: Vec<String> = texts("thead tr:last-child th:not(.no-export)", &table)
        .iter()
        .map(text)
        .collect();
    let width = header.len();
    let rows: Vec<Vec<Cell>> = texts("tbody tr", &table)
        .iter()
        .map(|tr| {
            let mut row: Vec<Cell> = texts(
                ":scope > th:not(.no-export), :scope > td:not(.no-export)",
                tr,
            )
            .iter()
            .map(|c| match c.get_attribute("data-value") {
                Some(v) => match v.parse::<f64>() {
                    Ok(x) if x.is_finite() => Cell::Float(x),
                    _ => Cell::Empty,
                },
                None if c.class_name().split_whitespace().any(|k| k == "num") => Cell::Empty,
                None => Cell::Text(text(c)),
            })
            .collect();
            row.resize(width, Cell::Empty);
            row
        })
        .collect();
    let head: Vec<&str> = header.iter().map(String::as_str).collect();
    let encoding = state.export.with_untracked(|e| e.encoding);
    let Ok(written) = ltv_engine::export::write_table(&head, rows, encoding) else {
        return;
    };
    let as_of = state
        .report
        .with_untracked(|r| match r {
            Some(Ok(r)) => Some(r.decile_window.as_of.to_string()),
            _ => None,
        })
        .unwrap_or_default();
    if let Some(blob) = csv_blob(&written.bytes, encoding) {
        save(&blob, &format!("ltv-lens-{name}-{as_of}.csv"));
    }
}

/// A download button for customer list `list` (an id of
/// `ltv_engine::customers`).
#[component]
pub fn ExportButton(
    list: &'static str,
    #[prop(optional)] disabled: bool,
    /// Shown as the main action (a primary button).
    #[prop(optional)]
    primary: bool,
    /// Its words (default: "Download").
    #[prop(optional)]
    text: Option<fn(&SegmentTexts) -> &'static str>,
) -> impl IntoView {
    let state = use_state();
    let busy = move || state.export.with(|e| e.pending.is_some());
    let label = move || {
        let s = state.lang.get().seg();
        text.map_or(s.download, |f| f(s))
    };
    view! {
        <button
            type="button"
            class=if primary { "button primary" } else { "button export" }
            data-testid=format!("export-{list}")
            disabled=move || disabled || busy()
            on:click=move |_| start(state, list)
        >
            {label}
        </button>
    }
}

/// The encoding of downloads, and what happened to the last one.
#[component]
pub fn ExportBar() -> impl IntoView {
    let state = use_state();
    let s = move || state.lang.get().seg();
    let choose = move |ev: leptos::ev::Event| {
        let enc = match event_target_value(&ev).as_str() {
            "shift_jis" => ExportEncoding::ShiftJis,
            _ => ExportEncoding::Utf8Bom,
        };
        state.export.update(|e| e.encoding = enc);
    };
    let selected = move |enc: ExportEncoding| state.export.with(|e| e.encoding == enc);
    let outcome = move || {
        let lang = state.lang.get();
        state.export.with(|e| {
            if e.pending.is_some() {
                return Some(lang.seg().exporting.to_string());
            }
            let (list, result) = e.last.as_ref()?;
            Some(match result {
                Ok(done) => outcome_text(lang, list, done),
                Err(err) => err.message(lang),
            })
        })
    };
    view! {
        <div class="export-bar">
            <label>
                <span>{move || s().export_encoding}</span>
                <select data-testid="export-encoding" on:change=choose>
                    <option value="utf-8" selected=move || selected(ExportEncoding::Utf8Bom)>{move || s().encoding_utf8}</option>
                    <option value="shift_jis" selected=move || selected(ExportEncoding::ShiftJis)>{move || s().encoding_sjis}</option>
                </select>
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="export-with-clv"
                    prop:checked=move || state.export.with(|e| e.with_clv)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        state.export.update(|e| e.with_clv = on);
                    }
                />
                <span>{move || s().export_with_clv}</span>
            </label>
            <small>{move || s().download_help}</small>
            <p class="export-status" data-testid="export-status" aria-live="polite">{outcome}</p>
        </div>
    }
}

/// "Downloaded 120 customers (file.csv)", with what was changed.
fn outcome_text(lang: crate::i18n::Lang, list: &str, done: &Exported) -> String {
    use crate::i18n::Lang;
    let rows = int(done.rows as i64);
    let list = crate::i18n::segments::list_name(lang, list);
    let mut text = match lang {
        Lang::En => format!("{list}: {rows} customers saved as {}.", done.file_name),
        Lang::Ja => format!("{list}: {rows}人を {} に保存しました。", done.file_name),
    };
    if done.neutralised_cells > 0 {
        text.push_str(&match lang {
            Lang::En => format!(
                " {} cells starting with = + - @ were prefixed with ' so that spreadsheets do not run them.",
                done.neutralised_cells
            ),
            Lang::Ja => format!(
                " = + - @ で始まる{}個のセルは、表計算ソフトが数式として実行しないよう先頭に ' を付けました。",
                done.neutralised_cells
            ),
        });
    }
    if done.unrepresentable_chars > 0 {
        text.push_str(&match lang {
            Lang::En => format!(
                " {} characters Shift_JIS cannot hold were written as ?; choose UTF-8 to keep them.",
                done.unrepresentable_chars
            ),
            Lang::Ja => format!(
                " Shift_JISで表せない{}文字を ? にしました。残すにはUTF-8を選んでください。",
                done.unrepresentable_chars
            ),
        });
    }
    text
}
