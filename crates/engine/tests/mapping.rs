//! Reading exports whose headers no platform table names: synonyms, the
//! columns the content decides, and columns named by header (`--map`).

use ltv_engine::error::ErrorKind;
use ltv_engine::ingest::{preview, read_all, IngestOptions};
use ltv_engine::mapping::{Field, Platform};
use ltv_engine::store::Dataset;
use proptest::prelude::*;

/// UTF-16LE with a BOM, tab-separated, CRLF: what Excel's "Unicode text"
/// writes.
fn utf16_tsv(rows: &[&[&str]]) -> Vec<u8> {
    let text: String = rows
        .iter()
        .map(|r| r.join("\t") + "\r\n")
        .collect::<String>();
    let mut out = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

fn csv(rows: &[&[&str]]) -> Vec<u8> {
    rows.iter()
        .map(|r| r.join(",") + "\n")
        .collect::<String>()
        .into_bytes()
}

fn totals(d: &Dataset) -> Vec<i64> {
    d.orders.iter().map(|o| o.amount).collect()
}

/// The export of the issue: a hand-made Japanese Excel export, UTF-16
/// text, headers 顧客ID / 注文番号 / 注文日 and a plain amount column.
#[test]
fn a_hand_made_japanese_excel_export_reads_without_a_question() {
    for amount in [
        "金額",
        "売上",
        "売上高",
        "税込金額",
        "受注金額",
        "注文金額",
        "小計",
        "合計金額（税込）",
    ] {
        let bytes = utf16_tsv(&[
            &["顧客ID", "注文番号", "注文日", amount],
            &["C001", "1001", "2024/01/05", "3,980"],
            &["C002", "1002", "2024/01/06", "12,800"],
            &["C001", "1003", "2024/02/10", "5,500"],
        ]);
        let d =
            read_all(&bytes, IngestOptions::default()).unwrap_or_else(|e| panic!("{amount}: {e}"));
        assert_eq!(d.info.encoding, "UTF-16LE", "{amount}");
        assert_eq!(d.info.mapping.get(Field::OrderTotal), Some(3), "{amount}");
        assert_eq!(d.info.mapping.customer_key, Some(Field::CustomerId));
        assert!(
            d.info.from_content.is_empty(),
            "{amount}: named by its header"
        );
        let mut t = totals(&d);
        t.sort();
        assert_eq!(t, vec![3980, 5500, 12800], "{amount}");
        assert_eq!(d.customer_keys.len(), 2);
    }
}

#[test]
fn a_column_no_header_names_is_mapped_by_its_content_when_it_is_the_only_one() {
    let bytes = utf16_tsv(&[
        &["顧客ID", "注文番号", "注文日", "お会計", "メモ"],
        &["C001", "1001", "2024/01/05", "¥3,980", "ギフト"],
        &["C002", "1002", "2024/01/06", "¥12,800", ""],
        &["C001", "1003", "2024/02/10", "¥5,500", "再購入"],
    ]);
    let d = read_all(&bytes, IngestOptions::default()).unwrap();
    assert_eq!(d.info.mapping.get(Field::OrderTotal), Some(3));
    assert_eq!(d.info.from_content, vec![Field::OrderTotal]);
    assert_eq!(d.orders.iter().map(|o| o.amount).sum::<i64>(), 22280);

    // Dates and e-mails too; the unknown headers say nothing.
    let bytes = csv(&[
        &["番号", "いつ", "だれ", "いくら"],
        &["1", "2024-01-05", "a@example.com", "1200"],
        &["2", "2024-01-06", "b@example.com", "800"],
        &["3", "2024-02-07", "a@example.com", "450"],
    ]);
    let d = read_all(&bytes, IngestOptions::default()).unwrap();
    let m = &d.info.mapping;
    assert_eq!(
        (
            m.get(Field::OrderDate),
            m.get(Field::Email),
            m.get(Field::OrderTotal)
        ),
        (Some(1), Some(2), Some(3))
    );
    assert_eq!(m.customer_key, Some(Field::Email));
    assert_eq!(
        d.info.from_content,
        vec![Field::Email, Field::OrderDate, Field::OrderTotal]
    );
}

#[test]
fn two_columns_that_compete_are_a_question_with_the_first_pre_selected() {
    // Two date columns: which is the order's?
    let bytes = csv(&[
        &["顧客ID", "注文番号", "受付", "完了", "金額"],
        &["C1", "1", "2024-01-05", "2024-01-08", "1200"],
        &["C2", "2", "2024-01-06", "2024-01-09", "800"],
    ]);
    let e = read_all(&bytes, IngestOptions::default()).unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::MappingNeeded {
            missing: vec![Field::OrderDate]
        }
    );
    let p = preview(&bytes, &IngestOptions::default()).unwrap();
    assert_eq!(p.guess.mapping.get(Field::OrderDate), Some(2));
    assert!(p.guess.from_content.is_empty());

    // The only date column, but its header says it is the shipping date.
    let bytes = csv(&[
        &["顧客ID", "注文番号", "発送日", "金額"],
        &["C1", "1", "2024-01-05", "1200"],
    ]);
    let e = read_all(&bytes, IngestOptions::default()).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::MappingNeeded { .. }), "{e}");

    // Two amount columns with headers that name nothing.
    let bytes = csv(&[
        &["顧客ID", "注文番号", "注文日", "税込", "税抜"],
        &["C1", "1", "2024-01-05", "1320", "1200"],
    ]);
    let e = read_all(&bytes, IngestOptions::default()).unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::MappingNeeded {
            missing: vec![Field::OrderTotal]
        }
    );
}

#[test]
fn counts_ids_and_fees_are_never_taken_for_the_amount() {
    let bytes = csv(&[
        &[
            "顧客ID",
            "注文番号",
            "注文日",
            "点数",
            "送料",
            "連番",
            "お会計",
        ],
        &["C1", "1", "2024-01-05", "2", "500", "10", "1200"],
        &["C2", "2", "2024-01-06", "1", "500", "11", "800"],
        &["C1", "3", "2024-01-07", "3", "0", "12", "4500"],
        &["C3", "4", "2024-01-08", "1", "500", "13", "980"],
        &["C2", "5", "2024-01-09", "1", "500", "14", "2300"],
    ]);
    let d = read_all(&bytes, IngestOptions::default()).unwrap();
    assert_eq!(d.info.mapping.get(Field::OrderTotal), Some(6));
    assert_eq!(d.info.from_content, vec![Field::OrderTotal]);
}

/// English markers are whole words of the header, not parts of other
/// words: "Amount Paid" does not say "id", "Coffee" does not say "fee";
/// "PointsUsed" and "Shipping Fee" do say points and a fee.
#[test]
fn english_header_markers_are_words_not_substrings() {
    let bytes = csv(&[
        &[
            "Customer ID",
            "Order Number",
            "Order Date",
            "PointsUsed",
            "Shipping Fee",
            "Amount Paid",
        ],
        &["C1", "1", "2024-01-05", "300", "500", "1200"],
        &["C2", "2", "2024-01-06", "150", "500", "800"],
        &["C1", "3", "2024-01-07", "0", "0", "4500"],
        &["C3", "4", "2024-01-08", "200", "500", "980"],
        &["C2", "5", "2024-01-09", "120", "500", "2300"],
    ]);
    let d = read_all(&bytes, IngestOptions::default()).unwrap();
    assert_eq!(d.info.mapping.get(Field::OrderTotal), Some(5));
    assert_eq!(d.info.from_content, vec![Field::OrderTotal]);
    assert_eq!(totals(&d).iter().sum::<i64>(), 9780);

    for header in ["Coffee Sales £", "Average Basket", "Grand Paid"] {
        let bytes = csv(&[
            &["Customer ID", "Order Number", "Order Date", header],
            &["C1", "1", "2024-01-05", "1200"],
            &["C2", "2", "2024-01-06", "800"],
            &["C1", "3", "2024-01-07", "4500"],
        ]);
        let d =
            read_all(&bytes, IngestOptions::default()).unwrap_or_else(|e| panic!("{header}: {e}"));
        assert_eq!(d.info.mapping.get(Field::OrderTotal), Some(3), "{header}");
    }
}

/// 金額 on each row of a line-item export is the line's amount: the order
/// is the sum of its rows, never its first row.
#[test]
fn an_amount_that_differs_within_an_order_is_the_lines_amount() {
    let bytes = csv(&[
        &["注文番号", "注文日", "顧客ID", "商品名", "金額"],
        &["1", "2024-01-05", "C1", "珈琲豆", "1800"],
        &["1", "2024-01-05", "C1", "フィルター", "400"],
        &["2", "2024-01-06", "C2", "紅茶", "1200"],
    ]);
    let d = read_all(&bytes, IngestOptions::default()).unwrap();
    assert_eq!(d.info.mapping.get(Field::OrderTotal), None);
    assert_eq!(d.info.mapping.get(Field::LinePrice), Some(4));
    assert_eq!(totals(&d), vec![2200, 1200]);

    // The same amount on every row of an order is its total.
    let bytes = csv(&[
        &["注文番号", "注文日", "顧客ID", "商品名", "金額"],
        &["1", "2024-01-05", "C1", "珈琲豆", "2200"],
        &["1", "2024-01-05", "C1", "フィルター", "2200"],
        &["2", "2024-01-06", "C2", "紅茶", "1200"],
    ]);
    let d = read_all(&bytes, IngestOptions::default()).unwrap();
    assert_eq!(d.info.mapping.get(Field::OrderTotal), Some(4));
    assert_eq!(totals(&d), vec![2200, 1200]);

    // With a unit price beside it, the prices make the order.
    let bytes = csv(&[
        &["注文番号", "注文日", "顧客ID", "単価", "数量", "金額"],
        &["1", "2024-01-05", "C1", "900", "2", "1800"],
        &["1", "2024-01-05", "C1", "400", "1", "400"],
    ]);
    let d = read_all(&bytes, IngestOptions::default()).unwrap();
    assert_eq!(d.info.mapping.get(Field::OrderTotal), None);
    assert_eq!(d.info.mapping.get(Field::LinePrice), Some(3));
    assert_eq!(totals(&d), vec![2200]);
}

#[test]
fn columns_named_by_header_override_the_guess() {
    let bytes = csv(&[
        &[
            "顧客ID",
            "注文番号",
            "受付",
            "完了",
            "税込",
            "税抜",
            "メール",
        ],
        &[
            "C1",
            "1",
            "2024-01-05",
            "2024-01-08",
            "1320",
            "1200",
            "a@example.com",
        ],
        &[
            "C2",
            "2",
            "2024-01-06",
            "2024-01-09",
            "880",
            "800",
            "b@example.com",
        ],
    ]);
    let opts = |map: &[(Field, &str)]| IngestOptions {
        map: map.iter().map(|(f, h)| (*f, h.to_string())).collect(),
        ..IngestOptions::default()
    };
    let d = read_all(
        &bytes,
        opts(&[(Field::OrderDate, "完了"), (Field::OrderTotal, "税抜")]),
    )
    .unwrap();
    assert_eq!(d.info.mapping.get(Field::OrderDate), Some(3));
    assert_eq!(d.info.mapping.get(Field::OrderTotal), Some(5));
    assert_eq!(totals(&d), vec![1200, 800]);
    // メール is an e-mail synonym, so it keys the customers...
    assert_eq!(d.info.mapping.customer_key, Some(Field::Email));
    // ... unless the customer id is named.
    let d = read_all(
        &bytes,
        opts(&[
            (Field::OrderDate, "受付"),
            (Field::OrderTotal, "税込"),
            (Field::CustomerId, "顧客ID"),
        ]),
    )
    .unwrap();
    assert_eq!(d.info.mapping.customer_key, Some(Field::CustomerId));
    // A header written differently (case, spaces, width) still matches.
    let d = read_all(
        &bytes,
        opts(&[(Field::OrderDate, " 完了 "), (Field::OrderTotal, "税込")]),
    );
    assert!(d.is_ok());
    // Naming one of two competing columns still leaves the other question.
    let e = read_all(&bytes, opts(&[(Field::OrderTotal, "税込")])).unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::MappingNeeded {
            missing: vec![Field::OrderDate]
        }
    );
    // A header the file does not have.
    let e = read_all(&bytes, opts(&[(Field::OrderTotal, "合計")])).unwrap_err();
    let ErrorKind::UnknownHeader {
        field,
        header,
        headers,
    } = &e.kind
    else {
        panic!("{e}")
    };
    assert_eq!(
        (*field, header.as_str(), headers.len()),
        (Field::OrderTotal, "合計", 7)
    );
    assert!(e.to_string().contains("税込, 税抜"), "{e}");
}

#[test]
fn the_recognised_platforms_do_not_read_from_content() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/platforms/amazon_all_orders.txt"
    ))
    .unwrap();
    let p = preview(&bytes, &IngestOptions::default()).unwrap();
    assert_eq!(p.guess.platform, Platform::AmazonAllOrders);
    assert!(p.guess.from_content.is_empty());
}

/// The headers of a generic export, one per field, each a synonym from the
/// table; rows keep the same cells whatever the headers are.
const FIELDS: [Field; 7] = [
    Field::OrderId,
    Field::OrderDate,
    Field::OrderTotal,
    Field::CustomerId,
    Field::Product,
    Field::LineQuantity,
    Field::Status,
];

const ROWS: &[[&str; 7]] = &[
    ["A-1", "2024-01-05", "2200", "C1", "珈琲豆", "2", "paid"],
    ["A-1", "2024-01-05", "2200", "C1", "フィルター", "1", "paid"],
    ["A-2", "2024-01-09", "1200", "C2", "紅茶", "1", "paid"],
    [
        "A-3",
        "2024-02-01",
        "4500",
        "C1",
        "ギフト",
        "1",
        "キャンセル",
    ],
    ["A-4", "2024-03-11", "980", "C3", "羊羹", "3", "発送済み"],
];

fn export(headers: &[&str]) -> Vec<u8> {
    let mut rows: Vec<Vec<&str>> = vec![headers.to_vec()];
    rows.extend(ROWS.iter().map(|r| r.to_vec()));
    rows.iter()
        .map(|r| r.join(",") + "\n")
        .collect::<String>()
        .into_bytes()
}

fn same_data(a: &Dataset, b: &Dataset) {
    assert_eq!(a.orders, b.orders);
    assert_eq!(a.customer_keys, b.customer_keys);
    assert_eq!(a.lines, b.lines);
    assert_eq!(a.products, b.products);
    assert_eq!(a.info.exclusions, b.info.exclusions);
    assert_eq!(a.info.mapping, b.info.mapping);
}

fn headers_strategy() -> impl Strategy<Value = Vec<&'static str>> {
    FIELDS
        .iter()
        .map(|f| proptest::sample::select(f.synonyms()))
        .collect::<Vec<_>>()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Any export whose header words are replaced by synonyms from the
    /// table reads to the same dataset.
    #[test]
    fn any_synonyms_read_to_the_same_dataset(headers in headers_strategy()) {
        let canonical: Vec<&str> = FIELDS.iter().map(|f| f.synonyms()[0]).collect();
        let base = read_all(&export(&canonical), IngestOptions::default()).unwrap();
        let d = read_all(&export(&headers), IngestOptions::default())
            .map_err(|e| TestCaseError::fail(format!("{headers:?}: {e}")))?;
        same_data(&base, &d);
    }
}

/// Each field's synonyms are its own: no header is a synonym of two fields
/// (it would be read as whichever comes first).
#[test]
fn no_header_is_a_synonym_of_two_fields() {
    for (i, f) in Field::ALL.iter().enumerate() {
        for g in &Field::ALL[i + 1..] {
            for s in f.synonyms() {
                assert!(
                    !g.synonyms().contains(s),
                    "{s:?} is a synonym of both {f:?} and {g:?}"
                );
            }
        }
    }
}
