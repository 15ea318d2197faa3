//! Argon2id password hashes, computed off the async executor, a few at a time: each check
//! holds 19 MiB, so a burst of sign-ins waits in a bounded queue and the rest get 429.
//!
//! Load is shed fairly before anything queues: each client address may have
//! [`PER_ADDRESS`] checks waiting or running and each email one, so a flood from a few
//! addresses cannot fill the queue. An email that signed in from the same address before
//! (within [`KNOWN_FOR_MS`]) waits in a lane of its own, past a full queue: an anonymous
//! flood of random emails cannot keep a member of staff from being checked. A refusal for load
//! is not a failed password (the caller counts attempts only once it holds a slot).

use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use tokio::sync::{Semaphore, SemaphorePermit};

/// Hashes or checks that run at once (4 × 19 MiB at most).
pub const CONCURRENT_HASHES: usize = 4;
/// Hashes or checks that may wait for a slot; beyond that a request is refused with 429.
pub const QUEUED_HASHES: usize = 32;

/// Checks one client address may have waiting or running at once.
pub const PER_ADDRESS: usize = 2;
/// Checks of known (address, email) pairs that may wait past a full queue.
pub const KNOWN_WAITING: usize = 8;
/// How long a successful sign-in makes its (address, email) pair known: 30 days.
pub const KNOWN_FOR_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// Known pairs remembered at most (the oldest are forgotten first).
const MAX_KNOWN: usize = 100_000;

static SLOTS: Semaphore = Semaphore::const_new(CONCURRENT_HASHES);
static WAITING: AtomicUsize = AtomicUsize::new(0);
static WAITING_KNOWN: AtomicUsize = AtomicUsize::new(0);

/// Hashes `password` with Argon2id (OWASP parameters: 19 MiB, 2 passes) on a blocking thread.
pub async fn hash(password: String) -> Result<String, AppError> {
    let slot = slot(false).await?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        hash_now(&password)
    })
    .await
    .map_err(AppError::internal)?
}

/// A hashing slot: at once when one is free, after waiting in the queue otherwise, or
/// `RateLimited` when the queue is full. A `known` pair waits in its own lane.
pub async fn slot(known: bool) -> Result<Slot, AppError> {
    if let Ok(permit) = SLOTS.try_acquire() {
        return Ok(Slot { _permit: permit });
    }
    let (waiting, bound) = if known {
        (&WAITING_KNOWN, KNOWN_WAITING)
    } else {
        (&WAITING, QUEUED_HASHES)
    };
    let _queued = Held::enter(waiting);
    if waiting.load(Ordering::Acquire) > bound {
        return Err(busy());
    }
    let permit = SLOTS.acquire().await.map_err(AppError::internal)?;
    Ok(Slot { _permit: permit })
}

/// A place in a queue, left however the wait ends (the request may be dropped mid-wait).
struct Held(&'static AtomicUsize);

impl Held {
    fn enter(counter: &'static AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::AcqRel);
        Self(counter)
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn busy() -> AppError {
    AppError::RateLimited(
        "The console is busy signing in many people at once. Try again in a few seconds.".into(),
    )
}

/// A held hashing slot.
pub struct Slot {
    _permit: SemaphorePermit<'static>,
}

/// A sign-in's turn: one of its address's [`PER_ADDRESS`] and its email's one check in hand,
/// given back when dropped.
pub struct Turn {
    keys: [String; 2],
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut counts = in_flight();
        for key in &self.keys {
            if let Some(count) = counts.get_mut(key) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(key);
                }
            }
        }
    }
}

fn in_flight() -> std::sync::MutexGuard<'static, HashMap<String, usize>> {
    static IN_FLIGHT: OnceLock<Mutex<HashMap<String, usize>>> = OnceLock::new();
    IN_FLIGHT
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A turn for a sign-in from `address` as `email_key`, or `RateLimited` (not a failed
/// password) when that address or email already has its share of checks in hand. A known
/// pair is held to its email's share only.
pub fn take_turn(address: &str, email_key: &str, known: bool) -> Result<Turn, AppError> {
    let by_address = format!("address {address}");
    let by_email = format!("email {email_key}");
    let mut counts = in_flight();
    let address_full = !known && counts.get(&by_address).copied().unwrap_or(0) >= PER_ADDRESS;
    if address_full || counts.get(&by_email).copied().unwrap_or(0) >= 1 {
        return Err(busy());
    }
    for key in [&by_address, &by_email] {
        *counts.entry(key.clone()).or_insert(0) += 1;
    }
    Ok(Turn {
        keys: [by_address, by_email],
    })
}

fn known_pairs() -> std::sync::MutexGuard<'static, HashMap<(String, String), i64>> {
    static KNOWN: OnceLock<Mutex<HashMap<(String, String), i64>>> = OnceLock::new();
    KNOWN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Remembers that `email_key` signed in from `address` at `now`.
pub fn remember_sign_in(address: &str, email_key: &str, now: i64) {
    let mut known = known_pairs();
    if known.len() >= MAX_KNOWN {
        known.retain(|_, at| now - *at < KNOWN_FOR_MS);
        if known.len() >= MAX_KNOWN {
            if let Some(oldest) = known
                .iter()
                .min_by_key(|(_, at)| **at)
                .map(|(k, _)| k.clone())
            {
                known.remove(&oldest);
            }
        }
    }
    known.insert((address.to_string(), email_key.to_string()), now);
}

/// Whether `email_key` signed in from `address` within [`KNOWN_FOR_MS`] of `now`.
pub fn is_known(address: &str, email_key: &str, now: i64) -> bool {
    known_pairs()
        .get(&(address.to_string(), email_key.to_string()))
        .is_some_and(|at| now - *at < KNOWN_FOR_MS)
}

/// Whether `password` matches `stored` (a PHC string), on a blocking thread. With no stored
/// hash (unknown email) it still spends the same time, so timing does not reveal accounts.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    let slot = slot(false).await?;
    verify_in(slot, password, stored).await
}

/// [`verify`] in a slot already held.
pub async fn verify_in(
    slot: Slot,
    password: String,
    stored: Option<String>,
) -> Result<bool, AppError> {
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
