//! Scoring a customer with both models, and percentile ranks across the base.

use super::{BgNbd, GammaGamma, Summary};
use serde::Serialize;

/// Weeks in a month, as the reference implementations count them.
pub const WEEKS_PER_MONTH: f64 = 4.345;

/// What to score beyond P(alive): the expected-purchases window and the CLV horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoringPlan {
    /// Expected purchases are counted over this many weeks.
    pub purchases_weeks: f64,
    /// CLV horizon in months.
    pub clv_months: u32,
    /// Discount rate per month, e.g. 0.01.
    pub monthly_discount: f64,
}

/// One customer's scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    /// Probability the customer is still active.
    pub p_alive: f64,
    /// Expected purchases over the plan's window.
    pub expected_purchases: f64,
    /// Expected spend per purchase.
    pub expected_spend: f64,
    /// Discounted lifetime value over the plan's horizon.
    pub clv: f64,
}

/// Scores customer `c`: P(alive), expected purchases, expected spend and the discounted CLV,
/// Σ over months i of (E[Y(i)] − E[Y(i−1)]) · E[M] / (1 + d)^i. `None` when a model is
/// undefined for these parameters.
pub fn score(bg: &BgNbd, gg: &GammaGamma, plan: &ScoringPlan, c: &Summary) -> Option<Score> {
    let expected_spend = gg.expected_spend(c)?;
    let mut clv = 0.0;
    let mut before = 0.0;
    for month in 1..=plan.clv_months {
        let cumulative = bg.expected_purchases(f64::from(month) * WEEKS_PER_MONTH, c)?;
        clv += (cumulative - before) * expected_spend
            / (1.0 + plan.monthly_discount).powi(month as i32);
        before = cumulative;
    }
    Some(Score {
        p_alive: bg.p_alive(c),
        expected_purchases: bg.expected_purchases(plan.purchases_weeks, c)?,
        expected_spend,
        clv,
    })
}

/// The percentile rank (0–100) of each value among all of them: the share below it plus half
/// the share equal to it.
pub fn percentile_ranks(values: &[f64]) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    values
        .iter()
        .map(|v| {
            let below = sorted.partition_point(|s| s < v);
            let up_to = sorted.partition_point(|s| s <= v);
            100.0 * (below as f64 + (up_to - below) as f64 / 2.0) / n
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BG: BgNbd = BgNbd {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };
    const GG: GammaGamma = GammaGamma {
        p: 6.25,
        q: 3.74,
        v: 15.44,
    };

    #[test]
    fn one_month_clv_by_hand() {
        // One month: E[Y(4.345)] · E[M] / 1.01.
        let c = Summary {
            x: 2.0,
            t_x: 30.43,
            age: 38.86,
            zbar: 22.35,
        };
        let plan = ScoringPlan {
            purchases_weeks: 52.0,
            clv_months: 1,
            monthly_discount: 0.01,
        };
        let s = score(&BG, &GG, &plan, &c).expect("defined");
        let e = BG.expected_purchases(4.345, &c).expect("defined");
        let m = GG.expected_spend(&c).expect("defined");
        assert!((s.clv - e * m / 1.01).abs() < 1e-12);
        assert!((s.expected_spend - 24.6637).abs() < 1e-3);
    }

    #[test]
    fn twelve_month_clv_is_the_discounted_sum_of_monthly_increments() {
        let c = Summary {
            x: 6.0,
            t_x: 36.0,
            age: 38.0,
            zbar: 40.0,
        };
        let plan = ScoringPlan {
            purchases_weeks: 52.0,
            clv_months: 12,
            monthly_discount: 0.01,
        };
        let s = score(&BG, &GG, &plan, &c).expect("defined");
        let m = GG.expected_spend(&c).expect("defined");
        let year = BG.expected_purchases(12.0 * 4.345, &c).expect("defined");
        // Discounting makes it less than the undiscounted value, by at most 1 − 1.01^−12.
        assert!(s.clv < year * m);
        assert!(s.clv > year * m / 1.01_f64.powi(12));
        let undiscounted = score(
            &BG,
            &GG,
            &ScoringPlan {
                monthly_discount: 0.0,
                ..plan
            },
            &c,
        )
        .expect("defined");
        assert!((undiscounted.clv - year * m).abs() < 1e-9);
    }

    #[test]
    fn percentile_ranks_count_ties_half() {
        let ranks = percentile_ranks(&[10.0, 20.0, 20.0, 40.0]);
        assert_eq!(ranks, vec![12.5, 50.0, 50.0, 87.5]);
    }
}
