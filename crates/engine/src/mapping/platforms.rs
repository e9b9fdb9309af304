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
    Generic,
}

impl Platform {
    pub const ALL: [Platform; 14] = [
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
            Platform::Generic => "generic order export",
        }
    }

    /// A report that has no buyer column at all: it is read for revenue,
    /// every order without a customer (the note says which report to use).
    pub fn has_no_buyer_column(self) -> bool {
        matches!(self, Platform::AmazonAllOrders)
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
