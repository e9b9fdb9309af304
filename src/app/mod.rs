//! The leptos app: the root component, URL settings and the page layout.

mod chart;
mod clv;
mod cohorts;
mod customers;
mod deciles;
mod engine;
mod export;
mod load;
mod ltv;
mod mapping;
mod products;
mod reading;
mod repeat;
mod segments;
mod settings;
pub mod state;
mod summary;
mod table;
mod trend;
mod url;

use crate::i18n::Lang;
use leptos::prelude::*;
use state::{AppState, Status, Tab};
use wasm_bindgen::prelude::*;

/// The page's entry point, called by `public/boot.js` once the wasm module
/// is instantiated, with the engine's Web Worker (`undefined` if none
/// could be started: the engine then runs in the page).
#[wasm_bindgen]
pub fn page_main(worker: JsValue) {
    let worker = worker.dyn_into::<web_sys::Worker>().ok();
    leptos::mount::mount_to_body(move || page(worker));
}

/// The whole page, with the engine run in the page (the wasm tests mount
/// it so).
#[component]
pub fn App() -> impl IntoView {
    page(None)
}

/// The whole page, its engine in `worker` (in the page without one).
fn page(worker: Option<web_sys::Worker>) -> impl IntoView {
    let (lang, params, tab) = url::read_settings();
    let state = AppState::new(lang, params, tab, worker);
    provide_context(state);

    // <html lang> follows the UI language (screen readers, fonts, tests).
    Effect::new(move |_| {
        let tag = state.lang.get().tag();
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", tag);
        }
    });
    // Settings travel in the URL (never the data).
    Effect::new(move |_| {
        url::write_settings(state.lang.get(), &state.params.get(), state.tab.get())
    });

    let t = move || state.lang.get().texts();
    view! {
        <header class="top">
            <div class="brand">
                <h1>{move || t().title}</h1>
                <p class="tagline">{move || t().tagline}</p>
            </div>
            <LangSwitch/>
        </header>
        <main>
            <p class="privacy">{move || t().privacy}</p>
            <load::Upload/>
            <load::StatusLine/>
            <load::Messages/>
            <reading::DateOrderQuestion/>
            <mapping::MappingStepView/>
            <Show when=move || state.info.with(|i| i.is_some())>
                <reading::ReadingOptions/>
            </Show>
            // Settings and tabs are built at start-up and shown with a
            // file: building them with the first file's results made a
            // main-thread task of 55-95 ms (first-run costs).
            <div hidden=move || state.info.with(|i| i.is_none())>
                <settings::Settings/>
                <Tabs/>
            </div>
            <Show when=move || state.info.with(|i| i.is_some())>
                // Only the chosen section is in the page: a report's
                // arrival renders one section, not six (a long task).
                <Show when=move || state.tab.get() == Tab::Summary>
                    <div class="tab-panel"><summary::SummaryView/></div>
                </Show>
                <Show when=move || state.tab.get() == Tab::Deciles>
                    <div class="tab-panel"><deciles::DecilesView/></div>
                </Show>
                <Show when=move || state.tab.get() == Tab::Cohorts>
                    <div class="tab-panel"><cohorts::CohortsView/></div>
                </Show>
                <Show when=move || state.tab.get() == Tab::Ltv>
                    <div class="tab-panel"><ltv::LtvView/></div>
                </Show>
                <Show when=move || state.tab.get() == Tab::Trend>
                    <div class="tab-panel"><trend::TrendView/></div>
                </Show>
                <Show when=move || state.tab.get() == Tab::Repeat>
                    <div class="tab-panel"><repeat::RepeatView/></div>
                </Show>
                <Show when=move || state.tab.get() == Tab::Segments>
                    <div class="tab-panel"><export::ExportBar/><segments::SegmentsView/></div>
                </Show>
                <Show when=move || state.tab.get() == Tab::Customers>
                    <div class="tab-panel"><export::ExportBar/><customers::CustomersView/></div>
                </Show>
                <Show when=move || state.tab.get() == Tab::Products>
                    <div class="tab-panel"><export::ExportBar/><products::ProductsView/></div>
                </Show>
                <Show when=move || state.tab.get() == Tab::Clv>
                    <div class="tab-panel"><clv::ClvView/></div>
                </Show>
            </Show>
        </main>
        <footer>{move || t().footer}</footer>
    }
}

/// Japanese / English buttons.
#[component]
fn LangSwitch() -> impl IntoView {
    let state = state::use_state();
    let button = move |lang: Lang, label: &'static str| {
        view! {
            <button
                type="button"
                data-testid=format!("lang-{}", lang.tag())
                class:active=move || state.lang.get() == lang
                aria-pressed=move || (state.lang.get() == lang).to_string()
                on:click=move |_| state.lang.set(lang)
            >
                {label}
            </button>
        }
    };
    view! { <nav class="lang">{button(Lang::Ja, "日本語")}{button(Lang::En, "English")}</nav> }
}

/// The section tabs.
#[component]
fn Tabs() -> impl IntoView {
    let state = state::use_state();
    let tab = move |tab: Tab, label: fn(Lang) -> &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                data-testid=format!("tab-{}", tab.name())
                class:active=move || state.tab.get() == tab
                aria-selected=move || (state.tab.get() == tab).to_string()
                on:click=move |_| state.tab.set(tab)
            >
                {move || label(state.lang.get())}
            </button>
        }
    };
    view! {
        <nav class="tabs" role="tablist">
            {tab(Tab::Deciles, |l| l.texts().tab_deciles)}
            {tab(Tab::Cohorts, |l| l.texts().tab_cohorts)}
            {tab(Tab::Ltv, |l| l.texts().tab_ltv)}
            {tab(Tab::Trend, |l| l.texts().tab_trend)}
            {tab(Tab::Repeat, |l| l.texts().tab_repeat)}
            {tab(Tab::Segments, |l| l.seg().tab_segments)}
            {tab(Tab::Customers, |l| l.seg().tab_customers)}
            {tab(Tab::Products, |l| l.seg().tab_products)}
            {tab(Tab::Clv, |l| l.clv().tab)}
            {tab(Tab::Summary, |l| l.texts().tab_summary)}
        </nav>
    }
}

/// Whether the status is `ready` (used by views that need results).
pub fn is_ready(s: &Status) -> bool {
    matches!(s, Status::Ready { .. })
}
