//! Reading files whose columns no header table names: the hand-made
//! Japanese export of issue #14 reads without a question, and a file with
//! competing columns asks, naming its columns and `--map`.

mod common;

use common::{fixture, run};
use std::process::Output;

fn revenue(out: &Output) -> f64 {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    r["summary"]["revenue"].as_f64().expect("revenue")
}

#[test]
fn the_hand_made_japanese_excel_export_reads_without_a_question() {
    let out = run(&["analyze", &fixture("handmade_ja_utf16.txt"), "--json"]);
    assert_eq!(revenue(&out), 70610.0);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["summary"]["encoding"], "UTF-16LE");
    assert_eq!(r["summary"]["customers"], 6);
}

#[test]
fn competing_columns_ask_with_the_columns_and_the_flag_to_name_them() {
    let file = fixture("two_dates_two_amounts.csv");
    let out = run(&["analyze", &file]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for part in [
        "could not find a column for: order_date, order_total",
        "the file's columns: 顧客ID, 注文番号, 受付日, 発送日, お会計, 税抜",
        "--map order_date=受付日",
        "--map order_total=お会計",
    ] {
        assert!(err.contains(part), "{part:?} in {err}");
    }
    let named = |date: &str, total: &str| {
        revenue(&run(&[
            "analyze",
            &file,
            "--json",
            "--map",
            &format!("order_date={date}"),
            "--map",
            &format!("order_total={total}"),
        ]))
    };
    assert_eq!(named("受付日", "お会計"), 22280.0);
    assert_eq!(named("発送日", "税抜"), 20254.0);
    // The customers list takes the same flags.
    let out = run(&[
        "customers",
        &file,
        "--map",
        "order_date=受付日",
        "--map",
        "order_total=お会計",
    ]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

#[test]
fn a_bad_map_names_what_was_expected() {
    let file = fixture("two_dates_two_amounts.csv");
    let out = run(&["analyze", &file, "--map", "total=お会計"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown field \"total\"") && err.contains("order_total"),
        "{err}"
    );
    let out = run(&["analyze", &file, "--map", "order_total=合計"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no column is headed \"合計\" (for order_total)")
            && err.contains("お会計, 税抜"),
        "{err}"
    );
    let out = run(&["analyze", &file, "--map", "order_total"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("expected FIELD=HEADER"), "{err}");
}
