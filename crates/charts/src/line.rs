//! A generic line chart: one or more series over categorical x labels.

use ltv_engine::money::fixed;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::{
    approx_text_width, percent_label, Metrics, BASELINE_COLOR, CUMULATIVE_COLOR, FONT_FAMILY,
    GRID_COLOR, MIN_SIZE, SHARE_COLOR, TEXT_COLOR,
};

/// The calm colours of [`Series::color`], in order: blue ([`SHARE_COLOR`]),
/// orange ([`CUMULATIVE_COLOR`]), green, red, teal, purple, brown, grey.
pub const PALETTE: [RGBColor; 8] = [
    SHARE_COLOR,
    CUMULATIVE_COLOR,
    RGBColor(0x54, 0xA2, 0x4B),
    RGBColor(0xE4, 0x57, 0x56),
    RGBColor(0x72, 0xB7, 0xB2),
    RGBColor(0xB2, 0x79, 0xA2),
    RGBColor(0x9D, 0x75, 0x5D),
    RGBColor(0x79, 0x70, 0x6E),
];

/// The colour of a [`Reference`] line and its label's text (a dark grey).
pub const REFERENCE_COLOR: RGBColor = RGBColor(0x6B, 0x72, 0x80);

/// With more series than this, [`draw_lines`] ignores [`Series::color`] and
/// shades the series from light (first) to dark (last) blue with
/// [`sequential_color`], and the legend shows only the first and the last
/// series with an ellipsis between them.
pub const MAX_LEGEND_SERIES: usize = 8;

/// At most this many x labels are drawn; the others are thinned out.
const MAX_X_LABELS: usize = 12;

/// Values are clamped to ±this before drawing, so that tick arithmetic
/// never overflows.
const VALUE_LIMIT: f64 = 1e15;

/// Ends of the sequential ramp used for many series.
const RAMP_LIGHT: (f64, f64, f64) = (160.0, 192.0, 224.0);
const RAMP_DARK: (f64, f64, f64) = (24.0, 60.0, 110.0);

/// How the y values of a [`LineChart`] are meant and formatted.
///
/// Tick labels show as many decimals as the tick step needs (a step of
/// 2,000 gives `"¥12,000"`, a step of 0.5 `"1.5"`); [`YFormat::format_value`]
/// formats a single value with the decimals given here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YFormat<'a> {
    /// Fractions of 1 shown as percentages: `0.4` → `"40%"`.
    Percent,
    /// Plain numbers with thousands separators: `12000` → `"12,000"`.
    Number {
        /// Decimals of [`YFormat::format_value`] (at most 6 are used).
        decimals: u8,
    },
    /// Amounts of money: `symbol` before, `suffix` after the number, with
    /// thousands separators: `"¥12,000"`, `"$1,250.50"`, `"1,200 CHF"`.
    Money {
        /// Put before the number, e.g. `"¥"`, `"$"` or `""`.
        symbol: &'a str,
        /// Put after the number, e.g. `""` or `" CHF"`.
        suffix: &'a str,
        /// Decimals of [`YFormat::format_value`] (at most 6 are used), e.g.
        /// 0 for yen, 2 for dollars.
        decimals: u8,
    },
    /// A number of months (the unit belongs in the axis description):
    /// `6` → `"6"`.
    Months,
}

impl YFormat<'_> {
    /// Formats one value for display next to the chart (tables, tooltips):
    /// percent with one decimal (`"45.7%"`, like [`percent_label`]), numbers
    /// and money with the configured decimals and thousands separators
    /// (`"-¥1,200"`), months with one decimal (`"3.5"`). Never prints a
    /// negative zero; a non-finite value gives `"-"`.
    pub fn format_value(&self, v: f64) -> String {
        match *self {
            YFormat::Percent => percent_label(v),
            YFormat::Number { decimals } => self.format_with(v, usize::from(decimals.min(6))),
            YFormat::Money { decimals, .. } => self.format_with(v, usize::from(decimals.min(6))),
            YFormat::Months => self.format_with(v, 1),
        }
    }

    /// A tick label for `v` on an axis whose ticks are `step` apart.
    fn tick_label(&self, v: f64, step: f64) -> String {
        let step = match self {
            YFormat::Percent => step * 100.0,
            _ => step,
        };
        self.format_with(v, step_decimals(step))
    }

    /// Formats `v` with `decimals` decimals (percent: decimals of the
    /// percentage).
    fn format_with(&self, v: f64, decimals: usize) -> String {
        if !v.is_finite() {
            return "-".to_string();
        }
        match *self {
            YFormat::Percent => {
                let (neg, digits) = fixed(v * 100.0, decimals, false);
                format!("{}{digits}%", if neg { "-" } else { "" })
            }
            YFormat::Number { .. } => {
                let (neg, digits) = fixed(v, decimals, true);
                format!("{}{digits}", if neg { "-" } else { "" })
            }
            YFormat::Money { symbol, suffix, .. } => {
                let (neg, digits) = fixed(v, decimals, true);
                format!("{}{symbol}{digits}{suffix}", if neg { "-" } else { "" })
            }
            YFormat::Months => {
                let (neg, digits) = fixed(v, decimals, false);
                format!("{}{digits}", if neg { "-" } else { "" })
            }
        }
    }

    /// The smallest tick step worth showing.
    fn min_step(&self) -> f64 {
        match *self {
            YFormat::Percent => 0.001,
            YFormat::Number { decimals } | YFormat::Money { decimals, .. } => {
                10f64.powi(-i32::from(decimals.min(6)))
            }
            YFormat::Months => 0.1,
        }
    }

    /// The y range of a chart without data.
    fn default_range(&self) -> (f64, f64) {
        match self {
            YFormat::Percent => (0.0, 1.0),
            _ => (0.0, 10.0),
        }
    }
}

/// Decimals needed to tell ticks `step` apart (step = 1, 2 or 5 × 10^k).
fn step_decimals(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    let d = (-step.log10() - 1e-9).ceil();
    if d <= 0.0 {
        0
    } else {
        (d as usize).min(6)
    }
}

/// How a series' line is stroked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStyle {
    /// A continuous line (actual values).
    Solid,
    /// A dashed line (targets, forecasts).
    Dashed,
}

/// One line of a [`LineChart`].
#[derive(Clone, Copy, Debug)]
pub struct Series<'a> {
    /// Legend entry, e.g. a cohort "2024-01" or "Actual" / "実績".
    pub label: &'a str,
    /// One value per x label; `None` (or a non-finite value) leaves a gap
    /// in the line. Values past the last x label are ignored.
    pub values: &'a [Option<f64>],
    /// Solid or dashed.
    pub style: LineStyle,
    /// Index into [`PALETTE`] (taken modulo its length): 0 is
    /// [`SHARE_COLOR`] blue, 1 [`CUMULATIVE_COLOR`] orange. Ignored with
    /// more than [`MAX_LEGEND_SERIES`] series.
    pub color: usize,
    /// Whether each point gets a round marker.
    pub markers: bool,
}

/// A labelled horizontal reference line, e.g. a 60 % target share.
#[derive(Clone, Copy, Debug)]
pub struct Reference<'a> {
    /// The y value of the line, in the chart's unit (a fraction for
    /// [`YFormat::Percent`]). A non-finite value draws no line.
    pub value: f64,
    /// Text drawn at the right end of the line, e.g. "Target 60%".
    pub label: &'a str,
}

/// Everything [`draw_lines`] draws.
#[derive(Clone, Copy, Debug)]
pub struct LineChart<'a> {
    /// The categories along the x axis, left to right, e.g. months
    /// "2024-01" or months since the first order "0".."23". At most about
    /// 12 are shown (always the first and the last).
    pub x_labels: &'a [String],
    /// The lines, drawn in order (later ones on top).
    pub series: &'a [Series<'a>],
    /// Meaning and formatting of the y values.
    pub y: YFormat<'a>,
    /// Description of the y axis (drawn rotated along it); may be empty.
    pub y_axis: &'a str,
    /// Description of the x axis (drawn under the labels); may be empty.
    pub x_axis: &'a str,
    /// An optional horizontal reference line.
    pub reference: Option<Reference<'a>>,
    /// Whether the y axis starts at 0 even if all values are far above it.
    /// Negative values always extend the axis below 0, with a 0 line.
    pub y_min_zero: bool,
}

/// The colour of a series with palette index `index` (modulo the palette).
pub fn series_color(index: usize) -> RGBColor {
    PALETTE
        .get(index % PALETTE.len())
        .copied()
        .unwrap_or(SHARE_COLOR)
}

/// The colour of series `i` of `n` on the light-to-dark blue ramp used when
/// a chart has more than [`MAX_LEGEND_SERIES`] series: the first series is
/// the lightest, the last the darkest.
pub fn sequential_color(i: usize, n: usize) -> RGBColor {
    let t = if n <= 1 {
        1.0
    } else {
        (i.min(n - 1) as f64) / ((n - 1) as f64)
    };
    let mix = |a: f64, b: f64| (a + (b - a) * t).round().clamp(0.0, 255.0) as u8;
    RGBColor(
        mix(RAMP_LIGHT.0, RAMP_DARK.0),
        mix(RAMP_LIGHT.1, RAMP_DARK.1),
        mix(RAMP_LIGHT.2, RAMP_DARK.2),
    )
}

/// Evenly spaced "nice" y ticks covering the data.
#[derive(Clone, Debug)]
struct Ticks {
    lo: f64,
    hi: f64,
    step: f64,
    values: Vec<f64>,
}

/// Ticks 1, 2 or 5 × 10^k apart covering `lo..=hi` (lo < hi, finite) with
/// at most `max_intervals` intervals, the step at least `min_step`.
fn nice_ticks(lo: f64, hi: f64, max_intervals: usize, min_step: f64) -> Ticks {
    let max_i = max_intervals.max(1) as f64;
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let raw = (span / max_i).max(min_step);
    let mut exp = raw.log10().floor();
    if !exp.is_finite() {
        exp = 0.0;
    }
    for e in 0..4 {
        let base = 10f64.powf(exp + f64::from(e));
        for mult in [1.0, 2.0, 5.0] {
            let step = mult * base;
            if step < min_step * (1.0 - 1e-9) || !step.is_finite() || step <= 0.0 {
                continue;
            }
            let k_lo = (lo / step + 1e-7).floor();
            let k_hi = (hi / step - 1e-7).ceil();
            let intervals = k_hi - k_lo;
            if intervals >= 1.0 && intervals <= max_i {
                let values = (0..=intervals as usize)
                    .map(|i| (k_lo + i as f64) * step)
                    .collect();
                return Ticks {
                    lo: k_lo * step,
                    hi: k_hi * step,
                    step,
                    values,
                };
            }
        }
    }
    // Not reached for sane input; fall back to the bare range.
    Ticks {
        lo,
        hi,
        step: span,
        values: vec![lo, hi],
    }
}

/// The y range to cover before rounding to ticks: the data, the reference,
/// and 0 where asked for or when values are negative.
fn value_range(values: impl Iterator<Item = f64>, y: &YFormat, y_min_zero: bool) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !(lo.is_finite() && hi.is_finite()) {
        return y.default_range();
    }
    if lo < 0.0 {
        hi = hi.max(0.0);
    }
    if y_min_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if hi - lo <= 0.0 {
        if lo == 0.0 {
            return y.default_range();
        }
        let pad = (lo.abs() * 0.1).max(y.min_step());
        lo -= pad;
        hi += pad;
        if y_min_zero && lo < 0.0 && hi > 0.0 && (hi - pad) > 0.0 {
            lo = 0.0;
        }
    }
    (lo, hi)
}

/// A legend entry: a label and, unless it is the "…" between the first and
/// the last of many series, a line sample.
struct Entry<'a> {
    label: &'a str,
    sample: Option<(RGBColor, LineStyle, bool)>,
}

/// Fixed sizes of the layout, in pixels.
struct Layout {
    margin_top: i32,
    margin_right: i32,
    margin_bottom: i32,
    margin_left: i32,
    x_label_area: i32,
    desc_band: i32,
    legend_row: i32,
    sample: i32,
    sample_gap: i32,
    entry_gap: i32,
}

impl Layout {
    fn new(m: Metrics, font: f64) -> Layout {
        Layout {
            margin_top: m.px(14.0),
            margin_right: m.px(18.0),
            margin_bottom: m.px(4.0),
            margin_left: m.px(6.0),
            x_label_area: m.px(48.0),
            desc_band: (font * 1.3).ceil() as i32 + m.px(4.0),
            legend_row: m.px(22.0),
            sample: m.px(24.0),
            sample_gap: m.px(6.0),
            entry_gap: m.px(18.0),
        }
    }

    /// Legend rows and the position (left, row) of each entry, wrapping
    /// within `left..right`.
    fn legend(&self, entries: &[Entry], font: f64, left: i32, right: i32) -> Vec<(i32, usize)> {
        let mut out = Vec::with_capacity(entries.len());
        let mut x = left;
        let mut row = 0;
        for e in entries {
            let w = self.entry_width(e, font);
            if x > left && x + w > right {
                row += 1;
                x = left;
            }
            out.push((x, row));
            x += w + self.entry_gap;
        }
        out
    }

    fn entry_width(&self, e: &Entry, font: f64) -> i32 {
        let sample = if e.sample.is_some() {
            self.sample + self.sample_gap
        } else {
            0
        };
        sample + approx_text_width(e.label, font)
    }

    /// The top margin with `rows` legend rows above the plot.
    fn top(&self, rows: usize, m: Metrics) -> i32 {
        if rows == 0 {
            self.margin_top
        } else {
            m.px(8.0) + self.legend_row * rows as i32 + m.px(8.0)
        }
    }
}

/// Draws `chart` on `area`: a line per series over the x labels, nice y
/// ticks formatted per [`YFormat`] with light grid lines, a 0 line when 0
/// is in range, an optional dashed [`Reference`] line with its label, and a
/// legend above the plot.
///
/// - Values are drawn at the centres of their x label's slot; `None` and
///   non-finite values leave gaps, a lone value between gaps is a dot.
/// - The y axis covers the data and the reference (and 0 with
///   [`LineChart::y_min_zero`] or negative values), rounded out to ticks
///   1, 2 or 5 × 10^k apart.
/// - x labels are thinned to at most 12 (and to what fits), always keeping
///   the first and the last.
/// - With more than [`MAX_LEGEND_SERIES`] series (e.g. 36 cohorts) the
///   lines are thinner and shaded light (first) to dark (last), and the
///   legend shows only the first and the last with "…" between.
/// - With no series, no x labels or no finite value only the axes are drawn
///   (no legend, no reference line).
///
/// ```
/// use ltv_charts::{draw_lines, LineChart, LineStyle, Reference, Series, YFormat};
/// use plotters::prelude::*;
///
/// let months: Vec<String> = ["2024-01", "2024-02", "2024-03"].map(String::from).to_vec();
/// let share = [Some(0.52), None, Some(0.64)];
/// let series = [Series {
///     label: "Returning share",
///     values: &share,
///     style: LineStyle::Solid,
///     color: 0,
///     markers: true,
/// }];
/// let chart = LineChart {
///     x_labels: &months,
///     series: &series,
///     y: YFormat::Percent,
///     y_axis: "Share of customers",
///     x_axis: "Month",
///     reference: Some(Reference { value: 0.6, label: "Target 60%" }),
///     y_min_zero: true,
/// };
/// let mut svg = String::new();
/// {
///     let area = SVGBackend::with_string(&mut svg, (720, 360)).into_drawing_area();
///     draw_lines(&area, &chart).unwrap(); // ok-panic: doc example
///     area.present().unwrap(); // ok-panic: doc example
/// }
/// assert!(svg.contains("60%") && svg.contains("Target 60%"));
/// ```
///
/// The area is filled white first. As with [`crate::draw_deciles`],
/// plotters never measures text, nothing here panics, and an area under
/// 160×100 pixels only gets its background. Errors come from the backend.
pub fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    draw_lines_plot(area, chart, None).map(|_| ())
}

/// Where [`draw_lines_plot`] put the x labels: the plot's left and right
/// edge in the area's pixels; label `i` of `n` is centred on
/// `left + (i + 0.5) × (right − left) / n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlotX {
    /// The plot's left edge, pixels from the area's left.
    pub left: i32,
    /// The plot's right edge, pixels from the area's left.
    pub right: i32,
    /// The number of x labels (slots).
    pub n: usize,
}

impl PlotX {
    /// The x label under pixel `x` of the area, if `x` is over the plot.
    pub fn index_at(&self, x: f64) -> Option<usize> {
        let (l, r) = (f64::from(self.left), f64::from(self.right));
        if self.n == 0 || r <= l || x < l || x > r {
            return None;
        }
        let i = ((x - l) / (r - l) * self.n as f64).floor() as usize;
        Some(i.min(self.n - 1))
    }
}

/// [`draw_lines`] with text and lines `scale` times their design size
/// (`None`: fitted to the area), telling where the x labels went (`None`
/// when nothing was plotted: an area too small or no data).
pub fn draw_lines_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    scale: Option<f64>,
) -> Result<Option<PlotX>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let size = area.dim_in_pixel();
    if size.0 < MIN_SIZE.0 || size.1 < MIN_SIZE.1 {
        return Ok(None);
    }
    let (width, height) = (size.0 as i32, size.1 as i32);
    let m = Metrics::of(size, scale);
    let font = m.font(13.0);
    let label_style = (FONT_FAMILY, font).into_font().color(&TEXT_COLOR);
    let lay = Layout::new(m, font);

    // The drawable values: one per x label, finite and clamped, or None.
    let n = chart.x_labels.len();
    let data: Vec<Vec<Option<f64>>> = chart
        .series
        .iter()
        .map(|s| {
            (0..n)
                .map(|i| {
                    s.values
                        .get(i)
                        .copied()
                        .flatten()
                        .filter(|v| v.is_finite())
                        .map(|v| v.clamp(-VALUE_LIMIT, VALUE_LIMIT))
                })
                .collect()
        })
        .collect();
    let has_data = data.iter().flatten().any(Option::is_some);
    let reference = chart
        .reference
        .filter(|r| has_data && r.value.is_finite())
        .map(|r| Reference {
            value: r.value.clamp(-VALUE_LIMIT, VALUE_LIMIT),
            ..r
        });

    let (lo, hi) = value_range(
        data.iter()
            .flatten()
            .flatten()
            .copied()
            .chain(reference.map(|r| r.value)),
        &chart.y,
        chart.y_min_zero,
    );

    // Colours and legend.
    let many = chart.series.len() > MAX_LEGEND_SERIES;
    let count = chart.series.len();
    let color_of = |i: usize, s: &Series| {
        if many {
            sequential_color(i, count)
        } else {
            series_color(s.color)
        }
    };
    let mut entries: Vec<Entry> = Vec::new();
    if has_data {
        if many {
            if let (Some(first), Some(last)) = (chart.series.first(), chart.series.last()) {
                entries.push(Entry {
                    label: first.label,
                    sample: Some((color_of(0, first), first.style, false)),
                });
                entries.push(Entry {
                    label: "…",
                    sample: None,
                });
                entries.push(Entry {
                    label: last.label,
                    sample: Some((color_of(count - 1, last), last.style, false)),
                });
            }
        } else {
            for (i, s) in chart.series.iter().enumerate() {
                entries.push(Entry {
                    label: s.label,
                    sample: Some((color_of(i, s), s.style, s.markers)),
                });
            }
        }
    }

    // Layout: ticks depend on the plot height (legend rows), the plot's left
    // edge on the tick labels' width, the legend rows on that edge.
    // Room on the right for half the last x label, centred on the last
    // slot (a narrow canvas would cut it).
    let margin_right = lay.margin_right.max(
        chart
            .x_labels
            .last()
            .map_or(0, |l| approx_text_width(l, font) / 2 + 2),
    );
    let plot_right = width - margin_right;
    let mut rows = usize::from(!entries.is_empty());
    let mut ticks = nice_ticks(lo, hi, 5, chart.y.min_step());
    let mut y_label_area = 0;
    let mut legend_pos = Vec::new();
    for _ in 0..3 {
        let top = lay.top(rows, m);
        let plot_h = height - top - lay.margin_bottom - lay.x_label_area;
        let max_intervals = ((f64::from(plot_h) / (36.0 * m.scale)).floor() as usize).clamp(2, 10);
        ticks = nice_ticks(lo, hi, max_intervals, chart.y.min_step());
        let label_w = ticks
            .values
            .iter()
            .map(|&t| approx_text_width(&chart.y.tick_label(t, ticks.step), font))
            .max()
            .unwrap_or(0);
        // Long tick labels never take more than 40 % of the width.
        y_label_area = (lay.desc_band + label_w + m.px(12.0)).min(width * 2 / 5);
        let plot_left = lay.margin_left + y_label_area;
        legend_pos = lay.legend(&entries, font, plot_left, plot_right);
        // The legend takes at most a quarter of the height; entries that
        // wrap further are left out.
        let max_rows = ((height / 4 - m.px(16.0)) / lay.legend_row).max(1) as usize;
        legend_pos.retain(|&(_, row)| row < max_rows);
        let new_rows = legend_pos.last().map_or(0, |&(_, r)| r + 1);
        if new_rows == rows {
            break;
        }
        rows = new_rows;
    }
    let top = lay.top(rows, m);

    let x_max = n.max(1) as f64;
    let mut cc = ChartBuilder::on(area)
        .margin_top(top)
        .margin_right(margin_right)
        .margin_bottom(lay.margin_bottom)
        .margin_left(lay.margin_left)
        .x_label_area_size(lay.x_label_area)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(0f64..x_max, ticks.lo..ticks.hi)?;

    {
        let mut mesh = cc.configure_mesh();
        mesh.disable_x_mesh()
            .disable_y_mesh()
            .x_labels(0)
            .y_labels(0)
            .axis_style(GRID_COLOR.stroke_width(1))
            .set_all_tick_mark_size(0)
            .label_style(label_style.clone())
            .axis_desc_style(label_style.clone());
        if !chart.x_axis.is_empty() {
            mesh.x_desc(chart.x_axis);
        }
        if !chart.y_axis.is_empty() {
            mesh.y_desc(chart.y_axis);
        }
        mesh.draw()?;
    }

    let (base_x, base_y) = area.get_base_pixel();
    let (xs, ys) = cc.plotting_area().get_pixel_range();
    let (plot_x0, plot_y0, plot_x1, plot_y1) = (
        xs.start - base_x,
        ys.start - base_y,
        xs.end - base_x,
        ys.end - base_y,
    );
    let to_area = |x: f64, y: f64| {
        let (px, py) = cc.backend_coord(&(x, y));
        (px - base_x, py - base_y)
    };

    // Grid lines and y tick labels.
    let tick_style = label_style.pos(Pos::new(HPos::Right, VPos::Center));
    for &t in &ticks.values {
        let (_, y) = to_area(0.0, t);
        if t.abs() > ticks.step * 1e-6 {
            area.draw(&PathElement::new(
                vec![(plot_x0, y), (plot_x1, y)],
                GRID_COLOR.stroke_width(1),
            ))?;
        }
        area.draw_text(
            &chart.y.tick_label(t, ticks.step),
            &tick_style,
            (plot_x0 - m.px(8.0), y),
        )?;
    }
    if ticks.lo <= 0.0 && 0.0 <= ticks.hi {
        let (_, y) = to_area(0.0, 0.0);
        area.draw(&PathElement::new(
            vec![(plot_x0, y), (plot_x1, y)],
            BASELINE_COLOR.stroke_width(1),
        ))?;
    }

    // x labels, thinned, with small tick marks.
    let x_style = label_style.pos(Pos::new(HPos::Center, VPos::Top));
    for i in x_label_indices(chart.x_labels, font, plot_x1 - plot_x0, m) {
        if let Some(label) = chart.x_labels.get(i) {
            let (x, _) = to_area(i as f64 + 0.5, ticks.lo);
            area.draw(&PathElement::new(
                vec![(x, plot_y1), (x, plot_y1 + m.px(4.0))],
                BASELINE_COLOR.stroke_width(1),
            ))?;
            area.draw_text(label, &x_style, (x, plot_y1 + m.px(9.0)))?;
        }
    }

    if !has_data {
        return Ok(None);
    }

    // The reference line, under the series.
    if let Some(r) = reference {
        let (_, y) = to_area(0.0, r.value);
        area.draw(&DashedPathElement::new(
            vec![(plot_x0, y), (plot_x1, y)],
            m.px(6.0),
            m.px(4.0),
            REFERENCE_COLOR.stroke_width(m.px(1.25) as u32),
        ))?;
    }

    // The series.
    let line_width = if many { m.px(1.25) } else { m.px(2.0) } as u32;
    let marker = if many { m.px(2.5) } else { m.px(4.0) } as u32;
    for (si, (s, values)) in chart.series.iter().zip(&data).enumerate() {
        let color = color_of(si, s);
        let style = color.stroke_width(line_width);
        let points: Vec<Option<(i32, i32)>> = values
            .iter()
            .enumerate()
            .map(|(i, v)| v.map(|v| to_area(i as f64 + 0.5, v)))
            .collect();
        for run in points.split(Option::is_none) {
            let run: Vec<(i32, i32)> = run.iter().flatten().copied().collect();
            match (run.len(), s.style) {
                (0, _) => {}
                (1, _) => {
                    if !s.markers {
                        if let Some(&p) = run.first() {
                            area.draw(&Circle::new(p, line_width + 1, color.filled()))?;
                        }
                    }
                }
                (_, LineStyle::Solid) => area.draw(&PathElement::new(run, style))?,
                (_, LineStyle::Dashed) => {
                    area.draw(&DashedPathElement::new(run, m.px(7.0), m.px(5.0), style))?
                }
            }
        }
        if s.markers {
            for &p in points.iter().flatten() {
                area.draw(&Circle::new(p, marker, WHITE.filled()))?;
                area.draw(&Circle::new(p, marker, style))?;
            }
        }
    }

    // The reference label, over the series on a light backing.
    if let Some(r) = reference.filter(|r| !r.label.is_empty()) {
        let (_, y) = to_area(0.0, r.value);
        let pad = m.px(4.0);
        let text_h = (font * 1.2).ceil() as i32;
        let right = plot_x1 - m.px(6.0);
        let w = approx_text_width(r.label, font);
        let (anchor, text_y, box_top) = if y - plot_y0 > text_h + 2 * pad {
            (VPos::Bottom, y - pad, y - pad - text_h)
        } else {
            (VPos::Top, y + pad, y + pad)
        };
        area.draw(&Rectangle::new(
            [
                (right - w - pad, box_top),
                (right + pad / 2, box_top + text_h),
            ],
            WHITE.mix(0.85).filled(),
        ))?;
        let style = label_style
            .color(&REFERENCE_COLOR)
            .pos(Pos::new(HPos::Right, anchor));
        area.draw_text(r.label, &style, (right, text_y))?;
    }

    // The legend, above the plot.
    let entry_style = label_style.pos(Pos::new(HPos::Left, VPos::Center));
    for (e, &(x, row)) in entries.iter().zip(&legend_pos) {
        let cy = m.px(8.0) + lay.legend_row * row as i32 + lay.legend_row / 2;
        let mut text_x = x;
        if let Some((color, style, markers)) = e.sample {
            let stroke = color.stroke_width(line_width.max(m.px(2.0) as u32));
            let ends = vec![(x, cy), (x + lay.sample, cy)];
            match style {
                LineStyle::Solid => area.draw(&PathElement::new(ends, stroke))?,
                LineStyle::Dashed => {
                    area.draw(&DashedPathElement::new(ends, m.px(5.0), m.px(4.0), stroke))?
                }
            }
            if markers {
                let centre = (x + lay.sample / 2, cy);
                area.draw(&Circle::new(centre, marker, WHITE.filled()))?;
                area.draw(&Circle::new(centre, marker, stroke))?;
            }
            text_x = x + lay.sample + lay.sample_gap;
        }
        area.draw_text(e.label, &entry_style, (text_x, cy))?;
    }
    Ok(Some(PlotX {
        left: plot_x0,
        right: plot_x1,
        n,
    }))
}

/// Which x labels to draw: every k-th from the first, at most
/// [`MAX_X_LABELS`], spaced so that their estimated widths do not touch,
/// always with the last one (dropping the one before it if too close).
fn x_label_indices(labels: &[String], font: f64, plot_w: i32, m: Metrics) -> Vec<usize> {
    let n = labels.len();
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![0];
    }
    let slot = f64::from(plot_w.max(1)) / n as f64;
    let widest = labels
        .iter()
        .map(|l| approx_text_width(l, font))
        .max()
        .unwrap_or(0);
    let need = f64::from(widest + m.px(12.0));
    let by_width = (need / slot).ceil().max(1.0) as usize;
    let by_count = (n - 1).div_ceil(MAX_X_LABELS - 1);
    let k = by_width.max(by_count).max(1);
    let last = n - 1;
    let mut out: Vec<usize> = (0..last).step_by(k).collect();
    if let Some(&prev) = out.last() {
        if prev > 0 && ((last - prev) as f64) * slot < need {
            out.pop();
        }
    }
    out.push(last);
    out
}
