//! LTV and LTV targets: the H-month LTV decomposed (AOV × orders per
//! customer), profit LTV, LTV ÷ CPA and payback; the three levers side by
//! side; the target plan in both readings and actual against target.

use super::chart::{LineChartCanvas, OwnedLines, OwnedSeries, OwnedY};
use super::export::TableDownload;
use super::state::use_state;
use super::table::{
    formula, kv_table, num_cell, raw_opt, report_section, show, Currency, KvRow, Show,
};
use crate::format::{int, raw};
use crate::i18n::Lang;
use leptos::prelude::*;
use ltv_engine::money::Money;
use ltv_engine::report::Report;
use ltv_engine::targets::{Metric, Reading, Track, Unit};

fn metric_label(lang: Lang, m: Metric) -> &'static str {
    let t = lang.texts();
    match m {
        Metric::Ltv => t.metric_ltv,
        Metric::Tenure => t.metric_tenure,
        Metric::D1 => t.metric_d1,
        Metric::D2 => t.metric_d2,
        Metric::D3 => t.metric_d3,
    }
}

fn metric_key(m: Metric) -> &'static str {
    match m {
        Metric::Ltv => "ltv",
        Metric::Tenure => "tenure",
        Metric::D1 => "d1",
        Metric::D2 => "d2",
        Metric::D3 => "d3",
    }
}

/// Actual (solid) against target (dashed) for one tracked metric.
fn track_chart(r: &Report, track: &Track, lang: Lang) -> OwnedLines {
    let t = lang.texts();
    let (symbol, suffix) = Currency::of(r).symbol();
    OwnedLines {
        x_labels: track.months.iter().map(|m| m.month.clone()).collect(),
        series: vec![
            OwnedSeries::new(t.actual, track.months.iter().map(|m| m.actual).collect(), 0),
            OwnedSeries::new(t.target, track.months.iter().map(|m| m.target).collect(), 1).dashed(),
        ],
        y: match track.unit {
            Unit::Money => OwnedY::Money {
                symbol,
                suffix,
                decimals: 0,
            },
            Unit::Months => OwnedY::Months,
        },
        y_axis: metric_label(lang, track.metric).to_string(),
        x_axis: t.month.to_string(),
        reference: None,
        y_min_zero: false,
    }
}

/// A number input bound to a setting; `to` maps the typed text (None for
/// blank or invalid, which leaves the setting unset where that is allowed).
fn number_input(
    testid: &'static str,
    value: String,
    step: &'static str,
    on: impl Fn(Option<f64>) + 'static,
) -> impl IntoView {
    view! {
        <input
            type="number"
            step=step
            data-testid=testid
            prop:value=value
            on:change=move |ev| on(event_target_value(&ev).trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        />
    }
}

#[component]
pub fn LtvView() -> impl IntoView {
    let state = use_state();
    report_section("ltv", move |r, lang| {
        let t = lang.texts();
        let p = state.params.get_untracked();
        let money = Currency::of(r);
        let l = &r.ltv;
        let m = |x: Option<Money>| x.map_or("–".to_string(), |v| money.amount(v));
        let rows = vec![
            KvRow {
                key: "ltv",
                label: crate::i18n::ltv_horizon(lang, l.horizon_months),
                value: raw_opt(l.ltv),
                text: m(l.ltv),
            },
            KvRow {
                key: "aov",
                label: t.aov.into(),
                value: raw_opt(l.aov),
                text: m(l.aov),
            },
            KvRow {
                key: "orders_per_customer",
                label: t.opc.into(),
                value: raw_opt(l.orders_per_customer),
                text: show(l.orders_per_customer, Show::Decimal(2)),
            },
            KvRow {
                key: "profit_ltv",
                label: t.profit_ltv.into(),
                value: raw_opt(l.profit_ltv),
                text: m(l.profit_ltv),
            },
            KvRow {
                key: "ltv_to_cpa",
                label: t.ltv_to_cpa.into(),
                value: raw_opt(l.ltv_to_cpa),
                text: show(l.ltv_to_cpa, Show::Decimal(2)),
            },
            KvRow {
                key: "payback_month",
                label: t.payback_month.into(),
                value: raw_opt(l.payback_month),
                text: match (l.payback_month, l.cpa, l.gross_margin) {
                    (Some(k), _, _) => k.to_string(),
                    (None, Some(_), Some(_)) => t.never.to_string(),
                    _ => "–".to_string(),
                },
            },
            KvRow {
                key: "cohorts_used",
                label: t.cohorts_used.into(),
                value: raw_opt(Some(l.cohorts_used)),
                text: int(l.cohorts_used as i64),
            },
            KvRow {
                key: "customers_used",
                label: t.customers_used.into(),
                value: raw_opt(Some(l.customers_used)),
                text: int(l.customers_used as i64),
            },
        ];
        // The three levers: CPA, spend per customer (D1–D3 growth in the last
        // month of the trend), tenure.
        let last = r.decile_trend.months.last();
        let growth = |d: usize| last.and_then(|m| m.deciles.get(d)).and_then(|c| c.growth);
        let lever_spend = (0..3)
            .map(|d| {
                format!(
                    "D{} {}",
                    d + 1,
                    growth(d).map_or("–".into(), |g| format!("{:+.1}%", g * 100.0))
                )
            })
            .collect::<Vec<_>>()
            .join(" · ");
        let levers = view! {
            <div class="levers" data-testid="ltv-levers">
                <div class="lever">
                    <h4>{t.lever_cpa}</h4>
                    {match l.ltv_to_cpa {
                        Some(x) => view! {
                            <p class="big">{format!("LTV ÷ CPA = {x:.2}")}</p>
                            <p>{format!("{}: {}", t.payback_month, l.payback_month.map_or("–".into(), |k| k.to_string()))}</p>
                        }
                        .into_any(),
                        None => view! { <p class="hint">{t.cpa_hint}</p> }.into_any(),
                    }}
                </div>
                <div class="lever">
                    <h4>{t.lever_spend}</h4>
                    <p class="big">{m(l.aov)}</p>
                    <p>{lever_spend}</p>
                </div>
                <div class="lever">
                    <h4>{t.lever_tenure}</h4>
                    <p class="big">{show(r.tenure.restricted_mean_months, Show::Decimal(2))}</p>
                    <p>{format!("{}: {}", t.plain_mean, show(r.tenure.plain_mean_months, Show::Decimal(2)))}</p>
                </div>
            </div>
        };
        let plan = &r.targets.plan;
        let plan_rows = plan
            .steps
            .iter()
            .map(|s| {
                view! {
                    <tr data-key=s.month.to_string()>
                        <th scope="row">{s.month}</th>
                        {num_cell("compound".into(), Some(s.compound), show(Some(s.compound), Show::Decimal(2)))}
                        {num_cell("linear".into(), Some(s.linear), show(Some(s.linear), Show::Decimal(2)))}
                    </tr>
                }
            })
            .collect_view();
        let totals = format!(
            "{}: {:+.1}% · {}: {:+.1}%",
            t.compound,
            plan.total_growth_compound * 100.0,
            t.linear,
            plan.total_growth_linear * 100.0
        );
        let tracks = r
            .targets
            .tracks
            .iter()
            .map(|tr| {
                let chart = Signal::derive({
                    let c = track_chart(r, tr, lang);
                    move || Some(c.clone())
                });
                let fmt = {
                    let money = money.clone();
                    let unit = tr.unit;
                    move |v: Option<f64>| match (unit, v) {
                        (_, None) => "–".to_string(),
                        (Unit::Money, Some(x)) => money.fmt(x),
                        (Unit::Months, Some(x)) => format!("{x:.2}"),
                    }
                };
                let rows = tr
                    .months
                    .iter()
                    .map(|mo| {
                        let gap_class = match mo.gap {
                            Some(g) if g >= 0.0 => "num good",
                            Some(_) => "num bad",
                            None => "num",
                        };
                        view! {
                            <tr data-key=mo.month.clone()>
                                <th scope="row">{mo.month.clone()}</th>
                                {num_cell("target".into(), mo.target, fmt(mo.target))}
                                {num_cell("actual".into(), mo.actual, fmt(mo.actual))}
                                <td class=gap_class data-col="gap" data-value=mo.gap.map(|g| raw(&g))>
                                    {match mo.gap_ratio {
                                        Some(q) => format!("{} ({:+.1}%)", fmt(mo.gap), q * 100.0),
                                        None => fmt(mo.gap),
                                    }}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                let key = metric_key(tr.metric);
                view! {
                    <div class="track">
                        <h4>{metric_label(lang, tr.metric)}</h4>
                        <LineChartCanvas chart=chart testid="target-chart"/>
                        <table class="data" data-testid=format!("target-{key}-table")>
                            <thead><tr><th>{t.month}</th><th>{t.target}</th><th>{t.actual}</th><th>{t.gap}</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                        <TableDownload name=format!("target-{key}")/>
                    </div>
                }
            })
            .collect_view();
        let reading = plan.reading;
        view! {
            <h2>{t.ltv_heading}</h2>
            <div class="settings-grid">
                <label>
                    <span>{t.horizon}</span>
                    {number_input("ltv-horizon", p.horizon_months.to_string(), "1", move |v| {
                        if let Some(v) = v.filter(|v| *v >= 1.0 && *v <= 120.0) {
                            state.params.update(|p| p.horizon_months = v as u32);
                        }
                    })}
                </label>
                <label>
                    <span>{t.gross_margin}</span>
                    {number_input("ltv-margin", p.gross_margin.map(|g| format!("{}", (g * 1000.0).round() / 10.0)).unwrap_or_default(), "0.1", move |v| {
                        state.params.update(|p| p.gross_margin = v.filter(|v| *v > 0.0 && *v <= 100.0).map(|v| v / 100.0));
                    })}
                </label>
                <label>
                    <span>{t.cpa}</span>
                    {number_input("ltv-cpa", p.cpa.map(|c| c.to_string()).unwrap_or_default(), "any", move |v| {
                        state.params.update(|p| p.cpa = v.filter(|v| *v > 0.0));
                    })}
                </label>
            </div>
            {if l.ltv.is_none() { Some(view! { <p class="question">{t.not_observed}</p> }) } else { None }}
            {kv_table("ltv", (t.item, t.value), rows)}
            <TableDownload name="ltv"/>
            {levers}
            {formula(t.formula_heading, t.ltv_formula, "ltv-formula")}
            <h2>{t.targets_heading}</h2>
            <div class="settings-grid">
                <label>
                    <span>{t.baseline}</span>
                    {number_input("target-baseline", plan.baseline.to_string(), "any", move |v| {
                        if let Some(v) = v.filter(|v| *v > 0.0) {
                            state.params.update(|p| p.targets.baseline = v);
                        }
                    })}
                </label>
                <label>
                    <span>{t.growth}</span>
                    {number_input("target-growth", format!("{}", (plan.growth * 10000.0).round() / 100.0), "0.1", move |v| {
                        if let Some(v) = v.filter(|v| *v > -100.0 && *v <= 1000.0) {
                            state.params.update(|p| p.targets.growth = v / 100.0);
                        }
                    })}
                </label>
                <label>
                    <span>{t.target_months}</span>
                    {number_input("target-horizon", plan.horizon.to_string(), "1", move |v| {
                        if let Some(v) = v.filter(|v| *v >= 1.0 && *v <= 60.0) {
                            state.params.update(|p| p.targets.horizon = v as u32);
                        }
                    })}
                </label>
                <label>
                    <span>{t.reading}</span>
                    <select
                        data-testid="target-reading"
                        on:change=move |ev| {
                            let r = if event_target_value(&ev) == "linear" { Reading::Linear } else { Reading::Compound };
                            state.params.update(|p| p.targets.reading = r);
                        }
                    >
                        <option value="compound" selected=reading == Reading::Compound>{t.compound}</option>
                        <option value="linear" selected=reading == Reading::Linear>{t.linear}</option>
                    </select>
                </label>
            </div>
            <table class="data" data-testid="target-plan-table">
                <thead><tr><th>{t.month}</th><th>{t.compound}</th><th>{t.linear}</th></tr></thead>
                <tbody>{plan_rows}</tbody>
            </table>
            <TableDownload name="target-plan"/>
            <p class="window" data-testid="target-totals">{totals}</p>
            <div class="tracks">{tracks}</div>
            {formula(t.formula_heading, t.targets_formula, "targets-formula")}
        }
    })
}
