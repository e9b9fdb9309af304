//! The customer list (顧客リスト): one row per customer, ready for a mail or
//! LINE campaign, and its lists by segment, rank or churn risk, written as
//! CSV ([`crate::export`]). The app's download and `ltv-lens customers`
//! call the same [`list`] and [`write_csv`], so a downloaded list equals the
//! CLI's bytes.
//!
//! As of the as-of date `d` (the report's), one row for every customer with
//! at least one order on or before `d` (orders without a customer key are
//! in no list). The columns ([`COLUMNS`]):
//!
//! | column | what |
//! |---|---|
//! | `customer` | the customer key as the store holds it (an e-mail trimmed and lower-cased, an id, a phone) |
//! | `orders` | orders up to `d` (RFM's F) |
//! | `revenue` | spend up to `d` (RFM's M), in major units with the currency's decimals |
//! | `first_order_date`, `last_order_date` | `YYYY-MM-DD` |
//! | `recency_days` | `d` − last order day (RFM's R) |
//! | `rfm` | the R, F and M scores as three digits (`545`); empty if unscored |
//! | `rfm_segment` | the RFM segment id ([`crate::rfm::Segment::id`]) |
//! | `cpm_segment` | the CPM segment id ([`crate::cpm::CpmSegment::id`], e.g. `yuryo`, `yuryo_churned`) |
//! | `rank` | `high_ltv`, `potential_ltv` or `general` ([`crate::ranks`]) |
//! | `churn_risk` | `yes` for a customer at churn risk, else empty |
//! | `due_date` | when a customer at risk was due to order again; else empty |
//! | `value_at_risk` | their 12-month spend, for a customer at risk; else empty |
//!
//! With the predicted LTV ([`list_with_clv`], `ltv-lens customers --clv`,
//! the page's "with predicted LTV"), four more columns ([`CLV_COLUMNS`]),
//! from [`crate::clv::scores`] with the report's CLV settings:
//!
//! | column | what |
//! |---|---|
//! | `p_alive` | probability the customer is still active on `d` (0–1, 6 decimals) |
//! | `expected_orders` | expected orders (distinct purchase days) over the CLV horizon (3 decimals) |
//! | `expected_avg_order_value` | the spend model's expected order value; empty without a valid spend model |
//! | `clv` | discounted CLV over the horizon; empty without a valid spend model |
//!
//! Rows are sorted by revenue (highest first), then customer key; the
//! `churn_risk` list as the report's churn risk is (value at risk, then
//! days overdue, then key). The lists ([`ListId`]): `all`, every CPM
//! segment, every RFM segment, every rank, and `churn_risk`.

use crate::clv::CustomerClv;
use crate::cpm::{segments, CpmSegment, Thresholds};
use crate::date::from_day;
use crate::error::Error;
use crate::export::{write_table, Cell, Export, ExportEncoding, ExportError};
use crate::history::History;
use crate::mapping::display_key;
use crate::money::Money;
use crate::ranks::{by_risk, customer_ranks, Rank};
use crate::report::{predicted_values, AnalyzeParams};
use crate::rfm::{scores, Segment};
use crate::store::Dataset;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The CSV's header row.
pub const COLUMNS: [&str; 13] = [
    "customer",
    "orders",
    "revenue",
    "first_order_date",
    "last_order_date",
    "recency_days",
    "rfm",
    "rfm_segment",
    "cpm_segment",
    "rank",
    "churn_risk",
    "due_date",
    "value_at_risk",
];

/// The predicted-LTV columns, after [`COLUMNS`] when asked for.
pub const CLV_COLUMNS: [&str; 4] = [
    "p_alive",
    "expected_orders",
    "expected_avg_order_value",
    "clv",
];

/// A customer list to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListId {
    /// Every customer.
    All,
    /// The customers of a CPM segment (not [`CpmSegment::None`]).
    Cpm(CpmSegment),
    /// The customers of an RFM segment.
    Rfm(Segment),
    /// The customers of a rank.
    Rank(Rank),
    /// The customers at churn risk.
    ChurnRisk,
}

impl ListId {
    /// Every list: `all`, the CPM segments, the RFM segments, the ranks,
    /// `churn_risk`.
    pub const ALL: [ListId; 26] = [
        ListId::All,
        ListId::Cpm(CpmSegment::Shokai),
        ListId::Cpm(CpmSegment::Yochiyochi),
        ListId::Cpm(CpmSegment::Kotsukotsu),
        ListId::Cpm(CpmSegment::Ryuko),
        ListId::Cpm(CpmSegment::Yuryo),
        ListId::Cpm(CpmSegment::ShokaiChurned),
        ListId::Cpm(CpmSegment::YochiyochiChurned),
        ListId::Cpm(CpmSegment::KotsukotsuChurned),
        ListId::Cpm(CpmSegment::RyukoChurned),
        ListId::Cpm(CpmSegment::YuryoChurned),
        ListId::Rfm(Segment::Champions),
        ListId::Rfm(Segment::Loyal),
        ListId::Rfm(Segment::PotentialLoyalist),
        ListId::Rfm(Segment::New),
        ListId::Rfm(Segment::Promising),
        ListId::Rfm(Segment::NeedsAttention),
        ListId::Rfm(Segment::AboutToSleep),
        ListId::Rfm(Segment::AtRisk),
        ListId::Rfm(Segment::CannotLose),
        ListId::Rfm(Segment::Hibernating),
        ListId::Rfm(Segment::Lost),
        ListId::Rank(Rank::HighLtv),
        ListId::Rank(Rank::PotentialLtv),
        ListId::Rank(Rank::General),
        ListId::ChurnRisk,
    ];

    /// Its id (`all`, `yuryo`, `champions`, `high_ltv`, `churn_risk`…).
    pub fn id(self) -> &'static str {
        match self {
            ListId::All => "all",
            ListId::Cpm(s) => s.id(),
            ListId::Rfm(s) => s.id(),
            ListId::Rank(r) => r.id(),
            ListId::ChurnRisk => "churn_risk",
        }
    }

    /// The list with this id (exactly, as [`ListId::id`] writes it).
    pub fn parse(id: &str) -> Option<ListId> {
        ListId::ALL.into_iter().find(|l| l.id() == id)
    }

    /// Whether a row belongs to this list.
    pub fn contains(self, row: &CustomerRow) -> bool {
        match self {
            ListId::All => true,
            ListId::Cpm(s) => row.cpm_segment == s,
            ListId::Rfm(s) => row.rfm_segment == Some(s),
            ListId::Rank(r) => row.rank == r,
            ListId::ChurnRisk => row.churn_risk.is_some(),
        }
    }
}

/// A customer at churn risk, as the list shows them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AtRisk {
    pub due_date: NaiveDate,
    pub days_overdue: i64,
    /// 12-month spend, minor units.
    pub value_at_risk: i64,
}

/// One customer's row (money in minor units).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub customer: String,
    pub orders: u32,
    /// Spend up to the as-of date, minor units.
    pub revenue: i64,
    pub first_order_date: NaiveDate,
    pub last_order_date: NaiveDate,
    pub recency_days: i64,
    /// R, F and M scores; `None` if unscored.
    pub rfm: Option<[u8; 3]>,
    pub rfm_segment: Option<Segment>,
    pub cpm_segment: CpmSegment,
    pub rank: Rank,
    /// `Some` for a customer at churn risk.
    pub churn_risk: Option<AtRisk>,
    /// The predictive CLV scores, in a list made with them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clv: Option<CustomerClv>,
}

/// Every customer's row, sorted by revenue (highest first), then key.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerList {
    pub as_of: Option<NaiveDate>,
    /// The currency's decimals (2 for cents, 0 for yen).
    pub minor_exponent: u8,
    pub rows: Vec<CustomerRow>,
    /// Made with the CLV scores: the CSV has [`CLV_COLUMNS`] too.
    #[serde(default)]
    pub with_clv: bool,
}

/// The customer list of `data` with the report's settings.
pub fn list(data: &Dataset, params: &AnalyzeParams) -> Result<CustomerList, Error> {
    make_list(data, params, false)
}

/// The customer list with each customer's predictive CLV scores (the CLV
/// models fitted as of the as-of date; [`CLV_COLUMNS`]).
pub fn list_with_clv(data: &Dataset, params: &AnalyzeParams) -> Result<CustomerList, Error> {
    make_list(data, params, true)
}

fn make_list(
    data: &Dataset,
    params: &AnalyzeParams,
    with_clv: bool,
) -> Result<CustomerList, Error> {
    params.validate()?;
    let (as_of, _) = params.window(data)?;
    let history = History::new(data, as_of)?;
    let rfm = scores(data, &history, &params.rfm);
    let cpm = segments(data, as_of, &Thresholds::of(params, data));
    let predicted = match (with_clv, predicted_values(data, params)?) {
        (_, Some(p)) => Some(p),
        (true, None) => Some(crate::clv::scores(data, params)?),
        (false, None) => None,
    };
    let ranks = customer_ranks(data, &history, params, predicted.as_deref());
    let clv_of = |c: usize| {
        if with_clv {
            predicted.as_ref().and_then(|p| p.get(c)).cloned().flatten()
        } else {
            None
        }
    };
    let mut rows: Vec<CustomerRow> = history
        .customer_ids()
        .filter_map(|c| {
            let r = rfm.get(c).copied().flatten();
            let rank = ranks.rank.get(c).copied().flatten()?;
            Some(CustomerRow {
                customer: display_key(data.customer_keys.get(c)?).into_owned(),
                orders: history.orders.get(c).copied()?,
                revenue: r.map_or(0, |r| r.spend),
                first_order_date: from_day(*history.first.get(c)?),
                last_order_date: from_day(*history.last.get(c)?),
                recency_days: i64::from(history.as_of) - i64::from(*history.last.get(c)?),
                rfm: r.map(|r| [r.r_score, r.f_score, r.m_score]),
                rfm_segment: r.map(|r| r.segment),
                cpm_segment: cpm.get(c).copied().unwrap_or(CpmSegment::None),
                rank,
                churn_risk: ranks.risk.get(c).copied().flatten().map(|o| AtRisk {
                    due_date: from_day(o.due),
                    days_overdue: o.days_overdue,
                    value_at_risk: ranks.value.get(c).copied().unwrap_or(0),
                }),
                clv: clv_of(c),
            })
        })
        .collect();
    rows.sort_unstable_by(|a, b| {
        b.revenue
            .cmp(&a.revenue)
            .then_with(|| a.customer.cmp(&b.customer))
    });
    Ok(CustomerList {
        as_of: Some(as_of),
        minor_exponent: data.info.minor_exponent,
        rows,
        with_clv,
    })
}

impl CustomerList {
    /// The rows of a list, in its order (see the module doc).
    pub fn select(&self, id: ListId) -> Vec<&CustomerRow> {
        let mut rows: Vec<&CustomerRow> = self.rows.iter().filter(|r| id.contains(r)).collect();
        if id == ListId::ChurnRisk {
            let key = |r: &CustomerRow| {
                r.churn_risk
                    .map_or((0, 0), |a| (a.value_at_risk, a.days_overdue))
            };
            rows.sort_by(|a, b| {
                let (ka, kb) = (key(a), key(b));
                by_risk((ka.0, ka.1, &a.customer), (kb.0, kb.1, &b.customer))
            });
        }
        rows
    }
}

/// A row's cells, in [`COLUMNS`]' order, then [`CLV_COLUMNS`]' when
/// `with_clv`.
fn cells(r: &CustomerRow, exp: u8, with_clv: bool) -> Vec<Cell> {
    let rfm = r
        .rfm
        .map(|s| s.iter().map(u8::to_string).collect::<String>());
    let mut row = vec![
        Cell::from(r.customer.as_str()),
        Cell::from(r.orders),
        Cell::money(r.revenue, exp),
        Cell::from(r.first_order_date),
        Cell::from(r.last_order_date),
        Cell::from(r.recency_days),
        Cell::from(rfm),
        Cell::from(r.rfm_segment.map(|s| s.id())),
        Cell::from(r.cpm_segment.id()),
        Cell::from(r.rank.id()),
        Cell::from(r.churn_risk.map(|_| "yes")),
        Cell::from(r.churn_risk.map(|a| a.due_date)),
        r.churn_risk
            .map_or(Cell::Empty, |a| Cell::money(a.value_at_risk, exp)),
    ];
    if with_clv {
        let s = r.clv.as_ref();
        row.extend([
            s.map_or(Cell::Empty, |s| Cell::Fixed {
                value: s.p_alive,
                decimals: 6,
            }),
            s.map_or(Cell::Empty, |s| Cell::Fixed {
                value: s.expected_orders,
                decimals: 3,
            }),
            s.and_then(|s| s.expected_avg_order_value)
                .map_or(Cell::Empty, |m| money_cell(m, exp)),
            s.and_then(|s| s.clv)
                .map_or(Cell::Empty, |m| money_cell(m, exp)),
        ]);
    }
    row
}

/// A predicted amount rounded to the currency's minor unit.
fn money_cell(m: Money, exp: u8) -> Cell {
    let minor = m.minor();
    if minor.is_finite() {
        Cell::money(minor.round() as i64, exp)
    } else {
        Cell::Empty
    }
}

/// A list as CSV (header row, then its rows; see [`crate::export`] for
/// encodings, numbers and CSV-injection neutralisation).
pub fn write_csv(
    list: &CustomerList,
    id: ListId,
    enc: ExportEncoding,
) -> Result<Export, ExportError> {
    let exp = list.minor_exponent;
    let header: Vec<&str> = if list.with_clv {
        COLUMNS.iter().chain(&CLV_COLUMNS).copied().collect()
    } else {
        COLUMNS.to_vec()
    };
    write_table(
        &header,
        list.select(id)
            .into_iter()
            .map(|r| cells(r, exp, list.with_clv)),
        enc,
    )
}
