//! The overview (概要): the headline KPIs of a period against the previous
//! period of the same length, so a shop owner sees at once how the shop is
//! doing.
//!
//! The period is the decile window (default the 12 months up to the as-of
//! date). The previous period ends the day before it starts and is as long:
//! the same number of calendar months when the window is whole months
//! (2024-07-16 ..= 2025-07-15 → 2023-07-16 ..= 2024-07-15), else the same
//! number of days.
//!
//! For a period `from ..= to`, over its usable orders (dated in it):
//! - **revenue** = Σ order amounts, with or without a customer key;
//! - **orders** = the number of those orders;
//! - **customers** = distinct customer keys among them;
//! - **average order value** (顧客単価) = revenue ÷ orders;
//! - **orders per customer** (平均利用回数) = orders with a customer key ÷
//!   customers;
//! - **`H`-month LTV** = [`crate::ltv`]'s LTV as it stood on `to` (over the
//!   monthly cohorts observed for `H` months by then; `H` is the LTV
//!   horizon, default 12);
//! - **LTV ÷ CPA** = that LTV ÷ the CPA (when one is set);
//! - **F2 rate** (F2転換率) = of the customers whose first order is in the
//!   period, the share whose second order came by `to` (with a limit of `N`
//!   days: within `N` days, counting only customers whose first order is at
//!   least `N` days before `to`);
//! - **repeat rate** (リピート率) = customers with 2+ orders in the period ÷
//!   customers (the repeat tab's figure for the same window);
//! - **returning-customer share** (リピーター率) = customers of the period
//!   whose first order is before `from` ÷ customers.
//!
//! Each figure is as it stood at the period's end, so the two periods are
//! measured alike. The change is `value ÷ previous − 1` for amounts,
//! counts and ratios, and `value − previous` (percentage points) for rates
//! and shares. A figure that cannot be computed carries the reason
//! ([`Missing`]) instead of a number; a change against a previous period
//! the file covers only in part is not given (the file's first order falls
//! inside it, so its sums would be short).

use crate::calendar::Granularity;
use crate::cohort::cohorts;
use crate::date::{to_day, Day};
use crate::decile::Window;
use crate::error::Error;
use crate::history::{History, NO_DAY};
use crate::ltv::{ltv, Ltv};
use crate::money::Money;
use crate::report::AnalyzeParams;
use crate::store::{Dataset, NO_CUSTOMER};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The KPIs, in the order the overview shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiName {
    Revenue,
    Customers,
    Orders,
    AverageOrderValue,
    OrdersPerCustomer,
    Ltv,
    LtvToCpa,
    F2Rate,
    RepeatRate,
    ReturningShare,
}

impl KpiName {
    pub const ALL: [KpiName; 10] = [
        KpiName::Revenue,
        KpiName::Customers,
        KpiName::Orders,
        KpiName::AverageOrderValue,
        KpiName::OrdersPerCustomer,
        KpiName::Ltv,
        KpiName::LtvToCpa,
        KpiName::F2Rate,
        KpiName::RepeatRate,
        KpiName::ReturningShare,
    ];

    /// The name in the report's JSON (and the page's `data-key`).
    pub fn name(self) -> &'static str {
        match self {
            KpiName::Revenue => "revenue",
            KpiName::Customers => "customers",
            KpiName::Orders => "orders",
            KpiName::AverageOrderValue => "average_order_value",
            KpiName::OrdersPerCustomer => "orders_per_customer",
            KpiName::Ltv => "ltv",
            KpiName::LtvToCpa => "ltv_to_cpa",
            KpiName::F2Rate => "f2_rate",
            KpiName::RepeatRate => "repeat_rate",
            KpiName::ReturningShare => "returning_share",
        }
    }

    /// What the value is.
    pub fn unit(self) -> KpiUnit {
        match self {
            KpiName::Revenue | KpiName::AverageOrderValue | KpiName::Ltv => KpiUnit::Money,
            KpiName::Customers | KpiName::Orders => KpiUnit::Count,
            KpiName::OrdersPerCustomer | KpiName::LtvToCpa => KpiUnit::Ratio,
            KpiName::F2Rate | KpiName::RepeatRate | KpiName::ReturningShare => KpiUnit::Rate,
        }
    }
}

/// The unit of a KPI's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiUnit {
    /// Major units of the file's currency.
    Money,
    /// A whole number.
    Count,
    /// A plain ratio (orders per customer, LTV ÷ CPA).
    Ratio,
    /// A fraction of 1; its change is in points.
    Rate,
}

/// Why a figure is not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The period has no orders.
    NoOrders,
    /// The file has no customer key (e-mail, customer id or phone), so no
    /// per-customer figure.
    NoCustomerKey,
    /// No order of the period has a customer key.
    NoCustomers,
    /// No monthly cohort had been observed for the LTV horizon by the
    /// period's end.
    NotObservedLongEnough,
    /// No CPA is set.
    NoCpa,
    /// No customer placed a first order in the period (with a limit of `N`
    /// days, none at least `N` days before its end).
    NoNewCustomers,
    /// The file has no order before the period starts (only for the
    /// previous period and the change).
    NoEarlierOrders,
    /// The file's first order falls inside the previous period, so the
    /// change against it is not given.
    PreviousPartial,
}

impl Missing {
    /// The reason in English (the CLI's words; the page has its own in
    /// each language).
    pub fn describe(self) -> &'static str {
        match self {
            Missing::NoOrders => "no orders in the period",
            Missing::NoCustomerKey => "the file has no customer key (e-mail, customer id or phone)",
            Missing::NoCustomers => "no order of the period has a customer key",
            Missing::NotObservedLongEnough => {
                "no monthly cohort had been observed for the LTV horizon by the period's end"
            }
            Missing::NoCpa => "no CPA is set (--cpa)",
            Missing::NoNewCustomers => "no new customer in the period (who had the F2 days)",
            Missing::NoEarlierOrders => "the file has no order before the period",
            Missing::PreviousPartial => "the file starts inside the previous period",
        }
    }
}

/// One KPI of the overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kpi {
    pub kpi: KpiName,
    pub unit: KpiUnit,
    /// This period's value (money in major units).
    pub value: Option<f64>,
    /// Why `value` is not given.
    pub missing: Option<Missing>,
    /// The previous period's value.
    pub previous: Option<f64>,
    /// Why `previous` is not given.
    pub previous_missing: Option<Missing>,
    /// `value ÷ previous − 1`, or `value − previous` for a [`KpiUnit::Rate`].
    pub change: Option<f64>,
    /// Why `change` is not given.
    pub change_missing: Option<Missing>,
}

/// How much of the previous period the file covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// The file's first order is on or before the previous period's first
    /// day.
    Full,
    /// The file's first order is inside the previous period.
    Partial,
    /// The file has no order before the period.
    None,
}

/// The overview: this period, the previous one and the KPIs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub previous_from: NaiveDate,
    pub previous_to: NaiveDate,
    /// Months of each period when they are whole months, else `None` (the
    /// periods are then `days` long).
    pub months: Option<u32>,
    pub days: u32,
    pub previous_coverage: Coverage,
    /// The LTV horizon `H`, months.
    pub horizon_months: u32,
    pub kpis: Vec<Kpi>,
}

/// The previous period of a window: whole months back when the window is
/// whole months, else as many days.
pub fn previous_window(w: Window) -> (Window, Option<u32>) {
    let span =
        (w.to.year() * 12 + w.to.month0() as i32) - (w.from.year() * 12 + w.from.month0() as i32);
    let calendar_months =
        span >= 0 && w.from.day() == 1 && w.to.succ_opt().is_some_and(|d| d.day() == 1);
    let months = if calendar_months {
        Some(span as u32 + 1)
    } else {
        [span, span + 1]
            .into_iter()
            .filter(|&n| n > 0)
            .find(|&n| Window::months_ending(w.to, n as u32).from == w.from)
            .map(|n| n as u32)
    };
    let to = w.from.pred_opt().unwrap_or(NaiveDate::MIN);
    let from = match months {
        // Calendar months (March → February) keep to calendar months.
        Some(n) if calendar_months => w
            .from
            .checked_sub_months(chrono::Months::new(n))
            .unwrap_or(NaiveDate::MIN),
        Some(n) => Window::months_ending(to, n).from,
        None => {
            let days = (w.to - w.from).num_days();
            to.checked_sub_signed(chrono::TimeDelta::days(days))
                .unwrap_or(NaiveDate::MIN)
        }
    };
    (Window { from, to }, months)
}

/// The figures of one period.
struct Figures {
    orders: u64,
    revenue: i64,
    keyed_orders: u64,
    customers: u64,
    repeat_customers: u64,
    returning: u64,
    new_customers: u64,
    converted: u64,
    ltv: Ltv,
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b != 0.0).then(|| a / b)
}

/// The period's figures, from the histories as of its end.
fn figures(data: &Dataset, h: &History, w: Window, params: &AnalyzeParams, ltv_of: Ltv) -> Figures {
    let (from, to) = w.days();
    let a = data.orders.partition_point(|o| o.day < from);
    let b = data.orders.partition_point(|o| o.day <= to);
    let orders = data.orders.get(a..b).unwrap_or_default();
    let mut count = vec![0u8; data.customer_keys.len()];
    let mut revenue = 0i64;
    let mut keyed_orders = 0u64;
    for o in orders {
        revenue = revenue.saturating_add(o.amount);
        if o.customer == NO_CUSTOMER {
            continue;
        }
        keyed_orders += 1;
        if let Some(k) = count.get_mut(o.customer as usize) {
            *k = k.saturating_add(1);
        }
    }
    let mut f = Figures {
        orders: orders.len() as u64,
        revenue,
        keyed_orders,
        customers: 0,
        repeat_customers: 0,
        returning: 0,
        new_customers: 0,
        converted: 0,
        ltv: ltv_of,
    };
    let within = params.f2_within_days;
    for (c, &k) in count.iter().enumerate() {
        let first = h.first.get(c).copied().unwrap_or(NO_DAY);
        if k > 0 {
            f.customers += 1;
            f.repeat_customers += u64::from(k > 1);
            f.returning += u64::from(first < from);
        }
        if first == NO_DAY || first < from || first > to {
            continue;
        }
        if let Some(n) = within {
            if i64::from(first) + i64::from(n) > i64::from(to) {
                continue; // has not had N days by the period's end
            }
        }
        f.new_customers += 1;
        let second = h.second.get(c).copied().unwrap_or(NO_DAY);
        let converted = second != NO_DAY
            && second <= to
            && within.is_none_or(|n| i64::from(second) - i64::from(first) <= i64::from(n));
        f.converted += u64::from(converted);
    }
    f
}

/// The LTV as it stood on `day`, with the report's settings.
fn ltv_on(data: &Dataset, h: &History, params: &AnalyzeParams) -> Result<Ltv, Error> {
    let monthly = cohorts(data, h, Granularity::Month)?;
    Ok(ltv(&monthly, &params.ltv_params(data.info.minor_exponent)))
}

/// One period's value of each KPI, or why not.
fn values(f: &Figures, keyed_file: bool, cpa: Option<f64>, exp: u8) -> Vec<Result<f64, Missing>> {
    let money = |minor: f64| Money::from_minor_f64(minor, exp).major();
    let per_customer = |x: Result<f64, Missing>| -> Result<f64, Missing> {
        if !keyed_file {
            Err(Missing::NoCustomerKey)
        } else if f.orders == 0 {
            Err(Missing::NoOrders)
        } else if f.customers == 0 {
            Err(Missing::NoCustomers)
        } else {
            x
        }
    };
    let customers = f.customers as f64;
    let ltv = f.ltv.ltv.map(|m| m.major());
    let ltv_value = if !keyed_file {
        Err(Missing::NoCustomerKey)
    } else {
        ltv.ok_or(Missing::NotObservedLongEnough)
    };
    KpiName::ALL
        .iter()
        .map(|k| match k {
            KpiName::Revenue => Ok(money(f.revenue as f64)),
            KpiName::Orders => Ok(f.orders as f64),
            KpiName::Customers => {
                if keyed_file {
                    Ok(customers)
                } else {
                    Err(Missing::NoCustomerKey)
                }
            }
            KpiName::AverageOrderValue => ratio(f.revenue as f64, f.orders as f64)
                .map(money)
                .ok_or(Missing::NoOrders),
            KpiName::OrdersPerCustomer => {
                per_customer(Ok(f.keyed_orders as f64 / customers.max(1.0)))
            }
            KpiName::Ltv => ltv_value,
            KpiName::LtvToCpa => match (ltv_value, cpa) {
                (Err(e), _) => Err(e),
                (_, None) => Err(Missing::NoCpa),
                (Ok(l), Some(c)) => ratio(l, c).ok_or(Missing::NoCpa),
            },
            KpiName::F2Rate => {
                if !keyed_file {
                    Err(Missing::NoCustomerKey)
                } else {
                    ratio(f.converted as f64, f.new_customers as f64).ok_or(Missing::NoNewCustomers)
                }
            }
            KpiName::RepeatRate => per_customer(Ok(f.repeat_customers as f64 / customers.max(1.0))),
            KpiName::ReturningShare => per_customer(Ok(f.returning as f64 / customers.max(1.0))),
        })
        .collect()
}

/// The overview of the report's window.
///
/// `history` and `ltv_now` are the report's (as of `as_of`); they are
/// reused when the window ends on the as-of date.
pub fn overview(
    data: &Dataset,
    params: &AnalyzeParams,
    as_of: NaiveDate,
    window: Window,
    history: &History,
    ltv_now: &Ltv,
) -> Result<Overview, Error> {
    let (prev, months) = previous_window(window);
    let exp = data.info.minor_exponent;
    let keyed_file = data.customer_orders().next().is_some();
    let own;
    let h_now = if window.to == as_of {
        history
    } else {
        own = History::new(data, window.to)?;
        &own
    };
    let ltv_then = if window.to == as_of {
        ltv_now.clone()
    } else {
        ltv_on(data, h_now, params)?
    };
    let now = figures(data, h_now, window, params, ltv_then);
    let first: Option<Day> = data.orders.first().map(|o| o.day);
    let coverage = match first {
        Some(d) if d <= to_day(prev.from) => Coverage::Full,
        Some(d) if d <= to_day(prev.to) => Coverage::Partial,
        _ => Coverage::None,
    };
    let before = if coverage == Coverage::None {
        None
    } else {
        let h = History::new(data, prev.to)?;
        let l = ltv_on(data, &h, params)?;
        Some(figures(data, &h, prev, params, l))
    };
    let cur = values(&now, keyed_file, params.cpa, exp);
    let old = before
        .as_ref()
        .map(|b| values(b, keyed_file, params.cpa, exp));
    let kpis = KpiName::ALL
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let value = cur.get(i).copied().unwrap_or(Err(Missing::NoOrders));
            let previous = match &old {
                Some(v) => v.get(i).copied().unwrap_or(Err(Missing::NoOrders)),
                None => Err(Missing::NoEarlierOrders),
            };
            let change = match (value, previous) {
                (Err(e), _) | (_, Err(e)) => Err(e),
                _ if coverage == Coverage::Partial => Err(Missing::PreviousPartial),
                (Ok(v), Ok(p)) => match k.unit() {
                    KpiUnit::Rate => Ok(v - p),
                    _ => ratio(v, p).map(|r| r - 1.0).ok_or(Missing::NoOrders),
                },
            };
            Kpi {
                kpi: k,
                unit: k.unit(),
                value: value.ok(),
                missing: value.err(),
                previous: previous.ok(),
                previous_missing: previous.err(),
                change: change.ok(),
                change_missing: change.err(),
            }
        })
        .collect();
    Ok(Overview {
        from: window.from,
        to: window.to,
        previous_from: prev.from,
        previous_to: prev.to,
        months,
        days: ((window.to - window.from).num_days() + 1).max(0) as u32,
        previous_coverage: coverage,
        horizon_months: params.horizon_months,
        kpis,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap() // ok-panic: test
    }

    #[test]
    fn previous_of_whole_months_is_whole_months() {
        let (p, m) = previous_window(Window::months_ending(d("2025-07-15"), 12));
        assert_eq!(
            (p.from, p.to, m),
            (d("2023-07-16"), d("2024-07-15"), Some(12))
        );
        let (p, m) = previous_window(Window {
            from: d("2024-01-01"),
            to: d("2024-12-31"),
        });
        assert_eq!(
            (p.from, p.to, m),
            (d("2023-01-01"), d("2023-12-31"), Some(12))
        );
        let (p, m) = previous_window(Window {
            from: d("2024-03-01"),
            to: d("2024-03-31"),
        });
        assert_eq!(
            (p.from, p.to, m),
            (d("2024-02-01"), d("2024-02-29"), Some(1))
        );
        let (p, m) = previous_window(Window {
            from: d("2024-02-01"),
            to: d("2024-04-30"),
        });
        assert_eq!(
            (p.from, p.to, m),
            (d("2023-11-01"), d("2024-01-31"), Some(3))
        );
    }

    #[test]
    fn previous_of_other_windows_is_as_many_days() {
        let (p, m) = previous_window(Window {
            from: d("2024-03-05"),
            to: d("2024-03-14"),
        });
        assert_eq!((p.from, p.to, m), (d("2024-02-24"), d("2024-03-04"), None));
    }
}
