//! From purchase history to model input: each customer's summary (repeat purchases,
//! recency, age, average spend; weeks) and the RFM medians of the base.

use super::model::{Rfm, RfmWindow};
use super::stats::Summary;

const DAY_MS: f64 = 86_400_000.0;
const WEEK_MS: f64 = 7.0 * DAY_MS;

/// One purchase: when, and how much in minor units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Purchase {
    /// Epoch milliseconds.
    pub at: i64,
    /// Minor units.
    pub amount_cents: i64,
}

/// The model summary of `purchases` (any order, at least one) at `now`. Purchases on the same
/// UTC day count as one, as in the published CDNOW summaries; spend is in major units.
pub fn summarise(purchases: &[Purchase], now: i64) -> Summary {
    let mut days: Vec<(i64, i64, i64)> = Vec::new(); // (day, first time, amount)
    let mut sorted = purchases.to_vec();
    sorted.sort_by_key(|p| p.at);
    for p in sorted {
        let day = p.at.div_euclid(DAY_MS as i64);
        match days.last_mut() {
            Some(last) if last.0 == day => last.2 += p.amount_cents,
            _ => days.push((day, p.at, p.amount_cents)),
        }
    }
    let Some(&(_, first, _)) = days.first() else {
        return Summary {
            x: 0.0,
            t_x: 0.0,
            age: 0.0,
            zbar: 0.0,
        };
    };
    let last = days.last().map_or(first, |d| d.1);
    let repeats = &days[1..];
    let zbar = if repeats.is_empty() {
        0.0
    } else {
        repeats.iter().map(|d| d.2 as f64 / 100.0).sum::<f64>() / repeats.len() as f64
    };
    Summary {
        x: repeats.len() as f64,
        t_x: (last - first) as f64 / WEEK_MS,
        age: ((now - first) as f64 / WEEK_MS).max((last - first) as f64 / WEEK_MS),
        zbar: zbar.max(0.0),
    }
}

/// The RFM of `purchases` in `window` at `now`.
pub fn rfm(purchases: &[Purchase], window: RfmWindow, now: i64) -> Rfm {
    let since = window.days().map_or(i64::MIN, |d| now - d * DAY_MS as i64);
    let inside = purchases.iter().filter(|p| p.at >= since && p.at <= now);
    let mut out = Rfm::default();
    let mut last = None::<i64>;
    for p in inside {
        out.frequency += 1.0;
        out.monetary_cents += p.amount_cents as f64;
        last = Some(last.map_or(p.at, |l| l.max(p.at)));
    }
    out.recency_days = last.map(|t| (now - t) as f64 / DAY_MS);
    out
}

/// Collects every analysed customer's RFM per window to take the medians.
#[derive(Debug, Default)]
pub struct RfmBase {
    recency: [Vec<f64>; 3],
    frequency: [Vec<f64>; 3],
    monetary: [Vec<f64>; 3],
}

impl RfmBase {
    /// Adds a customer who has purchases.
    pub fn add(&mut self, purchases: &[Purchase], now: i64) {
        for (i, window) in RfmWindow::ALL.into_iter().enumerate() {
            let r = rfm(purchases, window, now);
            if let Some(days) = r.recency_days {
                self.recency[i].push(days);
                self.frequency[i].push(r.frequency);
                self.monetary[i].push(r.monetary_cents);
            }
        }
    }

    /// The medians per window over `base_size` customers, those without purchases in the
    /// window counting as zero frequency and spend; recency over those with one.
    pub fn medians(mut self, base_size: usize) -> Vec<Rfm> {
        (0..3)
            .map(|i| {
                let zeros = base_size.saturating_sub(self.frequency[i].len());
                Rfm {
                    recency_days: median(&mut self.recency[i], 0),
                    frequency: median(&mut self.frequency[i], zeros).unwrap_or(0.0),
                    monetary_cents: median(&mut self.monetary[i], zeros).unwrap_or(0.0),
                }
            })
            .collect()
    }
}

/// The median of `values` plus `zeros` more zeros (values ≥ 0); `None` when empty.
fn median(values: &mut [f64], zeros: usize) -> Option<f64> {
    let n = values.len() + zeros;
    if n == 0 {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let at = |k: usize| if k < zeros { 0.0 } else { values[k - zeros] };
    Some(if n % 2 == 1 {
        at(n / 2)
    } else {
        (at(n / 2 - 1) + at(n / 2)) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;
    const DAY: i64 = 86_400_000;

    fn bought(days_ago: i64, cents: i64) -> Purchase {
        Purchase {
            at: NOW - days_ago * DAY,
            amount_cents: cents,
        }
    }

    #[test]
    fn summary_counts_days_and_averages_repeat_spend() {
        // First purchase 70 days ago; repeats 35 days ago (two on that day) and 14 days ago.
        let history = [
            bought(14, 1_000),
            bought(70, 5_000),
            bought(35, 1_500),
            bought(35, 500),
        ];
        let s = summarise(&history, NOW);
        assert_eq!(s.x, 2.0);
        assert!((s.t_x - 8.0).abs() < 1e-9, "{}", s.t_x);
        assert!((s.age - 10.0).abs() < 1e-9, "{}", s.age);
        // Repeat days: 20.00 and 10.00.
        assert!((s.zbar - 15.0).abs() < 1e-9);
        let one_off = summarise(&[bought(7, 900)], NOW);
        assert_eq!((one_off.x, one_off.t_x, one_off.zbar), (0.0, 0.0, 0.0));
        assert!((one_off.age - 1.0).abs() < 1e-9);
    }

    #[test]
    fn rfm_per_window() {
        let history = [bought(2, 1_000), bought(20, 2_000), bought(200, 4_000)];
        let week = rfm(&history, RfmWindow::Week, NOW);
        assert_eq!((week.frequency, week.monetary_cents), (1.0, 1_000.0));
        assert!((week.recency_days.expect("bought") - 2.0).abs() < 1e-9);
        assert_eq!(rfm(&history, RfmWindow::Month, NOW).frequency, 2.0);
        assert_eq!(
            rfm(&history, RfmWindow::Lifetime, NOW).monetary_cents,
            7_000.0
        );
        assert_eq!(
            rfm(&[bought(40, 1)], RfmWindow::Month, NOW).recency_days,
            None
        );
    }

    #[test]
    fn medians_count_customers_without_purchases_as_zero() {
        let mut base = RfmBase::default();
        base.add(&[bought(1, 1_000)], NOW);
        base.add(&[bought(3, 3_000), bought(100, 1_000)], NOW);
        // Four customers in the base; two have no purchases at all.
        let medians = base.medians(4);
        let week = medians[0];
        assert_eq!(week.frequency, 0.5);
        assert_eq!(week.monetary_cents, 500.0);
        assert!((week.recency_days.expect("some bought") - 2.0).abs() < 1e-9);
        let lifetime = medians[2];
        assert_eq!(lifetime.frequency, 0.5);
        assert_eq!(lifetime.monetary_cents, 500.0);
    }
}
