//! Special functions the models need: log-gamma and Gauss's hypergeometric function 2F1.

/// ln |Γ(x)| and the sign of Γ(x).
pub fn ln_gamma_signed(x: f64) -> (f64, f64) {
    let (value, sign) = libm::lgamma_r(x);
    (value, f64::from(sign))
}

/// ln Γ(x) for x > 0.
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// Below this |z| the power series is summed directly; above it the 1 − z connection formula
/// converges faster.
const SERIES_LIMIT: f64 = 0.9;
/// Terms the series may take before it is declared not to converge.
const MAX_TERMS: usize = 1_000_000;

/// Gauss's hypergeometric function ₂F₁(a, b; c; z) for real z < 1 and c not a non-positive
/// integer: the power series for |z| ≤ 0.9, Pfaff's transformation for z < 0, and the
/// connection formula to 1 − z for z near 1 (falling back to the series when c − a − b is
/// an integer, where that formula is singular). `None` when it does not converge.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if z.is_nan() || z >= 1.0 || (c <= 0.0 && c == c.floor()) {
        return None;
    }
    if z < 0.0 {
        // Pfaff: 2F1(a,b;c;z) = (1-z)^-a 2F1(a, c-b; c; z/(z-1)), argument in (0, 1).
        let w = z / (z - 1.0);
        return hyp2f1(a, c - b, c, w).map(|f| (1.0 - z).powf(-a) * f);
    }
    let gap = c - a - b;
    if z <= SERIES_LIMIT || (gap - gap.round()).abs() < 1e-9 {
        return series(a, b, c, z);
    }
    connection(a, b, c, z, gap)
}

/// The power series Σ (a)ₙ(b)ₙ/(c)ₙ zⁿ/n!, summed until a term no longer changes the sum.
fn series(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    let (mut term, mut sum) = (1.0_f64, 1.0_f64);
    for n in 0..MAX_TERMS {
        let n = n as f64;
        term *= (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        sum += term;
        if term == 0.0 || (term.abs() <= f64::EPSILON * sum.abs() && n > 2.0) {
            return sum.is_finite().then_some(sum);
        }
        if !sum.is_finite() {
            return None;
        }
    }
    None
}

/// Abramowitz & Stegun 15.3.6: the two series in 1 − z with their gamma-function weights,
/// the weights computed in log space with their signs.
fn connection(a: f64, b: f64, c: f64, z: f64, gap: f64) -> Option<f64> {
    let weight = |num: [f64; 2], den: [f64; 2]| {
        let (mut log, mut sign) = (0.0, 1.0);
        for x in num {
            let (l, s) = ln_gamma_signed(x);
            log += l;
            sign *= s;
        }
        for x in den {
            // 1/Γ at a pole is zero: that half of the formula vanishes.
            if x <= 0.0 && x == x.floor() {
                return 0.0;
            }
            let (l, s) = ln_gamma_signed(x);
            log -= l;
            sign *= s;
        }
        sign * log.exp()
    };
    let w = 1.0 - z;
    let first = weight([c, gap], [c - a, c - b]) * series(a, b, 1.0 - gap, w)?;
    let second = weight([c, -gap], [a, b]) * w.powf(gap) * series(c - a, c - b, gap + 1.0, w)?;
    let sum = first + second;
    sum.is_finite().then_some(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, rel: f64) {
        assert!(
            ((actual - expected) / expected).abs() < rel,
            "{actual} is not within {rel} of {expected}"
        );
    }

    #[test]
    fn log_series_closed_form_near_and_far_from_one() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z.
        for z in [0.1_f64, 0.5, 0.89, 0.91, 0.99, 0.9999] {
            let f = hyp2f1(1.0, 1.0, 2.0, z).expect("converges");
            close(f, -(1.0 - z).ln() / z, 1e-10);
        }
    }

    #[test]
    fn binomial_closed_form_with_non_integer_gap() {
        // 2F1(a, b; b; z) = (1 - z)^-a.
        for z in [-3.0, -0.5, 0.3, 0.95, 0.999] {
            let f = hyp2f1(0.7, 2.3, 2.3, z).expect("converges");
            close(f, (1.0_f64 - z).powf(-0.7), 1e-9);
        }
    }

    #[test]
    fn arcsine_closed_form() {
        // 2F1(1/2, 1/2; 3/2; x²) = arcsin(x) / x.
        for x in [0.2_f64, 0.8, 0.97, 0.9999] {
            let f = hyp2f1(0.5, 0.5, 1.5, x * x).expect("converges");
            close(f, x.asin() / x, 1e-9);
        }
    }

    #[test]
    fn bgnbd_shaped_arguments_agree_across_methods() {
        // The expectation of the BG/NBD model evaluates 2F1(r+x, b+x; a+b+x-1; z); the series
        // and the connection formula must agree where both converge.
        let (a, b, c) = (2.243, 4.426, 5.219);
        let z = 0.9 + 1e-12;
        let by_connection = hyp2f1(a, b, c, z).expect("converges");
        let by_series = series(a, b, c, z).expect("converges");
        close(by_connection, by_series, 1e-8);
    }

    #[test]
    fn refuses_outside_the_domain() {
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, 1.0), None);
        assert_eq!(hyp2f1(1.0, 1.0, -2.0, 0.5), None);
    }
}
