//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987), in the
//! formulation of Fader & Hardie, "A Note on Deriving the Pareto/NBD
//! Model and Related Expressions" (2005): while alive a customer buys at
//! rate λ ~ Gamma(r, α); her lifetime is exponential with rate
//! μ ~ Gamma(s, β).
//!
//! L(x, t_x, T) = Γ(r+x) α^r β^s / Γ(r) ·
//!     [ 1 / ((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A₀ ], where for α ≥ β
//!
//! A₀ = ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+t_x)) / (α+t_x)^(r+s+x)
//!    − ₂F₁(r+s+x, s+1; r+s+x+1; (α−β)/(α+T)) / (α+T)^(r+s+x)
//!
//! (for α < β swap α ↔ β and use r+x for s+1). A₀ is the closed form of
//! (r+s+x) ∫ from t_x to T of (α+τ)^(−(r+x)) (β+τ)^(−(s+1)) dτ, the
//! chance of dying between the last purchase and T. ₂F₁ is summed after
//! Euler's transformation ([`super::special::ln_hyp2f1_a_b_a1`]: positive
//! terms falling like zⁿ, in logs); its series still converges slowly as
//! z → 1 (the standard 1 − z transformation is degenerate here whenever s
//! or r + x is near an integer), so where it would need more than 2,000
//! terms the integral is computed directly by tanh-sinh quadrature.
//!
//! P(alive) = first term / (first term + s/(r+s+x) A₀), and
//! E[Y(t) | x, t_x, T] = P(alive) · (r+x)(β+T) / ((α+T)(s−1)) ·
//!     [1 − ((β+T)/(β+T+t))^(s−1)]  (→ ln((β+T+t)/(β+T)) as s → 1).

use super::special::Det;
use super::special::{ln_gamma, ln_hyp2f1_a_b_a1, log_add, tanh_sinh01};
use super::{Cell, Grouped};
use serde::{Deserialize, Serialize};

/// Pareto/NBD parameters (time in the unit of the cells).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbd {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

impl ParetoNbd {
    pub fn from_log(v: &[f64]) -> Option<ParetoNbd> {
        match v {
            [r, alpha, s, beta] => Some(ParetoNbd {
                r: r.dexp(),
                alpha: alpha.dexp(),
                s: s.dexp(),
                beta: beta.dexp(),
            }),
            _ => None,
        }
    }

    /// ln of the two terms of L without the constant Γ(r+x) α^r β^s / Γ(r):
    /// (alive through T, died between t_x and T).
    fn terms(&self, x: u32, t_x: f64, t: f64) -> (f64, f64) {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let xf = x as f64;
        let (ln_at, ln_bt) = ((alpha + t).dln(), (beta + t).dln());
        let alive = -(r + xf) * ln_at - s * ln_bt;
        if t <= t_x {
            return (alive, f64::NEG_INFINITY);
        }
        let big = r + s + xf;
        let (rho, b2, diff, ln_rho_t) = if alpha >= beta {
            (alpha, s + 1.0, alpha - beta, ln_at)
        } else {
            (beta, r + xf, beta - alpha, ln_bt)
        };
        // ln of ₂F₁(...) / (ρ+τ)^(r+s+x) at τ, given ln(ρ+τ).
        let f = |tau: f64, ln_rho_tau: f64| {
            ln_hyp2f1_a_b_a1(big, b2, diff / (rho + tau)).map(|h| h - big * ln_rho_tau)
        };
        let ln_share = self.ln_share(xf);
        let died = self.died(
            ln_share,
            xf,
            t_x,
            t,
            f(t_x, (rho + t_x).dln()),
            f(t, ln_rho_t),
        );
        (alive, died)
    }

    /// ln(s/(r+s+x) A₀) from the ₂F₁ terms at t_x and T (`lo`, `hi`), or
    /// by quadrature where a series gave up.
    /// `ln_share` = ln(s/(r+s+x)) ([`ParetoNbd::ln_share`], once per x).
    fn died(
        &self,
        ln_share: f64,
        xf: f64,
        t_x: f64,
        t: f64,
        lo: Option<f64>,
        hi: Option<f64>,
    ) -> f64 {
        let s = self.s;
        match (lo, hi) {
            (Some(lo), Some(hi)) if lo.is_finite() && hi.is_finite() => {
                // ln(s/(r+s+x)) + ln(e^lo − e^hi)
                ln_share + lo + (-(hi - lo).dexp_m1()).dln()
            }
            _ => s.dln() + self.ln_death_integral(xf, t_x, t),
        }
    }

    /// ln(s/(r+s+x)), the factor of the death term (depends on x only).
    fn ln_share(&self, xf: f64) -> f64 {
        (self.s / (self.r + self.s + xf)).dln()
    }

    /// ln ∫ from t_x to T of (α+τ)^(−(r+x)) (β+τ)^(−(s+1)) dτ, by quadrature.
    fn ln_death_integral(&self, xf: f64, t_x: f64, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let width = t - t_x;
        let ln_width = width.dln();
        // Scale by the integrand at t_x so the sum stays near 1.
        let at = |tau: f64| -(r + xf) * (alpha + tau).dln() - (s + 1.0) * (beta + tau).dln();
        let top = at(t_x);
        let sum = tanh_sinh01(
            |lp, _| at(t_x + width * lp.dexp()) - top + ln_width,
            |_| 1.0,
        );
        top + sum.dln()
    }

    /// Σ weight · ln L over the cells.
    pub fn log_likelihood(&self, cells: &[Cell]) -> f64 {
        self.log_likelihood_grouped(&Grouped::new(cells))
    }

    /// [`ParetoNbd::log_likelihood`] on grouped cells: ln(α+τ), ln(β+τ)
    /// and the ₂F₁ term once per distinct time of each x.
    pub fn log_likelihood_grouped(&self, grouped: &Grouped) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let constant = -ln_gamma(r) + r * alpha.dln() + s * beta.dln();
        let mut logs: Vec<(f64, f64, Option<f64>)> = Vec::new();
        let mut total = 0.0;
        for g in &grouped.groups {
            let xf = f64::from(g.x);
            let lg = ln_gamma(r + xf);
            let big = r + s + xf;
            let (rho_is_alpha, b2, diff) = if alpha >= beta {
                (true, s + 1.0, alpha - beta)
            } else {
                (false, r + xf, beta - alpha)
            };
            let rho = if rho_is_alpha { alpha } else { beta };
            let ln_share = self.ln_share(xf);
            logs.clear();
            logs.extend(g.taus.iter().map(|&tau| {
                let (la, lb) = ((alpha + tau).dln(), (beta + tau).dln());
                let ln_rho = if rho_is_alpha { la } else { lb };
                let f = ln_hyp2f1_a_b_a1(big, b2, diff / (rho + tau)).map(|h| h - big * ln_rho);
                (la, lb, f)
            }));
            for c in &g.cells {
                let (Some(&(la, lb, hi)), Some(&(_, _, lo))) = (logs.get(c.i_t), logs.get(c.i_tx))
                else {
                    return f64::NAN;
                };
                let alive = -(r + xf) * la - s * lb;
                let died = if c.t <= c.t_x {
                    f64::NEG_INFINITY
                } else {
                    self.died(ln_share, xf, c.t_x, c.t, lo, hi)
                };
                total += c.weight * (constant + lg + log_add(alive, died));
            }
        }
        total
    }

    /// P(alive | x, t_x, T).
    pub fn p_alive(&self, x: u32, t_x: f64, t: f64) -> f64 {
        let (alive, died) = self.terms(x, t_x, t);
        1.0 / (1.0 + (died - alive).dexp())
    }

    /// Expected purchases in (T, T + h] for each h in `horizons`.
    pub fn expected(&self, x: u32, t_x: f64, t: f64, horizons: &[f64]) -> Vec<f64> {
        self.expected_given_alive(self.p_alive(x, t_x, t), x, t, horizons)
    }

    /// [`ParetoNbd::expected`] with P(alive) already known (it is the
    /// costly part: the forecast computes it once per cell).
    pub fn expected_given_alive(&self, alive: f64, x: u32, t: f64, horizons: &[f64]) -> Vec<f64> {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let lead = alive * (r + x as f64) * (beta + t) / (alpha + t);
        horizons
            .iter()
            .map(|&h| {
                if h <= 0.0 {
                    return 0.0;
                }
                let l = (h / (beta + t)).dln_1p();
                let k = s - 1.0;
                let part = if k.abs() < 1e-9 {
                    l
                } else {
                    -(-k * l).dexp_m1() / k
                };
                lead * part
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The note's ₂F₁ form of the death term against the integral it is
    /// the closed form of, on both sides of α = β and for a frequent buyer.
    #[test]
    fn the_hypergeometric_form_matches_the_integral() {
        let cases = [
            (
                ParetoNbd {
                    r: 0.553,
                    alpha: 10.578,
                    s: 0.606,
                    beta: 11.669,
                },
                2,
                30.43,
                38.86,
            ),
            (
                ParetoNbd {
                    r: 0.553,
                    alpha: 10.578,
                    s: 0.606,
                    beta: 11.669,
                },
                0,
                0.0,
                38.86,
            ),
            (
                ParetoNbd {
                    r: 0.32,
                    alpha: 10.57,
                    s: 0.73,
                    beta: 18.26,
                },
                76,
                145.7,
                146.6,
            ),
            (
                ParetoNbd {
                    r: 0.32,
                    alpha: 40.0,
                    s: 1.7,
                    beta: 2.0,
                },
                3,
                5.0,
                60.0,
            ),
            (
                ParetoNbd {
                    r: 2.0,
                    alpha: 1.0,
                    s: 0.2,
                    beta: 9.0,
                },
                1,
                0.5,
                20.0,
            ),
        ];
        for (m, x, t_x, t) in cases {
            let (_, died) = m.terms(x, t_x, t);
            let direct = m.s.dln() + m.ln_death_integral(x as f64, t_x, t);
            assert!(
                (died - direct).abs() < 1e-9,
                "{m:?} {x}: {died} vs {direct}"
            );
        }
    }

    #[test]
    fn p_alive_and_expectation_behave() {
        let m = ParetoNbd {
            r: 0.553,
            alpha: 10.578,
            s: 0.606,
            beta: 11.669,
        };
        // Bought on the last day: nothing says she left.
        let recent = m.p_alive(3, 38.0, 38.0);
        let lapsed = m.p_alive(3, 5.0, 38.0);
        assert!(recent > lapsed && lapsed > 0.0 && recent <= 1.0);
        let e = m.expected(3, 38.0, 38.0, &[0.0, 10.0, 39.0, 1e6]);
        assert_eq!(e[0], 0.0);
        assert!(e[1] > 0.0 && e[2] > e[1] && e[3] > e[2] && e[3].is_finite());
        // s = 1 is the limit of the general formula.
        let one = ParetoNbd { s: 1.0, ..m }.expected(2, 20.0, 38.0, &[39.0])[0];
        let near = ParetoNbd { s: 1.0 + 1e-7, ..m }.expected(2, 20.0, 38.0, &[39.0])[0];
        assert!((one - near).abs() < 1e-6, "{one} {near}");
    }
}
