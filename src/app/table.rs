//! Small building blocks shared by the result views: money formatting for
//! the file's currency, key-value tables and numeric cells that follow the
//! DOM contract (`tr[data-key]`, `[data-col][data-value]`).

use super::state::{use_state, AppState};
use crate::format::{decimal, money, percent, raw};
use crate::i18n::Lang;
use leptos::prelude::*;
use ltv_engine::money::Money;
use ltv_engine::report::Report;

/// Runs `f` on the current report, if one is ready, and the current
/// language; a reactive closure that calls it re-runs when either changes.
/// The report is read in place, never cloned.
pub fn with_report<T>(state: AppState, f: impl FnOnce(&Report, Lang) -> T) -> Option<T> {
    let lang = state.lang.get();
    state.report.with(|r| match r {
        Some(Ok(r)) => Some(f(r, lang)),
        _ => None,
    })
}

/// A result section, `<section class=…>`: `body` draws the current report
/// in the current language (see [`with_report`]); empty until a report is
/// ready.
pub fn report_section<V: IntoView + 'static>(
    class: &'static str,
    body: impl Fn(&Report, Lang) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let state = use_state();
    let content = move || with_report(state, &body);
    view! { <section class=class>{content}</section> }
}

/// Formats money in the analysed currency.
#[derive(Clone, Debug, PartialEq)]
pub struct Currency {
    pub currency: Option<String>,
    pub exponent: u8,
}

impl Currency {
    pub fn of(r: &Report) -> Currency {
        Currency {
            currency: r.summary.currency.clone(),
            exponent: r.summary.minor_exponent,
        }
    }
    /// A number of major units: `¥1,234`, `$1,234.50`.
    pub fn fmt(&self, major: f64) -> String {
        money(major, self.currency.as_deref(), self.exponent)
    }
    /// An amount of the report.
    pub fn amount(&self, amount: Money) -> String {
        self.fmt(amount.major())
    }
    /// The symbol and suffix charts use for this currency.
    pub fn symbol(&self) -> (&'static str, String) {
        ltv_engine::money::currency_affixes(self.currency.as_deref())
    }
}

/// How a value is shown to people.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Show {
    Percent,
    Decimal(usize),
}

/// The `data-value` text of an optional value: exactly what serde_json
/// writes for it in the CLI's JSON (a count stays `19`, not `19.0`).
pub fn raw_opt<T: serde::Serialize>(value: Option<T>) -> Option<String> {
    value.map(|v| raw(&v))
}

/// A numeric cell: `data-value` holds the raw value (as the CLI's JSON
/// writes it), the text is for people; `None` shows a dash.
pub fn num_cell<T: serde::Serialize>(col: String, value: Option<T>, text: String) -> impl IntoView {
    let raw_value = raw_opt(value);
    view! { <td class="num" data-col=col data-value=raw_value>{text}</td> }
}

/// A cell of the file's own text (a product, a customer): shown as text,
/// wrapped anywhere and clipped to three lines on screen (all of it in the
/// tooltip, in `innerText` and in the table's CSV), so that a very long
/// name cannot push the numbers beside it out of sight.
pub fn text_cell(col: &'static str, text: String) -> impl IntoView {
    let title = text.clone();
    view! { <td class="text" data-col=col><span class="clip" title=title>{text}</span></td> }
}

/// A count cell: `data-value` the count, the text grouped (`1,234`).
pub fn count_cell(col: &str, n: impl Into<u64>) -> impl IntoView {
    let n: u64 = n.into();
    num_cell(col.to_string(), Some(n), crate::format::int(n as i64))
}

/// A share (0–1) as a bar and a percentage: a `<meter>`, since the CSP
/// forbids the inline style a drawn bar would need.
pub fn share_cell(col: &str, share: f64) -> impl IntoView {
    view! {
        <td class="num" data-col=col.to_string() data-value=crate::format::raw(&share)>
            <meter min="0" max="1" value=share.to_string()></meter>" "
            {percent(share)}
        </td>
    }
}

/// The shading class of a heatmap cell holding `ratio` (0–1) of the
/// largest: `heat-0` for none, `heat-1` to `heat-6` in sixths (classes,
/// as the CSP forbids inline styles).
pub fn heat_class(ratio: f64) -> String {
    let level = if ratio > 0.0 {
        (ratio * 6.0).ceil().clamp(1.0, 6.0) as u8
    } else {
        0
    };
    format!("heat-{level}")
}

/// The text of an optional number.
pub fn show(value: Option<f64>, how: Show) -> String {
    match value {
        None => "–".into(),
        Some(v) => match how {
            Show::Percent => percent(v),
            Show::Decimal(d) => decimal(v, d),
        },
    }
}

/// One row of a key-value table.
pub struct KvRow {
    pub key: &'static str,
    pub label: String,
    /// The `data-value` text (see [`raw_opt`]).
    pub value: Option<String>,
    pub text: String,
}

/// A two-column table `<name>-table` whose value cells are `data-col=value`.
pub fn kv_table(
    name: &'static str,
    head: (&'static str, &'static str),
    rows: Vec<KvRow>,
) -> impl IntoView {
    view! {
        <table class="data kv" data-testid=format!("{name}-table")>
            <thead><tr><th>{head.0}</th><th>{head.1}</th></tr></thead>
            <tbody>{kv_rows(rows)}</tbody>
        </table>
    }
}

/// The rows of a key-value table: `data-key` on each row, the value cell
/// `data-col=value`.
pub fn kv_rows(rows: Vec<KvRow>) -> impl IntoView {
    rows.into_iter()
        .map(|r| {
            view! {
                <tr data-key=r.key>
                    <th scope="row">{r.label}</th>
                    <td class="num" data-col="value" data-value=r.value>{r.text}</td>
                </tr>
            }
        })
        .collect_view()
}

/// The formula box shown under every analysis.
pub fn formula(heading: &'static str, text: &'static str, testid: &'static str) -> impl IntoView {
    view! {
        <details class="formula" open=true data-testid=testid>
            <summary>{heading}</summary>
            <p>{text}</p>
        </details>
    }
}
