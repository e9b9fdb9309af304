//! The overview tab, the first one once a file is read: the headline KPIs
//! of the period against the previous period of the same length, each
//! with its definition, a link to its tab, and the reason when it cannot
//! be computed (see [`ltv_engine::overview`]).
//!
//! DOM: `section.overview` holds `[data-testid=overview-period]` and one
//! `[data-testid=kpi][data-key=<kpi>]` per KPI with `[data-col=value]`,
//! `[data-col=previous]` and `[data-col=change]`, each with its raw
//! `data-value` (as the CLI's JSON writes it) or, where not given, a
//! `data-missing` with the reason's name and the reason as text.

use super::export::TableDownload;
use super::state::{use_state, Tab};
use super::table::{raw_opt, report_section, Currency};
use crate::format::{decimal, int, percent};
use crate::i18n::overview::{definition, missing, name, periods};
use crate::i18n::Lang;
use leptos::prelude::*;
use ltv_engine::overview::{Kpi, KpiName, KpiUnit, Missing, Overview};

/// The tab that explains a KPI.
fn tab_of(k: KpiName) -> Tab {
    match k {
        KpiName::Revenue
        | KpiName::Customers
        | KpiName::Orders
        | KpiName::AverageOrderValue
        | KpiName::OrdersPerCustomer => Tab::Deciles,
        KpiName::Ltv | KpiName::LtvToCpa => Tab::Ltv,
        KpiName::F2Rate | KpiName::RepeatRate | KpiName::ReturningShare => Tab::Repeat,
    }
}

/// A value as people read it.
fn show(unit: KpiUnit, v: f64, money: &Currency) -> String {
    match unit {
        KpiUnit::Money => money.fmt(v),
        KpiUnit::Count => int(v as i64),
        KpiUnit::Ratio => decimal(v, 2),
        KpiUnit::Rate => percent(v),
    }
}

/// A change as people read it: `+5.0%`, `−1.2 pt`.
fn show_change(unit: KpiUnit, c: f64, lang: Lang) -> String {
    let (n, suffix) = match unit {
        KpiUnit::Rate => (decimal(c * 100.0, 1), lang.overview().points),
        _ => (decimal(c * 100.0, 1), "%"),
    };
    let sign = if c > 0.0 && n != "0.0" { "+" } else { "" };
    format!("{sign}{n}{suffix}")
}

/// One KPI card.
fn card(k: &Kpi, o: &Overview, lang: Lang, money: &Currency) -> impl IntoView {
    let state = use_state();
    let t = lang.overview();
    let tab = tab_of(k.kpi);
    let title = name(lang, k.kpi, o.horizon_months);
    let reason = |m: Option<Missing>| m.map(|m| missing(lang, m, o));
    let value = match k.value {
        Some(v) => view! {
            <p class="kpi-value" data-col="value" data-value=raw_opt(Some(v))>{show(k.unit, v, money)}</p>
        }
        .into_any(),
        None => view! {
            <p class="kpi-value kpi-missing" data-col="value" data-missing=k.missing.map(missing_name)>
                "–"<span class="kpi-why">{reason(k.missing)}</span>
            </p>
        }
        .into_any(),
    };
    let direction = k.change.map(|c| {
        if c > 0.0 {
            "up"
        } else if c < 0.0 {
            "down"
        } else {
            "flat"
        }
    });
    let arrow = match direction {
        Some("up") => "▲ ",
        Some("down") => "▼ ",
        _ => "",
    };
    let change = match (k.change, k.value) {
        (Some(c), _) => view! {
            <p class="kpi-change" data-col="change" data-value=raw_opt(Some(c)) data-direction=direction>
                <span aria-hidden="true">{arrow}</span>
                <span class="visually-hidden">{t.change}": "</span>
                {show_change(k.unit, c, lang)}
                " "
                <span class="kpi-prev" data-col="previous" data-value=raw_opt(k.previous)>
                    "("{t.previous}": "{k.previous.map(|p| show(k.unit, p, money)).unwrap_or_default()}")"
                </span>
            </p>
        }
        .into_any(),
        // Without a value the card already says why.
        (None, None) => view! { <p class="kpi-change" data-col="change" data-missing=k.change_missing.map(missing_name)></p> }.into_any(),
        (None, Some(_)) => view! {
            <p class="kpi-change kpi-missing" data-col="change" data-missing=k.change_missing.map(missing_name)>
                {t.no_change}": "{reason(k.change_missing)}
                {k.previous.map(|p| view! {
                    " "
                    <span class="kpi-prev" data-col="previous" data-value=raw_opt(Some(p))>
                        "("{t.previous}": "{show(k.unit, p, money)}")"
                    </span>
                })}
            </p>
        }
        .into_any(),
    };
    let label = crate::app::tab_label(tab, lang);
    view! {
        <article class="kpi" data-testid="kpi" data-key=k.kpi.name()>
            <h3>{title}</h3>
            {value}
            {change}
            <p class="kpi-def">{definition(lang, k.kpi, o.horizon_months)}</p>
            <button type="button" class="link" data-testid=format!("kpi-{}-tab", k.kpi.name()) on:click=move |_| state.tab.set(tab)>
                {t.open_tab}": "{label}" →"
            </button>
        </article>
    }
}

/// The reason's name, as the JSON writes it.
fn missing_name(m: Missing) -> String {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[component]
pub fn OverviewView() -> impl IntoView {
    report_section("overview", move |r, lang| {
        let t = lang.overview();
        let money = Currency::of(r);
        let o = &r.overview;
        let cards = o
            .kpis
            .iter()
            .map(|k| card(k, o, lang, &money))
            .collect_view();
        let dash = || "–".to_string();
        let rows = o
            .kpis
            .iter()
            .map(|k| {
                let cell = |col: &'static str, v: Option<f64>, text: String| {
                    view! { <td class="num" data-col=col data-value=raw_opt(v)>{text}</td> }
                };
                let shown =
                    |v: Option<f64>| v.map(|v| show(k.unit, v, &money)).unwrap_or_else(dash);
                let change = k
                    .change
                    .map(|c| show_change(k.unit, c, lang))
                    .unwrap_or_else(dash);
                view! {
                    <tr data-key=k.kpi.name()>
                        <th scope="row">{name(lang, k.kpi, o.horizon_months)}</th>
                        {cell("value", k.value, shown(k.value))}
                        {cell("previous", k.previous, shown(k.previous))}
                        {cell("change", k.change, change)}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h2>{t.heading}</h2>
            <p class="period" data-testid="overview-period">{periods(lang, o)}</p>
            <div class="kpis">{cards}</div>
            <details class="formula no-print" data-testid="overview-as-table">
                <summary>{t.as_table}</summary>
                <div class="scroll" tabindex="0">
                    <table class="data" data-testid="overview-table">
                        <thead><tr><th>{t.kpi}</th><th>{t.this_period}</th><th>{t.previous}</th><th>{t.change}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <TableDownload name="overview"/>
            </details>
            <details class="formula" open=true data-testid="overview-formula">
                <summary>{t.how_read}</summary>
                <p>{t.how}</p>
            </details>
        }
    })
}
