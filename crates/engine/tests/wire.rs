//! The web app runs the engine in a Web Worker and hands the page its
//! results as JSON. These tests check that everything the page receives
//! (the report, the CLI's JSON itself; how the file was read, errors, the
//! settings it sends) comes back from JSON exactly equal.

use ltv_engine::calendar::Granularity;
use ltv_engine::error::Error;
use ltv_engine::ingest::{read_all, IngestOptions};
use ltv_engine::report::{analyze, AnalyzeParams, Report};
use ltv_engine::store::ReadInfo;
use ltv_sample::{shopify_csv, SampleParams};
use serde::de::DeserializeOwned;
use serde::Serialize;

fn round_trip<T: Serialize + DeserializeOwned>(x: &T) -> T {
    let text = serde_json::to_string(x).expect("serialises");
    serde_json::from_str(&text).expect("deserialises")
}

fn sample_report(params: &AnalyzeParams) -> (ReadInfo, Report) {
    let (csv, _) = shopify_csv(&SampleParams {
        orders: 3_000,
        ..SampleParams::default()
    });
    let data = read_all(csv.as_bytes(), IngestOptions::default()).expect("sample reads");
    let report = analyze(&data, params).expect("sample analyses");
    (data.info, report)
}

#[test]
fn report_survives_json_with_every_field() {
    for params in [
        AnalyzeParams::default(),
        AnalyzeParams {
            granularity: Granularity::Week,
            gross_margin: Some(0.35),
            cpa: Some(4_000.0),
            f2_within_days: Some(90),
            ..AnalyzeParams::default()
        },
    ] {
        let (_, report) = sample_report(&params);
        assert!(!report.repeat.f2.by_cohort.is_empty());
        assert!(report.decile_window.customers > 0);
        let back: Report = round_trip(&report);
        assert_eq!(back, report);
        // Every field is written: the JSON read back writes the same bytes.
        let text = serde_json::to_string(&report).expect("serialises");
        assert_eq!(serde_json::to_string(&back).expect("serialises"), text);
    }
}

#[test]
fn read_info_errors_and_settings_survive_json() {
    let (info, _) = sample_report(&AnalyzeParams::default());
    assert_eq!(round_trip(&info), info);

    let damaged = "Email,Created at,Total\nx@example.com,not a date,12\n";
    let err: Error = read_all(damaged.as_bytes(), IngestOptions::default())
        .err()
        .unwrap_or_else(|| {
            // The damaged row is only a problem; an unreadable file is an error.
            read_all(b"\x00\x01\x02binary", IngestOptions::default())
                .expect_err("binary is refused")
        });
    assert_eq!(round_trip(&err), err);

    let opts = IngestOptions {
        encoding: Some(encoding_rs::SHIFT_JIS),
        delimiter: Some(b';'),
        currency: Some("JPY".into()),
        ..IngestOptions::default()
    };
    assert_eq!(round_trip(&opts), opts);
    let params = AnalyzeParams {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 3, 31),
        decile_growth_rule: 0.1 + 0.2,
        ..AnalyzeParams::default()
    };
    assert_eq!(round_trip(&params), params);
}

#[test]
fn every_error_kind_survives_json() {
    use ltv_engine::calendar::Granularity;
    use ltv_engine::error::{ErrorKind, FileKind, Param, SettingError};
    use ltv_engine::mapping::Field;
    let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date");
    let out_of_range =
        |setting: Param, value: f64| -> Error { setting.check(value).expect_err("out of range") };
    let mut errors: Vec<Error> = vec![
        ErrorKind::Empty.into(),
        ErrorKind::NotTabular {
            looks_like: FileKind::UnreadableWorkbook,
        }
        .into(),
        ErrorKind::MappingNeeded {
            missing: vec![Field::OrderDate, Field::Email],
        }
        .into(),
        ErrorKind::BadMapping {
            field: Some(Field::OrderTotal),
            column: 7,
            columns: 3,
        }
        .into(),
        ErrorKind::BadMapping {
            field: None,
            column: 4,
            columns: 3,
        }
        .into(),
        ErrorKind::NoOrders.into(),
        out_of_range(Param::GrossMargin, 1.5),
        out_of_range(Param::LtvHorizon, 0.0),
        SettingError::WindowReversed {
            from: date("2024-05-01"),
            to: date("2024-01-01"),
        }
        .into(),
        SettingError::SpanTooLong {
            first_order: date("2024-01-15"),
            as_of: date("2999-01-01"),
            days: 356_099,
            max_days: 146_097,
        }
        .into(),
        SettingError::CohortTooLarge {
            granularity: Granularity::Week,
            cells: 30_000_000,
            max_cells: 20_000_000,
        }
        .into(),
        SettingError::FedAfterEnd.into(),
    ];
    errors[0].line = Some(3);
    for e in &errors {
        assert_eq!(&round_trip(e), e, "{e}");
    }
    // A value JSON numbers cannot hold comes back as itself.
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = out_of_range(Param::TargetBaseline, v);
        let back = round_trip(&e);
        assert_eq!(back.to_string(), e.to_string());
        let ErrorKind::InvalidSetting {
            error: SettingError::OutOfRange { value, .. },
        } = back.kind
        else {
            panic!("{back}");
        };
        assert!(value.is_nan() == v.is_nan() && (v.is_nan() || value == v));
    }
}
