//! `ltv-lens customers` run as a binary: each list holds exactly the
//! customers `analyze --json` counts for it (CPM segments, ranks, churn
//! risk), with the same settings flags.

mod common;

use common::{fixture, run};

/// The rows of a customer list as (customer, cpm_segment, rank, churn_risk).
fn rows(file: &str, segment: &str, extra: &[&str]) -> Vec<[String; 4]> {
    let mut args = vec!["customers", file, "--segment", segment, "--csv"];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("a BOM");
    let mut lines = text.split_terminator("\r\n");
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let cols = [
        col("customer"),
        col("cpm_segment"),
        col("rank"),
        col("churn_risk"),
    ];
    lines
        .map(|l| {
            assert!(!l.contains('"'), "plain keys in these fixtures: {l}");
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells.len(), header.len(), "{l}");
            cols.map(|i| cells[i].to_string())
        })
        .collect()
}

fn report(file: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["analyze", file, "--json"];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn each_list_is_the_customers_analyze_counts() {
    for (name, extra) in [
        ("shopify_small.csv", &[][..]),
        ("cohorts_small.csv", &[][..]),
        (
            "cohorts_small.csv",
            &["--as-of", "2024-06-30", "--churn-risk-floor", "10"][..],
        ),
    ] {
        let file = fixture(name);
        let r = report(&file, extra);
        let all = rows(&file, "all", extra);
        assert_eq!(all.len() as u64, r["cpm"]["customers"].as_u64().unwrap());
        let mut seen = 0;
        for seg in r["cpm"]["segments"].as_array().unwrap() {
            let id = seg["id"].as_str().unwrap();
            for (list, count) in [
                (id.to_string(), &seg["active"]),
                (format!("{id}_churned"), &seg["churned"]),
            ] {
                let got = rows(&file, &list, extra);
                assert_eq!(got.len() as u64, count.as_u64().unwrap(), "{name} {list}");
                assert!(got.iter().all(|r| r[1] == list), "{name} {list}");
                seen += got.len();
            }
        }
        assert_eq!(seen, all.len());
        for rank in ["high_ltv", "potential_ltv", "general"] {
            let got = rows(&file, rank, extra);
            assert_eq!(
                got.len() as u64,
                r["ranks"][rank]["customers"].as_u64().unwrap(),
                "{name} {rank}"
            );
            assert!(got.iter().all(|r| r[2] == rank));
        }
        let risk: Vec<String> = rows(&file, "churn_risk", extra)
            .into_iter()
            .map(|r| {
                assert_eq!(r[3], "yes");
                r[0].clone()
            })
            .collect();
        let top: Vec<String> = r["churn_risk"]["top"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["customer"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(risk, top, "{name}");
    }
}

#[test]
fn the_fixture_has_a_yuryo_customer() {
    // So the test above checks a non-empty `yuryo` list.
    let got = rows(&fixture("shopify_small.csv"), "yuryo", &[]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0][1], "yuryo");
}

#[test]
fn an_unknown_list_names_the_valid_ones() {
    let out = run(&[
        "customers",
        &fixture("shopify_small.csv"),
        "--segment",
        "vip",
    ]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown segment \"vip\""), "{err}");
    for id in [
        "all",
        "yuryo",
        "yuryo_churned",
        "champions",
        "high_ltv",
        "churn_risk",
    ] {
        assert!(err.contains(id), "{err}");
    }
    let out = run(&[
        "customers",
        &fixture("shopify_small.csv"),
        "--encoding",
        "latin1",
    ]);
    assert!(!out.status.success());
}

#[test]
fn shift_jis_has_no_bom_and_the_same_rows() {
    let file = fixture("generic_ja_sjis.csv");
    let utf8 = run(&["customers", &file]).stdout;
    let sjis = run(&["customers", &file, "--encoding", "shift_jis"]).stdout;
    assert_eq!(
        utf8.strip_prefix(b"\xEF\xBB\xBF".as_slice()),
        Some(&sjis[..])
    );
}

#[test]
fn clv_adds_the_predicted_ltv_columns_and_potential_ltv_can_use_them() {
    let file = fixture("cohorts_small.csv");
    let out = run(&["customers", &file, "--clv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let header = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(
        header.ends_with(",value_at_risk,p_alive,expected_orders,expected_avg_order_value,clv"),
        "{header}"
    );
    // Same customers, ranks by the rule asked for.
    let plain = rows(&file, "all", &[]);
    let by_clv = rows(&file, "all", &["--potential-ltv", "clv"]);
    assert_eq!(plain.len(), by_clv.len());
    let r = report(&file, &["--potential-ltv", "clv"]);
    assert!(matches!(
        r["ranks"]["rule"].as_str(),
        Some("clv" | "history")
    ));
    let potential = by_clv.iter().filter(|r| r[2] == "potential_ltv").count();
    assert_eq!(r["ranks"]["potential_ltv"]["customers"], potential);
}
