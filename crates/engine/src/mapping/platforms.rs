//! The shop systems and reports an export is recognised as ([`Platform`]),
//! and the table that recognises them: per platform, the headers that
//! identify its export, where each field is, how its customers are keyed
//! and what the user should know about it.

use super::{status_class, Field, StatusClass};
use serde::{Deserialize, Serialize};

/// The shop system or report an export was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Shopify's orders export (old and new header sets).
    Shopify,
    /// WooCommerce via the "Advanced Order Export For WooCommerce" plugin
    /// (default labels: "Order Number", "Email (Billing)"...).
    WooAdvancedExport,
    /// WooCommerce via WebToffee's order export (raw keys: `order_number`,
    /// `billing_email`, `status` = `wc-completed`...).
    WooWebToffee,
    /// WooCommerce's own Analytics > Orders CSV (no e-mail column).
    WooAnalytics,
    /// Rakuten RMS legacy order download (通常購入データ).
    RakutenRms,
    /// Rakuten RMS 楽天ペイ受注管理 order download.
    RakutenPay,
    /// EC-CUBE 2 受注CSV (one row per order).
    EcCube2,
    /// EC-CUBE 4 受注CSV (one row per 明細).
    EcCube4,
    /// BASE 注文CSV (one row per item or item option).
    Base,
    /// MakeShop 注文CSV (columns chosen in a template).
    MakeShop,
    /// Amazon Seller Central "All Orders" report (no buyer column).
    AmazonAllOrders,
    /// Amazon "Amazon Fulfilled Shipments" report (has buyer-email).
    AmazonFulfilledShipments,
    /// Amazon order report for merchant-fulfilled orders (New / Unshipped
    /// Orders; has buyer-email).
    AmazonOrderReport,
    /// ecforce 受注CSV (a subscription cart; columns chosen in a template).
    Ecforce,
    /// Yahoo!ショッピング order data (ストアクリエイターPro, one row per order,
    /// or the combined template with item rows).
    YahooShopping,
    /// ネクストエンジン 受注伝票 download (one row per 明細).
    NextEngine,
    /// ネクストエンジン 汎用受注CSV (the import format many carts write).
    NextEngineGeneric,
    /// カラーミーショップ 受注データ (`sales_all.csv`, one row per item).
    ColorMe,
    /// futureshop 受注データ download (columns chosen in a setting).
    Futureshop,
    /// Stripe Dashboard payments export (one row per payment).
    StripePayments,
    /// Square Transactions export (one row per payment or refund).
    SquareTransactions,
    /// BigCommerce orders export, default template (one row per order).
    BigCommerce,
    /// Adobe Commerce / Magento 2 Sales > Orders grid export.
    Magento,
    /// PrestaShop Orders > Export (no customer column).
    PrestaShop,
    /// Etsy EtsySoldOrders (one row per order).
    EtsyOrders,
    /// Etsy EtsySoldOrderItems (one row per item).
    EtsyOrderItems,
    /// Squarespace orders export (one row per item, Shopify-like).
    Squarespace,
    /// Wix orders export (one row per item, order fields on every row).
    Wix,
    Generic,
}

impl Platform {
    pub const ALL: [Platform; 29] = [
        Platform::Shopify,
        Platform::WooAdvancedExport,
        Platform::WooWebToffee,
        Platform::WooAnalytics,
        Platform::RakutenRms,
        Platform::RakutenPay,
        Platform::EcCube2,
        Platform::EcCube4,
        Platform::Base,
        Platform::MakeShop,
        Platform::AmazonAllOrders,
        Platform::AmazonFulfilledShipments,
        Platform::AmazonOrderReport,
        Platform::Ecforce,
        Platform::YahooShopping,
        Platform::NextEngine,
        Platform::NextEngineGeneric,
        Platform::ColorMe,
        Platform::Futureshop,
        Platform::StripePayments,
        Platform::SquareTransactions,
        Platform::BigCommerce,
        Platform::Magento,
        Platform::PrestaShop,
        Platform::EtsyOrders,
        Platform::EtsyOrderItems,
        Platform::Squarespace,
        Platform::Wix,
        Platform::Generic,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Platform::Shopify => "Shopify orders export",
            Platform::WooAdvancedExport => "WooCommerce orders (Advanced Order Export plugin)",
            Platform::WooWebToffee => "WooCommerce orders (WebToffee order export)",
            Platform::WooAnalytics => "WooCommerce Analytics orders report",
            Platform::RakutenRms => "Rakuten RMS order data (通常購入データ)",
            Platform::RakutenPay => "Rakuten RMS order data (楽天ペイ受注管理)",
            Platform::EcCube2 => "EC-CUBE 2 order CSV (受注CSV)",
            Platform::EcCube4 => "EC-CUBE 4 order CSV (受注CSV)",
            Platform::Base => "BASE order CSV (注文CSV)",
            Platform::MakeShop => "MakeShop order CSV (注文CSV)",
            Platform::AmazonAllOrders => "Amazon All Orders report",
            Platform::AmazonFulfilledShipments => "Amazon Fulfilled Shipments report",
            Platform::AmazonOrderReport => "Amazon order report (merchant-fulfilled)",
            Platform::Ecforce => "ecforce order CSV (受注CSV)",
            Platform::YahooShopping => "Yahoo!ショッピング order data (注文データ)",
            Platform::NextEngine => "Next Engine order slips (受注伝票)",
            Platform::NextEngineGeneric => "Next Engine generic order CSV (汎用受注CSV)",
            Platform::ColorMe => "Color Me Shop order data (sales_all.csv)",
            Platform::Futureshop => "futureshop order data (受注データ)",
            Platform::StripePayments => "Stripe payments export",
            Platform::SquareTransactions => "Square transactions export",
            Platform::BigCommerce => "BigCommerce orders export",
            Platform::Magento => "Adobe Commerce (Magento) orders grid export",
            Platform::PrestaShop => "PrestaShop orders export",
            Platform::EtsyOrders => "Etsy sold orders (EtsySoldOrders)",
            Platform::EtsyOrderItems => "Etsy sold order items (EtsySoldOrderItems)",
            Platform::Squarespace => "Squarespace orders export",
            Platform::Wix => "Wix orders export",
            Platform::Generic => "generic order export",
        }
    }

    /// A report that has no buyer column at all: it is read for revenue,
    /// every order without a customer (the note says which report to use).
    pub fn has_no_buyer_column(self) -> bool {
        matches!(self, Platform::AmazonAllOrders | Platform::PrestaShop)
    }

    /// Classifies a status cell of this platform's export. Like
    /// [`status_class`], and also reads the numeric status codes EC-CUBE
    /// writes (EC-CUBE 2's 対応状況 is the code of `mtb_order_status`).
    pub fn status_class(self, cell: &str) -> StatusClass {
        let code = cell.trim();
        match self {
            // mtb_order_status of EC-CUBE 2.x: 1 新規受付, 2 入金待ち,
            // 3 キャンセル, 4 取り寄せ中, 5 発送済み, 6 入金済み, 7 決済処理中.
            Platform::EcCube2 => match code {
                "1" | "4" | "5" | "6" => StatusClass::Completed,
                "2" | "7" => StatusClass::Pending,
                "3" => StatusClass::Cancelled,
                _ => status_class(cell),
            },
            // EC-CUBE 4: 1 新規受付, 3 注文取消し, 4 対応中, 5 発送済み,
            // 6 入金済み, 7 決済処理中, 8 購入処理中, 9 返品.
            Platform::EcCube4 => match code {
                "1" | "4" | "5" | "6" => StatusClass::Completed,
                "7" => StatusClass::Pending,
                "8" => StatusClass::Failed,
                "3" => StatusClass::Cancelled,
                "9" => StatusClass::Refunded,
                _ => status_class(cell),
            },
            // OrderStatus: 1 予約中, 2 処理中, 3 保留, 4 キャンセル, 5 完了.
            Platform::YahooShopping => match code {
                "2" | "5" => StatusClass::Completed,
                "1" | "3" => StatusClass::Pending,
                "4" => StatusClass::Cancelled,
                _ => status_class(cell),
            },
            // キャンセル区分: 0 = not cancelled, any other code a reason.
            Platform::NextEngine
                if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) =>
            {
                if code.bytes().all(|b| b == b'0') {
                    StatusClass::Completed
                } else {
                    StatusClass::Cancelled
                }
            }
            // PaymentIntent states exported beside Paid / Refunded / Failed.
            Platform::StripePayments => match code {
                "requires_payment_method" | "requires_action" | "requires_confirmation" => {
                    StatusClass::Failed
                }
                "requires_capture" => StatusClass::Pending,
                _ => status_class(cell),
            },
            // Closed: refunded in full by credit memo.
            Platform::Magento => match code.to_ascii_lowercase().as_str() {
                "closed" => StatusClass::Refunded,
                "suspected fraud" => StatusClass::Failed,
                "payment review" | "pending payment" => StatusClass::Pending,
                _ => status_class(cell),
            },
            Platform::PrestaShop | Platform::BigCommerce
                if code.to_ascii_lowercase().contains("error")
                    || code.eq_ignore_ascii_case("declined") =>
            {
                StatusClass::Failed
            }
            Platform::PrestaShop | Platform::BigCommerce
                if code.to_ascii_lowercase().starts_with("awaiting") =>
            {
                StatusClass::Pending
            }
            _ => status_class(cell),
        }
    }

    /// Whether a row is an add-on of the item above rather than an item of
    /// its own: BASE writes each chosen product option as an extra row whose
    /// 商品名 is `商品オプション「<option>」` (its price is the option's
    /// surcharge). Such rows count in the order's amount but are not
    /// products (cross-sell, items per order).
    pub fn is_option_row(self, product_cell: &str) -> bool {
        self == Platform::Base && product_cell.trim_start().starts_with("商品オプション")
    }
}

/// How a platform's customers are keyed.
pub(super) enum KeySpec {
    /// The default order: e-mail, customer id, phone.
    Default,
    /// Phone (first column) plus further columns, by normalised header.
    PhonePlus(&'static [&'static str]),
    /// The export has no customer column.
    None,
}

/// What identifies a platform's export and how its columns map.
pub(super) struct Signature {
    pub(super) platform: Platform,
    /// Normalised headers found in this platform's export and rarely
    /// elsewhere. At least a third of them (and at least 3) must be present;
    /// the platform with the largest share wins, a tie means Generic.
    pub(super) distinctive: &'static [&'static str],
    /// Per field, the normalised headers that hold it, best first.
    pub(super) fields: &'static [(Field, &'static [&'static str])],
    /// Fill fields the platform list leaves unmapped from the generic
    /// synonyms (for exports whose columns are chosen by the shop).
    pub(super) synonyms: bool,
    pub(super) key: KeySpec,
    pub(super) note: Option<&'static str>,
}

const SIGNATURES: &[Signature] = &[
    Signature {
        platform: Platform::Shopify,
        distinctive: &[
            "financialstatus",
            "paidat",
            "fulfillmentstatus",
            "fulfilledat",
            "acceptsmarketing",
            "lineitemquantity",
            "lineitemname",
            "lineitemprice",
            "lineitemsku",
            "lineitemfulfillmentstatus",
            "billingname",
            "shippingname",
            "cancelledat",
            "refundedamount",
            "discountcode",
            "risklevel",
            "noteattributes",
        ],
        fields: &[
            (Field::OrderId, &["name"]),
            (Field::OrderDate, &["createdat"]),
            (Field::OrderTotal, &["total"]),
            (Field::LinePrice, &["lineitemprice"]),
            (Field::LineQuantity, &["lineitemquantity"]),
            (Field::Email, &["email"]),
            (Field::Phone, &["phone", "billingphone"]),
            (Field::Status, &["financialstatus"]),
            (Field::CancelledAt, &["cancelledat"]),
            (Field::RefundedAmount, &["refundedamount"]),
            (Field::Currency, &["currency"]),
            (Field::Product, &["lineitemname"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: None,
    },
    Signature {
        platform: Platform::WooAdvancedExport,
        distinctive: &[
            "ordernumber",
            "orderstatus",
            "orderdate",
            "firstnamebilling",
            "lastnamebilling",
            "emailbilling",
            "phonebilling",
            "paymentmethodtitle",
            "ordersubtotalamount",
            "ordershippingamount",
            "orderrefundamount",
            "ordertotaltaxamount",
            "ordertotalamount",
            "item#",
            "itemcost",
        ],
        fields: &[
            (Field::OrderId, &["ordernumber", "orderid"]),
            (Field::OrderDate, &["orderdate"]),
            (Field::OrderTotal, &["ordertotalamount"]),
            (Field::LinePrice, &["itemcost"]),
            (Field::LineQuantity, &["quantity"]),
            (Field::Email, &["emailbilling", "customeremail"]),
            (
                Field::CustomerId,
                &["customeruserid", "customerid", "userid"],
            ),
            (Field::Phone, &["phonebilling"]),
            (Field::Status, &["orderstatus"]),
            (Field::RefundedAmount, &["orderrefundamount"]),
            (Field::Currency, &["ordercurrency", "currency"]),
            (Field::Product, &["itemname", "productname"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: None,
    },
    Signature {
        platform: Platform::WooWebToffee,
        distinctive: &[
            "orderid",
            "ordernumber",
            "orderdate",
            "paiddate",
            "shippingtotal",
            "shippingtaxtotal",
            "feetotal",
            "carttotal",
            "cartdiscount",
            "ordertotal",
            "ordersubtotal",
            "ordercurrency",
            "customeruser",
            "customeremail",
            "billingemail",
            "billingphone",
            "transactionid",
            "customeripaddress",
        ],
        fields: &[
            (Field::OrderId, &["ordernumber", "orderid"]),
            (Field::OrderDate, &["orderdate"]),
            (Field::OrderTotal, &["ordertotal"]),
            (Field::Email, &["billingemail", "customeremail"]),
            (Field::CustomerId, &["customerid", "customeruser"]),
            (Field::Phone, &["billingphone"]),
            (Field::Status, &["status"]),
            (Field::RefundedAmount, &["orderrefund", "refundedtotal"]),
            (Field::Currency, &["ordercurrency"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: None,
    },
    Signature {
        platform: Platform::WooAnalytics,
        distinctive: &[
            "order#",
            "customertype",
            "products",
            "itemssold",
            "coupons",
            "netsales",
            "attribution",
        ],
        fields: &[
            (Field::OrderId, &["order#"]),
            (Field::OrderDate, &["date"]),
            (Field::OrderTotal, &["netsales"]),
            (Field::Status, &["status"]),
            (Field::Product, &["products"]),
        ],
        synonyms: false,
        key: KeySpec::None,
        note: Some(
            "WooCommerce's Analytics export has no e-mail or customer id: its \"Customer\" \
             column is the customer's name. Choose it as the key only if names are unique, \
             or export orders with an order export plugin. Net sales exclude tax and shipping.",
        ),
    },
    Signature {
        platform: Platform::RakutenRms,
        distinctive: &[
            "受注番号",
            "受注ステータス",
            "カード決済ステータス",
            "注文者名字",
            "注文者名前",
            "注文者名字フリガナ",
            "注文者電話番号1",
            "楽天会員フラグ",
            "合計金額99999=無効値",
            "請求金額99999=無効値",
            "楽天バンク決済ステータス",
            "同梱id",
            "項目・選択肢",
            "レコードナンバー",
        ],
        fields: &[
            (Field::OrderId, &["受注番号"]),
            (Field::OrderDate, &["注文日時", "注文日"]),
            (Field::OrderTotal, &["合計金額99999=無効値", "合計金額"]),
            (Field::LinePrice, &["単価"]),
            (Field::LineQuantity, &["個数"]),
            (Field::Email, &["メールアドレス"]),
            (Field::Phone, &["注文者電話番号1"]),
            (Field::Status, &["受注ステータス"]),
            (Field::Product, &["商品名"]),
        ],
        synonyms: false,
        key: KeySpec::PhonePlus(&[
            "注文者電話番号2",
            "注文者電話番号3",
            "注文者名字",
            "注文者名前",
        ]),
        note: Some(
            "Rakuten masks buyers' e-mail addresses (…@pc.fw.rakuten.ne.jp), so customers \
             are keyed by the buyer's phone number and name.",
        ),
    },
    Signature {
        platform: Platform::RakutenPay,
        distinctive: &[
            "注文番号",
            "サブステータスid",
            "サブステータス",
            "キャンセル期限日",
            "注文確認日時",
            "楽天確認中フラグ",
            "警告表示タイプ",
            "注文者姓",
            "注文者姓カナ",
            "注文者電話番号1",
            "注文者メールアドレス",
            "申込番号",
            "送付先id",
            "商品明細id",
        ],
        fields: &[
            (Field::OrderId, &["注文番号"]),
            (Field::OrderDate, &["注文日時", "注文日"]),
            (Field::OrderTotal, &["合計金額"]),
            (Field::LinePrice, &["単価"]),
            (Field::LineQuantity, &["個数"]),
            (Field::Email, &["注文者メールアドレス"]),
            (Field::Phone, &["注文者電話番号1"]),
            (Field::Status, &["ステータス"]),
            (Field::Product, &["商品名"]),
        ],
        synonyms: false,
        key: KeySpec::PhonePlus(&["注文者電話番号2", "注文者電話番号3", "注文者姓", "注文者名"]),
        note: Some(
            "Rakuten masks buyers' e-mail addresses (…@pc.fw.rakuten.ne.jp), so customers \
             are keyed by the buyer's phone number and name.",
        ),
    },
    Signature {
        platform: Platform::EcCube2,
        distinctive: &[
            "要望等",
            "お名前フリガナ・姓",
            "お名前フリガナ名",
            "お支払い合計",
            "使用ポイント",
            "加算ポイント",
            "shopメモ",
            "発送完了日時",
            "端末種別id",
            "配送情報id",
            "電話番号1",
            "郵便番号1",
            "手数料",
        ],
        fields: &[
            (Field::OrderId, &["注文番号"]),
            (Field::OrderDate, &["注文日時"]),
            (Field::OrderTotal, &["お支払い合計", "合計"]),
            (Field::Email, &["メールアドレス"]),
            (Field::CustomerId, &["会員id"]),
            (Field::Phone, &["電話番号1"]),
            (Field::Status, &["対応状況"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: None,
    },
    Signature {
        platform: Platform::EcCube4,
        distinctive: &[
            "注文id",
            "お名前セイ",
            "お名前メイ",
            "支払合計",
            "対応状況id",
            "対応状況名称",
            "支払方法名称",
            "受注日",
            "注文詳細id",
            "商品規格id",
            "明細区分id",
            "明細区分名称",
            "出荷id",
            "出荷伝票番号",
            "配達用メモ",
        ],
        fields: &[
            (Field::OrderId, &["注文番号", "注文id"]),
            (Field::OrderDate, &["受注日"]),
            (Field::OrderTotal, &["支払合計", "合計"]),
            (Field::LinePrice, &["価格"]),
            (Field::LineQuantity, &["個数"]),
            (Field::Email, &["メールアドレス"]),
            (Field::CustomerId, &["会員id"]),
            (Field::Phone, &["tel"]),
            (Field::Status, &["対応状況名称", "対応状況id"]),
            (Field::Product, &["商品名"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: None,
    },
    Signature {
        platform: Platform::Base,
        distinctive: &[
            "注文id",
            "氏請求先",
            "名請求先",
            "郵便番号請求先",
            "メールアドレス請求先",
            "電話番号請求先",
            "氏配送先",
            "名配送先",
            "バリエーション",
            "発送状況",
            "種類id",
            "購入元",
            "調整金額",
            "代引き手数料",
        ],
        fields: &[
            (Field::OrderId, &["注文id"]),
            (Field::OrderDate, &["注文日時"]),
            // 合計金額 is the row's amount (価格 × 数量), option rows included:
            // summed over the order's rows, with no quantity.
            (Field::LinePrice, &["合計金額"]),
            (Field::Email, &["メールアドレス請求先"]),
            (Field::Phone, &["電話番号請求先"]),
            (Field::Status, &["発送状況"]),
            (Field::Product, &["商品名"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "BASE writes each product option as an extra row named 商品オプション「…」; \
             the order amount is the sum of the rows' 合計金額 (shipping not included).",
        ),
    },
    Signature {
        platform: Platform::MakeShop,
        distinctive: &[
            "日付",
            "注文時間",
            "注文番号",
            "処理状況",
            "注文者",
            "注文者振り仮名",
        ],
        fields: &[
            (Field::OrderId, &["注文番号"]),
            (Field::OrderDate, &["日付"]),
            (Field::Status, &["処理状況"]),
        ],
        synonyms: true,
        key: KeySpec::Default,
        note: None,
    },
    Signature {
        platform: Platform::AmazonAllOrders,
        distinctive: &[
            "amazonorderid",
            "merchantorderid",
            "lastupdateddate",
            "orderstatus",
            "fulfillmentchannel",
            "orderchannel",
            "itemstatus",
            "asin",
            "itempromotiondiscount",
            "shippromotiondiscount",
            "isbusinessorder",
            "pricedesignation",
        ],
        fields: &[
            (Field::OrderId, &["amazonorderid"]),
            (Field::OrderDate, &["purchasedate"]),
            // item-price is the price of all units of the row (unit × qty).
            (Field::LinePrice, &["itemprice"]),
            (Field::Status, &["orderstatus"]),
            (Field::Currency, &["currency"]),
            (Field::Product, &["productname"]),
        ],
        synonyms: false,
        key: KeySpec::None,
        note: Some(
            "Amazon's All Orders report has no buyer column, so orders cannot be linked to \
             customers. Use the Amazon Fulfilled Shipments report (FBA) or the order report \
             of merchant-fulfilled orders, which carry buyer-email, or choose a key column.",
        ),
    },
    Signature {
        platform: Platform::AmazonFulfilledShipments,
        distinctive: &[
            "amazonorderid",
            "shipmentid",
            "shipmentitemid",
            "amazonorderitemid",
            "merchantorderitemid",
            "paymentsdate",
            "shipmentdate",
            "reportingdate",
            "buyeremail",
            "quantityshipped",
            "fulfillmentcenterid",
            "estimatedarrivaldate",
        ],
        fields: &[
            (Field::OrderId, &["amazonorderid"]),
            (Field::OrderDate, &["purchasedate"]),
            (Field::LinePrice, &["itemprice"]),
            (Field::Email, &["buyeremail"]),
            (Field::Phone, &["buyerphonenumber"]),
            (Field::Currency, &["currency"]),
            (Field::Product, &["productname"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "buyer-email is Amazon's anonymised relay address (…@marketplace.amazon.…), \
             stable for a buyer; only shipped items are listed.",
        ),
    },
    Signature {
        platform: Platform::AmazonOrderReport,
        distinctive: &[
            "orderid",
            "orderitemid",
            "paymentsdate",
            "buyeremail",
            "buyername",
            "quantitypurchased",
            "recipientname",
            "shipaddress1",
            "deliverystartdate",
            "deliverytimezone",
        ],
        fields: &[
            (Field::OrderId, &["orderid"]),
            (Field::OrderDate, &["purchasedate"]),
            (Field::LinePrice, &["itemprice"]),
            (Field::Email, &["buyeremail"]),
            (Field::Phone, &["buyerphonenumber"]),
            (Field::Currency, &["currency"]),
            (Field::Product, &["productname"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "buyer-email is Amazon's anonymised relay address (…@marketplace.amazon.…), \
             stable for a buyer.",
        ),
    },
    Signature {
        platform: Platform::Ecforce,
        distinctive: &[
            "受注id",
            "顧客番号",
            "定期受注番号",
            "定期内受注n番目",
            "定期回数",
            "定期ステータス",
            "定期最新受注フラグ",
            "顧客購入回数",
            "購入url",
            "購入オファー",
            "広告urlグループ名",
            "広告主名",
            "支払い合計",
            "決済状況",
            "取消日",
            "購入商品商品コード",
            "購入商品商品名",
            "購入商品単価",
            "購入商品個数",
            "請求先電話番号フル",
            "請求先名前フル",
        ],
        fields: &[
            (Field::OrderId, &["受注番号", "受注id"]),
            (Field::OrderDate, &["受注日"]),
            (Field::OrderTotal, &["支払い合計", "合計"]),
            (Field::LinePrice, &["購入商品単価"]),
            (Field::LineQuantity, &["購入商品個数"]),
            (Field::Email, &["メールアドレス"]),
            (Field::CustomerId, &["顧客番号", "顧客id"]),
            (Field::Phone, &["請求先電話番号フル"]),
            (Field::Status, &["対応状況"]),
            (Field::CancelledAt, &["取消日"]),
            (Field::Product, &["購入商品商品名"]),
            (Field::Category, &["購入商品商品カテゴリー"]),
        ],
        synonyms: true,
        key: KeySpec::Default,
        note: Some(
            "Each subscription shipment (定期受注) is an order of its own, so renewals count \
             as repeat purchases. 支払い合計 is the amount charged; orders with 取消日 are cancelled.",
        ),
    },
    Signature {
        platform: Platform::YahooShopping,
        distinctive: &[
            "ordertime",
            "orderstatus",
            "storestatus",
            "billmailaddress",
            "billphonenumber",
            "billname",
            "totalprice",
            "usepoint",
            "getpoint",
            "totalmallcoupondiscount",
            "shipcharge",
            "paycharge",
            "paymethod",
            "settlestatus",
            "devicetype",
            "isaffiliate",
            "shipname",
            "ordertimeunixepoch",
        ],
        fields: &[
            (Field::OrderId, &["orderid"]),
            (Field::OrderDate, &["ordertime"]),
            (Field::OrderTotal, &["totalprice", "total"]),
            (Field::LinePrice, &["unitprice"]),
            (Field::LineQuantity, &["quantity"]),
            (Field::Email, &["billmailaddress"]),
            (Field::Phone, &["billphonenumber"]),
            (Field::Status, &["orderstatus"]),
            (Field::Product, &["title"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "TotalPrice is what the buyer paid, after points (UsePoint) and mall coupons. \
             OrderStatus 4 is a cancellation.",
        ),
    },
    Signature {
        platform: Platform::NextEngine,
        distinctive: &[
            "伝票番号",
            "出荷確定日",
            "取込日",
            "キャンセル区分",
            "総合計",
            "商品計",
            "発送代",
            "他費用",
            "ポイント数",
            "受注状態",
            "受注担当者",
            "購入者名",
            "購入者カナ",
            "購入者メールアドレス",
            "購入者電話番号",
            "顧客cd",
            "明細行キャンセル",
            "商品コード伝票",
            "商品名伝票",
            "受注数",
            "引当数",
            "売単価",
            "店舗コード",
        ],
        fields: &[
            (Field::OrderId, &["伝票番号"]),
            (Field::OrderDate, &["受注日"]),
            (Field::OrderTotal, &["総合計"]),
            (Field::LinePrice, &["売単価"]),
            (Field::LineQuantity, &["受注数"]),
            (Field::Email, &["購入者メールアドレス"]),
            (Field::CustomerId, &["顧客cd"]),
            (Field::Phone, &["購入者電話番号"]),
            (Field::Status, &["キャンセル区分", "受注状態"]),
            (Field::Product, &["商品名伝票"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "Next Engine gathers the orders of several shops and malls: a mall that masks \
             e-mails (Rakuten, Amazon) gives each order its own address there. A キャンセル区分 \
             other than 0 marks a cancelled order.",
        ),
    },
    Signature {
        platform: Platform::NextEngineGeneric,
        distinctive: &[
            "店舗伝票番号",
            "受注郵便番号",
            "受注住所1",
            "受注名",
            "受注名カナ",
            "受注電話番号",
            "受注メールアドレス",
            "発送郵便番号",
            "発送先住所1",
            "発送先名",
            "発送先カナ",
            "発送電話番号",
            "商品計",
            "発送料",
            "その他費用",
            "ギフトフラグ",
            "時間帯指定",
            "日付指定",
            "作業者欄",
            "受注数量",
            "出荷済フラグ",
            "顧客区分",
            "顧客コード",
        ],
        fields: &[
            (Field::OrderId, &["店舗伝票番号"]),
            (Field::OrderDate, &["受注日"]),
            (Field::OrderTotal, &["合計金額"]),
            (Field::LinePrice, &["商品価格"]),
            (Field::LineQuantity, &["受注数量"]),
            (Field::Email, &["受注メールアドレス"]),
            (Field::CustomerId, &["顧客コード"]),
            (Field::Phone, &["受注電話番号"]),
            (Field::Product, &["商品名"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some("This format has no status column: cancelled orders cannot be told apart."),
    },
    Signature {
        platform: Platform::ColorMe,
        distinctive: &[
            "売上id",
            "pc・携帯区分",
            "入金状態",
            "発送状態",
            "発送日時",
            "商品の合計金額税込",
            "送料合計",
            "総合計金額",
            "購入者顧客id",
            "購入者名前",
            "購入者メールアドレス",
            "購入者電話番号",
            "配送先id",
            "配送先名前",
            "売上詳細id",
            "購入商品商品id",
            "購入商品型番",
            "購入商品商品名",
            "購入商品販売価格消費税込",
            "購入商品販売個数",
            "購入商品小計",
        ],
        fields: &[
            (Field::OrderId, &["売上id"]),
            (Field::OrderDate, &["受注日"]),
            (Field::OrderTotal, &["総合計金額"]),
            (Field::LinePrice, &["購入商品販売価格消費税込"]),
            (Field::LineQuantity, &["購入商品販売個数"]),
            (Field::Email, &["購入者メールアドレス"]),
            (Field::CustomerId, &["購入者顧客id"]),
            (Field::Phone, &["購入者電話番号"]),
            (Field::Status, &["入金状態"]),
            (Field::Product, &["購入商品商品名"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: None,
    },
    Signature {
        platform: Platform::Futureshop,
        distinctive: &[
            "受注コード",
            "請求合計金額",
            "商品合計金額",
            "消費税合計",
            "包装手数料",
            "クール便手数料",
            "その他手数料",
            "コンビニ区分",
            "コンビニ支払番号",
            "通信欄",
            "ショップメモ",
            "入金フラグ",
            "入金確認日",
            "メールアドレスサブ",
            "メールアドレスモバイル",
            "都道府県区分",
            "電話番号メイン",
            "お届け先氏名姓",
            "お届け先都道府県区分",
            "枝番号",
            "項目選択肢",
            "バリエーション名",
            "販売単価",
            "購入数量",
            "ポイント利用の有無",
            "ポイント利用額",
        ],
        fields: &[
            (Field::OrderId, &["受注コード"]),
            (Field::OrderDate, &["注文日時"]),
            (Field::OrderTotal, &["請求合計金額"]),
            (Field::LinePrice, &["販売単価"]),
            (Field::LineQuantity, &["購入数量"]),
            (
                Field::Email,
                &["メールアドレスメイン", "メールアドレス", "メールアドレスモバイル", "メールアドレスサブ"],
            ),
            (Field::CustomerId, &["会員id", "会員番号"]),
            (Field::Phone, &["電話番号メイン", "携帯電話番号"]),
            (Field::Status, &["処理状況区分", "処理状況"]),
            (Field::Product, &["商品名"]),
        ],
        synonyms: true,
        key: KeySpec::Default,
        note: Some(
            "請求合計金額 is the amount billed after points and discounts. Add 処理状況 to the \
             download (受注データ取得項目設定) so that cancelled (注文取消) and returned (返品) \
             orders are left out.",
        ),
    },
    Signature {
        platform: Platform::StripePayments,
        distinctive: &[
            "id",
            "createddateutc",
            "createdutc",
            "amountrefunded",
            "convertedamount",
            "convertedamountrefunded",
            "convertedcurrency",
            "captured",
            "declinereason",
            "statementdescriptor",
            "sellermessage",
            "customerdescription",
            "customeremail",
            "paymentintentid",
            "cardfingerprint",
            "cardlast4",
            "fee",
        ],
        fields: &[
            (Field::OrderId, &["id"]),
            (Field::OrderDate, &["createddateutc", "createdutc"]),
            (Field::OrderTotal, &["amount"]),
            (Field::Email, &["customeremail"]),
            (Field::CustomerId, &["customerid"]),
            (Field::Phone, &["customerphone"]),
            (Field::Status, &["status"]),
            (Field::RefundedAmount, &["amountrefunded"]),
            (Field::Currency, &["currency"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "Each Stripe payment is read as an order, dated by its UTC day. Payments with no \
             customer e-mail (guest checkouts without a Customer) have no customer.",
        ),
    },
    Signature {
        platform: Platform::SquareTransactions,
        distinctive: &[
            "timezone",
            "grosssales",
            "servicecharges",
            "netsales",
            "giftcardsales",
            "partialrefunds",
            "totalcollected",
            "cardentrymethods",
            "squaregiftcard",
            "othertender",
            "nettotal",
            "transactionid",
            "paymentid",
            "pansuffix",
            "devicename",
            "staffname",
            "eventtype",
            "diningoption",
            "customerreferenceid",
            "depositid",
            "transactionstatus",
        ],
        fields: &[
            (Field::OrderId, &["transactionid"]),
            (Field::OrderDate, &["date"]),
            (Field::OrderTotal, &["totalcollected"]),
            (Field::CustomerId, &["customerid"]),
            (Field::Status, &["eventtype"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "Square's export has no e-mail: customers are keyed by Square's Customer ID, which is \
             empty when no customer was attached to the sale. Refund rows are left out.",
        ),
    },
    Signature {
        platform: Platform::BigCommerce,
        distinctive: &[
            "ordertime",
            "subtotalinctax",
            "subtotalextax",
            "taxtotal",
            "shippingcostinctax",
            "shippingcostextax",
            "handlingcostinctax",
            "handlingcostextax",
            "coupondetails",
            "ordertotalinctax",
            "ordertotalextax",
            "refundamount",
            "customername",
            "customeremail",
            "customerphone",
            "shipmethod",
            "storecreditredeemed",
            "giftcertificateamountredeemed",
            "totalquantity",
            "totalshipped",
            "ordercurrencycode",
            "productdetails",
            "combinedproductweight",
        ],
        fields: &[
            (Field::OrderId, &["orderid"]),
            (Field::OrderDate, &["orderdate"]),
            (Field::OrderTotal, &["ordertotalinctax", "ordertotalextax"]),
            (Field::Email, &["customeremail", "billingemail"]),
            (Field::CustomerId, &["customerid"]),
            (Field::Phone, &["customerphone", "billingphone"]),
            (Field::Status, &["orderstatus"]),
            (Field::RefundedAmount, &["refundamount"]),
            (Field::Currency, &["ordercurrencycode"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "BigCommerce packs an order's items into one Product Details cell: products are not \
             read from it (cross-sell needs a file with one row per item).",
        ),
    },
    Signature {
        platform: Platform::Magento,
        distinctive: &[
            "purchasepoint",
            "purchasedate",
            "billtoname",
            "shiptoname",
            "grandtotalbase",
            "grandtotalpurchased",
            "billingaddress",
            "shippingaddress",
            "shippinginformation",
            "customergroup",
            "shippingandhandling",
            "totalrefunded",
            "allocatedsources",
            "pickuplocationcode",
        ],
        fields: &[
            (Field::OrderId, &["id"]),
            (Field::OrderDate, &["purchasedate"]),
            (Field::OrderTotal, &["grandtotalpurchased", "grandtotalbase"]),
            (Field::Email, &["customeremail"]),
            (Field::Status, &["status"]),
            (Field::RefundedAmount, &["totalrefunded"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "The orders grid exports only the columns shown: show Customer Email (and Total \
             Refunded) under Columns before exporting, or the orders cannot be tied to customers. \
             Status Closed is a full refund.",
        ),
    },
    Signature {
        platform: Platform::PrestaShop,
        distinctive: &["reference", "newclient", "delivery", "customer", "payment", "company"],
        fields: &[
            (Field::OrderId, &["id"]),
            (Field::OrderDate, &["date"]),
            (Field::OrderTotal, &["total"]),
            (Field::Status, &["status"]),
        ],
        synonyms: false,
        key: KeySpec::None,
        note: Some(
            "PrestaShop's order export has no e-mail or customer id (Customer is a shortened \
             name such as J. DOE), so orders cannot be linked to customers: it is read for \
             revenue only. Export orders with the customer's e-mail (SQL Manager) for customer \
             analyses.",
        ),
    },
    Signature {
        platform: Platform::EtsyOrders,
        distinctive: &[
            "saledate",
            "buyeruserid",
            "fullname",
            "numberofitems",
            "dateshipped",
            "dateposted",
            "ordervalue",
            "coupondetails",
            "shippingdiscount",
            "deliverydiscount",
            "salestax",
            "cardprocessingfees",
            "ordernet",
            "adjustedordertotal",
            "adjustedcardprocessingfees",
            "adjustednetorderamount",
            "inpersondiscount",
            "inpersonlocation",
        ],
        fields: &[
            (Field::OrderId, &["orderid"]),
            (Field::OrderDate, &["saledate"]),
            (Field::OrderTotal, &["ordertotal"]),
            (Field::CustomerId, &["buyeruserid"]),
            (Field::Status, &["status"]),
            (Field::Currency, &["currency"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "Etsy does not export buyers' e-mails: customers are keyed by Buyer User ID. \
             Refunds show only in the Adjusted columns and are not subtracted.",
        ),
    },
    Signature {
        platform: Platform::EtsyOrderItems,
        distinctive: &[
            "saledate",
            "itemname",
            "ordershipping",
            "ordersalestax",
            "itemtotal",
            "transactionid",
            "listingid",
            "datepaid",
            "dateshipped",
            "variations",
            "listingstype",
            "inpersondiscount",
        ],
        fields: &[
            (Field::OrderId, &["orderid"]),
            (Field::OrderDate, &["saledate"]),
            (Field::LinePrice, &["price"]),
            (Field::LineQuantity, &["quantity"]),
            (Field::CustomerId, &["buyer"]),
            (Field::Currency, &["currency"]),
            (Field::Product, &["itemname"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: Some(
            "The order items file gives each order as the sum of its items (price × quantity, \
             before discounts, shipping and tax); customers are keyed by their Etsy username.",
        ),
    },
    Signature {
        platform: Platform::Squarespace,
        // Only what tells it from Shopify, whose names it shares.
        distinctive: &["orderid", "amountrefunded", "lineitemvariant", "privatenotes"],
        fields: &[
            (Field::OrderId, &["orderid"]),
            (Field::OrderDate, &["createdat"]),
            (Field::OrderTotal, &["total"]),
            (Field::LinePrice, &["lineitemprice"]),
            (Field::LineQuantity, &["lineitemquantity"]),
            (Field::Email, &["email"]),
            (Field::Phone, &["billingphone"]),
            (Field::Status, &["financialstatus"]),
            (Field::CancelledAt, &["cancelledat"]),
            (Field::RefundedAmount, &["amountrefunded"]),
            (Field::Currency, &["currency"]),
            (Field::Product, &["lineitemname"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: None,
    },
    Signature {
        platform: Platform::Wix,
        distinctive: &[
            "datecreated",
            "fulfillby",
            "totalorderquantity",
            "contactemail",
            "notefromcustomer",
            "additionalcheckoutinfo",
            "quantityrefunded",
            "customtext",
            "depositamount",
            "deliverymethod",
            "recipientname",
            "recipientphone",
            "giftcardamount",
            "shippingrate",
            "netamount",
            "additionalfees",
            "fulfillmentservice",
            "shippinglabel",
        ],
        fields: &[
            (Field::OrderId, &["ordernumber"]),
            (Field::OrderDate, &["datecreated"]),
            (Field::OrderTotal, &["total"]),
            (Field::LinePrice, &["price"]),
            (Field::LineQuantity, &["qty"]),
            (Field::Email, &["contactemail"]),
            (Field::Phone, &["billingphone"]),
            (Field::Status, &["paymentstatus"]),
            (Field::RefundedAmount, &["refundedamount"]),
            (Field::Currency, &["currency"]),
            (Field::Product, &["item"]),
        ],
        synonyms: false,
        key: KeySpec::Default,
        note: None,
    },
];

/// The signature the header matches best, if one matches clearly.
pub(super) fn recognise(norm: &[String]) -> Option<&'static Signature> {
    let mut best: Option<(&Signature, usize, usize)> = None;
    let mut tie = false;
    for sig in SIGNATURES {
        let score = sig
            .distinctive
            .iter()
            .filter(|d| norm.iter().any(|h| h == *d))
            .count();
        let len = sig.distinctive.len();
        if score < 3 || score * 3 < len {
            continue;
        }
        match best {
            // Compare score/len without division.
            Some((_, s, l)) if score * l == s * len => tie = true,
            Some((_, s, l)) if score * l < s * len => {}
            _ => {
                best = Some((sig, score, len));
                tie = false;
            }
        }
    }
    if tie {
        None
    } else {
        best.map(|(sig, _, _)| sig)
    }
}
