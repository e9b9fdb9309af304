//! The customers tab: customer ranks (high-LTV, potential-LTV, general)
//! and the churn-risk list, each downloadable (`ranks-table`,
//! `churn-risk-table`; `export-high_ltv`, …, `export-churn_risk`).

use super::export::{ExportButton, TableDownload};
use super::settings::{setting_input, setting_select};
use super::table::{
    count_cell, formula, num_cell, report_section, share_cell, text_cell, Currency,
};
use crate::format::{decimal, int, percent};
use crate::i18n::segments::{rank, rank_action};
use crate::i18n::Lang;
use leptos::prelude::*;
use ltv_engine::ranks::{ChurnRisk, PotentialRule, Rank, RankRow, Ranks};
use ltv_engine::report::Report;

/// The three ranks with a bar of their revenue share.
fn ranks_table(ranks: &Ranks, lang: Lang, cur: &Currency) -> impl IntoView {
    let (t, s) = (lang.texts(), lang.seg());
    let row = |r: Rank, row: &RankRow| {
        view! {
            <tr data-key=r.id()>
                <th scope="row">{rank(lang, r)}</th>
                {count_cell("customers", row.customers)}
                {num_cell("revenue_12m".into(), Some(row.revenue_12m), cur.amount(row.revenue_12m))}
                {num_cell("share_of_customers".into(), Some(row.share_of_customers), percent(row.share_of_customers))}
                {share_cell("share_of_revenue", row.share_of_revenue)}
                <td>{rank_action(lang, r)}</td>
                <td class="no-export"><ExportButton list=r.id() disabled=row.customers == 0/></td>
            </tr>
        }
    };
    view! {
        <table class="data" data-testid="ranks-table">
            <thead><tr>
                <th>{s.rank}</th><th>{t.customers}</th><th>{s.revenue_12m}</th>
                <th>{s.share_customers}</th><th>{s.share_revenue}</th><th>{s.action}</th><th class="no-export">{s.download}</th>
            </tr></thead>
            <tbody>
                {row(Rank::HighLtv, &ranks.high_ltv)}
                {row(Rank::PotentialLtv, &ranks.potential_ltv)}
                {row(Rank::General, &ranks.general)}
            </tbody>
        </table>
    }
}

/// The churn-risk summary and its first rows.
fn churn_risk(c: &ChurnRisk, lang: Lang, cur: &Currency) -> impl IntoView {
    let s = lang.seg();
    let summary = view! {
        <table class="data kv" data-testid="churn-risk-summary-table">
            <tbody>
                <tr data-key="customers">
                    <th scope="row">{s.churn_risk_summary}</th>
                    {count_cell("value", c.customers)}
                </tr>
                <tr data-key="value_at_risk">
                    <th scope="row">{s.value_at_risk}</th>
                    {num_cell("value".into(), Some(c.value_at_risk), cur.amount(c.value_at_risk))}
                </tr>
            </tbody>
        </table>
        <p>
            <ExportButton list="churn_risk" disabled=c.customers == 0 primary=true text=|s| s.download_all/>
        </p>
    };
    let with_p_alive = c.top.iter().any(|r| r.p_alive.is_some());
    let list = if c.top.is_empty() {
        view! { <p class="empty" data-testid="churn-risk-empty">{s.churn_risk_none}</p> }.into_any()
    } else {
        let rows = c
            .top
            .iter()
            .enumerate()
            .map(|(i, r)| {
                view! {
                    <tr data-key=(i + 1).to_string()>
                        {text_cell("customer", r.customer.clone())}
                        {count_cell("orders", r.orders)}
                        <td class="date" data-col="last_order_date">{r.last_order_date.to_string()}</td>
                        <td class="date" data-col="due_date">{r.due_date.to_string()}</td>
                        {num_cell("days_overdue".into(), Some(r.days_overdue), int(r.days_overdue))}
                        {num_cell("median_gap_days".into(), Some(r.median_gap_days), decimal(r.median_gap_days, 1))}
                        {num_cell("value_at_risk".into(), Some(r.value_at_risk), cur.amount(r.value_at_risk))}
                        {r.p_alive.map(|a| num_cell("p_alive".into(), Some(a), percent(a)))}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p class="note">{s.churn_risk_top}</p>
            <div class="scroll short" tabindex="0">
                <table class="data" data-testid="churn-risk-table">
                    <thead><tr>
                        <th>{s.customer}</th><th>{lang.texts().orders}</th><th>{s.last_order}</th><th>{s.due_date}</th>
                        <th>{s.days_overdue}</th><th>{s.median_gap}</th><th>{s.value_at_risk}</th>
                        {with_p_alive.then(|| view! { <th>{s.p_alive}</th> })}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <TableDownload name="churn-risk"/>
        }
        .into_any()
    };
    (summary, list)
}

#[component]
pub fn CustomersView() -> impl IntoView {
    let state = super::state::use_state();
    report_section("customers", move |r: &Report, lang: Lang| {
        // The settings asked for potential-LTV by CLV; the report says
        // which rule was used.
        let clv_asked = state
            .params
            .with_untracked(|p| p.potential_rule == PotentialRule::Clv);
        let (t, s) = (lang.texts(), lang.seg());
        let cur = Currency::of(r);
        let cut = match r.ranks.cut {
            Some(cut) => format!(
                "{}: {} ({} {} – {})",
                s.ranks_cut,
                cur.amount(cut),
                s.revenue_12m,
                r.ranks.window.from,
                r.ranks.window.to
            ),
            None => s.ranks_no_cut.to_string(),
        };
        view! {
            <h2>{s.ranks_heading}</h2>
            <p class="window" data-testid="ranks-cut">{cut}</p>
            {ranks_table(&r.ranks, lang, &cur)}
            <p class="actions">
                <TableDownload name="ranks"/>" "
                <ExportButton list="all" text=|s| s.download_all_customers/>
                <small>{s.all_customers_help}</small>
            </p>
            <div class="settings-grid">
                {setting_select(
                    "potential-ltv",
                    s.potential_rule,
                    vec![("history", s.potential_by_history), ("clv", s.potential_by_clv)],
                )}
            </div>
            {(r.ranks.rule == PotentialRule::History && clv_asked)
                .then(|| view! { <p class="note" data-testid="potential-clv-unavailable">{s.potential_clv_unavailable}</p> })}
            {formula(t.formula_heading, s.ranks_formula, "ranks-formula")}
            {(r.ranks.rule == PotentialRule::Clv)
                .then(|| formula(t.formula_heading, s.potential_clv_formula, "potential-clv-formula"))}
            <h2>{s.churn_risk_heading}</h2>
            <div class="settings-grid">
                {setting_input("churn-risk-factor", s.churn_risk_factor, None)}
                {setting_input("churn-risk-floor", s.churn_risk_floor, None)}
                {setting_input("churn-days", s.churn_days, None)}
            </div>
            {churn_risk(&r.churn_risk, lang, &cur)}
            {formula(t.formula_heading, s.churn_risk_formula, "churn-risk-formula")}
        }
    })
}
