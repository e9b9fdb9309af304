//! Analysis settings: as-of date and decile window (they go to the URL).

use super::state::{forget_stored, use_state, DateSetting};
use super::url::settings_link;
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
    // Entries removed by the last "forget" click.
    let forgotten = RwSignal::new(None::<u32>);
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
                <button
                    type="button"
                    class="button"
                    data-testid="reset-settings"
                    on:click=move |_| state.params.set(AnalyzeParams::default())
                >
                    {move || t().reset}
                </button>
            </div>
            <ShareLink/>
            <p class="note">
                {move || t().stored_help}" "
                <button
                    type="button"
                    class="button"
                    data-testid="forget-browser"
                    on:click=move |_| forgotten.set(Some(forget_stored()))
                >
                    {move || t().forget_browser}
                </button>
                " "
                <span data-testid="forget-status" aria-live="polite">
                    {move || forgotten.get().map(|n| crate::i18n::forgotten(state.lang.get(), n))}
                </span>
            </p>
        </details>
    }
}

/// A text input for setting `name` of the engine's settings table (the
/// CLI's `--name`, the URL's `name=`): it shows the value set (else
/// `placeholder`, e.g. the default in effect), applies what is typed,
/// says when that cannot be read, and an empty box restores the default.
pub fn setting_input(
    name: &'static str,
    label: &'static str,
    placeholder: Option<String>,
) -> impl IntoView {
    let state = use_state();
    let invalid = RwSignal::new(false);
    let Some(setting) = ltv_engine::settings::setting(name) else {
        return ().into_any();
    };
    let on_change = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let text = text.trim();
        let params = state.params.get_untracked();
        let next = if text.is_empty() {
            Ok(without(&params, name))
        } else {
            let mut p = params;
            setting.apply(&mut p, text).map(|()| p)
        };
        match next {
            Ok(p) => {
                invalid.set(false);
                state.params.set(p);
            }
            Err(_) => invalid.set(true),
        }
    };
    view! {
        <label>
            <span>{label}</span>
            <input
                type="text"
                inputmode="decimal"
                data-testid=name
                placeholder=placeholder
                aria-invalid=move || invalid.get().to_string()
                prop:value=move || state.params.with(|p| setting.format(p).unwrap_or_default())
                on:change=on_change
            />
            <small class="invalid" hidden=move || !invalid.get()>
                {move || state.lang.get().seg().invalid_setting}
            </small>
        </label>
    }
    .into_any()
}

/// `params` with setting `name` back at its default: every other setting
/// carried over through the settings table.
fn without(params: &AnalyzeParams, name: &str) -> AnalyzeParams {
    let mut fresh = AnalyzeParams::default();
    for s in ltv_engine::settings::SETTINGS {
        if s.name != name {
            if let Some(v) = s.format(params) {
                let _ = s.apply(&mut fresh, &v);
            }
        }
    }
    fresh
}

/// A choice for setting `name` (`options`: the setting's values and their
/// labels), applied through the settings table like [`setting_input`].
pub fn setting_select(
    name: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let state = use_state();
    let Some(setting) = ltv_engine::settings::setting(name) else {
        return ().into_any();
    };
    let current = move || state.params.with(|p| setting.format(p).unwrap_or_default());
    let on_change = move |ev: leptos::ev::Event| {
        let mut p = state.params.get_untracked();
        if setting.apply(&mut p, &event_target_value(&ev)).is_ok() {
            state.params.set(p);
        }
    };
    let options = options
        .into_iter()
        .map(|(value, text)| {
            view! { <option value=value selected=move || current() == value>{text}</option> }
        })
        .collect_view();
    view! {
        <label>
            <span>{label}</span>
            <select data-testid=name on:change=on_change>{options}</select>
        </label>
    }
    .into_any()
}

/// The link with the settings: shown (to select and copy by hand), a
/// button that copies it, and what it holds (the settings, never data).
#[component]
fn ShareLink() -> impl IntoView {
    let state = use_state();
    let p = move || state.lang.get().page();
    let link = move || settings_link(state.lang.get(), &state.params.get(), state.tab.get());
    // The outcome of the last copy: Some(true) copied, Some(false) failed.
    let copied = RwSignal::new(None::<bool>);
    Effect::new(move |_| {
        // Any change of the settings makes the last outcome stale.
        let _ = (state.params.get(), state.tab.get());
        copied.set(None);
    });
    let copy = move |_| {
        let text = link();
        // No clipboard outside a secure context (a plain-HTTP intranet
        // server): the link is there to select and copy by hand.
        let promise = web_sys::window()
            .map(|w| w.navigator())
            .filter(|n| {
                js_sys::Reflect::get(n, &"clipboard".into()).is_ok_and(|c| !c.is_undefined())
            })
            .map(|n| n.clipboard().write_text(&text));
        wasm_bindgen_futures::spawn_local(async move {
            let ok = match promise {
                Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
                None => false,
            };
            copied.set(Some(ok));
        });
    };
    view! {
        <div class="share-link">
            <button type="button" class="button" data-testid="copy-link" on:click=copy>
                {move || p().copy_link}
            </button>
            <input
                type="text"
                readonly=true
                data-testid="settings-link"
                aria-label=move || p().link_label
                prop:value=link
                on:focus=move |ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        i.select();
                    }
                }
            />
            <span data-testid="copy-status" aria-live="polite">
                {move || copied.get().map(|ok| if ok { p().link_copied } else { p().link_select })}
            </span>
            <small>{move || p().link_help}</small>
        </div>
    }
}
