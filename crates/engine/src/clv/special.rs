//! Special functions and quadrature the models need, written so that they
//! return a finite number or `NaN` (which the callers turn into a status),
//! never panic: ln Γ, ln B, the Gaussian hypergeometric function
//! ₂F₁(A, B; A + 1; z) of the Pareto/NBD likelihood, and tanh-sinh
//! quadrature on (0, 1) for integrals with end-point singularities.

use std::f64::consts::PI;

/// The elementary functions the fits use, the same to the last bit on
/// every target. `f64::ln`, `exp`… call the platform's math library
/// (glibc natively, a Rust port in wasm), whose last bits differ, so a
/// fit in the browser would not give the CLI's digits; these call the
/// `libm` crate, one implementation everywhere. (`sqrt` is exactly
/// rounded by IEEE 754 on both and needs no wrapper.)
pub trait Det {
    fn dln(self) -> f64;
    fn dexp(self) -> f64;
    fn dexp_m1(self) -> f64;
    fn dln_1p(self) -> f64;
    fn dpowf(self, y: f64) -> f64;
    fn dpowi(self, n: i32) -> f64;
    fn dsin(self) -> f64;
}

impl Det for f64 {
    fn dln(self) -> f64 {
        libm::log(self)
    }
    fn dexp(self) -> f64 {
        libm::exp(self)
    }
    fn dexp_m1(self) -> f64 {
        libm::expm1(self)
    }
    fn dln_1p(self) -> f64 {
        libm::log1p(self)
    }
    fn dpowf(self, y: f64) -> f64 {
        libm::pow(self, y)
    }
    fn dpowi(self, n: i32) -> f64 {
        libm::pow(self, f64::from(n))
    }
    fn dsin(self) -> f64 {
        libm::sin(self)
    }
}

/// Lanczos coefficients (g = 7, n = 9): ln Γ to about 1e-15 relative.
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// ln Γ(x) for x > 0 (`NaN` otherwise).
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return f64::NAN;
    }
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx), with sin(πx) > 0 here.
        return (PI / (PI * x).dsin()).dln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = LANCZOS[0];
    for (i, c) in LANCZOS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * PI).dln() + (x + 0.5) * t.dln() - t + sum.dln()
}

/// The digamma function ψ(x) = d ln Γ(x) / dx for x > 0 (`NaN`
/// otherwise): the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then
/// the asymptotic series to its x^−12 term (error below 1e-15 there).
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return f64::NAN;
    }
    let (mut x, mut shift) = (x, 0.0);
    while x < 10.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    let series = f
        * (1.0 / 12.0
            - f * (1.0 / 120.0
                - f * (1.0 / 252.0
                    - f * (1.0 / 240.0 - f * (1.0 / 132.0 - f * (691.0 / 32_760.0))))));
    shift + x.dln() - 0.5 / x - series
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// ln(e^u + e^v) without overflow.
pub fn log_add(u: f64, v: f64) -> f64 {
    let (hi, lo) = if u >= v { (u, v) } else { (v, u) };
    if hi == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).dexp().dln_1p()
}

/// ln ₂F₁(A, B; A + 1; z) for A > 0 and 0 ≤ z < 1, through Euler's
/// transformation ₂F₁(A, B; A+1; z) = (1 − z)^(1−B) ₂F₁(1, A+1−B; A+1; z),
/// whose series Σₙ (A+1−B)ₙ / (A+1)ₙ zⁿ has positive terms falling at
/// least as fast as zⁿ when B ≥ 0 (the direct series first grows when B is
/// large, as it is for a frequent buyer). Summed until the tail, below
/// term · z / (1 − z), cannot change the sum; `None` when that would take
/// more than 2,000 terms (z too close to 1): the caller then computes the
/// integral this function is the closed form of.
pub fn ln_hyp2f1_a_b_a1(a: f64, b: f64, z: f64) -> Option<f64> {
    const MAX_TERMS: usize = 2_000;
    if a.is_nan() || a <= 0.0 || b.is_nan() || b < 0.0 || !(0.0..1.0).contains(&z) {
        return None;
    }
    let c = a + 1.0;
    let d = c - b;
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    let tail = z / (1.0 - z);
    for n in 0..MAX_TERMS {
        if term * tail <= 1e-16 * sum {
            return Some((1.0 - b) * (-z).dln_1p() + sum.dln());
        }
        let nf = n as f64;
        term *= (d + nf) / (c + nf) * z;
        sum += term;
    }
    None
}

/// Tanh-sinh (double-exponential) quadrature of a density-weighted
/// integral over (0, 1): the nodes p and weights exp(ln w(p) + ln dp) of
/// Σ weight · g(p), where the caller gives `ln_w(ln p, ln(1 − p))` (the
/// log of a weight such as a beta density, which may be singular at
/// either end). Both `p` and `1 − p` are computed without cancellation,
/// so weights like p^(a−1) with small a are integrated accurately. Nodes
/// whose weight underflows are left out; `out` is cleared first.
pub fn tanh_sinh_nodes01(ln_w: impl Fn(f64, f64) -> f64, out: &mut Vec<(f64, f64)>) {
    // Step 1/8 on t ∈ [−6.5, 6.5]: ln p reaches about −π sinh 6.5 ≈ −1040.
    const H: f64 = 0.125;
    const K: i32 = 52;
    out.clear();
    for k in -K..=K {
        let t = f64::from(k) * H;
        let u = PI * t.sinh();
        // p = 1 / (1 + e^(−u)), 1 − p = 1 / (1 + e^u).
        let ln_p = -softplus(-u);
        let ln_q = -softplus(u);
        // dp/dt = π cosh t · p (1 − p).
        let ln_dp = (PI * t.cosh() * H).dln() + ln_p + ln_q;
        let lw = ln_w(ln_p, ln_q) + ln_dp;
        if lw < -745.0 || lw.is_nan() {
            continue;
        }
        out.push((ln_p.dexp(), lw.dexp()));
    }
}

/// ∫ over (0, 1) of w(p) g(p) dp by [`tanh_sinh_nodes01`].
pub fn tanh_sinh01(ln_w: impl Fn(f64, f64) -> f64, g: impl Fn(f64) -> f64) -> f64 {
    let mut nodes = Vec::new();
    tanh_sinh_nodes01(ln_w, &mut nodes);
    nodes.iter().map(|&(p, w)| w * g(p)).sum()
}

/// ln(1 + e^x) without overflow.
fn softplus(x: f64) -> f64 {
    if x > 30.0 {
        x + (-x).dexp().dln_1p()
    } else {
        x.dexp().dln_1p()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digamma_matches_known_values_and_the_derivative_of_ln_gamma() {
        // ψ(1) = −γ (Euler), ψ(½) = −γ − 2 ln 2, ψ(x + 1) = ψ(x) + 1/x.
        let euler = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + euler).abs() < 1e-14);
        assert!((digamma(0.5) + euler + 2.0 * 2f64.dln()).abs() < 1e-13);
        for x in [0.01, 0.243, 3.7, 9.99, 10.0, 250.0, 1e6] {
            assert!((digamma(x + 1.0) - digamma(x) - 1.0 / x).abs() < 1e-12 * (1.0 + 1.0 / x));
            let h = 1e-5 * x;
            let fd = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            assert!(
                (fd - digamma(x)).abs() < 1e-6 * (1.0 + digamma(x).abs()),
                "{x}"
            );
        }
        assert!(digamma(0.0).is_nan() && digamma(-1.0).is_nan() && digamma(f64::NAN).is_nan());
    }

    #[test]
    fn ln_gamma_matches_known_values() {
        assert!((ln_gamma(1.0)).abs() < 1e-14);
        assert!((ln_gamma(2.0)).abs() < 1e-14);
        assert!((ln_gamma(0.5) - PI.sqrt().dln()).abs() < 1e-14);
        // ln 10! = ln 3628800
        assert!((ln_gamma(11.0) - 3_628_800f64.dln()).abs() < 1e-12);
        assert!((ln_gamma(1e-8) - (1e8f64).dln()).abs() < 1e-6);
        assert!(ln_gamma(0.0).is_nan());
        assert!(ln_gamma(-1.0).is_nan());
        assert!(ln_gamma(f64::NAN).is_nan());
        // Stirling at 1e6.
        let x: f64 = 1e6;
        let stirling = (x - 0.5) * x.dln() - x + 0.5 * (2.0 * PI).dln() + 1.0 / (12.0 * x);
        assert!((ln_gamma(x) - stirling).abs() / stirling < 1e-13);
    }

    #[test]
    fn hypergeometric_series_matches_closed_forms() {
        let f = |a, b, z| ln_hyp2f1_a_b_a1(a, b, z).unwrap().dexp();
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z.
        for z in [0.0, 0.1, 0.5, 0.9, 0.95] {
            let want = if z == 0.0 {
                1.0
            } else {
                -(1.0f64 - z).dln() / z
            };
            let got = f(1.0, 1.0, z);
            assert!((got - want).abs() < 1e-12 * want, "{z}: {got} vs {want}");
        }
        // ₂F₁(A, 0; A + 1; z) = 1; ₂F₁(A, A + 1; A + 1; z) = (1 − z)^(−A).
        assert!((f(3.5, 0.0, 0.7) - 1.0).abs() < 1e-15);
        for (a, z) in [(0.5, 0.3), (2.5, 0.6), (80.0, 0.42)] {
            let want = -a * (1.0f64 - z).dln();
            let got = ln_hyp2f1_a_b_a1(a, a + 1.0, z).unwrap();
            assert!((got - want).abs() < 1e-12 * want.abs().max(1.0), "{a} {z}");
        }
        // Against the plain series Σ (A)ₙ(B)ₙ/((A+1)ₙ n!) zⁿ where it converges fast.
        for (a, b, z) in [(1.7, 1.6, 0.2), (77.6, 76.3, 0.05), (0.9, 0.4, 0.45)] {
            let (mut term, mut sum) = (1.0f64, 1.0f64);
            for n in 0..400 {
                let nf = n as f64;
                term *= (a + nf) * (b + nf) / ((a + 1.0 + nf) * (nf + 1.0)) * z;
                sum += term;
            }
            let got = f(a, b, z);
            assert!(
                (got - sum).abs() < 1e-12 * sum,
                "{a} {b} {z}: {got} vs {sum}"
            );
        }
        assert_eq!(ln_hyp2f1_a_b_a1(1.0, 1.0, 1.0), None);
        assert_eq!(ln_hyp2f1_a_b_a1(1.0, 1.0, 0.999_999), None);
        assert_eq!(ln_hyp2f1_a_b_a1(0.0, 1.0, 0.5), None);
    }

    #[test]
    fn tanh_sinh_integrates_beta_densities_with_singular_ends() {
        for (a, b) in [
            (0.05, 0.3),
            (0.793, 2.426),
            (1.0, 1.0),
            (5.0, 40.0),
            (0.5, 0.5),
        ] {
            let lb = ln_beta(a, b);
            let w = |lp: f64, lq: f64| (a - 1.0) * lp + (b - 1.0) * lq - lb;
            let one = tanh_sinh01(w, |_| 1.0);
            assert!((one - 1.0).abs() < 1e-7, "mass {a} {b}: {one}");
            let mean = tanh_sinh01(w, |p| p);
            assert!((mean - a / (a + b)).abs() < 1e-7, "mean {a} {b}: {mean}");
        }
    }
}
