//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV:
//! using iso-value curves for customer base analysis"; Fader & Hardie,
//! "The Gamma-Gamma Model of Monetary Value", 2013): each order's value is
//! Gamma(p, ν) around the customer's mean p/ν, with ν ~ Gamma(q, γ)
//! across customers. Fitted on repeat buyers only (x ≥ 1) from their
//! average repeat order value z̄:
//!
//! f(z̄ | x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q z̄^(px−1) x^(px) / (γ + x z̄)^(px+q)
//!
//! Expected average order value (期待平均注文額) of a customer:
//! E[Z | x, z̄] = p (γ + x z̄) / (px + q − 1), and pγ / (q − 1) for a
//! customer with no repeat order. Both need q > 1: otherwise the
//! population mean spend is infinite and no CLV is given.

use super::special::Det;
use super::special::{digamma, ln_gamma};
use serde::{Deserialize, Serialize};

/// Gamma-Gamma parameters (γ in the money unit of the spends).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

/// Repeat buyers with the same number of repeat purchases x and the same
/// average repeat order value z̄.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpendCell {
    pub x: u32,
    pub avg: f64,
    pub weight: f64,
}

impl GammaGamma {
    pub fn from_log(v: &[f64]) -> Option<GammaGamma> {
        match v {
            [p, q, gamma] => Some(GammaGamma {
                p: p.dexp(),
                q: q.dexp(),
                gamma: gamma.dexp(),
            }),
            _ => None,
        }
    }

    /// Σ weight · ln f(z̄ | x) over the cells (x ≥ 1, z̄ > 0).
    pub fn log_likelihood(&self, cells: &[SpendCell]) -> f64 {
        let GammaGamma { p, q, gamma } = *self;
        let base = q * gamma.dln() - ln_gamma(q);
        let mut cached_x = u32::MAX;
        let mut by_x = 0.0;
        let mut total = 0.0;
        for c in cells {
            let x = c.x as f64;
            if c.x != cached_x {
                cached_x = c.x;
                by_x = ln_gamma(p * x + q) - ln_gamma(p * x) + p * x * x.dln();
            }
            let ll =
                base + by_x + (p * x - 1.0) * c.avg.dln() - (p * x + q) * (gamma + x * c.avg).dln();
            total += c.weight * ll;
        }
        total
    }

    /// [`GammaGamma::log_likelihood`] and its gradient with respect to
    /// (ln p, ln q, ln γ), for the quasi-Newton fit:
    /// - ∂/∂p = x (ψ(px+q) − ψ(px) + ln x + ln z̄ − ln(γ + x z̄));
    /// - ∂/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ + x z̄);
    /// - ∂/∂γ = q/γ − (px+q)/(γ + x z̄);
    ///
    /// each times its parameter (cells sorted by x share the ψ terms).
    pub fn log_likelihood_and_gradient(&self, cells: &[SpendCell]) -> (f64, [f64; 3]) {
        let GammaGamma { p, q, gamma } = *self;
        let ln_gamma_ = gamma.dln();
        let base = q * ln_gamma_ - ln_gamma(q);
        let dg_q = digamma(q);
        let mut cached_x = u32::MAX;
        let (mut by_x, mut dp_x, mut dq_x) = (0.0, 0.0, 0.0);
        let mut total = 0.0;
        let (mut dp, mut dq, mut dg) = (0.0, 0.0, 0.0);
        for c in cells {
            let x = c.x as f64;
            if c.x != cached_x {
                cached_x = c.x;
                by_x = ln_gamma(p * x + q) - ln_gamma(p * x) + p * x * x.dln();
                let dg_pxq = digamma(p * x + q);
                dp_x = x * (dg_pxq - digamma(p * x) + x.dln());
                dq_x = dg_pxq - dg_q + ln_gamma_;
            }
            let (ln_avg, ln_den) = (c.avg.dln(), (gamma + x * c.avg).dln());
            let ll = base + by_x + (p * x - 1.0) * ln_avg - (p * x + q) * ln_den;
            total += c.weight * ll;
            dp += c.weight * (dp_x + x * (ln_avg - ln_den));
            dq += c.weight * (dq_x - ln_den);
            dg += c.weight * (q / gamma - (p * x + q) / (gamma + x * c.avg));
        }
        (total, [dp * p, dq * q, dg * gamma])
    }

    /// Expected average order value of a customer with x repeat orders of
    /// average value `avg` (ignored when x = 0); `None` unless q > 1.
    pub fn expected_avg(&self, x: u32, avg: f64) -> Option<f64> {
        let GammaGamma { p, q, gamma } = *self;
        if q <= 1.0 {
            return None;
        }
        let v = if x == 0 {
            p * gamma / (q - 1.0)
        } else {
            let xf = x as f64;
            p * (gamma + xf * avg) / (p * xf + q - 1.0)
        };
        v.is_finite().then_some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gradient_matches_finite_differences_and_the_likelihood() {
        let cells: Vec<SpendCell> = [
            (1, 10.0, 3.0),
            (1, 35.5, 1.0),
            (2, 20.0, 2.0),
            (6, 4.25, 1.0),
        ]
        .iter()
        .map(|&(x, avg, weight)| SpendCell { x, avg, weight })
        .collect();
        for v in [
            [6.25f64.dln(), 3.74f64.dln(), 15.44f64.dln()],
            [0.0, -0.5, 3.0],
            [2.0, 4.0, -1.0],
        ] {
            let m = GammaGamma::from_log(&v).unwrap();
            let (ll, grad) = m.log_likelihood_and_gradient(&cells);
            let want = m.log_likelihood(&cells);
            assert!(
                (ll - want).abs() < 1e-10 * want.abs().max(1.0),
                "{ll} {want}"
            );
            for i in 0..3 {
                let h = 1e-6;
                let at = |d: f64| {
                    let mut w = v;
                    w[i] += d;
                    GammaGamma::from_log(&w).unwrap().log_likelihood(&cells)
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
}
