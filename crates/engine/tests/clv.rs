//! Predictive CLV: the published CDNOW fits, a conditional expectation,
//! parameter recovery on simulated data, and inputs that must not break
//! the fits (no panic, no NaN, a clear status).

use chrono::NaiveDate;
use ltv_engine::clv::{
    calibration, clv, fit_bg_nbd, fit_gamma_gamma, fit_pareto_nbd, scores, BgNbd, Cell, Clv,
    ClvParams, ClvStatus, GammaGamma, ParetoNbd, PurchaseModel, SpendCell,
};
use ltv_engine::date::to_day;
use ltv_engine::report::{analyze, analyze_with_clv, AnalyzeParams};
use ltv_engine::store::{Dataset, Order, NO_CUSTOMER};

/// The CDNOW summary as (x, t_x, T, z̄) (see tests/data/README.md).
fn cdnow() -> Vec<(u32, f64, f64, f64)> {
    let text = include_str!("data/cdnow_summary.csv");
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
            )
        })
        .collect()
}

/// Weighted cells sorted by (x, t_x, T), as the engine builds them.
fn cells(rows: &[(u32, f64, f64, f64)]) -> Vec<Cell> {
    let mut keys: Vec<(u32, f64, f64)> = rows.iter().map(|r| (r.0, r.1, r.2)).collect();
    keys.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mut out: Vec<Cell> = Vec::new();
    for (x, t_x, t) in keys {
        match out.last_mut() {
            Some(c) if (c.x, c.t_x, c.t) == (x, t_x, t) => c.weight += 1.0,
            _ => out.push(Cell {
                x,
                t_x,
                t,
                weight: 1.0,
            }),
        }
    }
    out
}

fn round(v: f64, decimals: i32) -> f64 {
    let s = 10f64.powi(decimals);
    (v * s).round() / s
}

/// The published fits (Fader, Hardie & Lee 2005; Fader & Hardie's
/// Pareto/NBD and Gamma-Gamma notes) and their log-likelihoods.
const BG_NBD: (f64, f64, f64, f64) = (0.243, 4.414, 0.793, 2.426);
const BG_NBD_LL: f64 = -9582.4;
const PARETO_NBD: (f64, f64, f64, f64) = (0.553, 10.578, 0.606, 11.669);
const PARETO_NBD_LL: f64 = -9595.0;
const GAMMA_GAMMA: (f64, f64, f64) = (6.25, 3.74, 15.44);

/// Parameters to the published rounding.
fn rounded_bg(p: &BgNbd) -> (f64, f64, f64, f64) {
    (
        round(p.r, 3),
        round(p.alpha, 3),
        round(p.a, 3),
        round(p.b, 3),
    )
}

fn rounded_pareto(p: &ParetoNbd) -> (f64, f64, f64, f64) {
    (
        round(p.r, 3),
        round(p.alpha, 3),
        round(p.s, 3),
        round(p.beta, 3),
    )
}

fn rounded_gg(p: &GammaGamma) -> (f64, f64, f64) {
    (round(p.p, 2), round(p.q, 2), round(p.gamma, 2))
}

#[test]
fn cdnow_bg_nbd_reproduces_the_published_fit() {
    let rows = cdnow();
    assert_eq!(rows.len(), 2357);
    let cells = cells(&rows);
    let t0 = std::time::Instant::now();
    let fit = fit_bg_nbd(&cells).unwrap();
    eprintln!(
        "BG/NBD on {} cells: {:?} {:?}",
        cells.len(),
        t0.elapsed(),
        fit
    );
    assert!(fit.converged, "{fit:?}");
    assert_eq!(rounded_bg(&fit.params), BG_NBD);
    assert_eq!(round(fit.log_likelihood, 1), BG_NBD_LL);
}

#[test]
fn cdnow_pareto_nbd_reproduces_the_published_fit() {
    let cells = cells(&cdnow());
    let t0 = std::time::Instant::now();
    let fit = fit_pareto_nbd(&cells).unwrap();
    eprintln!(
        "Pareto/NBD on {} cells: {:?} {:?}",
        cells.len(),
        t0.elapsed(),
        fit
    );
    assert!(fit.converged, "{fit:?}");
    let p = fit.params;
    let (r, alpha, s, beta) = PARETO_NBD;
    let got = rounded_pareto(&p);
    assert_eq!((got.0, got.1, got.2), (r, alpha, s));
    assert_eq!(round(fit.log_likelihood, 1), PARETO_NBD_LL);
    // On the summary's two-decimal weeks β comes out 11.668 (lifetimes
    // reports 11.67, BTYD 11.656): the likelihood is flat along β, and
    // ours is the higher maximum — the published point, rounded, is 8e-5
    // below it. (From the orders, with exact weeks, β rounds to 11.669.)
    assert!((p.beta - beta).abs() < 0.002, "{}", p.beta);
    let published = ParetoNbd { r, alpha, s, beta };
    assert!(fit.log_likelihood >= published.log_likelihood(&cells));
}

#[test]
fn cdnow_gamma_gamma_reproduces_the_published_fit() {
    let spend: Vec<SpendCell> = cdnow()
        .iter()
        .filter(|r| r.0 > 0)
        .map(|r| SpendCell {
            x: r.0,
            avg: r.3,
            weight: 1.0,
        })
        .collect();
    assert_eq!(spend.len(), 946);
    let t0 = std::time::Instant::now();
    let fit = fit_gamma_gamma(&spend).unwrap();
    eprintln!(
        "Gamma-Gamma on {} cells: {:?} {:?}",
        spend.len(),
        t0.elapsed(),
        fit
    );
    assert!(fit.converged, "{fit:?}");
    let p = fit.params;
    let (pp, q, gamma) = GAMMA_GAMMA;
    let got = rounded_gg(&p);
    assert_eq!((got.0, got.1), (pp, q));
    // On the summary's rounded averages γ comes out 15.448 (lifetimes
    // prints 15.45; the note 15.44): our maximum is 0.0015 higher in
    // log-likelihood than the published point. (From the orders it
    // rounds to 15.44.)
    assert!((p.gamma - gamma).abs() < 0.01, "{}", p.gamma);
    let published = GammaGamma { p: pp, q, gamma };
    assert!(fit.log_likelihood >= published.log_likelihood(&spend));
    // The paper's expected average for customer 1 (x = 2, z̄ = 22.35)...
    assert!(p.expected_avg(2, 22.35).unwrap() > 22.35 * 0.8);
    // ...and no mean at all when q ≤ 1.
    assert_eq!(GammaGamma { q: 1.0, ..p }.expected_avg(2, 22.35), None);
    assert_eq!(GammaGamma { q: 0.5, ..p }.expected_avg(0, 0.0), None);
}

#[test]
fn bg_nbd_conditional_expectation_matches_the_paper() {
    // Fader, Hardie & Lee (2005), section 5: customer 1 of CDNOW.
    let (r, alpha, a, b) = BG_NBD;
    let m = BgNbd { r, alpha, a, b };
    let e = m.expected(2, 30.43, 38.86, &[39.0]);
    assert_eq!(round(e[0], 3), 1.226, "{e:?}");
}

// ---- hand-built data -------------------------------------------------

fn day(s: &str) -> i32 {
    to_day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn order(customer: u32, d: i32, amount: i64) -> Order {
    Order {
        customer,
        day: d,
        amount,
    }
}

fn keys(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("c{i}")).collect()
}

#[test]
fn the_literatures_conventions_for_x_t_x_and_t() {
    let d0 = day("2024-01-01");
    let data = Dataset::from_orders(
        vec![
            // c0: two orders on the first day (one purchase day), then two
            // more days: x = 2, t_x = 2 weeks; repeat spend 200 + 300.
            order(0, d0, 100),
            order(0, d0, 50),
            order(0, d0 + 7, 200),
            order(0, d0 + 14, 300),
            // c1: one order three weeks in: x = 0, T = 1 week.
            order(1, d0 + 21, 80),
            // c2: repeat on one day, then the holdout: two orders on one
            // day and one later (2 purchase days), one order before the
            // as-of date on the same day as... nothing else.
            order(2, d0 + 3, 10),
            order(2, d0 + 10, -30),
            order(2, d0 + 30, 10),
            order(2, d0 + 30, 10),
            order(2, d0 + 35, 10),
            // c3: first order after the as-of date: not a calibration customer.
            order(3, d0 + 29, 10),
            // No customer key: never counted.
            order(NO_CUSTOMER, d0 + 2, 999),
        ],
        keys(4),
    );
    let cal = calibration(&data, date("2024-01-29"));
    let c0 = cal[0].unwrap();
    assert_eq!(
        (c0.x, c0.t_x, c0.t, c0.repeat_spend, c0.holdout),
        (2, 2.0, 4.0, 500, 0)
    );
    let c1 = cal[1].unwrap();
    assert_eq!((c1.x, c1.t_x, c1.t), (0, 0.0, 1.0));
    let c2 = cal[2].unwrap();
    assert_eq!(
        (c2.x, c2.t_x, c2.t, c2.repeat_spend, c2.holdout),
        (1, 1.0, 25.0 / 7.0, -30, 2)
    );
    assert_eq!(cal[3], None);
    assert_eq!(cal.len(), 4);

    let r = clv(&data, date("2024-01-29"), &ClvParams::default());
    assert_eq!((r.customers, r.repeat_buyers, r.cells), (3, 2, 3));
    assert_eq!(r.status, ClvStatus::TooFewCustomers);
    assert!(r.tracking.is_empty());
    // Only c0 has a positive repeat spend.
    assert_eq!(r.spend_customers, 1);
    let h = r.holdout.as_ref().unwrap();
    assert_eq!(
        (h.from, h.to, h.customers, h.actual),
        (date("2024-01-30"), date("2024-02-05"), 3, 2)
    );
    assert_eq!(h.length, 7.0 / 7.0);
    assert_eq!(r.calibration_end, date("2024-01-29"));
    assert_no_nan(&r);
}

/// Every null in the JSON is an optional field; every number is finite
/// (serde writes NaN and ±∞ as null, so no null means no NaN).
fn assert_no_nan(r: &Clv) {
    const OPTIONAL: [&str; 12] = [
        "message",
        "model",
        "bg_nbd",
        "pareto_nbd",
        "gamma_gamma",
        "frequency_spend_correlation",
        "holdout",
        "p_alive_matrix",
        "expected_avg_order_value",
        "clv",
        "params",
        "log_likelihood",
    ];
    fn walk(v: &serde_json::Value, key: &str, optional: &[&str]) {
        match v {
            serde_json::Value::Null => {
                assert!(
                    optional.contains(&key) && key != "params" && key != "log_likelihood",
                    "null at {key}"
                )
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, key, optional)),
            serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| walk(x, k, optional)),
            serde_json::Value::Number(n) => assert!(n.as_f64().unwrap().is_finite(), "{key}"),
            _ => {}
        }
    }
    let v = serde_json::to_value(r).unwrap();
    walk(&v, "", &OPTIONAL);
    if r.status != ClvStatus::Ok {
        assert!(r.message.is_some(), "{:?}", r.status);
    }
}

#[test]
fn no_customers_no_repeat_buyers_and_one_day_give_a_status() {
    let d0 = day("2024-01-01");
    let p = ClvParams::default();
    // Only orders without a customer key.
    let none = Dataset::from_orders(vec![order(NO_CUSTOMER, d0, 5)], keys(0));
    let r = clv(&none, date("2024-01-01"), &p);
    assert_eq!((r.status, r.customers), (ClvStatus::NoCustomers, 0));
    assert_no_nan(&r);
    // One customer, one order.
    let one = Dataset::from_orders(vec![order(0, d0, 5)], keys(1));
    let r = clv(&one, date("2024-03-01"), &p);
    assert_eq!(
        (r.status, r.customers, r.model),
        (ClvStatus::NoRepeatBuyers, 1, None)
    );
    assert!(r.bg_nbd.is_none() && r.top_customers.is_empty() && r.value_deciles.is_empty());
    assert_no_nan(&r);
    // Everybody on one day, several orders each.
    let orders = (0..50)
        .flat_map(|c| [order(c, d0, 10), order(c, d0, 20)])
        .collect();
    let same = Dataset::from_orders(orders, keys(50));
    let r = clv(&same, date("2024-01-01"), &p);
    assert_eq!(
        (r.status, r.customers, r.repeat_buyers),
        (ClvStatus::NoRepeatBuyers, 50, 0)
    );
    assert_no_nan(&r);
    let params = AnalyzeParams {
        as_of: Some(date("2024-01-01")),
        ..AnalyzeParams::default()
    };
    assert!(scores(&same, &params).unwrap().iter().all(Option::is_none));
    assert_eq!(
        analyze_with_clv(&same, &params)
            .unwrap()
            .clv
            .unwrap()
            .status,
        ClvStatus::NoRepeatBuyers
    );
}

#[test]
fn tiny_and_absurd_data_never_panic_or_give_nan() {
    let p = ClvParams {
        horizon_months: 600,
        discount: 0.0,
    };
    let d0 = day("2000-01-01");
    // The status expected (`None`: any status of a fit that ran).
    let sets: Vec<(Option<ClvStatus>, Vec<Order>)> = vec![
        // A single repeat buyer.
        (
            Some(ClvStatus::TooFewCustomers),
            vec![
                order(0, d0, 100),
                order(0, d0 + 10, 100),
                order(0, d0 + 20, 100),
            ],
        ),
        // Two customers, huge and negative amounts, decades apart.
        (
            Some(ClvStatus::TooFewCustomers),
            vec![
                order(0, d0, i64::MAX / 4),
                order(0, d0 + 20_000, i64::MAX / 4),
                order(1, d0 + 5, -1_000_000),
                order(1, d0 + 6, i64::MIN / 4),
                order(1, d0 + 30_000, 1),
            ],
        ),
        // Everyone buys every day for two months: no dropout at all.
        (
            None,
            (0..30)
                .flat_map(|c| (0..60).map(move |k| order(c, d0 + k, 1000 + i64::from(c) * 37 % 11)))
                .collect(),
        ),
        // Zero amounts only, every customer with the same history shape.
        (
            None,
            (0..40)
                .flat_map(|c| [order(c, d0 + c as i32, 0), order(c, d0 + 100 + c as i32, 0)])
                .collect(),
        ),
        // Huge amounts and a century between first and last orders.
        (
            None,
            (0..40)
                .flat_map(|c| {
                    [
                        order(c, d0 + c as i32 * 900, i64::MAX / 400 - i64::from(c)),
                        order(
                            c,
                            d0 + 36_500 - c as i32 * 300,
                            i64::MAX / 300 + i64::from(c),
                        ),
                    ]
                })
                .collect(),
        ),
    ];
    for (i, (want, orders)) in sets.into_iter().enumerate() {
        let n = orders
            .iter()
            .map(|o| o.customer as usize + 1)
            .max()
            .unwrap();
        let data = Dataset::from_orders(orders, keys(n));
        let as_of = ltv_engine::date::from_day(data.orders.last().unwrap().day);
        let r = clv(&data, as_of, &p);
        eprintln!(
            "{i}: {:?} {:?} {:?} {:?}",
            r.status, r.bg_nbd, r.pareto_nbd, r.gamma_gamma
        );
        assert_no_nan(&r);
        for fit in [
            r.bg_nbd
                .as_ref()
                .map(|f| (f.converged, f.message.is_some())),
            r.pareto_nbd
                .as_ref()
                .map(|f| (f.converged, f.message.is_some())),
            r.gamma_gamma
                .as_ref()
                .map(|f| (f.converged, f.message.is_some())),
        ]
        .into_iter()
        .flatten()
        {
            // Not converged always says why.
            assert!(fit.0 != fit.1, "{i}");
        }
        let ran = matches!(
            r.status,
            ClvStatus::Ok
                | ClvStatus::NoSpendModel
                | ClvStatus::SpendModelInvalid
                | ClvStatus::NotConverged
        );
        assert!(want.map_or(ran, |w| r.status == w), "{i}: {:?}", r.status);
        if r.status == ClvStatus::NotConverged {
            assert!(r.model.is_none() && r.top_customers.is_empty());
        }
        let params = AnalyzeParams {
            as_of: Some(as_of),
            clv: p,
            ..AnalyzeParams::default()
        };
        for s in scores(&data, &params).unwrap().into_iter().flatten() {
            assert!(s.p_alive >= 0.0 && s.p_alive <= 1.0);
            assert!(s.expected_orders.is_finite() && s.expected_orders >= 0.0);
            assert!(s
                .clv
                .is_none_or(|m| m.minor().is_finite() && m.minor() >= 0.0));
        }
    }
}

#[test]
fn fits_on_a_handful_of_cells_stop_at_the_wall_and_say_so() {
    let one = [Cell {
        x: 3,
        t_x: 2.0,
        t: 3.0,
        weight: 1.0,
    }];
    let none = [Cell {
        x: 0,
        t_x: 0.0,
        t: 5.0,
        weight: 10.0,
    }];
    let zero = [Cell {
        x: 0,
        t_x: 0.0,
        t: 0.0,
        weight: 3.0,
    }];
    for cells in [&one[..], &none[..], &zero[..]] {
        let bg = fit_bg_nbd(cells).unwrap();
        let pareto = fit_pareto_nbd(cells).unwrap();
        for (converged, message, ll) in [
            (bg.converged, &bg.message, bg.log_likelihood),
            (pareto.converged, &pareto.message, pareto.log_likelihood),
        ] {
            assert!(ll.is_finite());
            assert!(converged != message.is_some(), "{cells:?} {message:?}");
        }
    }
    let spend = [
        SpendCell {
            x: 1,
            avg: 10.0,
            weight: 1.0,
        },
        SpendCell {
            x: 2,
            avg: 10.0,
            weight: 1.0,
        },
    ];
    let gg = fit_gamma_gamma(&spend).unwrap();
    assert!(gg.log_likelihood.is_finite() && gg.converged != gg.message.is_some());
    assert!(fit_gamma_gamma(&[]).is_none());
    assert!(fit_gamma_gamma(&[SpendCell {
        x: 1,
        avg: -5.0,
        weight: 1.0
    }])
    .is_none());
}

// ---- parameter recovery on simulated data ------------------------------

/// SplitMix64 with the draws the simulation needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform on (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
    /// Gamma(shape, rate) (Marsaglia & Tsang; boosted below shape 1).
    fn gamma(&mut self, shape: f64, rate: f64) -> f64 {
        if shape < 1.0 {
            let u = self.uniform();
            return self.gamma(shape + 1.0, rate) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = self.uniform();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v / rate;
            }
        }
    }
    fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a, 1.0);
        x / (x + self.gamma(b, 1.0))
    }
}

/// `n` customers from a BG/NBD with (r, α in days, a, b) and Gamma-Gamma
/// spend (p, q, γ in major units, written in cents): acquired uniformly
/// over the first year, calibration to day 730, holdout 182 more days.
fn simulate(
    n: u32,
    seed: u64,
    (r, alpha, a, b): (f64, f64, f64, f64),
    (p, q, g): (f64, f64, f64),
) -> Dataset {
    let mut rng = Rng(seed);
    let end = 730.0 + 182.0;
    let mut orders = Vec::new();
    for c in 0..n {
        let lambda = rng.gamma(r, alpha);
        let drop = rng.beta(a, b);
        let nu = rng.gamma(q, g);
        let mut t = (rng.uniform() * 365.0).floor();
        let mut value = || ((rng.gamma(p, nu) * 100.0).round() as i64).max(1);
        let first = value();
        orders.push(order(c, t as i32, first));
        loop {
            t += -rng.uniform().ln() / lambda;
            if t >= end {
                break;
            }
            let v = ((rng.gamma(p, nu) * 100.0).round() as i64).max(1);
            orders.push(order(c, t as i32, v));
            if rng.uniform() < drop {
                break;
            }
        }
    }
    Dataset::from_orders(orders, keys(n as usize))
}

#[test]
fn a_known_bg_nbd_is_recovered_from_20000_simulated_customers() {
    // The sample shop's purchase process (issue #11): r = 0.25, α = 30
    // days, a = 1.0, b = 1.8; spend p = 6, q = 4, γ = 15.
    let data = simulate(20_000, 11, (0.25, 30.0, 1.0, 1.8), (6.0, 4.0, 15.0));
    let data = Dataset {
        info: ltv_engine::store::ReadInfo {
            minor_exponent: 2,
            ..Default::default()
        },
        ..data
    };
    let d0 = ltv_engine::date::from_day(0);
    let as_of = d0 + chrono::Days::new(729);
    let t0 = std::time::Instant::now();
    let r = clv(&data, as_of, &ClvParams::default());
    eprintln!(
        "recovery: {} customers, {} cells, {:?}",
        r.customers,
        r.cells,
        t0.elapsed()
    );
    eprintln!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        r.bg_nbd, r.pareto_nbd, r.gamma_gamma, r.holdout
    );
    assert_eq!(r.status, ClvStatus::Ok, "{:?}", r.message);
    let bg = r.bg_nbd.as_ref().unwrap();
    assert!(bg.converged);
    // BFGS settled by itself (the Nelder–Mead fallback takes hundreds of
    // evaluations): with the analytic gradient a few dozen, with the
    // central-difference one (9 evaluations a step) a few hundred; the
    // same for Gamma-Gamma below.
    assert!(bg.evaluations < 60, "{bg:?}");
    let pareto = r.pareto_nbd.as_ref().unwrap();
    assert!(pareto.converged && pareto.evaluations < 400, "{pareto:?}");
    let BgNbd { r: rr, alpha, a, b } = bg.params;
    let within = |got: f64, want: f64, tol: f64| (got / want - 1.0).abs() < tol;
    // α is in weeks: 30 days = 4.286 weeks.
    assert!(within(rr, 0.25, 0.10), "r {rr}");
    assert!(within(alpha, 30.0 / 7.0, 0.15), "alpha {alpha}");
    assert!(within(a, 1.0, 0.30), "a {a}");
    assert!(within(b, 1.8, 0.30), "b {b}");
    let gg = r.gamma_gamma.as_ref().unwrap();
    assert!(gg.converged && gg.evaluations < 60, "{gg:?}");
    assert!(within(gg.params.p, 6.0, 0.15), "p {}", gg.params.p);
    assert!(within(gg.params.q, 4.0, 0.25), "q {}", gg.params.q);
    assert!(
        within(gg.params.gamma, 15.0, 0.30),
        "gamma {}",
        gg.params.gamma
    );
    // The holdout: the true model predicts the total within 10%.
    let h = r.holdout.as_ref().unwrap();
    let bgh = h.bg_nbd.as_ref().unwrap();
    assert!(within(bgh.predicted, h.actual as f64, 0.10), "{h:?}");
    assert!(r.model.is_some());
    assert_eq!(r.top_customers.len(), 100);
    assert_eq!(r.value_deciles.len(), 10);
    assert_eq!(
        r.value_deciles.iter().map(|d| d.customers).sum::<u64>(),
        r.customers
    );
    assert!(r
        .value_deciles
        .windows(2)
        .all(|w| w[0].min.minor() >= w[1].max.minor()));
    // In calibration BG/NBD expects as many repeat purchases as were made
    // (Σ E[X(T)] against Σ x)...
    let cal = calibration(&data, as_of);
    let made: f64 = cal.iter().flatten().map(|c| f64::from(c.x)).sum();
    let expected: f64 = cal
        .iter()
        .flatten()
        .map(|c| bg.params.expected(0, 0.0, 0.0, &[c.t])[0])
        .sum();
    assert!((expected / made - 1.0).abs() < 0.01, "{expected} {made}");
    // ...and the tracking plot counts them all, then the holdout's.
    let last = r.tracking.last().unwrap();
    assert_eq!(last.actual, made as u64 + h.actual);
    assert_eq!(last.day, ltv_engine::date::from_day(911));
    assert!(r
        .tracking
        .windows(2)
        .all(|w| w[0].actual <= w[1].actual && w[0].expected <= w[1].expected));
    eprintln!(
        "{:?} tracking at {:?}, at the end {last:?}",
        r.model, r.tracking[103]
    );
    assert_eq!(
        r.repeat_counts.iter().map(|c| c.actual).sum::<u64>(),
        r.customers
    );
    let expected: f64 = r.repeat_counts.iter().map(|c| c.expected).sum();
    assert!((expected - r.customers as f64).abs() < 1e-6 * r.customers as f64);
    assert_no_nan(&r);
    let _ = PurchaseModel::BgNbd;
}

#[test]
fn analyze_carries_clv_and_its_settings_change_it() {
    let data = simulate(2_000, 5, (0.25, 30.0, 1.0, 1.8), (6.0, 4.0, 15.0));
    let as_of = ltv_engine::date::from_day(729);
    let base = AnalyzeParams {
        as_of: Some(as_of),
        ..AnalyzeParams::default()
    };
    let r = analyze_with_clv(&data, &base).unwrap().clv.unwrap();
    assert_eq!(r.status, ClvStatus::Ok, "{:?}", r.message);
    assert_eq!((r.horizon_months, r.discount), (12, 0.01));
    assert_eq!(r.calibration_end, as_of);
    let s12 = scores(&data, &base).unwrap();
    // The top list is the scores ranked by CLV.
    let best = s12
        .iter()
        .flatten()
        .map(|s| s.clv.unwrap().minor())
        .fold(0.0, f64::max);
    assert_eq!(r.top_customers[0].clv.unwrap().minor(), best);
    assert!(s12.iter().flatten().all(|s| Some(s.model) == r.model));

    let mut longer = base;
    ltv_engine::settings::setting("clv-horizon")
        .unwrap()
        .apply(&mut longer, "24")
        .unwrap();
    ltv_engine::settings::setting("clv-discount")
        .unwrap()
        .apply(&mut longer, "0%")
        .unwrap();
    assert_eq!(
        longer.clv,
        ClvParams {
            horizon_months: 24,
            discount: 0.0
        }
    );
    let s24 = scores(&data, &longer).unwrap();
    let mut any_more = false;
    for (a, b) in s12.iter().zip(&s24) {
        match (a, b) {
            (Some(a), Some(b)) => {
                assert!(b.expected_orders >= a.expected_orders);
                assert!(b.clv.unwrap().minor() >= a.clv.unwrap().minor());
                any_more |= b.clv.unwrap().minor() > a.clv.unwrap().minor();
                assert_eq!(a.p_alive, b.p_alive);
            }
            (None, None) => {}
            _ => panic!("a customer scored under one horizon only"),
        }
    }
    assert!(any_more);

    // Out of range settings are errors.
    for (name, value) in [
        ("clv-horizon", "0"),
        ("clv-discount", "1.5"),
        ("clv-discount", "-1%"),
    ] {
        let mut p = base;
        ltv_engine::settings::setting(name)
            .unwrap()
            .apply(&mut p, value)
            .unwrap();
        assert!(analyze(&data, &p).is_err(), "{name}={value}");
    }
}

#[test]
fn cdnow_from_its_orders_gives_the_summary_the_fits_and_a_holdout() {
    let text = include_str!("data/cdnow_orders.csv");
    let orders: Vec<Order> = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<i64> = l.split(',').map(|v| v.parse().unwrap()).collect();
            order(f[0] as u32 - 1, day("1997-01-01") + f[1] as i32, f[2])
        })
        .collect();
    assert_eq!(orders.len(), 6919);
    let data = Dataset::from_orders(orders, (1..=2357).map(|i| i.to_string()));
    let data = Dataset {
        info: ltv_engine::store::ReadInfo {
            minor_exponent: 2,
            ..Default::default()
        },
        ..data
    };
    let as_of = date("1997-09-30");
    // The published summary, to its two decimals.
    let cal = calibration(&data, as_of);
    for (c, row) in cal.iter().zip(cdnow()) {
        let c = c.unwrap();
        assert_eq!((c.x, round(c.t_x, 2), round(c.t, 2)), (row.0, row.1, row.2));
        if c.x > 0 {
            assert!((c.repeat_spend as f64 / 100.0 / c.x as f64 - row.3).abs() < 0.006);
        }
    }
    let t0 = std::time::Instant::now();
    let r = clv(&data, as_of, &ClvParams::default());
    eprintln!("CDNOW from orders: {:?} ({} cells)", t0.elapsed(), r.cells);
    eprintln!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        r.bg_nbd, r.pareto_nbd, r.gamma_gamma, r.holdout
    );
    assert_eq!(r.status, ClvStatus::Ok);
    assert_eq!(
        (r.customers, r.repeat_buyers, r.spend_customers),
        (2357, 946, 946)
    );
    // With exact weeks (days ÷ 7) all three fits round to the published
    // values, β and γ included.
    let bg = r.bg_nbd.as_ref().unwrap();
    assert_eq!(rounded_bg(&bg.params), BG_NBD);
    assert_eq!(round(bg.log_likelihood, 1), BG_NBD_LL);
    let pareto = r.pareto_nbd.as_ref().unwrap();
    assert_eq!(rounded_pareto(&pareto.params), PARETO_NBD);
    assert_eq!(round(pareto.log_likelihood, 1), PARETO_NBD_LL);
    // γ in dollars (the report's major units).
    let gg = r.gamma_gamma.as_ref().unwrap();
    assert_eq!(rounded_gg(&gg.params), GAMMA_GAMMA);
    // The tracking plot: weekly from 1997-01-01 to the last order.
    let repeats: u64 = cal.iter().flatten().map(|c| u64::from(c.x)).sum();
    let tr = &r.tracking;
    assert_eq!(tr.len(), 78);
    assert_eq!(tr[0].day, date("1997-01-08"));
    let last = tr.last().unwrap();
    assert_eq!(
        (last.day, last.actual),
        (date("1998-06-30"), repeats + 1882)
    );
    assert!(tr
        .windows(2)
        .all(|w| w[0].actual <= w[1].actual && w[0].expected <= w[1].expected));
    // In calibration the model tracks the actual closely (week 39 ends
    // on 1997-10-01, a day into the holdout).
    let week38 = &tr[37];
    assert_eq!(week38.day, date("1997-09-24"));
    assert!(
        (week38.expected / week38.actual as f64 - 1.0).abs() < 0.05,
        "{week38:?}"
    );
    eprintln!("tracking at 1997-09-24 {week38:?}, at the end {last:?}");
    // The holdout: weeks 40 to 78, 1,882 repeat purchase days.
    let h = r.holdout.as_ref().unwrap();
    assert_eq!(
        (h.from, h.to, h.customers, h.actual),
        (date("1997-10-01"), date("1998-06-30"), 2357, 1882)
    );
    assert_eq!(h.length, 273.0 / 7.0);
    for m in [h.bg_nbd.as_ref().unwrap(), h.pareto_nbd.as_ref().unwrap()] {
        assert!((m.predicted / 1882.0 - 1.0).abs() < 0.15, "{h:?}");
        assert!(m.mae > 0.0 && m.mae < 1.5);
    }
}

#[test]
fn the_likelihoods_do_not_depend_on_how_cells_are_ordered_or_grouped() {
    let sorted = cells(&cdnow());
    let mut shuffled = sorted.clone();
    shuffled.reverse();
    shuffled.rotate_left(377);
    let bg = BgNbd {
        r: 0.3,
        alpha: 5.0,
        a: 0.8,
        b: 2.5,
    };
    let pareto = ParetoNbd {
        r: 0.5,
        alpha: 10.0,
        s: 0.6,
        beta: 12.0,
    };
    let one_by_one = |f: &dyn Fn(&[Cell]) -> f64| -> f64 {
        sorted.iter().map(|c| f(std::slice::from_ref(c))).sum()
    };
    for (whole, again, single) in [
        (
            bg.log_likelihood(&sorted),
            bg.log_likelihood(&shuffled),
            one_by_one(&|c| bg.log_likelihood(c)),
        ),
        (
            pareto.log_likelihood(&sorted),
            pareto.log_likelihood(&shuffled),
            one_by_one(&|c| pareto.log_likelihood(c)),
        ),
    ] {
        assert!(
            (whole - again).abs() < 1e-8 && (whole - single).abs() < 1e-8,
            "{whole} {again} {single}"
        );
    }
}

#[test]
fn pareto_nbd_is_fitted_only_where_a_holdout_compares_it() {
    let data = simulate(2_000, 5, (0.25, 30.0, 1.0, 1.8), (6.0, 4.0, 15.0));
    let last = data.orders.last().unwrap().day;
    // As of the last order: no holdout, BG/NBD converges and makes the
    // scores, Pareto/NBD is not fitted and the report says so.
    let r = clv(
        &data,
        ltv_engine::date::from_day(last),
        &ClvParams::default(),
    );
    assert!(r.holdout.is_none());
    assert!(r.bg_nbd.as_ref().unwrap().converged);
    assert_eq!(r.model, Some(PurchaseModel::BgNbd));
    assert!(r.pareto_nbd.is_none() && r.pareto_nbd_skipped);
    assert_no_nan(&r);
    // The day before: a holdout, both fitted and compared.
    let r = clv(
        &data,
        ltv_engine::date::from_day(last - 1),
        &ClvParams::default(),
    );
    let h = r.holdout.as_ref().unwrap();
    assert!(h.bg_nbd.is_some() && h.pareto_nbd.is_some());
    assert!(r.pareto_nbd.as_ref().unwrap().converged && !r.pareto_nbd_skipped);
    // Nothing fitted: nothing skipped.
    let none = Dataset::from_orders(vec![order(0, 10, 100)], keys(1));
    let r = clv(&none, date("2024-01-01"), &ClvParams::default());
    assert!(r.bg_nbd.is_none() && r.pareto_nbd.is_none() && !r.pareto_nbd_skipped);
}

/// Potential-LTV by predicted value (`potential-ltv=clv`): every
/// potential customer's predicted value reaches the high-LTV cut and no
/// general customer's does; churn-risk rows carry P(alive); the customer
/// list gains the four CLV columns with the scores' values; without a
/// fitted model the history rule is used and says so.
#[test]
fn potential_ltv_and_the_customer_list_by_predicted_value() {
    use ltv_engine::customers::{list, list_with_clv, write_csv, ListId, CLV_COLUMNS, COLUMNS};
    use ltv_engine::export::ExportEncoding;
    use ltv_engine::history::History;
    use ltv_engine::ranks::{customer_ranks, PotentialRule, Rank};

    let data = simulate(3_000, 7, (0.25, 30.0, 1.0, 1.8), (6.0, 4.0, 15.0));
    let mut p = AnalyzeParams {
        as_of: Some(ltv_engine::date::from_day(729)),
        ..AnalyzeParams::default()
    };
    ltv_engine::settings::setting("potential-ltv")
        .unwrap()
        .apply(&mut p, "clv")
        .unwrap();
    assert_eq!(p.potential_rule, PotentialRule::Clv);
    let report = analyze(&data, &p).unwrap();
    assert_eq!(report.ranks.rule, PotentialRule::Clv);
    assert!(
        report.clv.is_none(),
        "the ranks fit the model; the CLV view is still its own step"
    );
    let s = scores(&data, &p).unwrap();
    let h = History::new(&data, p.as_of.unwrap()).unwrap();
    let ranked = customer_ranks(&data, &h, &p, Some(&s));
    let cut = ranked.cut.unwrap() as f64;
    let (mut potential, mut general) = (0, 0);
    for (c, rank) in ranked.rank.iter().enumerate() {
        let Some(rank) = rank else { continue };
        let predicted = s[c].as_ref().unwrap().clv.unwrap().minor();
        match rank {
            Rank::PotentialLtv => {
                potential += 1;
                assert!(predicted >= cut);
            }
            Rank::General => {
                general += 1;
                assert!(predicted < cut);
            }
            Rank::HighLtv => {}
        }
    }
    assert!(potential > 0 && general > 0, "{potential} {general}");
    assert_eq!(report.ranks.potential_ltv.customers, potential);
    let by_history = analyze(
        &data,
        &AnalyzeParams {
            potential_rule: PotentialRule::History,
            ..p
        },
    )
    .unwrap();
    assert_eq!(by_history.ranks.rule, PotentialRule::History);
    assert_eq!(by_history.ranks.high_ltv, report.ranks.high_ltv);
    assert_ne!(by_history.ranks.potential_ltv, report.ranks.potential_ltv);
    assert!(report
        .churn_risk
        .top
        .iter()
        .all(|r| r.p_alive.is_some_and(|a| (0.0..=1.0).contains(&a))));
    assert!(by_history
        .churn_risk
        .top
        .iter()
        .all(|r| r.p_alive.is_none()));

    // The list: same ranks as the report, and the CLV columns.
    let plain = list(&data, &p).unwrap();
    let with = list_with_clv(&data, &p).unwrap();
    assert!(!plain.with_clv && with.with_clv);
    assert_eq!(
        plain.rows.iter().map(|r| r.rank).collect::<Vec<_>>(),
        with.rows.iter().map(|r| r.rank).collect::<Vec<_>>()
    );
    let csv = write_csv(&with, ListId::All, ExportEncoding::Utf8Bom).unwrap();
    let text = String::from_utf8(csv.bytes).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.len(), COLUMNS.len() + CLV_COLUMNS.len());
    assert_eq!(&header[COLUMNS.len()..], CLV_COLUMNS);
    let first = with.rows[0].clv.clone().unwrap();
    let cells: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(cells[COLUMNS.len()], format!("{:.6}", first.p_alive));
    assert_eq!(
        cells[COLUMNS.len() + 1],
        format!("{:.3}", first.expected_orders)
    );
    assert_eq!(with.minor_exponent, 0, "amounts in whole units here");
    assert_eq!(
        cells[COLUMNS.len() + 3],
        (first.clv.unwrap().minor().round() as i64).to_string()
    );
    let plain_csv = write_csv(&plain, ListId::All, ExportEncoding::Utf8Bom).unwrap();
    assert!(String::from_utf8(plain_csv.bytes)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .ends_with("value_at_risk"));

    // Three one-order customers: no model fits; the history rule is used.
    let tiny = Dataset::from_orders(
        vec![order(0, 10, 100), order(1, 20, 200), order(2, 30, 300)],
        keys(3),
    );
    let r = analyze(
        &tiny,
        &AnalyzeParams {
            potential_rule: PotentialRule::Clv,
            ..AnalyzeParams::default()
        },
    )
    .unwrap();
    assert_eq!(r.ranks.rule, PotentialRule::History);
}

/// The fit tells its steps in order: without a holdout Pareto/NBD is
/// skipped; with one every step comes.
#[test]
fn the_fit_tells_its_steps_in_order() {
    use ltv_engine::clv::{clv_with_progress, FitStage};
    let data = simulate(2_000, 3, (0.25, 30.0, 1.0, 1.8), (6.0, 4.0, 15.0));
    let steps = |as_of: i32| {
        let mut seen = Vec::new();
        let r = clv_with_progress(
            &data,
            ltv_engine::date::from_day(as_of),
            &ClvParams::default(),
            &mut |s| seen.push(s),
        );
        assert_eq!(r.status, ClvStatus::Ok);
        seen
    };
    use FitStage::*;
    assert_eq!(
        steps(729),
        [Summaries, BgNbd, ParetoNbd, GammaGamma, Forecast, Report]
    );
    let last = data.orders.iter().map(|o| o.day).max().unwrap();
    assert_eq!(
        steps(last),
        [Summaries, BgNbd, GammaGamma, Forecast, Report]
    );
    assert_eq!(Report.number(), FitStage::ALL.len());
}
