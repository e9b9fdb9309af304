//! The monthly decile trend: each decile's average spend per customer by
//! month with month-over-month growth; D1–D3 cells meeting the +2 % rule
//! are marked.

use super::chart::{report_chart, LineChartCanvas, OwnedLines, OwnedSeries, OwnedY};
use super::export::TableDownload;
use super::table::{formula, report_section, Currency};
use crate::format::raw;
use crate::i18n::Lang;
use leptos::prelude::*;
use ltv_engine::report::Report;

/// D1–D3 month-over-month growth, with the rule as the reference line.
fn growth_chart(r: &Report, lang: Lang) -> OwnedLines {
    let t = lang.texts();
    let months = &r.decile_trend.months;
    OwnedLines {
        x_labels: months.iter().map(|m| m.month.clone()).collect(),
        series: (0..3usize)
            .map(|d| {
                let values = months
                    .iter()
                    .map(|m| m.deciles.get(d).and_then(|c| c.growth))
                    .collect();
                OwnedSeries::new(format!("D{}", d + 1), values, d)
            })
            .collect(),
        y: OwnedY::Percent,
        y_axis: t.growth.to_string(),
        x_axis: t.month.to_string(),
        reference: Some((
            r.decile_trend.rule,
            format!("+{:.0}%", r.decile_trend.rule * 100.0),
        )),
        y_min_zero: false,
    }
}

#[component]
pub fn TrendView() -> impl IntoView {
    let chart = report_chart(growth_chart);
    report_section("trend", move |r, lang| {
        let t = lang.texts();
        let money = Currency::of(r);
        let rule_deciles = r.decile_trend.rule_deciles;
        let rows = r
            .decile_trend
            .months
            .iter()
            .rev()
            .map(|m| {
                let money = money.clone();
                view! {
                    <tr data-key=m.month.clone()>
                        <th scope="row">{m.month.clone()}</th>
                        {m.deciles
                            .iter()
                            .map(|c| {
                                let growth = c.growth.map_or(String::new(), |g| format!("{:+.1}%", g * 100.0));
                                let mark = if c.meets_rule { " ✓" } else { "" };
                                let class = match (c.decile <= rule_deciles, c.meets_rule) {
                                    (true, true) => "num good",
                                    (true, false) if c.growth.is_some() => "num bad",
                                    _ => "num",
                                };
                                view! {
                                    <td
                                        class=class
                                        data-col=format!("d{}", c.decile)
                                        data-value=raw(&c.avg_spend)
                                        data-growth=c.growth.map(|g| raw(&g))
                                        data-meets-rule=c.meets_rule.to_string()
                                    >
                                        <span>{money.amount(c.avg_spend)}</span>
                                        <small>{format!("{growth}{mark}")}</small>
                                    </td>
                                }
                            })
                            .collect_view()}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h2>{t.trend_heading}</h2>
            <LineChartCanvas chart=chart testid="trend-chart"/>
            <div class="scroll" tabindex="0">
                <table class="data trend" data-testid="decile-trend-table">
                    <thead>
                        <tr>
                            <th>{t.month}</th>
                            {(1..=10).map(|d| view! { <th class="num">{format!("D{d}")}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <TableDownload name="decile-trend"/>
            </div>
            {formula(t.formula_heading, t.trend_formula, "trend-formula")}
        }
    })
}
