//! Reading a file in two parts (`Ingest::part` + `Ingest::join`) gives the
//! same dataset as reading it whole, for any split point: joined when the
//! join is exact, else the first read goes on with the rest of the bytes.

use ltv_engine::ingest::{read_all, Ingest, IngestOptions, Part, SNIFF_BYTES};
use ltv_engine::mapping::Field;
use ltv_engine::store::Dataset;
use ltv_engine::Error;
use ltv_sample::{shopify_csv, SampleParams};
use proptest::prelude::*;

/// The first byte after the line end at or after `at`.
fn after_line_end(bytes: &[u8], at: usize) -> Option<usize> {
    bytes
        .get(at..)?
        .iter()
        .position(|&b| b == b'\n')
        .map(|p| at + p + 1)
}

/// Reads `bytes` in two parts split at `split`; whether the part was
/// joined, and the dataset.
fn read_in_parts(
    bytes: &[u8],
    split: usize,
    opts: &IngestOptions,
) -> (bool, Result<Dataset, Error>) {
    let mut first = Ingest::new(opts.clone());
    let fed = first.feed(&bytes[..split]);
    let mut part = Ingest::part(&bytes[..SNIFF_BYTES], opts.clone())
        .expect("the head sniffs as the whole read's does")
        .expect("a UTF-8 text file can be read in parts");
    part.feed(&bytes[split..])
        .expect("a part's feed never fails");
    let part = part.into_part().expect("a part ends");
    // Through the byte form, as between workers.
    let part = Part::from_bytes(&part.to_bytes()).expect("the byte form reads back");
    if let Err(e) = fed {
        return (false, Err(e));
    }
    let joined = first.at_record_boundary() && first.join(part).expect("join");
    if !joined {
        first.feed(&bytes[split..]).expect("feed the rest");
    }
    (joined, first.finish())
}

/// `header` and rows `row(1)`, `row(2)`... until the text is `len` long.
fn rows_until(header: &str, len: usize, row: impl Fn(usize) -> String) -> String {
    let mut text = String::from(header);
    let mut i = 0;
    while text.len() < len {
        i += 1;
        text.push_str(&row(i));
    }
    text
}

fn assert_same(whole: &Result<Dataset, Error>, parts: &Result<Dataset, Error>, split: usize) {
    match (whole, parts) {
        (Ok(w), Ok(p)) => {
            assert_eq!(w.info, p.info, "read info differs, split at byte {split}");
            assert_eq!(
                w.customer_keys, p.customer_keys,
                "customers differ, split at {split}"
            );
            assert!(w.orders == p.orders, "orders differ, split at byte {split}");
            assert_eq!(w.products, p.products, "products differ, split at {split}");
            assert_eq!(
                (&w.product_categories, &w.categories),
                (&p.product_categories, &p.categories),
                "categories differ, split at {split}"
            );
            assert!(
                w.line_starts == p.line_starts && w.lines == p.lines,
                "line items differ, split at byte {split}"
            );
            assert_eq!(w, p, "split at byte {split}");
        }
        (w, p) => assert_eq!(w.as_ref().err(), p.as_ref().err(), "split at byte {split}"),
    }
}

#[test]
fn the_sample_joins_at_every_tried_line_end_and_equals_the_whole_read() {
    let (text, _) = shopify_csv(&SampleParams {
        orders: 3_000,
        ..SampleParams::default()
    });
    let bytes = text.as_bytes();
    let opts = IngestOptions::default();
    let whole = read_all(bytes, opts.clone());
    // Line items too: an order's lines are often on both sides of a split.
    assert!(whole.as_ref().is_ok_and(|d| d.has_products()));
    let mut tried = 0;
    let mut at = SNIFF_BYTES;
    while let Some(split) = after_line_end(bytes, at) {
        if split >= bytes.len() {
            break;
        }
        let (joined, parts) = read_in_parts(bytes, split, &opts);
        // The sample has no quoted line ends and no problems: every split
        // at a line end joins.
        assert!(joined, "split at byte {split} did not join");
        assert_same(&whole, &parts, split);
        tried += 1;
        at = split + 7_919;
    }
    assert!(tried > 50, "{tried} splits tried");
}

#[test]
fn a_split_inside_a_quoted_field_is_not_a_record_boundary() {
    let text = rows_until(
        "Name,Email,Created at,Total,Note\n",
        SNIFF_BYTES + 10_000,
        |i| {
            format!(
                "#{i},c{}@example.com,2024-01-{:02},{},\"gift\nwrap {i}\"\n",
                i % 37,
                i % 28 + 1,
                1000 + i
            )
        },
    );
    let bytes = text.as_bytes();
    // The line end inside the quotes of some row after the sniff.
    let inside = after_line_end(bytes, bytes.iter().rposition(|&b| b == b'g').unwrap_or(0))
        .expect("a line end");
    let mut first = Ingest::new(IngestOptions::default());
    first.feed(&bytes[..inside]).expect("feed");
    assert!(!first.at_record_boundary());
    let (joined, parts) = read_in_parts(bytes, inside, &IngestOptions::default());
    assert!(!joined);
    assert_same(&read_all(bytes, IngestOptions::default()), &parts, inside);
}

#[test]
fn damaged_part_bytes_are_refused_not_a_panic() {
    let (text, _) = shopify_csv(&SampleParams {
        orders: 1_500,
        ..SampleParams::default()
    });
    let bytes = text.as_bytes();
    let split = after_line_end(bytes, bytes.len() / 2).expect("a line end");
    let mut part = Ingest::part(&bytes[..SNIFF_BYTES], IngestOptions::default())
        .expect("sniff")
        .expect("splittable");
    part.feed(&bytes[split..]).expect("feed");
    let part = part.into_part().expect("part");
    let good = part.to_bytes();
    assert_eq!(part.byte_len(), good.len());
    assert!(Part::from_bytes(&good).is_some());
    for cut in [0, 7, 8, 20, good.len() / 3, good.len() / 2, good.len() - 1] {
        assert!(Part::from_bytes(&good[..cut]).is_none(), "cut at {cut}");
    }
    let mut flipped = good.clone();
    for k in (0..flipped.len()).step_by(997) {
        flipped[k] ^= 0x5a;
        let _ = Part::from_bytes(&flipped); // refused or read, never a panic
    }
}

#[test]
fn files_that_cannot_be_split_say_so() {
    let opts = IngestOptions::default();
    // Shorter than the sniff.
    assert!(Ingest::part(b"Name,Total\n#1,100\n", opts.clone())
        .expect("sniff")
        .is_none());
    // UTF-16: a line-end byte can be half of a character.
    let mut utf16 = vec![0xff, 0xfe];
    let mut row = 0;
    while utf16.len() < SNIFF_BYTES + 100 {
        let line = if row == 0 {
            "Name,Email,Created at,Total\r\n".to_string()
        } else {
            format!("#{row},a{row}@example.com,2024-01-02,{row}00\r\n")
        };
        row += 1;
        utf16.extend(line.encode_utf16().flat_map(u16::to_le_bytes));
    }
    assert!(Ingest::part(&utf16[..SNIFF_BYTES], opts)
        .expect("sniff")
        .is_none());
}

/// One row of a messy export: ids repeat out of order, some ids are empty
/// (a line item of the order above), customers mostly follow the order,
/// notes hold quoted line ends. With `mess` > 0, dates and amounts are
/// sometimes unreadable, currencies mixed and a row's customer may not be
/// its order's: orders continued across a split then often cannot be
/// joined exactly and the whole read goes on instead.
fn messy_row(mess: u32) -> impl Strategy<Value = String> {
    let problems = mess;
    (
        prop_oneof![12 => (1u32..300).prop_map(Some), 1 => Just(None)],
        prop_oneof![12 => Just(true), mess => Just(false)],
        (0u32..40),
        prop_oneof![
            30 => (1u32..28, 1u32..13).prop_map(|(d, m)| format!("2024-{m:02}-{d:02}")),
            problems => Just("someday".to_string()),
            2 => Just(String::new())
        ],
        prop_oneof![
            30 => (0u32..50_000).prop_map(|v| v.to_string()),
            problems => Just("12.345".to_string()),
            problems => Just("n/a".to_string()),
            4 => Just(String::new())
        ],
        prop_oneof![12 => Just("JPY"), 3 * mess => Just("USD"), mess => Just("KWD"), 4 => Just("")],
        prop_oneof![10 => Just("paid"), 1 => Just("refunded"), 1 => Just("voided"), 4 => Just("")],
        prop_oneof![10 => Just(""), 1 => Just("100"), problems => Just("x")],
        // Quantity, product and category of the line.
        prop_oneof![4 => Just(String::new()), 4 => (0u32..4).prop_map(|q| q.to_string()), 1 => Just("x".to_string())],
        prop_oneof![2 => Just(String::new()), 8 => "[A-H]"],
        prop_oneof![6 => Just(String::new()), 2 => "[k-n]"],
        prop_oneof![
            6 => "[a-z ]{0,40}",
            1 => "[a-z]{1,10}".prop_map(|s| format!("\"{s}\nmore, \"\"quoted\"\" {s}\"")),
        ],
    )
        .prop_map(
            |(id, own_customer, other, date, total, cur, status, refund, qty, product, category, note)| {
                let email = match (id, own_customer) {
                    (Some(i), true) => format!("c{}@example.com", i % 90),
                    (_, _) if other % 5 == 0 => String::new(),
                    _ => format!("c{other}@example.com"),
                };
                let id = id.map(|i| format!("#{i}")).unwrap_or_default();
                format!("{id},{email},{status},{date},{cur},{total},{refund},{qty},{product},{category},{note}\n")
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_split_of_a_messy_export_reads_as_the_whole(
        rows in (0u32..3).prop_flat_map(|p| proptest::collection::vec(messy_row(p), 40..120)),
        splits in proptest::collection::vec(0.0f64..1.0, 1..6),
        with_total in any::<bool>(),
    ) {
        let header = if with_total {
            "Order ID,Email,Status,Order Date,Currency,Total,Refunded Amount,Qty,Product,Category,Note\n"
        } else {
            "Order ID,Email,Status,Order Date,Currency,Price,Refunded Amount,Qty,Product,Category,Note\n"
        };
        // Long enough to be read in parts: the rows repeated, with ids
        // shifted per copy so later copies continue some orders and start
        // others.
        let mut text = String::from(header);
        let mut copy = 0;
        while text.len() < SNIFF_BYTES * 2 {
            for r in &rows {
                let r = if copy % 2 == 1 { r.replacen("#1", "#9", 1) } else { r.clone() };
                text.push_str(&r);
            }
            copy += 1;
        }
        let bytes = text.as_bytes();
        let opts = IngestOptions::default();
        let whole = read_all(bytes, opts.clone());
        for f in splits {
            let at = SNIFF_BYTES + ((bytes.len() - SNIFF_BYTES) as f64 * f) as usize;
            let Some(split) = after_line_end(bytes, at) else { continue };
            if split >= bytes.len() {
                continue;
            }
            let (_, parts) = read_in_parts(bytes, split, &opts);
            assert_same(&whole, &parts, split);
        }
    }
}

/// A file of clean filler orders (past the sniff), then `before`, split,
/// then `after`: whether the part was joined, once checked equal to the
/// whole read.
fn split_between(before: &[&str], after: &[&str]) -> bool {
    split_between_in(
        "Order ID,Email,Status,Order Date,Currency,Price,Refunded Amount\n",
        |i| {
            format!(
                "F{i},f{}@example.com,paid,2024-02-{:02},JPY,{},\n",
                i % 300,
                i % 28 + 1,
                100 + i
            )
        },
        before,
        &[after, &["F1,f1@example.com,paid,2024-03-01,JPY,500,"]].concat(),
    )
    .0
}

/// As [`split_between`], with the given header and filler rows; also the
/// dataset read.
fn split_between_in(
    header: &str,
    filler: impl Fn(usize) -> String,
    before: &[&str],
    after: &[&str],
) -> (bool, Dataset) {
    let mut text = rows_until(header, SNIFF_BYTES + 1_000, filler);
    for r in before {
        text.push_str(r);
        text.push('\n');
    }
    let split = text.len();
    for r in after {
        text.push_str(r);
        text.push('\n');
    }
    let bytes = text.as_bytes();
    let whole = read_all(bytes, IngestOptions::default());
    let (joined, parts) = read_in_parts(bytes, split, &IngestOptions::default());
    assert_same(&whole, &parts, split);
    (joined, whole.expect("the fixture reads"))
}

#[test]
fn an_order_continued_across_the_split_is_merged_as_one_read_builds_it() {
    // Line items on both sides: prices add up, the refund and status of a
    // later row count.
    assert!(split_between(
        &["X1,x@example.com,paid,2024-05-01,JPY,1000,"],
        &["X1,,refunded,,,250,300", "X1,,,,,125,"],
    ));
    // Rows with an empty order id continue the order above, across the
    // split too.
    assert!(split_between(
        &["X2,y@example.com,paid,2024-05-02,JPY,700,"],
        &[",,,,,300,", ",,,,,1,"],
    ));
    // The date, customer and currency come from the first row that has
    // them, wherever it is.
    assert!(split_between(
        &["X3,,paid,,,700,"],
        &["X3,z@example.com,,2024-05-03,JPY,5,"],
    ));
    // A currency met only on a later row of an order that has one is not
    // listed (the order keeps its first currency).
    assert!(split_between(
        &["X4,w@example.com,paid,2024-05-04,JPY,700,"],
        &["X4,,,,KRW,5,"],
    ));
    // A problem on an order's first row after the split is reported on
    // its line in the whole file.
    assert!(split_between(
        &[],
        &["X5,v@example.com,paid,2024-05-05,JPY,n/a,"]
    ));
}

#[test]
fn an_order_continued_in_a_way_the_parts_cannot_reproduce_is_read_again() {
    // A later row's unreadable date: the whole read never parses it, as
    // the order already has a date.
    assert!(!split_between(
        &["Y1,x@example.com,paid,2024-05-01,JPY,1000,"],
        &["Y1,,,someday,,250,"],
    ));
    // A later row's other customer: the whole read never looks at it.
    assert!(!split_between(
        &["Y2,x@example.com,paid,2024-05-01,JPY,1000,"],
        &["Y2,other@example.com,,,,250,"],
    ));
    // An order in dollars (2 minor digits) whose later rows the part read
    // with the file's yen digits.
    assert!(!split_between(
        &["Y3,x@example.com,paid,2024-05-01,USD,10.50,"],
        &["Y3,,,,,3,"],
    ));
}

#[test]
fn line_items_of_an_order_on_both_sides_of_the_split_are_joined_in_row_order() {
    let (joined, data) = split_between_in(
        "Order ID,Email,Order Date,Total,Quantity,Product,Price,Category\n",
        |i| {
            format!(
                "F{i},f{}@example.com,2024-02-{:02},{},1,P{},{},C{}\n",
                i % 300,
                i % 28 + 1,
                100 + i,
                i % 7,
                100 + i,
                i % 7 % 3
            )
        },
        &[
            "X1,x@example.com,2024-05-01,5000,2,Tea,1500,Drinks",
            "X2,y@example.com,2024-05-02,900,1,Cake,900,",
        ],
        &[
            // X1 goes on: a product and a category new in the second part,
            // then Cake, which gets its first category here.
            "X1,,,,1,Scone,800,Bakery",
            "X1,,,,3,Cake,100,Sweets",
            // A category first met on a product that has one (Tea), then
            // on one that has none: numbered where first met all the same.
            "X3,z@example.com,2024-05-03,750,1,Tea,700,Food",
            "X3,,,,1,Jam,50,Food",
        ],
    );
    assert!(joined);
    assert_eq!(data.info.mapping.get(Field::Category), Some(7));
    let n = data.orders.len();
    let line = |i: usize| -> Vec<(&str, u32, i64)> {
        data.lines_of(i)
            .iter()
            .map(|l| (&data.products[l.product as usize], l.quantity, l.amount))
            .collect()
    };
    assert_eq!(
        line(n - 3),
        [("Tea", 2, 3000), ("Scone", 1, 800), ("Cake", 3, 300)]
    );
    assert_eq!(line(n - 2), [("Cake", 1, 900)]);
    assert_eq!(line(n - 1), [("Tea", 1, 700), ("Jam", 1, 50)]);
    assert_eq!(data.orders[n - 3].amount, 5000);
    let category = |p: &str| {
        let i = data.products.iter().position(|q| q == p).expect("product");
        &data.categories[data.product_categories[i] as usize]
    };
    assert_eq!(
        [
            category("Tea"),
            category("Scone"),
            category("Cake"),
            category("Jam")
        ],
        ["Drinks", "Bakery", "Sweets", "Food"]
    );
    // After the filler's C1, C2, C0: in the order the rows met them.
    let k = data.categories.len();
    assert_eq!(
        data.categories.iter().skip(k - 4).collect::<Vec<_>>(),
        ["Drinks", "Bakery", "Sweets", "Food"]
    );
    assert_eq!(k, 7);
}
