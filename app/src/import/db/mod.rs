//! SQL for imports: the job rows, their progress (written in the same transaction as each
//! batch, so a resume starts exactly after the last batch that landed), the refused rows, and
//! the saved column mapping. An events import's kept events: [`staged`].

pub mod indexes;
pub mod staged;

use super::model::{
    ImportFormat, ImportJob, ImportKind, ImportStatus, Mapping, Resumed, RowProblem,
};
use crate::store::{values_placeholders, Backend, Db};
use sqlx::{Any, Executor, FromRow, Transaction};

/// The setting that holds the saved column mapping of customers files.
const MAPPING_SETTING: &str = "import.customer_mapping";

/// Rows per multi-row insert of refused rows (5 values each).
const INSERT_BATCH: usize = 500;

/// Most refused-row problems kept per import (the counts stay exact beyond it).
pub const MAX_KEPT_PROBLEMS: i64 = 100_000;

#[derive(FromRow)]
struct JobRow {
    id: String,
    kind: String,
    format: String,
    file_name: String,
    file_bytes: i64,
    mapping: String,
    dry_run: i64,
    status: String,
    message: Option<String>,
    rows_done: i64,
    bytes_done: i64,
    created: i64,
    updated: i64,
    unchanged: i64,
    rejected: i64,
    left_out: i64,
    encoding: Option<String>,
    created_by: String,
    created_at: i64,
    started_at: Option<i64>,
    progress_at: Option<i64>,
    finished_at: Option<i64>,
    stage: Option<String>,
    staged: i64,
    staged_done: i64,
    resumed_at: Option<i64>,
    resumed_rows: i64,
    resumed_share_ppm: i64,
}

impl JobRow {
    fn into_job(self) -> ImportJob {
        ImportJob {
            id: self.id,
            kind: ImportKind::parse(&self.kind).unwrap_or(ImportKind::Customers),
            format: ImportFormat::parse(&self.format).unwrap_or(ImportFormat::Csv),
            file_name: self.file_name,
            file_bytes: self.file_bytes,
            mapping: serde_json::from_str(&self.mapping).unwrap_or_default(),
            dry_run: self.dry_run != 0,
            status: ImportStatus::parse(&self.status).unwrap_or(ImportStatus::Stopped),
            message: self.message,
            rows_done: self.rows_done,
            bytes_done: self.bytes_done,
            created: self.created,
            updated: self.updated,
            unchanged: self.unchanged,
            rejected: self.rejected,
            left_out: self.left_out,
            encoding: self.encoding,
            created_by: self.created_by,
            created_at: self.created_at,
            started_at: self.started_at,
            progress_at: self.progress_at,
            finished_at: self.finished_at,
            storing: self.stage.as_deref() == Some(STORING),
            staged: self.staged,
            staged_done: self.staged_done,
            resumed: self.resumed_at.map(|at| Resumed {
                at,
                rows: self.resumed_rows,
                share_ppm: self.resumed_share_ppm,
            }),
        }
    }
}

const JOB_COLUMNS: &str = "id, kind, format, file_name, file_bytes, mapping, dry_run, status, \
     message, rows_done, bytes_done, created, updated, unchanged, rejected, left_out, \
     encoding, created_by, created_at, started_at, progress_at, finished_at, stage, staged, staged_done, \
     resumed_at, resumed_rows, resumed_share_ppm";

/// The stage of an events import storing the events it kept.
pub const STORING: &str = "storing";

/// A new import of `file_path` (kept by the server or named on the command line).
pub struct NewImport<'a> {
    /// Its id.
    pub id: &'a str,
    /// Customers or events.
    pub kind: ImportKind,
    /// CSV or NDJSON.
    pub format: ImportFormat,
    /// The name the user knows it by.
    pub file_name: &'a str,
    /// Where it is read from.
    pub file_path: &'a str,
    /// Its size in bytes.
    pub file_bytes: i64,
    /// Who brought it (display name).
    pub created_by: &'a str,
    /// When (epoch ms).
    pub created_at: i64,
    /// The encoding the file came in, when not UTF-8 (`file_path` is then a UTF-8 copy).
    pub encoding: Option<&'a str>,
}

/// Stores a new import, ready to run.
pub async fn insert(db: &Db, new: &NewImport<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO imports (id, kind, format, file_name, file_path, file_bytes, status, \
         created_by, created_at, encoding) VALUES ($1, $2, $3, $4, $5, $6, 'ready', $7, $8, $9)",
    )
    .bind(new.id)
    .bind(new.kind.as_str())
    .bind(new.format.as_str())
    .bind(new.file_name)
    .bind(new.file_path)
    .bind(new.file_bytes)
    .bind(new.created_by)
    .bind(new.created_at)
    .bind(new.encoding)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// One import, if there is one with this id.
pub async fn job(db: &Db, id: &str) -> Result<Option<ImportJob>, sqlx::Error> {
    let row: Option<JobRow> =
        sqlx::query_as(&format!("SELECT {JOB_COLUMNS} FROM imports WHERE id = $1"))
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(JobRow::into_job))
}

/// Where the server keeps an import's file.
pub async fn file_path(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT file_path FROM imports WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
}

/// Imports not running whose file is still named: (id, file path, last activity).
pub async fn kept_files(db: &Db) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, file_path, COALESCE(finished_at, progress_at, created_at) FROM imports \
         WHERE status IN ('ready', 'checked', 'stopped') AND file_path <> ''",
    )
    .fetch_all(db.pool())
    .await
}

/// Marks import `id` (while not running) as failed for `message`, its file no longer named;
/// whether it was (a run that started meanwhile keeps its file).
pub async fn give_up_file(db: &Db, id: &str, message: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE imports SET status = 'failed', message = $1, finished_at = $2, file_path = '' \
         WHERE id = $3 AND status IN ('ready', 'checked', 'stopped')",
    )
    .bind(message)
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The latest imports, newest first.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<ImportJob>, sqlx::Error> {
    let rows: Vec<JobRow> = sqlx::query_as(&format!(
        "SELECT {JOB_COLUMNS} FROM imports ORDER BY created_at DESC, id DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(JobRow::into_job).collect())
}

/// Sets an import's mapping while it is not running.
pub async fn set_mapping(db: &Db, id: &str, mapping: &Mapping) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE imports SET mapping = $1 WHERE id = $2 AND status NOT IN ('running', 'stopping')",
    )
    .bind(serde_json::to_string(mapping).unwrap_or_else(|_| "{}".into()))
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Claims an import for a run: `false` when it is running already (two clicks, two tabs) or
/// finished. A fresh run (`resume` `None`) starts from the top with zeroed counts and no
/// refused rows; a resume (`Some` of how far the import was, 0 to 1) keeps them, goes on after
/// `rows_done`, and notes where it went on from, for its pace.
pub async fn start(
    db: &Db,
    id: &str,
    dry_run: bool,
    resume: Option<f64>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sql = if resume.is_some() {
        "UPDATE imports SET status = 'running', message = NULL, progress_at = $1, \
         finished_at = NULL, resumed_at = $1, resumed_rows = rows_done, resumed_share_ppm = $4 \
         WHERE id = $2 AND dry_run = $3 AND status = 'stopped'"
    } else {
        "UPDATE imports SET status = 'running', message = NULL, dry_run = $3, rows_done = 0, \
         bytes_done = 0, created = 0, updated = 0, unchanged = 0, rejected = 0, left_out = 0, \
         stage = NULL, staged = 0, staged_done = 0, stored_through = NULL, started_at = $1, \
         progress_at = $1, finished_at = NULL, resumed_at = NULL, resumed_rows = 0, \
         resumed_share_ppm = $4 \
         WHERE id = $2 AND status IN ('ready', 'checked', 'failed', 'stopped')"
    };
    let share_ppm = (resume.unwrap_or(0.0) * 1_000_000.0) as i64;
    let claimed = sqlx::query(sql)
        .bind(now)
        .bind(id)
        .bind(i64::from(dry_run))
        .bind(share_ppm)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    if claimed && resume.is_none() {
        sqlx::query("DELETE FROM import_rejections WHERE import_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        staged::forget(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(claimed)
}

/// What one settled batch adds to an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Rows read, header not counted (the whole file's count so far).
    pub rows_done: i64,
    /// Where the next batch starts in the file.
    pub bytes_done: i64,
    /// Added in this batch.
    pub created: i64,
    /// Added in this batch.
    pub updated: i64,
    /// Added in this batch.
    pub unchanged: i64,
    /// Added in this batch.
    pub rejected: i64,
    /// Values left out of customers who came in, in this batch.
    pub left_out: i64,
    /// Events kept in this batch, to store in an events import's second step.
    pub staged: i64,
}

/// Records a settled batch with `executor` (the batch's own transaction, or the pool for a
/// dry run) and its refused rows (up to [`MAX_KEPT_PROBLEMS`]).
pub async fn record_batch(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    progress: &Progress,
    problems: &[RowProblem],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE imports SET rows_done = $1, bytes_done = $2, created = created + $3, \
         updated = updated + $4, unchanged = unchanged + $5, rejected = rejected + $6, \
         staged = staged + $7, progress_at = $8, left_out = left_out + $10 WHERE id = $9",
    )
    .bind(progress.rows_done)
    .bind(progress.bytes_done)
    .bind(progress.created)
    .bind(progress.updated)
    .bind(progress.unchanged)
    .bind(progress.rejected)
    .bind(progress.staged)
    .bind(now)
    .bind(id)
    .bind(progress.left_out)
    .execute(&mut **tx)
    .await?;
    add_problems(tx, id, problems).await
}

/// Records a stored range of an events import's kept events: `handled` more of them, the
/// last customer stored, the counts (`rows_done` and `bytes_done` unchanged) and the refused
/// rows, in the range's transaction.
pub async fn record_stored(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    progress: &Progress,
    handled: i64,
    through: &str,
    problems: &[RowProblem],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE imports SET created = created + $1, unchanged = unchanged + $2, \
         rejected = rejected + $3, staged_done = staged_done + $4, stored_through = $5, \
         progress_at = $6 WHERE id = $7",
    )
    .bind(progress.created)
    .bind(progress.unchanged)
    .bind(progress.rejected)
    .bind(handled)
    .bind(through)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    add_problems(tx, id, problems).await
}

/// Moves an events import to its second step (storing what it kept).
pub async fn start_storing(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE imports SET stage = $1 WHERE id = $2")
        .bind(STORING)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The last customer an events import's second step stored, if any.
pub async fn stored_through(db: &Db, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar::<_, Option<String>>("SELECT stored_through FROM imports WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .map(Option::flatten)
}

/// Keeps `problems` (up to [`MAX_KEPT_PROBLEMS`] an import).
async fn add_problems(
    tx: &mut Transaction<'static, Any>,
    id: &str,
    problems: &[RowProblem],
) -> Result<(), sqlx::Error> {
    if problems.is_empty() {
        return Ok(());
    }
    let kept: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM import_rejections WHERE import_id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
    let room = usize::try_from((MAX_KEPT_PROBLEMS - kept).max(0)).unwrap_or(0);
    let backend = Backend::of(tx);
    for (chunk_index, chunk) in problems[..problems.len().min(room)]
        .chunks(INSERT_BATCH)
        .enumerate()
    {
        let sql = format!(
            "INSERT INTO import_rejections \
             (import_id, row_number, position, field, message, left_out) \
             VALUES {} ON CONFLICT DO NOTHING",
            values_placeholders(backend, chunk.len(), 6)
        );
        let mut query = sqlx::query(&sql);
        for (index, problem) in chunk.iter().enumerate() {
            query = query
                .bind(id)
                .bind(problem.row)
                .bind((chunk_index * INSERT_BATCH + index) as i64)
                .bind(&problem.field)
                .bind(&problem.message)
                .bind(i64::from(problem.left_out));
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Ends a run: `status` with `message`; only while it is still this run's (not finished).
pub async fn finish(
    db: &Db,
    id: &str,
    status: ImportStatus,
    message: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE imports SET status = $1, message = $2, finished_at = $3 \
         WHERE id = $4 AND status IN ('running', 'stopping', 'ready')",
    )
    .bind(status.as_str())
    .bind(message)
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Asks a running import to stop after its batch in hand; whether it was running.
pub async fn request_stop(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE imports SET status = 'stopping' WHERE id = $1 AND status = 'running'")
            .bind(id)
            .execute(db.pool())
            .await?;
    Ok(done.rows_affected() == 1)
}

/// The status now (a run checks it between batches).
pub async fn status(db: &Db, id: &str) -> Result<Option<ImportStatus>, sqlx::Error> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM imports WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(status.as_deref().and_then(ImportStatus::parse))
}

/// Imports left running by a server that stopped: they can resume.
pub async fn mark_interrupted(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE imports SET status = 'stopped', finished_at = $1, \
         message = 'The server stopped during the import; resume it to go on.' \
         WHERE status IN ('running', 'stopping')",
    )
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// The refused rows' problems in file order, `limit` at most.
pub async fn rejections<'e, E>(
    executor: E,
    id: &str,
    limit: i64,
) -> Result<Vec<RowProblem>, sqlx::Error>
where
    E: Executor<'e, Database = Any>,
{
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT row_number, field, message, left_out FROM import_rejections \
         WHERE import_id = $1 \
         ORDER BY row_number, position LIMIT $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(row, field, message, left_out)| RowProblem {
            row,
            field,
            message,
            left_out: left_out != 0,
        })
        .collect())
}

/// The saved column mapping of customers files.
pub async fn saved_mapping(db: &Db) -> Result<Mapping, sqlx::Error> {
    let value = crate::settings::db::setting(db, MAPPING_SETTING).await?;
    Ok(value
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default())
}

/// Saves the column mapping for the next customers files.
pub async fn save_mapping(
    tx: &mut Transaction<'static, Any>,
    mapping: &Mapping,
) -> Result<(), sqlx::Error> {
    let value = serde_json::to_string(mapping).unwrap_or_else(|_| "{}".into());
    crate::settings::db::set_setting(&mut **tx, MAPPING_SETTING, &value).await
}

/// Which of `ids` are customers: `(id, id)` for each found.
pub async fn existing_customers(
    connection: &mut sqlx::AnyConnection,
    ids: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let sql = format!(
        "SELECT id FROM customers WHERE id IN ({})",
        crate::store::list_placeholders(Backend::of(&*connection), 1, ids.len())
    );
    let mut query = sqlx::query_scalar::<_, String>(&sql);
    for id in ids {
        query = query.bind(id);
    }
    let found = query.fetch_all(connection).await?;
    Ok(found.into_iter().map(|id| (id.clone(), id)).collect())
}

/// Which of customers `ids` were written (created or changed) at or after `since`.
pub async fn written_since(
    connection: &mut sqlx::AnyConnection,
    ids: &[String],
    since: i64,
) -> Result<Vec<String>, sqlx::Error> {
    let backend = Backend::of(&*connection);
    let sql = format!(
        "SELECT id FROM customers WHERE updated_at >= {} AND id IN ({})",
        crate::store::list_placeholders(backend, 1, 1),
        crate::store::list_placeholders(backend, 2, ids.len())
    );
    let mut query = sqlx::query_scalar::<_, String>(&sql).bind(since);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(connection).await
}

/// Marks a customer a test persona or not; whether that changed anything.
pub async fn set_test_persona(
    connection: &mut sqlx::AnyConnection,
    id: &str,
    is_test: bool,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE customers SET is_test = $1, version = version + 1, updated_at = $2 \
         WHERE id = $3 AND is_test <> $1",
    )
    .bind(i64::from(is_test))
    .bind(crate::time::now_millis())
    .bind(id)
    .execute(connection)
    .await?;
    Ok(done.rows_affected() == 1)
}
