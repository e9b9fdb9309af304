//! The mapping step: when the columns could not be recognised, a preview
//! of the first rows and a choice of column per field.

use super::state::use_state;
use crate::i18n;
use leptos::prelude::*;
use ltv_engine::mapping::{ColumnMapping, Field};

/// The fields offered, required first.
const FIELDS: [(Field, bool); 11] = [
    (Field::OrderDate, true),
    (Field::OrderTotal, true),
    (Field::Email, false),
    (Field::CustomerId, false),
    (Field::Phone, false),
    (Field::OrderId, false),
    (Field::Status, false),
    (Field::LinePrice, false),
    (Field::LineQuantity, false),
    (Field::Product, false),
    (Field::Category, false),
];

#[component]
pub fn MappingStepView() -> impl IntoView {
    let state = use_state();
    move || {
        let step = state.mapping.get()?;
        let headers = step.preview.headers.clone();
        let draft = RwSignal::new(step.preview.guess.mapping.clone());
        let lang = state.lang.get();
        let t = lang.texts();
        let column_select = {
            let headers = headers.clone();
            move |field: Field, required: bool| {
                let headers = headers.clone();
                view! {
                    <label class="map-field">
                        <span>
                            {i18n::field(lang, field)}
                            {required.then(|| view! { <em>{format!(" ({})", t.required)}</em> })}
                        </span>
                        <select
                            data-testid=format!("map-{}", field.name())
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                draft.update(|m: &mut ColumnMapping| m.set(field, v.parse::<usize>().ok()));
                                draft.update(|m| {
                                    if m.key_column().is_none() {
                                        m.default_key();
                                    }
                                });
                            }
                        >
                            <option value="" selected=draft.get_untracked().get(field).is_none()>{t.mapping_none}</option>
                            {headers
                                .iter()
                                .enumerate()
                                .map(|(i, h)| {
                                    let selected = draft.get_untracked().get(field) == Some(i);
                                    view! { <option value=i.to_string() selected=selected>{format!("{}: {h}", i + 1)}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                }
            }
        };
        let key_select = move || {
            let options = [Field::Email, Field::CustomerId, Field::Phone];
            view! {
                <label class="map-field">
                    <span>{t.mapping_key}<em>{format!(" ({})", t.required)}</em></span>
                    <select
                        data-testid="map-customer-key"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|m| m.customer_key = options.into_iter().find(|f| f.name() == v));
                        }
                    >
                        {options
                            .into_iter()
                            .map(|f| {
                                let selected = draft.get_untracked().customer_key == Some(f);
                                view! { <option value=f.name() selected=selected>{i18n::field(lang, f)}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            }
        };
        let preview_rows = step.preview.rows.clone();
        Some(view! {
            <section class="mapping" data-testid="mapping-step">
                <h2>{t.mapping_heading}</h2>
                <p>{t.mapping_help}</p>
                {step
                    .preview
                    .guess
                    .note
                    .map(|n| view! { <p class="question" data-testid="format-note">{i18n::platform_note(lang, step.preview.guess.platform, &n)}</p> })}
                <div class="map-grid">
                    {FIELDS.iter().map(|&(f, req)| column_select(f, req)).collect_view()}
                    {key_select()}
                </div>
                <div class="actions">
                    <button
                        type="button"
                        class="button primary"
                        data-testid="mapping-apply"
                        disabled=move || !draft.with(|m| m.missing().is_empty())
                        on:click=move |_| state.apply_mapping(draft.get_untracked())
                    >
                        {t.mapping_apply}
                    </button>
                    <button type="button" class="button" on:click=move |_| state.cancel_mapping()>{t.cancel}</button>
                </div>
                <h3>{t.mapping_preview}</h3>
                <div class="scroll" tabindex="0">
                    <table class="data preview" data-testid="mapping-preview">
                        <thead>
                            <tr>{headers.iter().enumerate().map(|(i, h)| view! { <th>{format!("{}: {h}", i + 1)}</th> }).collect_view()}</tr>
                        </thead>
                        <tbody>
                            {preview_rows
                                .into_iter()
                                .map(|row| view! { <tr>{row.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })
    }
}
