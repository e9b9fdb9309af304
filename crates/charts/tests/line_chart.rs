//! The generic line chart drawn to SVG strings and checked by parsing the
//! SVG.

mod common;

use common::{elements, hex, svg_drawn_without_fonts, text_element, Element};
use ltv_charts::{
    draw_lines, sequential_color, series_color, LineChart, LineStyle, Reference, Series, YFormat,
    CUMULATIVE_COLOR, REFERENCE_COLOR, SHARE_COLOR,
};
use plotters::prelude::*;

/// Yen without decimals.
const YEN: YFormat<'static> = YFormat::Money {
    symbol: "¥",
    suffix: "",
    decimals: 0,
};

/// The 0 line (the crate's baseline grey).
const ZERO_LINE: &str = "#9CA3AF";

fn labels(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn months(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{}-{:02}", 2024 + i / 12, i % 12 + 1))
        .collect()
}

fn chart<'a>(x: &'a [String], series: &'a [Series<'a>], y: YFormat<'a>) -> LineChart<'a> {
    LineChart {
        x_labels: x,
        series,
        y,
        y_axis: "Value",
        x_axis: "Month",
        reference: None,
        y_min_zero: true,
    }
}

fn solid<'a>(label: &'a str, values: &'a [Option<f64>], color: usize) -> Series<'a> {
    Series {
        label,
        values,
        style: LineStyle::Solid,
        color,
        markers: false,
    }
}

/// 実績 (marked) against a dashed 目標.
fn actual_vs_target<'a>(actual: &'a [Option<f64>], target: &'a [Option<f64>]) -> [Series<'a>; 2] {
    [
        Series {
            markers: true,
            ..solid("実績", actual, 0)
        },
        Series {
            style: LineStyle::Dashed,
            ..solid("目標", target, 1)
        },
    ]
}

fn render(c: &LineChart, size: (u32, u32)) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_lines(&area, c).expect("chart draws");
        area.present().expect("svg presents");
    }
    svg
}

/// Polylines stroked in `color`, as point lists.
fn lines(svg: &str, color: RGBColor) -> Vec<Vec<(f64, f64)>> {
    elements(svg, "polyline")
        .into_iter()
        .filter(|p| p.attr("stroke") == hex(color))
        .map(|p| p.points())
        .collect()
}

/// The y scale from two tick labels: `value → pixel`.
fn y_scale(texts: &[Element], a: (&str, f64), b: (&str, f64)) -> impl Fn(f64) -> f64 {
    let ya = text_element(texts, a.0).num("y");
    let yb = text_element(texts, b.0).num("y");
    let (va, vb) = (a.1, b.1);
    move |v| ya + (v - va) / (vb - va) * (yb - ya)
}

/// The x pixel of each x label's text.
fn label_xs(texts: &[Element], x: &[String]) -> Vec<f64> {
    x.iter().map(|l| text_element(texts, l).num("x")).collect()
}

fn near(a: (f64, f64), b: (f64, f64)) -> bool {
    (a.0 - b.0).abs() <= 1.5 && (a.1 - b.1).abs() <= 1.5
}

/// Whether `p` lies on the segment a–b (within 1.5 px).
fn on_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> bool {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (qx, qy) = (a.0 + t * dx, a.1 + t * dy);
    (p.0 - qx).hypot(p.1 - qy) <= 1.5
}

const SHARE: [Option<f64>; 6] = [
    Some(0.42),
    Some(0.55),
    Some(0.61),
    Some(0.58),
    Some(0.66),
    Some(0.71),
];

#[test]
fn points_sit_on_their_label_and_value() {
    let x = months(6);
    let series = [solid("Returning share", &SHARE, 0)];
    let c = chart(&x, &series, YFormat::Percent);
    for size in [(720, 360), (1440, 720)] {
        let svg = render(&c, size);
        let texts = elements(&svg, "text");
        let y = y_scale(&texts, ("0%", 0.0), ("80%", 0.8));
        let ls = lines(&svg, SHARE_COLOR);
        let line: Vec<_> = ls.iter().filter(|l| l.len() > 2).collect();
        assert_eq!(line.len(), 1, "one polyline: {ls:?}");
        let line = line[0];
        assert_eq!(line.len(), 6);
        let xs = label_xs(&texts, &x);
        for (i, p) in line.iter().enumerate() {
            let v = SHARE[i].expect("value");
            assert!(
                near(*p, (xs[i], y(v))),
                "{size:?} point {i} {p:?} vs label x {} value y {}",
                xs[i],
                y(v)
            );
        }
        // Ticks are 1-2-5 and in whole percent, y from 0 (y_min_zero).
        for t in ["0%", "20%", "40%", "60%", "80%"] {
            text_element(&texts, t);
        }
        assert!(!svg.contains("0.2<") && !svg.contains("NaN"));
        text_element(&texts, "Returning share");
        text_element(&texts, "Value");
        text_element(&texts, "Month");
    }
}

#[test]
fn none_makes_a_gap() {
    let x = months(6);
    let values = [
        Some(10.0),
        Some(20.0),
        None,
        Some(30.0),
        Some(25.0),
        Some(5.0),
    ];
    let series = [solid("Orders", &values, 2)];
    let c = chart(&x, &series, YFormat::Number { decimals: 0 });
    let svg = render(&c, (720, 360));
    let texts = elements(&svg, "text");
    let xs = label_xs(&texts, &x);
    let ls: Vec<_> = lines(&svg, series_color(2))
        .into_iter()
        .filter(|l| l.len() >= 2 && l[0].0 >= xs[0] - 2.0)
        .collect();
    assert_eq!(ls.len(), 2, "two polylines either side of the gap: {ls:?}");
    assert_eq!(ls[0].len(), 2);
    assert_eq!(ls[1].len(), 3);
    // No segment spans the missing month.
    for l in &ls {
        for w in l.windows(2) {
            assert!(
                !(w[0].0 < xs[2] - 1.0 && w[1].0 > xs[2] + 1.0),
                "segment across the gap: {w:?}"
            );
        }
    }
    let y = y_scale(&texts, ("0", 0.0), ("30", 30.0));
    assert!(near(ls[1][0], (xs[3], y(30.0))));
    assert!(near(ls[0][1], (xs[1], y(20.0))));
}

#[test]
fn dashed_target_is_drawn_in_dashes_between_its_points() {
    let x = months(6);
    let actual = [
        Some(1_200_000.0),
        Some(1_350_000.0),
        Some(1_100_000.0),
        Some(1_500_000.0),
        None,
        None,
    ];
    let target = [Some(1_300_000.0); 6];
    let series = [
        Series {
            markers: true,
            ..solid("Actual", &actual, 0)
        },
        Series {
            style: LineStyle::Dashed,
            ..solid("Target", &target, 1)
        },
    ];
    let c = chart(&x, &series, YEN);
    let svg = render(&c, (720, 360));
    let texts = elements(&svg, "text");
    let xs = label_xs(&texts, &x);
    // plotters draws a dashed path as one short polyline per dash. The
    // legend's sample (in the "Target" entry's row) is left out.
    let legend_y = text_element(&texts, "Target").num("y");
    let (all, sample): (Vec<_>, Vec<_>) = lines(&svg, CUMULATIVE_COLOR)
        .into_iter()
        .partition(|l| (l[0].1 - legend_y).abs() > 2.0);
    assert!(
        sample.len() >= 2,
        "the legend sample is dashed too: {sample:?}"
    );
    let dashes = all;
    assert!(dashes.len() > 20, "many dashes: {}", dashes.len());
    let y = y_scale(&texts, ("¥0", 0.0), ("¥1,000,000", 1_000_000.0));
    let ty = y(1_300_000.0);
    let (start, end) = ((xs[0], ty), (xs[5], ty));
    for d in &dashes {
        for &p in d {
            assert!(
                on_segment(p, start, end),
                "dash point {p:?} off the target line"
            );
        }
    }
    // Gaps between dashes: the dashes cover clearly less than the line.
    let covered: f64 = dashes
        .iter()
        .map(|d| d.windows(2).map(|w| (w[1].0 - w[0].0).abs()).sum::<f64>())
        .sum();
    assert!(
        covered < 0.8 * (xs[5] - xs[0]) && covered > 0.3 * (xs[5] - xs[0]),
        "dashes cover {covered} of {}",
        xs[5] - xs[0]
    );
    assert!(near(dashes[0][0], start), "dashes start at the first point");
    // Actual: one solid line through 4 points with markers, no dashes.
    let actual_lines: Vec<_> = lines(&svg, SHARE_COLOR)
        .into_iter()
        .filter(|l| l.len() > 2)
        .collect();
    assert_eq!(actual_lines.len(), 1);
    assert_eq!(actual_lines[0].len(), 4);
    for (i, p) in actual_lines[0].iter().enumerate() {
        assert!(near(*p, (xs[i], y(actual[i].expect("value")))), "{i} {p:?}");
    }
    let rings = elements(&svg, "circle")
        .into_iter()
        .filter(|c| c.attr("stroke") == hex(SHARE_COLOR))
        .count();
    assert_eq!(rings, 5, "4 markers and the legend's");
    // Money ticks.
    for t in ["¥0", "¥500,000", "¥1,000,000", "¥1,500,000"] {
        text_element(&texts, t);
    }
    text_element(&texts, "Actual");
    text_element(&texts, "Target");
}

#[test]
fn money_ticks_have_thousands_separators() {
    let x = months(4);
    let values = [Some(3_500.0), Some(8_200.0), Some(12_400.0), Some(11_000.0)];
    let series = [solid("LTV", &values, 0)];
    for (y, expect) in [
        (YEN, ["¥0", "¥2,000", "¥12,000", "¥14,000"]),
        (
            YFormat::Money {
                symbol: "",
                suffix: " CHF",
                decimals: 2,
            },
            ["0 CHF", "2,000 CHF", "12,000 CHF", "14,000 CHF"],
        ),
        (
            YFormat::Number { decimals: 1 },
            ["0", "2,000", "12,000", "14,000"],
        ),
    ] {
        let svg = render(&chart(&x, &series, y), (720, 360));
        let texts = elements(&svg, "text");
        for t in expect {
            text_element(&texts, t);
        }
        let ys: Vec<f64> = expect
            .iter()
            .map(|t| text_element(&texts, t).num("y"))
            .collect();
        assert!(ys.windows(2).all(|w| w[0] > w[1]), "ticks go up: {ys:?}");
    }
    let fmt = YFormat::Money {
        symbol: "$",
        suffix: "",
        decimals: 2,
    };
    assert_eq!(fmt.format_value(1234.5), "$1,234.50");
    assert_eq!(fmt.format_value(-1234.5), "-$1,234.50");
    assert_eq!(fmt.format_value(-0.001), "$0.00");
    assert_eq!(fmt.format_value(f64::NAN), "-");
    assert_eq!(
        YFormat::Number { decimals: 0 }.format_value(1_234_567.0),
        "1,234,567"
    );
    assert_eq!(YFormat::Percent.format_value(0.4567), "45.7%");
    assert_eq!(YFormat::Months.format_value(3.25), "3.2");
}

#[test]
fn reference_line_sits_at_its_value_with_its_label() {
    let x = months(6);
    let series = [solid("Returning share", &SHARE, 0)];
    let c = LineChart {
        reference: Some(Reference {
            value: 0.6,
            label: "Target 60%",
        }),
        ..chart(&x, &series, YFormat::Percent)
    };
    let svg = render(&c, (720, 360));
    let texts = elements(&svg, "text");
    let y = y_scale(&texts, ("0%", 0.0), ("80%", 0.8));
    let ry = y(0.6);
    let parts = lines(&svg, REFERENCE_COLOR);
    assert!(parts.len() > 10, "a dashed line: {}", parts.len());
    for p in parts.iter().flatten() {
        assert!((p.1 - ry).abs() <= 1.5, "reference at {p:?}, 60% at {ry}");
    }
    let xs = label_xs(&texts, &x);
    let (min_x, max_x) = parts
        .iter()
        .flatten()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    assert!(min_x < xs[0] && max_x > xs[5], "spans the plot");
    let label = text_element(&texts, "Target 60%");
    assert!((label.num("y") - ry).abs() < 12.0, "label next to the line");
    assert!(label.num("x") > xs[4], "label at the right end");
    assert_eq!(label.attr("text-anchor"), "end");
    assert_eq!(label.attr("fill"), hex(REFERENCE_COLOR));
    // A reference above all values extends the axis.
    let c = LineChart {
        reference: Some(Reference {
            value: 0.9,
            label: "90%",
        }),
        ..c
    };
    let svg = render(&c, (720, 360));
    let texts = elements(&svg, "text");
    let y = y_scale(&texts, ("0%", 0.0), ("80%", 0.8));
    for p in lines(&svg, REFERENCE_COLOR).iter().flatten() {
        assert!((p.1 - y(0.9)).abs() <= 1.5);
    }
    text_element(&texts, "100%");
}

/// Month-over-month growth of three deciles (D1–D3), some of it negative.
static GROWTH: [[Option<f64>; 3]; 3] = [
    [Some(0.05), Some(-0.12), Some(0.08)],
    [Some(-0.03), Some(0.02), Some(0.15)],
    [Some(0.01), Some(-0.07), None],
];

/// One marked series per row of [`GROWTH`], named by `names`.
fn growth_series(names: [&'static str; 3]) -> Vec<Series<'static>> {
    GROWTH
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (v, name))| Series {
            markers: true,
            ..solid(name, v, i)
        })
        .collect()
}

#[test]
fn negative_values_get_a_zero_line_and_ticks_below_zero() {
    let x = labels(&["D1", "D2", "D3"]);
    let series = growth_series(["2024-04", "2024-05", "2024-06"]);
    let c = LineChart {
        y_min_zero: false,
        ..chart(&x, &series, YFormat::Percent)
    };
    let svg = render(&c, (720, 360));
    let texts = elements(&svg, "text");
    let zero = text_element(&texts, "0%").num("y");
    let below = text_element(&texts, "-10%").num("y");
    assert!(below > zero, "-10% under 0%");
    text_element(&texts, "10%");
    assert!(
        texts
            .iter()
            .any(|t| t.content == "-15%" || t.content == "-20%"),
        "the axis covers -12%"
    );
    assert!(!svg.contains(">-0%") && !svg.contains("\n-0%"), "no -0%");
    let zero_lines: Vec<_> = lines(&svg, RGBColor(0x9C, 0xA3, 0xAF))
        .into_iter()
        .filter(|l| l.len() == 2 && (l[0].1 - l[1].1).abs() < 0.5)
        .filter(|l| (l[0].1 - zero).abs() <= 1.0)
        .collect();
    assert_eq!(zero_lines.len(), 1, "one 0 line ({ZERO_LINE})");
    let l = &zero_lines[0];
    assert!((l[1].0 - l[0].0).abs() > 500.0, "across the plot: {l:?}");
    // A negative point sits below the 0 line.
    let y = y_scale(&texts, ("0%", 0.0), ("10%", 0.1));
    let first = lines(&svg, series_color(0))
        .into_iter()
        .find(|l| l.len() == 3)
        .expect("series 0");
    assert!(near(first[1], (first[1].0, y(-0.12))));
    assert!(first[1].1 > zero);
}

#[test]
fn x_labels_are_thinned_keeping_first_and_last() {
    for n in [13, 24, 36, 61, 200] {
        let x = months(n);
        let values: Vec<Option<f64>> = (0..n).map(|i| Some(i as f64)).collect();
        let series = [solid("Customers", &values, 0)];
        let c = chart(&x, &series, YFormat::Number { decimals: 0 });
        for size in [(720, 360), (1440, 720)] {
            let svg = render(&c, size);
            let texts = elements(&svg, "text");
            let shown: Vec<&Element> = texts.iter().filter(|t| x.contains(&t.content)).collect();
            assert!(
                shown.len() <= 12 && shown.len() >= 3,
                "{n} labels: {} shown",
                shown.len()
            );
            assert_eq!(shown[0].content, x[0], "first kept");
            assert_eq!(shown[shown.len() - 1].content, x[n - 1], "last kept");
            // Ordered, not overlapping (estimated width of "2024-01" at the
            // font size is about 4 em).
            let font = shown[0].num("font-size");
            for w in shown.windows(2) {
                assert!(
                    w[1].num("x") - w[0].num("x") > 4.0 * font,
                    "{n} {size:?}: {} at {} and {} at {}",
                    w[0].content,
                    w[0].num("x"),
                    w[1].content,
                    w[1].num("x")
                );
            }
            // The last point is under the last label.
            let line = lines(&svg, SHARE_COLOR)
                .into_iter()
                .find(|l| l.len() == n)
                .expect("the line");
            let last = shown[shown.len() - 1].num("x");
            assert!((line[n - 1].0 - last).abs() <= 1.5);
        }
    }
    // Few short labels are all shown.
    let x: Vec<String> = (0..12).map(|i| i.to_string()).collect();
    let values = [Some(1.0); 12];
    let series = [solid("LTV", &values, 0)];
    let svg = render(&chart(&x, &series, YFormat::Months), (720, 360));
    label_xs(&elements(&svg, "text"), &x);
}

#[test]
fn japanese_labels_survive() {
    let x = labels(&["2024年1月", "2024年2月", "2024年3月"]);
    let a = [Some(0.9), Some(0.8), Some(0.7)];
    let b = [Some(0.95), Some(0.85), None];
    let series = [
        solid("実績", &a, 0),
        Series {
            style: LineStyle::Dashed,
            ..solid("目標", &b, 1)
        },
    ];
    let c = LineChart {
        y_axis: "継続率",
        x_axis: "初回購入からの月数",
        reference: Some(Reference {
            value: 0.6,
            label: "基準 60%",
        }),
        ..chart(&x, &series, YFormat::Percent)
    };
    let svg = render(&c, (720, 360));
    let texts = elements(&svg, "text");
    for s in [
        "2024年1月",
        "2024年2月",
        "2024年3月",
        "実績",
        "目標",
        "継続率",
        "初回購入からの月数",
        "基準 60%",
    ] {
        text_element(&texts, s);
    }
    let ja = text_element(&texts, "実績");
    assert!(ja.attr("font-family").contains("Noto Sans JP"));
}

#[test]
fn many_series_draw_with_a_small_legend() {
    let x: Vec<String> = (0..24).map(|i| i.to_string()).collect();
    let cohorts: Vec<String> = months(36);
    let values: Vec<Vec<Option<f64>>> = (0..36)
        .map(|c| {
            (0..24)
                .map(|m| (m < 36 - c).then(|| 3000.0 + 400.0 * (m as f64).sqrt() + c as f64))
                .collect()
        })
        .collect();
    let series: Vec<Series> = cohorts
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(i, (label, v))| solid(label, v, i))
        .collect();
    let c = chart(&x, &series, YEN);
    for size in [(720, 360), (1440, 720)] {
        let svg = render(&c, size);
        let texts = elements(&svg, "text");
        let legend: Vec<_> = texts
            .iter()
            .filter(|t| cohorts.contains(&t.content))
            .collect();
        assert_eq!(legend.len(), 2, "first and last cohort only");
        assert_eq!(legend[0].content, "2024-01");
        assert_eq!(legend[1].content, "2026-12");
        text_element(&texts, "…");
        // Every cohort is drawn, light to dark.
        for i in [0, 17, 35] {
            let color = sequential_color(i, 36);
            assert!(
                lines(&svg, color).iter().any(|l| l.len() >= 2),
                "cohort {i} drawn"
            );
        }
        let first = sequential_color(0, 36);
        let last = sequential_color(35, 36);
        let lum = |c: RGBColor| u32::from(c.0) + u32::from(c.1) + u32::from(c.2);
        assert!(lum(first) > lum(last) + 200);
        // The legend sits above the plot, in one row.
        let top_tick = texts
            .iter()
            .filter(|t| t.content.starts_with('¥'))
            .map(|t| t.num("y"))
            .fold(f64::MAX, f64::min);
        assert!(legend.iter().all(|t| t.num("y") < top_tick));
        assert_eq!(legend[0].num("y"), legend[1].num("y"));
    }
    // Exactly MAX_LEGEND_SERIES series: all in the legend, palette colours.
    let few = &series[..8];
    let svg = render(&chart(&x, few, YFormat::Number { decimals: 0 }), (720, 360));
    let texts = elements(&svg, "text");
    for s in few {
        text_element(&texts, s.label);
    }
    assert!(!lines(&svg, series_color(3)).is_empty());
}

#[test]
fn empty_and_odd_inputs_draw_axes_only_without_error() {
    let x = months(6);
    let none = [None; 6];
    let nan = [Some(f64::NAN), Some(f64::INFINITY), Some(f64::NEG_INFINITY)];
    let no_series: [Series; 0] = [];
    let all_none = [solid("A", &none, 0), solid("B", &nan, 1)];
    for (name, series) in [("no series", &no_series[..]), ("all none", &all_none[..])] {
        for y in [YFormat::Percent, YFormat::Months, YEN] {
            let c = LineChart {
                reference: Some(Reference {
                    value: 0.6,
                    label: "ref",
                }),
                ..chart(&x, series, y)
            };
            let svg = render(&c, (720, 360));
            let texts = elements(&svg, "text");
            label_xs(&texts, &x);
            text_element(&texts, "Value");
            assert!(texts.iter().filter(|t| t.content.contains('0')).count() > 6);
            assert!(!svg.contains(&hex(SHARE_COLOR)), "{name}: no line");
            assert!(!svg.contains(&hex(CUMULATIVE_COLOR)), "{name}: no line");
            assert!(!svg.contains(&hex(REFERENCE_COLOR)), "{name}: no reference");
            assert!(
                !svg.contains(">\nA\n<") && !svg.contains("ref"),
                "no legend"
            );
            assert!(!svg.contains("NaN") && !svg.contains("inf"));
        }
    }
    // Odd values: NaN points are gaps, huge values are clamped, values past
    // the labels are ignored, constant values get a range.
    let odd = [
        Some(f64::NAN),
        Some(1e300),
        Some(-1e300),
        Some(5.0),
        None,
        Some(5.0),
        Some(7.0),
    ];
    let constant = [Some(0.5); 6];
    let lone = [None, None, Some(3.0), None, None, None];
    let series = [
        solid("odd", &odd, 0),
        solid("constant", &constant, 1),
        solid("lone", &lone, 2),
    ];
    let empty_labels: Vec<String> = Vec::new();
    for (x, y_min_zero) in [(&x, true), (&x, false), (&empty_labels, true)] {
        for y in [
            YFormat::Percent,
            YFormat::Number { decimals: 255 },
            YFormat::Months,
        ] {
            let c = LineChart {
                y_min_zero,
                reference: Some(Reference {
                    value: f64::NAN,
                    label: "nan",
                }),
                ..chart(x, &series, y)
            };
            for size in [
                (0, 0),
                (1, 1),
                (159, 99),
                (160, 100),
                (240, 120),
                (720, 360),
                (3000, 1500),
            ] {
                let mut svg = String::new();
                {
                    let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                    assert!(draw_lines(&area, &c).is_ok(), "size {size:?}");
                    area.present().expect("presents");
                }
                assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            }
        }
    }
    // A lone value between gaps is a dot.
    let svg = render(&chart(&x, &series[2..], YFormat::Months), (720, 360));
    assert!(elements(&svg, "circle")
        .iter()
        .any(|c| c.attr("fill") == hex(series_color(2))));
    // Constant percent data without y_min_zero still gets ticks around it.
    let svg = render(
        &LineChart {
            y_min_zero: false,
            ..chart(&x, &series[1..2], YFormat::Percent)
        },
        (720, 360),
    );
    let texts = elements(&svg, "text");
    text_element(&texts, "50%");
}

#[test]
fn text_is_markup_safe() {
    let x = labels(&["<a>", "b&c"]);
    let v = [Some(1.0), Some(2.0)];
    let series = [solid("\"q\" <&>", &v, 0)];
    let svg = render(&chart(&x, &series, YFormat::Months), (720, 360));
    assert!(svg.contains("&lt;a&gt;") && svg.contains("b&amp;c"));
    assert!(svg.contains("&quot;q&quot; &lt;&amp;&gt;"));
}

/// Writes charts for a look to the temp directory: `line_*.svg`.
#[test]
fn writes_preview_svgs() {
    let dir = std::env::temp_dir();
    let x6 = months(6);
    let series = [solid("Returning share", &SHARE, 0)];
    let share = LineChart {
        reference: Some(Reference {
            value: 0.6,
            label: "Target 60%",
        }),
        y_axis: "Returning customers",
        x_axis: "Month",
        ..chart(&x6, &series, YFormat::Percent)
    };
    let actual = [
        Some(1_200_000.0),
        Some(1_350_000.0),
        Some(1_100_000.0),
        Some(1_500_000.0),
        Some(1_420_000.0),
        None,
    ];
    let target = [
        Some(1_300_000.0),
        Some(1_300_000.0),
        Some(1_350_000.0),
        Some(1_400_000.0),
        Some(1_450_000.0),
        Some(1_500_000.0),
    ];
    let av = actual_vs_target(&actual, &target);
    let vs = LineChart {
        y_axis: "売上",
        x_axis: "月",
        ..chart(&x6, &av, YEN)
    };
    let x24: Vec<String> = (0..24).map(|i| i.to_string()).collect();
    let cohorts = months(36);
    let values: Vec<Vec<Option<f64>>> = (0..36)
        .map(|c| {
            (0..24)
                .map(|m| {
                    (m < 36 - c)
                        .then(|| 2500.0 + 900.0 * (m as f64).powf(0.6) * (1.0 + c as f64 / 60.0))
                })
                .collect()
        })
        .collect();
    let many: Vec<Series> = cohorts
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(i, (l, v))| solid(l, v, i))
        .collect();
    let ltv = LineChart {
        y_axis: "Cumulative revenue per customer",
        x_axis: "Months since first order",
        ..chart(&x24, &many, YEN)
    };
    let gs = growth_series(["April", "May", "June"]);
    let xd = labels(&["D1", "D2", "D3"]);
    let growth_chart = LineChart {
        y_axis: "Month-over-month growth",
        x_axis: "Decile",
        y_min_zero: false,
        ..chart(&xd, &gs, YFormat::Percent)
    };
    let empty = chart(&x6, &[], YFormat::Percent);
    let x12 = months(12);
    let survival: Vec<Vec<Option<f64>>> = (0..8)
        .map(|c| {
            (0..12)
                .map(|m| (m < 12 - c).then(|| (-(m as f64) / (6.0 + c as f64 * 1.5)).exp()))
                .collect()
        })
        .collect();
    let survival_names: Vec<String> = (0..8)
        .map(|c| format!("Cohort 2024-{:02}", c + 1))
        .collect();
    let eight: Vec<Series> = survival
        .iter()
        .zip(&survival_names)
        .enumerate()
        .map(|(i, (v, l))| Series {
            markers: i == 0,
            style: if i == 7 {
                LineStyle::Dashed
            } else {
                LineStyle::Solid
            },
            ..solid(l, v, i)
        })
        .collect();
    let km = LineChart {
        y_axis: "Still active",
        x_axis: "Month",
        ..chart(&x12, &eight, YFormat::Percent)
    };
    for (name, c) in [
        ("line_share", &share),
        ("line_target_ja", &vs),
        ("line_cohorts", &ltv),
        ("line_growth", &growth_chart),
        ("line_empty", &empty),
        ("line_survival", &km),
    ] {
        for (suffix, size) in [("", (720, 360)), ("_2x", (1440, 720))] {
            let svg = render(c, size);
            std::fs::write(dir.join(format!("{name}{suffix}.svg")), svg)
                .expect("temp dir is writable");
        }
    }
}

#[test]
fn crowded_small_charts_do_not_panic() {
    let x = months(6);
    let huge = [Some(1e300), Some(-1e300), Some(3.0)];
    let names: Vec<String> = (0..8)
        .map(|i| format!("A rather long series label number {i}"))
        .collect();
    let series: Vec<Series> = names.iter().map(|l| solid(l, &huge, 0)).collect();
    for y in [
        YFormat::Money {
            symbol: "CHF ",
            suffix: " per customer",
            decimals: 6,
        },
        YFormat::Percent,
    ] {
        let c = chart(&x, &series, y);
        for size in [(160, 100), (161, 300), (200, 100), (400, 120), (720, 360)] {
            let mut svg = String::new();
            let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            assert!(draw_lines(&area, &c).is_ok(), "size {size:?}");
        }
    }
}

#[test]
fn draws_without_measuring_text() {
    let x = labels(&["2024年1月", "2024年2月", "2024年3月"]);
    let a = [Some(1200.0), None, Some(900.0)];
    let series = actual_vs_target(&a, &a);
    let c = LineChart {
        reference: Some(Reference {
            value: 1000.0,
            label: "基準",
        }),
        y_axis: "売上",
        x_axis: "月",
        ..chart(&x, &series, YEN)
    };
    let svg = svg_drawn_without_fonts((720, 360), |area| {
        draw_lines(area, &c).expect("draws with no font at all");
    });
    let texts = elements(&svg, "text");
    for s in ["2024年3月", "実績", "目標", "基準", "売上", "月", "¥1,200"] {
        text_element(&texts, s);
    }
}

/// The plot's edges that `draw_lines_plot` reports put each marker over
/// its own x label: the page finds the value under the pointer with them.
#[test]
fn the_reported_plot_edges_find_each_point() {
    let x = months(6);
    let values: Vec<Option<f64>> = vec![
        Some(10.0),
        Some(20.0),
        None,
        Some(40.0),
        Some(50.0),
        Some(60.0),
    ];
    let series = [Series {
        markers: true,
        ..solid("実績", &values, 0)
    }];
    let c = chart(&x, &series, YEN);
    let mut svg = String::new();
    let plot = {
        let area = SVGBackend::with_string(&mut svg, (720, 360)).into_drawing_area();
        let plot = ltv_charts::draw_lines_plot(&area, &c, None).unwrap();
        area.present().unwrap();
        plot.expect("a plot with data")
    };
    assert_eq!(plot.n, 6);
    assert!(
        0 < plot.left && plot.left < plot.right && plot.right < 720,
        "{plot:?}"
    );
    // A marker sits on the centre of each slot with a value (not on 2's),
    // and that centre is found in its own slot.
    let centres: Vec<f64> = elements(&svg, "circle")
        .iter()
        .map(|c| c.num("cx"))
        .collect();
    let width = f64::from(plot.right - plot.left) / 6.0;
    for i in 0..6 {
        let centre = f64::from(plot.left) + (i as f64 + 0.5) * width;
        let marked = centres.iter().any(|&cx| (cx - centre).abs() <= 2.5);
        assert_eq!(marked, i != 2, "slot {i} at x = {centre}: {centres:?}");
        assert_eq!(plot.index_at(centre), Some(i));
        assert_eq!(plot.index_at(centre - width * 0.45), Some(i));
    }
    assert_eq!(plot.index_at(f64::from(plot.left) - 1.0), None);
    assert_eq!(plot.index_at(f64::from(plot.right)), Some(5));
    // No data: nothing plotted, no edges.
    let empty: Vec<Option<f64>> = vec![None; 6];
    let none = [solid("実績", &empty, 0)];
    let mut svg = String::new();
    let area = SVGBackend::with_string(&mut svg, (720, 360)).into_drawing_area();
    assert_eq!(
        ltv_charts::draw_lines_plot(&area, &chart(&x, &none, YEN), None).unwrap(),
        None
    );
}
