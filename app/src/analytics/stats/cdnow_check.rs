//! The fits against the parameters Fader, Hardie & Lee publish for the CDNOW sample
//! (2,357 customers, 39-week calibration period).

use super::{BgNbd, GammaGamma, Summary};

const CDNOW: &str =
    include_str!("../../../tests/data/cdnow_customers_summary_with_transactions.csv");

fn cdnow() -> Vec<Summary> {
    CDNOW
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<f64> = line
                .split(',')
                .map(|v| v.trim().parse().expect("a number"))
                .collect();
            Summary {
                x: f[1],
                t_x: f[2],
                age: f[3],
                zbar: f[4],
            }
        })
        .collect()
}

/// `actual` rounds to `published` at three significant figures.
fn same_to_3_significant_figures(actual: f64, published: f64) {
    let scale = 10_f64.powi(2 - published.abs().log10().floor() as i32);
    assert_eq!(
        (actual * scale).round(),
        (published * scale).round(),
        "fitted {actual} does not round to the published {published}"
    );
}

#[test]
fn bgnbd_fit_reproduces_the_published_parameters() {
    let customers = cdnow();
    assert_eq!(customers.len(), 2357);
    let fit = BgNbd::fit(&customers).expect("fits");
    same_to_3_significant_figures(fit.r, 0.243);
    same_to_3_significant_figures(fit.alpha, 4.414);
    same_to_3_significant_figures(fit.a, 0.793);
    same_to_3_significant_figures(fit.b, 2.426);
    // The published log-likelihood at the optimum.
    let ll: f64 = customers.iter().map(|c| fit.log_likelihood(c)).sum();
    assert!((ll - -9582.4).abs() < 0.1, "{ll}");
}

#[test]
fn gamma_gamma_fit_reproduces_the_published_parameters() {
    let fit = GammaGamma::fit(&cdnow()).expect("fits");
    same_to_3_significant_figures(fit.p, 6.25);
    same_to_3_significant_figures(fit.q, 3.74);
    same_to_3_significant_figures(fit.v, 15.44);
}
