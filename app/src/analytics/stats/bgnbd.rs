//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"):
//! while alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they
//! drop out with probability p ~ Beta(a, b).

use super::special::{hyp2f1, ln_gamma};
use super::{distinct, optimise::minimise, parallel_sum, Summary};
use serde::Serialize;

/// Fitted BG/NBD parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BgNbd {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Scale of the purchase-rate distribution (in the time unit of the data).
    pub alpha: f64,
    /// Dropout Beta a.
    pub a: f64,
    /// Dropout Beta b.
    pub b: f64,
}

impl BgNbd {
    /// Maximum-likelihood fit to `customers`.
    pub fn fit(customers: &[Summary]) -> Result<Self, String> {
        if customers.is_empty() {
            return Err("no customers to fit".to_string());
        }
        let (counts, count_of) = distinct(customers.iter().map(|c| c.x));
        let n = customers.len() as f64;
        let negative_mean_ll = |p: &[f64]| {
            let model = BgNbd {
                r: p[0],
                alpha: p[1],
                a: p[2],
                b: p[3],
            };
            let per_count: Vec<(f64, f64)> = counts
                .iter()
                .map(|&x| (model.count_term(x), model.dropout_term(x)))
                .collect();
            let ll = parallel_sum(customers.len(), |i| {
                let (count_term, dropout_term) = per_count[count_of[i] as usize];
                count_term + model.time_term(&customers[i], dropout_term)
            });
            -ll / n
        };
        let (p, _) = minimise(negative_mean_ll, &[1.0, 1.0, 1.0, 1.0])?;
        Ok(BgNbd {
            r: p[0],
            alpha: p[1],
            a: p[2],
            b: p[3],
        })
    }

    /// Log-likelihood of one customer's history.
    pub fn log_likelihood(&self, c: &Summary) -> f64 {
        self.count_term(c.x) + self.time_term(c, self.dropout_term(c.x))
    }

    /// The part of the log-likelihood that depends only on the repeat count x:
    /// ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b).
    fn count_term(&self, x: f64) -> f64 {
        let Self { r, alpha, a, b } = *self;
        ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + ln_gamma(a + b) + ln_gamma(b + x)
            - ln_gamma(b)
            - ln_gamma(a + b + x)
    }

    /// ln(a / (b + x − 1)): the weight of "dropped out after the last purchase" (x > 0).
    fn dropout_term(&self, x: f64) -> f64 {
        if x > 0.0 {
            self.a.ln() - (self.b + x - 1.0).ln()
        } else {
            f64::NEG_INFINITY
        }
    }

    /// ln[(α+T)^−(r+x) + δ(x>0) · a/(b+x−1) · (α+t_x)^−(r+x)], by log-sum-exp.
    fn time_term(&self, c: &Summary, dropout_term: f64) -> f64 {
        let power = self.r + c.x;
        let alive = -power * (self.alpha + c.age).ln();
        if c.x <= 0.0 {
            return alive;
        }
        let dropped = dropout_term - power * (self.alpha + c.t_x).ln();
        let top = alive.max(dropped);
        top + ((alive - top).exp() + (dropped - top).exp()).ln()
    }

    /// P(alive | x, t_x, T): the probability the customer has not dropped out. One with no
    /// repeat purchase is alive by the model's assumption (dropout happens after a purchase).
    pub fn p_alive(&self, c: &Summary) -> f64 {
        if c.x <= 0.0 {
            return 1.0;
        }
        let log_odds_dead = self.dropout_term(c.x)
            + (self.r + c.x) * ((self.alpha + c.age).ln() - (self.alpha + c.t_x).ln());
        1.0 / (1.0 + log_odds_dead.exp())
    }

    /// E[Y(t) | x, t_x, T]: expected purchases in the next `t` time units.
    pub fn expected_purchases(&self, t: f64, c: &Summary) -> Option<f64> {
        if t <= 0.0 {
            return Some(0.0);
        }
        let Self { r, alpha, a, b } = *self;
        let x = c.x;
        let z = t / (alpha + c.age + t);
        let f = hyp2f1(r + x, b + x, a + b + x - 1.0, z)?;
        let shrink = (r + x) * ((alpha + c.age).ln() - (alpha + c.age + t).ln());
        let value = (a + b + x - 1.0) / (a - 1.0) * (1.0 - shrink.exp() * f) * self.p_alive(c);
        value.is_finite().then_some(value.max(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parameters Fader, Hardie & Lee publish for the CDNOW sample.
    const PUBLISHED: BgNbd = BgNbd {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };

    fn customer(x: f64, t_x: f64, age: f64) -> Summary {
        Summary {
            x,
            t_x,
            age,
            zbar: 0.0,
        }
    }

    #[test]
    fn p_alive_by_hand() {
        // x = 2, t_x = 30.43, T = 38.86: a/(b+x−1) = 0.793/3.426 = 0.231465;
        // ((α+T)/(α+t_x))^(r+x) = (43.274/34.844)^2.243 = 1.62579; 1/(1 + 0.37631) = 0.72658.
        let p = PUBLISHED.p_alive(&customer(2.0, 30.43, 38.86));
        assert!((p - 0.72658).abs() < 5e-5, "{p}");
        // Without repeat purchases the model assumes the customer is alive.
        assert_eq!(PUBLISHED.p_alive(&customer(0.0, 0.0, 38.86)), 1.0);
        // The longer since the last purchase, the lower.
        assert!(PUBLISHED.p_alive(&customer(2.0, 5.0, 38.86)) < p);
    }

    #[test]
    fn expected_purchases_matches_the_published_worked_example() {
        // Fader & Hardie's note on E[Y(t)|x,t_x,T]: 1.226 purchases in the next 39 weeks.
        let e = PUBLISHED
            .expected_purchases(39.0, &customer(2.0, 30.43, 38.86))
            .expect("defined");
        assert!((e - 1.226).abs() < 5e-4, "{e}");
        assert_eq!(
            PUBLISHED.expected_purchases(0.0, &customer(2.0, 30.43, 38.86)),
            Some(0.0)
        );
    }

    #[test]
    fn expected_purchases_grow_with_the_horizon_and_with_activity() {
        let c = customer(5.0, 35.0, 38.0);
        let near = PUBLISHED.expected_purchases(4.0, &c).expect("defined");
        let far = PUBLISHED.expected_purchases(52.0, &c).expect("defined");
        assert!(0.0 < near && near < far, "{near} {far}");
        let quiet = PUBLISHED
            .expected_purchases(52.0, &customer(0.0, 0.0, 38.0))
            .expect("defined");
        assert!(quiet < far);
    }

    #[test]
    fn log_likelihood_of_a_one_off_buyer_by_hand() {
        // x = 0: ln Γ(r) − ln Γ(r) + r ln α − r ln(α+T) + ln B(a,b) − ln B(a,b) = r ln(α/(α+T)).
        let ll = PUBLISHED.log_likelihood(&customer(0.0, 0.0, 10.0));
        let by_hand = 0.243 * (4.414_f64 / 14.414).ln();
        assert!((ll - by_hand).abs() < 1e-12, "{ll} {by_hand}");
    }
}
