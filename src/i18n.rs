//! The one translation layer: every user-facing string of the app, in
//! Japanese and English.
//!
//! Fixed texts are fields of [`Texts`], so a text missing in one language is
//! a compile error; texts with values are functions of [`Lang`].

use ltv_engine::calendar::Granularity;
use ltv_engine::error::{
    Error, ErrorKind, FileKind, Param, Problem, ProblemKind, SettingError, Unit,
};
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

pub static EN: Texts = Texts {
    title: "ltv-lens",
    tagline: "Decile analysis and customer metrics from your shop's order export.",
    privacy: "Your file is read on this computer only. Nothing is uploaded: this page makes no network requests.",
    drop_hint: "Drop an order export (CSV, TSV or Excel from Shopify, Rakuten, BASE, EC-CUBE, WooCommerce, any cart) here, or",
    choose_file: "Choose a file",
    try_sample: "Try the sample shop",
    status_idle: "Waiting for a file.",
    status_working: "Reading…",
    status_ready: "Ready.",
    status_error: "Could not read the file.",
    tab_summary: "Summary",
    tab_deciles: "Deciles",
    settings: "Settings",
    as_of: "As-of date",
    as_of_help: "The day the analysis is made for (default: the last order date).",
    window_from: "Decile window from",
    window_to: "to",
    reset: "Reset to defaults",
    summary_heading: "What the file holds",
    item: "Item",
    value: "Value",
    rows: "Rows read",
    orders: "Orders",
    customers: "Customers",
    revenue: "Revenue",
    excluded_rows: "Rows excluded",
    first_order_date: "First order",
    last_order_date: "Last order",
    orders_without_customer: "Orders without a customer key (in revenue only)",
    file_format: "Detected format",
    encoding: "Encoding",
    currency: "Currency",
    exclusions_heading: "Excluded orders",
    reason: "Reason",
    no_exclusions: "Nothing was excluded.",
    problems_heading: "Cells that could not be read",
    no_problems: "Every cell could be read.",
    deciles_heading: "Decile analysis",
    decile: "Decile",
    share: "Share of revenue",
    cumulative_share: "Cumulative share",
    avg_spend: "Average spend per customer",
    min_spend: "Min spend",
    max_spend: "Max spend",
    orders_per_customer: "Orders per customer",
    formula_heading: "How it is computed",
    decile_formula: "Customers who bought in the window are sorted by their spend in the window, highest first (ties by customer key), and cut into 10 groups of equal headcount; D1 is the top. When the count is not divisible by 10 the first groups get one customer more. Share = decile revenue ÷ revenue of all deciles. Cumulative share = sum of shares from D1. Average spend = decile revenue ÷ decile customers. Orders per customer = decile orders ÷ decile customers. Spend is the order total as exported (tax and shipping included), cancelled and refunded orders excluded, partial refunds subtracted.",
    chart_share: "Share of revenue",
    chart_cumulative: "Cumulative share",
    chart_y: "% of revenue",
    chart_x: "Decile",
    mapping_heading: "Which column is which?",
    mapping_help: "Some columns could not be recognised. Choose the column for each field; the first rows of the file are shown below.",
    mapping_none: "(none)",
    mapping_key: "Customer key",
    mapping_apply: "Analyze with these columns",
    mapping_preview: "First rows of the file",
    required: "required",
    cancel: "Cancel",
    footer: "ltv-lens is free and open source. Figures are computed in your browser with the same engine as the ltv-lens command-line tool.",
    detect: "Detect automatically",
    reading_heading: "How the file was read",
    date_order: "Dates like 03/05/2024",
    date_order_question: "The dates in this file could be read month first (03/05/2024 = March 5) or day first (= 3 May), and no date proves which. Which does your shop system write?",
    month_first: "Month first (03/05 = March 5)",
    day_first: "Day first (03/05 = 3 May)",
    rule_cancelled: "Exclude cancelled and voided orders",
    rule_refunded: "Exclude orders refunded in full",
    rule_partial: "Subtract partial refunds",
    remembered_mapping: "Columns were mapped as you mapped this layout before (remembered in this browser).",
    cancel_load: "Cancel",
    cancelled: "Reading was cancelled; what was shown before is shown again.",
    rule_failed: "Exclude failed and unfinished payments",
    rule_test: "Exclude test orders",
    tab_cohorts: "Cohorts",
    tab_ltv: "LTV & targets",
    tab_trend: "Decile trend",
    tab_repeat: "Repeat & tenure",
    cohorts_heading: "Cohort analysis",
    granularity: "Cohorts by",
    gran_month: "Month",
    gran_week: "Week",
    gran_quarter: "Quarter",
    cohort: "Cohort",
    periods_since: "Periods since the first order",
    retention_heading: "Retention: share of the cohort who bought in the period",
    cum_rev_heading: "LTV curve: cumulative revenue per original customer",
    cohort_formula: "Cohort = the month (week, quarter) of a customer's first order in the file. Period k = calendar periods since then (0 = the period of the first order). Active = customers of the cohort with at least one order in the period; retention = active ÷ cohort size. Revenue per original customer = the period's revenue ÷ cohort size; the LTV curve is its running sum. A period is shown once it has ended on or before the as-of date.",
    ltv_heading: "Lifetime value (LTV)",
    ltv_formula: "LTV = cumulative revenue per original customer through month H−1 after the first order, averaged over the monthly cohorts whose month H−1 has ended by the as-of date, weighted by cohort size. LTV = average order value (顧客単価) × orders per customer (平均利用回数) over the same customers and months. Profit LTV = LTV × gross margin. A CPA is affordable while CPA < profit LTV. Payback month = the first month after acquisition in which cumulative profit per customer reaches the CPA (month 0 = the month of the first order).",
    horizon: "Horizon (months)",
    aov: "Average order value (顧客単価)",
    opc: "Orders per customer (平均利用回数)",
    gross_margin: "Gross margin (%)",
    profit_ltv: "Profit LTV",
    cpa: "CPA (cost per acquired customer)",
    ltv_to_cpa: "LTV ÷ CPA",
    payback_month: "Payback month",
    cohorts_used: "Cohorts used",
    customers_used: "Customers used",
    not_observed: "No cohort has been observed for that many months yet.",
    never: "not within the observed months",
    levers_heading: "The three levers of LTV",
    lever_cpa: "Lower the cost of new customers",
    lever_spend: "Raise spend per customer (D1–D3 growth last month)",
    lever_tenure: "Lengthen tenure (Kaplan–Meier restricted mean)",
    targets_heading: "LTV targets",
    baseline: "Baseline",
    growth: "Monthly growth (%)",
    target_months: "Months",
    reading: "Reading",
    compound: "Compound",
    linear: "Linear",
    targets_formula: "Month k's target = baseline × (1 + g)^k (compound) or baseline × (1 + g·k) (linear reading); both are shown and the chosen reading is drawn. For each metric the baseline is its actual value in the first month of the plan. Actual for a month = the metric as of that month's last day, from orders up to that day. Gap = actual − target.",
    month: "Month",
    target: "Target",
    actual: "Actual",
    gap: "Gap",
    metric_ltv: "LTV",
    metric_tenure: "Average tenure (months)",
    metric_d1: "D1 average spend",
    metric_d2: "D2 average spend",
    metric_d3: "D3 average spend",
    trend_heading: "Monthly decile trend",
    trend_formula: "For each complete month, that month's buyers are ranked by their spend in the month and cut into deciles as in the decile table. Each cell is the decile's average spend per customer, with its growth over the previous month. The planning rule of the field: D1–D3 should grow at least +2% a month; cells that meet it are marked ✓.",
    repeat_heading: "Repeat metrics",
    f2: "F2 conversion",
    f2_within: "Second order within (days; blank = any time)",
    f2_formula: "F2 = customers with a second order ÷ customers with a first order. With a day limit, only customers whose first order is at least that many days before the as-of date count, and the second order must come within the limit.",
    repeat_rate: "Repeat rate",
    repeat_rate_formula: "Repeat rate = customers with 2 or more orders in the window ÷ customers who bought in the window (the decile window). Around 40% is typical for general online shops.",
    flow_heading: "Order-count flow",
    flow_formula: "Of the customers who reached order n, the share who reached order n + 1 (for subscriptions: delivery continuation, 定期継続率).",
    order_n: "Order",
    reached: "Customers",
    went_on: "Went on",
    mix_heading: "Returning vs new buyers by month",
    mix_formula: "Returning buyer = bought in the month and had a first order in an earlier month; returning share = returning ÷ buyers of the month. About 60% returning / 40% new is held up as healthy for D2C brands (the reference line); much higher means acquisition has stalled.",
    returning: "Returning",
    new_buyers: "New",
    buyers: "Buyers",
    tenure_heading: "Tenure (在籍期間)",
    tenure_formula: "Tenure = months from a customer's first to last order (days ÷ 30.4375). The plain mean treats every customer as finished, so it is biased low. A customer whose last order is within the churn window is still active: the Kaplan–Meier estimate treats them as censored at the as-of date, and the restricted mean is the area under its survival curve up to the horizon.",
    plain_mean: "Plain mean (months)",
    restricted_mean: "Kaplan–Meier restricted mean (months)",
    churn_days: "Churned after (days without an order)",
    active_customers: "Active customers",
    churned_customers: "Churned customers",
    survival: "Still active",
    months_since_first: "Months since the first order",
    rate: "Rate",
    analysis_settings: "Analysis settings",
    cpa_hint: "Enter your CPA (and gross margin) above to see LTV ÷ CPA and the payback month.",
};

pub static JA: Texts = Texts {
    title: "ltv-lens",
    tagline: "ショップの受注CSVから、デシル分析と顧客指標を。",
    privacy: "ファイルはこのパソコンの中だけで読み込みます。アップロードは一切なく、このページは通信を行いません。",
    drop_hint: "受注データ（Shopify・楽天・BASE・EC-CUBE・WooCommerce などのCSV・TSV・Excel）をここにドロップ、または",
    choose_file: "ファイルを選択",
    try_sample: "サンプルショップで試す",
    status_idle: "ファイルを待っています。",
    status_working: "読み込み中…",
    status_ready: "完了。",
    status_error: "ファイルを読み込めませんでした。",
    tab_summary: "概要",
    tab_deciles: "デシル分析",
    settings: "設定",
    as_of: "基準日",
    as_of_help: "分析の基準となる日（既定: 最終注文日）。",
    window_from: "デシル集計期間",
    window_to: "〜",
    reset: "既定に戻す",
    summary_heading: "ファイルの内容",
    item: "項目",
    value: "値",
    rows: "読み込んだ行数",
    orders: "注文数",
    customers: "顧客数",
    revenue: "売上",
    excluded_rows: "除外した行数",
    first_order_date: "最初の注文日",
    last_order_date: "最後の注文日",
    orders_without_customer: "顧客キーのない注文（売上のみに計上）",
    file_format: "検出した形式",
    encoding: "文字コード",
    currency: "通貨",
    exclusions_heading: "除外した注文",
    reason: "理由",
    no_exclusions: "除外した注文はありません。",
    problems_heading: "読み取れなかったセル",
    no_problems: "すべてのセルを読み取れました。",
    deciles_heading: "デシル分析",
    decile: "デシル",
    share: "売上構成比",
    cumulative_share: "累積構成比",
    avg_spend: "顧客単価（1人あたり購入額）",
    min_spend: "最小購入額",
    max_spend: "最大購入額",
    orders_per_customer: "1人あたり注文回数",
    formula_heading: "計算方法",
    decile_formula: "期間内に購入した顧客を期間内の購入金額の高い順に並べ（同額は顧客キー順）、人数が等しい10グループに分けます。D1が最上位です。人数が10で割り切れないときは上位のグループから1人ずつ多くなります。売上構成比 = デシルの売上 ÷ 全デシルの売上。累積構成比 = D1からの構成比の合計。顧客単価 = デシルの売上 ÷ デシルの顧客数。1人あたり注文回数 = デシルの注文数 ÷ デシルの顧客数。購入金額はエクスポートされた注文合計（税・送料込み）で、キャンセル・全額返金の注文を除き、一部返金は差し引いています。",
    chart_share: "売上構成比",
    chart_cumulative: "累積構成比",
    chart_y: "売上に占める割合（%）",
    chart_x: "デシル",
    mapping_heading: "列の対応を選んでください",
    mapping_help: "認識できない列がありました。各項目に対応する列を選んでください。ファイルの先頭の行を下に表示しています。",
    mapping_none: "（なし）",
    mapping_key: "顧客キー",
    mapping_apply: "この対応で分析する",
    mapping_preview: "ファイルの先頭の行",
    required: "必須",
    cancel: "キャンセル",
    footer: "ltv-lens は無料のオープンソースです。数値はブラウザの中で、コマンドラインツール ltv-lens と同じエンジンで計算しています。",
    detect: "自動判定",
    reading_heading: "ファイルの読み込み方",
    date_order: "03/05/2024 のような日付",
    date_order_question: "このファイルの日付は「月/日/年」（03/05/2024 = 3月5日）とも「日/月/年」（= 5月3日）とも読め、どちらか判別できる日付がありません。お使いのショップシステムはどちらの形式ですか？",
    month_first: "月が先（03/05 = 3月5日）",
    day_first: "日が先（03/05 = 5月3日）",
    rule_cancelled: "キャンセル・決済取消の注文を除外",
    rule_refunded: "全額返金の注文を除外",
    rule_partial: "一部返金を差し引く",
    remembered_mapping: "以前このレイアウトで選んだ列の対応を使いました（このブラウザに保存）。",
    cancel_load: "読み込みを中止",
    cancelled: "読み込みを中止しました。前の表示に戻しています。",
    rule_failed: "決済エラー・未完了の注文を除外",
    rule_test: "テスト注文を除外",
    tab_cohorts: "コホート",
    tab_ltv: "LTV・目標",
    tab_trend: "デシル推移",
    tab_repeat: "リピート・在籍期間",
    cohorts_heading: "コホート分析",
    granularity: "コホートの単位",
    gran_month: "月",
    gran_week: "週",
    gran_quarter: "四半期",
    cohort: "コホート",
    periods_since: "初回購入からの経過期間",
    retention_heading: "継続率：その期間に購入したコホート顧客の割合",
    cum_rev_heading: "LTV曲線：元の顧客1人あたり累積売上",
    cohort_formula: "コホート = ファイル内で顧客が初めて購入した月（週・四半期）。期間k = そこからの経過期間（0 = 初回購入の期間）。アクティブ = その期間に1回以上購入したコホートの顧客数、継続率 = アクティブ ÷ コホートの人数。元の顧客1人あたり売上 = その期間の売上 ÷ コホートの人数、LTV曲線はその累計です。期間は基準日までに終わったものだけを表示します。",
    ltv_heading: "顧客生涯価値（LTV）",
    ltv_formula: "LTV = 初回購入から H−1 か月目までの元の顧客1人あたり累積売上を、基準日までに H−1 か月目が終わった月次コホートについて人数で加重平均したもの。LTV = 顧客単価 × 平均利用回数（同じ顧客・同じ期間）。粗利LTV = LTV × 粗利率。CPA が粗利LTVを下回る限り獲得費用は回収可能です。回収月 = 1人あたり累積粗利が CPA に達する最初の月（初回購入月 = 0か月目）。",
    horizon: "期間（か月）",
    aov: "顧客単価（1注文あたり）",
    opc: "平均利用回数（1人あたり注文数）",
    gross_margin: "粗利率（%）",
    profit_ltv: "粗利LTV",
    cpa: "CPA（顧客獲得単価）",
    ltv_to_cpa: "LTV ÷ CPA",
    payback_month: "回収月",
    cohorts_used: "対象コホート数",
    customers_used: "対象顧客数",
    not_observed: "その期間を観測できたコホートがまだありません。",
    never: "観測期間内には回収できません",
    levers_heading: "LTVを伸ばす3つのレバー",
    lever_cpa: "新規顧客の獲得コストを下げる",
    lever_spend: "顧客単価を上げる（先月のD1〜D3の伸び）",
    lever_tenure: "在籍期間を延ばす（カプラン・マイヤー制限平均）",
    targets_heading: "LTV目標",
    baseline: "基準値",
    growth: "月次成長率（%）",
    target_months: "か月数",
    reading: "計算方法",
    compound: "複利",
    linear: "単利",
    targets_formula: "k か月目の目標 = 基準値 × (1 + g)^k（複利）または 基準値 × (1 + g·k)（単利の読み方）。両方を表示し、選んだ方をグラフに描きます。各指標の基準値は計画の最初の月の実績です。ある月の実績 = その月の末日時点で、その日までの注文から計算した値。差 = 実績 − 目標。",
    month: "月",
    target: "目標",
    actual: "実績",
    gap: "差",
    metric_ltv: "LTV",
    metric_tenure: "平均在籍期間（か月）",
    metric_d1: "D1 顧客単価",
    metric_d2: "D2 顧客単価",
    metric_d3: "D3 顧客単価",
    trend_heading: "月次デシル推移",
    trend_formula: "各月（完了した月）について、その月の購入者をその月の購入金額で並べ、デシル表と同じ方法で10グループに分けます。各セルはデシルの顧客単価と前月比の伸びです。計画の目安：D1〜D3 は月 +2% 以上の伸び。達成したセルに ✓ を付けています。",
    repeat_heading: "リピート指標",
    f2: "F2転換率",
    f2_within: "2回目購入までの日数（空欄 = 期間指定なし）",
    f2_formula: "F2転換率 = 2回目の購入があった顧客 ÷ 初回購入した顧客。日数を指定した場合は、基準日より指定日数以上前に初回購入した顧客だけを数え、2回目はその日数以内に限ります。",
    repeat_rate: "リピート率",
    repeat_rate_formula: "リピート率 = 期間内に2回以上購入した顧客 ÷ 期間内に購入した顧客（デシル分析と同じ期間）。一般的なネットショップでは40%前後が目安です。",
    flow_heading: "購入回数のフロー（継続率）",
    flow_formula: "n 回目まで購入した顧客のうち、n + 1 回目も購入した割合（定期購入では定期継続率）。",
    order_n: "購入回数",
    reached: "顧客数",
    went_on: "次も購入",
    mix_heading: "月別のリピーター率・新規率",
    mix_formula: "リピーター = その月に購入し、初回購入がそれより前の月の顧客。リピーター率 = リピーター ÷ その月の購入者。D2Cブランドでは リピーター60% / 新規40% が健全とされます（基準線）。大きく上回る場合は新規獲得が止まっています。",
    returning: "リピーター",
    new_buyers: "新規",
    buyers: "購入者",
    tenure_heading: "在籍期間",
    tenure_formula: "在籍期間 = 初回購入から最終購入までの月数（日数 ÷ 30.4375）。単純平均はすべての顧客を離脱済みとして扱うため低く出ます。最終購入が離脱判定期間内の顧客はまだ在籍中なので、カプラン・マイヤー法では基準日で打ち切りとして扱い、生存曲線の下の面積（指定期間まで）を制限平均とします。",
    plain_mean: "単純平均（か月）",
    restricted_mean: "カプラン・マイヤー制限平均（か月）",
    churn_days: "離脱とみなす日数（最終購入からの日数）",
    active_customers: "在籍中の顧客",
    churned_customers: "離脱した顧客",
    survival: "在籍率",
    months_since_first: "初回購入からの月数",
    rate: "率",
    analysis_settings: "分析の設定",
    cpa_hint: "上で CPA（と粗利率）を入力すると、LTV ÷ CPA と回収月を表示します。",
};

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
    };
    pick(lang, en, ja)
}

fn pick(lang: Lang, en: &'static str, ja: &'static str) -> &'static str {
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

fn expected(lang: Lang, k: ProblemKind) -> &'static str {
    match (lang, k) {
        (Lang::En, k) => k.expected(),
        (Lang::Ja, ProblemKind::InvalidDate) => "2024-03-05、2024/3/5、20240305 などの日付",
        (Lang::Ja, ProblemKind::InvalidAmount) => "1234、1,234、¥1,234、1,234円 などの金額",
        (Lang::Ja, ProblemKind::ShortRow) => "見出し行と同じ数の列",
        (Lang::Ja, ProblemKind::RoundedAmount) => "通貨の桁数以内の小数（丸めました）",
    }
}

/// One problem, with its line and column.
pub fn problem(lang: Lang, p: &Problem) -> String {
    if p.kind == ProblemKind::ShortRow {
        let (got, want) = p.value.split_once('/').unwrap_or((&p.value, "?"));
        return match lang {
            Lang::En => format!(
                "Line {}: the row has {got} fields but the header has {want} (a missing delimiter or an unclosed quote?).",
                p.line
            ),
            Lang::Ja => format!(
                "{}行目: 列が {got} 個しかありません（見出し行は {want} 列）。区切り文字の欠落か、閉じていない引用符がないか確認してください。",
                p.line
            ),
        };
    }
    let col = if p.column.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::En => format!(", column \"{}\"", p.column),
            Lang::Ja => format!("・列「{}」", p.column),
        }
    };
    match lang {
        Lang::En => format!(
            "Line {}{}: found \"{}\", expected {}.",
            p.line,
            col,
            p.value,
            expected(lang, p.kind)
        ),
        Lang::Ja => format!(
            "{}行目{}: 「{}」は読み取れません。{}を想定しています。",
            p.line,
            col,
            p.value,
            expected(lang, p.kind)
        ),
    }
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
        _ => english,
    }
    .to_string()
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

/// A fatal error in the user's language, from its fields.
pub fn error(lang: Lang, e: &ErrorKind) -> String {
    match (lang, e) {
        (Lang::En, ErrorKind::Empty) => "The file is empty.".into(),
        (Lang::Ja, ErrorKind::Empty) => "ファイルが空です。".into(),
        (Lang::En, ErrorKind::NotTabular { looks_like }) => format!(
            "This is not a CSV or TSV order export (it looks like {}). Export your orders as CSV from your shop system and drop that file.",
            looks_like.english()
        ),
        (Lang::Ja, ErrorKind::NotTabular { looks_like }) => format!(
            "CSV・TSV形式の受注データではありません（{}のようです）。ショップの管理画面から受注データをCSVでエクスポートして、そのファイルをドロップしてください。",
            file_kind_ja(*looks_like)
        ),
        (Lang::En, ErrorKind::MappingNeeded { missing }) => format!(
            "Could not recognise the columns for: {}. Choose them below.",
            missing.iter().map(|&f| field(lang, f)).collect::<Vec<_>>().join(", ")
        ),
        (Lang::Ja, ErrorKind::MappingNeeded { missing }) => format!(
            "必要な列（{}）を認識できませんでした。下で列を選んでください。",
            missing.iter().map(|&f| field(lang, f)).collect::<Vec<_>>().join("、")
        ),
        (Lang::En, ErrorKind::BadMapping { field, column, columns }) => format!(
            "Column mapping: {} is mapped to column {column} but the header has {columns} columns.",
            field.map_or("a customer key part", Field::name)
        ),
        (Lang::Ja, ErrorKind::BadMapping { field, column, columns }) => format!(
            "列の対応に誤りがあります: {}が{column}列目に対応付けられていますが、見出し行は{columns}列です。",
            field.map_or("顧客キーの一部".to_string(), |f| format!("「{}」", self::field(lang, f)))
        ),
        (Lang::En, ErrorKind::NoOrders) => "No usable order in the file: every row was excluded or could not be read.".into(),
        (Lang::Ja, ErrorKind::NoOrders) => "使える注文がありません。すべての行が除外されたか、読み取れませんでした。".into(),
        (Lang::En, ErrorKind::InvalidSetting { error }) => format!("Setting: {error}."),
        (Lang::Ja, ErrorKind::InvalidSetting { error }) => {
            format!("設定に誤りがあります: {}", setting_error_ja(error))
        }
        // A kind newer than this table: the engine's English words.
        (_, e) => format!("{}.", Error::new(e.clone())),
    }
}

/// What a file looks like, in Japanese.
fn file_kind_ja(k: FileKind) -> &'static str {
    match k {
        FileKind::ZipOrXlsx => "ZIPファイルまたはExcelブック（.xlsx）",
        FileKind::Xls => "古い形式のExcelブック（.xls）",
        FileKind::Pdf => "PDF",
        FileKind::Png => "PNG画像",
        FileKind::Jpeg => "JPEG画像",
        FileKind::Gif => "GIF画像",
        FileKind::Gzip => "gzip圧縮ファイル",
        FileKind::Rar => "RARファイル",
        FileKind::SevenZip => "7-Zipファイル",
        FileKind::Binary => "バイナリデータ",
        FileKind::UnreadableWorkbook => "読み込めないZIPファイルまたはブック",
        // A kind newer than this table.
        k => k.english(),
    }
}

/// A setting's name in Japanese.
fn setting_ja(s: Param) -> &'static str {
    match s {
        Param::LtvHorizon => "LTVの期間",
        Param::GrossMargin => "粗利率",
        Param::Cpa => "CPA",
        Param::ChurnDays => "離脱判定の日数",
        Param::TenureHorizon => "在籍期間の上限",
        Param::F2Within => "F2の日数の上限",
        Param::DecileGrowthRule => "デシルの伸びの目安",
        Param::TargetBaseline => "目標の基準値",
        Param::TargetGrowth => "目標の伸び率",
        Param::TargetHorizon => "目標の期間",
        _ => "設定",
    }
}

/// Why a setting cannot be used, in Japanese.
fn setting_error_ja(e: &SettingError) -> String {
    match e {
        SettingError::OutOfRange { setting, value, range } => {
            let unit = match setting.unit() {
                Unit::Months => "か月",
                Unit::Days => "日",
                _ => "",
            };
            let example = match setting {
                Param::GrossMargin => "35%なら0.35",
                Param::DecileGrowthRule => "+2%なら0.02",
                Param::TargetGrowth => "+7%なら0.07",
                _ => "",
            };
            let allowed = match (range.min, range.max) {
                (Some(lo), Some(hi)) if range.min_included => format!("{lo}〜{hi}{unit}"),
                (Some(lo), Some(hi)) => format!("{lo}より大きく{hi}以下の小数（{example}）"),
                (Some(lo), None) if range.min_included => format!("{lo}以上"),
                (Some(0.0), None) => "正の金額".to_string(),
                (Some(lo), None) => format!("{lo}より大きい数"),
                (None, Some(hi)) => format!("{hi}{unit}以下"),
                (None, None) => "数値".to_string(),
            };
            format!(
                "{}は{allowed}で指定してください（{value}は使えません）。",
                setting_ja(*setting)
            )
        }
        SettingError::WindowReversed { from, to } => {
            format!("集計期間の開始日（{from}）が終了日（{to}）より後です。")
        }
        SettingError::SpanTooLong { first_order, as_of, days, max_days } => format!(
            "最初の注文（{first_order}）から基準日（{as_of}）まで {days} 日あります。扱えるのは {max_days} 日（400年）までです。"
        ),
        SettingError::CohortTooLarge { granularity, cells, max_cells } => {
            let unit = match granularity {
                Granularity::Week => JA.gran_week,
                Granularity::Month => JA.gran_month,
                Granularity::Quarter => JA.gran_quarter,
            };
            format!(
                "{unit}単位のコホート表が {cells} セルになります（上限 {max_cells}）。より長い単位か、より後の基準日を選んでください。"
            )
        }
        SettingError::FedAfterEnd => {
            "ファイルの終わりの後にデータが渡されました（アプリの不具合です）。".into()
        }
        // A kind newer than this table: the engine's English words.
        e => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
