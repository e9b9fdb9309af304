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

use super::special::ln_gamma;
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
                p: p.exp(),
                q: q.exp(),
                gamma: gamma.exp(),
            }),
            _ => None,
        }
    }

    /// Σ weight · ln f(z̄ | x) over the cells (x ≥ 1, z̄ > 0).
    pub fn log_likelihood(&self, cells: &[SpendCell]) -> f64 {
        let GammaGamma { p, q, gamma } = *self;
        let base = q * gamma.ln() - ln_gamma(q);
        let mut cached_x = u32::MAX;
        let mut by_x = 0.0;
        let mut total = 0.0;
        for c in cells {
            let x = c.x as f64;
            if c.x != cached_x {
                cached_x = c.x;
                by_x = ln_gamma(p * x + q) - ln_gamma(p * x) + p * x * x.ln();
            }
            let ll =
                base + by_x + (p * x - 1.0) * c.avg.ln() - (p * x + q) * (gamma + x * c.avg).ln();
            total += c.weight * ll;
        }
        total
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
