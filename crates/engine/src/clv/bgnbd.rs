//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers
//! the easy way"): while alive a customer buys at rate λ ~ Gamma(r, α);
//! after each purchase she drops out with probability p ~ Beta(a, b).
//!
//! Likelihood of one customer with x repeat purchases, the last at t_x,
//! observed until T:
//!
//! L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
//!   + [x > 0] B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x))
//!
//! P(alive | x, t_x, T) = 1 / (1 + [x > 0] a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
//!
//! Expected purchases in (T, T+t]: given alive, λ ~ Gamma(r+x, α+T) and
//! p ~ Beta(a, b+x), and a customer alive with (λ, p) makes
//! (1 − e^(−λpt))/p purchases on average, so
//!
//! E[Y(t) | x, t_x, T] = P(alive) · E_p[(1 − ((α+T)/(α+T+pt))^(r+x)) / p],
//!
//! the paper's equation (10) written as an integral over p (computed by
//! tanh-sinh quadrature): it needs no ₂F₁ and no a ≠ 1.

use super::special::Det;
use super::special::{digamma, ln_beta, ln_gamma, log_add, tanh_sinh_nodes01};
use super::{Cell, Grouped};
use serde::{Deserialize, Serialize};

/// BG/NBD parameters (time in the unit of the cells they were fitted on).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

impl BgNbd {
    /// From log parameters (the optimizer's coordinates).
    pub fn from_log(v: &[f64]) -> Option<BgNbd> {
        match v {
            [r, alpha, a, b] => Some(BgNbd {
                r: r.dexp(),
                alpha: alpha.dexp(),
                a: a.dexp(),
                b: b.dexp(),
            }),
            _ => None,
        }
    }

    /// Σ weight · ln L over the cells. `NaN` if a parameter is out of
    /// domain.
    pub fn log_likelihood(&self, cells: &[Cell]) -> f64 {
        self.log_likelihood_grouped(&Grouped::new(cells))
    }

    /// [`BgNbd::log_likelihood`] on grouped cells: the terms that depend
    /// on x only once per group, ln(α+τ) once per distinct time.
    pub fn log_likelihood_grouped(&self, grouped: &Grouped) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let (lg_r, ln_alpha, lg_ab, lg_b) =
            (ln_gamma(r), alpha.dln(), ln_gamma(a + b), ln_gamma(b));
        let ln_a = a.dln();
        let mut ln_at: Vec<f64> = Vec::new();
        let mut total = 0.0;
        for g in &grouped.groups {
            let x = f64::from(g.x);
            let common = ln_gamma(r + x) - lg_r + r * ln_alpha + lg_ab + ln_gamma(b + x)
                - lg_b
                - ln_gamma(a + b + x);
            let drop_odds = ln_a - (b + x - 1.0).dln();
            ln_at.clear();
            ln_at.extend(g.taus.iter().map(|tau| (alpha + tau).dln()));
            for c in &g.cells {
                let at = |i: usize| ln_at.get(i).copied().unwrap_or(f64::NAN);
                let alive = -(r + x) * at(c.i_t);
                let ll = if g.x > 0 {
                    log_add(alive, drop_odds - (r + x) * at(c.i_tx))
                } else {
                    alive
                };
                total += c.weight * (common + ll);
            }
        }
        total
    }

    /// [`BgNbd::log_likelihood_grouped`] and its gradient with respect to
    /// the log parameters (ln r, ln α, ln a, ln b), for the quasi-Newton
    /// fit. With ℓ = ln(e^A + e^B), A = −(r+x) ln(α+T) and
    /// B = ln a − ln(b+x−1) − (r+x) ln(α+t_x) (B only when x > 0), and
    /// w = e^(B−ℓ) the share of the "dropped out at t_x" term:
    /// - ∂/∂r = ψ(r+x) − ψ(r) + ln α − (1−w) ln(α+T) − w ln(α+t_x);
    /// - ∂/∂α = r/α − (r+x) ((1−w)/(α+T) + w/(α+t_x));
    /// - ∂/∂a = ψ(a+b) − ψ(a+b+x) + w/a;
    /// - ∂/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x) − w/(b+x−1);
    ///
    /// each times its parameter for the log coordinates.
    pub fn log_likelihood_and_gradient(&self, grouped: &Grouped) -> (f64, [f64; 4]) {
        let BgNbd { r, alpha, a, b } = *self;
        let (lg_r, ln_alpha, lg_ab, lg_b) =
            (ln_gamma(r), alpha.dln(), ln_gamma(a + b), ln_gamma(b));
        let (dg_r, dg_ab, dg_b) = (digamma(r), digamma(a + b), digamma(b));
        let ln_a = a.dln();
        let mut ln_at: Vec<(f64, f64)> = Vec::new();
        let mut total = 0.0;
        let mut grad = [0.0; 4];
        for g in &grouped.groups {
            let x = f64::from(g.x);
            let common = ln_gamma(r + x) - lg_r + r * ln_alpha + lg_ab + ln_gamma(b + x)
                - lg_b
                - ln_gamma(a + b + x);
            let d_r = digamma(r + x) - dg_r + ln_alpha;
            let d_a = dg_ab - digamma(a + b + x);
            let d_b = d_a + digamma(b + x) - dg_b;
            let drop_odds = ln_a - (b + x - 1.0).dln();
            ln_at.clear();
            ln_at.extend(
                g.taus
                    .iter()
                    .map(|tau| ((alpha + tau).dln(), 1.0 / (alpha + tau))),
            );
            let at = |i: usize| ln_at.get(i).copied().unwrap_or((f64::NAN, f64::NAN));
            // Per group: Σ w, Σ w ℓ, Σ w ∂ℓ/∂r, Σ w ∂ℓ/∂α / −(r+x), Σ w·share.
            let (mut sw, mut sl, mut sr, mut sal, mut sdrop) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for c in &g.cells {
                let (ln_t, inv_t) = at(c.i_t);
                let alive = -(r + x) * ln_t;
                let (ll, lr, la, share) = if g.x > 0 {
                    let (ln_tx, inv_tx) = at(c.i_tx);
                    let dropped = drop_odds - (r + x) * ln_tx;
                    let ll = log_add(alive, dropped);
                    let w = (dropped - ll).dexp();
                    let v = 1.0 - w;
                    (ll, v * ln_t + w * ln_tx, v * inv_t + w * inv_tx, w)
                } else {
                    (alive, ln_t, inv_t, 0.0)
                };
                sw += c.weight;
                sl += c.weight * ll;
                sr += c.weight * lr;
                sal += c.weight * la;
                sdrop += c.weight * share;
            }
            total += sw * common + sl;
            grad[0] += sw * d_r - sr;
            grad[1] += sw * r / alpha - (r + x) * sal;
            grad[2] += sw * d_a + sdrop / a;
            grad[3] += sw * d_b - if g.x > 0 { sdrop / (b + x - 1.0) } else { 0.0 };
        }
        let [gr, ga, gaa, gb] = grad;
        (total, [gr * r, ga * alpha, gaa * a, gb * b])
    }

    /// P(alive | x, t_x, T).
    pub fn p_alive(&self, x: u32, t_x: f64, t: f64) -> f64 {
        if x == 0 {
            return 1.0;
        }
        let xf = x as f64;
        let ln_odds = (self.a / (self.b + xf - 1.0)).dln()
            + (self.r + xf) * ((self.alpha + t).dln() - (self.alpha + t_x).dln());
        1.0 / (1.0 + ln_odds.dexp())
    }

    /// Expected purchases in (T, T + h] for each horizon h in `horizons`.
    pub fn expected(&self, x: u32, t_x: f64, t: f64, horizons: &[f64]) -> Vec<f64> {
        let alive = self.p_alive(x, t_x, t);
        self.expected_if_alive(x, t, horizons)
            .into_iter()
            .map(|e| alive * e)
            .collect()
    }

    /// Expected purchases in (T, T + h] of a customer alive at T: the
    /// integral over p, which depends on x and T but not on t_x.
    pub fn expected_if_alive(&self, x: u32, t: f64, horizons: &[f64]) -> Vec<f64> {
        self.expected_if_alive_at(x, t, horizons, &self.dropout_nodes(x))
    }

    /// The quadrature nodes (p, weight) of p ~ Beta(a, b+x), the dropout
    /// probability of a customer alive after x repeat purchases: they
    /// depend on x only, so a forecast over many T reuses them. Nodes
    /// weighing less than 1e-18 of the total are left out (about half of
    /// them): the integrand is at most its value at p = 0, (r+x) h/(α+T),
    /// so they change an expectation by less than about 1e-13 of it.
    pub fn dropout_nodes(&self, x: u32) -> Vec<(f64, f64)> {
        let (pa, pb) = (self.a, self.b + x as f64);
        let lb = ln_beta(pa, pb);
        let mut nodes = Vec::new();
        tanh_sinh_nodes01(|lp, lq| (pa - 1.0) * lp + (pb - 1.0) * lq - lb, &mut nodes);
        let total: f64 = nodes.iter().map(|n| n.1).sum();
        nodes.retain(|n| n.1 >= 1e-18 * total);
        nodes
    }

    /// [`BgNbd::expected_if_alive`] with the nodes of
    /// [`BgNbd::dropout_nodes`] for the same x.
    pub fn expected_if_alive_at(
        &self,
        x: u32,
        t: f64,
        horizons: &[f64],
        nodes: &[(f64, f64)],
    ) -> Vec<f64> {
        let shape = self.r + x as f64;
        let scale = self.alpha + t;
        horizons
            .iter()
            .map(|&h| {
                if h <= 0.0 {
                    return 0.0;
                }
                // (1 − (1 + p h / scale)^(−shape)) / p, → shape h / scale
                // as p → 0 (a node's p may underflow to 0).
                let per: f64 = nodes
                    .iter()
                    .map(|&(p, w)| {
                        let u = p * h / scale;
                        if u < 1e-12 {
                            w * shape * h / scale
                        } else {
                            w * -(-shape * u.dln_1p()).dexp_m1() / p
                        }
                    })
                    .sum();
                per
            })
            .collect()
    }

    /// P(X(t) = k): the chance that a new customer makes exactly k repeat
    /// purchases in her first t (the paper's equation 8).
    pub fn p_count(&self, k: u32, t: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let kf = k as f64;
        let lbab = ln_beta(a, b);
        let ln_q = (alpha / (alpha + t)).dln();
        let ln_s = (t / (alpha + t)).dln();
        let nb = |j: f64| ln_gamma(r + j) - ln_gamma(r) - ln_gamma(j + 1.0) + r * ln_q + j * ln_s;
        let first = (ln_beta(a, b + kf) - lbab + nb(kf)).dexp();
        if k == 0 {
            return first;
        }
        let tail: f64 = (0..k).map(|j| nb(j as f64).dexp()).sum();
        first + (ln_beta(a + 1.0, b + kf - 1.0) - lbab).dexp() * (1.0 - tail).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ₂F₁(a, b; c; z) by its plain series (tests only, moderate z).
    fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
        let (mut term, mut sum) = (1.0, 1.0);
        for n in 0..5_000 {
            let n = n as f64;
            term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
            sum += term;
        }
        sum
    }

    /// The paper's closed form (equation 10), for a ≠ 1.
    fn closed_form(m: &BgNbd, x: u32, t_x: f64, t: f64, h: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *m;
        let x = x as f64;
        let z = h / (alpha + t + h);
        let lead = (a + b + x - 1.0) / (a - 1.0);
        let inner = 1.0
            - ((alpha + t) / (alpha + t + h)).dpowf(r + x)
                * hyp2f1(r + x, b + x, a + b + x - 1.0, z);
        let den = 1.0
            + if x > 0.0 {
                a / (b + x - 1.0) * ((alpha + t) / (alpha + t_x)).dpowf(r + x)
            } else {
                0.0
            };
        lead * inner / den
    }

    #[test]
    fn the_integral_form_matches_the_papers_closed_form() {
        let models = [
            BgNbd {
                r: 0.243,
                alpha: 4.414,
                a: 0.793,
                b: 2.426,
            },
            BgNbd {
                r: 1.3,
                alpha: 20.0,
                a: 2.5,
                b: 6.0,
            },
            BgNbd {
                r: 0.1,
                alpha: 2.0,
                a: 0.05,
                b: 0.4,
            },
        ];
        for m in models {
            for (x, t_x, t, h) in [
                (0, 0.0, 38.86, 39.0),
                (2, 30.43, 38.86, 39.0),
                (7, 10.0, 50.0, 20.0),
                (1, 1.0, 1.0, 5.0),
            ] {
                let got = m.expected(x, t_x, t, &[h])[0];
                let want = closed_form(&m, x, t_x, t, h);
                assert!(
                    (got - want).abs() < 1e-7 * want.max(1.0),
                    "{m:?} {x}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn the_gradient_matches_finite_differences_and_the_likelihood() {
        let cells: Vec<Cell> = [
            (0, 0.0, 38.86, 10.0),
            (0, 0.0, 12.0, 3.0),
            (1, 1.0, 12.0, 2.0),
            (2, 30.43, 38.86, 1.0),
            (2, 5.0, 38.86, 4.0),
            (7, 10.0, 50.0, 1.0),
            (20, 49.0, 50.0, 2.0),
        ]
        .iter()
        .map(|&(x, t_x, t, weight)| Cell { x, t_x, t, weight })
        .collect();
        let grouped = Grouped::new(&cells);
        for v in [
            [
                0.243f64.dln(),
                4.414f64.dln(),
                0.793f64.dln(),
                2.426f64.dln(),
            ],
            [0.0, 1.0, -2.0, 0.5],
            [-1.5, 3.0, 1.0, -1.0],
        ] {
            let m = BgNbd::from_log(&v).unwrap();
            let (ll, grad) = m.log_likelihood_and_gradient(&grouped);
            let want = m.log_likelihood_grouped(&grouped);
            assert!((ll - want).abs() < 1e-10 * want.abs(), "{ll} {want}");
            for i in 0..4 {
                let h = 1e-6;
                let at = |d: f64| {
                    let mut w = v;
                    w[i] += d;
                    BgNbd::from_log(&w)
                        .unwrap()
                        .log_likelihood_grouped(&grouped)
                };
                let fd = (at(h) - at(-h)) / (2.0 * h);
                assert!(
                    (fd - grad[i]).abs() < 1e-5 * (1.0 + fd.abs()),
                    "{v:?} {i}: {fd} vs {}",
                    grad[i]
                );
            }
        }
    }

    #[test]
    fn p_alive_and_counts_behave() {
        let m = BgNbd {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        assert_eq!(m.p_alive(0, 0.0, 38.86), 1.0);
        assert!(m.p_alive(2, 30.43, 38.86) > m.p_alive(2, 5.0, 38.86));
        // The counts are a distribution.
        let total: f64 = (0..200).map(|k| m.p_count(k, 38.86)).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        // Mean of the counts is E[X(t)] of the paper (equation 9).
        let mean: f64 = (0..400).map(|k| k as f64 * m.p_count(k, 38.86)).sum();
        let BgNbd { r, alpha, a, b } = m;
        let t = 38.86;
        let e9 = (a + b - 1.0) / (a - 1.0)
            * (1.0 - (alpha / (alpha + t)).dpowf(r) * hyp2f1(r, b, a + b - 1.0, t / (alpha + t)));
        assert!((mean - e9).abs() < 1e-6, "{mean} vs {e9}");
    }
}
