//! `customer-profiles analytics bench`: fit and score a synthetic base drawn from the models
//! themselves (BG/NBD purchasing and dropout, Gamma-Gamma spend, the CDNOW parameters), and
//! report wall time per stage, peak memory, and how close the fit comes to the truth.

use app::analytics::stats::{self, BgNbd, GammaGamma, ScoringPlan, Summary};
use clap::Args;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Distribution, Gamma};
use std::time::Instant;

/// Options of `analytics bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Customers to simulate.
    #[arg(long, default_value_t = 1_000_000)]
    pub customers: usize,
    /// Random seed.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

/// The truth the synthetic base is drawn from: the published CDNOW parameters.
const TRUTH_BG: BgNbd = BgNbd {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};
const TRUTH_GG: GammaGamma = GammaGamma {
    p: 6.25,
    q: 3.74,
    v: 15.44,
};

/// Runs the benchmark; the report is several lines.
pub fn run(args: &BenchArgs) -> Result<String, String> {
    let clock = Instant::now();
    let customers = simulate(args.customers, args.seed)?;
    let simulate_s = clock.elapsed().as_secs_f64();

    let total = Instant::now();
    let clock = Instant::now();
    let bg = BgNbd::fit(&customers)?;
    let fit_bg_s = clock.elapsed().as_secs_f64();
    let clock = Instant::now();
    let gg = GammaGamma::fit(&customers)?;
    let fit_gg_s = clock.elapsed().as_secs_f64();
    let clock = Instant::now();
    let plan = ScoringPlan {
        purchases_weeks: 52.0,
        clv_months: 12,
        monthly_discount: 0.01,
    };
    let scores = stats::parallel_map(&customers, |c| stats::score(&bg, &gg, &plan, c));
    let undefined = scores.iter().filter(|s| s.is_none()).count();
    let clv: Vec<f64> = scores.iter().flatten().map(|s| s.clv).collect();
    let p_alive: Vec<f64> = scores.iter().flatten().map(|s| s.p_alive).collect();
    let clv_ranks = stats::percentile_ranks(&clv);
    let alive_ranks = stats::percentile_ranks(&p_alive);
    let score_s = clock.elapsed().as_secs_f64();
    let total_s = total.elapsed().as_secs_f64();
    let mean_clv = clv.iter().sum::<f64>() / clv.len().max(1) as f64;
    Ok(format!(
        "customers: {n} (simulated in {simulate_s:.2} s; {repeaters} with repeat purchases)\n\
         fit BG/NBD: {fit_bg_s:.2} s  r={:.4} alpha={:.4} a={:.4} b={:.4}  (truth 0.243 4.414 0.793 2.426)\n\
         fit Gamma-Gamma: {fit_gg_s:.2} s  p={:.4} q={:.4} v={:.4}  (truth 6.25 3.74 15.44)\n\
         score + rank (P(alive), 52-week purchases, spend, 12-month CLV): {score_s:.2} s; \
         {undefined} undefined; mean CLV {mean_clv:.2}; ranks {}\n\
         fit and score total: {total_s:.2} s\n\
         peak memory (VmHWM): {}",
        bg.r,
        bg.alpha,
        bg.a,
        bg.b,
        gg.p,
        gg.q,
        gg.v,
        clv_ranks.len() + alive_ranks.len(),
        crate::telemetry::peak_memory(),
        n = customers.len(),
        repeaters = customers.iter().filter(|c| c.x > 0.0).count(),
    ))
}

/// Customers drawn from BG/NBD and Gamma-Gamma: rate λ ~ Gamma(r, 1/α), dropout
/// p ~ Beta(a, b) after each repeat purchase, ages 26–104 weeks since the first purchase, spend per purchase
/// ~ Gamma(p, 1/ν) with ν ~ Gamma(q, 1/γ).
fn simulate(n: usize, seed: u64) -> Result<Vec<Summary>, String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rate = Gamma::new(TRUTH_BG.r, 1.0 / TRUTH_BG.alpha).map_err(|e| e.to_string())?;
    let dropout = Beta::new(TRUTH_BG.a, TRUTH_BG.b).map_err(|e| e.to_string())?;
    let spend_rate = Gamma::new(TRUTH_GG.q, 1.0 / TRUTH_GG.v).map_err(|e| e.to_string())?;
    let mut customers = Vec::with_capacity(n);
    for _ in 0..n {
        let age: f64 = rng.gen_range(26.0..104.0);
        let lambda = rate.sample(&mut rng);
        let p = dropout.sample(&mut rng);
        let (mut t, mut x, mut t_x) = (0.0_f64, 0.0, 0.0);
        loop {
            t += -(1.0 - rng.gen::<f64>()).ln() / lambda;
            if t > age {
                break;
            }
            x += 1.0;
            t_x = t;
            // Dropout happens right after a repeat purchase (BG/NBD: not after the first).
            if rng.gen::<f64>() < p {
                break;
            }
        }
        let nu = spend_rate.sample(&mut rng);
        let per_purchase = Gamma::new(TRUTH_GG.p, 1.0 / nu).map_err(|e| e.to_string())?;
        let zbar = if x > 0.0 {
            (0..x as usize)
                .map(|_| per_purchase.sample(&mut rng))
                .sum::<f64>()
                / x
        } else {
            0.0
        };
        customers.push(Summary { x, t_x, age, zbar });
    }
    Ok(customers)
}
