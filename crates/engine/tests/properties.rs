//! Property tests: the engine never panics on any bytes, and any order
//! table written in any supported encoding, delimiter and chunking reads
//! back to the same orders.

use ltv_engine::ingest::{Ingest, IngestOptions};
use ltv_engine::report::{analyze, AnalyzeParams};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), chunk in 1usize..64) {
        let mut ing = Ingest::new(IngestOptions::default());
        let mut ok = true;
        for c in bytes.chunks(chunk) {
            if ing.feed(c).is_err() { ok = false; break; }
        }
        if ok {
            if let Ok(data) = ing.finish() {
                let _ = analyze(&data, &AnalyzeParams::default());
            }
        }
    }

    #[test]
    fn garbage_behind_a_workbook_signature_never_panics(
        kind in 0usize..2,
        body in proptest::collection::vec(any::<u8>(), 0..3000),
    ) {
        let mut bytes = [b"PK\x03\x04".to_vec(), b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec()][kind].clone();
        bytes.extend(body);
        let _ = ltv_engine::ingest::read_all(&bytes, IngestOptions::default());
    }

    #[test]
    fn csv_like_text_never_panics(text in "[a-z@.,;\"\\t\\n\\r0-9 /:-]{0,600}") {
        let with_header = format!("email,date,total\n{text}");
        if let Ok(data) = ltv_engine::ingest::read_all(with_header.as_bytes(), IngestOptions::default()) {
            let _ = analyze(&data, &AnalyzeParams::default());
        }
    }

    #[test]
    fn tables_round_trip_through_every_encoding_and_delimiter(
        orders in proptest::collection::vec((0u8..30, 0u32..1500, 0i64..5_000_000), 1..60),
        enc in 0usize..6,
        delim in 0usize..3,
        crlf in any::<bool>(),
        chunk in 1usize..50,
    ) {
        let delimiter = [',', '\t', ';'][delim];
        let nl = if crlf { "\r\n" } else { "\n" };
        let base = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
        let mut text = format!("メールアドレス{delimiter}注文日{delimiter}合計金額{delimiter}備考{nl}");
        let mut expected: std::collections::BTreeMap<String, i64> = Default::default();
        for (c, day, amount) in &orders {
            let key = format!("客{c}@例え.jp");
            let date = base + chrono::Days::new(*day as u64);
            // Amounts written as 1,234 円 (quoted where the delimiter is a comma).
            let money = format!("{}円", amount);
            text.push_str(&format!("{key}{delimiter}{date}{delimiter}{money}{delimiter}\"メモ{delimiter}「注」\"{nl}"));
            *expected.entry(key).or_default() += amount;
        }
        let bytes: Vec<u8> = match enc {
            0 => text.clone().into_bytes(),
            1 => { let mut b = vec![0xEF, 0xBB, 0xBF]; b.extend(text.as_bytes()); b }
            2 => encoding_rs::SHIFT_JIS.encode(&text).0.into_owned(),
            3 => encoding_rs::EUC_JP.encode(&text).0.into_owned(),
            // Excel's "Unicode text": UTF-16 with a BOM, either byte order.
            4 => { let mut b = vec![0xFE, 0xFF]; for u in text.encode_utf16() { b.extend(u.to_be_bytes()); } b }
            _ => { let mut b = vec![0xFF, 0xFE]; for u in text.encode_utf16() { b.extend(u.to_le_bytes()); } b }
        };
        let mut ing = Ingest::new(IngestOptions::default());
        for c in bytes.chunks(chunk) { ing.feed(c).unwrap(); }
        let data = ing.finish().unwrap();
        prop_assert_eq!(data.info.rows, orders.len() as u64);
        prop_assert_eq!(data.orders.len(), orders.len());
        prop_assert_eq!(data.revenue(), orders.iter().map(|o| o.2).sum::<i64>());
        let mut got: std::collections::BTreeMap<String, i64> = Default::default();
        for o in &data.orders {
            *got.entry(data.customer_keys[o.customer as usize].to_string()).or_default() += o.amount;
        }
        prop_assert_eq!(got, expected);
    }
}
