//! Line items in the order store: each row with a product cell is a line of
//! its order (product as written, quantity, price × quantity), laid out in
//! the sorted order of the orders, excluded orders' lines dropped. Every
//! expectation is built by hand from the fixture's rows.

use ltv_engine::ingest::{read_all, IngestOptions};
use ltv_engine::mapping::Field;
use ltv_engine::store::{Dataset, NO_CATEGORY};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A line as (product, category, quantity, amount).
type LineText<'a> = (&'a str, Option<&'a str>, u32, i64);

/// Each order's lines, in the store's order.
fn baskets(data: &Dataset) -> Vec<Vec<LineText<'_>>> {
    assert_eq!(data.line_starts.len(), data.orders.len() + 1);
    assert_eq!(data.product_categories.len(), data.products.len());
    (0..data.orders.len())
        .map(|i| {
            data.lines_of(i)
                .iter()
                .map(|l| {
                    let p = l.product as usize;
                    let c = data.product_categories[p];
                    let category = (c != NO_CATEGORY).then(|| &data.categories[c as usize]);
                    (&data.products[p], category, l.quantity, l.amount)
                })
                .collect()
        })
        .collect()
}

#[test]
fn shopify_line_items_are_the_orders_products() {
    let data = read_all(&fixture("shopify_small.csv"), IngestOptions::default()).unwrap();
    assert!(data.has_products());
    // Shopify's order export has no category column.
    assert_eq!(data.info.mapping.get(Field::Category), None);
    // Orders by day: #1001, #1002, #1003, #1006, #1007, #1008 (#1004
    // voided, #1005 refunded, #1009 an impossible date: their lines are
    // dropped). Amounts in cents: Lineitem price × Lineitem quantity, read
    // although the orders' amounts are their Total.
    assert_eq!(
        baskets(&data),
        vec![
            vec![
                ("Coffee beans", None, 1, 8050),
                ("Drip bags", None, 1, 3000)
            ],
            vec![("Green tea", None, 2, 8000)],
            vec![("Cookies", None, 1, 4525)],
            vec![("Coffee beans", None, 4, 20000)],
            vec![("Green tea", None, 1, 3000)],
            vec![("Espresso machine", None, 3, 123456)],
        ]
    );
    assert_eq!(
        data.orders.iter().map(|o| o.amount).collect::<Vec<_>>(),
        [12050, 8000, 4525, 15000, 3000, 123456]
    );
    // Products of excluded orders stay interned (no line refers to them),
    // in the order the rows met them.
    assert_eq!(
        data.products.iter().collect::<Vec<_>>(),
        [
            "Coffee beans",
            "Drip bags",
            "Green tea",
            "Cookies",
            "Gift set",
            "Mug",
            "Saucer",
            "Espresso machine"
        ]
    );
    assert!(data.categories.is_empty());
    assert!(data.product_categories.iter().all(|&c| c == NO_CATEGORY));
}

#[test]
fn the_workbook_has_the_same_line_items_as_the_csv() {
    let csv = read_all(&fixture("shopify_small.csv"), IngestOptions::default()).unwrap();
    let xlsx = read_all(
        &fixture("workbooks/shopify_small.xlsx"),
        IngestOptions::default(),
    )
    .unwrap();
    assert_eq!(baskets(&xlsx), baskets(&csv));
}

#[test]
fn without_a_price_column_lines_have_quantities_and_no_amount() {
    // 注文番号,注文日時,会員ID,購入者名,商品名,数量,お支払い金額,対応状況:
    // the order's total is its amount; a line has no price of its own.
    let data = read_all(&fixture("generic_ja_sjis.csv"), IngestOptions::default()).unwrap();
    assert!(data.has_products());
    let b = baskets(&data);
    assert_eq!(
        b[0],
        vec![("コーヒー豆", None, 1, 0), ("ドリップバッグ", None, 2, 0)]
    );
    assert!(data.lines.iter().all(|l| l.amount == 0));
}

/// A generic export with a category column: order id, customer, date, unit
/// price, quantity, product, category, status.
const GENERIC: &str = "\
Order ID,Customer ID,Order Date,Unit Price,Qty,Product Name,Category,Status
A1,c1,2024-01-05,500,2,Tea,Drinks,paid
A1,c1,2024-01-05,300,,Cake,,paid
A2,c2,2024-01-03,300,1, Cake ,Sweets,paid
A2,c2,2024-01-03,500,1,,,paid
A3,c1,2024-01-04,100,1,Tea,Food,cancelled
A3,c1,2024-01-04,100,1,Scone,Bakery,cancelled
A4,c2,2024-01-06,250,0,Tea,,paid
A4,c2,2024-01-06,250,x,Jam,Spreads,paid
A6,c1,2024-01-05,100,3,Jam,Food,paid
";

#[test]
fn a_generic_export_with_categories() {
    let data = read_all(GENERIC.as_bytes(), IngestOptions::default()).unwrap();
    let m = &data.info.mapping;
    assert_eq!(m.get(Field::Category), Some(6));
    assert_eq!(m.get(Field::Product), Some(5));
    assert!(data.has_products());
    // Orders by day, then customer (c1 = 0, c2 = 1), ties (A1 and A6 on
    // the same day for c1) in file order; A3 is cancelled.
    assert_eq!(
        baskets(&data),
        vec![
            // A2: the product trimmed; the row without a product is no line
            // (its 500 counts in the order's amount).
            vec![("Cake", Some("Sweets"), 1, 300)],
            // A1: Cake's category is its first non-empty one (A2's row).
            vec![
                ("Tea", Some("Drinks"), 2, 1000),
                ("Cake", Some("Sweets"), 1, 300)
            ],
            // A6: Jam keeps Spreads (A4's row is earlier in the file).
            vec![("Jam", Some("Spreads"), 3, 300)],
            // A4: quantity 0 reads as 1 line of 0; "x" as quantity 1.
            vec![
                ("Tea", Some("Drinks"), 1, 0),
                ("Jam", Some("Spreads"), 1, 250)
            ],
        ]
    );
    assert_eq!(
        data.orders.iter().map(|o| o.amount).collect::<Vec<_>>(),
        [800, 1300, 300, 250]
    );
    // Without an order total the lines add up to the order (here every
    // row has a product but A2's second).
    for i in [1, 2, 3] {
        let sum: i64 = data.lines_of(i).iter().map(|l| l.amount).sum();
        assert_eq!(sum, data.orders[i].amount, "order {i}");
    }
    // Every category cell of a product row is interned, in file order,
    // also those of the cancelled A3 (Food, Bakery) and those a product
    // already had one for.
    assert_eq!(
        data.categories.iter().collect::<Vec<_>>(),
        ["Drinks", "Sweets", "Food", "Bakery", "Spreads"]
    );
    assert_eq!(
        data.products.iter().collect::<Vec<_>>(),
        ["Tea", "Cake", "Scone", "Jam"]
    );
    assert_eq!(data.lines.len(), 6);
}

#[test]
fn cancelled_orders_lines_are_dropped_and_kept_when_cancelled_orders_count() {
    let opts = IngestOptions::default();
    let data = read_all(GENERIC.as_bytes(), opts.clone()).unwrap();
    assert!(data
        .lines
        .iter()
        .all(|l| &data.products[l.product as usize] != "Scone"));
    let mut keep = opts;
    keep.rules.exclude_cancelled = false;
    let all = read_all(GENERIC.as_bytes(), keep).unwrap();
    // A3 (2024-01-04, c1) now sits between A2 and A1.
    assert_eq!(all.orders.len(), 5);
    assert_eq!(
        baskets(&all)[1],
        vec![
            ("Tea", Some("Drinks"), 1, 100),
            ("Scone", Some("Bakery"), 1, 100)
        ]
    );
    assert_eq!(all.lines.len(), 8);
}

#[test]
fn a_file_without_a_product_column_has_no_products() {
    let data = read_all(&fixture("cohorts_small.csv"), IngestOptions::default()).unwrap();
    assert!(!data.has_products());
    assert!(data.lines.is_empty() && data.line_starts.is_empty());
    assert!(data.products.is_empty() && data.categories.is_empty());
    // A product column whose cells are all empty: no products either.
    let empty = "Order ID,Email,Order Date,Total,Product\n1,a@x.jp,2024-01-05,100,\n";
    let data = read_all(empty.as_bytes(), IngestOptions::default()).unwrap();
    assert_eq!(data.info.mapping.get(Field::Product), Some(4));
    assert!(!data.has_products());
    assert!(data.lines.is_empty());
}
