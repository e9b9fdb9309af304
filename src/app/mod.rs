//! The leptos app: the root component, URL settings and the page layout.

mod chart;
mod clv;
mod cohorts;
mod customers;
mod deciles;
mod engine;
mod export;
mod intro;
mod load;
mod ltv;
mod mapping;
mod overview;
mod print;
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
    print::follow_browser_print(state);
    print::follow_resize(state);

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
        <main class:printing=move || state.printing.get()>
            <p class="privacy">{move || t().privacy}</p>
            <load::Upload/>
            <load::StatusLine/>
            <Show when=move || state.info.with(|i| i.is_none()) && state.mapping.with(|m| m.is_none())>
                <intro::Intro/>
            </Show>
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
                <print::PrintButton/>
                <Tabs/>
            </div>
            <Show when=move || state.info.with(|i| i.is_some()) && state.printing.get()>
                <div class="report" data-testid="report">
                    <print::ReportHead/>
                    <print::ReportSection tab=Tab::Overview><overview::OverviewView/></print::ReportSection>
                    <print::ReportSection tab=Tab::Deciles><deciles::DecilesView/></print::ReportSection>
                    <print::ReportSection tab=Tab::Cohorts><cohorts::CohortsView/></print::ReportSection>
                    <print::ReportSection tab=Tab::Ltv><ltv::LtvView/></print::ReportSection>
                    <print::ReportSection tab=Tab::Trend><trend::TrendView/></print::ReportSection>
                    <print::ReportSection tab=Tab::Repeat><repeat::RepeatView/></print::ReportSection>
                    <print::ReportSection tab=Tab::Segments><segments::SegmentsView/></print::ReportSection>
                    <print::ReportSection tab=Tab::Customers><customers::CustomersView/></print::ReportSection>
                    <print::ReportSection tab=Tab::Products><products::ProductsView/></print::ReportSection>
                    <print::ReportSection tab=Tab::Clv><clv::ClvView/></print::ReportSection>
                    <print::ReportSection tab=Tab::Summary><summary::SummaryView/></print::ReportSection>
                </div>
            </Show>
            <Show when=move || state.info.with(|i| i.is_some()) && !state.printing.get()>
                // Only the chosen section is in the page: a report's
                // arrival renders one section, not six (a long task).
                <Show when=move || state.tab.get() == Tab::Overview>
                    <TabPanel tab=Tab::Overview><overview::OverviewView/></TabPanel>
                </Show>
                <Show when=move || state.tab.get() == Tab::Summary>
                    <TabPanel tab=Tab::Summary><summary::SummaryView/></TabPanel>
                </Show>
                <Show when=move || state.tab.get() == Tab::Deciles>
                    <TabPanel tab=Tab::Deciles><deciles::DecilesView/></TabPanel>
                </Show>
                <Show when=move || state.tab.get() == Tab::Cohorts>
                    <TabPanel tab=Tab::Cohorts><cohorts::CohortsView/></TabPanel>
                </Show>
                <Show when=move || state.tab.get() == Tab::Ltv>
                    <TabPanel tab=Tab::Ltv><ltv::LtvView/></TabPanel>
                </Show>
                <Show when=move || state.tab.get() == Tab::Trend>
                    <TabPanel tab=Tab::Trend><trend::TrendView/></TabPanel>
                </Show>
                <Show when=move || state.tab.get() == Tab::Repeat>
                    <TabPanel tab=Tab::Repeat><repeat::RepeatView/></TabPanel>
                </Show>
                <Show when=move || state.tab.get() == Tab::Segments>
                    <TabPanel tab=Tab::Segments><export::ExportBar/><segments::SegmentsView/></TabPanel>
                </Show>
                <Show when=move || state.tab.get() == Tab::Customers>
                    <TabPanel tab=Tab::Customers><export::ExportBar/><customers::CustomersView/></TabPanel>
                </Show>
                <Show when=move || state.tab.get() == Tab::Products>
                    <TabPanel tab=Tab::Products><export::ExportBar/><products::ProductsView/></TabPanel>
                </Show>
                <Show when=move || state.tab.get() == Tab::Clv>
                    <TabPanel tab=Tab::Clv><clv::ClvView/></TabPanel>
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

/// The section tabs, in their order on the page.
const TABS: [Tab; 11] = [
    Tab::Overview,
    Tab::Deciles,
    Tab::Cohorts,
    Tab::Ltv,
    Tab::Trend,
    Tab::Repeat,
    Tab::Segments,
    Tab::Customers,
    Tab::Products,
    Tab::Clv,
    Tab::Summary,
];

/// The tab's label in a language.
pub(crate) fn tab_label(tab: Tab, l: Lang) -> &'static str {
    match tab {
        Tab::Overview => l.overview().tab,
        Tab::Deciles => l.texts().tab_deciles,
        Tab::Cohorts => l.texts().tab_cohorts,
        Tab::Ltv => l.texts().tab_ltv,
        Tab::Trend => l.texts().tab_trend,
        Tab::Repeat => l.texts().tab_repeat,
        Tab::Segments => l.seg().tab_segments,
        Tab::Customers => l.seg().tab_customers,
        Tab::Products => l.seg().tab_products,
        Tab::Clv => l.clv().tab,
        Tab::Summary => l.texts().tab_summary,
    }
}

/// The section tabs, as the WAI-ARIA tabs pattern has them: one tab stop
/// (the chosen tab), the arrow keys, Home and End move and choose.
#[component]
fn Tabs() -> impl IntoView {
    let state = state::use_state();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let now = TABS
            .iter()
            .position(|t| *t == state.tab.get_untracked())
            .unwrap_or(0);
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => (now + 1) % TABS.len(),
            "ArrowLeft" | "ArrowUp" => (now + TABS.len() - 1) % TABS.len(),
            "Home" => 0,
            "End" => TABS.len() - 1,
            _ => return,
        };
        ev.prevent_default();
        let tab = TABS[next];
        state.tab.set(tab);
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&format!("tab-{}", tab.name())))
        {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    let tab = move |tab: Tab| {
        let chosen = move || state.tab.get() == tab;
        view! {
            <button
                type="button"
                role="tab"
                id=format!("tab-{}", tab.name())
                // Only the chosen tab's panel is in the page.
                aria-controls=move || chosen().then(|| format!("panel-{}", tab.name()))
                data-testid=format!("tab-{}", tab.name())
                class:active=chosen
                aria-selected=move || chosen().to_string()
                tabindex=move || if chosen() { "0" } else { "-1" }
                on:click=move |_| state.tab.set(tab)
            >
                {move || tab_label(tab, state.lang.get())}
            </button>
        }
    };
    view! {
        <nav class="tabs" role="tablist" aria-label=move || state.lang.get().page().tabs_label on:keydown=on_key>
            {TABS.iter().map(|t| tab(*t)).collect_view()}
        </nav>
    }
}

/// A tab's panel (only the chosen one is in the page).
#[component]
fn TabPanel(tab: Tab, children: Children) -> impl IntoView {
    view! {
        <div
            class="tab-panel"
            role="tabpanel"
            id=format!("panel-{}", tab.name())
            aria-labelledby=format!("tab-{}", tab.name())
            tabindex="0"
        >
            {children()}
        </div>
    }
}

/// Whether the status is `ready` (used by views that need results).
pub fn is_ready(s: &Status) -> bool {
    matches!(s, Status::Ready { .. })
}
