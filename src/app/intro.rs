//! The first screen, before a file is read: what the analyses give, which
//! exports are read, and why nothing is uploaded (PRIVACY.md has each
//! claim with its test).

use super::state::use_state;
use leptos::prelude::*;

#[component]
pub fn Intro() -> impl IntoView {
    let state = use_state();
    let p = move || state.lang.get().page();
    let items = move || {
        let sep = match state.lang.get() {
            crate::i18n::Lang::Ja => "：",
            crate::i18n::Lang::En => ": ",
        };
        p().intro_items
            .iter()
            .map(|(name, what)| view! { <li><strong>{*name}</strong>{sep}{*what}</li> })
            .collect_view()
    };
    let points = move || {
        p().privacy_points
            .iter()
            .map(|s| view! { <li>{*s}</li> })
            .collect_view()
    };
    view! {
        <section class="intro" data-testid="intro">
            <div>
                <h2>{move || p().intro_heading}</h2>
                <ul>{items}</ul>
            </div>
            <div>
                <h2>{move || p().formats_heading}</h2>
                <p>{move || p().formats}</p>
                <details class="privacy-details" data-testid="privacy-details">
                    <summary>{move || p().privacy_heading}</summary>
                    <ul>{points}</ul>
                    <p class="note">{move || p().privacy_tested}</p>
                </details>
            </div>
        </section>
    }
}
