//! The printable report: "Print report" lays out the overview and every
//! section in the tabs' order under a heading with the file, the as-of
//! date and the settings used, waits for the charts (and the predictive
//! CLV fit) and opens the browser's print dialog; "Save as PDF" there
//! gives the report to hand a client. The page returns to its tabs when
//! the dialog closes (`afterprint`) or with "Back to the tabs".
//!
//! DOM: `[data-testid=print-report]` (the button), and while the report is
//! laid out `[data-testid=report]` with `[data-testid=report-head]` and one
//! `[data-testid=report-section][data-tab=<tab>]` per section, in order.

use super::state::{use_state, AppState, Tab};
use super::table::with_report;
use crate::i18n::overview::date;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Longest wait for the predictive CLV fit before printing anyway.
const FIT_WAIT_MS: u32 = 60_000;

/// Follows the browser's own print (Ctrl+P): the report is laid out
/// before and the tabs come back after. Called once, at start-up.
pub fn follow_browser_print(state: AppState) {
    let Some(w) = web_sys::window() else { return };
    let before = Closure::<dyn FnMut()>::new(move || state.printing.set(true));
    let after = Closure::<dyn FnMut()>::new(move || state.printing.set(false));
    let _ = w.add_event_listener_with_callback("beforeprint", before.as_ref().unchecked_ref());
    let _ = w.add_event_listener_with_callback("afterprint", after.as_ref().unchecked_ref());
    // They live as long as the page.
    before.forget();
    after.forget();
}

/// Bumps [`AppState::resized`] once the window's size has settled (150 ms
/// after the last `resize` event), so the charts are drawn for their new
/// boxes. Called once, at start-up.
pub fn follow_resize(state: AppState) {
    let Some(w) = web_sys::window() else { return };
    let pending = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let on_resize = Closure::<dyn FnMut()>::new(move || {
        let mine = pending.get().wrapping_add(1);
        pending.set(mine);
        let pending = pending.clone();
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(150).await;
            if pending.get() == mine {
                state.resized.update(|n| *n = n.wrapping_add(1));
            }
        });
    });
    let _ = w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
    on_resize.forget();
}

/// The "Print report" button.
#[component]
pub fn PrintButton() -> impl IntoView {
    let state = use_state();
    let preparing = RwSignal::new(false);
    let click = move |_| {
        if preparing.get_untracked() {
            return;
        }
        preparing.set(true);
        state.printing.set(true);
        leptos::task::spawn_local(async move {
            // The sections mount, the CLV fit (started by its section)
            // ends, each chart draws in a task of its own.
            let mut waited = 0;
            while waited < FIT_WAIT_MS {
                gloo_timers::future::TimeoutFuture::new(100).await;
                waited += 100;
                if waited >= 500 && state.clv.with_untracked(|c| !c.is_pending()) {
                    break;
                }
            }
            gloo_timers::future::TimeoutFuture::new(300).await;
            preparing.set(false);
            if let Some(w) = web_sys::window() {
                let _ = w.print();
            }
        });
    };
    view! {
        <button
            type="button"
            class="button print-button"
            data-testid="print-report"
            aria-busy=move || preparing.get().to_string()
            on:click=click
        >
            {move || {
                let t = state.lang.get().page();
                if preparing.get() { t.print_preparing } else { t.print_report }
            }}
        </button>
    }
}

/// The report's heading: title, file, as-of date, period and settings.
#[component]
pub fn ReportHead() -> impl IntoView {
    let state = use_state();
    let back = move |_| state.printing.set(false);
    let head = move || {
        with_report(state, |r, lang| {
            let t = lang.page();
            let file = state.file_name.get().unwrap_or_default();
            let settings: Vec<String> = ltv_engine::settings::changed(&state.params.get())
                .into_iter()
                .map(|(name, value)| match setting_label(lang, name) {
                    // The words, and the link's name for the exact setting;
                    // a label in % gets the fraction as a percentage.
                    Some(label) => {
                        let percent = label.ends_with("(%)") || label.ends_with("（%）");
                        let shown = match value.parse::<f64>() {
                            Ok(x) if percent => crate::format::decimal(x * 100.0, 1),
                            _ => value.clone(),
                        };
                        format!("{label}: {shown} ({name} = {value})")
                    }
                    None => format!("{name} = {value}"),
                })
                .collect();
            let settings = if settings.is_empty() {
                t.report_defaults.to_string()
            } else {
                settings.join(", ")
            };
            let now = js_sys::Date::new_0();
            let today = chrono::NaiveDate::from_ymd_opt(
                now.get_full_year() as i32,
                now.get_month() + 1,
                now.get_date(),
            );
            view! {
                <h1>{t.report_title}</h1>
                <dl class="report-facts">
                    <dt>{t.report_file}</dt><dd><bdi>{file}</bdi></dd>
                    <dt>{t.report_as_of}</dt><dd>{date(lang, r.decile_window.as_of)}</dd>
                    <dt>{t.report_settings}</dt><dd data-testid="report-settings">{settings}</dd>
                    <dt>{t.report_made}</dt><dd>{today.map(|d| date(lang, d)).unwrap_or_default()}" · ltv-lens"</dd>
                </dl>
            }
        })
    };
    view! {
        <header class="report-head" data-testid="report-head">
            {head}
            <button type="button" class="button no-print" data-testid="report-back" on:click=back>
                {move || state.lang.get().page().report_back}
            </button>
        </header>
    }
}

/// The words the page uses for a setting (`None`: its link name is all).
fn setting_label(lang: crate::i18n::Lang, name: &str) -> Option<&'static str> {
    let (t, s, c) = (lang.texts(), lang.seg(), lang.clv());
    Some(match name {
        "as-of" => t.as_of,
        "from" => t.window_from,
        "to" => t.window_to,
        "granularity" => t.granularity,
        "horizon" => t.horizon,
        "margin" => t.gross_margin,
        "cpa" => t.cpa,
        "churn-days" => t.churn_days,
        "f2-within" => t.f2_within,
        "target-baseline" => t.baseline,
        "target-growth" => t.growth,
        "target-horizon" => t.target_months,
        "target-reading" => t.reading,
        "rfm-r" => s.recency_days,
        "rfm-f" => s.frequency_orders,
        "rfm-m" => s.monetary,
        "cpm-toddler-days" => s.toddler_days,
        "cpm-loyal-days" => s.loyal_days,
        "cpm-spend" => s.cpm_spend,
        "churn-risk-factor" => s.churn_risk_factor,
        "churn-risk-floor" => s.churn_risk_floor,
        "potential-ltv" => s.potential_rule,
        "cross-sell-mode" => s.cross_sell_mode,
        "cross-sell-within" => s.cross_sell_within,
        "cross-sell-min-support" => s.cross_sell_min_support,
        "cross-sell-level" => s.cross_sell_level,
        "clv-horizon" => c.horizon,
        "clv-discount" => c.discount,
        _ => return None,
    })
}

/// A section of the report, under its tab's name.
#[component]
pub fn ReportSection(tab: Tab, children: Children) -> impl IntoView {
    let state = use_state();
    view! {
        <section class="report-section" data-testid="report-section" data-tab=tab.name()>
            <p class="report-tab">{move || crate::app::tab_label(tab, state.lang.get())}</p>
            {children()}
        </section>
    }
}
