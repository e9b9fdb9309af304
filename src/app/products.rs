//! The products tab: cross-sell pairs (併売) and first products, with the
//! non-product exclusion list (`cross-sell-table`, `first-product-table`).

use super::export::TableDownload;
use super::settings::{setting_input, setting_select};
use super::table::{
    count_cell, formula, num_cell, report_section, share_cell, show, text_cell, Currency, Show,
};
use crate::format::{decimal, int, percent};
use crate::i18n::Lang;
use leptos::prelude::*;
use ltv_engine::crosssell::{CrossSell, Level, Mode};
use ltv_engine::report::Report;

/// The settings of the cross-sell analysis.
fn settings(lang: Lang) -> impl IntoView {
    let s = lang.seg();
    view! {
        <div class="settings-grid">
            {setting_select(
                "cross-sell-mode",
                s.cross_sell_mode,
                vec![(Mode::Order.name(), s.mode_order), (Mode::Customer.name(), s.mode_customer)],
            )}
            {setting_input("cross-sell-within", s.cross_sell_within, None)}
            {setting_input("cross-sell-min-support", s.cross_sell_min_support, None)}
            {setting_select(
                "cross-sell-level",
                s.cross_sell_level,
                vec![(Level::Product.name(), s.level_product), (Level::Category.name(), s.level_category)],
            )}
        </div>
        <div class="settings-grid wide">
            {setting_input(
                "exclude-products",
                s.exclude_products,
                Some(ltv_engine::crosssell::DEFAULT_EXCLUDE.join(", ")),
            )}
        </div>
        <small>{s.exclude_help}</small>
    }
}

/// What was counted: transactions, pairs, cut baskets, left-out lines.
fn counted(c: &CrossSell, lang: Lang) -> impl IntoView {
    let s = lang.seg();
    let what = match c.mode {
        Mode::Order => s.transactions_orders,
        Mode::Customer => s.transactions_customers,
    };
    let (t, pairs) = (int(c.transactions as i64), int(c.pairs_total as i64));
    let mut lines = vec![match lang {
        Lang::En => format!("T = {t} {what}; {pairs} {}.", s.pairs_shown),
        Lang::Ja => format!("T = {t}（{what}）。{pairs}{}。", s.pairs_shown),
    }];
    if c.capped_transactions > 0 {
        let n = int(c.capped_transactions as i64);
        lines.push(match lang {
            Lang::En => format!("{n} {}.", s.capped),
            Lang::Ja => format!("{n}{}。", s.capped),
        });
    }
    if c.level_fallback {
        lines.push(s.level_fallback.to_string());
    }
    let excluded = if c.excluded_products.is_empty() {
        None
    } else {
        let more = c
            .excluded_total
            .saturating_sub(c.excluded_products.len() as u64);
        let mut names = c.excluded_products.join(", ");
        if more > 0 {
            names.push_str(&format!(" (+{})", int(more as i64)));
        }
        Some(view! {
            <p class="note" data-testid="excluded-products">
                {format!("{} ({}): ", s.excluded_now, int(c.excluded_total as i64))}
                {names}
            </p>
        })
    };
    view! {
        <p class="window" data-testid="cross-sell-counted">{lines.join(" ")}</p>
        {excluded}
    }
}

/// The pairs, A → B, with a bar of their confidence.
/// How the shown pairs are ordered (the engine's order is by count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortBy {
    Count,
    Lift,
    Confidence,
}

fn pairs(c: &CrossSell, lang: Lang, sort: RwSignal<SortBy>) -> impl IntoView {
    let s = lang.seg();
    if c.pairs.is_empty() {
        return view! { <p class="empty" data-testid="cross-sell-empty">{s.no_pairs}</p> }
            .into_any();
    }
    // Rows keep their place in the engine's order as `data-key`.
    let mut order: Vec<usize> = (0..c.pairs.len()).collect();
    let by = sort.get();
    let key = |i: &usize| {
        c.pairs.get(*i).map_or(0.0, |p| match by {
            SortBy::Count => p.count as f64,
            SortBy::Lift => p.lift,
            SortBy::Confidence => p.confidence,
        })
    };
    if by != SortBy::Count {
        order.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.cmp(b)));
    }
    let choose = move |ev: leptos::ev::Event| {
        sort.set(match event_target_value(&ev).as_str() {
            "lift" => SortBy::Lift,
            "confidence" => SortBy::Confidence,
            _ => SortBy::Count,
        })
    };
    let rows = order
        .into_iter()
        .filter_map(|i| c.pairs.get(i).map(|p| (i, p)))
        .map(|(i, p)| {
            view! {
                <tr data-key=(i + 1).to_string()>
                    {text_cell("a", p.a.clone())}
                    {text_cell("b", p.b.clone())}
                    {count_cell("count", p.count)}
                    {num_cell("support".into(), Some(p.support), percent(p.support))}
                    {share_cell("confidence", p.confidence)}
                    {num_cell("lift".into(), Some(p.lift), decimal(p.lift, 2))}
                </tr>
            }
        })
        .collect_view();
    view! {
        <label class="inline">
            <span>{s.sort_by}</span>" "
            <select data-testid="cross-sell-sort" on:change=choose>
                <option value="count" selected=by == SortBy::Count>{s.together}</option>
                <option value="lift" selected=by == SortBy::Lift>{s.lift}</option>
                <option value="confidence" selected=by == SortBy::Confidence>{s.confidence}</option>
            </select>
        </label>
        <div class="scroll short" tabindex="0">
            <table class="data" data-testid="cross-sell-table">
                <thead><tr>
                    <th>{s.product_a}</th><th>{s.product_b}</th><th>{s.together}</th>
                    <th>{s.support}</th><th>{s.confidence}</th><th>{s.lift}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <TableDownload name="cross-sell"/>
    }
    .into_any()
}

/// The entry products.
fn first_products(c: &CrossSell, lang: Lang, cur: &Currency) -> impl IntoView {
    let (t, s) = (lang.texts(), lang.seg());
    let rows = c
        .first_product
        .iter()
        .enumerate()
        .map(|(i, f)| {
            view! {
                <tr data-key=(i + 1).to_string()>
                    {text_cell("product", f.product.clone())}
                    {count_cell("customers", f.customers)}
                    {num_cell("f2_rate".into(), f.f2_rate, show(f.f2_rate, Show::Percent))}
                    {count_cell("customers_12m", f.customers_12m)}
                    {num_cell("ltv_12m".into(), f.ltv_12m, f.ltv_12m.map_or("–".into(), |m| cur.amount(m)))}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="scroll short" tabindex="0">
            <table class="data" data-testid="first-product-table">
                <thead><tr>
                    <th>{s.entry_product}</th><th>{t.customers}</th><th>{s.f2_rate}</th>
                    <th>{s.customers_12m}</th><th>{s.ltv_12m}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <TableDownload name="first-product"/>
    }
}

#[component]
pub fn ProductsView() -> impl IntoView {
    let sort = RwSignal::new(SortBy::Count);
    report_section("products", move |r: &Report, lang: Lang| {
        let (t, s) = (lang.texts(), lang.seg());
        let Some(c) = r.cross_sell.as_ref() else {
            return view! { <p class="empty" data-testid="no-products">{s.no_products}</p> }
                .into_any();
        };
        let cur = Currency::of(r);
        view! {
            <h2>{s.cross_sell_heading}</h2>
            {settings(lang)}
            {counted(c, lang)}
            {pairs(c, lang, sort)}
            {formula(t.formula_heading, s.cross_sell_formula, "cross-sell-formula")}
            <h2>{s.first_product_heading}</h2>
            {first_products(c, lang, &cur)}
            {formula(t.formula_heading, s.first_product_formula, "first-product-formula")}
        }
        .into_any()
    })
}
