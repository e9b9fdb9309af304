//! How the file was read, and the choices to read it differently: the
//! day/month question when dates are ambiguous, encoding, currency,
//! customer key and exclusion rules. Every change re-reads the file.

use super::state::{use_state, Notice};
use crate::i18n::{self, Lang};
use leptos::prelude::*;
use ltv_engine::date::DateOrder;
use ltv_engine::mapping::Field;

/// Encodings offered when detection got it wrong (WHATWG labels).
const ENCODINGS: [&str; 6] = [
    "UTF-8",
    "Shift_JIS",
    "EUC-JP",
    "UTF-16LE",
    "UTF-16BE",
    "windows-1252",
];

/// A labelled `<select>` (`data-testid=testid`) that hands the chosen value
/// to `on_pick`.
fn labelled_select(
    label: &'static str,
    testid: &'static str,
    on_pick: impl Fn(String) + 'static,
    options: impl IntoView + 'static,
) -> impl IntoView {
    view! {
        <label>
            <span>{label}</span>
            <select data-testid=testid on:change=move |ev| on_pick(event_target_value(&ev))>
                {options}
            </select>
        </label>
    }
}

/// The day/month question, shown while the order is ambiguous.
#[component]
pub fn DateOrderQuestion() -> impl IntoView {
    let state = use_state();
    let ambiguous = move || {
        state
            .info
            .with(|i| i.as_ref().is_some_and(|i| i.date_order_ambiguous))
    };
    let answer = move |order: DateOrder| state.reread(move |o| o.date_order = Some(order));
    view! {
        <Show when=ambiguous>
            <div class="question" data-testid="date-order-question" role="alert">
                <p>{move || state.lang.get().texts().date_order_question}</p>
                <div class="actions">
                    <button type="button" class="button" data-testid="date-order-month-first" on:click=move |_| answer(DateOrder::MonthFirst)>
                        {move || state.lang.get().texts().month_first}
                    </button>
                    <button type="button" class="button" data-testid="date-order-day-first" on:click=move |_| answer(DateOrder::DayFirst)>
                        {move || state.lang.get().texts().day_first}
                    </button>
                </div>
            </div>
        </Show>
    }
}

/// "How the file was read": detected facts and the choices.
#[component]
pub fn ReadingOptions() -> impl IntoView {
    let state = use_state();
    // The panel is rebuilt after each re-read; it stays as the user left it.
    let open = RwSignal::new(false);
    let body = move || {
        let lang: Lang = state.lang.get();
        let t = lang.texts();
        let info = state.info.get()?;
        let read = state.read.get_untracked();
        let detected_encoding = info.encoding.clone();
        let encoding_select = labelled_select(
            t.encoding,
            "read-encoding",
            move |v| {
                state.reread(move |o| o.encoding = encoding_rs::Encoding::for_label(v.as_bytes()))
            },
            view! {
                <option value="" selected=read.encoding.is_none()>{format!("{} ({detected_encoding})", t.detect)}</option>
                {ENCODINGS
                    .iter()
                    .map(|e| {
                        let selected = read.encoding.is_some_and(|r| r.name() == *e);
                        view! { <option value=*e selected=selected>{*e}</option> }
                    })
                    .collect_view()}
            },
        );
        let currency_select = (info.currencies.len() > 1).then(|| {
            let chosen = info.currency.clone().unwrap_or_default();
            labelled_select(
                t.currency,
                "read-currency",
                move |v| state.reread(move |o| o.currency = Some(v)),
                info.currencies
                    .iter()
                    .map(|c| {
                        let label = i18n::currency_choice(lang, &c.code, c.orders);
                        view! { <option value=c.code.clone() selected=c.code == chosen>{label}</option> }
                    })
                    .collect_view(),
            )
        });
        let keys: Vec<Field> = [Field::Email, Field::CustomerId, Field::Phone]
            .into_iter()
            .filter(|f| info.mapping.get(*f).is_some())
            .collect();
        let key_select = (keys.len() > 1).then(|| {
            let mapping = info.mapping.clone();
            labelled_select(
                t.mapping_key,
                "read-customer-key",
                move |v| {
                    let mut m = mapping.clone();
                    m.customer_key = Field::ALL.into_iter().find(|f| f.name() == v);
                    state.reread(move |o| o.mapping = Some(m));
                },
                keys.iter()
                    .map(|f| {
                        let selected = info.mapping.customer_key == Some(*f);
                        view! { <option value=f.name() selected=selected>{i18n::field(lang, *f)}</option> }
                    })
                    .collect_view(),
            )
        });
        // The columns the content decided, each changeable.
        let content_selects = info
            .from_content
            .iter()
            .map(|&f| {
                let mapping = info.mapping.clone();
                let chosen = match f {
                    Field::Email => info.mapping.key_column(),
                    f => info.mapping.get(f),
                };
                let testid = match f {
                    Field::Email => "read-map-email",
                    Field::OrderDate => "read-map-order_date",
                    _ => "read-map-order_total",
                };
                labelled_select(
                    i18n::field(lang, f),
                    testid,
                    move |v| {
                        let Ok(c) = v.parse::<usize>() else {
                            return;
                        };
                        let mut m = mapping.clone();
                        m.set(f, Some(c));
                        if f == Field::Email {
                            m.customer_key = Some(Field::Email);
                            m.key_extra.clear();
                        }
                        state.reread(move |o| o.mapping = Some(m));
                    },
                    info.headers
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            view! { <option value=i.to_string() selected=chosen == Some(i)>{h.clone()}</option> }
                        })
                        .collect_view(),
                )
            })
            .collect_view();
        let rule = |label: &'static str,
                    testid: &'static str,
                    on: bool,
                    set: fn(&mut ltv_engine::ingest::ExclusionRules, bool)| {
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid=testid
                        prop:checked=on
                        on:change=move |ev| {
                            let v = event_target_checked(&ev);
                            state.reread(move |o| set(&mut o.rules, v));
                        }
                    />
                    <span>{label}</span>
                </label>
            }
        };
        let rules = read.rules;
        let date_order = match info.date_order {
            DateOrder::MonthFirst => t.month_first,
            DateOrder::DayFirst => t.day_first,
        };
        Some(view! {
            <details
                class="settings"
                data-testid="reading"
                open=open.get_untracked() || !info.from_content.is_empty()
                on:toggle=move |ev| {
                    let el: web_sys::HtmlDetailsElement = event_target(&ev);
                    open.set(el.open());
                }
            >
                <summary>{t.reading_heading}</summary>
                <p class="detected">
                    {info.platform.map(|p| i18n::platform(lang, p)).unwrap_or_default()}
                    {format!(" · {} · {}", info.encoding, i18n::delimiter(lang, info.delimiter))}
                    {format!(" · {}: {date_order}", t.date_order)}
                </p>
                <div class="settings-grid">
                    {encoding_select}
                    {currency_select}
                    {key_select}
                    {content_selects}
                    {labelled_select(
                        t.date_order,
                        "read-date-order",
                        move |v| {
                            let order = match v.as_str() {
                                "day_first" => Some(DateOrder::DayFirst),
                                "month_first" => Some(DateOrder::MonthFirst),
                                _ => None,
                            };
                            state.reread(move |o| o.date_order = order);
                        },
                        view! {
                            <option value="" selected=read.date_order.is_none()>{t.detect}</option>
                            <option value="month_first" selected=read.date_order == Some(DateOrder::MonthFirst)>{t.month_first}</option>
                            <option value="day_first" selected=read.date_order == Some(DateOrder::DayFirst)>{t.day_first}</option>
                        },
                    )}
                </div>
                <div class="settings-grid">
                    {rule(t.rule_cancelled, "rule-cancelled", rules.exclude_cancelled, |r, v| r.exclude_cancelled = v)}
                    {rule(t.rule_refunded, "rule-refunded", rules.exclude_refunded, |r, v| r.exclude_refunded = v)}
                    {rule(t.rule_partial, "rule-partial", rules.subtract_refunds, |r, v| r.subtract_refunds = v)}
                    {rule(t.rule_failed, "rule-failed", rules.exclude_failed, |r, v| r.exclude_failed = v)}
                    {rule(t.rule_test, "rule-test", rules.exclude_test, |r, v| r.exclude_test = v)}
                </div>
            </details>
        })
    };
    let notice = move || {
        state.notice.get().map(|n| match n {
            Notice::RememberedMapping => view! {
                <p class="notice" data-testid="notice">{state.lang.get().texts().remembered_mapping}</p>
            },
            Notice::Cancelled => view! {
                <p class="notice" data-testid="notice">{state.lang.get().texts().cancelled}</p>
            },
        })
    };
    // The detected format's note (e.g. "this report has no buyer column").
    let format_note = move || {
        let lang = state.lang.get();
        state.info.with(|i| {
            let info = i.as_ref()?;
            let mut notes: Vec<String> = Vec::new();
            if let (Some(p), Some(n)) = (info.platform, info.note.as_deref()) {
                notes.push(i18n::platform_note(lang, p, n));
            }
            for &f in &info.from_content {
                let column = match f {
                    Field::Email => info.mapping.key_column(),
                    f => info.mapping.get(f),
                };
                if let Some(h) = column.and_then(|c| info.headers.get(c)) {
                    notes.push(i18n::from_content(lang, f, h));
                }
            }
            if info.currencies.len() > 1 {
                notes.push(i18n::several_currencies(
                    lang,
                    &info.currencies,
                    info.currency.as_deref().unwrap_or(""),
                ));
            }
            (!notes.is_empty()).then(|| {
                view! {
                    <div class="question" data-testid="format-note">
                        {notes.into_iter().map(|n| view! { <p>{n}</p> }).collect_view()}
                    </div>
                }
            })
        })
    };
    view! { {notice} {format_note} {body} }
}
