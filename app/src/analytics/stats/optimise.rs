//! Maximum-likelihood fitting: Nelder–Mead (argmin) over the logarithms of positive
//! parameters, restarted from its own answer until it stops moving.

use argmin::core::{CostFunction, Error, Executor, State};
use argmin::solver::neldermead::NelderMead;

/// Iterations one Nelder–Mead run may take.
const MAX_ITERS: u64 = 5_000;
/// Restarts from the last answer (a simplex can collapse before it reaches the optimum).
const MAX_RESTARTS: usize = 4;

/// A negative log-likelihood over positive parameters.
struct LogSpace<F> {
    negative_log_likelihood: F,
}

impl<F: Fn(&[f64]) -> f64> CostFunction for LogSpace<F> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, log_params: &Self::Param) -> Result<f64, Error> {
        let params: Vec<f64> = log_params.iter().map(|p| p.exp()).collect();
        let value = (self.negative_log_likelihood)(&params);
        // Outside the model's domain the likelihood is zero; NaN would stall the simplex.
        Ok(if value.is_finite() { value } else { f64::MAX })
    }
}

/// The positive parameters minimising `negative_log_likelihood`, starting from `start`, and
/// the minimum.
pub fn minimise<F>(negative_log_likelihood: F, start: &[f64]) -> Result<(Vec<f64>, f64), String>
where
    F: Fn(&[f64]) -> f64,
{
    let problem = LogSpace {
        negative_log_likelihood,
    };
    let mut best: Vec<f64> = start.iter().map(|p| p.ln()).collect();
    let mut best_cost = problem.cost(&best).map_err(|e| e.to_string())?;
    for _ in 0..MAX_RESTARTS {
        let simplex = simplex_around(&best, 0.5);
        let solver = NelderMead::new(simplex)
            .with_sd_tolerance(1e-12)
            .map_err(|e| e.to_string())?;
        let result = Executor::new(&problem, solver)
            .configure(|state| state.max_iters(MAX_ITERS))
            .run()
            .map_err(|e| format!("the optimiser failed: {e}"))?;
        let state = result.state();
        let Some(param) = state.get_best_param().cloned() else {
            break;
        };
        let improvement = best_cost - state.get_best_cost();
        let moved = param
            .iter()
            .zip(&best)
            .any(|(new, old)| (new - old).abs() > 1e-7);
        if state.get_best_cost() <= best_cost {
            best = param;
            best_cost = state.get_best_cost();
        }
        if improvement.abs() < 1e-12 * best_cost.abs().max(1.0) && !moved {
            break;
        }
    }
    if best_cost == f64::MAX {
        return Err("the likelihood is zero everywhere the optimiser looked".to_string());
    }
    Ok((best.iter().map(|p| p.exp()).collect(), best_cost))
}

impl<F: Fn(&[f64]) -> f64> CostFunction for &LogSpace<F> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, log_params: &Self::Param) -> Result<f64, Error> {
        (*self).cost(log_params)
    }
}

/// The starting simplex: `centre` and one vertex `step` further along each axis.
fn simplex_around(centre: &[f64], step: f64) -> Vec<Vec<f64>> {
    let mut simplex = vec![centre.to_vec()];
    for axis in 0..centre.len() {
        let mut vertex = centre.to_vec();
        vertex[axis] += step;
        simplex.push(vertex);
    }
    simplex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_a_shifted_bowl_in_log_space() {
        // Minimum at (2, 0.5): the optimiser only ever sees positive parameters.
        let bowl = |p: &[f64]| (p[0] - 2.0).powi(2) + 10.0 * (p[1] - 0.5).powi(2);
        let (params, cost) = minimise(bowl, &[1.0, 1.0]).expect("converges");
        assert!((params[0] - 2.0).abs() < 1e-5, "{params:?}");
        assert!((params[1] - 0.5).abs() < 1e-5, "{params:?}");
        assert!(cost < 1e-9);
    }

    #[test]
    fn rosenbrock_in_positive_quadrant() {
        let rosenbrock = |p: &[f64]| (1.0 - p[0]).powi(2) + 100.0 * (p[1] - p[0] * p[0]).powi(2);
        let (params, _) = minimise(rosenbrock, &[0.3, 2.0]).expect("converges");
        assert!((params[0] - 1.0).abs() < 1e-4, "{params:?}");
        assert!((params[1] - 1.0).abs() < 1e-4, "{params:?}");
    }
}
