//! Opens the database named by a URL, tunes SQLite, and applies the migrations of its dialect.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::str::FromStr;
use std::time::Duration;

/// Where the embedded database lives unless `DATABASE_URL` says otherwise.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/customer-profiles.db";

/// Which SQL dialect the pool speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default: one file, WAL mode.
    Sqlite,
    /// The scale path.
    Postgres,
}

impl Backend {
    /// How a transaction that will write begins. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`, waiting up to the busy timeout): a transaction that reads first and
    /// writes later otherwise fails with "database is locked" (SQLITE_BUSY_SNAPSHOT, which no
    /// timeout cures) whenever another connection commits in between.
    pub fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// The dialect of an open connection (or of the transaction that derefs to it).
    pub fn of(connection: &sqlx::AnyConnection) -> Self {
        if connection.backend_name().eq_ignore_ascii_case("postgresql") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// The application's database: a pool plus the dialect it speaks. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    writer: AnyPool,
    backend: Backend,
    url: String,
    citus: bool,
    org: super::org_cache::OrgCache,
}

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://…`), creating the SQLite file and its
    /// folder when missing. Errors say what is wrong in one line.
    pub async fn connect(url: &str) -> Result<Self, String> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(format!(
                "unsupported DATABASE_URL {url:?}: use sqlite://PATH or postgres://USER@HOST/DB"
            ));
        };
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_file(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| format!("invalid DATABASE_URL: {e}"))?
            // Every statement at TRACE (`RUST_LOG=sqlx::query=trace`), which costs one level
            // check when off (the page-render tests count them); none as "slow".
            .log_statements(log::LevelFilter::Trace)
            .log_slow_statements(log::LevelFilter::Off, Duration::MAX);
        let open = |pool_options: AnyPoolOptions| {
            pool_options
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options.clone())
        };
        let failed = |e: sqlx::Error| format!("cannot open database: {e}");
        let (pool, writer) = match backend {
            // 8 MB of page cache per connection (64 MB for the pool): reads beyond it come from
            // the OS page cache, and the server stays under 200 MB RSS under load.
            Backend::Sqlite => {
                let pool = open(sqlite_pool(8, 8)).await.map_err(failed)?;
                // SQLite empties a connection's page cache whenever another connection wrote
                // in between, so batch writes go through one connection of their own whose
                // cache (32 MB: the event indexes' pages that batches keep changing) stays warm.
                let writer = open(sqlite_pool(1, WRITER_CACHE_MB))
                    .await
                    .map_err(failed)?;
                (pool, writer)
            }
            Backend::Postgres => {
                let pool = open(AnyPoolOptions::new().max_connections(16))
                    .await
                    .map_err(failed)?;
                let writer = pool.clone();
                (pool, writer)
            }
        };
        let citus = backend == Backend::Postgres
            && sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM pg_extension WHERE extname = 'citus'",
            )
            .fetch_one(&pool)
            .await
            .map_err(failed)?
                > 0;
        Ok(Self {
            pool,
            writer,
            backend,
            url,
            citus,
            org: Default::default(),
        })
    }

    /// Applies every pending migration of this dialect.
    pub async fn migrate(&self) -> Result<(), String> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("../migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("../migrations/postgres"),
        };
        let failed = |e: &dyn std::fmt::Display| format!("cannot migrate database: {e}");
        if self.backend == Backend::Postgres {
            migrator.run(&self.pool).await.map_err(|e| failed(&e))?;
            super::citus::distribute(&self.pool)
                .await
                .map_err(|e| format!("cannot distribute the tables on Citus: {e}"))?;
            return Ok(());
        }
        // A SQLite migration that changes a table's keys rebuilds it: creates the new table,
        // copies the rows, drops the old one. With foreign keys on, that drop would delete the
        // rows of every table that cascades from it, so the migrations run on a connection of
        // their own with foreign keys off (the pragma does nothing inside a transaction), and
        // a foreign-key check must then find nothing dangling.
        let mut connection = self.pool.acquire().await.map_err(|e| failed(&e))?.detach();
        connection
            .execute("PRAGMA foreign_keys = OFF")
            .await
            .map_err(|e| failed(&e))?;
        migrator
            .run_direct(&mut connection)
            .await
            .map_err(|e| failed(&e))?;
        let dangling = sqlx::query("PRAGMA foreign_key_check")
            .fetch_all(&mut connection)
            .await
            .map_err(|e| failed(&e))?;
        if let Some(row) = dangling.first() {
            let table: String = sqlx::Row::try_get(row, 0).map_err(|e| failed(&e))?;
            return Err(failed(&format!(
                "{} rows point at rows that do not exist (first in table {table})",
                dangling.len()
            )));
        }
        Ok(())
    }

    /// The URL it was opened with (after SQLite file preparation), for the few bulk reads
    /// that use the dialect's own driver: `sqlx::Any` copies every value of every row, which
    /// dominates scans of millions of rows.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The connection pool, for the `db.rs` files of each feature.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that will write, on the pool (see [`Backend::begin_write`]).
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        self.pool.begin_with(self.backend.begin_write()).await
    }

    /// Where batch writes (event ingest) run: on SQLite one connection with a large page
    /// cache, kept warm because no other connection's writes come between its own; on
    /// PostgreSQL the pool itself.
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// Sets the page cache of the writer connection on SQLite (nothing on PostgreSQL): an
    /// import raises it for its run, as its inserts touch every index of `customers`.
    pub async fn set_writer_cache_mb(&self, mb: u32) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            self.writer
                .execute(format!("PRAGMA cache_size = -{}", mb * 1024).as_str())
                .await?;
        }
        Ok(())
    }

    /// Whether this is a Citus cluster (PostgreSQL with the `citus` extension when opened),
    /// where a statement that locks rows must name one customer.
    pub fn is_citus(&self) -> bool {
        self.citus
    }

    /// The organisation-wide values (settings, event types, tier rules) read from this
    /// database and kept in memory.
    pub fn org_cache(&self) -> &super::org_cache::OrgCache {
        &self.org
    }

    /// Which dialect this database speaks.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A connection of its own for a bulk load, outside the pool. On SQLite it trades crash
    /// safety of the last transactions for speed (`synchronous = OFF`, a 1 GiB page cache):
    /// a load interrupted by a power cut is simply run again on an empty database.
    pub async fn bulk_load_connection(&self) -> Result<sqlx::AnyConnection, sqlx::Error> {
        let mut connection = self.pool.acquire().await?.detach();
        if self.backend == Backend::Sqlite {
            connection
                .execute("PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576;")
                .await?;
        }
        Ok(connection)
    }

    /// After a bulk load on PostgreSQL: sets the visibility map (so index-only scans stay
    /// index-only) and refreshes planner statistics. Nothing to do on SQLite.
    pub async fn after_bulk_load(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            self.pool
                .execute("VACUUM (ANALYZE) customers, events")
                .await?;
        }
        Ok(())
    }

    /// On SQLite, makes `connection` sort in temporary files (`temp_store = FILE`) while `on`,
    /// and in memory again after: building an index over millions of rows would otherwise hold
    /// the whole sort in memory. Nothing on PostgreSQL (`maintenance_work_mem` bounds its sorts).
    pub async fn sort_on_disk(
        &self,
        connection: &mut sqlx::AnyConnection,
        on: bool,
    ) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            let store = if on { "FILE" } else { "MEMORY" };
            connection
                .execute(format!("PRAGMA temp_store = {store}").as_str())
                .await?;
        }
        Ok(())
    }

    /// On SQLite, makes the transaction's connection zero whole pages it frees as well
    /// (`secure_delete = ON`) while `on`, and back to `FAST` after; nothing on PostgreSQL.
    pub async fn zero_freed_pages(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        on: bool,
    ) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            let mode = if on { "ON" } else { "FAST" };
            sqlx::query(&format!("PRAGMA secure_delete = {mode}"))
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// After a forget: on SQLite, copies the WAL into the database file and truncates it, so
    /// older page versions still holding the deleted rows leave the disk with it (the
    /// database pages themselves were zeroed by `secure_delete`). Returns whether the WAL was
    /// emptied (a long read elsewhere can keep it; the next checkpoint then finishes the job).
    /// On PostgreSQL there is nothing to do here: see SECURITY.md on dead tuples.
    pub async fn erase_deleted_from_disk(&self) -> Result<bool, sqlx::Error> {
        if self.backend != Backend::Sqlite {
            return Ok(true);
        }
        let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&self.writer)
            .await?;
        let busy: i64 = sqlx::Row::try_get(&row, 0)?;
        Ok(busy == 0)
    }

    /// Closes every connection (checkpointing SQLite's WAL).
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// The page cache of SQLite's writer connection, in MB.
pub const WRITER_CACHE_MB: u32 = 32;

/// A SQLite pool of `connections`, each with a `cache_mb` page cache, in WAL mode. The WAL
/// is checkpointed into the database at 256 MB (65,536 pages): pages the batches change again
/// and again are copied once per checkpoint instead of once per 64 MB. Deleted and overwritten
/// content is zeroed inside its pages (`secure_delete = FAST`: no extra I/O), so an email
/// before an edit does not linger in a page's free space; a forget zeroes freed pages too
/// ([`Db::zero_freed_pages`]), which costs I/O (`ON` everywhere more than halved ingest).
fn sqlite_pool(connections: u32, cache_mb: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(connections)
        // A connection to a local file does not go stale: no ping (a round trip to its worker
        // thread) before each statement, which cost as much as a short read itself.
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                conn.execute(
                    format!(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                         PRAGMA cache_size = -{}; PRAGMA temp_store = MEMORY; \
                         PRAGMA wal_autocheckpoint = 65536; PRAGMA secure_delete = FAST;",
                        cache_mb * 1024
                    )
                    .as_str(),
                )
                .await?;
                Ok(())
            })
        })
}

/// Makes sure the folder of a SQLite file exists and is writable, and asks SQLite to create
/// the file (`mode=rwc`).
fn prepare_sqlite_file(url: &str) -> Result<String, String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Ok(url.to_string());
    }
    let dir = std::path::Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create data directory {}: {e}", dir.display()))?;
    let probe = dir.join(".customer-profiles-write-test");
    std::fs::write(&probe, b"")
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| format!("data directory {} is not writable: {e}", dir.display()))?;
    let query = if query.contains("mode=") {
        query.to_string()
    } else if query.is_empty() {
        "mode=rwc".to_string()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// `values` (sorted) of `table`'s distribution column in the groups one statement may name:
/// on Citus one group per shard, in shard order — a statement naming one shard's values alone
/// is routed to that shard only (an `IN` list over many shards is sent whole to each), and
/// Citus takes row locks in no other — elsewhere runs of at most `most`. Every group keeps the
/// values' order, so concurrent batches lock customers in one order and queue instead of
/// deadlocking.
pub async fn shard_groups<'a>(
    conn: &mut sqlx::AnyConnection,
    table: &'static str,
    values: &[&'a str],
    citus: bool,
    most: usize,
) -> Result<Vec<Vec<&'a str>>, sqlx::Error> {
    if !citus {
        return Ok(values.chunks(most).map(<[&str]>::to_vec).collect());
    }
    let shard: std::collections::HashMap<String, i64> =
        super::citus::shards_of(conn, table, values)
            .await?
            .into_iter()
            .collect();
    let mut by_shard: std::collections::BTreeMap<i64, Vec<&'a str>> = Default::default();
    for value in values {
        let group = shard.get(*value).copied().unwrap_or_default();
        by_shard.entry(group).or_default().push(value);
    }
    Ok(by_shard
        .into_values()
        .flat_map(|group| group.chunks(most).map(<[&str]>::to_vec).collect::<Vec<_>>())
        .collect())
}

/// The placeholders of a multi-row `INSERT … VALUES` of `rows` rows of `columns` columns:
/// `($1,$2),($3,$4)` on PostgreSQL, `(?,?),(?,?)` on SQLite, where sqlx binds positional
/// parameters in linear time (numbered ones cost quadratic time in the parameter count).
pub fn values_placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push(',');
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&(row * columns + column + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// The placeholders of an `IN (…)` list of `count` values whose first is parameter number
/// `first` (1-based): `$3,$4` on PostgreSQL, `?,?` on SQLite (use one style per statement).
pub fn list_placeholders(backend: Backend, first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| match backend {
            Backend::Sqlite => "?".to_string(),
            Backend::Postgres => format!("${n}"),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Why the console is in maintenance, if it is. `Change::begin` reads it inside the
/// transaction that would write (on SQLite that transaction holds the write lock, so a move's
/// switch to maintenance cannot slip between this check and the write); the Shopify adapter
/// reads it from the pool, the banner through [`maintenance_cached`].
pub async fn maintenance<'c, E>(executor: E) -> Result<Option<String>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar("SELECT reason FROM maintenance WHERE id = 1")
        .fetch_optional(executor)
        .await
}

/// [`maintenance`] for the banner on every page: from the organisation cache, so a move that
/// starts is shown within [`super::org_cache::MAX_AGE`].
pub async fn maintenance_cached(db: &Db) -> Result<Option<String>, sqlx::Error> {
    struct Maintenance(Option<String>);
    let found = db
        .org_cache()
        .get(|| async { maintenance(db.pool()).await.map(Maintenance) })
        .await?;
    Ok(found.0.clone())
}

#[cfg(test)]
mod tests {
    use super::{list_placeholders, values_placeholders, Backend};

    #[test]
    fn placeholders_number_every_value_in_order() {
        assert_eq!(
            values_placeholders(Backend::Postgres, 2, 3),
            "($1,$2,$3),($4,$5,$6)"
        );
        assert_eq!(values_placeholders(Backend::Postgres, 1, 1), "($1)");
        assert_eq!(values_placeholders(Backend::Sqlite, 2, 2), "(?,?),(?,?)");
        assert_eq!(list_placeholders(Backend::Postgres, 3, 2), "$3,$4");
        assert_eq!(list_placeholders(Backend::Sqlite, 3, 2), "?,?");
    }
}
