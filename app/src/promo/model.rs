//! Promo codes as the Promo Codes sub-tab shows them, and the lockout rule.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// Failed claims within [`LOCKOUT_WINDOW_MS`] that lock a customer out of claiming.
pub const LOCKOUT_AFTER_FAILURES: usize = 5;
/// The window the failed claims are counted in: one hour.
pub const LOCKOUT_WINDOW_MS: i64 = 60 * 60 * 1000;
/// How long a lockout lasts from the failure that caused it: 24 hours.
pub const LOCKOUT_MS: i64 = 24 * 60 * 60 * 1000;

/// A code of the programme and the limits on claiming it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromoCode {
    /// The code.
    pub code: String,
    /// What it gives.
    pub description: String,
    /// One claim per customer, ever.
    pub one_time: bool,
    /// Claims per customer.
    pub per_customer_cap: Option<i64>,
    /// Claims per customer per day.
    pub per_day_cap: Option<i64>,
    /// Claimable from.
    pub valid_from: Option<EpochMillis>,
    /// Claimable until.
    pub valid_until: Option<EpochMillis>,
    /// Time of day it may be claimed, `HH:MM-HH:MM` UTC.
    pub claim_hours: Option<String>,
}

/// A claimed code with the customer's use of its limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The code.
    pub code: String,
    /// When.
    pub claimed_at: EpochMillis,
    /// The catalogue entry, when the code is known.
    pub promo: Option<PromoCode>,
    /// Claims of this code by the customer so far.
    pub claims_of_code: i64,
    /// The limits the customer has reached with it, in words.
    pub limits_hit: Vec<String>,
}

/// A failed claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimError {
    /// The code tried.
    pub code: String,
    /// When.
    pub at: EpochMillis,
    /// Why it failed.
    pub reason: String,
}

/// Whether the customer may claim codes now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Lockout {
    /// Locked until then (in the future), if locked.
    pub locked_until: Option<EpochMillis>,
    /// When the lock began.
    pub locked_at: Option<EpochMillis>,
    /// Failed claims counted towards a lock now.
    pub recent_failures: usize,
}

/// Everything on the Promo Codes sub-tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromoOverview {
    /// Lockout state.
    pub lockout: Lockout,
    /// The last reset by an agent: when and by whom.
    pub last_reset: Option<(EpochMillis, String)>,
    /// Claimed codes, newest first.
    pub claims: Vec<Claim>,
    /// Failed claims, newest first.
    pub errors: Vec<ClaimError>,
}

/// The lockout that `failures` (times, ascending, all after the last reset) give at `now`:
/// [`LOCKOUT_AFTER_FAILURES`] within [`LOCKOUT_WINDOW_MS`] lock for [`LOCKOUT_MS`]; failures
/// while locked do not count towards the next lock.
pub fn lockout(failures: &[EpochMillis], now: EpochMillis) -> Lockout {
    let mut window: Vec<EpochMillis> = Vec::new();
    let mut state = Lockout::default();
    for &at in failures.iter().filter(|&&at| at <= now) {
        if state.locked_until.is_some_and(|until| at < until) {
            continue;
        }
        window.retain(|&t| at - t < LOCKOUT_WINDOW_MS);
        window.push(at);
        if window.len() >= LOCKOUT_AFTER_FAILURES {
            state.locked_at = Some(at);
            state.locked_until = Some(at + LOCKOUT_MS);
            window.clear();
        }
    }
    if state.locked_until.is_some_and(|until| until <= now) {
        state.locked_until = None;
        state.locked_at = None;
    }
    window.retain(|&t| now - t < LOCKOUT_WINDOW_MS);
    state.recent_failures = window.len();
    state
}

/// The limits of `promo` that `claims` (this customer's claim times of it, any order) have
/// reached at `now`, in words.
pub fn limits_hit(promo: &PromoCode, claims: &[EpochMillis], now: EpochMillis) -> Vec<String> {
    let mut hit = Vec::new();
    let total = claims.len() as i64;
    if promo.one_time && total >= 1 {
        hit.push("one-time code used".to_string());
    }
    if let Some(cap) = promo
        .per_customer_cap
        .filter(|&cap| total >= cap && !promo.one_time)
    {
        hit.push(format!("per-customer cap of {cap} reached"));
    }
    let day = now.div_euclid(86_400_000);
    let today = claims
        .iter()
        .filter(|t| t.div_euclid(86_400_000) == day)
        .count() as i64;
    if let Some(cap) = promo.per_day_cap.filter(|&cap| today >= cap) {
        hit.push(format!("daily cap of {cap} reached today"));
    }
    if promo.valid_until.is_some_and(|until| now > until) {
        hit.push("claim period over".to_string());
    }
    hit
}

/// The limits of `promo` in words: "one-time · up to 3 per customer · 1 a day · 07:00-11:00".
pub fn describe_limits(promo: &PromoCode) -> String {
    let mut parts = Vec::new();
    if promo.one_time {
        parts.push("one-time".to_string());
    }
    if let Some(cap) = promo.per_customer_cap.filter(|_| !promo.one_time) {
        parts.push(format!("up to {cap} per customer"));
    }
    if let Some(cap) = promo.per_day_cap {
        parts.push(format!("{cap} a day"));
    }
    match (promo.valid_from, promo.valid_until) {
        (Some(from), Some(until)) => parts.push(format!(
            "{} to {}",
            crate::time::format_date(from),
            crate::time::format_date(until)
        )),
        (None, Some(until)) => parts.push(format!("until {}", crate::time::format_date(until))),
        (Some(from), None) => parts.push(format!("from {}", crate::time::format_date(from))),
        (None, None) => {}
    }
    if let Some(hours) = &promo.claim_hours {
        parts.push(format!("{hours} UTC"));
    }
    if parts.is_empty() {
        "no limits".to_string()
    } else {
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000;
    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn five_failures_within_an_hour_lock_for_a_day() {
        let failures: Vec<i64> = (0..5).map(|i| NOW - 50 * MIN + i * 10 * MIN).collect();
        let state = lockout(&failures, NOW);
        assert_eq!(state.locked_at, Some(NOW - 10 * MIN));
        assert_eq!(state.locked_until, Some(NOW - 10 * MIN + LOCKOUT_MS));
        assert_eq!(
            state.recent_failures, 0,
            "the window starts over after a lock"
        );
    }

    #[test]
    fn failures_spread_over_more_than_an_hour_do_not_lock() {
        let failures: Vec<i64> = (0..5).map(|i| NOW - 100 * MIN + i * 20 * MIN).collect();
        let state = lockout(&failures, NOW);
        assert_eq!(state.locked_until, None);
        // Counted towards a lock now: the two of the last hour (40 and 20 minutes ago).
        assert_eq!(state.recent_failures, 2);
    }

    #[test]
    fn a_lock_ends_after_a_day_and_failures_while_locked_do_not_count() {
        let start = NOW - LOCKOUT_MS - 30 * MIN;
        let mut failures: Vec<i64> = (0..5).map(|i| start + i * MIN).collect();
        failures.extend((0..4).map(|i| start + 10 * MIN + i * MIN));
        let state = lockout(&failures, NOW);
        assert_eq!(state.locked_until, None, "expired");
        assert_eq!(state.recent_failures, 0);
    }

    #[test]
    fn limits_in_words() {
        let promo = PromoCode {
            code: "SPRING24".into(),
            description: String::new(),
            one_time: false,
            per_customer_cap: Some(3),
            per_day_cap: Some(1),
            valid_from: None,
            valid_until: Some(NOW - 1),
            claim_hours: Some("07:00-11:00".into()),
        };
        assert_eq!(
            limits_hit(
                &promo,
                &[NOW - 2 * 86_400_000, NOW - 86_400_000, NOW - MIN],
                NOW
            ),
            vec![
                "per-customer cap of 3 reached".to_string(),
                "daily cap of 1 reached today".to_string(),
                "claim period over".to_string(),
            ]
        );
        assert!(describe_limits(&promo).starts_with("up to 3 per customer · 1 a day · until "));
        let one_time = PromoCode {
            one_time: true,
            per_customer_cap: Some(1),
            per_day_cap: None,
            valid_until: None,
            claim_hours: None,
            ..promo
        };
        assert_eq!(
            limits_hit(&one_time, &[NOW - MIN], NOW),
            vec!["one-time code used".to_string()]
        );
        assert_eq!(describe_limits(&one_time), "one-time");
    }
}
