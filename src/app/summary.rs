//! The summary section: what the file holds and what was left out.

use super::export::TableDownload;
use super::table::{kv_rows, report_section, Currency, KvRow};
use crate::format::{int, raw};
use crate::i18n;
use leptos::prelude::*;

#[component]
pub fn SummaryView() -> impl IntoView {
    report_section("summary", move |r, lang| {
        let t = lang.texts();
        let money = Currency::of(r);
        let s = &r.summary;
        let cur = s.currency.clone();
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let rows = vec![
            KvRow {
                key: "rows",
                label: t.rows.into(),
                value: Some(raw(&s.rows)),
                text: int(s.rows as i64),
            },
            KvRow {
                key: "orders",
                label: t.orders.into(),
                value: Some(raw(&s.orders)),
                text: int(s.orders as i64),
            },
            KvRow {
                key: "customers",
                label: t.customers.into(),
                value: Some(raw(&s.customers)),
                text: int(s.customers as i64),
            },
            KvRow {
                key: "revenue",
                label: t.revenue.into(),
                value: Some(raw(&s.revenue)),
                text: money.amount(s.revenue),
            },
            KvRow {
                key: "excluded_rows",
                label: t.excluded_rows.into(),
                value: Some(raw(&s.excluded_rows)),
                text: int(s.excluded_rows as i64),
            },
            KvRow {
                key: "orders_without_customer",
                label: t.orders_without_customer.into(),
                value: Some(raw(&s.orders_without_customer)),
                text: int(s.orders_without_customer as i64),
            },
            KvRow {
                key: "first_order_date",
                label: t.first_order_date.into(),
                value: None,
                text: date(s.first_order_date),
            },
            KvRow {
                key: "last_order_date",
                label: t.last_order_date.into(),
                value: None,
                text: date(s.last_order_date),
            },
            KvRow {
                key: "format",
                label: t.file_format.into(),
                value: None,
                text: s
                    .platform
                    .map(|p| i18n::platform(lang, p).to_string())
                    .unwrap_or_default(),
            },
            KvRow {
                key: "encoding",
                label: t.encoding.into(),
                value: None,
                text: s.encoding.clone(),
            },
            KvRow {
                key: "currency",
                label: t.currency.into(),
                value: None,
                text: cur.clone().unwrap_or_else(|| "–".into()),
            },
        ];
        let no_exclusions = s.exclusions.is_empty();
        let exclusions = s
            .exclusions
            .iter()
            .map(|e| {
                view! {
                    <tr data-key=e.reason.name()>
                        <td>{i18n::exclusion(lang, e.reason)}</td>
                        <td class="num" data-col="orders" data-value=raw(&e.orders)>
                            {i18n::excluded(lang, e.orders, e.rows)}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let problems = s
            .problems
            .iter()
            .map(|p| view! { <li>{i18n::problem(lang, p)}</li> })
            .collect_view();
        let shown = s.problems.len() as u64;
        let total: u64 = s.problem_counts.iter().map(|c| c.count).sum();
        view! {
            <h2>{t.summary_heading}</h2>
            <table class="data" data-testid="summary-table">
                <thead><tr><th>{t.item}</th><th>{t.value}</th></tr></thead>
                <tbody>{kv_rows(rows)}</tbody>
            </table>
            <TableDownload name="summary"/>
            <h3>{t.exclusions_heading}</h3>
            {if no_exclusions {
                view! { <p data-testid="exclusions-none">{t.no_exclusions}</p> }.into_any()
            } else {
                view! {
                    <table class="data" data-testid="exclusions-table">
                        <thead><tr><th>{t.reason}</th><th>{t.orders}</th></tr></thead>
                        <tbody>{exclusions}</tbody>
                    </table>
                }
                .into_any()
            }}
            <h3>{t.problems_heading}</h3>
            <div data-testid="problems">
                {if total == 0 {
                    view! { <p>{t.no_problems}</p> }.into_any()
                } else {
                    view! {
                        <ul class="problems">{problems}</ul>
                        {(total > shown).then(|| view! { <p>{i18n::more_problems(lang, total - shown)}</p> })}
                    }
                    .into_any()
                }}
            </div>
        }
    })
}
