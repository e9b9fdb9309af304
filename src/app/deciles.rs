//! The decile section: window, chart, table and formula.

use super::chart::DecileChart;
use super::export::TableDownload;
use super::table::{report_section, Currency};
use crate::format::{decimal, int, percent, raw};
use crate::i18n;
use leptos::prelude::*;

#[component]
pub fn DecilesView() -> impl IntoView {
    report_section("deciles", move |r, lang| {
        let t = lang.texts();
        let money = Currency::of(r);
        let w = &r.decile_window;
        let rows = r
            .deciles
            .iter()
            .map(|d| {
                view! {
                    <tr data-key=format!("D{}", d.decile)>
                        <th scope="row">{format!("D{}", d.decile)}</th>
                        <td class="num" data-col="customers" data-value=raw(&d.customers)>{int(d.customers as i64)}</td>
                        <td class="num" data-col="revenue" data-value=raw(&d.revenue)>{money.amount(d.revenue)}</td>
                        <td class="num" data-col="share" data-value=raw(&d.share)>{percent(d.share)}</td>
                        <td class="num" data-col="cumulative_share" data-value=raw(&d.cumulative_share)>
                            {percent(d.cumulative_share)}
                        </td>
                        <td class="num" data-col="avg_spend" data-value=raw(&d.avg_spend)>{money.amount(d.avg_spend)}</td>
                        <td class="num" data-col="min_spend" data-value=raw(&d.min_spend)>{money.amount(d.min_spend)}</td>
                        <td class="num" data-col="max_spend" data-value=raw(&d.max_spend)>{money.amount(d.max_spend)}</td>
                        <td class="num" data-col="orders_per_customer" data-value=raw(&d.orders_per_customer)>
                            {decimal(d.orders_per_customer, 2)}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h2>{t.deciles_heading}</h2>
            <p class="window" data-testid="decile-window">
                {i18n::window(lang, &i18n::overview::date(lang, w.from), &i18n::overview::date(lang, w.to), &i18n::overview::date(lang, w.as_of), w.customers)}
            </p>
            <DecileChart/>
            <table class="data" data-testid="decile-table">
                <thead>
                    <tr>
                        <th>{t.decile}</th>
                        <th>{t.customers}</th>
                        <th>{t.revenue}</th>
                        <th>{t.share}</th>
                        <th>{t.cumulative_share}</th>
                        <th>{t.avg_spend}</th>
                        <th>{t.min_spend}</th>
                        <th>{t.max_spend}</th>
                        <th>{t.orders_per_customer}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <TableDownload name="decile"/>
            <details class="formula" open=true data-testid="decile-formula">
                <summary>{t.formula_heading}</summary>
                <p>{t.decile_formula}</p>
            </details>
        }
    })
}
