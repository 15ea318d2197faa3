//! Organisation-wide rows that every page and every ingest batch reads — the settings, the
//! event-type registry, the tier rules, the declared attributes, the note reasons, the last
//! analytics refresh, the maintenance flag — kept in memory instead of read again each time.
//!
//! A value is used while nothing of the kind has been written since it was read and it is
//! younger than [`MAX_AGE`] (which bounds how late another server on the same database, or
//! another process such as the command line, is seen). The writes of those rows call
//! [`written`]; a [`crate::change::Change`] that made such a write calls it again after its
//! commit, so a value read between the write and the commit (the old one) is not kept.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a value read from the database is used at most.
pub const MAX_AGE: Duration = Duration::from_secs(2);

/// Writes of organisation-wide rows made by this process, in all.
static WRITES: AtomicU64 = AtomicU64::new(0);

/// Marks every cached value as out of date: call it after writing any of the rows above.
pub fn written() {
    WRITES.fetch_add(1, Ordering::SeqCst);
}

/// The count of such writes so far, to compare before and after a transaction.
pub fn writes() -> u64 {
    WRITES.load(Ordering::SeqCst)
}

/// A cached value, with the write count when it was read.
struct Entry {
    writes: u64,
    read_at: Instant,
    value: Arc<dyn Any + Send + Sync>,
}

/// One database's cached organisation-wide values, one per type. Cheap to clone (shared).
#[derive(Clone)]
pub struct OrgCache {
    entries: Arc<Mutex<HashMap<TypeId, Entry>>>,
    writes: &'static AtomicU64,
}

impl Default for OrgCache {
    fn default() -> Self {
        Self {
            entries: Arc::default(),
            writes: &WRITES,
        }
    }
}

impl std::fmt::Debug for OrgCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OrgCache")
    }
}

impl OrgCache {
    /// The cached `T`, or `load`'s answer (kept when no write happened while it ran).
    pub async fn get<T, E, F>(&self, load: impl FnOnce() -> F) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        let before = self.writes.load(Ordering::SeqCst);
        if let Some(value) = self.fresh::<T>(before) {
            return Ok(value);
        }
        let value = Arc::new(load().await?);
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.insert(
            TypeId::of::<T>(),
            Entry {
                writes: before,
                read_at: Instant::now(),
                value: value.clone(),
            },
        );
        Ok(value)
    }

    /// The cached `T` when it was read after the last write and is young enough.
    fn fresh<T: Send + Sync + 'static>(&self, writes_now: u64) -> Option<Arc<T>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get(&TypeId::of::<T>())?;
        if entry.writes != writes_now || entry.read_at.elapsed() > MAX_AGE {
            return None;
        }
        entry.value.clone().downcast::<T>().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cache counting writes of its own (other tests write settings meanwhile).
    fn cache(writes: &'static AtomicU64) -> OrgCache {
        OrgCache {
            entries: Arc::default(),
            writes,
        }
    }

    #[tokio::test]
    async fn a_value_is_read_once_until_a_write() {
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let cache = cache(&WRITES);
        let reads = AtomicU64::new(0);
        let load = || async {
            reads.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(vec![1u8])
        };
        cache.get(load).await.ok();
        cache.get(load).await.ok();
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        WRITES.fetch_add(1, Ordering::SeqCst);
        assert_eq!(*cache.get(load).await.unwrap_or_default(), vec![1u8]);
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_write_during_the_read_keeps_the_value_out_of_the_cache() {
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let cache = cache(&WRITES);
        let reads = AtomicU64::new(0);
        let racing = || async {
            reads.fetch_add(1, Ordering::SeqCst);
            WRITES.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(7u32)
        };
        cache.get(racing).await.ok();
        cache.get(|| async { Ok::<_, ()>(8u32) }).await.ok();
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        assert_eq!(
            cache.get(|| async { Ok::<_, ()>(9u32) }).await,
            Ok(Arc::new(8))
        );
    }
}
