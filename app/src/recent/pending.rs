//! Views noted in memory and written together a second after the first, so the table is
//! written at most once a second however many profiles are opened. On SQLite every write
//! empties the other connections' page caches: a write per view halved the profile page's
//! throughput under load (BENCHMARKS.md, "Recently viewed").

use super::db::View;
use crate::store::Db;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How long a view waits for others to be written with it.
const FLUSH_AFTER: Duration = Duration::from_secs(1);

/// The views not written yet. Cheap to clone; one per server.
#[derive(Debug, Clone, Default)]
pub struct RecentViews {
    pending: Arc<Mutex<Pending>>,
}

#[derive(Debug, Default)]
struct Pending {
    views: HashMap<(String, String), i64>,
    flush_scheduled: bool,
}

impl RecentViews {
    /// Notes that `user_id` opened `customer_id` now; it is written within [`FLUSH_AFTER`]
    /// (or sooner, by [`RecentViews::flush`]).
    pub fn note(&self, db: &Db, user_id: &str, customer_id: &str) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        pending.views.insert(
            (user_id.to_owned(), customer_id.to_owned()),
            crate::time::now_millis(),
        );
        if !pending.flush_scheduled {
            pending.flush_scheduled = true;
            let (views, db) = (self.clone(), db.clone());
            tokio::spawn(async move {
                tokio::time::sleep(FLUSH_AFTER).await;
                views.flush(&db).await;
            });
        }
    }

    /// Writes every view noted so far. A failure is logged: the list is a convenience, and
    /// the views it loses are those of one second.
    pub async fn flush(&self, db: &Db) {
        let views: Vec<View> = {
            let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            pending.flush_scheduled = false;
            pending.views.drain().collect()
        };
        if views.is_empty() {
            return;
        }
        if let Err(cause) = super::db::record(db, &views).await {
            tracing::warn!(%cause, views = views.len(), "recently viewed customers not recorded");
        }
    }
}
