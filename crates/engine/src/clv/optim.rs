//! Nelder–Mead minimisation (and, where a gradient is at hand, BFGS:
//! [`minimize_bfgs`]) on log parameters (the models' parameters are
//! all positive, so the search runs on their logarithms and needs no
//! bounds). A cost that is not finite counts as +∞, so a step into a
//! region where the likelihood cannot be evaluated is simply rejected.

/// How a minimisation ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Minimum {
    /// The best point found (log parameters).
    pub x: Vec<f64>,
    /// The cost there.
    pub cost: f64,
    /// Simplex iterations, over all restarts.
    pub iterations: u32,
    /// Cost evaluations.
    pub evaluations: u32,
    /// The simplex shrank below the tolerances before the iteration limit.
    pub converged: bool,
}

/// Limits of one minimisation.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_iterations: u32,
    /// Stop when the costs of the simplex's vertices differ by less than
    /// this times 1 + |cost| (relative: a log-likelihood summed over
    /// thousands of cells carries rounding noise near 1e-12 of its size,
    /// so an absolute tolerance could never be met; 1e-10 of −9582.4 is
    /// still far below the published 0.1)...
    pub cost_tolerance: f64,
    /// ...and its vertices by less than this in every log parameter.
    pub x_tolerance: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_iterations: 1_000,
            cost_tolerance: 1e-10,
            x_tolerance: 1e-7,
        }
    }
}

fn finite_or_inf(c: f64) -> f64 {
    if c.is_finite() {
        c
    } else {
        f64::INFINITY
    }
}

/// Minimises `cost` from `start` (Nelder–Mead with the standard
/// coefficients 1, 2, ½, ½ and an initial step of 0.5 in each log
/// parameter), restarting from the best point until a restart no longer
/// improves it (at most three restarts): a simplex can collapse on a
/// ridge before reaching the minimum, and a restart detects that.
pub fn minimize(cost: impl Fn(&[f64]) -> f64, start: &[f64], limits: Limits) -> Minimum {
    minimize_with_step(cost, start, limits, 0.5)
}

/// [`minimize`] with another initial step (a small one to polish a point
/// already near the minimum).
pub fn minimize_with_step(
    cost: impl Fn(&[f64]) -> f64,
    start: &[f64],
    limits: Limits,
    step: f64,
) -> Minimum {
    let mut best = run(&cost, start, limits, step);
    for _ in 0..3 {
        if !best.converged {
            break;
        }
        let again = run(&cost, &best.x, limits, 0.1);
        let improved = again.cost < best.cost - limits.cost_tolerance * (1.0 + best.cost.abs());
        let iterations = best.iterations + again.iterations;
        let evaluations = best.evaluations + again.evaluations;
        // A restart that did not settle replaces the best only if it
        // found a clearly better point (and then reports not converged).
        if improved || (again.converged && again.cost <= best.cost) {
            best = again;
        }
        best.iterations = iterations;
        best.evaluations = evaluations;
        if !improved {
            break;
        }
    }
    best
}

fn run(cost: &impl Fn(&[f64]) -> f64, start: &[f64], limits: Limits, step: f64) -> Minimum {
    let n = start.len();
    let mut evaluations = 0u32;
    let mut eval = |x: &[f64]| {
        evaluations += 1;
        finite_or_inf(cost(x))
    };
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((start.to_vec(), eval(start)));
    for i in 0..n {
        let mut x = start.to_vec();
        if let Some(v) = x.get_mut(i) {
            *v += step;
        }
        let c = eval(&x);
        simplex.push((x, c));
    }
    let mut iterations = 0u32;
    let mut converged = false;
    while iterations < limits.max_iterations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (Some(lo), Some(hi)) = (simplex.first(), simplex.last()) else {
            break;
        };
        let spread = hi.1 - lo.1;
        let size = simplex
            .iter()
            .flat_map(|(x, _)| x.iter().zip(&lo.0).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if lo.1.is_finite()
            && spread.abs() <= limits.cost_tolerance * (1.0 + lo.1.abs())
            && size <= limits.x_tolerance
        {
            converged = true;
            break;
        }
        iterations += 1;
        // Centroid of all but the worst.
        let mut c = vec![0.0; n];
        for (x, _) in simplex.iter().take(n) {
            for (ci, xi) in c.iter_mut().zip(x) {
                *ci += xi / n as f64;
            }
        }
        let worst = hi.0.clone();
        let worst_cost = hi.1;
        let second_cost = simplex.get(n.saturating_sub(1)).map_or(worst_cost, |v| v.1);
        let best_cost = lo.1;
        let along = |t: f64| -> Vec<f64> {
            c.iter()
                .zip(&worst)
                .map(|(ci, wi)| ci + t * (ci - wi))
                .collect()
        };
        let xr = along(1.0);
        let fr = eval(&xr);
        let replacement = if fr < best_cost {
            let xe = along(2.0);
            let fe = eval(&xe);
            Some(if fe < fr { (xe, fe) } else { (xr, fr) })
        } else if fr < second_cost {
            Some((xr, fr))
        } else {
            let (xc, fc) = if fr < worst_cost {
                let x = along(0.5);
                let f = eval(&x);
                (x, f)
            } else {
                let x = along(-0.5);
                let f = eval(&x);
                (x, f)
            };
            (fc < worst_cost.min(fr)).then_some((xc, fc))
        };
        match replacement {
            Some(v) => {
                if let Some(last) = simplex.last_mut() {
                    *last = v;
                }
            }
            None => {
                // Shrink towards the best vertex.
                let best = simplex.first().map(|v| v.0.clone()).unwrap_or_default();
                for v in simplex.iter_mut().skip(1) {
                    for (xi, bi) in v.0.iter_mut().zip(&best) {
                        *xi = bi + 0.5 * (*xi - bi);
                    }
                    v.1 = eval(&v.0);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (x, cost) = simplex
        .into_iter()
        .next()
        .unwrap_or((start.to_vec(), f64::INFINITY));
    Minimum {
        x,
        cost,
        iterations,
        evaluations,
        converged,
    }
}

/// BFGS also stops, converged, when the line search finds no lower cost
/// and the step promised a decrease below this times 1 + |cost|: the
/// rounding noise of a log-likelihood summed over many cells (about 1e-16
/// per term, growing with the square root of their number), where a
/// lower cost can no longer be seen. On a shop's 86,860 cells that is
/// 1e-6 from the optimum in the log parameters.
const DECREMENT_TOLERANCE: f64 = 1e-12;

/// Quasi-Newton minimisation (BFGS with a backtracking Armijo line
/// search) of a cost with an analytic gradient, `cost_grad(x, grad)`
/// returning the cost and filling `grad`. Converged when every component
/// of the gradient is below `gradient_tolerance` · (1 + |cost|) (relative,
/// like [`Limits::cost_tolerance`]), or when no lower cost can be told
/// from the current one ([`DECREMENT_TOLERANCE`]). Stops, not converged,
/// after `max_iterations` or when the line search finds no lower cost
/// while a clear decrease was promised (a cost that is not finite counts
/// as +∞); the caller can then polish the best point found with
/// [`minimize`].
pub fn minimize_bfgs(
    cost_grad: impl Fn(&[f64], &mut [f64]) -> f64,
    start: &[f64],
    max_iterations: u32,
    gradient_tolerance: f64,
) -> Minimum {
    let n = start.len();
    let mut evaluations = 0u32;
    let mut eval = |x: &[f64], g: &mut [f64]| {
        evaluations += 1;
        let c = cost_grad(x, g);
        if c.is_finite() && g.iter().all(|v| v.is_finite()) {
            c
        } else {
            f64::INFINITY
        }
    };
    let mut x = start.to_vec();
    let mut g = vec![0.0; n];
    let mut f = eval(&x, &mut g);
    // Inverse Hessian approximation, row-major; identity until the first
    // step scales it.
    let mut h: Vec<f64> = (0..n * n)
        .map(|k| if k / n == k % n { 1.0 } else { 0.0 })
        .collect();
    let mut first = true;
    let mut iterations = 0u32;
    let mut converged = false;
    let (mut x1, mut g1) = (vec![0.0; n], vec![0.0; n]);
    while f.is_finite() && iterations < max_iterations {
        if g.iter()
            .all(|v| v.abs() <= gradient_tolerance * (1.0 + f.abs()))
        {
            converged = true;
            break;
        }
        iterations += 1;
        let hg = |h: &[f64], g: &[f64]| -> Vec<f64> {
            (0..n)
                .map(|i| {
                    -(0..n)
                        .map(|j| {
                            h.get(i * n + j).copied().unwrap_or(0.0)
                                * g.get(j).copied().unwrap_or(0.0)
                        })
                        .sum::<f64>()
                })
                .collect()
        };
        let mut d = hg(&h, &g);
        let mut slope: f64 = d.iter().zip(&g).map(|(a, b)| a * b).sum();
        if slope.is_nan() || slope >= 0.0 {
            // Not a descent direction: back to steepest descent.
            for (k, v) in h.iter_mut().enumerate() {
                *v = if k / n == k % n { 1.0 } else { 0.0 };
            }
            first = true;
            d = g.iter().map(|v| -v).collect();
            slope = -g.iter().map(|v| v * v).sum::<f64>();
        }
        // At most a step of 1 in any log parameter.
        let longest = d.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let mut t = if longest > 1.0 { 1.0 / longest } else { 1.0 };
        let mut f1 = f64::INFINITY;
        let mut accepted = false;
        for _ in 0..60 {
            for ((xi, x0), di) in x1.iter_mut().zip(&x).zip(&d) {
                *xi = x0 + t * di;
            }
            f1 = eval(&x1, &mut g1);
            if f1 <= f + 1e-4 * t * slope {
                accepted = true;
                break;
            }
            t *= 0.5;
        }
        if !accepted || f1 >= f {
            // No lower cost along d. If the quasi-Newton step promised a
            // decrease (−gᵀd, the Newton decrement's square) below the
            // cost's rounding noise, the point is as good as the cost can
            // tell: converged (a sum over thousands of cells cannot show a
            // smaller change, so the gradient test may never be met).
            converged = -slope <= DECREMENT_TOLERANCE * (1.0 + f.abs());
            break;
        }
        let s: Vec<f64> = x1.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g1.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        let yy: f64 = y.iter().map(|v| v * v).sum();
        if sy > 1e-12 * yy.sqrt() * s.iter().map(|v| v * v).sum::<f64>().sqrt() {
            if first {
                // Scale the identity to the curvature just seen.
                for v in h.iter_mut() {
                    *v *= sy / yy;
                }
                first = false;
            }
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / sᵀy.
            let rho = 1.0 / sy;
            let hy: Vec<f64> = hg(&h, &y).iter().map(|v| -v).collect();
            let yhy: f64 = y.iter().zip(&hy).map(|(a, b)| a * b).sum();
            for i in 0..n {
                for j in 0..n {
                    let (si, sj) = (
                        s.get(i).copied().unwrap_or(0.0),
                        s.get(j).copied().unwrap_or(0.0),
                    );
                    let (hyi, hyj) = (
                        hy.get(i).copied().unwrap_or(0.0),
                        hy.get(j).copied().unwrap_or(0.0),
                    );
                    if let Some(v) = h.get_mut(i * n + j) {
                        *v += -rho * (hyi * sj + si * hyj) + (rho * rho * yhy + rho) * si * sj;
                    }
                }
            }
        }
        std::mem::swap(&mut x, &mut x1);
        std::mem::swap(&mut g, &mut g1);
        f = f1;
    }
    Minimum {
        x,
        cost: f,
        iterations,
        evaluations,
        converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rosenbrock(x: &[f64], g: &mut [f64]) -> f64 {
        g[0] = -2.0 * (1.0 - x[0]) - 400.0 * x[0] * (x[1] - x[0] * x[0]);
        g[1] = 200.0 * (x[1] - x[0] * x[0]);
        (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2)
    }

    #[test]
    fn bfgs_finds_the_minimum_of_rosenbrock_in_few_evaluations() {
        let m = minimize_bfgs(rosenbrock, &[-1.2, 1.0], 200, 1e-10);
        assert!(m.converged, "{m:?}");
        assert!(
            (m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6,
            "{m:?}"
        );
        assert!(m.evaluations < 200, "{m:?}");
    }

    #[test]
    fn bfgs_on_a_cost_that_is_never_finite_or_too_few_iterations_does_not_converge() {
        let m = minimize_bfgs(|_, _| f64::NAN, &[0.0, 0.0], 200, 1e-10);
        assert!(!m.converged);
        assert_eq!((m.cost, m.evaluations), (f64::INFINITY, 1));
        let m = minimize_bfgs(rosenbrock, &[-1.2, 1.0], 3, 1e-10);
        assert!(!m.converged && m.iterations == 3 && m.cost.is_finite());
        // A gradient that is not finite counts as a failed point too.
        let m = minimize_bfgs(
            |x, g| {
                g[0] = if x[0] < 0.5 { f64::NAN } else { 2.0 * x[0] };
                x[0] * x[0]
            },
            &[3.0],
            200,
            1e-10,
        );
        assert!(!m.converged && m.x[0] >= 0.5, "{m:?}");
    }

    #[test]
    fn finds_the_minimum_of_rosenbrock() {
        let f = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = minimize(f, &[-1.2, 1.0], Limits::default());
        assert!(m.converged);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-4 && (m.x[1] - 1.0).abs() < 1e-4,
            "{m:?}"
        );
    }

    #[test]
    fn a_cost_that_is_never_finite_does_not_converge_or_panic() {
        let m = minimize(|_| f64::NAN, &[0.0, 0.0], Limits::default());
        assert!(!m.converged);
        assert_eq!(m.cost, f64::INFINITY);
    }

    #[test]
    fn the_iteration_limit_is_reported() {
        let f = |x: &[f64]| x.iter().map(|v| v * v).sum::<f64>();
        let limits = Limits {
            max_iterations: 3,
            ..Limits::default()
        };
        let m = minimize(f, &[5.0, 5.0, 5.0], limits);
        assert!(!m.converged);
        assert_eq!(m.iterations, 3);
    }
}
