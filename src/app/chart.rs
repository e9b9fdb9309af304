//! The charts on canvases, drawn by the shared plotters code (`ltv_charts`):
//! the decile chart from the report's deciles, and line charts
//! ([`LineChartCanvas`]) of whatever a view builds from the report as
//! [`OwnedLines`] (LTV curves, actual against target, returning share,
//! survival, decile growth).

use super::state::use_state;
use super::table::with_report;
use leptos::prelude::*;
use ltv_charts::{draw_deciles, DecileChartText};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

#[component]
pub fn DecileChart() -> impl IntoView {
    let state = use_state();
    let canvas_ref: NodeRef<leptos::html::Canvas> = NodeRef::new();
    // Redraw when the canvas is mounted, the report or the language changes.
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        with_report(state, |r, lang| {
            let t = lang.texts();
            let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
                return;
            };
            let root = backend.into_drawing_area();
            let _ = root.fill(&WHITE);
            let text = DecileChartText {
                share_label: t.chart_share,
                cumulative_label: t.chart_cumulative,
                y_axis: t.chart_y,
                x_axis: t.chart_x,
            };
            let _ = draw_deciles(&root, &r.deciles, &text);
            let _ = root.present();
        });
    });
    let title = Signal::derive(move || state.lang.get().texts().chart_share.to_string());
    view! {
        <canvas
            class="chart"
            data-testid="decile-chart"
            width="1440"
            height="720"
            node_ref=canvas_ref
            role="img"
            aria-label=title
        ></canvas>
        <ChartPng canvas=canvas_ref testid="decile-chart" title=title/>
    }
}

/// A "PNG" button under a chart: the canvas as drawn (1440 × 720), under a
/// heading that names the chart, the as-of date and the file, downloaded
/// as `ltv-lens-<chart>-<as-of>.png`. The heading is drawn as text on the canvas: a
/// file's name is never markup.
#[component]
fn ChartPng(
    canvas: NodeRef<leptos::html::Canvas>,
    testid: &'static str,
    title: Signal<String>,
) -> impl IntoView {
    let state = use_state();
    let click = move |_| {
        let Some(chart) = canvas.get_untracked() else {
            return;
        };
        let lang = state.lang.get_untracked();
        let as_of = state.report.with_untracked(|r| match r {
            Some(Ok(r)) => Some(r.decile_window.as_of.to_string()),
            _ => None,
        });
        let file = state.file_name.get_untracked().unwrap_or_default();
        let caption = crate::i18n::chart_caption(lang, as_of.as_deref(), &file);
        // Named as the CSV downloads are: ltv-lens-<what>-<as-of>.
        let name = match &as_of {
            Some(d) => format!("ltv-lens-{testid}-{d}.png"),
            None => format!("ltv-lens-{testid}.png"),
        };
        if let Some(url) = with_heading(&chart, &title.get_untracked(), &caption) {
            super::export::save_url(&url, &name);
        }
    };
    view! {
        <button type="button" class="button export" data-testid=format!("{testid}-png") on:click=click>
            "PNG"
        </button>
    }
}

/// The chart on a new canvas under a heading (title, caption), as a PNG
/// `data:` URL.
fn with_heading(chart: &web_sys::HtmlCanvasElement, title: &str, caption: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    const HEAD: u32 = 120;
    let doc = web_sys::window()?.document()?;
    let out: web_sys::HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    out.set_width(chart.width());
    out.set_height(chart.height() + HEAD);
    let ctx: web_sys::CanvasRenderingContext2d = out.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(out.width()), f64::from(out.height()));
    ctx.set_fill_style_str("#1f2933");
    let font = "\"Noto Sans CJK JP\", \"Hiragino Sans\", Meiryo, system-ui, sans-serif";
    ctx.set_font(&format!("bold 40px {font}"));
    let _ = ctx.fill_text_with_max_width(title, 32.0, 56.0, f64::from(out.width()) - 64.0);
    ctx.set_fill_style_str("#52606d");
    ctx.set_font(&format!("28px {font}"));
    let _ = ctx.fill_text_with_max_width(caption, 32.0, 100.0, f64::from(out.width()) - 64.0);
    ctx.draw_image_with_html_canvas_element(chart, 0.0, f64::from(HEAD))
        .ok()?;
    out.to_data_url().ok()
}

/// A line chart's data, owned, so views can build it from a report.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnedLines {
    pub x_labels: Vec<String>,
    pub series: Vec<OwnedSeries>,
    pub y: OwnedY,
    pub y_axis: String,
    pub x_axis: String,
    pub reference: Option<(f64, String)>,
    pub y_min_zero: bool,
}

/// One line of an [`OwnedLines`].
#[derive(Clone, Debug, PartialEq)]
pub struct OwnedSeries {
    pub label: String,
    /// One per x label; None leaves a gap.
    pub values: Vec<Option<f64>>,
    pub dashed: bool,
    /// Palette index (0 blue, 1 orange, ...).
    pub color: usize,
    pub markers: bool,
}

impl OwnedSeries {
    pub fn new(label: impl Into<String>, values: Vec<Option<f64>>, color: usize) -> Self {
        OwnedSeries {
            label: label.into(),
            values,
            dashed: false,
            color,
            markers: true,
        }
    }
    pub fn dashed(mut self) -> Self {
        self.dashed = true;
        self
    }
    pub fn without_markers(mut self) -> Self {
        self.markers = false;
        self
    }
}

/// The y axis format of an [`OwnedLines`].
#[derive(Clone, Debug, PartialEq)]
pub enum OwnedY {
    Percent,
    Money {
        symbol: &'static str,
        suffix: String,
        decimals: u8,
    },
    Months,
    /// Plain numbers with this many decimals.
    Number(u8),
}

/// A canvas with a line chart drawn by the shared plotters code; redrawn
/// whenever `chart` changes.
#[component]
pub fn LineChartCanvas(
    /// What to draw (None draws nothing).
    #[prop(into)]
    chart: Signal<Option<OwnedLines>>,
    /// `data-testid` of the canvas.
    testid: &'static str,
) -> impl IntoView {
    use ltv_charts::{draw_lines, LineChart, LineStyle, Reference, Series, YFormat};
    let canvas_ref: NodeRef<leptos::html::Canvas> = NodeRef::new();
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let c = chart.get();
        // Drawn in a task of its own, after the view that holds it: a tab
        // with several charts then never blocks the page for long.
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            let Some(c) = c else { return };
            let Some(backend) = CanvasBackend::with_canvas_object(canvas) else {
                return;
            };
            let root = backend.into_drawing_area();
            let _ = root.fill(&WHITE);
            let series: Vec<Series> = c
                .series
                .iter()
                .map(|s| Series {
                    label: &s.label,
                    values: &s.values,
                    style: if s.dashed {
                        LineStyle::Dashed
                    } else {
                        LineStyle::Solid
                    },
                    color: s.color,
                    markers: s.markers,
                })
                .collect();
            let y = match &c.y {
                OwnedY::Percent => YFormat::Percent,
                OwnedY::Money {
                    symbol,
                    suffix,
                    decimals,
                } => YFormat::Money {
                    symbol,
                    suffix,
                    decimals: *decimals,
                },
                OwnedY::Months => YFormat::Months,
                OwnedY::Number(decimals) => YFormat::Number {
                    decimals: *decimals,
                },
            };
            let chart = LineChart {
                x_labels: &c.x_labels,
                series: &series,
                y,
                y_axis: &c.y_axis,
                x_axis: &c.x_axis,
                reference: c.reference.as_ref().map(|(v, l)| Reference {
                    value: *v,
                    label: l,
                }),
                y_min_zero: c.y_min_zero,
            };
            let _ = draw_lines(&root, &chart);
            let _ = root.present();
        });
    });
    let title = Signal::derive(move || {
        chart.with(|c| c.as_ref().map(|c| c.y_axis.clone()).unwrap_or_default())
    });
    view! {
        <canvas class="chart" data-testid=testid width="1440" height="720" node_ref=canvas_ref role="img" aria-label=title></canvas>
        <ChartPng canvas=canvas_ref testid=testid title=title/>
    }
}

/// A chart built from the current report in the current language (None
/// until a report is ready).
pub fn report_chart(
    f: fn(&ltv_engine::report::Report, crate::i18n::Lang) -> OwnedLines,
) -> Signal<Option<OwnedLines>> {
    let state = use_state();
    Signal::derive(move || with_report(state, f))
}
