//! CSV export: hostile cells read back as a spreadsheet would see them,
//! numbers stay numbers, UTF-8 BOM, Shift_JIS round trip and replacement.

use chrono::NaiveDate;
use encoding_rs::SHIFT_JIS;
use ltv_engine::export::{write_table, Cell, Export, ExportEncoding, ExportError};
use proptest::prelude::*;

/// The records of a UTF-8 export (BOM checked and removed), header first,
/// read with the `csv` crate's reader.
fn read_utf8(out: &Export) -> Vec<Vec<String>> {
    assert!(out.bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    read(&out.bytes[3..])
}

fn read(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    rdr.records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn one_column(cells: &[Cell], enc: ExportEncoding) -> Export {
    write_table(&["x"], cells.iter().map(|c| vec![c.clone()]), enc).unwrap()
}

#[test]
fn hostile_text_cells_are_neutralised_and_read_back_with_a_quote() {
    let cases: &[(&str, &str)] = &[
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+81-90-1234-5678", "'+81-90-1234-5678"),
        ("-2+3", "'-2+3"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        (
            "=HYPERLINK(\"http://x\",\"a\")",
            "'=HYPERLINK(\"http://x\",\"a\")",
        ),
        ("-1200", "'-1200"), // a negative number given as TEXT is text
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("a,b \"q\"\nline", "a,b \"q\"\nline"),
        ("1-2", "1-2"),
        (" =1", " =1"),
        ("", ""),
        ("山田太郎", "山田太郎"),
    ];
    let cells: Vec<Cell> = cases.iter().map(|(s, _)| Cell::from(*s)).collect();
    let out = one_column(&cells, ExportEncoding::Utf8Bom);
    let rows = read_utf8(&out);
    assert_eq!(rows.len(), cases.len() + 1);
    assert_eq!(rows[0], vec!["x"]);
    for ((input, seen), row) in cases.iter().zip(&rows[1..]) {
        assert_eq!(row, &vec![seen.to_string()], "input {input:?}");
    }
    assert_eq!(out.neutralised_cells, 8);
    assert_eq!(out.rows, cases.len());
}

#[test]
fn exact_bytes_quoting_and_crlf() {
    let rows = vec![
        vec![
            Cell::from("=1+1"),
            Cell::Int(-1200),
            Cell::money(-120000, 2),
            Cell::from("a,b"),
            Cell::from("plain"),
        ],
        vec![
            Cell::from("say \"hi\""),
            Cell::Int(0),
            Cell::money(1234, 0),
            Cell::Empty,
            Cell::from("don't"),
        ],
    ];
    let out = write_table(&["c", "n", "m", "t", "u"], rows, ExportEncoding::Utf8Bom).unwrap();
    let text = std::str::from_utf8(&out.bytes[3..]).unwrap();
    assert_eq!(
        text,
        "c,n,m,t,u\r\n\
         \"'=1+1\",-1200,-1200.00,\"a,b\",plain\r\n\
         \"say \"\"hi\"\"\",0,1234,,\"don't\"\r\n"
    );
}

#[test]
fn numbers_stay_numbers() {
    let d = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let row = vec![
        Cell::Int(-1200),
        Cell::Int(-2),
        Cell::money(-120000, 2),
        Cell::money(123450, 2),
        Cell::money(1234, 0),
        Cell::money(-1200, 0),
        Cell::money(7, 2),
        Cell::Float(-0.5),
        Cell::Float(f64::NAN),
        Cell::Date(d),
        Cell::from(None::<i64>),
        Cell::from(Some(3i64)),
    ];
    let header: Vec<String> = (0..row.len()).map(|i| format!("h{i}")).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let out = write_table(&header, vec![row], ExportEncoding::Utf8Bom).unwrap();
    let rows = read_utf8(&out);
    assert_eq!(
        rows[1],
        vec![
            "-1200",
            "-2",
            "-1200.00",
            "1234.50",
            "1234",
            "-1200",
            "0.07",
            "-0.5",
            "",
            "2024-02-29",
            "",
            "3"
        ]
    );
    assert_eq!(out.neutralised_cells, 0);
    // Numbers are never quoted.
    let text = std::str::from_utf8(&out.bytes[3..]).unwrap();
    assert!(text.ends_with("\r\n-1200,-2,-1200.00,1234.50,1234,-1200,0.07,-0.5,,2024-02-29,,3\r\n"));
}

#[test]
fn utf8_bom_and_headers_neutralised_too() {
    let out = write_table(
        &["=cmd", "名前"],
        Vec::<Vec<Cell>>::new(),
        ExportEncoding::Utf8Bom,
    )
    .unwrap();
    assert_eq!(out.bytes, "\u{feff}\"'=cmd\",名前\r\n".as_bytes());
    assert_eq!(out.neutralised_cells, 1);
    assert_eq!(out.rows, 0);
    assert_eq!(
        ExportEncoding::Utf8Bom.mime_type(),
        "text/csv;charset=utf-8"
    );
}

#[test]
fn rows_of_the_wrong_width_are_an_error() {
    let rows = vec![vec![Cell::Int(1), Cell::Int(2)], vec![Cell::Int(1)]];
    assert_eq!(
        write_table(&["a", "b"], rows, ExportEncoding::Utf8Bom),
        Err(ExportError::RowWidth {
            row: 2,
            expected: 2,
            found: 1
        })
    );
}

#[test]
fn shift_jis_decodes_back_to_the_same_japanese_text() {
    let names = [
        "山田太郎",
        "ｶﾀｶﾅ",
        "髙橋",
        "ﾔﾏﾀﾞ ﾀﾛｳ",
        "東京都千代田区１－２",
        "〒100-0001",
        "=山田",
    ];
    let cells: Vec<Cell> = names.iter().map(|s| Cell::from(*s)).collect();
    let out = one_column(&cells, ExportEncoding::ShiftJis);
    assert!(!out.bytes.starts_with(b"\xEF\xBB\xBF"));
    assert_eq!(out.unrepresentable_chars, 0);
    assert_eq!(out.cells_with_unrepresentable, 0);
    assert_eq!(out.neutralised_cells, 1);
    let (text, had_errors) = SHIFT_JIS.decode_without_bom_handling(&out.bytes);
    assert!(!had_errors);
    let rows = read(text.as_bytes());
    let back: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    // Every name as it was, but the formula-like one behind its quote.
    let mut expected = names.to_vec();
    expected[6] = "'=山田";
    assert_eq!(back, expected);
    assert_eq!(
        ExportEncoding::ShiftJis.mime_type(),
        "text/csv;charset=shift_jis"
    );
}

#[test]
fn shift_jis_bytes_for_katakana_and_the_cp932_taka() {
    let out = one_column(
        &[Cell::from("ｶ"), Cell::from("髙")],
        ExportEncoding::ShiftJis,
    );
    // Half-width katakana is one byte; 髙 (U+9AD9) is the IBM extension FB FC.
    assert_eq!(out.bytes, b"x\r\n\xB6\r\n\xFB\xFC\r\n");
}

#[test]
fn shift_jis_replaces_and_counts_what_it_cannot_hold() {
    let cells = [
        Cell::from("田中😀"),
        Cell::from("😀😀x"),
        Cell::from("Zoë"),
        Cell::from("ok"),
    ];
    let out = write_table(
        &["名前😀"],
        cells.iter().map(|c| vec![c.clone()]),
        ExportEncoding::ShiftJis,
    )
    .unwrap();
    assert_eq!(out.unrepresentable_chars, 5);
    assert_eq!(out.cells_with_unrepresentable, 4);
    // No HTML character references in the file.
    assert!(!out.bytes.windows(2).any(|w| w == b"&#"));
    let (text, had_errors) = SHIFT_JIS.decode_without_bom_handling(&out.bytes);
    assert!(!had_errors);
    assert_eq!(
        read(text.as_bytes()),
        vec![
            vec!["名前?"],
            vec!["田中?"],
            vec!["??x"],
            vec!["Zo?"],
            vec!["ok"]
        ]
    );
    // UTF-8 keeps everything.
    let utf8 = one_column(&cells, ExportEncoding::Utf8Bom);
    assert_eq!(utf8.unrepresentable_chars, 0);
    assert_eq!(read_utf8(&utf8)[1], vec!["田中😀"]);
}

fn dangerous(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

proptest! {
    /// Any text reads back as itself, or as `'` + itself when it begins
    /// with a dangerous character; never anything else.
    #[test]
    fn any_text_round_trips(
        cells in prop::collection::vec(
            prop_oneof![
                any::<String>(),
                "[=+\\-@\t\r\n,\"' a1山ｶ]{0,8}",
            ],
            1..6,
        )
    ) {
        let header: Vec<String> = (0..cells.len()).map(|i| format!("c{i}")).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let row: Vec<Cell> = cells.iter().map(|s| Cell::from(s.as_str())).collect();
        let out = write_table(&header, vec![row], ExportEncoding::Utf8Bom).unwrap();
        let rows = read_utf8(&out);
        prop_assert_eq!(rows.len(), 2);
        let mut neutralised = 0;
        for (input, seen) in cells.iter().zip(&rows[1]) {
            if dangerous(input) {
                neutralised += 1;
                prop_assert_eq!(seen, &format!("'{input}"));
            } else {
                prop_assert_eq!(seen, input);
            }
        }
        prop_assert_eq!(out.neutralised_cells, neutralised);
    }

    /// Money is exact: the written text parses back to the same minor units.
    #[test]
    fn money_reads_back_exactly(minor in any::<i64>(), exponent in 0u8..5) {
        let out = one_column(&[Cell::money(minor, exponent)], ExportEncoding::Utf8Bom);
        let seen = read_utf8(&out)[1][0].clone();
        let digits: String = seen.chars().filter(|c| c.is_ascii_digit()).collect();
        let frac = seen.split_once('.').map_or(0, |(_, f)| f.len());
        prop_assert_eq!(frac, usize::from(exponent));
        prop_assert_eq!(digits.parse::<u64>().unwrap(), minor.unsigned_abs());
        prop_assert_eq!(seen.starts_with('-'), minor < 0);
    }
}

#[test]
fn shift_jis_yen_overline_and_minus_sign_as_encoding_rs_maps_them() {
    // Encoded, not counted as unrepresentable, but not read back unchanged:
    // ¥ → 0x5C (decodes as `\`), ‾ → 0x7E (`~`), − (U+2212) → 0x81 0x7C
    // (decodes as － U+FF0D).
    let out = one_column(
        &[Cell::from("¥1,000"), Cell::from("‾"), Cell::from("1−2")],
        ExportEncoding::ShiftJis,
    );
    assert_eq!(out.unrepresentable_chars, 0);
    assert_eq!(out.bytes, b"x\r\n\"\\1,000\"\r\n~\r\n1\x81\x7C2\r\n");
    let (text, _) = SHIFT_JIS.decode_without_bom_handling(&out.bytes);
    assert_eq!(text, "x\r\n\"\\1,000\"\r\n~\r\n1－2\r\n");
}
