//! Argon2id password hashes, computed off the async executor, a few at a time: each check
//! holds 19 MiB, so a burst of sign-ins waits in a bounded queue and the rest get 429.
//!
//! The sign-in checks of one server pass its [`PasswordGate`], which sheds load fairly before
//! anything queues: a check that must wait is refused when its client address already has
//! [`PER_ADDRESS`] waiting or its email one, so a flood from a few addresses cannot fill the
//! queue. An email that signed in from the same address before (within [`KNOWN_FOR_MS`])
//! waits in a lane of its own, past a full queue: an anonymous flood of random emails cannot
//! keep a member of staff from being checked. A refusal for load is not a failed password (the
//! caller counts attempts only once it is admitted).

use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Checks that run at once (4 × 19 MiB at most).
pub const CONCURRENT_HASHES: usize = 4;
/// Checks that may wait for a slot; beyond that a sign-in is refused with 429.
pub const QUEUED_HASHES: usize = 32;
/// Checks one client address may have waiting at once.
pub const PER_ADDRESS: usize = 4;
/// Checks of known (address, email) pairs that may wait past a full queue.
pub const KNOWN_WAITING: usize = 8;
/// How long a successful sign-in makes its (address, email) pair known: 30 days.
pub const KNOWN_FOR_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// Known pairs remembered at most (the oldest are forgotten first).
const MAX_KNOWN: usize = 100_000;

/// Hashes of new passwords running at once (set by signed-in admins and users, not sign-ins).
static HASHING: Semaphore = Semaphore::const_new(2);

/// Hashes `password` with Argon2id (OWASP parameters: 19 MiB, 2 passes) on a blocking thread.
pub async fn hash(password: String) -> Result<String, AppError> {
    let slot = HASHING.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        hash_now(&password)
    })
    .await
    .map_err(AppError::internal)?
}

/// The password checks of one server: slots, the queue and its fairness, known sign-ins.
#[derive(Clone)]
pub struct PasswordGate(Arc<Gate>);

struct Gate {
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    waiting_known: AtomicUsize,
    /// Checks waiting per `address …` and `email …` key.
    waiting_by: Mutex<HashMap<String, usize>>,
    /// When each (address, email) pair last signed in.
    known: Mutex<HashMap<(String, String), i64>>,
}

impl Default for PasswordGate {
    fn default() -> Self {
        Self(Arc::new(Gate {
            slots: Arc::new(Semaphore::new(CONCURRENT_HASHES)),
            waiting: AtomicUsize::new(0),
            waiting_known: AtomicUsize::new(0),
            waiting_by: Mutex::default(),
            known: Mutex::default(),
        }))
    }
}

impl std::fmt::Debug for PasswordGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PasswordGate({} free)", self.0.slots.available_permits())
    }
}

/// A check's admission: a slot held until it is dropped.
pub struct Admission {
    _slot: OwnedSemaphorePermit,
}

/// One place in a count, left however the wait ends (the request may be dropped mid-wait).
struct Counted<'a>(&'a AtomicUsize);

impl<'a> Counted<'a> {
    fn enter(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::AcqRel);
        Self(counter)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A waiting check's place in its address's and email's counts.
struct Waiting<'a> {
    gate: &'a Gate,
    keys: [String; 2],
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut counts = lock(&self.gate.waiting_by);
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

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn busy() -> AppError {
    AppError::RateLimited(
        "The console is busy signing in many people at once. Try again in a few seconds.".into(),
    )
}

impl PasswordGate {
    /// Admits a check of `email_key`'s password from `address`: at once when a slot is free;
    /// otherwise after waiting in the queue (a known pair in its own lane), or `RateLimited`
    /// when the queue, the address's share or the email's is full.
    pub async fn admit(
        &self,
        address: &str,
        email_key: &str,
        now: i64,
    ) -> Result<Admission, AppError> {
        let gate = &*self.0;
        if let Ok(slot) = gate.slots.clone().try_acquire_owned() {
            return Ok(Admission { _slot: slot });
        }
        let known = self.is_known(address, email_key, now);
        let _place = self.take_place(address, email_key, known)?;
        let (counter, bound) = if known {
            (&gate.waiting_known, KNOWN_WAITING)
        } else {
            (&gate.waiting, QUEUED_HASHES)
        };
        let _queued = Counted::enter(counter);
        if counter.load(Ordering::Acquire) > bound {
            return Err(busy());
        }
        let slot = gate
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)?;
        Ok(Admission { _slot: slot })
    }

    /// A place among the waiting checks of `address` and `email_key`, or `RateLimited` when
    /// either has its share waiting (a known pair is held to its email's share only).
    fn take_place(
        &self,
        address: &str,
        email_key: &str,
        known: bool,
    ) -> Result<Waiting<'_>, AppError> {
        let by_address = format!("address {address}");
        let by_email = format!("email {email_key}");
        let mut counts = lock(&self.0.waiting_by);
        let count = |key: &String| counts.get(key).copied().unwrap_or(0);
        if (!known && count(&by_address) >= PER_ADDRESS) || count(&by_email) >= 1 {
            return Err(busy());
        }
        for key in [&by_address, &by_email] {
            *counts.entry(key.clone()).or_insert(0) += 1;
        }
        Ok(Waiting {
            gate: &self.0,
            keys: [by_address, by_email],
        })
    }

    /// Remembers that `email_key` signed in from `address` at `now`.
    pub fn remember_sign_in(&self, address: &str, email_key: &str, now: i64) {
        let mut known = lock(&self.0.known);
        if known.len() >= MAX_KNOWN {
            known.retain(|_, at| now - *at < KNOWN_FOR_MS);
            let oldest = known
                .iter()
                .min_by_key(|(_, at)| **at)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest.filter(|_| known.len() >= MAX_KNOWN) {
                known.remove(&oldest);
            }
        }
        known.insert((address.to_string(), email_key.to_string()), now);
    }

    /// Whether `email_key` signed in from `address` within [`KNOWN_FOR_MS`] of `now`.
    fn is_known(&self, address: &str, email_key: &str, now: i64) -> bool {
        lock(&self.0.known)
            .get(&(address.to_string(), email_key.to_string()))
            .is_some_and(|at| now - *at < KNOWN_FOR_MS)
    }
}

/// Whether `password` matches `stored` (a PHC string), on a blocking thread, in the slot of
/// `admission`. With no stored hash (unknown email) it still spends the same time, so timing
/// does not reveal accounts.
pub async fn verify(
    admission: Admission,
    password: String,
    stored: Option<String>,
) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let _admission = admission;
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
        let gate = PasswordGate::default();
        let burst = CONCURRENT_HASHES + QUEUED_HASHES + 40;
        let checks: Vec<_> = (0..burst)
            .map(|n| {
                let gate = gate.clone();
                tokio::spawn(async move {
                    // Many addresses and emails: only the queue's own bound applies.
                    let admitted = gate
                        .admit(
                            &format!("10.0.{}.{}", n / 250, n % 250),
                            &format!("{n}@x.test"),
                            0,
                        )
                        .await?;
                    verify(admitted, "guess".into(), None).await
                })
            })
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
            gate.0.waiting.load(Ordering::Acquire),
            0,
            "the queue is empty again"
        );
        assert!(
            lock(&gate.0.waiting_by).is_empty(),
            "no address or email is counted still"
        );
    }

    #[tokio::test]
    #[allow(clippy::unwrap_used)]
    async fn one_address_waits_for_its_share_and_a_known_pair_past_it() {
        let gate = PasswordGate::default();
        let held: Vec<_> = (0..CONCURRENT_HASHES)
            .map(|_| gate.0.slots.clone().try_acquire_owned().unwrap())
            .collect();
        let mut places = Vec::new();
        for n in 0..PER_ADDRESS {
            places.push(
                gate.take_place("10.0.0.1", &format!("{n}@x.test"), false)
                    .unwrap(),
            );
        }
        assert!(
            gate.take_place("10.0.0.1", "more@x.test", false).is_err(),
            "the address's share"
        );
        assert!(
            gate.take_place("10.0.0.2", "0@x.test", false).is_err(),
            "the email's share"
        );
        assert!(
            gate.take_place("10.0.0.2", "other@x.test", false).is_ok(),
            "another address"
        );
        gate.remember_sign_in("10.0.0.1", "staff@x.test", 0);
        assert!(gate.is_known("10.0.0.1", "staff@x.test", 1));
        assert!(
            !gate.is_known("10.0.0.3", "staff@x.test", 1),
            "known from that address only"
        );
        assert!(
            gate.take_place("10.0.0.1", "staff@x.test", true).is_ok(),
            "past the address's share"
        );
        drop((held, places));
    }
}
