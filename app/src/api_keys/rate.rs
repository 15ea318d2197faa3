//! The request rate of publishable keys: each key has its own allowance (a burst of a
//! minute's worth, refilled evenly), kept in this server process. A browser key sits in every
//! visitor's page, so this is what stops one page (or someone who copied the key) from
//! flooding ingest.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

type Limiters = Mutex<HashMap<(String, i64), Arc<DefaultDirectRateLimiter>>>;

/// Takes one request from key `id`'s allowance of `per_minute`, or says how long to wait.
pub fn take(id: &str, per_minute: i64) -> Result<(), Duration> {
    static LIMITERS: OnceLock<Limiters> = OnceLock::new();
    let limiter = {
        let mut limiters = LIMITERS
            .get_or_init(Limiters::default)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        limiters
            .entry((id.to_string(), per_minute))
            .or_insert_with(|| {
                let rate = u32::try_from(per_minute)
                    .ok()
                    .and_then(NonZeroU32::new)
                    .unwrap_or(NonZeroU32::MIN);
                Arc::new(RateLimiter::direct(Quota::per_minute(rate)))
            })
            .clone()
    };
    limiter.check().map_err(|not_until| {
        not_until.wait_time_from(governor::clock::Clock::now(
            &governor::clock::DefaultClock::default(),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::take;

    #[test]
    fn a_key_gets_a_minute_of_requests_then_waits() {
        let id = uuid::Uuid::now_v7().to_string();
        for _ in 0..3 {
            assert!(take(&id, 3).is_ok());
        }
        let wait = take(&id, 3).expect_err("the fourth request of three a minute waits");
        assert!(
            wait.as_secs() <= 20,
            "refills one every 20 s, waited {wait:?}"
        );
        assert!(
            take("another key", 3).is_ok(),
            "keys do not share allowances"
        );
    }
}
