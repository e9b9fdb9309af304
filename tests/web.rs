//! wasm tests in headless Chromium (`wasm-bindgen-test-runner` via
//! `.cargo/config.toml`; see README). They mount the real app in a page and
//! drive it through the DOM contract, and run the engine compiled to wasm.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use ltv_engine::ingest::{read_all, IngestOptions};
use ltv_engine::report::{analyze, AnalyzeParams};
use ltv_sample::{shopify_csv, SampleParams};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const SJIS: &[u8] = include_bytes!("fixtures/generic_ja_sjis.csv");

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the app in a fresh container and returns the container.
fn mount() -> HtmlElement {
    let div: HtmlElement = document()
        .create_element("div")
        .unwrap()
        .dyn_into()
        .unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    let handle = leptos::mount::mount_to(div.clone(), ltv_lens_app::app::App);
    std::mem::forget(handle);
    div
}

fn find(root: &HtmlElement, sel: &str) -> Option<Element> {
    root.query_selector(sel).unwrap()
}

fn click(root: &HtmlElement, sel: &str) {
    find(root, sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

/// Waits until the status is `state` (or fails after ~30 s).
async fn wait_for_state(root: &HtmlElement, state: &str) {
    for _ in 0..600 {
        let now = find(root, "[data-testid=status]").and_then(|s| s.get_attribute("data-state"));
        if now.as_deref() == Some(state) {
            return;
        }
        TimeoutFuture::new(50).await;
    }
    let now = find(root, "[data-testid=status]").and_then(|s| s.get_attribute("data-state"));
    panic!("status never became {state}; it is {now:?}");
}

fn value(root: &HtmlElement, table: &str, key: &str, col: &str) -> f64 {
    let sel = format!("table[data-testid={table}] tr[data-key={key}] [data-col={col}]");
    let cell = find(root, &sel).unwrap_or_else(|| panic!("no {sel}"));
    cell.get_attribute("data-value").unwrap().parse().unwrap()
}

#[wasm_bindgen_test]
fn engine_reads_shift_jis_in_wasm() {
    let data = read_all(SJIS, IngestOptions::default()).unwrap();
    let r = analyze(&data, &AnalyzeParams::default()).unwrap();
    assert_eq!(r.summary.encoding, "Shift_JIS");
    assert_eq!(r.summary.orders, 5);
    assert_eq!(r.summary.revenue, 12800.0);
    assert_eq!(r.deciles[0].revenue, 8640.0);
}

#[wasm_bindgen_test]
async fn sample_button_fills_the_decile_table_with_the_engine_numbers() {
    let root = mount();
    wait_for_state(&root, "idle").await;
    click(&root, "[data-testid=load-sample]");
    wait_for_state(&root, "ready").await;
    click(&root, "[data-testid=tab-deciles]");
    TimeoutFuture::new(50).await;
    let rows = root
        .query_selector_all("table[data-testid=decile-table] tr[data-key]")
        .unwrap();
    assert_eq!(rows.length(), 10);
    // The same numbers as the engine computes from the same sample bytes.
    let (csv, _) = shopify_csv(&SampleParams::default());
    let data = read_all(csv.as_bytes(), IngestOptions::default()).unwrap();
    let r = analyze(&data, &AnalyzeParams::default()).unwrap();
    for d in &r.deciles {
        let key = format!("D{}", d.decile);
        assert_eq!(
            value(&root, "decile-table", &key, "customers"),
            d.customers as f64,
            "{key}"
        );
        assert_eq!(
            value(&root, "decile-table", &key, "revenue"),
            d.revenue,
            "{key}"
        );
        assert_eq!(
            value(&root, "decile-table", &key, "share"),
            d.share,
            "{key}"
        );
    }
    // Only the chosen section is rendered: show the summary.
    click(&root, "[data-testid=tab-summary]");
    TimeoutFuture::new(50).await;
    assert_eq!(
        value(&root, "summary-table", "orders", "value"),
        r.summary.orders as f64
    );
    click(&root, "[data-testid=tab-deciles]");
    TimeoutFuture::new(50).await;
    // The chart canvas is there and was drawn on (not blank).
    let canvas: web_sys::HtmlCanvasElement = find(&root, "canvas[data-testid=decile-chart]")
        .unwrap()
        .dyn_into()
        .unwrap();
    let url = canvas.to_data_url().unwrap();
    assert!(url.len() > 5_000, "chart looks empty: {} bytes", url.len());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_shift_jis_file_through_the_file_input_then_japanese() {
    let root = mount();
    let bytes = js_sys::Uint8Array::from(SJIS);
    let parts = js_sys::Array::of1(&bytes);
    let file = web_sys::File::new_with_u8_array_sequence(&parts, "受注.csv").unwrap();
    let dt = web_sys::DataTransfer::new().unwrap();
    dt.items().add_with_file(&file).unwrap();
    let input: HtmlInputElement = find(&root, "input[data-testid=file-input]")
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_files(dt.files().as_ref());
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    wait_for_state(&root, "ready").await;
    click(&root, "[data-testid=tab-deciles]");
    TimeoutFuture::new(50).await;
    assert_eq!(value(&root, "decile-table", "D1", "revenue"), 8640.0);
    click(&root, "[data-testid=tab-summary]");
    TimeoutFuture::new(50).await;
    assert_eq!(value(&root, "summary-table", "revenue", "value"), 12800.0);
    assert_eq!(value(&root, "summary-table", "excluded_rows", "value"), 2.0);

    click(&root, "[data-testid=lang-ja]");
    TimeoutFuture::new(50).await;
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("ja")
    );
    let tab = find(&root, "[data-testid=tab-deciles]")
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(tab, "デシル分析");
    // CSV text is data, never markup: the preview and tables escape it.
    assert!(root.query_selector("script").unwrap().is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn segments_tab_shows_the_engine_numbers_and_a_setting_rescores() {
    let root = mount();
    wait_for_state(&root, "idle").await;
    click(&root, "[data-testid=load-sample]");
    wait_for_state(&root, "ready").await;
    click(&root, "[data-testid=tab-segments]");
    TimeoutFuture::new(50).await;
    let (csv, _) = shopify_csv(&SampleParams::default());
    let data = read_all(csv.as_bytes(), IngestOptions::default()).unwrap();
    let r = analyze(&data, &AnalyzeParams::default()).unwrap();
    for s in &r.cpm.segments {
        let key = s.id.id();
        assert_eq!(
            value(&root, "cpm-table", key, "active"),
            s.active as f64,
            "{key}"
        );
        assert_eq!(
            value(&root, "cpm-table", key, "churned"),
            s.churned as f64,
            "{key}"
        );
    }
    for c in &r.rfm.cells {
        let (key, col) = (format!("r{}", c.r), format!("f{}", c.f));
        assert_eq!(
            value(&root, "rfm-table", &key, &col),
            c.customers as f64,
            "{key} {col}"
        );
    }
    // Quintiles leave F2 and F3 empty in the sample; one click scores F by
    // order counts, and the page shows the engine's numbers for it.
    assert!(find(&root, "[data-testid=rfm-empty-scores]").is_some());
    click(&root, "[data-testid=rfm-f-orders]");
    let mut p = AnalyzeParams::default();
    p.rfm.f = Some([2, 3, 5, 10]);
    let want = analyze(&data, &p).unwrap();
    let loyalists = want
        .rfm
        .segments
        .iter()
        .find(|s| s.id.id() == "potential_loyalist")
        .unwrap();
    assert!(loyalists.customers > 0);
    for _ in 0..200 {
        if value(&root, "rfm-cuts-table", "f", "c4") == 10.0 {
            break;
        }
        TimeoutFuture::new(50).await;
    }
    assert_eq!(value(&root, "rfm-cuts-table", "f", "c1"), 2.0);
    assert_eq!(
        value(
            &root,
            "rfm-segments-table",
            "potential_loyalist",
            "customers"
        ),
        loyalists.customers as f64
    );
    root.remove();
}
