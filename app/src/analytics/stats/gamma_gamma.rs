//! The Gamma-Gamma model of spend (Fader, Hardie & Lee 2005, "RFM and CLV"): each purchase's
//! value is Gamma(p, ν) with ν ~ Gamma(q, γ) per customer, independent of purchase timing.

use super::special::ln_gamma;
use super::{distinct, optimise::minimise, parallel_sum, Summary};
use serde::Serialize;

/// Fitted Gamma-Gamma parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GammaGamma {
    /// Shape of the spend per purchase.
    pub p: f64,
    /// Shape of the customers' spend rates.
    pub q: f64,
    /// Scale of the customers' spend rates (γ in the paper).
    pub v: f64,
}

impl GammaGamma {
    /// Maximum-likelihood fit to the customers with repeat purchases and positive spend.
    pub fn fit(customers: &[Summary]) -> Result<Self, String> {
        let buyers: Vec<Summary> = customers
            .iter()
            .filter(|c| c.x > 0.0 && c.zbar > 0.0)
            .copied()
            .collect();
        if buyers.is_empty() {
            return Err("no customer has a repeat purchase with a positive amount".to_string());
        }
        let (counts, count_of) = distinct(buyers.iter().map(|c| c.x));
        let logs: Vec<(f64, f64)> = buyers.iter().map(|c| (c.x.ln(), c.zbar.ln())).collect();
        let n = buyers.len() as f64;
        let negative_mean_ll = |params: &[f64]| {
            let (p, q, v) = (params[0], params[1], params[2]);
            let per_count: Vec<f64> = counts
                .iter()
                .map(|&x| ln_gamma(p * x + q) - ln_gamma(p * x))
                .collect();
            let constant = q * v.ln() - ln_gamma(q);
            let ll = parallel_sum(buyers.len(), |i| {
                let c = &buyers[i];
                let (ln_x, ln_zbar) = logs[i];
                let px = p * c.x;
                per_count[count_of[i] as usize] + constant + (px - 1.0) * ln_zbar + px * ln_x
                    - (px + q) * (c.x * c.zbar + v).ln()
            });
            -ll / n
        };
        let (params, _) = minimise(negative_mean_ll, &[1.0, 1.0, 1.0])?;
        Ok(GammaGamma {
            p: params[0],
            q: params[1],
            v: params[2],
        })
    }

    /// E[M | x, z̄]: the expected spend per purchase, a weighted average of the population
    /// mean pγ/(q−1) and the customer's own average z̄; the population mean without repeat
    /// purchases. `None` when q ≤ 1 (the population mean is infinite).
    pub fn expected_spend(&self, c: &Summary) -> Option<f64> {
        let Self { p, q, v } = *self;
        if q <= 1.0 {
            return None;
        }
        if c.x <= 0.0 || c.zbar <= 0.0 {
            return Some(p * v / (q - 1.0));
        }
        Some(p * (v + c.x * c.zbar) / (p * c.x + q - 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED: GammaGamma = GammaGamma {
        p: 6.25,
        q: 3.74,
        v: 15.44,
    };

    #[test]
    fn expected_spend_by_hand() {
        // x = 2, z̄ = 22.35: 6.25 × (15.44 + 44.70) / (12.5 + 2.74) = 375.875 / 15.24 = 24.6637.
        let c = Summary {
            x: 2.0,
            t_x: 30.43,
            age: 38.86,
            zbar: 22.35,
        };
        let m = PUBLISHED.expected_spend(&c).expect("q > 1");
        assert!((m - 24.6637).abs() < 1e-3, "{m}");
        // No repeat purchase: the population mean 6.25 × 15.44 / 2.74 = 35.219.
        let none = PUBLISHED
            .expected_spend(&Summary {
                x: 0.0,
                zbar: 0.0,
                ..c
            })
            .expect("q > 1");
        assert!((none - 35.219).abs() < 1e-3, "{none}");
        // Infinite population mean: no answer rather than a wrong one.
        let heavy = GammaGamma {
            q: 0.9,
            ..PUBLISHED
        };
        assert_eq!(heavy.expected_spend(&c), None);
    }
}
