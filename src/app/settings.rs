//! Analysis settings: as-of date and decile window (they go to the URL).

use super::state::{use_state, DateSetting};
use leptos::prelude::*;
use ltv_engine::report::AnalyzeParams;

#[component]
pub fn Settings() -> impl IntoView {
    let state = use_state();
    let t = move || state.lang.get().texts();
    // Inputs show the effective value (a default when nothing is set).
    let effective = move |which: DateSetting| {
        move || {
            state.report.with(|r| match r {
                Some(Ok(r)) => match which {
                    DateSetting::AsOf => r.decile_window.as_of.to_string(),
                    DateSetting::From => r.decile_window.from.to_string(),
                    DateSetting::To => r.decile_window.to.to_string(),
                },
                _ => String::new(),
            })
        }
    };
    let input = move |which: DateSetting, testid: &'static str| {
        view! {
            <input
                type="date"
                data-testid=testid
                prop:value=effective(which)
                on:change=move |ev| state.set_date(which, &event_target_value(&ev))
            />
        }
    };
    view! {
        <details class="settings" data-testid="settings">
            <summary>{move || t().settings}</summary>
            <div class="settings-grid">
                <label>
                    <span>{move || t().as_of}</span>
                    {input(DateSetting::AsOf, "as-of")}
                    <small>{move || t().as_of_help}</small>
                </label>
                <label>
                    <span>{move || t().window_from}</span>
                    {input(DateSetting::From, "window-from")}
                </label>
                <label>
                    <span>{move || t().window_to}</span>
                    {input(DateSetting::To, "window-to")}
                </label>
                <button type="button" class="button" on:click=move |_| state.params.set(AnalyzeParams::default())>
                    {move || t().reset}
                </button>
            </div>
        </details>
    }
}
