//! The charts on canvases, drawn by the shared plotters code (`ltv_charts`):
//! the decile chart from the report's deciles, and line charts
//! ([`LineChartCanvas`]) of whatever a view builds from the report as
//! [`OwnedLines`] (LTV curves, actual against target, returning share,
//! survival, decile growth).

use super::state::{use_state, AppState};
use super::table::with_report;
use leptos::prelude::*;
use ltv_charts::{draw_deciles_plot, DecileChartText, PlotX};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use std::sync::Arc;

/// A canvas's drawing size and scale: its box on screen times the
/// screen's pixel ratio, so text keeps its size from a phone to a wide
/// screen; 2:1, taller on a narrow box; at least 1440 pixels wide while
/// the report is laid out for print. `None` (a canvas not laid out: drawn
/// at 1440 × 720, fitted) leaves the canvas as it is.
fn fit(canvas: &web_sys::HtmlCanvasElement, printing: bool) -> Option<f64> {
    let shown = f64::from(canvas.client_width());
    if shown < 1.0 {
        return None;
    }
    let ratio = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|r| r.is_finite())
        .unwrap_or(1.0)
        .clamp(1.0, 4.0);
    let mut scale = ratio;
    let mut width = shown * ratio;
    if printing && width < 1440.0 {
        scale *= 1440.0 / width;
        width = 1440.0;
    }
    let aspect = if shown < 560.0 { 0.75 } else { 0.5 };
    let (w, h) = (width.round() as u32, (width * aspect).round() as u32);
    // Setting a size clears the canvas: only when it changes.
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    Some(scale)
}

/// Draws the decile chart of the current report on `canvas` at `scale`.
fn paint_deciles(
    state: AppState,
    canvas: &web_sys::HtmlCanvasElement,
    scale: Option<f64>,
) -> Option<PlotX> {
    with_report(state, |r, lang| {
        let t = lang.texts();
        let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
        let root = backend.into_drawing_area();
        let _ = root.fill(&WHITE);
        let text = DecileChartText {
            share_label: t.chart_share,
            cumulative_label: t.chart_cumulative,
            y_axis: t.chart_y,
            x_axis: t.chart_x,
        };
        let drawn = draw_deciles_plot(&root, &r.deciles, &text, scale)
            .ok()
            .flatten();
        let _ = root.present();
        drawn
    })
    .flatten()
}

#[component]
pub fn DecileChart() -> impl IntoView {
    let state = use_state();
    let canvas_ref: NodeRef<leptos::html::Canvas> = NodeRef::new();
    let plot: RwSignal<Option<PlotX>> = RwSignal::new(None);
    let at: RwSignal<Option<usize>> = RwSignal::new(None);
    // Redraw when the canvas is mounted, the report or the language
    // changes, the window is resized, or the report is laid out to print.
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        state.resized.track();
        let scale = fit(&canvas, state.printing.get());
        plot.set(paint_deciles(state, &canvas, scale));
    });
    let title = Signal::derive(move || state.lang.get().texts().chart_share.to_string());
    // The exact values of the decile under the pointer (or chosen by key).
    let values = move |i: usize| -> Option<(String, Vec<ReadoutValue>)> {
        with_report(state, |r, lang| {
            let t = lang.texts();
            let d = r.deciles.iter().find(|d| usize::from(d.decile) == i + 1)?;
            Some((
                format!("D{}", d.decile),
                vec![
                    ReadoutValue::new(t.chart_share, d.share, crate::format::percent(d.share)),
                    ReadoutValue::new(
                        t.chart_cumulative,
                        d.cumulative_share,
                        crate::format::percent(d.cumulative_share),
                    ),
                ],
            ))
        })
        .flatten()
    };
    let render: Render = Arc::new(move |c: &web_sys::HtmlCanvasElement| {
        paint_deciles(state, c, None);
    });
    chart_frame(
        ChartParts {
            canvas: canvas_ref,
            plot,
            at,
            testid: "decile-chart",
            title,
            render,
        },
        values,
    )
}

/// A chart's pieces: its canvas, where it drew, the slot chosen, and how
/// to draw it again for the PNG.
struct ChartParts {
    canvas: NodeRef<leptos::html::Canvas>,
    plot: RwSignal<Option<PlotX>>,
    at: RwSignal<Option<usize>>,
    testid: &'static str,
    title: Signal<String>,
    render: Render,
}

/// The canvas (focusable; the pointer, a tap or the arrow keys choose a
/// slot), the readout of the chosen slot's exact values, and the PNG
/// button.
fn chart_frame(
    p: ChartParts,
    values: impl Fn(usize) -> Option<(String, Vec<ReadoutValue>)> + Send + Sync + 'static,
) -> impl IntoView {
    let ChartParts {
        canvas,
        plot,
        at,
        testid,
        title,
        render,
    } = p;
    view! {
        <canvas
            class="chart"
            data-testid=testid
            width="1440"
            height="720"
            node_ref=canvas
            role="img"
            aria-label=title
            tabindex="0"
            aria-describedby=format!("{testid}-readout")
            data-plot=move || plot.get().map(plot_attr)
            on:pointermove=move |ev| at.set(locate(canvas, plot, &ev))
            on:pointerdown=move |ev| at.set(locate(canvas, plot, &ev))
            on:pointerleave=move |_| at.set(None)
            on:keydown=move |ev| step(&ev, at, plot)
            on:focus=move |_| at.set(at.get_untracked().or(Some(0)))
            on:blur=move |_| at.set(None)
        ></canvas>
        <Readout testid=testid at=at values=values/>
        <ChartPng render=render testid=testid title=title/>
    }
}

/// Draws a chart, fitted, on the canvas it is given (the PNG's).
type Render = Arc<dyn Fn(&web_sys::HtmlCanvasElement) + Send + Sync>;

/// A "PNG" button under a chart: the chart drawn again at print
/// resolution (1440 × 720, whatever its size on screen), under a heading
/// that names the chart, the as-of date and the file, downloaded as
/// `ltv-lens-<chart>-<as-of>.png`. The heading is drawn as text on the
/// canvas: a file's name is never markup.
#[component]
fn ChartPng(render: Render, testid: &'static str, title: Signal<String>) -> impl IntoView {
    use wasm_bindgen::JsCast;
    let state = use_state();
    let click = move |_| {
        let Some(chart) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("canvas").ok())
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            return;
        };
        chart.set_width(1440);
        chart.set_height(720);
        render(&chart);
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

/// `left right n` of a plot, for `data-plot` (the tests aim with it).
fn plot_attr(p: PlotX) -> String {
    format!("{} {} {}", p.left, p.right, p.n)
}

/// The x slot under the pointer: the event's position scaled from the
/// canvas's size on screen to its drawing size.
fn locate(
    canvas: NodeRef<leptos::html::Canvas>,
    plot: RwSignal<Option<PlotX>>,
    ev: &web_sys::PointerEvent,
) -> Option<usize> {
    let canvas = canvas.get_untracked()?;
    let shown = f64::from(canvas.client_width());
    if shown <= 0.0 {
        return None;
    }
    let x = f64::from(ev.offset_x()) * f64::from(canvas.width()) / shown;
    plot.get_untracked()?.index_at(x)
}

/// Arrow keys, Home and End move the readout along the x slots.
fn step(ev: &web_sys::KeyboardEvent, at: RwSignal<Option<usize>>, plot: RwSignal<Option<PlotX>>) {
    let Some(n) = plot.get_untracked().map(|p| p.n).filter(|&n| n > 0) else {
        return;
    };
    let now = at.get_untracked().unwrap_or(0).min(n - 1);
    let next = match ev.key().as_str() {
        "ArrowRight" | "ArrowUp" => (now + 1).min(n - 1),
        "ArrowLeft" | "ArrowDown" => now.saturating_sub(1),
        "Home" => 0,
        "End" => n - 1,
        "Escape" => {
            at.set(None);
            return;
        }
        _ => return,
    };
    ev.prevent_default();
    at.set(Some(next));
}

/// One value of a readout: its series, the exact number (as the JSON
/// writes it) and the text shown.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadoutValue {
    pub series: String,
    pub raw: String,
    pub text: String,
}

impl ReadoutValue {
    fn new(series: &str, value: f64, text: String) -> ReadoutValue {
        ReadoutValue {
            series: series.to_string(),
            raw: crate::format::raw(&value),
            text,
        }
    }
}

/// The line under a chart with the exact values at the slot under the
/// pointer, tapped, or chosen with the arrow keys when the chart has
/// focus; a hint otherwise. `[data-testid=<chart>-readout]` with
/// `data-index`, and one `[data-series][data-value]` per value.
#[component]
fn Readout(
    testid: &'static str,
    at: RwSignal<Option<usize>>,
    values: impl Fn(usize) -> Option<(String, Vec<ReadoutValue>)> + Send + Sync + 'static,
) -> impl IntoView {
    let state = use_state();
    let content = move || match at.get().and_then(&values) {
        Some((label, values)) => {
            let items = values
                .into_iter()
                .map(|v| {
                    let name = v.series.clone();
                    view! {
                        " · "
                        <span data-series=v.series data-value=v.raw>{name}": "<b>{v.text}</b></span>
                    }
                })
                .collect_view();
            view! { <strong>{label}</strong>{items} }.into_any()
        }
        None => view! { <span class="hint">{state.lang.get().page().chart_hint}</span> }.into_any(),
    };
    view! {
        <p
            class="chart-readout"
            id=format!("{testid}-readout")
            data-testid=format!("{testid}-readout")
            data-index=move || at.get().map(|i| i.to_string())
            aria-live="polite"
        >
            {content}
        </p>
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

impl OwnedY {
    /// The charts crate's format.
    fn format(&self) -> ltv_charts::YFormat<'_> {
        use ltv_charts::YFormat;
        match self {
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
        }
    }
}

/// Draws `c` on `canvas` at `scale`.
fn paint_lines(
    canvas: &web_sys::HtmlCanvasElement,
    c: &OwnedLines,
    scale: Option<f64>,
) -> Option<PlotX> {
    use ltv_charts::{draw_lines_plot, LineChart, LineStyle, Reference, Series};
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
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
    let chart = LineChart {
        x_labels: &c.x_labels,
        series: &series,
        y: c.y.format(),
        y_axis: &c.y_axis,
        x_axis: &c.x_axis,
        reference: c.reference.as_ref().map(|(v, l)| Reference {
            value: *v,
            label: l,
        }),
        y_min_zero: c.y_min_zero,
    };
    let drawn = draw_lines_plot(&root, &chart, scale).ok().flatten();
    let _ = root.present();
    drawn
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
    let canvas_ref: NodeRef<leptos::html::Canvas> = NodeRef::new();
    let plot: RwSignal<Option<PlotX>> = RwSignal::new(None);
    let at: RwSignal<Option<usize>> = RwSignal::new(None);
    let state = use_state();
    Effect::new(move |_| {
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let c = chart.get();
        state.resized.track();
        let printing = state.printing.get();
        // Drawn in a task of its own, after the view that holds it: a tab
        // with several charts then never blocks the page for long.
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            let Some(c) = c else { return };
            let scale = fit(&canvas, printing);
            let drawn = paint_lines(&canvas, &c, scale);
            // The view may be gone by now (a tab changed).
            let _ = plot.try_set(drawn);
        });
    });
    let title = Signal::derive(move || {
        chart.with(|c| c.as_ref().map(|c| c.y_axis.clone()).unwrap_or_default())
    });
    // The exact values of every series at the slot under the pointer.
    let values = move |i: usize| -> Option<(String, Vec<ReadoutValue>)> {
        chart.with(|c| {
            let c = c.as_ref()?;
            let y = c.y.format();
            let values: Vec<ReadoutValue> = c
                .series
                .iter()
                .filter_map(|s| {
                    let v = s.values.get(i).copied().flatten()?;
                    Some(ReadoutValue::new(&s.label, v, y.format_value(v)))
                })
                .collect();
            Some((c.x_labels.get(i)?.clone(), values))
        })
    };
    let render: Render = Arc::new(move |canvas: &web_sys::HtmlCanvasElement| {
        if let Some(c) = chart.get_untracked() {
            paint_lines(canvas, &c, None);
        }
    });
    chart_frame(
        ChartParts {
            canvas: canvas_ref,
            plot,
            at,
            testid,
            title,
            render,
        },
        values,
    )
}

/// A chart built from the current report in the current language (None
/// until a report is ready).
pub fn report_chart(
    f: fn(&ltv_engine::report::Report, crate::i18n::Lang) -> OwnedLines,
) -> Signal<Option<OwnedLines>> {
    let state = use_state();
    Signal::derive(move || with_report(state, f))
}
