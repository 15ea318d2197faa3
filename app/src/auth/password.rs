//! Argon2id password hashes, computed off the async executor, a few at a time: each check
//! holds 19 MiB, so a burst of sign-ins waits in a bounded queue and the rest get 429.

use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Hashes or checks that run at once (4 × 19 MiB at most).
pub const CONCURRENT_HASHES: usize = 4;
/// Hashes or checks that may wait for a slot; beyond that a request is refused with 429.
pub const QUEUED_HASHES: usize = 32;

static SLOTS: Semaphore = Semaphore::const_new(CONCURRENT_HASHES);
static WAITING: AtomicUsize = AtomicUsize::new(0);

/// Hashes `password` with Argon2id (OWASP parameters: 19 MiB, 2 passes) on a blocking thread.
pub async fn hash(password: String) -> Result<String, AppError> {
    let slot = slot().await?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        hash_now(&password)
    })
    .await
    .map_err(AppError::internal)?
}

/// A hashing slot: at once when one is free, after waiting in the queue otherwise, or
/// `RateLimited` when the queue is full.
async fn slot() -> Result<SemaphorePermit<'static>, AppError> {
    if let Ok(permit) = SLOTS.try_acquire() {
        return Ok(permit);
    }
    /// Leaves the queue however the wait ends (the request may be dropped mid-wait).
    struct Queued;
    impl Drop for Queued {
        fn drop(&mut self) {
            WAITING.fetch_sub(1, Ordering::AcqRel);
        }
    }
    let queued = Queued;
    if WAITING.fetch_add(1, Ordering::AcqRel) >= QUEUED_HASHES {
        return Err(AppError::RateLimited(
            "The console is busy signing in many people at once. Try again in a few seconds."
                .into(),
        ));
    }
    let permit = SLOTS.acquire().await.map_err(AppError::internal);
    drop(queued);
    permit
}

/// Whether `password` matches `stored` (a PHC string), on a blocking thread. With no stored
/// hash (unknown email) it still spends the same time, so timing does not reveal accounts.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    let slot = slot().await?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let (stored, real) = match stored {
            Some(stored) => (stored, true),
            None => (dummy_hash().to_string(), false),
        };
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(real && matches)
    })
    .await
    .map_err(AppError::internal)?
}

fn hash_now(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("no account has this password").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_of_checks_past_the_queue_is_refused_without_hashing() {
        let burst = CONCURRENT_HASHES + QUEUED_HASHES + 40;
        let checks: Vec<_> = (0..burst)
            .map(|_| tokio::spawn(verify("guess".into(), None)))
            .collect();
        let mut refused = 0;
        let mut checked = 0;
        for check in checks {
            match check.await {
                Ok(Ok(false)) => checked += 1,
                Ok(Err(AppError::RateLimited(_))) => refused += 1,
                other => panic!("unexpected outcome: {other:?}"),
            }
        }
        assert!(refused > 0, "some checks were refused");
        assert!(
            checked >= QUEUED_HASHES,
            "the slots and the queue were all served: {checked}"
        );
        assert_eq!(
            WAITING.load(Ordering::Acquire),
            0,
            "the queue is empty again"
        );
    }
}
