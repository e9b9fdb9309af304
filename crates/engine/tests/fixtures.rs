//! Real-shaped fixture files with hand-computed expectations. The fixtures
//! live in the repository's `tests/fixtures/`, shared with the end-to-end
//! test, which checks that the browser shows the same numbers.

use ltv_engine::error::{ErrorKind, FileKind, ProblemKind};
use ltv_engine::ingest::{read_all, Ingest, IngestOptions};
use ltv_engine::mapping::Platform;
use ltv_engine::report::{analyze, AnalyzeParams, Report};
use ltv_engine::store::ExclusionReason;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn report(name: &str) -> Report {
    let data = read_all(&fixture(name), IngestOptions::default()).unwrap();
    analyze(&data, &AnalyzeParams::default()).unwrap()
}

fn excluded(r: &Report, reason: ExclusionReason) -> (u64, u64) {
    r.summary
        .exclusions
        .iter()
        .find(|e| e.reason == reason)
        .map_or((0, 0), |e| (e.orders, e.rows))
}

#[test]
fn shopify_line_items_refunds_and_cancellations() {
    let r = report("shopify_small.csv");
    let s = &r.summary;
    assert_eq!(s.platform, Some(Platform::Shopify));
    assert_eq!(s.currency.as_deref(), Some("USD"));
    assert_eq!(s.minor_exponent, 2);
    assert_eq!(s.rows, 11);
    // #1001 120.50, #1002 80, #1003 45.25, #1006 200-50, #1007 30, #1008 1234.56
    assert_eq!(s.orders, 6);
    assert_eq!(s.revenue, 1660.31);
    // alice (two spellings), bob, erin; #1007 has no e-mail.
    assert_eq!(s.customers, 3);
    assert_eq!(s.orders_without_customer, 1);
    // #1004 cancelled (1 row), #1005 refunded (2 rows), #1009 2024-02-30.
    assert_eq!(s.excluded_rows, 4);
    assert_eq!(excluded(&r, ExclusionReason::Cancelled), (1, 1));
    assert_eq!(excluded(&r, ExclusionReason::Refunded), (1, 2));
    assert_eq!(excluded(&r, ExclusionReason::InvalidDate), (1, 1));
    assert_eq!(s.first_order_date.unwrap().to_string(), "2024-01-15");
    assert_eq!(s.last_order_date.unwrap().to_string(), "2024-12-31");
    // The note of #1002 spans two lines, so #1009 starts on line 13.
    assert_eq!(s.problems.len(), 1);
    let p = &s.problems[0];
    assert_eq!(
        (p.line, p.column.as_str(), p.value.as_str()),
        (13, "Created at", "2024-02-30 10:00:00 -0500")
    );
    assert_eq!(p.kind, ProblemKind::InvalidDate);

    // Window 2024-01-01 ..= 2024-12-31: bob 1314.56 (2 orders), alice
    // 165.75 (2), erin 150 (1).
    let w = &r.decile_window;
    assert_eq!(
        (w.from.to_string(), w.to.to_string()),
        ("2024-01-01".into(), "2024-12-31".into())
    );
    assert_eq!(w.customers, 3);
    let d: Vec<(u64, f64)> = r
        .deciles
        .iter()
        .map(|d| (d.customers, d.revenue.major()))
        .collect();
    assert_eq!(d[..4], [(1, 1314.56), (1, 165.75), (1, 150.0), (0, 0.0)]);
    assert_eq!(r.deciles[0].share, 131456.0 / 163031.0);
    assert_eq!(
        r.deciles[1].cumulative_share,
        (131456.0 + 16575.0) / 163031.0
    );
    assert_eq!(r.deciles[9].cumulative_share, 1.0);
    assert_eq!(r.deciles[1].orders_per_customer, 2.0);
}

#[test]
fn japanese_shift_jis_export_with_repeated_order_fields() {
    let r = report("generic_ja_sjis.csv");
    let s = &r.summary;
    assert_eq!(s.encoding, "Shift_JIS");
    assert_eq!(s.platform, Some(Platform::Generic));
    assert_eq!(s.currency.as_deref(), Some("JPY"));
    assert_eq!(s.minor_exponent, 0);
    assert_eq!(s.rows, 8);
    // A001 3240 (total repeated on its 2 rows, counted once), A002 1200,
    // A003 5400, A006 800, A007 2160.
    assert_eq!(s.orders, 5);
    assert_eq!(s.revenue, 12800.0);
    assert_eq!(s.customers, 2);
    assert_eq!(s.orders_without_customer, 1);
    assert_eq!(excluded(&r, ExclusionReason::Cancelled), (1, 1));
    assert_eq!(excluded(&r, ExclusionReason::MissingAmount), (1, 1)); // -99999
    assert_eq!(s.excluded_rows, 2);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    let d: Vec<(u64, f64, f64)> = r
        .deciles
        .iter()
        .map(|d| (d.customers, d.revenue.major(), d.orders_per_customer))
        .collect();
    assert_eq!(d[..3], [(1, 8640.0, 2.0), (1, 3360.0, 2.0), (0, 0.0, 0.0)]);
}

#[test]
fn damaged_rows_are_reported_with_lines_and_the_rest_is_read() {
    let r = report("damaged.csv");
    let s = &r.summary;
    assert_eq!(s.rows, 7);
    assert_eq!(s.orders, 3);
    assert_eq!(s.revenue, 900.0);
    assert_eq!(excluded(&r, ExclusionReason::InvalidDate), (1, 1));
    assert_eq!(excluded(&r, ExclusionReason::InvalidAmount), (1, 1));
    assert_eq!(excluded(&r, ExclusionReason::MissingAmount), (1, 1));
    assert_eq!(excluded(&r, ExclusionReason::MissingDate), (1, 1)); // the unclosed quote
    let got: Vec<(u64, ProblemKind)> = s.problems.iter().map(|p| (p.line, p.kind)).collect();
    assert_eq!(
        got,
        vec![
            (4, ProblemKind::InvalidDate),
            (5, ProblemKind::InvalidAmount),
            (6, ProblemKind::ShortRow),
            (8, ProblemKind::ShortRow),
        ]
    );
    assert_eq!(s.problems[1].column, "Total");
}

#[test]
fn chunked_reads_give_the_same_report_as_one_read() {
    for name in ["shopify_small.csv", "generic_ja_sjis.csv", "damaged.csv"] {
        let bytes = fixture(name);
        let whole = report(name);
        for size in [1, 2, 3, 7, 64] {
            let mut ing = Ingest::new(IngestOptions::default());
            for chunk in bytes.chunks(size) {
                ing.feed(chunk).unwrap();
            }
            let data = ing.finish().unwrap();
            let r = analyze(&data, &AnalyzeParams::default()).unwrap();
            assert_eq!(r, whole, "{name} in chunks of {size}");
        }
    }
}

#[test]
fn not_tabular_inputs_get_a_clear_error() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    let e = read_all(png, IngestOptions::default()).unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::NotTabular {
            looks_like: FileKind::Png
        }
    );
    let zip = b"PK\x03\x04\x14\0\0\0\x08\0";
    assert!(matches!(
        read_all(zip, IngestOptions::default()).unwrap_err().kind,
        ErrorKind::NotTabular { .. }
    ));
    let binary: Vec<u8> = (0..4000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert!(matches!(
        read_all(&binary, IngestOptions::default())
            .unwrap_err()
            .kind,
        ErrorKind::NotTabular { .. }
    ));
    assert_eq!(
        read_all(b"", IngestOptions::default()).unwrap_err().kind,
        ErrorKind::Empty
    );
    assert_eq!(
        read_all(b"\xEF\xBB\xBF\r\n", IngestOptions::default())
            .unwrap_err()
            .kind,
        ErrorKind::Empty
    );
}

#[test]
fn unknown_headers_are_mapped_by_their_content_and_a_mapping_reads_them() {
    use ltv_engine::mapping::Field;
    let csv = "col_a;col_b;col_c\nx@y.jp;2024-05-01;1.234,50\nz@y.jp;2024-05-02;99,00\n";
    // One column each of e-mails, dates and amounts: no question (issue
    // #14); the read says which fields the content decided.
    let d = read_all(csv.as_bytes(), IngestOptions::default()).unwrap();
    assert_eq!(
        d.info.from_content,
        vec![Field::Email, Field::OrderDate, Field::OrderTotal]
    );
    let p = ltv_engine::ingest::preview(csv.as_bytes(), &IngestOptions::default()).unwrap();
    assert!(p.guess.missing.is_empty());
    let g = &p.guess.mapping;
    assert_eq!(
        (
            g.get(Field::Email),
            g.get(Field::OrderDate),
            g.get(Field::OrderTotal)
        ),
        (Some(0), Some(1), Some(2))
    );
    assert_eq!(g.customer_key, Some(Field::Email));
    assert!(g.missing().is_empty());
    let mut m = ltv_engine::mapping::ColumnMapping::default();
    m.set(Field::Email, Some(0));
    m.set(Field::OrderDate, Some(1));
    m.set(Field::OrderTotal, Some(2));
    m.default_key();
    let data = read_all(
        csv.as_bytes(),
        IngestOptions {
            mapping: Some(m),
            ..Default::default()
        },
    )
    .unwrap();
    let r = analyze(&data, &AnalyzeParams::default()).unwrap();
    assert_eq!(r.summary.revenue, 1333.5);
    assert_eq!(r.summary.customers, 2);
}

#[test]
fn settings_move_the_window() {
    let data = read_all(&fixture("shopify_small.csv"), IngestOptions::default()).unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // Only H1 2024: alice 165.75, erin 150, bob 80.
    let p = AnalyzeParams {
        from: Some(day("2024-01-01")),
        to: Some(day("2024-06-30")),
        ..Default::default()
    };
    let r = analyze(&data, &p).unwrap();
    assert_eq!(r.decile_window.customers, 3);
    assert_eq!(r.deciles[0].revenue, 165.75);
    assert_eq!(r.deciles[2].revenue, 80.0);
    // As of 2024-06-30: the 12 months ending then.
    let p = AnalyzeParams {
        as_of: Some(day("2024-06-30")),
        ..Default::default()
    };
    let r = analyze(&data, &p).unwrap();
    assert_eq!(r.decile_window.from, day("2023-07-01"));
    // A window that ends before it starts is an error, not a panic.
    let p = AnalyzeParams {
        from: Some(day("2024-06-30")),
        to: Some(day("2024-01-01")),
        ..Default::default()
    };
    assert!(matches!(
        analyze(&data, &p).unwrap_err().kind,
        ErrorKind::InvalidSetting { .. }
    ));
}

#[test]
fn an_export_re_saved_in_excel_reads_like_the_csv() {
    // The Shopify fixture re-saved as .xlsx: amounts are numbers, dates are
    // date cells, the invalid 2024-02-30 stayed text.
    let bytes = fixture("workbooks/shopify_small.xlsx");
    let csv = report("shopify_small.csv");
    for chunk in [bytes.len(), 1000, 7] {
        let mut ing = Ingest::new(IngestOptions::default());
        for c in bytes.chunks(chunk) {
            ing.feed(c).unwrap();
        }
        let r = analyze(&ing.finish().unwrap(), &AnalyzeParams::default()).unwrap();
        assert_eq!(r.summary.encoding, "Excel workbook");
        assert_eq!(r.summary.platform, Some(Platform::Shopify));
        assert_eq!(r.deciles, csv.deciles, "chunks of {chunk}");
        assert_eq!(
            (
                r.summary.rows,
                r.summary.orders,
                r.summary.customers,
                r.summary.revenue.major(),
                r.summary.excluded_rows
            ),
            (11, 6, 3, 1660.31, 4)
        );
        // Spreadsheet row 12 (the header is row 1; no multi-line cells).
        let p = &r.summary.problems[0];
        assert_eq!(
            (p.line, p.column.as_str(), p.kind),
            (12, "Created at", ProblemKind::InvalidDate)
        );
    }
}

#[test]
fn a_zip_that_is_not_a_workbook_is_refused_clearly() {
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend((0..5000u32).map(|i| (i * 7) as u8));
    let e = read_all(&zip, IngestOptions::default()).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::NotTabular { .. }), "{e}");
}

#[test]
fn damaged_workbooks_give_errors_not_panics() {
    let good = fixture("workbooks/shopify_small.xlsx");
    for cut in (4..good.len()).step_by(97) {
        let _ = read_all(&good[..cut], IngestOptions::default());
    }
    for at in (0..good.len()).step_by(13) {
        let mut bad = good.clone();
        bad[at] ^= 0x5A;
        let _ = read_all(&bad, IngestOptions::default());
    }
}

#[test]
fn the_decimal_mark_is_decided_for_the_whole_column() {
    // A European export: 1.234,56 proves the comma, so 1.234 is 1234.
    let csv = "Email;Date;Total\na@x.de;2024-03-05;1.234,56\nb@x.de;2024-03-06;1.234\nc@x.de;2024-03-07;99\n";
    let data = read_all(csv.as_bytes(), IngestOptions::default()).unwrap();
    assert_eq!(
        data.info.decimal_mark,
        ltv_engine::money::DecimalMark::Comma
    );
    let r = analyze(&data, &AnalyzeParams::default()).unwrap();
    assert_eq!(r.summary.revenue, 2567.56);
    // A Japanese export: ¥1,234 everywhere, 1,234 is one thousand.
    let csv =
        "メールアドレス,注文日,合計金額\na@x.jp,2024/3/5,\"1,234\"\nb@x.jp,2024/3/6,\"12,345\"\n";
    let r = analyze(
        &read_all(csv.as_bytes(), IngestOptions::default()).unwrap(),
        &AnalyzeParams::default(),
    )
    .unwrap();
    assert_eq!(r.summary.revenue, 13579.0);
}

#[test]
fn day_month_order_is_proved_by_the_column_or_flagged_as_ambiguous() {
    use ltv_engine::date::DateOrder;
    // 25/03/2024 proves day-first for the whole column.
    let csv = "email,date,total\na@x.uk,04/03/2024,10\nb@x.uk,25/03/2024,20\n";
    let data = read_all(csv.as_bytes(), IngestOptions::default()).unwrap();
    assert_eq!(
        (data.info.date_order, data.info.date_order_ambiguous),
        (DateOrder::DayFirst, false)
    );
    assert_eq!(data.first_day().unwrap().to_string(), "2024-03-04");
    // Nothing proves it: read month-first and flagged, so the UI asks.
    let csv = "email,date,total\na@x.us,04/03/2024,10\nb@x.us,05/06/2024,20\n";
    let data = read_all(csv.as_bytes(), IngestOptions::default()).unwrap();
    assert_eq!(
        (data.info.date_order, data.info.date_order_ambiguous),
        (DateOrder::MonthFirst, true)
    );
    assert_eq!(data.first_day().unwrap().to_string(), "2024-04-03");
    // The user's answer.
    let opts = IngestOptions {
        date_order: Some(DateOrder::DayFirst),
        ..Default::default()
    };
    let data = read_all(csv.as_bytes(), opts).unwrap();
    assert!(!data.info.date_order_ambiguous);
    assert_eq!(data.first_day().unwrap().to_string(), "2024-03-04");
    // Year-first dates are never ambiguous.
    let data = read_all(
        b"email,date,total\na@x.jp,2024/04/03,10\n",
        IngestOptions::default(),
    )
    .unwrap();
    assert!(!data.info.date_order_ambiguous);
}

#[test]
fn several_currencies_analyse_the_majority_or_the_chosen_one() {
    // The first row is USD (so the sniff sees USD first), but JPY has most
    // orders; amounts must come out in yen, not in hundredths of a yen.
    let csv = "Email,Created at,Total,Currency\n\
               us1@x.com,2024-01-01,12.50,USD\n\
               jp1@x.jp,2024-01-02,1200,JPY\n\
               jp2@x.jp,2024-01-03,800,jpy\n\
               jp1@x.jp,2024-01-04,1000,JPY\n\
               us2@x.com,2024-01-05,7.25,USD\n";
    let data = read_all(csv.as_bytes(), IngestOptions::default()).unwrap();
    assert_eq!(data.info.currency.as_deref(), Some("JPY"));
    assert_eq!(data.info.minor_exponent, 0);
    let counts: Vec<(&str, u64)> = data
        .info
        .currencies
        .iter()
        .map(|c| (c.code.as_str(), c.orders))
        .collect();
    assert_eq!(counts, vec![("JPY", 3), ("USD", 2)]);
    let r = analyze(&data, &AnalyzeParams::default()).unwrap();
    assert_eq!(r.summary.revenue, 3000.0);
    assert_eq!(r.summary.customers, 2);
    assert_eq!(excluded(&r, ExclusionReason::OtherCurrency), (2, 2));
    // The user picks USD.
    let opts = IngestOptions {
        currency: Some("usd".into()),
        ..Default::default()
    };
    let data = read_all(csv.as_bytes(), opts).unwrap();
    assert_eq!(
        (data.info.currency.as_deref(), data.info.minor_exponent),
        (Some("USD"), 2)
    );
    let r = analyze(&data, &AnalyzeParams::default()).unwrap();
    assert_eq!(r.summary.revenue, 19.75);
    assert_eq!(excluded(&r, ExclusionReason::OtherCurrency), (3, 3));
    // The sniff sees yen first; dollars must still keep their cents.
    let csv = "Email,Created at,Total,Currency
               jp1@x.jp,2024-01-02,1200,JPY
               us1@x.com,2024-01-01,12.50,USD
               us2@x.com,2024-01-05,7.25,USD
               us2@x.com,2024-01-06,0.01,USD
";
    let data = read_all(csv.as_bytes(), IngestOptions::default()).unwrap();
    assert_eq!(
        (data.info.currency.as_deref(), data.info.minor_exponent),
        (Some("USD"), 2)
    );
    assert_eq!(data.revenue(), 1976);
    assert!(data.info.problems.is_empty(), "{:?}", data.info.problems);
}
