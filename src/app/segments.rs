//! The segments tab: the RFM grid as a heatmap with its segments, and the
//! CPM segments with their monthly moves (`rfm-table`,
//! `rfm-segments-table`, `rfm-cuts-table`, `cpm-table`,
//! `cpm-moves-summary-table`, `cpm-moves-table`).

use super::export::{ExportButton, TableDownload};
use super::settings::setting_input;
use super::table::{count_cell, formula, heat_class, num_cell, Currency};
use crate::format::{int, percent};
use crate::i18n::segments::{cpm_action, cpm_segment, cpm_stage, rfm_action, rfm_segment};
use crate::i18n::Lang;
use leptos::prelude::*;
use ltv_engine::cpm::{Cpm, CpmSegment};
use ltv_engine::report::Report;
use ltv_engine::rfm::{Rfm, Segment};

/// The R × F grid: rows R 5 to 1, columns F 1 to 5; `data-value` is the
/// cell's customers, `data-revenue` its revenue (as the CLI's JSON writes
/// both).
fn rfm_grid(rfm: &Rfm, lang: Lang, cur: &Currency) -> impl IntoView {
    let s = lang.seg();
    let max = rfm.cells.iter().map(|c| c.customers).max().unwrap_or(0);
    let rows = (1..=5u8)
        .rev()
        .map(|r| {
            let cells = (1..=5u8)
                .map(|f| {
                    let cell = rfm.cells.iter().find(|c| c.r == r && c.f == f);
                    let customers = cell.map_or(0, |c| c.customers);
                    let segment = cell.map_or(Segment::of(r, f), |c| c.segment);
                    let revenue = cell.map(|c| crate::format::raw(&c.revenue));
                    let title = format!(
                        "R{r} F{f} · {} · {} · {}",
                        rfm_segment(lang, segment),
                        int(customers as i64),
                        cell.map(|c| cur.amount(c.revenue)).unwrap_or_default()
                    );
                    view! {
                        <td
                            class=heat_class(if max == 0 { 0.0 } else { customers as f64 / max as f64 })
                            data-col=format!("f{f}")
                            data-value=customers.to_string()
                            data-revenue=revenue
                            data-segment=segment.id()
                            title=title.clone()
                            aria-label=title
                            tabindex="0"
                        >
                            <span class="count">{int(customers as i64)}</span>
                            <span class="seg">{rfm_segment(lang, segment)}</span>
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr data-key=format!("r{r}")>
                    <th scope="row">{format!("R{r}")}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data rfm-grid" data-testid="rfm-table">
            <caption>{s.rfm_grid_caption}</caption>
            <thead>
                <tr>
                    <th>{format!("{} \\ {}", s.r_score, s.f_score)}</th>
                    {(1..=5).map(|f| view! { <th scope="col">{format!("F{f}")}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// When quintiles leave F scores empty (most customers have one order, and
/// equal values share a score), says so and how to split them.
fn empty_f_scores(rfm: &Rfm, lang: Lang) -> Option<String> {
    if rfm.cuts.f.iter().all(|c| c.is_some()) && rfm.scoring == "thresholds" {
        return None;
    }
    let total: u64 = rfm.cells.iter().map(|c| c.customers).sum();
    let empty: Vec<String> = (1..=5u8)
        .filter(|&f| {
            rfm.cells
                .iter()
                .filter(|c| c.f == f)
                .map(|c| c.customers)
                .sum::<u64>()
                == 0
        })
        .map(|f| format!("F{f}"))
        .collect();
    if total == 0 || empty.is_empty() {
        return None;
    }
    let one: u64 = rfm
        .cells
        .iter()
        .filter(|c| c.f == 1)
        .map(|c| c.customers)
        .sum();
    let share = percent(one as f64 / total as f64);
    let empty = empty.join(", ");
    Some(match lang {
        Lang::En => format!(
            "{empty}: no customers. {share} of the customers score F1; with quintiles equal order counts share a score, so the scores above them jump. To split repeat customers by their number of orders, set fixed F cut points such as 2,3,5,10 (2 orders → F2, 3–4 → F3, 5–9 → F4, 10 or more → F5)."
        ),
        Lang::Ja => format!(
            "{empty}: 該当する顧客がいません。顧客の{share}がF1です。五分位では同じ購買回数は同じスコアになるため、上のスコアが飛びます。リピート顧客を回数で分けるには、Fに固定の区切り（例: 2,3,5,10 → 2回がF2、3〜4回がF3、5〜9回がF4、10回以上がF5）を設定してください。"
        ),
    })
}

/// Sets F's cut points to 2, 3, 5 and 10 orders.
fn use_order_counts(state: super::state::AppState) {
    let mut p = state.params.get_untracked();
    p.rfm.f = Some([2, 3, 5, 10]);
    state.params.set(p);
}

/// The segments with their totals and a download of each list.
fn rfm_segments(rfm: &Rfm, lang: Lang, cur: &Currency) -> impl IntoView {
    let (t, s) = (lang.texts(), lang.seg());
    let rows = rfm
        .segments
        .iter()
        .map(|row| {
            view! {
                <tr data-key=row.id.id()>
                    <th scope="row">{rfm_segment(lang, row.id)}</th>
                    {count_cell("customers", row.customers)}
                    {num_cell("revenue".into(), Some(row.revenue), cur.amount(row.revenue))}
                    {num_cell("share_of_customers".into(), Some(row.share_of_customers), percent(row.share_of_customers))}
                    {num_cell("share_of_revenue".into(), Some(row.share_of_revenue), percent(row.share_of_revenue))}
                    <td>{rfm_action(lang, row.id)}</td>
                    <td class="no-export"><ExportButton list=row.id.id() disabled=row.customers == 0/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data" data-testid="rfm-segments-table">
            <thead><tr>
                <th>{s.segment}</th><th>{t.customers}</th><th>{t.revenue}</th>
                <th>{s.share_customers}</th><th>{s.share_revenue}</th><th>{s.action}</th><th class="no-export">{s.download}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The cut points in use.
fn rfm_cuts(rfm: &Rfm, lang: Lang, cur: &Currency) -> impl IntoView {
    let s = lang.seg();
    let opt = |v: Option<i64>| v.map_or("–".to_string(), int);
    let row = |key: &'static str, label: &'static str, cells: Vec<(Option<String>, String)>| {
        let cells = cells
            .into_iter()
            .enumerate()
            .map(|(i, (raw, text))| {
                view! { <td class="num" data-col=format!("c{}", i + 1) data-value=raw>{text}</td> }
            })
            .collect_view();
        view! { <tr data-key=key><th scope="row">{label}</th>{cells}</tr> }
    };
    let ints = |cuts: &[Option<i64>; 4]| {
        cuts.iter()
            .map(|v| (v.map(|v| v.to_string()), opt(*v)))
            .collect::<Vec<_>>()
    };
    let money = rfm
        .cuts
        .m
        .iter()
        .map(|v| {
            (
                v.map(|m| crate::format::raw(&m)),
                v.map_or("–".to_string(), |m| cur.amount(m)),
            )
        })
        .collect::<Vec<_>>();
    let scoring = match rfm.scoring.as_str() {
        "quintiles" => s.scoring_quintiles.to_string(),
        "thresholds" => s.scoring_fixed.to_string(),
        _ => format!("{} + {}", s.scoring_quintiles, s.scoring_fixed),
    };
    view! {
        <h3>{format!("{} ({scoring})", s.cuts_heading)}</h3>
        <table class="data" data-testid="rfm-cuts-table" data-scoring=rfm.scoring.clone()>
            <thead><tr><th>{s.dimension}</th><th>"c1"</th><th>"c2"</th><th>"c3"</th><th>"c4"</th></tr></thead>
            <tbody>
                {row("r", s.recency_days, ints(&rfm.cuts.r))}
                {row("f", s.frequency_orders, ints(&rfm.cuts.f))}
                {row("m", s.monetary, money)}
            </tbody>
        </table>
    }
}

/// The five stages, active and churned, with a download of each list.
fn cpm_table(cpm: &Cpm, lang: Lang, cur: &Currency) -> impl IntoView {
    let (t, s) = (lang.texts(), lang.seg());
    let rows = cpm
        .segments
        .iter()
        .map(|row| {
            let active = CpmSegment::of(row.id, false);
            let churned = CpmSegment::of(row.id, true);
            view! {
                <tr data-key=row.id.id()>
                    <th scope="row">{cpm_stage(lang, row.id)}</th>
                    {count_cell("active", row.active)}
                    {num_cell("active_revenue".into(), Some(row.active_revenue), cur.amount(row.active_revenue))}
                    <td>{cpm_action(lang, row.id, false)}</td>
                    <td class="no-export"><ExportButton list=active.id() disabled=row.active == 0/></td>
                    {count_cell("churned", row.churned)}
                    {num_cell("churned_revenue".into(), Some(row.churned_revenue), cur.amount(row.churned_revenue))}
                    <td>{cpm_action(lang, row.id, true)}</td>
                    <td class="no-export"><ExportButton list=churned.id() disabled=row.churned == 0/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data" data-testid="cpm-table" data-customers=cpm.customers.to_string()>
            <thead><tr>
                <th>{s.stage}</th>
                <th>{s.active}</th><th>{s.active_revenue}</th><th>{s.action}</th><th class="no-export">{s.download}</th>
                <th>{s.churned}</th><th>{s.churned_revenue}</th><th>{s.action}</th><th class="no-export">{s.download}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
            <tfoot><tr><th scope="row">{t.customers}</th><td class="num" colspan="8">{int(cpm.customers as i64)}</td></tr></tfoot>
        </table>
    }
}

/// Which side of each boundary a customer exactly on it is, in words.
fn cpm_boundaries(cpm: &Cpm, lang: Lang, cur: &Currency) -> String {
    let th = &cpm.thresholds;
    let spend = cur.amount(th.spend);
    match lang {
        Lang::En => format!(
            "On a boundary: exactly {} days since the last order is churned ({} days is active); tenure of exactly {} days is no longer a toddler; exactly {} days (spend ≥ {spend}) is loyal; spend of exactly {spend} counts as ≥ {spend}.",
            th.churn_days,
            th.churn_days.saturating_sub(1),
            th.toddler_days,
            th.loyal_days,
        ),
        Lang::Ja => format!(
            "境界ちょうどの場合: 最終購買からちょうど{}日は離脱（{}日は現役）。在籍ちょうど{}日はよちよちではありません。ちょうど{}日（累計 {spend} 以上）は優良。累計ちょうど{spend}は「{spend}以上」に入ります。",
            th.churn_days,
            th.churn_days.saturating_sub(1),
            th.toddler_days,
            th.loyal_days,
        ),
    }
}

/// Moves per month (summary) and every from → to count per month.
fn cpm_moves(cpm: &Cpm, lang: Lang) -> impl IntoView {
    let s = lang.seg();
    if cpm.moves.is_empty() {
        return view! { <p class="empty" data-testid="cpm-moves-empty">{s.no_moves}</p> }
            .into_any();
    }
    let summary = cpm
        .moves
        .iter()
        .rev()
        .map(|m| {
            view! {
                <tr data-key=m.month.clone()>
                    <th scope="row">{m.month.clone()}</th>
                    {count_cell("moved_up", m.moved_up)}
                    {count_cell("churned", m.churned)}
                    {count_cell("came_back", m.came_back)}
                    {count_cell("new", m.new)}
                </tr>
            }
        })
        .collect_view();
    // Every pair seen in any month but none → none, by from, then to.
    let mut pairs: Vec<(CpmSegment, CpmSegment)> = cpm
        .moves
        .iter()
        .flat_map(|m| m.counts.iter().map(|c| (c.from, c.to)))
        .filter(|&(a, b)| !(a == CpmSegment::None && b == CpmSegment::None))
        .collect();
    pairs.sort_by_key(|&(a, b)| (a.code(), b.code()));
    pairs.dedup();
    let months = cpm
        .moves
        .iter()
        .map(|m| m.month.clone())
        .collect::<Vec<_>>();
    let rows = pairs
        .into_iter()
        .map(|(from, to)| {
            let cells = cpm
                .moves
                .iter()
                .map(|m| {
                    let n = m
                        .counts
                        .iter()
                        .find(|c| c.from == from && c.to == to)
                        .map_or(0, |c| c.customers);
                    num_cell(m.month.clone(), Some(n), int(n as i64))
                })
                .collect_view();
            let stay = if from == to { "stay" } else { "move" };
            view! {
                <tr data-key=format!("{}->{}", from.id(), to.id()) class=stay>
                    <th scope="row">{format!("{} → {}", cpm_segment(lang, from), cpm_segment(lang, to))}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>{s.moves_summary}</h3>
        <table class="data" data-testid="cpm-moves-summary-table">
            <thead><tr><th>{s.month}</th><th>{s.moved_up}</th><th>{s.moved_churned}</th><th>{s.came_back}</th><th>{s.new_customers}</th></tr></thead>
            <tbody>{summary}</tbody>
        </table>
        <TableDownload name="cpm-moves-summary"/>
        <h3>{s.from_to}</h3>
        <div class="scroll" tabindex="0">
            <table class="data" data-testid="cpm-moves-table">
                <thead><tr>
                    <th>{s.from_to}</th>
                    {months.into_iter().map(|m| view! { <th scope="col">{m}</th> }).collect_view()}
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <TableDownload name="cpm-moves"/>
    }
    .into_any()
}

#[component]
pub fn SegmentsView() -> impl IntoView {
    let state = super::state::use_state();
    let body = move |r: &Report, lang: Lang| {
        let (t, s) = (lang.texts(), lang.seg());
        let cur = Currency::of(r);
        view! {
            <h2>{s.rfm_heading}</h2>
            <p class="window">{format!("{}: {}", t.as_of, crate::i18n::overview::date(lang, r.cpm.as_of))}</p>
            <h3>{s.rfm_grid}</h3>
            {rfm_grid(&r.rfm, lang, &cur)}
            <TableDownload name="rfm"/>
            {empty_f_scores(&r.rfm, lang).map(|text| view! {
                <p class="note" data-testid="rfm-empty-scores">
                    {text}" "
                    <button type="button" class="button" data-testid="rfm-f-orders" on:click=move |_| use_order_counts(state)>
                        {s.use_order_counts}
                    </button>
                </p>
            })}
            {rfm_segments(&r.rfm, lang, &cur)}
            <TableDownload name="rfm-segments"/>
            {rfm_cuts(&r.rfm, lang, &cur)}
            <details class="settings">
                <summary>{s.fixed_cuts}</summary>
                <div class="settings-grid">
                    {setting_input("rfm-r", s.recency_days, None)}
                    {setting_input("rfm-f", s.frequency_orders, None)}
                    {setting_input("rfm-m", s.monetary, None)}
                </div>
                <small>{s.fixed_cuts_help}</small>
            </details>
            {formula(t.formula_heading, s.rfm_formula, "rfm-formula")}
            <h2>{s.cpm_heading}</h2>
            <div class="settings-grid">
                {setting_input("churn-days", s.churn_days, None)}
                {setting_input("cpm-toddler-days", s.toddler_days, None)}
                {setting_input("cpm-loyal-days", s.loyal_days, None)}
                {setting_input("cpm-spend", s.cpm_spend, Some(crate::format::raw(&r.cpm.thresholds.spend)))}
            </div>
            {cpm_table(&r.cpm, lang, &cur)}
            <TableDownload name="cpm"/>
            <p class="note" data-testid="cpm-boundaries">{cpm_boundaries(&r.cpm, lang, &cur)}</p>
            {formula(t.formula_heading, s.cpm_formula, "cpm-formula")}
            <h2>{s.moves_heading}</h2>
            {cpm_moves(&r.cpm, lang)}
            {formula(t.formula_heading, s.moves_formula, "cpm-moves-formula")}
        }
    };
    super::table::report_section("segments", body)
}
