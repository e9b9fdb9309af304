//! # ltv-lens charts
//!
//! Charts of the [`ltv_engine`] analyses as pure functions over a plotters
//! [`DrawingArea`], generic over the drawing backend: the browser app draws
//! them on an HTML canvas (`plotters-canvas`), the native tests draw the very
//! same code to an SVG string.
//!
//! - [`draw_deciles`] draws the report's deciles ([`DecileRow`]s): revenue
//!   share per decile as bars, cumulative share as a line with markers, y
//!   axis 0–100 %.
//! - [`draw_lines`] draws a generic [`LineChart`]: one or more [`Series`]
//!   over categorical x labels (months, months since the first order),
//!   solid or dashed, with gaps for missing values, nice y ticks formatted
//!   per [`YFormat`] (percent, number, money, months), an optional
//!   [`Reference`] line, and a compact legend even for dozens of cohorts.
//!   The app uses it for cohort LTV curves, actual vs target, returning
//!   share, survival curves and month-over-month growth.
//! - [`percent_label`] formats a fraction as a percentage for the UI.
//!
//! ```
//! use ltv_charts::{draw_deciles, DecileChartText};
//! use ltv_engine::decile::DecileRow;
//! use plotters::prelude::*;
//!
//! let deciles: Vec<DecileRow> = Vec::new(); // a report's `deciles`
//! let text = DecileChartText {
//!     share_label: "Revenue share",
//!     cumulative_label: "Cumulative share",
//!     y_axis: "Share of revenue",
//!     x_axis: "Decile (D1 = top spenders)",
//! };
//! let mut svg = String::new();
//! {
//!     let area = SVGBackend::with_string(&mut svg, (720, 360)).into_drawing_area();
//!     draw_deciles(&area, &deciles, &text).unwrap(); // ok-panic: doc example
//!     area.present().unwrap(); // ok-panic: doc example
//! }
//! assert!(svg.contains("D10"));
//! ```
//!
//! ## Text and fonts
//!
//! plotters has three ways to handle text, chosen at compile time: in wasm32
//! the `web` one (the browser measures and draws text), natively either the
//! `ttf` feature (font-kit looks for *system* fonts, which a bare CI machine
//! may not have), the `ab_glyph` feature (fonts must be registered from bytes
//! first, otherwise every text measurement fails with `FontUnavailable`), or,
//! with neither feature, a built-in estimator that cannot fail.
//!
//! These charts are laid out so that plotters never has to measure or
//! rasterize text: every label is placed at a computed anchor point (left,
//! centre or right; top, centre or bottom) and handed to the backend as a
//! string. The SVG backend writes a `<text>` element and the canvas backend
//! calls `fillText`, so the viewer's own fonts render it, Japanese included.
//! The one place that needs a width (the legend's background box) uses a
//! small character-class estimate ([`approx_text_width`]), not a font.
//!
//! Hence the crate enables no plotters font feature, adds no font bytes to
//! the wasm build and needs no font on the test machine. The test
//! `draws_without_measuring_text` checks this with a backend whose text
//! measurement always fails. A backend that cannot draw text by itself (a
//! bitmap backend) would need plotters' `ttf` or `ab_glyph` feature; none is
//! used in this project.
//!
//! ## Size
//!
//! The charts are designed for 720×360 CSS pixels. Sizes (fonts, margins,
//! strokes) scale with the area, so an app that draws a canvas at
//! `devicePixelRatio` times its CSS size gets the same look, only sharper.

#![warn(missing_docs)]

mod line;

pub use line::{
    draw_lines, draw_lines_plot, sequential_color, series_color, LineChart, LineStyle, PlotX,
    Reference, Series, YFormat, MAX_LEGEND_SERIES, PALETTE, REFERENCE_COLOR,
};

use ltv_engine::decile::DecileRow;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The colour of the revenue share bars (a muted blue), for UI elements that
/// should match the chart, such as a table's legend swatch.
pub const SHARE_COLOR: RGBColor = RGBColor(0x4C, 0x78, 0xA8);

/// The colour of the cumulative share line (orange).
pub const CUMULATIVE_COLOR: RGBColor = RGBColor(0xF5, 0x85, 0x18);

/// Labels and axis text.
const TEXT_COLOR: RGBColor = RGBColor(0x4B, 0x55, 0x63);
/// Horizontal grid lines.
const GRID_COLOR: RGBColor = RGBColor(0xE3, 0xE6, 0xEA);
/// The 0 % baseline under the bars.
const BASELINE_COLOR: RGBColor = RGBColor(0x9C, 0xA3, 0xAF);

/// A font stack that has a Japanese face on common systems. Names are left
/// unquoted (valid CSS) so the string fits both a canvas `font` and an SVG
/// attribute unchanged.
const FONT_FAMILY: &str =
    "system-ui, -apple-system, Segoe UI, Hiragino Sans, Noto Sans JP, Meiryo, sans-serif";

/// The size the layout is designed for, in pixels.
const DESIGN_SIZE: (f64, f64) = (720.0, 360.0);

/// Below this size (pixels) only the background is drawn: there is no room
/// for the axes, and plotters would be asked for negative areas.
const MIN_SIZE: (u32, u32) = (160, 100);

/// Bar width as a fraction of a decile's slot.
const BAR_WIDTH: f64 = 0.64;

/// Translated text of the decile chart.
#[derive(Clone, Copy, Debug)]
pub struct DecileChartText<'a> {
    /// Legend entry of the bars, e.g. "Revenue share" / "売上構成比".
    pub share_label: &'a str,
    /// Legend entry of the line, e.g. "Cumulative share" / "累積構成比".
    pub cumulative_label: &'a str,
    /// Description of the y axis (drawn rotated along it).
    pub y_axis: &'a str,
    /// Description of the x axis (drawn under the decile labels).
    pub x_axis: &'a str,
}

/// Formats a fraction of 1 as a percentage with one decimal:
/// `0.4567` → `"45.7%"`, `1.0` → `"100.0%"`. Never prints `-0.0%`; a
/// non-finite value gives `"-"`.
pub fn percent_label(v: f64) -> String {
    if !v.is_finite() {
        return "-".to_string();
    }
    // Adding 0.0 turns a rounded -0.0 into 0.0.
    let tenths = (v * 1000.0).round() / 10.0 + 0.0;
    format!("{tenths:.1}%")
}

/// A y-axis tick label: whole percent (`0.2` → `"20%"`).
fn axis_percent_label(v: f64) -> String {
    let whole = (v * 100.0).round() + 0.0;
    format!("{whole:.0}%")
}

/// A share from the table as a drawable fraction: clamped to 0..=1, with a
/// non-finite value drawn as 0.
fn fraction(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Estimates how wide `text` is at `size` pixels, from character classes
/// alone (no font needed): full-width CJK characters are 1 em, Latin
/// letters and digits about half an em. Good enough to size a box with
/// padding around a label in any sans-serif face.
pub fn approx_text_width(text: &str, size: f64) -> i32 {
    let ems: f64 = text.chars().map(char_em).sum();
    (ems * size).ceil() as i32
}

/// Approximate advance of a character in a sans-serif face, in em.
fn char_em(c: char) -> f64 {
    match c {
        ' ' | 'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.3,
        '(' | ')' | '[' | ']' | 'f' | 't' | 'r' | '-' => 0.38,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.85,
        'A'..='Z' => 0.68,
        'a'..='z' | '0'..='9' => 0.56,
        c if is_wide(c) => 1.0,
        _ => 0.62,
    }
}

/// East Asian wide and full-width characters (CJK, kana, hangul,
/// full-width forms).
fn is_wide(c: char) -> bool {
    matches!(
        c as u32,
        0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD
    )
}

/// Pixel sizes scaled from the 720×360 design to the actual area.
#[derive(Clone, Copy)]
struct Metrics {
    scale: f64,
}

impl Metrics {
    /// The scale of an area `w × h`: as if the design size were stretched
    /// to fit it, or `scale` when one is given (a canvas sized to its box
    /// on screen is drawn at the screen's pixel ratio: text keeps its size
    /// whatever the width).
    fn of((w, h): (u32, u32), scale: Option<f64>) -> Metrics {
        match scale {
            Some(s) if s.is_finite() => Metrics {
                scale: s.clamp(0.6, 4.0),
            },
            _ => Metrics::new((w, h)),
        }
    }

    fn new((w, h): (u32, u32)) -> Metrics {
        let scale = (f64::from(w) / DESIGN_SIZE.0)
            .min(f64::from(h) / DESIGN_SIZE.1)
            .clamp(0.6, 4.0);
        Metrics { scale }
    }

    /// A length of `v` design pixels, at least 1 pixel.
    fn px(self, v: f64) -> i32 {
        ((v * self.scale).round() as i32).max(1)
    }

    /// A font size of `v` design pixels, never below 10 pixels.
    fn font(self, v: f64) -> f64 {
        (v * self.scale).max(10.0)
    }
}

/// Draws the decile chart of `deciles` (a report's `deciles`) on `area`.
///
/// Bars show each decile's share of revenue (D1, the top spenders, on the
/// left), a line with markers the cumulative share; the y axis runs from 0 %
/// to 100 %. A decile without customers gets no bar (a zero bar); deciles
/// without any customer get the empty axes only. Shares outside 0..=1 are
/// clamped, rows with a decile outside 1..=10 are ignored.
///
/// The area is filled white first. Plotters never has to measure text (see
/// the crate docs), so any backend that draws text itself (SVG, canvas)
/// works without fonts. Errors come from the backend only. Nothing here
/// panics, and an area too small for axes (under 160×100 pixels) only gets
/// its background, so plotters is never handed a negative plot area.
pub fn draw_deciles<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    deciles: &[DecileRow],
    text: &DecileChartText,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    draw_deciles_plot(area, deciles, text, None).map(|_| ())
}

/// [`draw_deciles`] with text and lines `scale` times their design size
/// (`None`: fitted to the area), telling where the ten slots went (`n` =
/// 10; `None` when the area is too small or there is no data).
pub fn draw_deciles_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    deciles: &[DecileRow],
    text: &DecileChartText,
    scale: Option<f64>,
) -> Result<Option<PlotX>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let size = area.dim_in_pixel();
    if size.0 < MIN_SIZE.0 || size.1 < MIN_SIZE.1 {
        return Ok(None);
    }
    let m = Metrics::of(size, scale);
    let label_style = (FONT_FAMILY, m.font(13.0)).into_font().color(&TEXT_COLOR);

    let mut chart = ChartBuilder::on(area)
        .margin_top(m.px(14.0))
        .margin_right(m.px(18.0))
        .margin_bottom(m.px(4.0))
        .margin_left(m.px(6.0))
        .x_label_area_size(m.px(48.0))
        .y_label_area_size(m.px(64.0))
        .build_cartesian_2d(0f64..10f64, 0f64..1f64)?;

    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|v: &f64| axis_percent_label(*v))
        .bold_line_style(GRID_COLOR.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(GRID_COLOR.stroke_width(1))
        .set_all_tick_mark_size(m.px(5.0))
        .label_style(label_style.clone())
        .axis_desc_style(label_style.clone())
        .x_desc(text.x_axis)
        .y_desc(text.y_axis)
        .draw()?;

    // Decile labels, centred under each slot. Drawn here rather than by the
    // mesh, whose numeric ticks would fall on the slot boundaries.
    let (base_x, base_y) = area.get_base_pixel();
    let decile_style = label_style.pos(Pos::new(HPos::Center, VPos::Top));
    for i in 0..10 {
        let (x, y) = chart.backend_coord(&(f64::from(i) + 0.5, 0.0));
        let pos = (x - base_x, y - base_y + m.px(9.0));
        area.draw_text(&format!("D{}", i + 1), &decile_style, pos)?;
    }

    let has_data = deciles.iter().any(|r| r.customers > 0);
    // (slot index, share, cumulative share), ordered by decile.
    let mut points: Vec<(f64, f64, f64)> = Vec::new();
    if has_data {
        let mut rows: Vec<_> = deciles
            .iter()
            .filter(|r| (1..=10).contains(&r.decile))
            .collect();
        rows.sort_by_key(|r| r.decile);
        rows.dedup_by_key(|r| r.decile);
        points = rows
            .iter()
            .map(|r| {
                (
                    f64::from(r.decile - 1),
                    fraction(r.share),
                    fraction(r.cumulative_share),
                )
            })
            .collect();
    }

    let side = (1.0 - BAR_WIDTH) / 2.0;
    chart.draw_series(points.iter().filter(|p| p.1 > 0.0).map(|&(i, share, _)| {
        Rectangle::new(
            [(i + side, 0.0), (i + 1.0 - side, share)],
            SHARE_COLOR.filled(),
        )
    }))?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, 0.0), (10.0, 0.0)],
        BASELINE_COLOR.stroke_width(1),
    )))?;
    if !has_data {
        return Ok(None);
    }

    let line_width = m.px(2.0) as u32;
    let marker = m.px(4.0) as u32;
    let line: Vec<(f64, f64)> = points.iter().map(|&(i, _, c)| (i + 0.5, c)).collect();
    chart.draw_series(std::iter::once(PathElement::new(
        line.clone(),
        CUMULATIVE_COLOR.stroke_width(line_width),
    )))?;
    chart.draw_series(line.iter().map(|&p| Circle::new(p, marker, WHITE.filled())))?;
    chart.draw_series(
        line.iter()
            .map(|&p| Circle::new(p, marker, CUMULATIVE_COLOR.stroke_width(line_width))),
    )?;

    // Legend, inside the plot on the right at about 40 % height. With the
    // engine's ordering (D1 spends most) that spot is always free: from D7
    // on, no bar exceeds 1/7 ≈ 14 % and the cumulative line is above 60 %.
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let plot = (
        xs.start - base_x,
        ys.start - base_y,
        xs.end - base_x,
        ys.end - base_y,
    );
    draw_legend(area, plot, m, text, &label_style)?;
    Ok(Some(PlotX {
        left: plot.0,
        right: plot.2,
        n: 10,
    }))
}

/// Draws the two-entry legend inside `plot` (x0, y0, x1, y1 in the area's
/// pixels), right-aligned.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    plot: (i32, i32, i32, i32),
    m: Metrics,
    text: &DecileChartText,
    label_style: &TextStyle,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (x0, y0, x1, y1) = plot;
    let font = m.font(13.0);
    let pad = m.px(10.0);
    let row = m.px(22.0);
    let sample = m.px(24.0);
    let gap = m.px(8.0);
    let text_w = approx_text_width(text.share_label, font)
        .max(approx_text_width(text.cumulative_label, font));
    let width = pad + sample + gap + text_w + pad + m.px(2.0);
    let height = pad + 2 * row + pad - m.px(6.0);
    let right = x1 - m.px(14.0);
    let left = (right - width).max(x0 + m.px(14.0));
    let centre_y = y1 - ((y1 - y0) as f64 * 0.40).round() as i32;
    let top = centre_y - height / 2;

    area.draw(&Rectangle::new(
        [(left, top), (right, top + height)],
        WHITE.mix(0.92).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(left, top), (right, top + height)],
        GRID_COLOR.stroke_width(1),
    ))?;

    let entry_style = label_style.pos(Pos::new(HPos::Left, VPos::Center));
    let sample_x = left + pad;
    let text_x = sample_x + sample + gap;

    // Bars: a small filled block.
    let cy = top + pad + row / 2 - m.px(3.0);
    let half = m.px(6.0);
    area.draw(&Rectangle::new(
        [
            (sample_x + m.px(3.0), cy - half),
            (sample_x + sample - m.px(3.0), cy + half),
        ],
        SHARE_COLOR.filled(),
    ))?;
    area.draw_text(text.share_label, &entry_style, (text_x, cy))?;

    // Line: a short stroke with a marker.
    let cy = cy + row;
    let line_width = m.px(2.0) as u32;
    area.draw(&PathElement::new(
        vec![(sample_x, cy), (sample_x + sample, cy)],
        CUMULATIVE_COLOR.stroke_width(line_width),
    ))?;
    let centre = (sample_x + sample / 2, cy);
    let marker = m.px(4.0) as u32;
    area.draw(&Circle::new(centre, marker, WHITE.filled()))?;
    area.draw(&Circle::new(
        centre,
        marker,
        CUMULATIVE_COLOR.stroke_width(line_width),
    ))?;
    area.draw_text(text.cumulative_label, &entry_style, (text_x, cy))?;
    Ok(())
}
