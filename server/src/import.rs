//! `customer-profiles import customers|events FILE`: the console's import from the command
//! line, for files of any size. A progress bar (bytes read, rows, rows a second, time left),
//! then the same summary the console shows; the refused rows are written beside the file.
//! Ctrl-C stops after the batch in hand, and `--resume ID` goes on from there.

use app::auth::{CurrentUser, Permission, Role};
use app::import::{ImportJob, ImportKind, ImportStatus};
use app::state::{AppState, Config};
use app::store::Db;
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

/// What to import.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Customers from CSV (a header row) or NDJSON, created or updated by any identifier.
    Customers(ImportArgs),
    /// Historical events from NDJSON, one event a line as the ingest API takes it.
    Events(ImportArgs),
}

/// Options of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file.
    pub file: PathBuf,
    /// Check every row and report, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Go on with a stopped import (its id was printed when it started).
    #[arg(long)]
    pub resume: Option<String>,
    /// What a column fills, `COLUMN=TARGET` (repeatable): a customer field (`email`,
    /// `first_name`, …), `attribute:NAME`, or `ignore`; add `!` after the target to clear the
    /// stored value when the cell is empty (`Notes=ignore`, `Mobile=phone!`).
    #[arg(long = "map", value_name = "COLUMN=TARGET")]
    pub map: Vec<String>,
    /// Ignore every column that neither `--map`, the saved mapping, the file's source preset
    /// nor a field or attribute name fills.
    #[arg(long)]
    pub ignore_rest: bool,
    /// No progress bar (for logs and scripts).
    #[arg(long)]
    pub quiet: bool,
}

/// The `--map` options as a mapping.
fn mapping(options: &[String]) -> Result<app::import::Mapping, String> {
    options
        .iter()
        .map(|option| {
            let (column, target) = option
                .split_once('=')
                .ok_or_else(|| format!("--map {option}: write COLUMN=TARGET"))?;
            let (target, clear) = match target.strip_suffix('!') {
                Some(target) => (target, true),
                None => (target, false),
            };
            Ok((
                column.to_string(),
                app::import::ColumnMapping {
                    target: target.to_string(),
                    clear_when_empty: clear,
                },
            ))
        })
        .collect()
}

/// The actor of a command-line import in the audit trail.
fn operator() -> CurrentUser {
    let login = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    let name = format!("Command line ({login})");
    CurrentUser {
        id: String::new(),
        email: name.clone(),
        display_name: name,
        role: Role::Admin,
        permissions: vec![Permission::CustomersImport],
    }
}

/// Runs the import and returns its summary.
pub async fn run(db: &Db, command: ImportCommand) -> Result<String, String> {
    let (kind, args) = match command {
        ImportCommand::Customers(args) => (ImportKind::Customers, args),
        ImportCommand::Events(args) => (ImportKind::Events, args),
    };
    let state = AppState::new(db.clone(), Config::default())
        .await
        .map_err(|e| e.to_string())?;
    let user = operator();
    let path = args
        .file
        .canonicalize()
        .map_err(|e| format!("cannot read {}: {e}", args.file.display()))?;
    let job = match &args.resume {
        Some(id) => app::import::service::start(&state, id, args.dry_run, true).await,
        None => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let job =
                app::import::service::create(&state, &user, kind, &name, &path.to_string_lossy())
                    .await
                    .map_err(|e| e.to_string())?;
            let detail = app::import::service::detail(&state, &job.id)
                .await
                .map_err(|e| e.to_string())?;
            if let Some(source) = &detail.source {
                eprintln!("recognised as an export from {source}");
            }
            let mut mapping = mapping(&args.map)?;
            if args.ignore_rest {
                for (column, _) in detail.columns.iter().filter(|(_, m)| m.target.is_empty()) {
                    mapping
                        .entry(column.clone())
                        .or_insert(app::import::ColumnMapping {
                            target: app::import::IGNORE.into(),
                            clear_when_empty: false,
                        });
                }
            }
            if !mapping.is_empty() {
                app::import::service::set_mapping(&state, &user, &job.id, mapping, false)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            app::import::service::start(&state, &job.id, args.dry_run, false).await
        }
    }
    .map_err(|e| e.to_string())?;
    eprintln!(
        "import {} of {} ({} bytes){}{}",
        job.id,
        job.file_name,
        job.file_bytes,
        job.encoding
            .as_deref()
            .map(|e| format!(", read as {e}"))
            .unwrap_or_default(),
        if args.dry_run { ", dry run" } else { "" }
    );
    let bar = progress_bar(&job, args.quiet);
    let stop_state = state.clone();
    let stop_id = job.id.clone();
    let stopper = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = app::import::service::stop(&stop_state, &stop_id).await;
        }
    });
    let mut on_batch = |job: &ImportJob| {
        bar.set_position(u64::try_from(job.bytes_done).unwrap_or(0));
        bar.set_message(rows_message(job));
    };
    let outcome = app::import::service::run(&state, &user, &job.id, &mut on_batch).await;
    stopper.abort();
    bar.finish_and_clear();
    let job = match outcome {
        Ok(job) => job,
        Err(error) => {
            return Err(format!(
                "{error}\nresume with: customer-profiles import {} {} --resume {}",
                kind.as_str(),
                args.file.display(),
                job.id
            ))
        }
    };
    let rejected_file = write_rejections(&state, &job, &path).await?;
    Ok(summary(&job, rejected_file.as_deref(), &args))
}

fn progress_bar(job: &ImportJob, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(u64::try_from(job.file_bytes).unwrap_or(0));
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {percent:>3}% {bytes}/{total_bytes} · {msg} · {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_position(u64::try_from(job.bytes_done).unwrap_or(0));
    bar
}

fn rows_message(job: &ImportJob) -> String {
    let pace = job
        .rows_per_second()
        .map(|r| format!("{r:.0} rows/s"))
        .unwrap_or_default();
    format!("{} rows {pace}", job.rows_done)
}

/// Writes the refused rows next to the file (`NAME.rejected.csv`); its path when there were any.
async fn write_rejections(
    state: &AppState,
    job: &ImportJob,
    path: &std::path::Path,
) -> Result<Option<PathBuf>, String> {
    if job.rejected == 0 && job.left_out == 0 {
        return Ok(None);
    }
    let problems = app::import::service::all_rejections(state, &job.id)
        .await
        .map_err(|e| e.to_string())?;
    let out = path.with_extension("rejected.csv");
    let csv = crate::http::import::rejections_csv(&problems)?;
    std::fs::write(&out, csv).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(Some(out))
}

fn summary(job: &ImportJob, rejected_file: Option<&std::path::Path>, args: &ImportArgs) -> String {
    let seconds = match (job.started_at, job.finished_at) {
        (Some(start), Some(end)) => (end - start) as f64 / 1000.0,
        _ => 0.0,
    };
    let (created, updated) = match job.kind {
        ImportKind::Customers => ("created", "updated"),
        ImportKind::Events => ("stored", "-"),
    };
    let verb = if job.dry_run { "would be " } else { "" };
    let mut lines = vec![format!(
        "{}: {} rows in {seconds:.1} s ({:.0} rows/s)",
        match job.status {
            ImportStatus::Done => "done",
            ImportStatus::Checked => "dry run done, nothing written",
            ImportStatus::Stopped => "stopped",
            _ => job.status.as_str(),
        },
        job.rows_done,
        if seconds > 0.0 {
            job.rows_done as f64 / seconds
        } else {
            0.0
        },
    )];
    lines.push(format!("  {verb}{created}: {}", job.created));
    if job.kind == ImportKind::Customers {
        lines.push(format!("  {verb}{updated}: {}", job.updated));
    }
    lines.push(format!("  unchanged: {}", job.unchanged));
    lines.push(format!("  rejected: {}", job.rejected));
    if job.left_out > 0 {
        lines.push(format!(
            "  {verb}imported with {} values left out",
            job.left_out
        ));
    }
    if let Some(file) = rejected_file {
        lines.push(format!(
            "  refused rows and values left out, with each column: {}",
            file.display()
        ));
    }
    if let Some(message) = &job.message {
        lines.push(format!("  {message}"));
    }
    if job.status == ImportStatus::Stopped {
        lines.push(format!(
            "  resume with: customer-profiles import {} {} --resume {}",
            job.kind.as_str(),
            args.file.display(),
            job.id
        ));
    }
    lines.join("\n")
}
