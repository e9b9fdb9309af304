//! Cohort analysis: retention heatmap, LTV curves and the cumulative
//! revenue table, with the granularity choice and the formula.

use super::chart::{report_chart, LineChartCanvas, OwnedLines, OwnedSeries, OwnedY};
use super::export::TableDownload;
use super::state::use_state;
use super::table::{formula, num_cell, report_section, show, Currency, Show};
use crate::format::int;
use crate::i18n::Lang;
use leptos::prelude::*;
use ltv_engine::calendar::Granularity;
use ltv_engine::cohort::Cohort;
use ltv_engine::report::Report;

/// Heatmap class of a retention (10 steps; CSS, since the CSP forbids
/// inline styles).
fn heat(r: f64) -> String {
    format!("heat-{}", ((r * 10.0).floor() as i64).clamp(0, 9))
}

fn granularity_label(lang: Lang, g: Granularity) -> &'static str {
    let t = lang.texts();
    match g {
        Granularity::Week => t.gran_week,
        Granularity::Month => t.gran_month,
        Granularity::Quarter => t.gran_quarter,
    }
}

/// LTV curves: one line per cohort (cumulative revenue per customer).
pub fn ltv_curves(r: &Report, lang: Lang) -> OwnedLines {
    let t = lang.texts();
    let periods = r.cohorts.iter().map(|c| c.periods.len()).max().unwrap_or(0);
    let n = r.cohorts.len();
    let (symbol, suffix) = Currency::of(r).symbol();
    OwnedLines {
        x_labels: (0..periods).map(|k| k.to_string()).collect(),
        series: r
            .cohorts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut v: Vec<Option<f64>> = c
                    .periods
                    .iter()
                    .map(|p| Some(p.cumulative_revenue_per_customer.major()))
                    .collect();
                v.resize(periods, None);
                // Older cohorts in blue, newer in orange.
                let color = if n > 1 && i * 2 >= n { 1 } else { 0 };
                OwnedSeries {
                    markers: n <= 8,
                    ..OwnedSeries::new(c.cohort.clone(), v, color)
                }
            })
            .collect(),
        y: OwnedY::Money {
            symbol,
            suffix,
            decimals: 0,
        },
        y_axis: t.cum_rev_heading.to_string(),
        x_axis: t.periods_since.to_string(),
        reference: None,
        y_min_zero: true,
    }
}

/// A cohort's row: its label and size, then its cells (one per observed
/// period).
fn cohort_row(c: &Cohort, cells: impl IntoView) -> impl IntoView {
    view! {
        <tr data-key=c.cohort.clone()>
            <th scope="row">{c.cohort.clone()}</th>
            {num_cell("customers".into(), Some(c.customers), int(c.customers as i64))}
            {cells}
        </tr>
    }
}

#[component]
pub fn CohortsView() -> impl IntoView {
    let state = use_state();
    let chart = report_chart(ltv_curves);
    report_section("cohorts", move |r, lang| {
        let t = lang.texts();
        let money = Currency::of(r);
        let periods = r.cohorts.iter().map(|c| c.periods.len()).max().unwrap_or(0);
        let head = move || {
            view! {
                <tr>
                    <th>{t.cohort}</th>
                    <th>{t.customers}</th>
                    {(0..periods).map(|k| view! { <th class="num">{k}</th> }).collect_view()}
                </tr>
            }
        };
        let retention = r
            .cohorts
            .iter()
            .map(|c| {
                let cells = c.periods.iter().map(|p| {
                    view! {
                        <td
                            class=format!("num {}", heat(p.retention))
                            data-col=format!("retention_{}", p.period)
                            data-value=crate::format::raw(&p.retention)
                            title=format!("{} / {}", p.active, c.customers)
                        >
                            {show(Some(p.retention), Show::Percent)}
                        </td>
                    }
                });
                cohort_row(c, cells.collect_view())
            })
            .collect_view();
        let cumulative = r
            .cohorts
            .iter()
            .map(|c| {
                let cells = c.periods.iter().map(|p| {
                    num_cell(
                        format!("cumulative_revenue_per_customer_{}", p.period),
                        Some(p.cumulative_revenue_per_customer),
                        money.amount(p.cumulative_revenue_per_customer),
                    )
                });
                cohort_row(c, cells.collect_view())
            })
            .collect_view();
        let granularity = r.cohort_granularity;
        view! {
            <h2>{t.cohorts_heading}</h2>
            <div class="settings-grid">
                <label>
                    <span>{t.granularity}</span>
                    <select
                        data-testid="cohort-granularity"
                        on:change=move |ev| {
                            if let Some(g) = Granularity::from_name(&event_target_value(&ev)) {
                                state.params.update(|p| p.granularity = g);
                            }
                        }
                    >
                        {Granularity::ALL
                            .into_iter()
                            .map(|g| view! { <option value=g.name() selected=g == granularity>{granularity_label(lang, g)}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <h3>{t.retention_heading}</h3>
            <div class="scroll" tabindex="0">
                <table class="data heatmap" data-testid="cohort-table">
                    <thead>{head()}</thead>
                    <tbody>{retention}</tbody>
                </table>
            </div>
            <TableDownload name="cohort"/>
            <h3>{t.cum_rev_heading}</h3>
            <LineChartCanvas chart=chart testid="cohort-ltv-chart"/>
            <div class="scroll" tabindex="0">
                <table class="data" data-testid="cohort-ltv-table">
                    <thead>{head()}</thead>
                    <tbody>{cumulative}</tbody>
                </table>
            </div>
            <TableDownload name="cohort-ltv"/>
            {formula(t.formula_heading, t.cohort_formula, "cohort-formula")}
        }
    })
}
