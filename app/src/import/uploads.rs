//! Files uploaded for import: kept in the console's own folder (0700, never a symbolic link),
//! each file readable by the console alone (0600), and only while an import may still need
//! it. A finished or failed import's file goes at once; a dry-run-checked or stopped import's
//! file is kept [`RETENTION_MS`] for the import or a resume, then deleted and the import marked
//! as needing the file again. A GDPR forget deletes every kept file of an import that is not
//! running (any of them may name the customer).

use super::db;
use crate::error::AppError;
use crate::state::AppState;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// How long an upload waits for its import to run or resume: 24 hours.
pub const RETENTION_MS: i64 = 24 * 60 * 60 * 1000;

/// Makes `folder` the console's own: created if missing, a real folder (not a link someone
/// planted), mode 0700. Fails when it belongs to another user (its mode cannot be set).
pub fn prepare_folder(folder: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    let meta = std::fs::symlink_metadata(folder)?;
    if !meta.file_type().is_dir() {
        return Err(std::io::Error::other(format!(
            "{} is not a folder of its own (a link or a file)",
            folder.display()
        )));
    }
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
}

/// Creates the new upload file `path` (0600; an existing file is never reused).
pub async fn create_file(path: &Path) -> std::io::Result<tokio::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true).mode(0o600);
    let file = options.open(path)?;
    Ok(tokio::fs::File::from_std(file))
}

/// Whether `path` is an upload the console keeps (a file named on the command line is the
/// operator's and stays).
pub fn is_upload(state: &AppState, path: &str) -> bool {
    Path::new(path).starts_with(state.config.import_dir())
}

/// Deletes import `id`'s upload, if the console keeps it.
pub async fn delete(state: &AppState, id: &str) -> Result<(), AppError> {
    let path = db::file_path(&state.db, id).await?.unwrap_or_default();
    if is_upload(state, &path) {
        remove(&path);
    }
    Ok(())
}

fn remove(path: &str) {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => tracing::warn!(%error, "could not delete an uploaded import file"),
    }
}

/// Deletes the uploads of imports not running that waited past [`RETENTION_MS`] (or, with
/// `all`, every one: a GDPR forget), marking each import as needing its file again; how many.
pub async fn sweep(state: &AppState, now: i64, all: bool) -> Result<usize, AppError> {
    let mut deleted = 0;
    for (id, path, last_at) in db::kept_files(&state.db).await? {
        let expired = now - last_at >= RETENTION_MS;
        if !is_upload(state, &path) || !(all || expired) {
            continue;
        }
        let why = if all {
            "The uploaded file was deleted by a GDPR forget (it may have named the customer); \
             upload it again to go on."
        } else {
            "The uploaded file was deleted after 24 hours unused; upload it again to go on."
        };
        if db::give_up_file(&state.db, &id, why, now).await? {
            remove(&path);
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// Sweeps expired uploads now and every hour after, in the background.
pub fn schedule_sweeps(state: AppState) {
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
        loop {
            hourly.tick().await;
            match sweep(&state, crate::time::now_millis(), false).await {
                Ok(0) => {}
                Ok(deleted) => {
                    tracing::info!(deleted, "uploaded import files past 24 hours deleted")
                }
                Err(error) => tracing::warn!(%error, "could not sweep uploaded import files"),
            }
        }
    });
}
