//! Admin → Import's two routes outside server functions: the file upload (a plain multipart
//! form, streamed to disk, so a large file never sits in memory) and the refused rows as a CSV
//! download. Both need customers.import.

use super::ApiError;
use app::auth::{Permission, SessionState};
use app::import::{ImportKind, MAX_UPLOAD_BYTES};
use app::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use tokio::io::AsyncWriteExt;

/// Back to the import screen with `message` shown at the file field.
fn refused(message: &str) -> Response {
    let query = serde_urlencoded::to_string([("error", message)]).unwrap_or_default();
    Redirect::to(&format!("/admin/import?{query}")).into_response()
}

/// `POST /admin/import/upload`: stores the file and registers the import, then shows its page
/// (303). A file over the limit, of the wrong kind, or empty: back to the form with why.
pub async fn upload(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    mut form: Multipart,
) -> Result<Response, ApiError> {
    let user = super::extract::user_with(&session, Permission::CustomersImport)?;
    let folder = state.config.import_dir();
    app::import::uploads::prepare_folder(&folder)
        .map_err(|e| ApiError::internal(format!("cannot use {}: {e}", folder.display())))?;
    // Uploads past their retention go before another arrives.
    app::import::uploads::sweep(&state, app::time::now_millis(), false).await?;
    let path = folder.join(uuid::Uuid::now_v7().to_string());
    let mut kind = ImportKind::Customers;
    let mut file_name = None;
    let outcome = async {
        while let Some(mut field) = form
            .next_field()
            .await
            .map_err(|e| format!("The upload was cut off: {e}"))?
        {
            match field.name() {
                Some("kind") => {
                    let text = field.text().await.map_err(|e| e.to_string())?;
                    kind = ImportKind::parse(&text).ok_or("Choose customers or events.")?;
                }
                Some("file") => {
                    file_name = Some(field.file_name().unwrap_or("upload").to_string());
                    let mut out = app::import::uploads::create_file(&path)
                        .await
                        .map_err(|e| format!("Cannot store the file: {e}"))?;
                    let mut written: u64 = 0;
                    while let Some(chunk) = field
                        .chunk()
                        .await
                        .map_err(|e| format!("The upload was cut off: {e}"))?
                    {
                        written += chunk.len() as u64;
                        if written > MAX_UPLOAD_BYTES {
                            return Err(format!(
                                "The file is over {} MB, the most the browser may send; import it \
                                 with the command line (customer-profiles import), which takes \
                                 any size.",
                                MAX_UPLOAD_BYTES / 1024 / 1024
                            ));
                        }
                        out.write_all(&chunk)
                            .await
                            .map_err(|e| format!("Cannot store the file: {e}"))?;
                    }
                    out.flush().await.map_err(|e| e.to_string())?;
                }
                _ => {}
            }
        }
        Ok::<(), String>(())
    }
    .await;
    let path_text = path.to_string_lossy().into_owned();
    let forget = || async {
        let _ = tokio::fs::remove_file(&path).await;
    };
    if let Err(message) = outcome {
        forget().await;
        return Ok(refused(&message));
    }
    let Some(file_name) = file_name else {
        return Ok(refused("Choose a file to import."));
    };
    match app::import::service::create(&state, &user, kind, &file_name, &path_text).await {
        Ok(job) => Ok(Redirect::to(&format!("/admin/import/{}", job.id)).into_response()),
        Err(app::error::AppError::Validation { message, .. }) => {
            forget().await;
            Ok(refused(&message))
        }
        Err(error) => {
            forget().await;
            Err(error.into())
        }
    }
}

/// `GET /admin/import/{id}/rejections.csv`: every refused row's problems (`row,column,problem`),
/// cells a spreadsheet would run neutralised (a column name comes from the file).
pub async fn rejections(
    State(state): State<AppState>,
    Extension(session): Extension<SessionState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    super::extract::user_with(&session, Permission::CustomersImport)?;
    let problems = app::import::service::all_rejections(&state, &id).await?;
    let body = rejections_csv(&problems).map_err(ApiError::internal)?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"import-{id}-rejected-rows.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// Refused rows and values left out as CSV (`row,column,problem,outcome`), cells a spreadsheet would run neutralised: for
/// the download and for the file the command line writes beside the import.
pub fn rejections_csv(problems: &[app::import::RowProblem]) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(["row", "column", "problem", "outcome"])
        .map_err(|e| e.to_string())?;
    for problem in problems {
        let row = problem.row.to_string();
        let outcome = if problem.left_out {
            "value left out, customer imported"
        } else {
            "row refused"
        };
        writer
            .write_record(
                [row.as_str(), &problem.field, &problem.message, outcome]
                    .map(|cell| app::privacy::export::spreadsheet_safe(cell).into_owned()),
            )
            .map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}
