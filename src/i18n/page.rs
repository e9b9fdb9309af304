//! The texts of the page around the analyses: the first screen (what you
//! get, which exports, why nothing is uploaded), the link with the
//! settings, and the names given to controls for screen readers.

/// The page's texts in one language.
pub struct PageTexts {
    pub intro_heading: &'static str,
    /// What each tab gives: (name, one line).
    pub intro_items: &'static [(&'static str, &'static str)],
    pub formats_heading: &'static str,
    pub formats: &'static str,
    pub privacy_heading: &'static str,
    /// The privacy claims, short (PRIVACY.md has each with its test).
    pub privacy_points: &'static [&'static str],
    pub privacy_tested: &'static str,
    pub tabs_label: &'static str,
    pub copy_link: &'static str,
    pub link_label: &'static str,
    pub link_copied: &'static str,
    pub link_select: &'static str,
    pub link_help: &'static str,
}

pub static EN: PageTexts = PageTexts {
    intro_heading: "What you get from one order export",
    intro_items: &[
        ("Deciles", "which tenth of your customers brings which share of revenue, and how that moves month by month"),
        ("Cohorts and LTV", "retention and cumulative value by month of first purchase; LTV targets, and actual against target"),
        ("Repeat", "F2 conversion, repeat rate, days between orders, tenure"),
        ("Segments", "RFM and CPM segments, each with its customers to download"),
        ("Customers", "high-LTV and potential-LTV ranks, and who is overdue for a next order"),
        ("Products", "products bought together, and the first products that bring customers back"),
        ("Predicted LTV", "BG/NBD, Pareto/NBD and Gamma-Gamma: who is still a customer and what they will spend"),
    ],
    formats_heading: "Reads the export of your cart",
    formats: "Shopify, Rakuten (RMS), Amazon, Yahoo! Shopping, BASE, EC-CUBE, MakeShop, Color Me Shop, futureshop, ecforce, Next Engine, WooCommerce, Stripe, Square, BigCommerce, Adobe Commerce (Magento), PrestaShop, Etsy, Squarespace and Wix, and any CSV, TSV or Excel file with an order, a date and an amount on each row. Shift_JIS, UTF-8 and UTF-16 are all read.",
    privacy_heading: "Why nothing is uploaded",
    privacy_points: &[
        "The file is read by this page, in your browser. There is no server side.",
        "After it has loaded (and, on a first visit, copied its own files for offline use), the page makes no network request: not while reading, not on any tab, not while downloading. You can turn the network off and it still works.",
        "The page's security policy lets the browser refuse any connection to another site, and nothing is loaded from a CDN, web font, analytics or tracker.",
        "Settings live in the page's address; this browser keeps only column mappings you chose by hand, never a value from your file.",
    ],
    privacy_tested: "Each of these is checked by an automated test (PRIVACY.md in the source).",
    tabs_label: "Analyses",
    copy_link: "Copy link with these settings",
    link_label: "Link with these settings",
    link_copied: "Copied.",
    link_select: "Could not copy: select the link and copy it.",
    link_help: "The link holds the settings only (as-of date, windows, thresholds, targets, language, tab), never data from your file. Whoever opens it and drops their own export sees it with the same settings.",
};

pub static JA: PageTexts = PageTexts {
    intro_heading: "受注データ1ファイルでわかること",
    intro_items: &[
        ("デシル分析", "顧客を購入額で10等分し、どの層が売上の何割を占めるか、月ごとの推移まで"),
        ("コホート・LTV", "初回購入月ごとの継続率と累計LTV、LTV目標と実績の対比"),
        ("リピート", "F2転換率、リピート率、購入間隔、在籍期間"),
        ("顧客セグメント", "RFM・CPM分析、セグメントごとの顧客リストをダウンロード"),
        ("顧客リスト", "優良・準優良顧客のランク、次の購入が遅れている離脱予備軍"),
        ("商品分析", "併売（一緒に買われる商品）と、リピートにつながる初回購入商品"),
        ("予測LTV", "BG/NBD・Pareto/NBD・Gamma-Gamma モデルで、まだ顧客でいる確率と今後の購入額を予測"),
    ],
    formats_heading: "お使いのカートのデータをそのまま読み込みます",
    formats: "Shopify、楽天（RMS）、Amazon、Yahoo!ショッピング、BASE、EC-CUBE、MakeShop、カラーミーショップ、futureshop、ecforce、ネクストエンジン、WooCommerce、Stripe、Square、BigCommerce、Adobe Commerce（Magento）、PrestaShop、Etsy、Squarespace、Wix、そして1行に注文・日付・金額がある CSV・TSV・Excel ファイルなら何でも。Shift_JIS・UTF-8・UTF-16 のいずれも読めます。",
    privacy_heading: "アップロードしない理由と仕組み",
    privacy_points: &[
        "ファイルはこのページが、お使いのブラウザの中で読み込みます。サーバー側の処理はありません。",
        "読み込み後（初回はオフライン用に自身のファイルをコピーした後）のページは通信を一切行いません。ファイルの読み込み中も、どのタブでも、ダウンロード中もです。ネットワークを切っても動きます。",
        "ページのセキュリティポリシーにより、他のサイトへの接続はブラウザが拒否します。CDN・Webフォント・アクセス解析・トラッカーも使いません。",
        "設定はページのアドレスに入ります。ブラウザに残すのは手動で選んだ列の対応付けだけで、ファイルの値は残しません。",
    ],
    privacy_tested: "いずれも自動テストで確認しています（ソースの PRIVACY.md）。",
    tabs_label: "分析",
    copy_link: "この設定のリンクをコピー",
    link_label: "この設定のリンク",
    link_copied: "コピーしました。",
    link_select: "コピーできませんでした。リンクを選択してコピーしてください。",
    link_help: "リンクに入るのは設定（基準日・期間・しきい値・目標・言語・タブ）だけで、ファイルのデータは入りません。リンクを開いて自分の受注データをドロップすれば、同じ設定で表示されます。",
};
