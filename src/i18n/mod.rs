//! The one translation layer: every user-facing string of the app, in
//! Japanese and English.
//!
//! Fixed texts are fields of [`Texts`], so a text missing in one language is
//! a compile error; texts with values are functions of [`Lang`].
//!
//! - `en.rs`, `ja.rs`: the fixed texts of each language ([`EN`], [`JA`]);
//! - `segments.rs`: the segments, customers and products tabs' texts and
//!   the segments' names ([`Lang::seg`]);
//! - `errors.rs`: the engine's errors and a cell's problems, translated
//!   from their fields ([`error`], [`problem`]);
//! - here: the language, the texts' fields, and the texts with values.

pub mod clv;
mod en;
mod errors;
mod ja;
pub mod overview;
pub mod page;
pub mod segments;

pub use en::EN;
pub use errors::{error, problem};
pub use ja::JA;

use ltv_engine::mapping::{Field, Platform};
use ltv_engine::store::ExclusionReason;

/// The UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    /// From a BCP 47 tag (`ja-JP`, `en-US`...): Japanese for `ja*`, else
    /// English.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }
    /// The tag written to `<html lang>` and the URL.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }
    /// The texts of the predictive CLV tab.
    pub fn clv(self) -> &'static clv::ClvTexts {
        match self {
            Lang::Ja => &clv::JA,
            Lang::En => &clv::EN,
        }
    }
    /// The texts of the page around the analyses (first screen, link).
    pub fn page(self) -> &'static page::PageTexts {
        match self {
            Lang::Ja => &page::JA,
            Lang::En => &page::EN,
        }
    }
    /// The texts of the segments, customers and products tabs.
    pub fn seg(self) -> &'static segments::SegmentTexts {
        match self {
            Lang::Ja => &segments::JA,
            Lang::En => &segments::EN,
        }
    }
}

/// Fixed texts.
pub struct Texts {
    pub title: &'static str,
    pub tagline: &'static str,
    pub privacy: &'static str,
    pub drop_hint: &'static str,
    pub choose_file: &'static str,
    pub try_sample: &'static str,
    pub status_idle: &'static str,
    pub status_working: &'static str,
    pub status_ready: &'static str,
    pub status_error: &'static str,
    pub tab_summary: &'static str,
    pub tab_deciles: &'static str,
    pub settings: &'static str,
    pub as_of: &'static str,
    pub as_of_help: &'static str,
    pub window_from: &'static str,
    pub window_to: &'static str,
    pub reset: &'static str,
    pub stored_help: &'static str,
    pub forget_browser: &'static str,
    pub summary_heading: &'static str,
    pub item: &'static str,
    pub value: &'static str,
    pub rows: &'static str,
    pub orders: &'static str,
    pub customers: &'static str,
    pub revenue: &'static str,
    pub excluded_rows: &'static str,
    pub first_order_date: &'static str,
    pub last_order_date: &'static str,
    pub orders_without_customer: &'static str,
    pub file_format: &'static str,
    pub encoding: &'static str,
    pub currency: &'static str,
    pub exclusions_heading: &'static str,
    pub reason: &'static str,
    pub no_exclusions: &'static str,
    pub problems_heading: &'static str,
    pub no_problems: &'static str,
    pub deciles_heading: &'static str,
    pub decile: &'static str,
    pub share: &'static str,
    pub cumulative_share: &'static str,
    pub avg_spend: &'static str,
    pub min_spend: &'static str,
    pub max_spend: &'static str,
    pub orders_per_customer: &'static str,
    pub formula_heading: &'static str,
    pub decile_formula: &'static str,
    pub chart_share: &'static str,
    pub chart_cumulative: &'static str,
    pub chart_y: &'static str,
    pub chart_x: &'static str,
    pub mapping_heading: &'static str,
    pub mapping_help: &'static str,
    pub mapping_none: &'static str,
    pub mapping_key: &'static str,
    pub mapping_apply: &'static str,
    pub mapping_preview: &'static str,
    pub required: &'static str,
    pub cancel: &'static str,
    pub footer: &'static str,
    pub cpa_hint: &'static str,
    pub tab_cohorts: &'static str,
    pub tab_ltv: &'static str,
    pub tab_trend: &'static str,
    pub tab_repeat: &'static str,
    pub cohorts_heading: &'static str,
    pub granularity: &'static str,
    pub gran_month: &'static str,
    pub gran_week: &'static str,
    pub gran_quarter: &'static str,
    pub cohort: &'static str,
    pub periods_since: &'static str,
    pub retention_heading: &'static str,
    pub cum_rev_heading: &'static str,
    pub cohort_formula: &'static str,
    pub ltv_heading: &'static str,
    pub ltv_formula: &'static str,
    pub horizon: &'static str,
    pub aov: &'static str,
    pub opc: &'static str,
    pub gross_margin: &'static str,
    pub profit_ltv: &'static str,
    pub cpa: &'static str,
    pub ltv_to_cpa: &'static str,
    pub payback_month: &'static str,
    pub cohorts_used: &'static str,
    pub customers_used: &'static str,
    pub not_observed: &'static str,
    pub never: &'static str,
    pub levers_heading: &'static str,
    pub lever_cpa: &'static str,
    pub lever_spend: &'static str,
    pub lever_tenure: &'static str,
    pub targets_heading: &'static str,
    pub baseline: &'static str,
    pub growth: &'static str,
    pub target_months: &'static str,
    pub reading: &'static str,
    pub compound: &'static str,
    pub linear: &'static str,
    pub targets_formula: &'static str,
    pub month: &'static str,
    pub target: &'static str,
    pub actual: &'static str,
    pub gap: &'static str,
    pub metric_ltv: &'static str,
    pub metric_tenure: &'static str,
    pub metric_d1: &'static str,
    pub metric_d2: &'static str,
    pub metric_d3: &'static str,
    pub trend_heading: &'static str,
    pub trend_formula: &'static str,
    pub repeat_heading: &'static str,
    pub f2: &'static str,
    pub f2_within: &'static str,
    pub f2_formula: &'static str,
    pub repeat_rate: &'static str,
    pub repeat_rate_formula: &'static str,
    pub flow_heading: &'static str,
    pub flow_formula: &'static str,
    pub order_n: &'static str,
    pub reached: &'static str,
    pub went_on: &'static str,
    pub mix_heading: &'static str,
    pub mix_formula: &'static str,
    pub returning: &'static str,
    pub new_buyers: &'static str,
    pub buyers: &'static str,
    pub tenure_heading: &'static str,
    pub tenure_formula: &'static str,
    pub plain_mean: &'static str,
    pub restricted_mean: &'static str,
    pub churn_days: &'static str,
    pub active_customers: &'static str,
    pub churned_customers: &'static str,
    pub survival: &'static str,
    pub months_since_first: &'static str,
    pub rate: &'static str,
    pub analysis_settings: &'static str,
    pub detect: &'static str,
    pub reading_heading: &'static str,
    pub date_order: &'static str,
    pub date_order_question: &'static str,
    pub month_first: &'static str,
    pub day_first: &'static str,
    pub rule_cancelled: &'static str,
    pub rule_refunded: &'static str,
    pub rule_partial: &'static str,
    pub rule_failed: &'static str,
    pub rule_test: &'static str,
    pub remembered_mapping: &'static str,
    pub cancel_load: &'static str,
    pub cancelled: &'static str,
}

/// A field's name in the mapping step.
pub fn field(lang: Lang, f: Field) -> &'static str {
    let (en, ja) = match f {
        Field::OrderId => ("Order id", "注文番号"),
        Field::OrderDate => ("Order date", "注文日"),
        Field::OrderTotal => ("Order total", "注文合計金額"),
        Field::LinePrice => (
            "Line-item price (if no order total)",
            "商品単価（注文合計がない場合）",
        ),
        Field::LineQuantity => ("Line-item quantity", "数量"),
        Field::Email => ("Customer e-mail", "メールアドレス"),
        Field::CustomerId => ("Customer id", "会員ID・顧客ID"),
        Field::Phone => ("Phone", "電話番号"),
        Field::Status => ("Order / payment status", "注文・支払いステータス"),
        Field::CancelledAt => ("Cancelled at", "キャンセル日時"),
        Field::RefundedAmount => ("Refunded amount", "返金額"),
        Field::Currency => ("Currency", "通貨"),
        Field::Product => ("Product name", "商品名"),
        Field::Category => ("Product category", "商品カテゴリ"),
    };
    pick(lang, en, ja)
}

/// The English or the Japanese text, by `lang`.
pub(crate) fn pick(lang: Lang, en: &'static str, ja: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// The detected format's name: the engine's English label, or the
/// Japanese name of each platform.
pub fn platform(lang: Lang, p: Platform) -> &'static str {
    if lang == Lang::En {
        return p.label();
    }
    match p {
        Platform::Shopify => "Shopify 注文エクスポート",
        Platform::Generic => "汎用の注文データ",
        Platform::WooAdvancedExport => "WooCommerce（Advanced Order Export）",
        Platform::WooWebToffee => "WooCommerce（WebToffee エクスポート）",
        Platform::WooAnalytics => "WooCommerce アナリティクスの注文CSV",
        Platform::RakutenRms => "楽天RMS 通常購入データ",
        Platform::RakutenPay => "楽天RMS 楽天ペイ受注管理",
        Platform::EcCube2 => "EC-CUBE 2 受注CSV",
        Platform::EcCube4 => "EC-CUBE 4 受注CSV",
        Platform::Base => "BASE 注文CSV",
        Platform::MakeShop => "MakeShop 注文CSV",
        Platform::AmazonAllOrders => "Amazon 全注文レポート（購入者の列なし）",
        Platform::AmazonFulfilledShipments => "Amazon 出荷レポート（FBA）",
        Platform::AmazonOrderReport => "Amazon 注文レポート（出品者出荷）",
        Platform::Ecforce => "ecforce 受注CSV",
        Platform::YahooShopping => "Yahoo!ショッピング 注文データ",
        Platform::NextEngine => "ネクストエンジン 受注伝票",
        Platform::NextEngineGeneric => "ネクストエンジン 汎用受注CSV",
        Platform::ColorMe => "カラーミーショップ 受注データ（sales_all.csv）",
        Platform::Futureshop => "futureshop 受注データ",
        Platform::StripePayments => "Stripe 決済エクスポート",
        Platform::SquareTransactions => "Square 取引エクスポート",
        Platform::BigCommerce => "BigCommerce 注文エクスポート",
        Platform::Magento => "Adobe Commerce（Magento）注文グリッド",
        Platform::PrestaShop => "PrestaShop 注文エクスポート（購入者の列なし）",
        Platform::EtsyOrders => "Etsy 注文（EtsySoldOrders）",
        Platform::EtsyOrderItems => "Etsy 注文商品（EtsySoldOrderItems）",
        Platform::Squarespace => "Squarespace 注文エクスポート",
        Platform::Wix => "Wix 注文エクスポート",
    }
}

pub fn exclusion(lang: Lang, r: ExclusionReason) -> &'static str {
    let (en, ja) = match r {
        ExclusionReason::Cancelled => ("Cancelled", "キャンセル"),
        ExclusionReason::Voided => ("Payment voided", "決済取消"),
        ExclusionReason::Refunded => ("Refunded in full", "全額返金"),
        ExclusionReason::Failed => ("Payment failed or unfinished", "決済エラー・未完了"),
        ExclusionReason::Test => ("Test order", "テスト注文"),
        ExclusionReason::MissingDate => ("No order date", "注文日なし"),
        ExclusionReason::InvalidDate => ("Unreadable order date", "注文日が読めない"),
        ExclusionReason::MissingAmount => ("No amount", "金額なし"),
        ExclusionReason::InvalidAmount => ("Unreadable amount", "金額が読めない"),
        ExclusionReason::OtherCurrency => ("Another currency", "別の通貨"),
    };
    pick(lang, en, ja)
}

/// What the user should know about a detected format (the engine's note in
/// English; Japanese by platform).
pub fn platform_note(lang: Lang, p: Platform, english: &str) -> String {
    if lang == Lang::En {
        return english.to_string();
    }
    match p {
        Platform::AmazonAllOrders => "Amazon の全注文レポートには購入者の列がないため、注文を顧客に結びつけられません（売上のみ集計します）。購入者メールアドレス（buyer-email）を含む「Amazon 出荷レポート（FBA）」か出品者出荷の注文レポートを使ってください。",
        Platform::RakutenRms | Platform::RakutenPay => "楽天はメールアドレスをマスクしているため、注文者の電話番号と氏名で顧客を識別しています。",
        Platform::WooAnalytics => "WooCommerce アナリティクスの注文CSVにはメールアドレスも顧客IDもありません。「顧客」列は氏名です。氏名が一意の場合のみ顧客キーとして選ぶか、注文エクスポート用のプラグインで出力してください。純売上は税・送料を含みません。",
        Platform::Base => "BASE は商品オプションを「商品オプション「…」」という追加の行として出力します。注文金額は各行の合計金額の合計です（送料は含みません）。",
        Platform::AmazonFulfilledShipments | Platform::AmazonOrderReport => "buyer-email は Amazon の匿名化された中継アドレス（…@marketplace.amazon.…）で、購入者ごとに一定です。",
        Platform::Ecforce => "定期受注の各回の出荷はそれぞれ1件の注文として数えるため、定期の継続はリピート購入になります。支払い合計を請求額とし、取消日のある注文はキャンセルとして除きます。",
        Platform::YahooShopping => "TotalPrice はポイント（UsePoint）とモールクーポンを差し引いた支払額です。OrderStatus 4 はキャンセルです。",
        Platform::NextEngine => "ネクストエンジンは複数の店舗・モールの注文をまとめています。メールアドレスをマスクするモール（楽天、Amazon）の注文は注文ごとに別のアドレスになります。キャンセル区分が 0 以外の注文はキャンセルとして除きます。",
        Platform::NextEngineGeneric => "この形式にはステータスの列がないため、キャンセルされた注文を区別できません。",
        Platform::Futureshop => "請求合計金額はポイント・割引を差し引いた請求額です。キャンセル（注文取消）や返品を除くには、受注データ取得項目設定で「処理状況」をダウンロードに含めてください。",
        Platform::StripePayments => "Stripe の決済1件を1注文として読み、UTC の日付で集計します。顧客メールアドレスのない決済（Customer のないゲスト決済）は顧客に結びつきません。",
        Platform::SquareTransactions => "Square のエクスポートにはメールアドレスがないため、Square の顧客 ID で顧客を識別します（販売に顧客が登録されていない場合は空です）。返金の行は除きます。",
        Platform::BigCommerce => "BigCommerce は注文の商品を1つの Product Details セルにまとめて出力するため、商品は読み取りません（クロスセル分析には商品ごとの行がある形式が必要です）。",
        Platform::Magento => "注文グリッドは表示中の列だけを出力します。出力前に「Columns」で Customer Email（と Total Refunded）を表示してください。表示しないと注文を顧客に結びつけられません。Status が Closed の注文は全額返金です。",
        Platform::PrestaShop => "PrestaShop の注文エクスポートにはメールアドレスも顧客 ID もありません（Customer は「J. DOE」のような短縮名）。注文を顧客に結びつけられないため、売上のみ集計します。顧客分析には SQL マネージャーで顧客のメールアドレスを含めて出力してください。",
        Platform::EtsyOrders => "Etsy は購入者のメールアドレスを出力しないため、Buyer User ID で顧客を識別します。返金は Adjusted の列にのみ表れ、差し引いていません。",
        Platform::EtsyOrderItems => "注文商品ファイルでは、注文金額は商品の合計（価格×数量、割引・送料・税の前）です。顧客は Etsy のユーザー名で識別します。",
        _ => english,
    }
    .to_string()
}

/// The note when no header named a field and the content decided its
/// column: which column, why, and that it can be changed.
pub fn from_content(lang: Lang, f: Field, header: &str) -> String {
    let (what_en, what_ja) = match f {
        Field::Email => ("an e-mail address", "メールアドレス"),
        Field::OrderDate => ("a date", "日付"),
        _ => ("an amount", "金額"),
    };
    match lang {
        Lang::En => format!(
            "No header names the {}: the column “{header}” is used because it is the only one whose cells read as {what_en}. If that is wrong, choose another column below.",
            field(lang, f).to_lowercase()
        ),
        Lang::Ja => format!(
            "「{}」にあたる列名が見つからないため、値が{what_ja}として読める唯一の列「{header}」を使いました。違う場合は下で列を選び直してください。",
            field(lang, f)
        ),
    }
}

/// "2 remembered column mappings removed."
pub fn forgotten(lang: Lang, n: u32) -> String {
    match lang {
        Lang::En => format!("{n} remembered column mappings removed from this browser."),
        Lang::Ja => format!("このブラウザから記憶していた列の対応付けを{n}件削除しました。"),
    }
}

/// The line under a downloaded chart's title: "As of 2024-12-31 · orders.csv · ltv-lens".
pub fn chart_caption(lang: Lang, as_of: Option<&str>, file: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = as_of {
        parts.push(match lang {
            Lang::En => format!("As of {d}"),
            Lang::Ja => format!("基準日 {d}"),
        });
    }
    if !file.is_empty() {
        parts.push(file.to_string());
    }
    parts.push("ltv-lens".to_string());
    parts.join(" · ")
}

/// The note when a file has orders in several currencies.
pub fn several_currencies(
    lang: Lang,
    counts: &[ltv_engine::store::CurrencyCount],
    analysed: &str,
) -> String {
    let list = counts
        .iter()
        .map(|c| currency_choice(lang, &c.code, c.orders))
        .collect::<Vec<_>>();
    match lang {
        Lang::En => format!(
            "This file has orders in several currencies: {}. Only {analysed} is analysed; choose another under \"How the file was read\".",
            list.join(", ")
        ),
        Lang::Ja => format!(
            "このファイルには複数の通貨の注文があります: {}。分析しているのは {analysed} のみです。「ファイルの読み込み方」で別の通貨を選べます。",
            list.join("、")
        ),
    }
}

/// "LTV (12 months)".
pub fn ltv_horizon(lang: Lang, months: u32) -> String {
    match lang {
        Lang::En => format!("LTV ({months} months)"),
        Lang::Ja => format!("LTV（{months}か月）"),
    }
}

/// A currency in the currency choice, with its order count.
pub fn currency_choice(lang: Lang, code: &str, orders: u64) -> String {
    match lang {
        Lang::En => format!("{code} ({orders} orders)"),
        Lang::Ja => format!("{code}（{orders} 件）"),
    }
}

/// The delimiter in words.
pub fn delimiter(lang: Lang, d: char) -> String {
    let name = match (lang, d) {
        (Lang::En, ',') => "comma",
        (Lang::En, '\t') => "tab",
        (Lang::En, ';') => "semicolon",
        (Lang::Ja, ',') => "カンマ区切り",
        (Lang::Ja, '\t') => "タブ区切り",
        (Lang::Ja, ';') => "セミコロン区切り",
        _ => return d.to_string(),
    };
    name.to_string()
}

/// "… and N more" after the listed problems.
pub fn more_problems(lang: Lang, n: u64) -> String {
    match lang {
        Lang::En => format!("… and {n} more."),
        Lang::Ja => format!("…ほか {n} 件。"),
    }
}

/// Progress while reading: bytes read, rows per second and time left
/// (once a first slice gives a rate); once every byte is read, that the
/// analyses are being computed (the rest of a large load: joining the two
/// halves, assembling orders, every analysis).
pub fn progress(lang: Lang, read: u64, total: u64, rows: u64, seconds: f64) -> String {
    let (mb_read, mb_total) = (read as f64 / 1e6, total as f64 / 1e6);
    if total > 0 && read >= total {
        let rows = crate::format::int(rows as i64);
        return match lang {
            Lang::En => format!("All {mb_total:.1} MB read, {rows} rows. Computing the analyses…"),
            Lang::Ja => format!("{mb_total:.1} MB をすべて読み込みました（{rows} 行）。集計中…"),
        };
    }
    let rate = (seconds > 0.0 && read > 0).then(|| {
        let rows_per_s = rows as f64 / seconds;
        let left = total.saturating_sub(read) as f64 * seconds / read as f64;
        (crate::format::int(rows_per_s.round() as i64), left.ceil())
    });
    match (lang, rate) {
        (Lang::En, None) => format!("Reading… {mb_read:.1} of {mb_total:.1} MB"),
        (Lang::En, Some((rps, left))) => format!(
            "Reading… {mb_read:.1} of {mb_total:.1} MB, {} rows ({rps} rows/s), about {left} s left",
            crate::format::int(rows as i64)
        ),
        (Lang::Ja, None) => format!("読み込み中… {mb_total:.1} MB 中 {mb_read:.1} MB"),
        (Lang::Ja, Some((rps, left))) => format!(
            "読み込み中… {mb_total:.1} MB 中 {mb_read:.1} MB、{} 行（毎秒 {rps} 行）、残り約 {left} 秒",
            crate::format::int(rows as i64)
        ),
    }
}

/// A ready message: what was read and how long it took.
pub fn ready(lang: Lang, rows: u64, seconds: f64) -> String {
    let rows = crate::format::int(rows as i64);
    match lang {
        Lang::En => format!("Ready: {rows} rows read in {seconds:.2} s."),
        Lang::Ja => format!("完了: {rows} 行を {seconds:.2} 秒で読み込みました。"),
    }
}

/// The decile window in words.
pub fn window(lang: Lang, from: &str, to: &str, as_of: &str, customers: u64) -> String {
    match lang {
        Lang::En => format!("Window {from} to {to} (as of {as_of}): {customers} customers bought."),
        Lang::Ja => format!("集計期間 {from} 〜 {to}（基準日 {as_of}）: 購入顧客 {customers} 人"),
    }
}

/// Excluded orders and rows for one reason.
pub fn excluded(lang: Lang, orders: u64, rows: u64) -> String {
    match lang {
        Lang::En => format!("{orders} orders ({rows} rows)"),
        Lang::Ja => format!("{orders} 件（{rows} 行）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ltv_engine::error::{ErrorKind, FileKind, Param, Problem, ProblemKind};

    #[test]
    fn progress_says_time_left_while_reading_and_computing_once_read() {
        let reading = progress(Lang::En, 100_000_000, 271_200_000, 368_000, 0.5);
        assert!(reading.contains("100.0 of 271.2 MB"), "{reading}");
        assert!(
            reading.contains("368,000 rows (736,000 rows/s), about 1 s left"),
            "{reading}"
        );
        let done = progress(Lang::En, 271_200_000, 271_200_000, 999_354, 1.4);
        assert_eq!(
            done,
            "All 271.2 MB read, 999,354 rows. Computing the analyses…"
        );
        let ja = progress(Lang::Ja, 271_200_000, 271_200_000, 999_354, 1.4);
        assert_eq!(ja, "271.2 MB をすべて読み込みました（999,354 行）。集計中…");
        assert!(progress(Lang::Ja, 0, 271_200_000, 0, 0.0)
            .starts_with("読み込み中… 271.2 MB 中 0.0 MB"));
    }

    #[test]
    fn browser_tags_choose_the_language() {
        assert_eq!(Lang::from_tag("ja-JP"), Lang::Ja);
        assert_eq!(Lang::from_tag("ja"), Lang::Ja);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }

    #[test]
    fn japanese_texts_are_japanese_and_differ_from_english() {
        let jp = |s: &str| s.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c));
        for (en, ja) in [
            (EN.tab_deciles, JA.tab_deciles),
            (EN.decile_formula, JA.decile_formula),
            (EN.privacy, JA.privacy),
            (EN.try_sample, JA.try_sample),
        ] {
            assert!(jp(ja) && !jp(en), "{en} / {ja}");
        }
        for f in Field::ALL {
            assert!(jp(field(Lang::Ja, f)), "{f:?}");
            assert!(!jp(field(Lang::En, f)), "{f:?}");
        }
        for r in ExclusionReason::ALL {
            assert_ne!(exclusion(Lang::Ja, r), exclusion(Lang::En, r));
        }
    }

    #[test]
    fn problems_name_line_and_column_in_both_languages() {
        let p = Problem {
            line: 42,
            column: "Created at".into(),
            value: "2024-02-30".into(),
            kind: ProblemKind::InvalidDate,
        };
        let en = problem(Lang::En, &p);
        let ja = problem(Lang::Ja, &p);
        assert!(
            en.contains("Line 42") && en.contains("Created at") && en.contains("2024-02-30"),
            "{en}"
        );
        assert!(
            ja.contains("42行目") && ja.contains("Created at") && ja.contains("2024-02-30"),
            "{ja}"
        );
    }

    #[test]
    fn every_file_kind_is_translated() {
        for kind in FileKind::ALL {
            let e = ErrorKind::NotTabular { looks_like: kind };
            assert!(!error(Lang::Ja, &e).contains(kind.english()), "{kind:?}");
            assert!(error(Lang::En, &e).contains(kind.english()), "{kind:?}");
        }
    }

    #[test]
    fn settings_errors_are_translated_from_their_fields() {
        let jp = |s: &str| s.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c));
        for s in Param::ALL {
            let bad = [-2.0, 0.0, 1e9, f64::NAN]
                .into_iter()
                .find_map(|v| s.check(v).err())
                .expect("some value is out of range"); // ok-panic: test
            let ja = error(Lang::Ja, &bad.kind);
            assert!(jp(ja.trim_start_matches("設定に誤りがあります: ")), "{ja}");
            assert!(!ja.contains(" must be "), "{ja}");
            assert_eq!(
                error(Lang::En, &bad.kind),
                format!(
                    "Setting: {}.",
                    bad.to_string().trim_start_matches("setting: ")
                )
            );
        }
        let e = Param::LtvHorizon.check(0.0).unwrap_err(); // ok-panic: test
        assert_eq!(
            error(Lang::Ja, &e.kind),
            "設定に誤りがあります: LTVの期間は1〜600か月で指定してください（0は使えません）。"
        );
        assert_eq!(
            error(Lang::En, &e.kind),
            "Setting: the LTV horizon must be 1 to 600 months, not 0."
        );
        let mapping = ErrorKind::BadMapping {
            field: Some(Field::OrderDate),
            column: 5,
            columns: 3,
        };
        assert_eq!(
            error(Lang::En, &mapping),
            "Column mapping: order_date is mapped to column 5 but the header has 3 columns."
        );
        assert!(error(Lang::Ja, &mapping).contains("「注文日」が5列目"));
    }

    #[test]
    fn every_platform_has_a_japanese_name() {
        for p in Platform::ALL {
            assert_ne!(platform(Lang::Ja, p), p.label(), "{p:?}");
            assert_eq!(platform(Lang::En, p), p.label());
        }
    }
}
