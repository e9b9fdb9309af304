//! Repeat metrics (F2, order-count flow, repeat rate, returning vs new by
//! month) and tenure (plain mean beside the Kaplan–Meier restricted mean).

use super::chart::{report_chart, LineChartCanvas, OwnedLines, OwnedSeries, OwnedY};
use super::export::TableDownload;
use super::state::use_state;
use super::table::{
    count_cell, formula, kv_table, num_cell, raw_opt, report_section, show, KvRow, Show,
};
use crate::format::int;
use crate::i18n::Lang;
use leptos::prelude::*;
use ltv_engine::report::Report;

/// Returning share by month against the 60 % reference.
fn mix_chart(r: &Report, lang: Lang) -> OwnedLines {
    let t = lang.texts();
    let months = &r.repeat.returning_by_month;
    OwnedLines {
        x_labels: months.iter().map(|m| m.month.clone()).collect(),
        series: vec![
            OwnedSeries::new(
                t.returning,
                months.iter().map(|m| m.returning_share).collect(),
                0,
            ),
            OwnedSeries::new(
                t.new_buyers,
                months.iter().map(|m| m.new_share).collect(),
                1,
            )
            .without_markers(),
        ],
        y: OwnedY::Percent,
        y_axis: t.buyers.to_string(),
        x_axis: t.month.to_string(),
        reference: Some((0.6, "60%".to_string())),
        y_min_zero: true,
    }
}

/// The Kaplan–Meier survival curve.
fn survival_chart(r: &Report, lang: Lang) -> OwnedLines {
    let t = lang.texts();
    let s = &r.tenure.survival;
    OwnedLines {
        x_labels: s.iter().map(|p| p.month.to_string()).collect(),
        series: vec![
            OwnedSeries::new(t.survival, s.iter().map(|p| Some(p.survival)).collect(), 0)
                .without_markers(),
        ],
        y: OwnedY::Percent,
        y_axis: t.survival.to_string(),
        x_axis: t.months_since_first.to_string(),
        reference: None,
        y_min_zero: true,
    }
}

#[component]
pub fn RepeatView() -> impl IntoView {
    let state = use_state();
    let mix = report_chart(mix_chart);
    let survival = report_chart(survival_chart);
    report_section("repeat", move |r, lang| {
        let t = lang.texts();
        let p = state.params.get_untracked();
        let rp = &r.repeat;
        let count = |n: u64| (raw_opt(Some(n)), int(n as i64));
        let kv = |key, label: &str, (value, text): (Option<String>, String)| KvRow {
            key,
            label: label.to_string(),
            value,
            text,
        };
        let rate = |x: Option<f64>| (raw_opt(x), show(x, Show::Percent));
        let summary = vec![
            kv("f2_rate", t.f2, rate(rp.f2.rate)),
            kv("f2_customers", t.customers, count(rp.f2.customers)),
            kv("f2_converted", t.went_on, count(rp.f2.converted)),
            kv("repeat_rate", t.repeat_rate, rate(rp.repeat_rate.rate)),
            kv(
                "repeat_customers",
                t.went_on,
                count(rp.repeat_rate.repeat_customers),
            ),
            kv(
                "window_customers",
                t.customers,
                count(rp.repeat_rate.customers),
            ),
        ];
        let f2_rows = rp
            .f2
            .by_cohort
            .iter()
            .map(|c| {
                view! {
                    <tr data-key=c.cohort.clone()>
                        <th scope="row">{c.cohort.clone()}</th>
                        {count_cell("customers", c.customers)}
                        {count_cell("converted", c.converted)}
                        {num_cell("rate".into(), c.rate, show(c.rate, Show::Percent))}
                    </tr>
                }
            })
            .collect_view();
        let flow_rows = rp
            .flow
            .iter()
            .map(|s| {
                view! {
                    <tr data-key=s.order.to_string()>
                        <th scope="row">{s.order}</th>
                        {count_cell("customers", s.customers)}
                        {count_cell("next", s.next)}
                        {num_cell("rate".into(), s.rate, show(s.rate, Show::Percent))}
                    </tr>
                }
            })
            .collect_view();
        let mix_rows = rp
            .returning_by_month
            .iter()
            .rev()
            .map(|m| {
                view! {
                    <tr data-key=m.month.clone()>
                        <th scope="row">{m.month.clone()}</th>
                        {count_cell("buyers", m.buyers)}
                        {count_cell("returning", m.returning)}
                        {count_cell("new", m.new)}
                        {num_cell("returning_share".into(), m.returning_share, show(m.returning_share, Show::Percent))}
                    </tr>
                }
            })
            .collect_view();
        let tn = &r.tenure;
        let tenure_rows = vec![
            kv(
                "plain_mean_months",
                t.plain_mean,
                (
                    raw_opt(tn.plain_mean_months),
                    show(tn.plain_mean_months, Show::Decimal(2)),
                ),
            ),
            kv(
                "restricted_mean_months",
                t.restricted_mean,
                (
                    raw_opt(tn.restricted_mean_months),
                    show(tn.restricted_mean_months, Show::Decimal(2)),
                ),
            ),
            kv("customers", t.customers, count(tn.customers)),
            kv("active", t.active_customers, count(tn.active)),
            kv("churned", t.churned_customers, count(tn.churned)),
        ];
        view! {
            <h2>{t.repeat_heading}</h2>
            <div class="settings-grid">
                <label>
                    <span>{t.f2_within}</span>
                    <input
                        type="number"
                        min="1"
                        step="1"
                        data-testid="f2-within"
                        prop:value=p.f2_within_days.map(|d| d.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            let v = event_target_value(&ev).trim().parse::<u32>().ok().filter(|d| *d > 0);
                            state.params.update(|p| p.f2_within_days = v);
                        }
                    />
                </label>
            </div>
            {kv_table("repeat", (t.item, t.value), summary)}
            <TableDownload name="repeat"/>
            {formula(t.formula_heading, t.f2_formula, "f2-formula")}
            {formula(t.repeat_rate, t.repeat_rate_formula, "repeat-rate-formula")}
            <h3>{t.f2}</h3>
            <div class="scroll short" tabindex="0">
                <table class="data" data-testid="f2-table">
                    <thead><tr><th>{t.cohort}</th><th>{t.customers}</th><th>{t.went_on}</th><th>{t.rate}</th></tr></thead>
                    <tbody>{f2_rows}</tbody>
                </table>
                <TableDownload name="f2"/>
            </div>
            <h3>{t.flow_heading}</h3>
            <table class="data" data-testid="flow-table">
                <thead><tr><th>{t.order_n}</th><th>{t.reached}</th><th>{t.went_on}</th><th>{t.rate}</th></tr></thead>
                <tbody>{flow_rows}</tbody>
            </table>
            <TableDownload name="flow"/>
            {formula(t.formula_heading, t.flow_formula, "flow-formula")}
            <h3>{t.mix_heading}</h3>
            <LineChartCanvas chart=mix testid="mix-chart"/>
            <div class="scroll short" tabindex="0">
                <table class="data" data-testid="mix-table">
                    <thead><tr><th>{t.month}</th><th>{t.buyers}</th><th>{t.returning}</th><th>{t.new_buyers}</th><th>{t.returning}</th></tr></thead>
                    <tbody>{mix_rows}</tbody>
                </table>
                <TableDownload name="mix"/>
            </div>
            {formula(t.formula_heading, t.mix_formula, "mix-formula")}
            <h2>{t.tenure_heading}</h2>
            <div class="settings-grid">
                <label>
                    <span>{t.churn_days}</span>
                    <input
                        type="number"
                        min="1"
                        step="1"
                        data-testid="churn-days"
                        prop:value=p.churn_days.to_string()
                        on:change=move |ev| {
                            if let Some(v) = event_target_value(&ev).trim().parse::<u32>().ok().filter(|d| *d > 0) {
                                state.params.update(|p| p.churn_days = v);
                            }
                        }
                    />
                </label>
            </div>
            {kv_table("tenure", (t.item, t.value), tenure_rows)}
            <TableDownload name="tenure"/>
            <LineChartCanvas chart=survival testid="survival-chart"/>
            <details class="formula" data-testid="survival-as-table">
                <summary>{lang.overview().as_table}</summary>
                <div class="scroll short" tabindex="0">
                    <table class="data" data-testid="survival-table">
                        <thead><tr><th>{t.months_since_first}</th><th>{t.survival}</th></tr></thead>
                        <tbody>
                            {tn.survival.iter().map(|p| view! {
                                <tr data-key=p.month.to_string()>
                                    <th scope="row">{p.month}</th>
                                    {num_cell("survival".into(), Some(p.survival), show(Some(p.survival), Show::Percent))}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <TableDownload name="survival"/>
            </details>
            {formula(t.formula_heading, t.tenure_formula, "tenure-formula")}
        }
    })
}
