//! The event rate of publishable keys: each key has its own allowance of events (a burst of a
//! minute's worth, refilled evenly), kept in this server process. Events are counted, not
//! requests, so a batch of a thousand costs a thousand. A browser key sits in every visitor's
//! page, so this is what stops one page (or someone who copied the key) from flooding ingest.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

type Limiters = Mutex<HashMap<(String, i64), Arc<DefaultDirectRateLimiter>>>;

/// Why a key's events were not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not now: the allowance refills enough after this long.
    Wait(Duration),
    /// Never: more events in one request than the key may send in a minute.
    OverMinute,
}

/// Takes `events` from key `id`'s allowance of `per_minute` events, or says why not.
pub fn take(id: &str, per_minute: i64, events: u32) -> Result<(), Refused> {
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
    let Some(events) = NonZeroU32::new(events) else {
        return Ok(());
    };
    match limiter.check_n(events) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(not_until)) => Err(Refused::Wait(not_until.wait_time_from(
            governor::clock::Clock::now(&governor::clock::DefaultClock::default()),
        ))),
        Err(_) => Err(Refused::OverMinute),
    }
}

#[cfg(test)]
mod tests {
    use super::{take, Refused};

    #[test]
    fn a_key_gets_a_minute_of_events_then_waits() {
        let id = uuid::Uuid::now_v7().to_string();
        assert!(take(&id, 3, 2).is_ok());
        assert!(take(&id, 3, 1).is_ok());
        let Err(Refused::Wait(wait)) = take(&id, 3, 1) else {
            panic!("the fourth event of three a minute waits");
        };
        assert!(
            wait.as_secs() <= 20,
            "refills one every 20 s, waited {wait:?}"
        );
        assert_eq!(
            take("another key", 3, 3),
            Ok(()),
            "keys do not share allowances"
        );
        assert_eq!(take("a third key", 3, 4), Err(Refused::OverMinute));
    }
}
