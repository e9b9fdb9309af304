//! The overview tab's texts: each KPI's name and one-line definition, why
//! a figure is not given, and the periods, in both languages.

use super::Lang;
use chrono::{Datelike, NaiveDate};
use ltv_engine::overview::{KpiName, Missing, Overview};

/// A date as the language writes it: `2025年10月1日`, `1 Oct 2025`.
pub fn date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

/// A range of dates: `2025年10月1日〜2026年9月30日`, `1 Oct 2025 – 30 Sep 2026`.
pub fn range(lang: Lang, from: NaiveDate, to: NaiveDate) -> String {
    match lang {
        Lang::Ja => format!("{}〜{}", date(lang, from), date(lang, to)),
        Lang::En => format!("{} – {}", date(lang, from), date(lang, to)),
    }
}

/// The overview's fixed texts.
pub struct OverviewTexts {
    pub tab: &'static str,
    pub heading: &'static str,
    pub previous: &'static str,
    pub change: &'static str,
    pub points: &'static str,
    pub no_change: &'static str,
    pub open_tab: &'static str,
    pub how_read: &'static str,
    pub how: &'static str,
    pub as_table: &'static str,
    pub kpi: &'static str,
    pub this_period: &'static str,
}

pub static EN: OverviewTexts = OverviewTexts {
    tab: "Overview",
    heading: "How the shop is doing",
    previous: "Previous period",
    change: "Change",
    points: "pt",
    no_change: "No comparison",
    open_tab: "Open",
    how_read: "How these are computed",
    how: "Each figure is as it stood at the end of its period, so the two periods are measured alike. The change is relative (+5.0%) for amounts, counts and ratios, and in percentage points (+1.2 pt) for rates and shares. The period is the decile window in Settings.",
    as_table: "As a table (and CSV)",
    kpi: "Figure",
    this_period: "This period",
};

pub static JA: OverviewTexts = OverviewTexts {
    tab: "概要",
    heading: "ショップの概況",
    previous: "前期間",
    change: "増減",
    points: "pt",
    no_change: "比較なし",
    open_tab: "詳しく",
    how_read: "計算方法",
    how: "各指標は期間の最終日時点の値で、2つの期間を同じ条件で比べています。増減は金額・件数・比率では前期間比（+5.0%）、率・割合ではポイント差（+1.2pt）です。期間は設定のデシル期間です。",
    as_table: "表で見る（CSVも）",
    kpi: "指標",
    this_period: "今期間",
};

impl Lang {
    /// The overview tab's fixed texts.
    pub fn overview(self) -> &'static OverviewTexts {
        match self {
            Lang::Ja => &JA,
            Lang::En => &EN,
        }
    }
}

/// The period line: which period, against which.
pub fn periods(lang: Lang, o: &Overview) -> String {
    let now = range(lang, o.from, o.to);
    let before = range(lang, o.previous_from, o.previous_to);
    let length = match (lang, o.months) {
        (Lang::Ja, Some(m)) => format!("{m}か月"),
        (Lang::Ja, None) => format!("{}日間", o.days),
        (Lang::En, Some(1)) => "1 month".to_string(),
        (Lang::En, Some(m)) => format!("{m} months"),
        (Lang::En, None) => format!("{} days", o.days),
    };
    match lang {
        Lang::Ja => format!("{now}（{length}）を、前の{length}（{before}）と比べています。"),
        Lang::En => format!("{now} ({length}), against the {length} before ({before})."),
    }
}

/// A KPI's name; the LTV's carries its horizon.
pub fn name(lang: Lang, k: KpiName, horizon: u32) -> String {
    let en = lang == Lang::En;
    match k {
        KpiName::Revenue => if en { "Revenue" } else { "売上" }.into(),
        KpiName::Customers => if en { "Customers" } else { "購入顧客数" }.into(),
        KpiName::Orders => if en { "Orders" } else { "注文数" }.into(),
        KpiName::AverageOrderValue => if en {
            "Average order value"
        } else {
            "顧客単価（平均注文額）"
        }
        .into(),
        KpiName::OrdersPerCustomer => if en {
            "Orders per customer"
        } else {
            "平均利用回数"
        }
        .into(),
        KpiName::Ltv => {
            if en {
                format!("{horizon}-month LTV")
            } else if horizon == 12 {
                "年間LTV（12か月）".into()
            } else {
                format!("{horizon}か月LTV")
            }
        }
        KpiName::LtvToCpa => "LTV ÷ CPA".into(),
        KpiName::F2Rate => if en { "F2 rate" } else { "F2転換率" }.into(),
        KpiName::RepeatRate => if en { "Repeat rate" } else { "リピート率" }.into(),
        KpiName::ReturningShare => if en {
            "Returning-customer share"
        } else {
            "リピーター率"
        }
        .into(),
    }
}

/// A KPI's one-line definition (the formula).
pub fn definition(lang: Lang, k: KpiName, horizon: u32) -> String {
    match (lang, k) {
        (Lang::En, KpiName::Revenue) => "Sum of the period's order totals, orders without a customer key included.".into(),
        (Lang::Ja, KpiName::Revenue) => "期間内の注文金額の合計（顧客キーのない注文も含む）。".into(),
        (Lang::En, KpiName::Customers) => "Distinct customers with an order in the period.".into(),
        (Lang::Ja, KpiName::Customers) => "期間内に注文した顧客の数（重複なし）。".into(),
        (Lang::En, KpiName::Orders) => "Usable orders in the period (cancelled and fully refunded orders left out).".into(),
        (Lang::Ja, KpiName::Orders) => "期間内の有効な注文の数（キャンセル・全額返金は除く）。".into(),
        (Lang::En, KpiName::AverageOrderValue) => "Revenue ÷ orders.".into(),
        (Lang::Ja, KpiName::AverageOrderValue) => "売上 ÷ 注文数。".into(),
        (Lang::En, KpiName::OrdersPerCustomer) => "Orders with a customer key ÷ customers.".into(),
        (Lang::Ja, KpiName::OrdersPerCustomer) => "顧客キーのある注文数 ÷ 購入顧客数。".into(),
        (Lang::En, KpiName::Ltv) => format!("Revenue per customer in the {horizon} months from the first order, over the monthly cohorts observed that long by the period's end."),
        (Lang::Ja, KpiName::Ltv) => format!("初回購入から{horizon}か月間の顧客1人あたり売上。期間末までに{horizon}か月を観測できた月次コホートで集計。"),
        (Lang::En, KpiName::LtvToCpa) => "LTV ÷ the acquisition cost per new customer (CPA), set on the LTV & targets tab.".into(),
        (Lang::Ja, KpiName::LtvToCpa) => "LTV ÷ 顧客獲得単価（CPA。LTV・目標タブで入力）。".into(),
        (Lang::En, KpiName::F2Rate) => "Of the customers whose first order is in the period, the share who ordered again by its end.".into(),
        (Lang::Ja, KpiName::F2Rate) => "期間内に初回購入した顧客のうち、期間末までに2回目を購入した割合。".into(),
        (Lang::En, KpiName::RepeatRate) => "Customers with 2 or more orders in the period ÷ customers.".into(),
        (Lang::Ja, KpiName::RepeatRate) => "期間内に2回以上注文した顧客 ÷ 購入顧客数。".into(),
        (Lang::En, KpiName::ReturningShare) => "Customers of the period whose first order was before it ÷ customers.".into(),
        (Lang::Ja, KpiName::ReturningShare) => "期間より前に初回購入していた顧客 ÷ 購入顧客数。".into(),
    }
}

/// Why a figure is not given, in a sentence.
pub fn missing(lang: Lang, m: Missing, o: &Overview) -> String {
    let h = o.horizon_months;
    match (lang, m) {
        (Lang::En, Missing::NoOrders) => "No orders in this period.".into(),
        (Lang::Ja, Missing::NoOrders) => "この期間に注文がありません。".into(),
        (Lang::En, Missing::NoCustomerKey) => "This file has no customer column (e-mail, customer ID or phone), so per-customer figures are not available. The customer column can be chosen under “How the file was read”.".into(),
        (Lang::Ja, Missing::NoCustomerKey) => "このファイルには顧客の列（メールアドレス・顧客ID・電話番号）がないため、顧客単位の指標は出せません。顧客の列は「ファイルの読み込み方」で選べます。".into(),
        (Lang::En, Missing::NoCustomers) => "No order of this period has a customer key.".into(),
        (Lang::Ja, Missing::NoCustomers) => "この期間の注文には顧客キーがありません。".into(),
        (Lang::En, Missing::NotObservedLongEnough) => format!("No cohort had {h} observed months by the end of this period: the file needs {h} months after a first order."),
        (Lang::Ja, Missing::NotObservedLongEnough) => format!("この期間末までに{h}か月を観測できたコホートがありません（初回購入から{h}か月分のデータが必要です）。"),
        (Lang::En, Missing::NoCpa) => "Enter a CPA (acquisition cost per new customer) on the LTV & targets tab.".into(),
        (Lang::Ja, Missing::NoCpa) => "LTV・目標タブでCPA（顧客獲得単価）を入力してください。".into(),
        (Lang::En, Missing::NoNewCustomers) => "No new customer in this period (with a day limit for F2: none whose first order is that many days before its end).".into(),
        (Lang::Ja, Missing::NoNewCustomers) => "この期間の新規顧客がいません（F2の日数制限がある場合は、期間末までにその日数が経った新規顧客）。".into(),
        (Lang::En, Missing::NoEarlierOrders) => format!("The file has no order before {}, so there is no previous period.", date(lang, o.from)),
        (Lang::Ja, Missing::NoEarlierOrders) => format!("{}より前の注文がファイルにないため、前期間がありません。", date(lang, o.from)),
        (Lang::En, Missing::PreviousPartial) => format!("The file starts inside the previous period ({}), so its totals would be short.", range(lang, o.previous_from, o.previous_to)),
        (Lang::Ja, Missing::PreviousPartial) => format!("ファイルが前期間（{}）の途中から始まるため、比較しません。", range(lang, o.previous_from, o.previous_to)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_each_language_writes_them() {
        let d = NaiveDate::from_ymd_opt(2025, 10, 1).unwrap();
        assert_eq!(date(Lang::Ja, d), "2025年10月1日");
        assert_eq!(date(Lang::En, d), "1 Oct 2025");
    }
}
