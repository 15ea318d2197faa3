//! The use cases of imports: take a file in, show its columns, save a mapping, and run it — a
//! dry run that writes nothing, or the import — a batch at a time. Each batch of customers is
//! one `Change` holding its rows and the import's progress, so a stopped or cut-off import
//! resumes exactly after the last batch that landed. Events go through the ingest API's own
//! validation, matching and projections (idempotent by `event_id`).

use super::customers::values::DateOrder;
use super::customers::{self, Seen, Settings};
use super::db::{self, NewImport};
use super::events;
use super::model::ColumnMapping;
use super::model::{
    ImportDetail, ImportFormat, ImportJob, ImportKind, ImportStatus, Mapping, RowProblem,
};
use super::reader::{Cells, ImportFile, Row};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::ingest::model::MAX_BATCH;
use crate::state::AppState;
use crate::time::now_millis;
use serde_json::{json, Value};

/// Customers settled per transaction.
pub const CUSTOMER_BATCH: usize = 2_000;

/// Customers an import must still be about to add (and at least as many as the database has)
/// to set the search indexes of customers aside and build them once at the end.
pub const SET_ASIDE_ROWS: i64 = 100_000;

/// Whether an import about to add `creates_left` more customers to `existing` loads faster
/// with the search indexes set aside: a load that at least doubles the table (the first load
/// of a brand's CRM above all), estimated from its first batch. Searches by name and contact
/// scan the table until they are back.
pub fn sets_indexes_aside(creates_left: i64, existing: i64) -> bool {
    creates_left >= SET_ASIDE_ROWS && creates_left >= existing
}

/// Events stored at or above which an import refreshes the analytics when it ends.
pub const ANALYTICS_AFTER_EVENTS: i64 = 10_000;

/// The SQLite writer's page cache during an import, in MB (back to its usual size after).
const IMPORT_CACHE_MB: u32 = 256;

/// Refused rows shown on the import's page (the CSV download has them all).
const SHOWN_REJECTIONS: i64 = 100;

/// Registers `file_path` (already on this machine) as an import of `kind` named `file_name`.
/// The format is told from the first bytes; events must be NDJSON.
pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    kind: ImportKind,
    file_name: &str,
    file_path: &str,
) -> Result<ImportJob, AppError> {
    if file_size(file_path)? == 0 {
        return Err(AppError::validation("file", "The file is empty."));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let (file_path, encoding) = utf8_file(state, file_path, &id)?;
    let file_path = file_path.as_str();
    // The size of what is read (a decoded copy's, not the original's), for the progress.
    let size = file_size(file_path)?;
    let head = super::reader::head(file_path).map_err(unreadable)?;
    let format = ImportFormat::sniff(&head);
    if kind == ImportKind::Events && format != ImportFormat::Ndjson {
        return Err(AppError::validation(
            "file",
            "Events come one JSON object a line (NDJSON), as the ingest API takes them.",
        ));
    }
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    db::insert(
        &state.db,
        &NewImport {
            id: &id,
            kind,
            format,
            file_name: &name,
            file_path,
            file_bytes: i64::try_from(size).unwrap_or(i64::MAX),
            created_by: &user.display_name,
            created_at: now_millis(),
            encoding,
        },
    )
    .await?;
    db::job(&state.db, &id)
        .await?
        .ok_or_else(|| ImportJob::not_found(&id))
}

/// The answer for a file that cannot be read.
fn unreadable(error: std::io::Error) -> AppError {
    AppError::validation("file", format!("Cannot read the file: {error}."))
}

fn file_size(path: &str) -> Result<u64, AppError> {
    std::fs::metadata(path).map(|m| m.len()).map_err(unreadable)
}

/// The file to read for `file_path`: itself when it is UTF-8, else a UTF-8 copy in the
/// console's import folder (an upload's original is removed then), with the encoding it came
/// in.
fn utf8_file(
    state: &AppState,
    file_path: &str,
    id: &str,
) -> Result<(String, Option<&'static str>), AppError> {
    let folder = state.config.import_dir();
    super::uploads::prepare_folder(&folder).map_err(unreadable)?;
    let copy = folder.join(format!("{id}.utf-8"));
    match super::encoding::to_utf8(std::path::Path::new(file_path), &copy).map_err(unreadable)? {
        super::encoding::Text::Utf8 => Ok((file_path.to_string(), None)),
        super::encoding::Text::Decoded(encoding) => {
            if super::uploads::is_upload(state, file_path) {
                let _ = std::fs::remove_file(file_path);
            }
            Ok((copy.to_string_lossy().into_owned(), Some(encoding)))
        }
    }
}

/// The latest imports.
pub async fn recent(state: &AppState) -> Result<Vec<ImportJob>, AppError> {
    Ok(db::recent(&state.db, 20).await?)
}

/// One import: its columns with what each fills, what stops it from running, and the first
/// refused rows.
pub async fn detail(state: &AppState, id: &str) -> Result<ImportDetail, AppError> {
    let job = db::job(&state.db, id)
        .await?
        .ok_or_else(|| ImportJob::not_found(id))?;
    let declared = crate::attributes::db::declared(&state.db).await?;
    let (mut columns, mut file_problems, mut source) = (Vec::new(), Vec::new(), None);
    match job.kind {
        // A finished import's upload is deleted; its columns no longer matter.
        _ if job.status == ImportStatus::Done => {}
        ImportKind::Customers if job.format == ImportFormat::Csv => {
            let path = db::file_path(&state.db, id).await?.unwrap_or_default();
            match ImportFile::open(&path, ImportFormat::Csv, 0, 0) {
                Err(problem) => file_problems.push(problem),
                Ok(file) => {
                    let preset = super::presets::detect(&file.headers);
                    source = preset.map(|p| p.name.clone());
                    (columns, file_problems) =
                        mapped_columns(state, &job, &file.headers, preset, &declared).await?;
                }
            }
        }
        _ => {}
    }
    Ok(ImportDetail {
        rejections: db::rejections(state.db.pool(), id, SHOWN_REJECTIONS).await?,
        attributes: declared.into_iter().map(|a| (a.name, a.label)).collect(),
        job,
        columns,
        file_problems,
        source,
    })
}

/// The columns of a customers CSV with what each fills (the import's own mapping over the
/// saved one, then the `preset` of the system its header tells), and the header's problems.
async fn mapped_columns(
    state: &AppState,
    job: &ImportJob,
    headers: &[String],
    preset: Option<&super::presets::Preset>,
    declared: &[crate::attributes::AttributeType],
) -> Result<(Vec<(String, super::model::ColumnMapping)>, Vec<RowProblem>), AppError> {
    let mapping = effective_mapping(state, job).await?;
    let names: Vec<String> = declared.iter().map(|a| a.name.clone()).collect();
    Ok(
        match super::columns::resolve(headers, &mapping, preset, &names) {
            Ok(columns) => (columns, Vec::new()),
            Err(problems) => {
                let columns = headers
                    .iter()
                    .map(|h| {
                        let mapping = super::columns::target_of(h, &mapping, preset, &names)
                            .unwrap_or_default();
                        (h.clone(), mapping)
                    })
                    .collect();
                (columns, problems)
            }
        },
    )
}

async fn effective_mapping(state: &AppState, job: &ImportJob) -> Result<Mapping, AppError> {
    let mut mapping = db::saved_mapping(&state.db).await?;
    mapping.extend(job.mapping.clone());
    Ok(mapping)
}

/// Sets what each column of import `id` fills; with `save`, also for the organisation's next
/// customers files (audited).
pub async fn set_mapping(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    mapping: Mapping,
    save: bool,
) -> Result<ImportDetail, AppError> {
    let declared = crate::attributes::db::declared(&state.db).await?;
    let names: Vec<String> = declared.iter().map(|a| a.name.clone()).collect();
    for (column, target) in &mapping {
        if !super::columns::is_target(&target.target, &names) {
            return Err(AppError::validation(
                format!("mapping[{column}]"),
                "Choose a customer field, a profile attribute, or ignore.",
            ));
        }
    }
    if !db::set_mapping(&state.db, id, &mapping).await? {
        return Err(AppError::Conflict(
            "The import is running; change the mapping once it has stopped.".into(),
        ));
    }
    if save {
        let mut change = Change::begin(state, user).await?;
        db::save_mapping(change.tx(), &mapping).await?;
        change
            .audit("import.mapping", |r| {
                r.subject("import.customer_mapping")
                    .change(Value::Null, json!(mapping))
            })
            .await?;
        change.commit().await?;
    }
    detail(state, id).await
}

/// Claims import `id` for a run (a dry run, the import, or a resume of a stopped import):
/// refused while it runs, once it is done, or while its columns are not all mapped. The caller
/// then calls [`run`].
pub async fn start(
    state: &AppState,
    id: &str,
    dry_run: bool,
    resume: bool,
) -> Result<ImportJob, AppError> {
    let detail = detail(state, id).await?;
    if !detail.file_problems.is_empty() {
        let problems: Vec<String> = detail
            .file_problems
            .iter()
            .map(|p| format!("{} {}", p.field, p.message).trim().to_string())
            .collect();
        return Err(AppError::validation("mapping", problems.join("; ")));
    }
    let resumed_from = resume.then(|| detail.job.done_share());
    if !db::start(&state.db, id, dry_run, resumed_from, now_millis()).await? {
        return Err(AppError::Conflict(match detail.job.status {
            ImportStatus::Running | ImportStatus::Stopping => "This import is running already.".into(),
            ImportStatus::Done => "This import is done; upload the file again to import it again (nothing is added twice).".into(),
            _ => "Only a stopped import can resume, as the same kind of run.".into(),
        }));
    }
    db::job(&state.db, id)
        .await?
        .ok_or_else(|| ImportJob::not_found(id))
}

/// Asks a running import to stop after the batch in hand.
pub async fn stop(state: &AppState, id: &str) -> Result<(), AppError> {
    if db::request_stop(&state.db, id).await? {
        Ok(())
    } else {
        Err(AppError::Conflict("This import is not running.".into()))
    }
}

/// Runs a claimed import to its end (or until asked to stop), calling `on_batch` with the job
/// after each settled batch; audits it, and refreshes the analytics after a large events
/// import. A failure mid-way leaves it stopped, resumable.
pub async fn run(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    on_batch: &mut (dyn FnMut(&ImportJob) + Send),
) -> Result<ImportJob, AppError> {
    let job = db::job(&state.db, id)
        .await?
        .ok_or_else(|| ImportJob::not_found(id))?;
    state.db.set_writer_cache_mb(IMPORT_CACHE_MB).await?;
    // Indexes an earlier run set aside and could not build (it crashed) come back first.
    db::indexes::restore(&state.db).await?;
    let outcome = run_batches(state, user, &job, on_batch).await;
    let rebuilt = db::indexes::restore(&state.db).await;
    state
        .db
        .set_writer_cache_mb(crate::store::WRITER_CACHE_MB)
        .await?;
    let now = now_millis();
    let status = match &outcome {
        Ok(false) => ImportStatus::Stopped,
        Ok(true) if job.dry_run => ImportStatus::Checked,
        Ok(true) => ImportStatus::Done,
        Err(AppError::Validation { .. }) => ImportStatus::Failed,
        Err(_) => ImportStatus::Stopped,
    };
    let message = match &outcome {
        Ok(false) => Some("Stopped by a user; resume it to go on.".to_string()),
        Err(AppError::Validation { message, .. }) => Some(message.clone()),
        Err(error) => Some(format!(
            "Stopped by an error ({error}); resume it to go on."
        )),
        Ok(true) => None,
    };
    db::finish(&state.db, id, status, message.as_deref(), now).await?;
    rebuilt?;
    let job = db::job(&state.db, id)
        .await?
        .ok_or_else(|| ImportJob::not_found(id))?;
    // A finished or failed import's upload is not needed again; a checked or stopped one's
    // waits for the import or a resume (uploads::RETENTION_MS).
    if matches!(status, ImportStatus::Done | ImportStatus::Failed) {
        super::uploads::delete(state, id).await?;
    }
    if !job.dry_run {
        audit(state, user, &job).await?;
    }
    if status == ImportStatus::Done
        && job.kind == ImportKind::Events
        && job.created >= ANALYTICS_AFTER_EVENTS
    {
        refresh_analytics(state, user).await;
    }
    outcome.map(|_| job)
}

async fn audit(state: &AppState, user: &CurrentUser, job: &ImportJob) -> Result<(), AppError> {
    let action = match job.kind {
        ImportKind::Customers => "customers.import",
        ImportKind::Events => "events.import",
    };
    let mut change = Change::begin(state, user).await?;
    change
        .audit(action, |r| {
            r.subject(&job.id).change(
                Value::Null,
                json!({
                    "file": job.file_name, "bytes": job.file_bytes, "status": job.status.as_str(),
                    "rows": job.rows_done, "created": job.created, "updated": job.updated,
                    "unchanged": job.unchanged, "rejected": job.rejected,
                }),
            )
        })
        .await?;
    change.commit().await
}

async fn refresh_analytics(state: &AppState, user: &CurrentUser) {
    if state.config.background_jobs {
        state
            .analytics
            .start(state.clone(), "import", Some(user.display_name.clone()));
    } else if let Err(error) =
        crate::analytics::job::refresh(state, "import", Some(&user.display_name)).await
    {
        tracing::warn!(%error, "analytics refresh after an import failed");
    }
}

/// Reads and settles the file batch by batch: `true` at its end, `false` when asked to stop.
async fn run_batches(
    state: &AppState,
    user: &CurrentUser,
    job: &ImportJob,
    on_batch: &mut (dyn FnMut(&ImportJob) + Send),
) -> Result<bool, AppError> {
    let stores_kept_events = job.kind == ImportKind::Events && !job.dry_run;
    if stores_kept_events && job.storing {
        return events::store_kept(state, user, job, on_batch).await;
    }
    let path = db::file_path(&state.db, &job.id).await?.unwrap_or_default();
    let resume_at = u64::try_from(job.bytes_done).unwrap_or(0);
    let mut file = ImportFile::open(&path, job.format, job.rows_done, resume_at)
        .map_err(|p| AppError::validation("file", p.message))?;
    let mut settings = match job.kind {
        ImportKind::Customers => Some(customer_settings(state, job, &file.headers, &path).await?),
        ImportKind::Events => None,
    };
    let mut seen = Seen::default();
    let batch_rows = if settings.is_some() {
        CUSTOMER_BATCH
    } else {
        MAX_BATCH
    };
    let header_rows = i64::from(job.format == ImportFormat::Csv);
    let mut first_batch = true;
    loop {
        let rows: Vec<Row> = std::iter::from_fn(|| file.next_row())
            .take(batch_rows)
            .collect();
        let Some(last) = rows.last() else {
            if stores_kept_events {
                return events::store_kept(state, user, job, on_batch).await;
            }
            return Ok(true);
        };
        let position = (
            last.number - header_rows,
            i64::try_from(last.next_byte).unwrap_or(0),
        );
        match &mut settings {
            Some(settings) => {
                customers::run_batch(state, user, job, rows, settings, &mut seen, position).await?
            }
            None => events::read_batch(state, user, job, rows, position).await?,
        }
        let now = db::job(&state.db, &job.id)
            .await?
            .ok_or_else(|| ImportJob::not_found(&job.id))?;
        if first_batch && settings.is_some() && !job.dry_run {
            // The rest of the file, at the first batch's share of new customers.
            let bytes_read = (position.1 - resume_at as i64).max(1);
            let created = now.created - job.created;
            set_indexes_aside_for(
                state,
                (job.file_bytes - position.1).max(0) * created / bytes_read,
            )
            .await?;
        }
        first_batch = false;
        on_batch(&now);
        if now.status == ImportStatus::Stopping {
            return Ok(false);
        }
    }
}

/// Sets the search indexes aside when about `creates_left` customers are still to come and
/// that is worth it ([`sets_indexes_aside`]).
async fn set_indexes_aside_for(state: &AppState, creates_left: i64) -> Result<(), AppError> {
    if state.db.is_citus() {
        // Not tried on a cluster, where DDL on distributed tables inside a transaction that
        // also writes a reference table has rules of its own: a cluster loads with them.
        return Ok(());
    }
    let existing = crate::customers::db::count(&state.db).await?;
    if sets_indexes_aside(creates_left, existing) {
        let aside = db::indexes::set_aside(&state.db).await?;
        tracing::info!(
            aside,
            creates_left,
            "search indexes set aside for the import"
        );
    }
    Ok(())
}

async fn customer_settings(
    state: &AppState,
    job: &ImportJob,
    headers: &[String],
    path: &str,
) -> Result<Settings, AppError> {
    let declared = crate::attributes::db::declared(&state.db).await?;
    let saved = effective_mapping(state, job).await?;
    let columns = if job.format == ImportFormat::Csv {
        let preset = super::presets::detect(headers);
        let (columns, problems) = mapped_columns(state, job, headers, preset, &declared).await?;
        if let Some(problem) = problems.first() {
            return Err(AppError::validation(
                "mapping",
                format!("Row 1, {}: {}", problem.field, problem.message),
            ));
        }
        columns
    } else {
        Vec::new()
    };
    let statuses = crate::settings::db::status_types(&state.db).await?;
    let default_status = crate::settings::model::default_status_id(&statuses);
    Ok(Settings {
        date_order: date_order(path, job.format, &columns),
        columns,
        saved,
        declared,
        region: crate::settings::service::phone_region(&state.db).await?,
        ignore_case: crate::settings::db::external_ids_ignore_case(&state.db).await?,
        citus: state.db.is_citus(),
        default_status,
        today: chrono::Utc::now().date_naive(),
        file_name: job.file_name.clone(),
        run_started: job.started_at.unwrap_or_else(now_millis),
        dry_run: job.dry_run,
    })
}

/// The day/month order of the file's dates of birth: as the mapping says
/// (`date_of_birth:day_first` / `:month_first`), else read from the whole column (a CSV's;
/// NDJSON carries ISO dates).
fn date_order(path: &str, format: ImportFormat, columns: &[(String, ColumnMapping)]) -> DateOrder {
    let Some(index) = columns
        .iter()
        .position(|(_, m)| m.target.starts_with("date_of_birth"))
    else {
        return DateOrder::Unknown;
    };
    match columns[index].1.target.as_str() {
        "date_of_birth:day_first" => return DateOrder::DayFirst,
        "date_of_birth:month_first" => return DateOrder::MonthFirst,
        _ => {}
    }
    let Ok(mut file) = ImportFile::open(path, format, 0, 0) else {
        return DateOrder::Unknown;
    };
    let values = std::iter::from_fn(|| file.next_row()).filter_map(|row| match row.cells {
        Ok(Cells::Csv(mut values)) if index < values.len() => Some(values.swap_remove(index)),
        _ => None,
    });
    DateOrder::of_column(values)
}

/// Every refused row's problems, in file order, for the CSV download.
pub async fn all_rejections(state: &AppState, id: &str) -> Result<Vec<RowProblem>, AppError> {
    db::job(&state.db, id)
        .await?
        .ok_or_else(|| ImportJob::not_found(id))?;
    Ok(db::rejections(state.db.pool(), id, db::MAX_KEPT_PROBLEMS).await?)
}

/// Builds the search indexes an import set aside and could not build again (the process
/// stopped mid-import); how many. Called at start-up.
pub async fn restore_indexes(state: &AppState) -> Result<usize, AppError> {
    Ok(db::indexes::restore(&state.db).await?)
}

/// Marks imports a stopped server left running as stopped (resumable); called at start-up.
pub async fn interrupted(state: &AppState) -> Result<u64, AppError> {
    Ok(db::mark_interrupted(&state.db, now_millis()).await?)
}

/// Starts `run` (`check`: a dry run, `import`, or `resume`) of import `id` and lets it go on
/// in the background, for the console.
pub async fn start_in_background(
    state: AppState,
    user: CurrentUser,
    id: String,
    run_kind: &str,
) -> Result<ImportJob, AppError> {
    let (dry_run, resume) = match run_kind {
        "check" => (true, false),
        "import" => (false, false),
        "resume" => {
            let job = db::job(&state.db, &id)
                .await?
                .ok_or_else(|| ImportJob::not_found(&id))?;
            (job.dry_run, true)
        }
        _ => {
            return Err(AppError::validation(
                "run",
                "Choose a dry run, the import or resume.",
            ))
        }
    };
    let job = start(&state, &id, dry_run, resume).await?;
    tokio::spawn(async move {
        if let Err(error) = run(&state, &user, &id, &mut |_| {}).await {
            tracing::warn!(%error, import = %id, "import stopped");
        }
    });
    Ok(job)
}

/// The mapping form: `target[cN]` and `clear[cN]` for the Nth column of the file.
pub struct MappingForm {
    /// What each column fills.
    pub target: std::collections::BTreeMap<String, String>,
    /// The columns whose empty cells clear the stored value.
    pub clear: std::collections::BTreeMap<String, String>,
    /// Also for the organisation's next files.
    pub save: bool,
    /// A column not chosen yet is ignored ("ignore all the rest").
    pub ignore_rest: bool,
}

/// [`set_mapping`] from the mapping form, the columns named by their place in the file.
pub async fn set_mapping_from_form(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    form: MappingForm,
) -> Result<ImportDetail, AppError> {
    let columns = detail(state, id).await?.columns;
    let mut mapping = Mapping::new();
    for (index, (column, _)) in columns.iter().enumerate() {
        let key = format!("c{index}");
        if let Some(target) = form.target.get(&key) {
            let target = match target.as_str() {
                "" if form.ignore_rest => super::model::IGNORE.to_string(),
                _ => target.clone(),
            };
            mapping.insert(
                column.clone(),
                super::model::ColumnMapping {
                    target,
                    clear_when_empty: form.clear.contains_key(&key),
                },
            );
        }
    }
    set_mapping(state, user, id, mapping, form.save).await
}
