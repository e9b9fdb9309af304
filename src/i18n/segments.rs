//! Texts of the customer-list views (segments, customers, products): the
//! fixed texts as fields of [`SegmentTexts`] (a text missing in one
//! language is a compile error), and the segments' names and what to do
//! with each.

use super::{pick, Lang};
use ltv_engine::cpm::{CpmSegment, Stage};
use ltv_engine::rfm::Segment;

/// Fixed texts of the segments, customers and products tabs.
pub struct SegmentTexts {
    pub tab_segments: &'static str,
    pub rfm_heading: &'static str,
    pub rfm_grid: &'static str,
    pub rfm_grid_caption: &'static str,
    pub r_score: &'static str,
    pub f_score: &'static str,
    pub segment: &'static str,
    pub action: &'static str,
    pub share_customers: &'static str,
    pub share_revenue: &'static str,
    pub cuts_heading: &'static str,
    pub dimension: &'static str,
    pub recency_days: &'static str,
    pub frequency_orders: &'static str,
    pub monetary: &'static str,
    pub fixed_cuts: &'static str,
    pub fixed_cuts_help: &'static str,
    pub scoring_quintiles: &'static str,
    pub use_order_counts: &'static str,
    pub scoring_fixed: &'static str,
    pub rfm_formula: &'static str,
    pub cpm_heading: &'static str,
    pub stage: &'static str,
    pub active: &'static str,
    pub churned: &'static str,
    pub active_revenue: &'static str,
    pub churned_revenue: &'static str,
    pub toddler_days: &'static str,
    pub loyal_days: &'static str,
    pub cpm_spend: &'static str,
    pub churn_days: &'static str,
    pub cpm_formula: &'static str,
    pub moves_heading: &'static str,
    pub moves_summary: &'static str,
    pub month: &'static str,
    pub moved_up: &'static str,
    pub moved_churned: &'static str,
    pub came_back: &'static str,
    pub new_customers: &'static str,
    pub from_to: &'static str,
    pub moves_formula: &'static str,
    pub no_moves: &'static str,
    pub invalid_setting: &'static str,
    pub download: &'static str,
    pub download_csv: &'static str,
    pub download_help: &'static str,
    pub encoding_utf8: &'static str,
    pub encoding_sjis: &'static str,
    pub export_encoding: &'static str,
    pub exporting: &'static str,
    pub tab_customers: &'static str,
    pub ranks_heading: &'static str,
    pub rank: &'static str,
    pub revenue_12m: &'static str,
    pub ranks_cut: &'static str,
    pub ranks_no_cut: &'static str,
    pub ranks_formula: &'static str,
    pub churn_risk_heading: &'static str,
    pub churn_risk_summary: &'static str,
    pub customer: &'static str,
    pub last_order: &'static str,
    pub due_date: &'static str,
    pub days_overdue: &'static str,
    pub median_gap: &'static str,
    pub value_at_risk: &'static str,
    pub churn_risk_factor: &'static str,
    pub churn_risk_floor: &'static str,
    pub churn_risk_formula: &'static str,
    pub churn_risk_none: &'static str,
    pub churn_risk_top: &'static str,
    pub download_all: &'static str,
    pub all_customers_help: &'static str,
    pub download_all_customers: &'static str,
    pub potential_rule: &'static str,
    pub potential_by_history: &'static str,
    pub potential_by_clv: &'static str,
    pub potential_clv_formula: &'static str,
    pub potential_clv_unavailable: &'static str,
    pub p_alive: &'static str,
    pub export_with_clv: &'static str,
    pub tab_products: &'static str,
    pub cross_sell_heading: &'static str,
    pub cross_sell_mode: &'static str,
    pub mode_order: &'static str,
    pub mode_customer: &'static str,
    pub cross_sell_within: &'static str,
    pub cross_sell_min_support: &'static str,
    pub cross_sell_level: &'static str,
    pub level_product: &'static str,
    pub level_category: &'static str,
    pub level_fallback: &'static str,
    pub exclude_products: &'static str,
    pub exclude_help: &'static str,
    pub excluded_now: &'static str,
    pub product_a: &'static str,
    pub product_b: &'static str,
    pub together: &'static str,
    pub support: &'static str,
    pub confidence: &'static str,
    pub lift: &'static str,
    pub sort_by: &'static str,
    pub transactions_orders: &'static str,
    pub transactions_customers: &'static str,
    pub pairs_shown: &'static str,
    pub capped: &'static str,
    pub no_pairs: &'static str,
    pub cross_sell_formula: &'static str,
    pub first_product_heading: &'static str,
    pub entry_product: &'static str,
    pub f2_rate: &'static str,
    pub customers_12m: &'static str,
    pub ltv_12m: &'static str,
    pub first_product_formula: &'static str,
    pub no_products: &'static str,
}

pub static EN: SegmentTexts = SegmentTexts {
    tab_segments: "Segments",
    rfm_heading: "RFM analysis",
    rfm_grid: "Customers by recency (R) and frequency (F) score",
    rfm_grid_caption: "Rows: R score (5 = bought most recently). Columns: F score (5 = most orders). Each cell: customers, and their segment. Darker = more customers.",
    r_score: "R score",
    f_score: "F score",
    segment: "Segment",
    action: "What to do",
    share_customers: "Share of customers",
    share_revenue: "Share of revenue",
    cuts_heading: "Score cut points",
    dimension: "Dimension",
    recency_days: "R: days since last order",
    frequency_orders: "F: orders",
    monetary: "M: spend",
    fixed_cuts: "Fixed cut points (4 values, comma-separated; empty = quintiles)",
    fixed_cuts_help: "R in days (ascending: 30,60,90,180), F in orders (2,3,4,5), M in the file's currency.",
    scoring_quintiles: "quintiles",
    use_order_counts: "Score F by 2, 3, 5, 10 orders",
    scoring_fixed: "fixed cut points",
    rfm_formula: "For each customer with an order on or before the as-of date: R = days since the last order, F = number of orders, M = total spend. Each is scored 1–5 (5 best) by four cut points: with quintiles a value's score is 1 + ⌊5 × (customers strictly worse) ÷ (customers)⌋, so equal values always share a score; with fixed cut points, reaching a cut point scores on the better side. The segment comes from the R and F scores, as the grid above shows; revenue is the customers' M.",
    cpm_heading: "CPM (customer portfolio management)",
    stage: "Stage",
    active: "Active",
    churned: "Churned",
    active_revenue: "Active: revenue",
    churned_revenue: "Churned: revenue",
    toddler_days: "Toddler tenure (days)",
    loyal_days: "Loyal tenure (days)",
    cpm_spend: "Loyal spend (major units)",
    churn_days: "Churned after (days without an order)",
    cpm_formula: "Orders up to the as-of date. n = orders, S = total spend, tenure = last order − first order (days), recency = as-of − last order (days). Stage, the first rule that holds: First-timer n = 1; Toddler n ≥ 2 and tenure < toddler days; Steady tenure ≥ toddler days and S < spend; Trendy tenure < loyal days and S ≥ spend; Loyal tenure ≥ loyal days and S ≥ spend. Churned when recency ≥ churn days, else active.",
    moves_heading: "Monthly moves",
    moves_summary: "Moves per month",
    month: "Month",
    moved_up: "Moved up",
    moved_churned: "Churned",
    came_back: "Came back",
    new_customers: "New",
    from_to: "From → to",
    moves_formula: "For each of the last 12 complete months, every customer's segment at the end of the previous month and at the end of this one. Moved up: active at both ends and in a later stage (first-timer → toddler → steady → trendy → loyal). Churned: active → churned. Came back: churned → active. New: first order in the month. The table counts every from → to pair (staying in a segment included).",
    no_moves: "No complete month to compare yet.",
    invalid_setting: "Not a valid value",
    download: "Download",
    download_csv: "CSV",
    download_help: "The list is made in this browser; nothing is uploaded.",
    encoding_utf8: "UTF-8 (with BOM)",
    encoding_sjis: "Shift_JIS (Japanese Excel)",
    export_encoding: "CSV encoding",
    exporting: "Preparing the list…",
    tab_customers: "Customers",
    ranks_heading: "Customer ranks",
    rank: "Rank",
    revenue_12m: "Revenue, last 12 months",
    ranks_cut: "High-LTV from",
    ranks_no_cut: "No customer is high-LTV: nobody bought in the last 12 months, there are fewer than 5 customers, or equal values straddle the 20 % line.",
    ranks_formula: "Value = a customer's spend in the 12 months up to the as-of date. High-LTV: the top 20% by value (equal values stay together, so a tie at the line is left out whole; no spend is never high-LTV). Potential-LTV by history (the default; or by predicted LTV, below): not high-LTV, bought within the churn days, 2 or more orders, and spend since the first order ÷ max(days since the first order, 90) × 365 reaches the high-LTV line. General: everyone else.",
    churn_risk_heading: "Churn risk",
    churn_risk_summary: "Customers at risk",
    customer: "Customer",
    last_order: "Last order",
    due_date: "Due by",
    days_overdue: "Days overdue",
    median_gap: "Usual gap (days, median)",
    value_at_risk: "Value at risk (12 months)",
    churn_risk_factor: "Overdue after × usual gap",
    churn_risk_floor: "At least (days)",
    churn_risk_formula: "Active repeat customers (orders on 2 or more days, last order within the churn days) whose usual interval has run out. Usual gap = the median of the days between their consecutive order days. Due date = last order + max(factor × usual gap, floor) days, rounded up. At risk when the as-of date is after the due date (on the due date itself, not yet). Value at risk = their spend in the last 12 months; the list is sorted by it.",
    churn_risk_none: "No active repeat customer is overdue.",
    churn_risk_top: "The first 100 by value at risk (the download has all of them).",
    download_all: "Download the list",
    download_all_customers: "All customers (CSV)",
    potential_rule: "Potential-LTV by",
    potential_by_history: "history (run-rate)",
    potential_by_clv: "predicted LTV (BG/NBD and Gamma-Gamma)",
    potential_clv_formula: "Potential-LTV by predicted LTV: not high-LTV, and the value the model predicts for the CLV horizon (the discounted CLV of the Predicted LTV tab; without a valid spend model, expected orders × the customer's average order) reaches the high-LTV line. The churn-risk list then shows each customer's P(alive). The models are fitted with the analysis: a few seconds on a large file.",
    potential_clv_unavailable: "No purchase model could be fitted to this file (see the Predicted LTV tab), so potential-LTV is by history.",
    p_alive: "P(alive)",
    export_with_clv: "Add predicted LTV columns (P(alive), expected orders, expected order value, CLV)",
    all_customers_help: "Every customer with RFM, CPM segment, rank and churn risk in one file.",
    tab_products: "Products",
    cross_sell_heading: "Cross-sell",
    cross_sell_mode: "Bought together means",
    mode_order: "in the same order",
    mode_customer: "by the same customer, B on or after A",
    cross_sell_within: "Within days of A (by customer; empty = any time)",
    cross_sell_min_support: "List a pair from (orders or customers)",
    cross_sell_level: "Pairs of",
    level_product: "products",
    level_category: "categories",
    level_fallback: "This file has no category column: pairs are of products.",
    exclude_products: "Not products (comma-separated; an empty box uses the defaults shown)",
    exclude_help: "Lines whose product or category name contains one of these are left out of the product analyses (shipping, gift wrap, coupons, fees…).",
    excluded_now: "Left out here",
    product_a: "Bought A",
    product_b: "Also bought B",
    together: "Both",
    support: "Support",
    confidence: "Confidence (A → B)",
    lift: "Lift",
    sort_by: "Sort by",
    transactions_orders: "orders with a product",
    transactions_customers: "customers with a product",
    pairs_shown: "pairs reach the minimum; the first 200 are shown",
    capped: "transactions had more than 100 distinct items; only their first 100 were paired",
    no_pairs: "No pair of items reaches the minimum support.",
    cross_sell_formula: "T = transactions (orders, or customers by customer). n(A) = transactions with A; n(A→B) = transactions with A where B was also bought (by customer: on or after the first purchase of A, within the days if set). Support = n(A→B) ÷ T. Confidence = n(A→B) ÷ n(A): the share of A's buyers who also bought B. Lift = confidence ÷ (n(B) ÷ T): above 1, B goes with A more often than with an average transaction. Sorted by n(A→B), then lift.",
    first_product_heading: "First product",
    entry_product: "Product in the first order",
    f2_rate: "F2 rate",
    customers_12m: "Customers observed 12 months",
    ltv_12m: "12-month LTV",
    first_product_formula: "For each product in customers' first orders (a first order with two products counts under both): customers; F2 rate = share with a second order (within the F2 days if set); 12-month LTV = average spend in the month of the first order and the 11 after it, over the customers whose 12 months have ended by the as-of date.",
    no_products: "This file has no product column, so cross-sell and first product are not available. If it has one under another name, choose it in “How the file was read”.",
};

pub static JA: SegmentTexts = SegmentTexts {
    tab_segments: "顧客セグメント",
    rfm_heading: "RFM分析",
    rfm_grid: "最終購買（R）と購買回数（F）のスコア別の顧客数",
    rfm_grid_caption: "行: Rスコア（5 = 最近購入）。列: Fスコア（5 = 購入回数が多い）。各セル: 顧客数とセグメント。色が濃いほど顧客が多い。",
    r_score: "Rスコア",
    f_score: "Fスコア",
    segment: "セグメント",
    action: "打ち手",
    share_customers: "顧客構成比",
    share_revenue: "売上構成比",
    cuts_heading: "スコアの区切り",
    dimension: "指標",
    recency_days: "R: 最終購買からの日数",
    frequency_orders: "F: 購買回数",
    monetary: "M: 累計購買金額",
    fixed_cuts: "固定の区切り（4つの値をカンマ区切り。空欄なら五分位）",
    fixed_cuts_help: "Rは日数（昇順: 30,60,90,180）、Fは回数（2,3,4,5）、Mはファイルの通貨の金額。",
    scoring_quintiles: "五分位",
    use_order_counts: "Fを2・3・5・10回で区切る",
    scoring_fixed: "固定の区切り",
    rfm_formula: "基準日までに注文のある顧客ごとに、R = 最終購買からの日数、F = 購買回数、M = 累計購買金額。それぞれ4つの区切りで1〜5点（5が最良）に採点します。五分位では、値のスコア = 1 + ⌊5 ×（その値より悪い顧客数）÷ 顧客数⌋ なので、同じ値は必ず同じスコアになります。固定の区切りでは、区切りちょうどの値は良い側に入ります。セグメントはRとFのスコアで決まり（上の表のとおり）、売上は顧客のMの合計です。",
    cpm_heading: "CPM分析（顧客ポートフォリオマネジメント）",
    stage: "ステージ",
    active: "現役",
    churned: "離脱",
    active_revenue: "現役の累計購買金額",
    churned_revenue: "離脱の累計購買金額",
    toddler_days: "よちよちの在籍日数（日）",
    loyal_days: "優良の在籍日数（日）",
    cpm_spend: "優良・流行の累計購買金額",
    churn_days: "離脱とみなす日数（最終購買から）",
    cpm_formula: "基準日までの注文で、n = 購買回数、S = 累計購買金額、在籍日数 = 最終購買日 − 初回購買日、経過日数 = 基準日 − 最終購買日。ステージは上から順に最初に当てはまるもの: 初回 n = 1、よちよち n ≥ 2 かつ在籍日数 < よちよちの日数、コツコツ 在籍日数 ≥ よちよちの日数 かつ S < 金額、流行 在籍日数 < 優良の日数 かつ S ≥ 金額、優良 在籍日数 ≥ 優良の日数 かつ S ≥ 金額。経過日数 ≥ 離脱の日数なら離脱、それ以外は現役。",
    moves_heading: "月次の移動",
    moves_summary: "月ごとの移動",
    month: "月",
    moved_up: "引き上げ",
    moved_churned: "離脱",
    came_back: "復帰",
    new_customers: "新規",
    from_to: "移動元 → 移動先",
    moves_formula: "直近12か月（締まった月）それぞれについて、前月末と当月末の各顧客のセグメントを比べます。引き上げ: 両月末とも現役で、より上のステージへ（初回 → よちよち → コツコツ → 流行 → 優良）。離脱: 現役 → 離脱。復帰: 離脱 → 現役。新規: その月に初めて購入。表はすべての移動元 → 移動先の人数です（同じセグメントに留まった人数も含む）。",
    no_moves: "比べられる締まった月がまだありません。",
    invalid_setting: "値が正しくありません",
    download: "ダウンロード",
    download_csv: "CSV",
    download_help: "リストはこのブラウザの中で作られ、どこにも送信されません。",
    encoding_utf8: "UTF-8（BOM付き）",
    encoding_sjis: "Shift_JIS（日本語版Excel）",
    export_encoding: "CSVの文字コード",
    exporting: "リストを作成しています…",
    tab_customers: "顧客リスト",
    ranks_heading: "顧客ランク",
    rank: "ランク",
    revenue_12m: "直近12か月の購買金額",
    ranks_cut: "高LTVの下限",
    ranks_no_cut: "高LTVの顧客はいません（直近12か月に購入がない、顧客が5人未満、または20%の境界に同じ金額が並んでいるため）。",
    ranks_formula: "価値 = 基準日までの12か月の購買金額。高LTV: 価値の上位20%（同じ値は分けないため、境界をまたぐ同額の顧客はまとめて外れます。購入のない顧客は含みません）。潜在LTV（購買履歴で判定する場合。既定。予測LTVでの判定は下の設定で選べます）: 高LTVではなく、離脱日数以内に購入があり、2回以上購入し、初回からの購買金額 ÷ max(初回からの日数, 90) × 365 が高LTVの下限以上。一般: それ以外。",
    churn_risk_heading: "離脱予兆",
    churn_risk_summary: "離脱予兆の顧客",
    customer: "顧客",
    last_order: "最終購買日",
    due_date: "次回購入の目安日",
    days_overdue: "超過日数",
    median_gap: "いつもの間隔（日・中央値）",
    value_at_risk: "失う恐れのある金額（12か月）",
    churn_risk_factor: "いつもの間隔の何倍で超過とするか",
    churn_risk_floor: "最低日数",
    churn_risk_formula: "現役のリピート顧客（2日以上に購入があり、最終購買が離脱日数以内）のうち、いつもの購入間隔を過ぎた顧客。いつもの間隔 = 連続する購入日の間隔の中央値。目安日 = 最終購買日 + max(倍率 × いつもの間隔, 最低日数) 日（切り上げ）。基準日が目安日より後なら離脱予兆（目安日当日はまだ含みません）。失う恐れのある金額 = 直近12か月の購買金額で、リストはこの順です。",
    churn_risk_none: "間隔を過ぎた現役のリピート顧客はいません。",
    churn_risk_top: "失う恐れのある金額の上位100人（ダウンロードには全員が入ります）。",
    download_all: "リストをダウンロード",
    download_all_customers: "全顧客（CSV）",
    potential_rule: "潜在LTVの判定",
    potential_by_history: "購買履歴（年換算の購買額）",
    potential_by_clv: "予測LTV（BG/NBD・Gamma-Gamma）",
    potential_clv_formula: "予測LTVによる潜在LTV: 高LTVではなく、モデルが予測するCLV期間の価値（予測LTVタブの割引後CLV。購買単価モデルが使えない場合は予測購入回数 × その顧客の平均購入単価）が高LTVの下限以上。離脱予兆の一覧には各顧客の生存確率を表示します。モデルは分析と一緒に推定するため、大きなファイルでは数秒かかります。",
    potential_clv_unavailable: "このファイルでは購買モデルを推定できなかったため（予測LTVタブを参照）、潜在LTVは購買履歴で判定しています。",
    p_alive: "生存確率",
    export_with_clv: "予測LTVの列を追加（生存確率・予測購入回数・予測購入単価・CLV）",
    all_customers_help: "全顧客のRFM・CPMセグメント・ランク・離脱予兆を1つのファイルで。",
    tab_products: "商品分析",
    cross_sell_heading: "併売分析",
    cross_sell_mode: "併売の定義",
    mode_order: "同じ注文で購入",
    mode_customer: "同じ顧客がAの後にBを購入",
    cross_sell_within: "Aから何日以内（顧客単位。空欄なら期限なし）",
    cross_sell_min_support: "最低件数（注文数または顧客数）",
    cross_sell_level: "組み合わせの単位",
    level_product: "商品",
    level_category: "カテゴリ",
    level_fallback: "このファイルにはカテゴリの列がないため、商品単位で集計しています。",
    exclude_products: "商品でない明細（カンマ区切り。空欄なら表示中の既定の語）",
    exclude_help: "商品名かカテゴリ名にこれらの語を含む明細は商品分析から除きます（送料・ラッピング・クーポン・手数料など）。",
    excluded_now: "このファイルで除いた明細",
    product_a: "Aを購入",
    product_b: "Bも購入",
    together: "両方",
    support: "支持度",
    confidence: "併売率（A → B）",
    lift: "リフト値",
    sort_by: "並べ替え",
    transactions_orders: "商品を含む注文",
    transactions_customers: "商品を購入した顧客",
    pairs_shown: "組が最低件数以上です。上位200組を表示しています",
    capped: "件の取引は100品目を超えたため、最初の100品目だけで組み合わせました",
    no_pairs: "最低件数に届く組み合わせはありません。",
    cross_sell_formula: "T = 取引数（注文、顧客単位なら顧客）。n(A) = Aを含む取引数。n(A→B) = Aを含み、Bも購入された取引数（顧客単位ではAの初回購入日以降、日数を指定した場合はその日数以内）。支持度 = n(A→B) ÷ T。併売率 = n(A→B) ÷ n(A)（Aの購入者のうちBも購入した割合）。リフト値 = 併売率 ÷ (n(B) ÷ T)：1を超えると、Bは平均的な取引よりAと一緒に買われやすい。n(A→B)、リフト値の順に並べています。",
    first_product_heading: "初回購入商品分析",
    entry_product: "初回注文の商品",
    f2_rate: "F2転換率",
    customers_12m: "12か月経過した顧客",
    ltv_12m: "12か月LTV",
    first_product_formula: "初回注文に含まれる商品ごとに（2商品を含む初回注文は両方に数えます）: 顧客数、F2転換率 = 2回目の購入があった割合（F2の日数を指定した場合はその日数以内）、12か月LTV = 初回注文の月とその後11か月の購買金額の平均（基準日までに12か月が経過した顧客のみ）。",
    no_products: "このファイルには商品の列がないため、併売分析と初回購入商品分析は使えません。別の名前の列にある場合は「ファイルの読み込み方」で選んでください。",
};

/// An RFM segment's name.
pub fn rfm_segment(lang: Lang, s: Segment) -> &'static str {
    let (en, ja) = match s {
        Segment::Champions => ("Champions", "チャンピオン"),
        Segment::Loyal => ("Loyal", "ロイヤル顧客"),
        Segment::PotentialLoyalist => ("Potential loyalists", "ロイヤル候補"),
        Segment::New => ("New", "新規顧客"),
        Segment::Promising => ("Promising", "有望顧客"),
        Segment::NeedsAttention => ("Needs attention", "要注意顧客"),
        Segment::AboutToSleep => ("About to sleep", "休眠予備軍"),
        Segment::AtRisk => ("At risk", "離反の危険"),
        Segment::CannotLose => ("Can't lose them", "失えない顧客"),
        Segment::Hibernating => ("Hibernating", "休眠顧客"),
        Segment::Lost => ("Lost", "離反顧客"),
    };
    pick(lang, en, ja)
}

/// What a shop usually does with an RFM segment.
pub fn rfm_action(lang: Lang, s: Segment) -> &'static str {
    let (en, ja) = match s {
        Segment::Champions => (
            "Thank and reward; ask for reviews",
            "感謝と特典。レビューを依頼",
        ),
        Segment::Loyal => (
            "Offer the next tier, new products",
            "上位商品・新商品を案内",
        ),
        Segment::PotentialLoyalist => (
            "Push to the next order; membership",
            "次の購入を後押し。会員化",
        ),
        Segment::New => (
            "Welcome; guide to a second order",
            "ウェルカム施策。2回目購入へ誘導",
        ),
        Segment::Promising => (
            "Build the habit with a follow-up",
            "フォローで購買習慣づくり",
        ),
        Segment::NeedsAttention => ("Limited-time offer", "期間限定のオファー"),
        Segment::AboutToSleep => ("Remind; popular products", "リマインド。人気商品を案内"),
        Segment::AtRisk => (
            "Win back personally before they go",
            "離れる前に個別に呼び戻す",
        ),
        Segment::CannotLose => (
            "Win back now: they were the best",
            "最優先で呼び戻す（元の上位客）",
        ),
        Segment::Hibernating => ("Low-cost reactivation", "低コストで再活性化"),
        Segment::Lost => ("Leave out of paid campaigns", "有償施策の対象から外す"),
    };
    pick(lang, en, ja)
}

/// A CPM stage's name (初回, よちよち…).
pub fn cpm_stage(lang: Lang, s: Stage) -> &'static str {
    let en = match s {
        Stage::Shokai => "First-timers",
        Stage::Yochiyochi => "Toddlers",
        Stage::Kotsukotsu => "Steady",
        Stage::Ryuko => "Trendy",
        Stage::Yuryo => "Loyal",
    };
    match lang {
        Lang::Ja => s.japanese(),
        Lang::En => en,
    }
}

/// A CPM segment's name: the stage, churned or not; `none` is "not yet a
/// customer".
pub fn cpm_segment(lang: Lang, s: CpmSegment) -> String {
    match (s.stage(), s.is_churned(), lang) {
        (None, _, Lang::En) => "Not yet a customer".into(),
        (None, _, Lang::Ja) => "まだ顧客でない".into(),
        (Some(st), false, _) => cpm_stage(lang, st).into(),
        (Some(st), true, Lang::En) => format!("{} (churned)", cpm_stage(lang, st)),
        (Some(st), true, Lang::Ja) => format!("{}離脱", cpm_stage(lang, st)),
    }
}

/// A customer rank's name.
pub fn rank(lang: Lang, r: ltv_engine::ranks::Rank) -> &'static str {
    use ltv_engine::ranks::Rank;
    let en = match r {
        Rank::HighLtv => "High-LTV",
        Rank::PotentialLtv => "Potential-LTV",
        Rank::General => "General",
    };
    match lang {
        Lang::Ja => r.japanese(),
        Lang::En => en,
    }
}

/// What a shop usually does with a rank.
pub fn rank_action(lang: Lang, r: ltv_engine::ranks::Rank) -> &'static str {
    use ltv_engine::ranks::Rank;
    let (en, ja) = match r {
        Rank::HighLtv => ("Keep them: thanks, VIP treatment", "維持: 感謝とVIP待遇"),
        Rank::PotentialLtv => (
            "Grow them: the next tier, bundles",
            "育成: 上位商品・セット提案",
        ),
        Rank::General => ("Low-cost newsletters", "低コストのメルマガ"),
    };
    pick(lang, en, ja)
}

/// What a shop usually does with a CPM stage (active / churned).
pub fn cpm_action(lang: Lang, s: Stage, churned: bool) -> &'static str {
    let (en, ja) = match (s, churned) {
        (Stage::Shokai, false) => ("Second-order offer within weeks", "数週間以内に2回目の提案"),
        (Stage::Yochiyochi, false) => ("Third order: build the habit", "3回目購入で習慣化"),
        (Stage::Kotsukotsu, false) => (
            "Raise spend: bundles, upgrades",
            "客単価アップ（セット・上位品）",
        ),
        (Stage::Ryuko, false) => ("Keep them: they spend fast", "短期で多く買う層を定着"),
        (Stage::Yuryo, false) => ("Thank; VIP treatment", "感謝とVIP待遇"),
        (Stage::Shokai, true) => ("Low-cost reminders only", "低コストのリマインドのみ"),
        (Stage::Yochiyochi, true) => ("Win back with what they bought", "購入商品で呼び戻す"),
        (Stage::Kotsukotsu, true) => ("Win back: they were steady", "呼び戻し（安定客だった）"),
        (Stage::Ryuko, true) => ("Win back with news", "新商品で呼び戻す"),
        (Stage::Yuryo, true) => ("Personal win-back first", "最優先で個別に呼び戻す"),
    };
    pick(lang, en, ja)
}

/// A customer list's name, from its id (`yuryo`, `champions`,
/// `churn_risk`…); the id itself if it is none of them.
pub fn list_name(lang: Lang, id: &str) -> String {
    use ltv_engine::customers::ListId;
    match ListId::parse(id) {
        Some(ListId::All) => pick(lang, "All customers", "全顧客").into(),
        Some(ListId::Cpm(s)) => format!("CPM: {}", cpm_segment(lang, s)),
        Some(ListId::Rfm(s)) => format!("RFM: {}", rfm_segment(lang, s)),
        Some(ListId::Rank(r)) => rank(lang, r).into(),
        Some(ListId::ChurnRisk) => lang.seg().churn_risk_heading.into(),
        None => id.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_segment_has_two_different_names_and_actions() {
        for s in Segment::ALL {
            assert_ne!(rfm_segment(Lang::En, s), rfm_segment(Lang::Ja, s));
            assert_ne!(rfm_action(Lang::En, s), rfm_action(Lang::Ja, s));
        }
        let mut names: Vec<String> = CpmSegment::ALL
            .iter()
            .map(|&s| cpm_segment(Lang::Ja, s))
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CpmSegment::ALL.len());
        assert_eq!(cpm_segment(Lang::Ja, CpmSegment::YuryoChurned), "優良離脱");
        assert_eq!(cpm_segment(Lang::En, CpmSegment::Shokai), "First-timers");
        for id in ltv_engine::customers::ListId::ALL {
            assert_ne!(list_name(Lang::Ja, id.id()), id.id());
            assert_ne!(list_name(Lang::En, id.id()), id.id());
        }
        assert_eq!(list_name(Lang::Ja, "yuryo_churned"), "CPM: 優良離脱");
    }
}
