//! Column mapping: which header column holds which order field.
//!
//! Raw header row -> [`MappingGuess`] (auto-mapped, with the platform it
//! recognised and what it could not find) -> [`ColumnMapping`] (confirmed or
//! corrected by the user) -> typed orders in [`crate::ingest`].

use serde::{Deserialize, Serialize};

/// An order field the engine reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Order id (注文番号). Rows sharing it are one order; without it each
    /// row is one order.
    OrderId,
    /// Order date (注文日). The local date written is the day of the order.
    OrderDate,
    /// Order total as exported (tax and shipping included), written on the
    /// first row of the order at least.
    OrderTotal,
    /// Line-item unit price; used only when there is no order total.
    LinePrice,
    /// Line-item quantity (with [`Field::LinePrice`]); 1 when absent.
    LineQuantity,
    /// Customer e-mail (trimmed and lower-cased to form the key).
    Email,
    /// Customer id (会員ID).
    CustomerId,
    /// Customer phone.
    Phone,
    /// Order or payment status (cancelled, voided, refunded...).
    Status,
    /// When the order was cancelled; any value marks the order cancelled.
    CancelledAt,
    /// Amount refunded; subtracted from the order total.
    RefundedAmount,
    /// ISO currency code of the order.
    Currency,
    /// Product (line item) name.
    Product,
}

impl Field {
    pub const ALL: [Field; 13] = [
        Field::OrderId,
        Field::OrderDate,
        Field::OrderTotal,
        Field::LinePrice,
        Field::LineQuantity,
        Field::Email,
        Field::CustomerId,
        Field::Phone,
        Field::Status,
        Field::CancelledAt,
        Field::RefundedAmount,
        Field::Currency,
        Field::Product,
    ];

    /// Stable snake_case name (used in JSON and the UI's translation keys).
    pub fn name(self) -> &'static str {
        match self {
            Field::OrderId => "order_id",
            Field::OrderDate => "order_date",
            Field::OrderTotal => "order_total",
            Field::LinePrice => "line_price",
            Field::LineQuantity => "line_quantity",
            Field::Email => "email",
            Field::CustomerId => "customer_id",
            Field::Phone => "phone",
            Field::Status => "status",
            Field::CancelledAt => "cancelled_at",
            Field::RefundedAmount => "refunded_amount",
            Field::Currency => "currency",
            Field::Product => "product",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Header names (normalised: lower case, no spaces, `_` or `-`) that
    /// mean this field in a generic export, best first.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::OrderId => &[
                "orderid",
                "ordernumber",
                "orderno",
                "order",
                "注文番号",
                "受注番号",
                "注文id",
                "受注id",
                "注文no",
                "amazonorderid",
            ],
            Field::OrderDate => &[
                "orderdate",
                "createdat",
                "date",
                "注文日",
                "注文日時",
                "受注日",
                "受注日時",
                "購入日",
                "購入日時",
                "purchasedate",
                "orderedat",
                "paidat",
                "日付",
            ],
            Field::OrderTotal => &[
                "total",
                "ordertotal",
                "合計金額",
                "お支払い金額",
                "支払金額",
                "請求金額",
                "総合計",
                "合計",
                "amount",
                "orderamount",
                "売上金額",
                "totalamount",
                "購入金額",
            ],
            Field::LinePrice => &[
                "lineitemprice",
                "unitprice",
                "price",
                "単価",
                "商品単価",
                "販売価格",
                "itemprice",
            ],
            Field::LineQuantity => &[
                "lineitemquantity",
                "quantity",
                "qty",
                "数量",
                "個数",
                "quantitypurchased",
            ],
            Field::Email => &[
                "email",
                "e-mail",
                "mail",
                "customeremail",
                "billingemail",
                "メールアドレス",
                "注文者メールアドレス",
                "buyeremail",
            ],
            Field::CustomerId => &[
                "customerid",
                "userid",
                "memberid",
                "会員id",
                "顧客id",
                "会員番号",
                "顧客番号",
                "customer",
                "buyerid",
            ],
            Field::Phone => &[
                "phone",
                "billingphone",
                "電話番号",
                "tel",
                "注文者電話番号",
                "buyerphonenumber",
            ],
            Field::Status => &[
                "financialstatus",
                "status",
                "orderstatus",
                "対応状況",
                "ステータス",
                "注文ステータス",
                "orderstatus",
                "paymentstatus",
            ],
            Field::CancelledAt => &["cancelledat", "canceledat", "キャンセル日"],
            Field::RefundedAmount => &["refundedamount", "refund", "返金額"],
            Field::Currency => &["currency", "通貨"],
            Field::Product => &[
                "lineitemname",
                "productname",
                "itemname",
                "product",
                "商品名",
                "title",
            ],
        }
    }
}

/// Which column (0-based index into the header) holds each field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    columns: [Option<usize>; 13],
    /// The field that keys customers: e-mail, customer id or phone.
    pub customer_key: Option<Field>,
}

impl ColumnMapping {
    pub fn get(&self, f: Field) -> Option<usize> {
        self.columns[f.index()]
    }
    pub fn set(&mut self, f: Field, column: Option<usize>) {
        self.columns[f.index()] = column;
    }
    /// The column of the customer key, if one is chosen and mapped.
    pub fn key_column(&self) -> Option<usize> {
        self.customer_key.and_then(|f| self.get(f))
    }
    /// Required fields that have no column.
    pub fn missing(&self) -> Vec<Field> {
        let mut out = Vec::new();
        if self.get(Field::OrderDate).is_none() {
            out.push(Field::OrderDate);
        }
        if self.get(Field::OrderTotal).is_none() && self.get(Field::LinePrice).is_none() {
            out.push(Field::OrderTotal);
        }
        if self.key_column().is_none() {
            out.push(Field::Email);
        }
        out
    }
    /// Chooses the customer key by the default order: e-mail, customer id,
    /// phone.
    pub fn default_key(&mut self) {
        self.customer_key = [Field::Email, Field::CustomerId, Field::Phone]
            .into_iter()
            .find(|f| self.get(*f).is_some());
    }
}

/// The shop system an export was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Shopify,
    Generic,
}

impl Platform {
    pub fn label(self) -> &'static str {
        match self {
            Platform::Shopify => "Shopify orders export",
            Platform::Generic => "generic order export",
        }
    }
}

/// The auto-mapping of a header row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MappingGuess {
    pub platform: Platform,
    pub mapping: ColumnMapping,
    /// Required fields that could not be found: when not empty the user must
    /// map by hand.
    pub missing: Vec<Field>,
}

/// Lower case, without spaces, `_`, `-`, `:`, brackets or a BOM.
pub fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '_' | '-' | ':' | '(' | ')' | '（' | '）' | '\u{3000}' | '"'
            )
        })
        .flat_map(|c| c.to_lowercase())
        .collect()
}

const SHOPIFY: &[(Field, &str)] = &[
    (Field::OrderId, "name"),
    (Field::OrderDate, "createdat"),
    (Field::OrderTotal, "total"),
    (Field::LinePrice, "lineitemprice"),
    (Field::LineQuantity, "lineitemquantity"),
    (Field::Email, "email"),
    (Field::Phone, "phone"),
    (Field::Status, "financialstatus"),
    (Field::CancelledAt, "cancelledat"),
    (Field::RefundedAmount, "refundedamount"),
    (Field::Currency, "currency"),
    (Field::Product, "lineitemname"),
];

/// Maps a header row to fields: first by a known platform's exact headers,
/// then by synonyms.
pub fn auto_map(headers: &[String]) -> MappingGuess {
    let norm: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let has = |n: &str| norm.iter().position(|h| h == n);
    let shopify = has("name").is_some()
        && has("financialstatus").is_some()
        && has("lineitemname").is_some()
        && has("email").is_some();
    let mut mapping = ColumnMapping::default();
    let platform = if shopify {
        for (f, n) in SHOPIFY {
            mapping.set(*f, has(n));
        }
        Platform::Shopify
    } else {
        let mut used = vec![false; norm.len()];
        for f in Field::ALL {
            for syn in f.synonyms() {
                if let Some(i) = norm
                    .iter()
                    .enumerate()
                    .position(|(i, h)| !used[i] && h == syn)
                {
                    mapping.set(f, Some(i));
                    used[i] = true;
                    break;
                }
            }
        }
        Platform::Generic
    };
    mapping.default_key();
    let missing = mapping.missing();
    MappingGuess {
        platform,
        mapping,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn shopify_header_is_recognised() {
        let g = auto_map(&h(&[
            "Name",
            "Email",
            "Financial Status",
            "Paid at",
            "Currency",
            "Subtotal",
            "Total",
            "Created at",
            "Lineitem quantity",
            "Lineitem name",
            "Lineitem price",
            "Cancelled at",
            "Refunded Amount",
            "Id",
            "Phone",
        ]));
        assert_eq!(g.platform, Platform::Shopify);
        assert!(g.missing.is_empty());
        assert_eq!(g.mapping.get(Field::OrderId), Some(0));
        assert_eq!(g.mapping.get(Field::OrderTotal), Some(6));
        assert_eq!(g.mapping.get(Field::OrderDate), Some(7));
        assert_eq!(g.mapping.customer_key, Some(Field::Email));
    }

    #[test]
    fn generic_japanese_header() {
        let g = auto_map(&h(&[
            "\u{feff}注文番号",
            "注文日時",
            "会員ID",
            "お支払い金額",
            "商品名",
        ]));
        assert_eq!(g.platform, Platform::Generic);
        assert!(g.missing.is_empty(), "{:?}", g.missing);
        assert_eq!(g.mapping.get(Field::OrderId), Some(0));
        assert_eq!(g.mapping.get(Field::OrderDate), Some(1));
        assert_eq!(g.mapping.customer_key, Some(Field::CustomerId));
        assert_eq!(g.mapping.get(Field::OrderTotal), Some(3));
    }

    #[test]
    fn missing_fields_are_reported() {
        let g = auto_map(&h(&["foo", "bar", "amount"]));
        assert_eq!(g.missing, vec![Field::OrderDate, Field::Email]);
    }
}
