//! Column mapping: which header column holds which order field.
//!
//! Raw header row -> [`MappingGuess`] (auto-mapped, with the platform it
//! recognised and what it could not find) -> [`ColumnMapping`] (confirmed or
//! corrected by the user) -> typed orders in [`crate::ingest`].
//!
//! The platforms and the table of their exports' headers are in
//! `platforms.rs`.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

mod platforms;
pub use platforms::Platform;
use platforms::{recognise, KeySpec};

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
    /// Line-item unit price: the order's amount is the sum of price ×
    /// quantity only when there is no order total; each line's amount
    /// always.
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
    /// Product (line item) name (商品名): each row with one is a line item
    /// of its order (see [`crate::store::Line`]).
    Product,
    /// Product category (商品カテゴリ): optional; a product takes the first
    /// non-empty category written on its rows.
    Category,
}

impl Field {
    pub const ALL: [Field; 14] = [
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
        Field::Category,
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
            Field::Category => "category",
        }
    }

    /// The field called `name` ([`Field::name`]).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Header names (normalised by [`normalise_header`]) that mean this
    /// field in a generic export, best first. Collected from the platforms
    /// in `docs/platforms.md` and common hand-made exports.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::OrderId => &[
                "orderid",
                "ordernumber",
                "orderno",
                "order#",
                "order",
                "注文番号",
                "受注番号",
                "注文id",
                "受注id",
                "注文no",
                "注文コード",
                "受注コード",
                "伝票番号",
                "amazonorderid",
                "注文伝票番号",
                "受注伝票番号",
                "店舗伝票番号",
                "受注no",
                "伝票no",
                "注文id番号",
                "orderreference",
                "ordernum",
            ],
            Field::OrderDate => &[
                "orderdate",
                "createdat",
                "date",
                "注文日",
                "注文日時",
                "受注日",
                "受注日時",
                "注文日付",
                "受注日付",
                "購入日",
                "購入日時",
                "purchasedate",
                "orderedat",
                "dateordered",
                "orderdatetime",
                "createddate",
                "paidat",
                "日付",
                "売上日",
                "販売日",
                "購入日付",
                "注文年月日",
                "受注年月日",
                "注文受付日",
                "注文受付日時",
                "注文日時時刻",
                "saledate",
                "datecreated",
                "created",
                "transactiondate",
            ],
            Field::OrderTotal => &[
                "total",
                "ordertotal",
                "ordertotalamount",
                "grandtotal",
                "totalprice",
                "合計金額",
                "お支払い金額",
                "お支払い合計",
                "支払合計",
                "支払金額",
                "決済金額",
                "請求金額",
                "総合計",
                "合計",
                "amount",
                "orderamount",
                "売上金額",
                "totalamount",
                "購入金額",
                // Explicitly tax-included totals and the words of hand-made
                // exports. Not a line price: those words (単価, 商品金額,
                // 販売価格…) are the line price's, and a column whose rows
                // of one order differ is not taken as the order's total
                // (`ingest::sniff`).
                "合計金額税込",
                "税込合計金額",
                "税込合計",
                "総合計金額",
                "合計額",
                "総額",
                "注文金額",
                "受注金額",
                "注文合計",
                "受注合計",
                "購入金額合計",
                "お買上金額",
                "お買い上げ金額",
                "ご購入金額",
                "請求額",
                "支払額",
                "お支払金額",
                "税込金額",
                "金額税込",
                "売上金額税込",
                "売上額",
                "売上高",
                "売上",
                "金額",
                "ordervalue",
                "sales",
                "revenue",
                "totalsales",
                "小計",
                "subtotal",
            ],
            Field::LinePrice => &[
                "lineitemprice",
                "unitprice",
                "price",
                "itemcost",
                "単価",
                "商品単価",
                "販売価格",
                "価格",
                "itemprice",
                "商品価格",
                "商品金額",
                "販売単価",
                "単価税込",
                "税込単価",
                "商品単価税込",
                "lineprice",
                "productprice",
            ],
            Field::LineQuantity => &[
                "lineitemquantity",
                "quantity",
                "qty",
                "数量",
                "個数",
                "quantitypurchased",
                "購入数",
                "注文数",
                "数",
                "qtyordered",
                "quantityordered",
            ],
            Field::Email => &[
                "email",
                "mail",
                "emailaddress",
                "customeremail",
                "billingemail",
                "billingemailaddress",
                "emailbilling",
                "メールアドレス",
                "注文者メールアドレス",
                "メールアドレス請求先",
                "eメール",
                "eメールアドレス",
                "注文者email",
                "buyeremail",
                "メール",
                "メールアドレスpc",
                "mailaddress",
                "購入者メールアドレス",
                "注文者メール",
                "お客様メールアドレス",
                "顧客メールアドレス",
                "会員メールアドレス",
                "contactemail",
                "useremail",
                "billmailaddress",
            ],
            Field::CustomerId => &[
                "customerid",
                "customeruserid",
                "customernumber",
                "customerno",
                "userid",
                "memberid",
                "会員id",
                "顧客id",
                "会員番号",
                "顧客番号",
                "会員コード",
                "顧客コード",
                "customer",
                "buyerid",
                "お客様id",
                "お客様番号",
                "お客様コード",
                "顧客no",
                "会員no",
                "購入者id",
                "注文者id",
                "購入者番号",
                "注文者番号",
                "customercode",
                "clientid",
                "buyeruserid",
            ],
            Field::Phone => &[
                "phone",
                "billingphone",
                "phonebilling",
                "phonenumber",
                "telephone",
                "電話番号",
                "tel",
                "注文者電話番号",
                "電話番号請求先",
                "携帯電話番号",
                "buyerphonenumber",
                "購入者電話番号",
                "お客様電話番号",
                "顧客電話番号",
                "注文者電話",
                "電話",
                "billphonenumber",
            ],
            Field::Status => &[
                "financialstatus",
                "status",
                "orderstatus",
                "対応状況",
                "ステータス",
                "注文ステータス",
                "受注ステータス",
                "処理状況",
                "発送状況",
                "paymentstatus",
                "受注状況",
                "注文状況",
                "状態",
                "状況",
            ],
            Field::CancelledAt => &[
                "cancelledat",
                "canceledat",
                "cancelleddate",
                "キャンセル日",
                "キャンセル日時",
            ],
            Field::RefundedAmount => &[
                "refundedamount",
                "refundamount",
                "orderrefundamount",
                "refund",
                "返金額",
                "返金金額",
                "合計返金額",
            ],
            Field::Currency => &[
                "currency",
                "currencycode",
                "ordercurrency",
                "通貨",
                "通貨コード",
            ],
            Field::Product => &[
                "lineitemname",
                "productname",
                "itemname",
                "product",
                "products",
                "商品名",
                "品名",
                "title",
                "商品",
                "商品名称",
                "アイテム名",
                "itemtitle",
                "item",
                "lineitem",
            ],
            // Shopify's product export calls it "Product Type"; Japanese
            // carts カテゴリ(ー) or 商品分類.
            Field::Category => &[
                "category",
                "productcategory",
                "producttype",
                "itemcategory",
                "categoryname",
                "カテゴリ",
                "カテゴリー",
                "商品カテゴリ",
                "商品カテゴリー",
                "カテゴリ名",
                "カテゴリー名",
                "商品分類",
            ],
        }
    }
}

/// Which column (0-based index into the header) holds each field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Per field, in [`Field::ALL`] order. A shorter array (a mapping
    /// remembered before a field was added) reads with the later fields
    /// unmapped.
    #[serde(deserialize_with = "columns_from_seq")]
    columns: [Option<usize>; Field::ALL.len()],
    /// The field that keys customers: e-mail, customer id or phone.
    pub customer_key: Option<Field>,
    /// Further columns joined to the key column to form the customer key,
    /// in order (each cell normalised by [`push_key_part`] and preceded by
    /// [`KEY_PART_SEPARATOR`]). Empty for a one-column key. Rakuten masks
    /// e-mails, so its key is the phone (three columns) and the name (two
    /// columns): `customer_key` = [`Field::Phone`] on 電話番号1, and
    /// `key_extra` = [電話番号2, 電話番号3, 姓, 名].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_extra: Vec<usize>,
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
    /// phone. A multi-column key ([`ColumnMapping::key_extra`]) is dropped.
    pub fn default_key(&mut self) {
        self.key_extra.clear();
        self.customer_key = [Field::Email, Field::CustomerId, Field::Phone]
            .into_iter()
            .find(|f| self.get(*f).is_some());
    }
}

/// [`ColumnMapping::columns`] from a sequence of at most [`Field::ALL`]'s
/// length.
fn columns_from_seq<'de, D>(d: D) -> Result<[Option<usize>; Field::ALL.len()], D::Error>
where
    D: serde::Deserializer<'de>,
{
    let seq: Vec<Option<usize>> = Deserialize::deserialize(d)?;
    let mut columns = [None; Field::ALL.len()];
    if seq.len() > columns.len() {
        return Err(serde::de::Error::invalid_length(
            seq.len(),
            &"at most one column per field",
        ));
    }
    for (c, v) in columns.iter_mut().zip(seq) {
        *c = v;
    }
    Ok(columns)
}

/// Joins the parts of a multi-column customer key.
pub const KEY_PART_SEPARATOR: char = '\u{1f}';

/// A customer key as people read it (lists, exports, the report): the
/// parts of a multi-column key (Rakuten: phone and name) joined by a space
/// instead of the control character that keeps them apart in the store.
pub fn display_key(key: &str) -> Cow<'_, str> {
    if key.contains(KEY_PART_SEPARATOR) {
        Cow::Owned(key.replace(KEY_PART_SEPARATOR, " "))
    } else {
        Cow::Borrowed(key)
    }
}

/// Appends one cell of a multi-column customer key to `out`, normalised:
/// full-width ASCII folded to ASCII (`０９０` = `090`), spaces (also the
/// ideographic space), hyphens and brackets dropped, letters lower-cased.
/// So `山田　太郎` and `山田 太郎`, `03-1234-5678` and `０３１２３４５６７８`
/// give the same key.
pub fn push_key_part(cell: &str, out: &mut String) {
    for c in cell.chars().map(fold_width) {
        if c.is_whitespace()
            || matches!(
                c,
                '-' | '(' | ')' | '\u{2010}' | '\u{2212}' | '\u{30fc}' | '\u{ff70}'
            )
        {
            continue;
        }
        out.extend(c.to_lowercase());
    }
}

/// Full-width ASCII (U+FF01..=U+FF5E) to ASCII; other characters unchanged.
fn fold_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    }
}

/// What a status cell says about an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusClass {
    /// Paid, completed, processing, shipped, accepted: a real sale.
    Completed,
    /// Awaiting payment or on hold; may still become a sale.
    Pending,
    /// Cancelled (キャンセル, 取消, wc-cancelled, Cancelled/Canceled).
    Cancelled,
    /// Payment voided (Shopify `voided`).
    Voided,
    /// Refunded or returned in full (wc-refunded, 返金済, 返品, 返送).
    Refunded,
    /// Refunded in part (`partially_refunded`, 一部返金).
    PartiallyRefunded,
    /// Payment failed or checkout never completed (wc-failed, 決済エラー).
    Failed,
    /// A test order.
    Test,
    /// Empty or not recognised.
    Unknown,
}

/// Classifies a status cell of any supported platform (case-insensitive;
/// Shopify financial status, WooCommerce `wc-*` slugs and labels, Amazon
/// order-status, Japanese 対応状況 / ステータス / 処理状況 / 発送状況).
/// Numeric codes need the platform: see [`Platform::status_class`].
pub fn status_class(cell: &str) -> StatusClass {
    let s = cell.trim();
    let l = s.to_lowercase();
    let l = l.strip_prefix("wc-").unwrap_or(&l);
    let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
    if l.is_empty() {
        StatusClass::Unknown
    } else if has(&["test", "テスト"]) {
        StatusClass::Test
    } else if has(&[
        "partially refunded",
        "partially_refunded",
        "partial refund",
        "一部返金",
        "一部返品",
    ]) {
        StatusClass::PartiallyRefunded
    } else if has(&["cancel", "キャンセル", "取消", "取り消"]) {
        // Includes 楽天ペイ キャンセル確定待ち (being cancelled).
        StatusClass::Cancelled
    } else if has(&["void"]) {
        StatusClass::Voided
    } else if has(&[
        "refund",
        "返金",
        "返品",
        "返送",
        "returned to seller",
        "rejected by buyer",
        "returning to seller",
    ]) {
        StatusClass::Refunded
    } else if has(&[
        "fail",
        "決済エラー",
        "与信エラー",
        "エラー",
        "購入処理中",
        "declined",
    ]) {
        StatusClass::Failed
    } else if has(&[
        "pending",
        "on-hold",
        "on hold",
        "authorized",
        "unpaid",
        "入金待ち",
        "未入金",
        "決済処理中",
        "支払待ち",
        "支払い待ち",
        "保留",
    ]) {
        StatusClass::Pending
    } else if has(&[
        "paid",
        "complete",
        "processing",
        "shipped",
        "unshipped",
        "shipping",
        "delivered",
        "fulfilled",
        "発送",
        "入金済",
        "新規受付",
        "対応中",
        "処理済",
        "処理中",
        "注文確認待ち",
        "受付",
        "配送",
        "完了",
        "支払手続き",
        "変更確定待ち",
        "取り寄せ中",
    ]) {
        StatusClass::Completed
    } else {
        StatusClass::Unknown
    }
}

/// The auto-mapping of a header row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingGuess {
    pub platform: Platform,
    pub mapping: ColumnMapping,
    /// Required fields that could not be found: when not empty the user must
    /// map by hand.
    pub missing: Vec<Field>,
    /// What the user should know about this export (no buyer column, masked
    /// e-mails...), in English.
    pub note: Option<Cow<'static, str>>,
    /// Fields whose column no header named but the content decided: the
    /// only unused column whose sample cells all read as that field. The
    /// page says so and offers to change them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_content: Vec<Field>,
}

/// Lower case, without spaces, `_`, `-`, `:`, brackets, quotes or a BOM;
/// full-width ASCII folded to ASCII (`電話番号１` = `電話番号1`).
pub fn normalise_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .map(fold_width)
        .filter(|c| {
            !matches!(
                c,
                ' ' | '_' | '-' | ':' | '(' | ')' | '\u{3000}' | '"' | '\t'
            )
        })
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Maps a header row to fields: first by a recognised platform's headers
/// (scored, so a re-saved file with columns removed or moved is still
/// recognised), then by generic synonyms.
pub fn auto_map(headers: &[String]) -> MappingGuess {
    let norm: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    let has = |n: &str| norm.iter().position(|h| h == n);
    let mut mapping = ColumnMapping::default();
    let mut used = vec![false; norm.len()];
    let sig = recognise(&norm);
    if let Some(sig) = sig {
        for (f, names) in sig.fields {
            if let Some(i) = names.iter().find_map(|n| has(n)) {
                mapping.set(*f, Some(i));
                used[i] = true;
            }
        }
    }
    if sig.is_none_or(|s| s.synonyms) {
        for f in Field::ALL {
            if mapping.get(f).is_some() {
                continue;
            }
            if let Some(i) = f.synonyms().iter().find_map(|syn| {
                norm.iter()
                    .enumerate()
                    .position(|(i, h)| !used[i] && h == syn)
            }) {
                mapping.set(f, Some(i));
                used[i] = true;
            }
        }
    }
    match sig.map(|s| &s.key) {
        None | Some(KeySpec::Default) => mapping.default_key(),
        Some(KeySpec::None) => mapping.customer_key = None,
        Some(KeySpec::PhonePlus(extra)) => {
            if mapping.get(Field::Phone).is_some() {
                mapping.customer_key = Some(Field::Phone);
                mapping.key_extra = extra.iter().filter_map(|n| has(n)).collect();
            } else {
                mapping.default_key();
            }
        }
    }
    let missing = mapping.missing();
    MappingGuess {
        platform: sig.map_or(Platform::Generic, |s| s.platform),
        mapping,
        missing,
        note: sig.and_then(|s| s.note).map(Cow::Borrowed),
        from_content: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    /// A generic header with nothing missing, keyed by the customer ID, with
    /// the order ID, date and total in columns 0, 1 and 3 and `more` columns.
    fn assert_generic_complete(names: &[&str], more: &[(Field, usize)]) {
        let g = auto_map(&h(names));
        assert_eq!(g.platform, Platform::Generic);
        assert!(g.missing.is_empty(), "{:?}", g.missing);
        assert_eq!(g.mapping.customer_key, Some(Field::CustomerId));
        let base = [
            (Field::OrderId, 0),
            (Field::OrderDate, 1),
            (Field::OrderTotal, 3),
        ];
        for &(f, c) in base.iter().chain(more) {
            assert_eq!(g.mapping.get(f), Some(c), "{f:?}");
        }
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
        assert_generic_complete(
            &[
                "\u{feff}注文番号",
                "注文日時",
                "会員ID",
                "お支払い金額",
                "商品名",
            ],
            &[],
        );
    }

    #[test]
    fn full_width_headers_and_key_parts_are_folded() {
        assert_eq!(normalise_header("注文者電話番号１"), "注文者電話番号1");
        assert_eq!(normalise_header("お名前（姓）"), "お名前姓");
        assert_eq!(normalise_header("Email (Billing)"), "emailbilling");
        let mut k = String::new();
        push_key_part(" 山田　太郎 ", &mut k);
        k.push(KEY_PART_SEPARATOR);
        push_key_part("０３-１２３４", &mut k);
        assert_eq!(k, "山田太郎\u{1f}031234");
    }

    #[test]
    fn a_few_platform_headers_are_not_enough() {
        // Two Shopify headers among generic ones: not Shopify.
        let g = auto_map(&h(&[
            "Order ID",
            "Financial Status",
            "Lineitem name",
            "Email",
            "Date",
            "Total",
        ]));
        assert_eq!(g.platform, Platform::Generic);
        assert_eq!(g.mapping.get(Field::OrderId), Some(0));
        assert_eq!(g.mapping.get(Field::Status), Some(1));
        assert_eq!(g.note, None);
    }

    #[test]
    fn extended_synonyms() {
        assert_generic_complete(
            &[
                "受注コード",
                "注文日付",
                "顧客コード",
                "決済金額",
                "処理状況",
                "通貨コード",
            ],
            &[(Field::Status, 4), (Field::Currency, 5)],
        );
    }

    #[test]
    fn default_key_drops_a_multi_column_key() {
        let mut m = ColumnMapping::default();
        m.set(Field::Phone, Some(0));
        m.set(Field::Email, Some(1));
        m.customer_key = Some(Field::Phone);
        m.key_extra = vec![2, 3];
        m.default_key();
        assert_eq!((m.customer_key, m.key_extra.len()), (Some(Field::Email), 0));
    }

    #[test]
    fn every_platform_has_a_label() {
        for p in Platform::ALL {
            assert!(!p.label().is_empty());
        }
        assert_eq!(Platform::EcCube4.status_class("9"), StatusClass::Refunded);
        assert_eq!(Platform::Shopify.status_class("3"), StatusClass::Unknown);
    }

    #[test]
    fn a_category_column_is_optional_and_mapped_by_its_names() {
        for (name, category) in [
            ("Product Type", Some(4)),
            ("商品カテゴリー", Some(4)),
            ("カテゴリ", Some(4)),
            ("商品分類", Some(4)),
            ("Product Category", Some(4)),
            ("規格分類名1", None),
        ] {
            let g = auto_map(&h(&["注文番号", "注文日", "会員ID", "合計", name]));
            assert_eq!(g.mapping.get(Field::Category), category, "{name}");
            assert!(g.missing.is_empty(), "{name}");
        }
    }

    #[test]
    fn a_mapping_remembered_before_the_category_field_still_reads() {
        let mut m = ColumnMapping::default();
        m.set(Field::OrderId, Some(0));
        m.set(Field::Product, Some(3));
        m.set(Field::Category, Some(5));
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.starts_with(r#"{"columns":[0,null,"#), "{json}");
        assert_eq!(serde_json::from_str::<ColumnMapping>(&json).unwrap(), m);
        // Thirteen columns (no category): the category unmapped.
        let old = r#"{"columns":[0,null,null,null,null,null,null,null,null,null,null,null,3],"customer_key":null}"#;
        let read: ColumnMapping = serde_json::from_str(old).unwrap();
        m.set(Field::Category, None);
        assert_eq!(read, m);
        let too_long = r#"{"columns":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],"customer_key":null}"#;
        assert!(serde_json::from_str::<ColumnMapping>(too_long).is_err());
    }

    #[test]
    fn missing_fields_are_reported() {
        let g = auto_map(&h(&["foo", "bar", "amount"]));
        assert_eq!(g.missing, vec![Field::OrderDate, Field::Email]);
    }
}
