//! The predictive CLV tab. The fit takes seconds on a large file, so it is
//! not part of every report: the view asks the engine worker for it
//! (`Request::Clv`) when it is shown, once per report, and shows the
//! answer to the newest request only (`clv-params-table`,
//! `clv-holdout-table`, `clv-repeat-table`, `clv-p-alive-table`,
//! `clv-deciles-table`, `clv-top-table`).

use super::chart::{LineChartCanvas, OwnedLines, OwnedSeries, OwnedY};
use super::export::TableDownload;
use super::settings::setting_input;
use super::state::{use_state, AppState};
use super::table::{count_cell, formula, heat_class, num_cell, text_cell, Currency};
use crate::format::{decimal, percent};
use crate::i18n::clv::{fit_step, fitted_line, model_name, reading, status};
use crate::i18n::Lang;
use crate::protocol::Request;
use leptos::prelude::*;
use ltv_engine::clv::{Clv, ClvStatus, FitStage, PurchaseModel};
use ltv_engine::error::Error;
use std::sync::Arc;

/// The CLV fit of the shown report: which report it is for, the request
/// waiting for an answer, and the answer.
#[derive(Clone, Debug, Default)]
pub struct ClvState {
    /// The report it is for (its `Arc`'s address).
    for_report: usize,
    pending: Option<u64>,
    /// The step the pending fit is at.
    stage: Option<FitStage>,
    result: Option<(Result<Arc<Clv>, Error>, f64)>,
    next_id: u64,
}

impl ClvState {
    /// Whether a fit is asked for and not answered yet.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }
}

/// Asks for the fit of the shown report, unless it was asked for already.
fn ensure(state: AppState) {
    let Some(report) = state.report.with(|r| match r {
        Some(Ok(r)) => Some(Arc::as_ptr(r) as usize),
        _ => None,
    }) else {
        return;
    };
    if state.clv.with_untracked(|c| c.for_report == report) {
        return;
    }
    let id = state.clv.with_untracked(|c| c.next_id) + 1;
    state.clv.set(ClvState {
        for_report: report,
        pending: Some(id),
        stage: None,
        result: None,
        next_id: id,
    });
    state.send(&Request::Clv {
        id,
        params: state.params.get_untracked(),
    });
}

/// Fit `id` started a step.
pub fn progress(state: AppState, id: u64, stage: FitStage) {
    if state.clv.with_untracked(|c| c.pending) == Some(id) {
        state.clv.update(|c| c.stage = Some(stage));
    }
}

/// The engine's answer to fit `id`: shown if it is the one asked for last.
pub fn finished(state: AppState, id: u64, result: Result<Box<Clv>, Error>, seconds: f64) {
    if state.clv.with_untracked(|c| c.pending) != Some(id) {
        return;
    }
    state.clv.update(|c| {
        c.pending = None;
        c.stage = None;
        c.result = Some((result.map(Arc::from), seconds));
    });
}

/// The fitted models' parameters.
fn params_table(c: &Clv, lang: Lang, cur: &Currency) -> impl IntoView {
    let t = lang.clv();
    let row = |key: &'static str,
               name: &'static str,
               params: String,
               ll: Option<f64>,
               converged: Option<bool>,
               used: bool| {
        view! {
            <tr data-key=key>
                <th scope="row">{name}{used.then(|| format!(" ({})", t.used))}</th>
                <td data-col="params">{params}</td>
                {num_cell("log_likelihood".into(), ll, ll.map_or("–".into(), |v| decimal(v, 1)))}
                <td data-col="converged">{converged.map(|b| if b { t.yes } else { t.no })}</td>
            </tr>
        }
    };
    let n = |v: f64| decimal(v, 3);
    let rows = vec![
        c.bg_nbd.as_ref().map(|f| {
            let p = &f.params;
            row(
                "bg_nbd",
                "BG/NBD",
                format!(
                    "r = {}, α = {}, a = {}, b = {}",
                    n(p.r),
                    n(p.alpha),
                    n(p.a),
                    n(p.b)
                ),
                Some(f.log_likelihood),
                Some(f.converged),
                c.model == Some(PurchaseModel::BgNbd),
            )
        }),
        c.pareto_nbd.as_ref().map(|f| {
            let p = &f.params;
            row(
                "pareto_nbd",
                "Pareto/NBD",
                format!(
                    "r = {}, α = {}, s = {}, β = {}",
                    n(p.r),
                    n(p.alpha),
                    n(p.s),
                    n(p.beta)
                ),
                Some(f.log_likelihood),
                Some(f.converged),
                c.model == Some(PurchaseModel::ParetoNbd),
            )
        }),
        c.gamma_gamma.as_ref().map(|f| {
            let p = &f.params;
            row(
                "gamma_gamma",
                "Gamma-Gamma",
                format!("p = {}, q = {}, γ = {}", n(p.p), n(p.q), cur.fmt(p.gamma)),
                Some(f.log_likelihood),
                Some(f.converged),
                false,
            )
        }),
    ];
    view! {
        <table class="data" data-testid="clv-params-table">
            <thead><tr><th>{t.model}</th><th>{t.parameters}</th><th>{t.log_likelihood}</th><th>{t.converged}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// Predicted against actual repeat purchases after the as-of date.
fn holdout(c: &Clv, lang: Lang) -> impl IntoView {
    let t = lang.clv();
    let Some(h) = c.holdout.as_ref() else {
        return view! { <p class="note" data-testid="clv-holdout-none">{t.holdout_none}</p> }
            .into_any();
    };
    let row =
        |key: &'static str, model: PurchaseModel, fit: Option<&ltv_engine::clv::HoldoutFit>| {
            fit.map(|f| {
                view! {
                    <tr data-key=key>
                        <th scope="row">{model_name(model)}</th>
                        {num_cell("predicted".into(), Some(f.predicted), decimal(f.predicted, 1))}
                        {num_cell("mae".into(), Some(f.mae), decimal(f.mae, 3))}
                    </tr>
                }
            })
        };
    view! {
        <p class="window">{format!("{} – {}: {} {}", h.from, h.to, t.actual, crate::format::int(h.actual as i64))}</p>
        <table class="data" data-testid="clv-holdout-table" data-actual=h.actual.to_string()>
            <thead><tr><th>{t.model}</th><th>{t.predicted}</th><th>{t.mae}</th></tr></thead>
            <tbody>{row("bg_nbd", PurchaseModel::BgNbd, h.bg_nbd.as_ref())}{row("pareto_nbd", PurchaseModel::ParetoNbd, h.pareto_nbd.as_ref())}</tbody>
        </table>
    }
    .into_any()
}

/// The papers' tracking plot: cumulative repeat purchases week by week,
/// actual against the model, through calibration and holdout; with its
/// table.
fn tracking(c: &Clv, lang: Lang) -> Option<impl IntoView> {
    if c.tracking.is_empty() {
        return None;
    }
    let t = lang.clv();
    let chart = OwnedLines {
        x_labels: c.tracking.iter().map(|p| p.day.to_string()).collect(),
        series: vec![
            OwnedSeries::new(
                t.tracking_actual,
                c.tracking.iter().map(|p| Some(p.actual as f64)).collect(),
                0,
            )
            .without_markers(),
            OwnedSeries::new(
                t.tracking_expected,
                c.tracking.iter().map(|p| Some(p.expected)).collect(),
                1,
            )
            .dashed()
            .without_markers(),
        ],
        y: OwnedY::Number(0),
        y_axis: t.tracking_y.into(),
        x_axis: t.tracking_x.into(),
        reference: None,
        y_min_zero: true,
    };
    // The table (a row a week) is built when it is opened.
    let open = RwSignal::new(false);
    let points = c.tracking.clone();
    let table = move || {
        open.get().then(|| {
            let rows = points
                .iter()
                .map(|p| {
                    view! {
                        <tr data-key=p.day.to_string()>
                            <th scope="row">{p.day.to_string()}</th>
                            {count_cell("actual", p.actual)}
                            {num_cell("expected".into(), Some(p.expected), decimal(p.expected, 1))}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div class="scroll short" tabindex="0">
                    <table class="data" data-testid="clv-tracking-table">
                        <thead><tr><th>{t.week_ending}</th><th>{t.tracking_actual}</th><th>{t.tracking_expected}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <TableDownload name="clv-tracking"/>
            }
        })
    };
    Some(view! {
        <h3>{t.tracking_heading}</h3>
        <LineChartCanvas chart=Signal::stored(Some(chart)) testid="clv-tracking-chart"/>
        <details
            class="chart-table"
            on:toggle=move |ev| {
                let el: web_sys::HtmlDetailsElement = event_target(&ev);
                open.set(el.open());
            }
        >
            <summary>{t.tracking_table}</summary>
            {table}
        </details>
    })
}

/// Customers by repeat purchases, actual and expected.
fn repeat_counts(c: &Clv, lang: Lang) -> impl IntoView {
    let t = lang.clv();
    let rows = c
        .repeat_counts
        .iter()
        .map(|r| {
            let label = if r.repeat_purchases >= 7 {
                "7+".to_string()
            } else {
                r.repeat_purchases.to_string()
            };
            view! {
                <tr data-key=r.repeat_purchases.to_string()>
                    <th scope="row">{label}</th>
                    {count_cell("actual", r.actual)}
                    {num_cell("expected".into(), Some(r.expected), decimal(r.expected, 1))}
                </tr>
            }
        })
        .collect_view();
    let chart = OwnedLines {
        x_labels: c
            .repeat_counts
            .iter()
            .map(|r| {
                if r.repeat_purchases >= 7 {
                    "7+".to_string()
                } else {
                    r.repeat_purchases.to_string()
                }
            })
            .collect(),
        series: vec![
            OwnedSeries::new(
                t.customers_actual,
                c.repeat_counts
                    .iter()
                    .map(|r| Some(r.actual as f64))
                    .collect(),
                0,
            ),
            OwnedSeries::new(
                t.customers_expected,
                c.repeat_counts.iter().map(|r| Some(r.expected)).collect(),
                1,
            )
            .dashed(),
        ],
        y: OwnedY::Number(0),
        y_axis: lang.texts().customers.into(),
        x_axis: t.repeat_purchases.into(),
        reference: None,
        y_min_zero: true,
    };
    view! {
        <LineChartCanvas chart=Signal::stored(Some(chart)) testid="clv-repeat-chart"/>
        <table class="data" data-testid="clv-repeat-table">
            <thead><tr><th>{t.repeat_purchases}</th><th>{t.customers_actual}</th><th>{t.customers_expected}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// P(alive) by frequency and recency, as a coloured grid.
fn p_alive(c: &Clv, lang: Lang) -> Option<impl IntoView> {
    let t = lang.clv();
    let m = c.p_alive_matrix.as_ref()?;
    let head = m
        .recencies
        .iter()
        .map(|r| view! { <th scope="col">{decimal(*r, 0)}</th> })
        .collect_view();
    let rows = m
        .frequencies
        .iter()
        .zip(&m.p_alive)
        .map(|(f, row)| {
            let cells = row
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    view! {
                        <td class=format!("num {}", heat_class(*p)) data-col=format!("r{j}") data-value=crate::format::raw(p)>
                            {percent(*p)}
                        </td>
                    }
                })
                .collect_view();
            view! { <tr data-key=f.to_string()><th scope="row">{*f}</th>{cells}</tr> }
        })
        .collect_view();
    Some(view! {
        <div class="scroll" tabindex="0">
            <table class="data rfm-grid" data-testid="clv-p-alive-table">
                <caption>{t.p_alive_caption}</caption>
                <thead><tr><th>{format!("{} \\ {}", t.frequency, t.recency)}</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

/// Predicted value by decile and the top customers.
fn value(c: &Clv, lang: Lang, cur: &Currency) -> impl IntoView {
    let t = lang.clv();
    let money = |m: Option<ltv_engine::money::Money>| m.map_or("–".into(), |m| cur.amount(m));
    let deciles = c
        .value_deciles
        .iter()
        .map(|d| {
            view! {
                <tr data-key=format!("D{}", d.decile)>
                    <th scope="row">{format!("D{}", d.decile)}</th>
                    {count_cell("customers", d.customers)}
                    {num_cell("total".into(), Some(d.total), cur.amount(d.total))}
                    {num_cell("mean".into(), Some(d.mean), cur.amount(d.mean))}
                </tr>
            }
        })
        .collect_view();
    let top = c
        .top_customers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            view! {
                <tr data-key=(i + 1).to_string()>
                    {text_cell("customer", s.customer.clone())}
                    {count_cell("x", s.x)}
                    {num_cell("p_alive".into(), Some(s.p_alive), percent(s.p_alive))}
                    {num_cell("expected_orders".into(), Some(s.expected_orders), decimal(s.expected_orders, 2))}
                    {num_cell("expected_avg_order_value".into(), s.expected_avg_order_value, money(s.expected_avg_order_value))}
                    {num_cell("clv".into(), s.clv, money(s.clv))}
                </tr>
            }
        })
        .collect_view();
    let lt = lang.texts();
    let chart = (!c.value_deciles.is_empty()).then(|| OwnedLines {
        x_labels: c
            .value_deciles
            .iter()
            .map(|d| format!("D{}", d.decile))
            .collect(),
        series: vec![OwnedSeries::new(
            lt.avg_spend,
            c.value_deciles
                .iter()
                .map(|d| Some(d.mean.major()))
                .collect(),
            0,
        )],
        y: {
            let (symbol, suffix) = cur.symbol();
            OwnedY::Money {
                symbol,
                suffix,
                decimals: 0,
            }
        },
        y_axis: t.value_y.into(),
        x_axis: lt.decile.into(),
        reference: None,
        y_min_zero: true,
    });
    view! {
        <h3>{t.deciles_heading}</h3>
        {chart.map(|chart| view! { <LineChartCanvas chart=Signal::stored(Some(chart)) testid="clv-deciles-chart"/> })}
        <table class="data" data-testid="clv-deciles-table">
            <thead><tr><th>{lt.decile}</th><th>{lt.customers}</th><th>{lt.revenue}</th><th>{lt.avg_spend}</th></tr></thead>
            <tbody>{deciles}</tbody>
        </table>
        <TableDownload name="clv-deciles"/>
        <h3>{t.top_heading}</h3>
        <div class="scroll short" tabindex="0">
            <table class="data" data-testid="clv-top-table">
                <thead><tr>
                    <th>{t.customer}</th><th>{t.frequency}</th><th>{t.p_alive}</th>
                    <th>{t.expected_orders}</th><th>{t.expected_aov}</th><th>{t.clv}</th>
                </tr></thead>
                <tbody>{top}</tbody>
            </table>
        </div>
        <TableDownload name="clv-top"/>
    }
}

/// The whole fit.
fn fitted(c: &Clv, seconds: f64, lang: Lang, cur: &Currency) -> impl IntoView {
    let t = lang.clv();
    let note = (c.status != ClvStatus::Ok).then(|| {
        view! { <p class="messages" data-testid="clv-status" data-status=format!("{:?}", c.status)>{status(lang, c.status)}</p> }
    });
    let plain = c.bg_nbd.as_ref().map(|f| {
        let gg = c.gamma_gamma.as_ref().map(|g| &g.params);
        reading(lang, &f.params, gg, |v| cur.fmt(v))
    });
    view! {
        {note}
        <p class="window" data-testid="clv-fitted" data-seconds=seconds.to_string()>
            {fitted_line(lang, c.customers, c.repeat_buyers, c.cells, c.calibration_end, seconds)}
        </p>
        {plain.map(|p| view! { <h3>{t.reading_heading}</h3><p data-testid="clv-reading">{p}</p> })}
        <p class="note">{t.meaning}</p>
        <h3>{t.params_heading}</h3>
        {params_table(c, lang, cur)}
        <h3>{t.holdout_heading}</h3>
        {holdout(c, lang)}
        {tracking(c, lang)}
        <h3>{t.repeat_heading}</h3>
        {repeat_counts(c, lang)}
        <h3>{t.p_alive_heading}</h3>
        {p_alive(c, lang)}
        {value(c, lang, cur)}
    }
}

#[component]
pub fn ClvView() -> impl IntoView {
    let state = use_state();
    // Once per report, when this view is shown.
    Effect::new(move |_| ensure(state));
    let body = move || {
        let lang = state.lang.get();
        let t = lang.clv();
        let cur = state.report.with(|r| match r {
            Some(Ok(r)) => Some(Currency::of(r)),
            _ => None,
        })?;
        let content = state.clv.with(|c| match &c.result {
            None if c.pending.is_some() => {
                let step = c.stage.map(|s| fit_step(lang, s));
                view! {
                    <p class="status" data-testid="clv-fitting" aria-live="polite">
                        {t.fitting}
                        {step.map(|s| view! { <br/><span data-testid="clv-fit-step">{s}</span> })}
                    </p>
                }
                .into_any()
            }
            None => ().into_any(),
            Some((Err(e), _)) => view! { <p class="messages" data-testid="clv-error">{crate::i18n::error(lang, &e.kind)}</p> }.into_any(),
            Some((Ok(c), seconds)) => fitted(c, *seconds, lang, &cur).into_any(),
        });
        Some(view! {
            <h2>{t.heading}</h2>
            <div class="settings-grid">
                {setting_input("clv-horizon", t.horizon, None)}
                {setting_input("clv-discount", t.discount, None)}
            </div>
            {content}
            {formula(lang.texts().formula_heading, t.formula, "clv-formula")}
        })
    };
    view! { <section class="clv">{body}</section> }
}
