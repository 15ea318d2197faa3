//! The statistics behind customer analytics, in Rust: the BG/NBD model of repeat purchasing
//! and dropout, the Gamma-Gamma model of spend per purchase, their maximum-likelihood fits and
//! the discounted customer lifetime value built from both.

mod bgnbd;
#[cfg(test)]
mod cdnow_check;
mod clv;
mod gamma_gamma;
mod optimise;
mod special;

pub use bgnbd::BgNbd;
pub use clv::{percentile_ranks, score, Score, ScoringPlan, WEEKS_PER_MONTH};
pub use gamma_gamma::GammaGamma;
pub use special::hyp2f1;

/// One customer's purchase history as the models see it; time in weeks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Repeat purchases: purchases after the first.
    pub x: f64,
    /// Time of the last purchase, counted from the first (0 without repeat purchases).
    pub t_x: f64,
    /// Age: time from the first purchase to the end of the observation.
    pub age: f64,
    /// Average spend of the repeat purchases (0 without repeat purchases).
    pub zbar: f64,
}

/// Σ f(i) over 0..len, split across the machine's cores when the work is large enough to pay
/// for the threads.
pub(crate) fn parallel_sum(len: usize, f: impl Fn(usize) -> f64 + Sync) -> f64 {
    const WORTH_A_THREAD: usize = 20_000;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || len < 2 * WORTH_A_THREAD {
        return (0..len).map(&f).sum();
    }
    let chunk = len.div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let f = &f;
                scope.spawn(move || (t * chunk..((t + 1) * chunk).min(len)).map(f).sum::<f64>())
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(f64::NAN))
            .sum()
    })
}

/// `f` over every item of `items`, in order, split across the machine's cores.
pub fn parallel_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 10_000 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let f = &f;
                scope.spawn(move || part.iter().map(f).collect::<Vec<U>>())
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for handle in handles {
            match handle.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}

/// The distinct values of `values` (compared exactly) and, for each value, its index there:
/// terms that depend only on the purchase count are computed once per count.
pub(crate) fn distinct(values: impl Iterator<Item = f64>) -> (Vec<f64>, Vec<u32>) {
    let mut index = std::collections::HashMap::<u64, u32>::new();
    let mut levels = Vec::new();
    let positions = values
        .map(|v| {
            *index.entry(v.to_bits()).or_insert_with(|| {
                levels.push(v);
                (levels.len() - 1) as u32
            })
        })
        .collect();
    (levels, positions)
}
