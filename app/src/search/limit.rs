//! Searches per platform user are rate-limited: every search answers whether someone holding
//! an identifier exists, so guessing needs many queries, and a person at a desk needs few.

use crate::error::AppError;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;

/// Searches a user may run per minute unless the server is told otherwise (a burst of this
/// many, refilled evenly over the minute).
pub const DEFAULT_SEARCHES_PER_MINUTE: u32 = 60;

/// Per-user search allowance of this server process.
#[derive(Clone)]
pub struct SearchLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<String>>,
    per_minute: NonZeroU32,
}

impl SearchLimiter {
    /// A limiter allowing `per_minute` searches per user (at least one).
    pub fn per_minute(per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            per_minute,
        }
    }

    /// Takes one search from `user_id`'s allowance, or says how long to wait.
    pub fn check(&self, user_id: &str) -> Result<(), AppError> {
        self.limiter.check_key(&user_id.to_string()).map_err(|_| {
            tracing::warn!(user = user_id, "search rate limit reached");
            AppError::RateLimited(format!(
                "You have searched more than {} times in a minute. Wait a moment and search \
                 again.",
                self.per_minute
            ))
        })
    }
}

impl std::fmt::Debug for SearchLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchLimiter({} per minute)", self.per_minute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_past_the_allowance_is_refused_and_others_are_not() {
        let limiter = SearchLimiter::per_minute(3);
        for _ in 0..3 {
            assert!(limiter.check("agent").is_ok());
        }
        assert!(matches!(
            limiter.check("agent"),
            Err(AppError::RateLimited(_))
        ));
        assert!(limiter.check("associate").is_ok());
    }
}
