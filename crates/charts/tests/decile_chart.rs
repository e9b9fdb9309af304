//! The decile chart drawn to SVG strings and checked by parsing the SVG.

mod common;

use chrono::NaiveDate;
use common::{elements, hex, svg_drawn_without_fonts, text_element, Element};
use ltv_charts::{
    approx_text_width, draw_deciles, percent_label, DecileChartText, CUMULATIVE_COLOR, SHARE_COLOR,
};
use ltv_engine::decile::{DecileRow, DecileTable, Window};
use ltv_engine::money::Money;
use plotters::prelude::*;

const EN: DecileChartText<'static> = DecileChartText {
    share_label: "Revenue share",
    cumulative_label: "Cumulative share",
    y_axis: "Share of revenue",
    x_axis: "Decile (D1 = top 10% of customers)",
};

const JA: DecileChartText<'static> = DecileChartText {
    share_label: "売上構成比",
    cumulative_label: "累積構成比",
    y_axis: "売上に占める割合",
    x_axis: "デシル（D1 = 購入金額上位10%）",
};

/// Revenue shares of a typical shop: the top decile brings 40 %.
const SHARES: [f64; 10] = [0.40, 0.20, 0.12, 0.08, 0.06, 0.05, 0.04, 0.025, 0.015, 0.01];

fn window() -> Window {
    let to = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    let from = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    Window { from, to }
}

/// A table with the given shares, `per_decile[i]` customers in decile i+1,
/// and cumulative shares summed from the shares (the last one set to 1.0
/// exactly when there is revenue, as the engine computes it from integers).
fn table(shares: &[f64; 10], per_decile: &[u64; 10]) -> DecileTable {
    let total: i64 = 1_000_000;
    let mut cumulative = 0.0;
    let rows: Vec<DecileRow> = (0..10)
        .map(|i| {
            cumulative += shares[i];
            let revenue = (shares[i] * total as f64).round() as i64;
            let customers = per_decile[i];
            DecileRow {
                decile: i as u8 + 1,
                customers,
                revenue: Money::from_minor(revenue, 0),
                share: shares[i],
                cumulative_share: if i == 9 { 1.0 } else { cumulative },
                avg_spend: Money::from_minor_f64(
                    if customers == 0 {
                        0.0
                    } else {
                        revenue as f64 / customers as f64
                    },
                    0,
                ),
                min_spend: Money::from_minor(0, 0),
                max_spend: Money::from_minor(revenue, 0),
                orders_per_customer: if customers == 0 { 0.0 } else { 2.0 },
            }
        })
        .collect();
    DecileTable {
        window: window(),
        customers: per_decile.iter().sum(),
        revenue: Money::from_minor(rows.iter().map(|r| r.revenue.minor() as i64).sum(), 0),
        rows,
    }
}

fn typical() -> DecileTable {
    table(&SHARES, &[12; 10])
}

fn empty() -> DecileTable {
    DecileTable {
        window: window(),
        customers: 0,
        revenue: Money::from_minor(0, 0),
        rows: table(&[0.0; 10], &[0; 10]).rows,
    }
}

fn render(table: &DecileTable, text: &DecileChartText, size: (u32, u32)) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_deciles(&area, &table.rows, text).expect("chart draws");
        area.present().expect("svg presents");
    }
    svg
}

/// The y pixels of 0 % and 100 %, from the y axis labels (drawn centred on
/// their tick).
fn y_axis(texts: &[Element]) -> (f64, f64) {
    (
        text_element(texts, "0%").num("y"),
        text_element(texts, "100%").num("y"),
    )
}

/// The bars: rects in the share colour standing on the 0 % line (the
/// legend's sample block floats), left to right.
fn bars(svg: &str, y0: f64) -> Vec<Element> {
    let mut bars: Vec<Element> = elements(svg, "rect")
        .into_iter()
        .filter(|r| r.attr("fill") == hex(SHARE_COLOR))
        .filter(|r| (r.num("y") + r.num("height") - y0).abs() <= 1.0)
        .collect();
    bars.sort_by(|a, b| a.num("x").total_cmp(&b.num("x")));
    bars
}

/// The cumulative line: polylines in the line colour with more than the
/// legend sample's two points.
fn cumulative_lines(svg: &str) -> Vec<Vec<(f64, f64)>> {
    elements(svg, "polyline")
        .into_iter()
        .filter(|p| p.attr("stroke") == hex(CUMULATIVE_COLOR))
        .map(|p| p.points())
        .filter(|pts| pts.len() > 2)
        .collect()
}

fn decile_label_xs(texts: &[Element]) -> Vec<f64> {
    (1..=10)
        .map(|d| text_element(texts, &format!("D{d}")).num("x"))
        .collect()
}

#[test]
fn bars_are_proportional_to_shares() {
    let svg = render(&typical(), &EN, (720, 360));
    let texts = elements(&svg, "text");
    let (y0, y100) = y_axis(&texts);
    assert!(
        y0 - y100 > 200.0,
        "plot is tall enough at 720x360: {y0} {y100}"
    );
    let bars = bars(&svg, y0);
    assert_eq!(bars.len(), 10, "one bar per decile");
    let axis = y0 - y100;
    for (bar, share) in bars.iter().zip(SHARES) {
        let h = bar.num("height");
        assert!(
            (h - share * axis).abs() <= 1.5,
            "bar height {h} for share {share} on an axis of {axis}px"
        );
    }
    // Ratios against D1, the tallest bar.
    let h1 = bars[0].num("height");
    for (bar, share) in bars.iter().zip(SHARES).skip(1) {
        let ratio = bar.num("height") / h1;
        assert!(
            (ratio - share / SHARES[0]).abs() < 0.01,
            "ratio {ratio} for {share}"
        );
    }
    // Each bar is centred over its decile label, bars do not touch.
    let xs = decile_label_xs(&texts);
    for (i, bar) in bars.iter().enumerate() {
        let centre = bar.num("x") + bar.num("width") / 2.0;
        assert!(
            (centre - xs[i]).abs() <= 1.5,
            "bar {i} centred at {centre}, label at {}",
            xs[i]
        );
        if i > 0 {
            let prev = &bars[i - 1];
            assert!(
                prev.num("x") + prev.num("width") < bar.num("x"),
                "a gap between bars"
            );
        }
    }
}

#[test]
fn cumulative_line_has_ten_points_and_reaches_the_top() {
    let svg = render(&typical(), &EN, (720, 360));
    let texts = elements(&svg, "text");
    let (y0, y100) = y_axis(&texts);
    let lines = cumulative_lines(&svg);
    assert_eq!(lines.len(), 1, "one cumulative line");
    let line = &lines[0];
    assert_eq!(line.len(), 10, "a point per decile: {line:?}");
    // Cumulative 1.0 sits on the 100 % tick, the first point on 40 %.
    assert!(
        (line[9].1 - y100).abs() <= 1.0,
        "last point {:?}, 100% at {y100}",
        line[9]
    );
    let expect_first = y0 - 0.40 * (y0 - y100);
    assert!(
        (line[0].1 - expect_first).abs() <= 1.5,
        "first point {:?}",
        line[0]
    );
    // It rises (smaller y) left to right, over the decile labels.
    let xs = decile_label_xs(&texts);
    for i in 0..10 {
        assert!(
            (line[i].0 - xs[i]).abs() <= 1.5,
            "point {i} at x {}",
            line[i].0
        );
        if i > 0 {
            assert!(line[i].1 < line[i - 1].1, "rises at {i}: {line:?}");
        }
    }
    // Markers: a white and an orange circle on every point (+1 in the legend).
    let rings: Vec<_> = elements(&svg, "circle")
        .into_iter()
        .filter(|c| c.attr("stroke") == hex(CUMULATIVE_COLOR))
        .collect();
    assert_eq!(rings.len(), 11, "10 markers and the legend's");
    for (x, y) in line {
        assert!(
            rings
                .iter()
                .any(|c| (c.num("cx") - x).abs() < 0.5 && (c.num("cy") - y).abs() < 0.5),
            "a marker at {x},{y}"
        );
    }
}

#[test]
fn axes_are_labelled_d1_to_d10_and_in_percent() {
    let svg = render(&typical(), &EN, (720, 360));
    let texts = elements(&svg, "text");
    let xs = decile_label_xs(&texts);
    assert!(
        xs.windows(2).all(|w| w[0] < w[1]),
        "D1..D10 left to right: {xs:?}"
    );
    assert!(!texts
        .iter()
        .any(|t| t.content == "D0" || t.content == "D11"));
    let ys: Vec<f64> = ["0%", "20%", "40%", "60%", "80%", "100%"]
        .iter()
        .map(|l| text_element(&texts, l).num("y"))
        .collect();
    assert!(
        ys.windows(2).all(|w| w[0] > w[1]),
        "percent labels go up: {ys:?}"
    );
    assert!(
        !svg.contains("0.2<") && !svg.contains("1.0<"),
        "no raw fractions as labels"
    );
    text_element(&texts, EN.x_axis);
    text_element(&texts, EN.y_axis);
}

#[test]
fn legend_texts_appear_in_english_and_in_japanese() {
    for text in [EN, JA] {
        let svg = render(&typical(), &text, (720, 360));
        let texts = elements(&svg, "text");
        for s in [
            text.share_label,
            text.cumulative_label,
            text.x_axis,
            text.y_axis,
        ] {
            text_element(&texts, s);
        }
        // The legend: the line's entry under the bars' entry, left-aligned,
        // inside the plot.
        let share = text_element(&texts, text.share_label);
        let cumulative = text_element(&texts, text.cumulative_label);
        assert_eq!(share.num("x"), cumulative.num("x"));
        assert!(share.num("y") < cumulative.num("y"));
        assert_eq!(share.attr("text-anchor"), "start");
        let (y0, y100) = y_axis(&texts);
        assert!(y100 < share.num("y") && cumulative.num("y") < y0);
    }
    let svg = render(&typical(), &JA, (720, 360));
    assert!(svg.contains("\n売上構成比\n</text>") && svg.contains("\n累積構成比\n</text>"));
}

#[test]
fn text_is_markup_safe() {
    let text = DecileChartText {
        share_label: "Share <&> \"q\"",
        ..EN
    };
    let svg = render(&typical(), &text, (720, 360));
    assert!(svg.contains("Share &lt;&amp;&gt; &quot;q&quot;"));
    assert!(!svg.contains("<&>"));
}

#[test]
fn empty_table_draws_the_axes_only() {
    for table in [
        empty(),
        DecileTable {
            rows: Vec::new(),
            ..empty()
        },
    ] {
        let svg = render(&table, &EN, (720, 360));
        let texts = elements(&svg, "text");
        let (y0, _) = y_axis(&texts);
        decile_label_xs(&texts);
        text_element(&texts, EN.x_axis);
        assert!(bars(&svg, y0).is_empty());
        assert!(!svg.contains(&hex(SHARE_COLOR)), "no bar, no legend block");
        assert!(!svg.contains(&hex(CUMULATIVE_COLOR)), "no line, no markers");
        assert!(
            !svg.contains(EN.share_label) && !svg.contains(EN.cumulative_label),
            "no legend"
        );
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
}

#[test]
fn empty_deciles_draw_as_zero_bars() {
    // Three customers: D1..D3 have one each, D4..D10 none.
    let shares = [0.5, 0.3, 0.2, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    let t = table(&shares, &[1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    let svg = render(&t, &EN, (720, 360));
    let texts = elements(&svg, "text");
    let (y0, y100) = y_axis(&texts);
    let bars = bars(&svg, y0);
    assert_eq!(bars.len(), 3);
    assert!(bars.iter().all(|b| b.num("height") > 1.0));
    let xs = decile_label_xs(&texts);
    for (bar, x) in bars.iter().zip(&xs) {
        assert!((bar.num("x") + bar.num("width") / 2.0 - x).abs() <= 1.5);
    }
    let line = &cumulative_lines(&svg)[0];
    assert_eq!(line.len(), 10);
    assert!(
        line[2..].iter().all(|p| (p.1 - y100).abs() <= 1.0),
        "flat at 100% from D3: {line:?}"
    );
}

#[test]
fn odd_values_and_sizes_do_not_panic() {
    let mut t = typical();
    t.rows[0].share = f64::NAN;
    t.rows[1].share = 7.0;
    t.rows[2].cumulative_share = f64::INFINITY;
    t.rows[3].share = -0.5;
    t.rows[4].decile = 0;
    t.rows[5].decile = 11;
    t.rows[6].decile = 9; // a duplicate
    let svg = render(&t, &EN, (720, 360));
    let texts = elements(&svg, "text");
    let (y0, y100) = y_axis(&texts);
    for bar in bars(&svg, y0) {
        assert!(bar.num("height") <= y0 - y100 + 1.0, "clamped to 100%");
    }
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    for size in [
        (0, 0),
        (1, 1),
        (100, 50),
        (159, 99),
        (160, 100),
        (240, 120),
        (3000, 1500),
    ] {
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        assert!(
            draw_deciles(&area, &typical().rows, &JA).is_ok(),
            "size {size:?}"
        );
        assert!(
            draw_deciles(&area, &empty().rows, &JA).is_ok(),
            "size {size:?}"
        );
    }
}

#[test]
fn scales_with_the_area_for_high_dpi_canvases() {
    let font_size = |svg: &str| text_element(&elements(svg, "text"), "D1").num("font-size");
    let small = render(&typical(), &EN, (720, 360));
    let big = render(&typical(), &EN, (1440, 720));
    assert!((font_size(&big) / font_size(&small) - 2.0).abs() < 0.01);
    let texts = elements(&big, "text");
    let (y0, y100) = y_axis(&texts);
    let bars = bars(&big, y0);
    assert_eq!(bars.len(), 10);
    assert!((bars[0].num("height") - 0.40 * (y0 - y100)).abs() <= 1.5);
}

#[test]
fn draws_without_measuring_text() {
    let svg = svg_drawn_without_fonts((720, 360), |area| {
        draw_deciles(area, &typical().rows, &JA).expect("draws with no font at all");
    });
    let texts = elements(&svg, "text");
    text_element(&texts, "D10");
    text_element(&texts, "累積構成比");
}

#[test]
fn percent_labels() {
    assert_eq!(percent_label(0.4567), "45.7%");
    assert_eq!(percent_label(0.0), "0.0%");
    assert_eq!(percent_label(1.0), "100.0%");
    assert_eq!(percent_label(0.99951), "100.0%");
    assert_eq!(percent_label(0.00049), "0.0%");
    assert_eq!(percent_label(-0.00001), "0.0%", "no negative zero");
    assert_eq!(percent_label(0.1), "10.0%");
    assert_eq!(percent_label(f64::NAN), "-");
    assert_eq!(percent_label(f64::INFINITY), "-");
}

#[test]
fn text_width_estimate_counts_wide_characters() {
    assert_eq!(approx_text_width("", 13.0), 0);
    let ja = approx_text_width("売上構成比", 10.0);
    assert_eq!(ja, 50, "five full-width characters are five em");
    let en = approx_text_width("Share", 10.0);
    assert!((25..=35).contains(&en), "{en}");
    assert!(approx_text_width("Cumulative share", 13.0) > approx_text_width("Revenue share", 13.0));
}

/// Writes the chart for a look (English and Japanese) to the temp directory:
/// `decile_chart.svg` and `decile_chart_ja.svg`.
#[test]
fn writes_preview_svgs() {
    let dir = std::env::temp_dir();
    for (name, text) in [("decile_chart.svg", EN), ("decile_chart_ja.svg", JA)] {
        let svg = render(&typical(), &text, (720, 360));
        std::fs::write(dir.join(name), &svg).expect("temp dir is writable");
    }
    let svg = render(&empty(), &EN, (720, 360));
    std::fs::write(dir.join("decile_chart_empty.svg"), svg).expect("temp dir is writable");
}
