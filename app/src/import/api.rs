//! Server functions of Admin → Import (the upload and the refused-rows download are plain
//! routes of the server crate). All need customers.import.

use super::model::{ImportDetail, ImportJob};
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// The latest imports, newest first.
#[server(endpoint = "list_imports")]
pub async fn list_imports() -> Result<Vec<ImportJob>, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersImport)?;
        service::recent(&crate::state::app_state()?).await
    })
    .await
}

/// One import: progress, columns and their mapping, refused rows.
#[server(endpoint = "get_import")]
pub async fn get_import(id: String) -> Result<ImportDetail, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersImport)?;
        service::detail(&crate::state::app_state()?, &id).await
    })
    .await
}

/// Sets what each column fills, as the mapping form sends it: `target[cN]` for the Nth column
/// (0-based), `clear[cN]` when its empty cells clear the stored value; with `save` also for
/// the organisation's next files; with `ignore_rest` a column not chosen yet is ignored.
#[server(endpoint = "set_import_mapping")]
pub async fn set_import_mapping(
    id: String,
    target: BTreeMap<String, String>,
    clear: Option<BTreeMap<String, String>>,
    save: Option<String>,
    ignore_rest: Option<String>,
) -> Result<ImportDetail, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersImport)?;
        let form = service::MappingForm {
            target,
            clear: clear.unwrap_or_default(),
            save: save.is_some(),
            ignore_rest: ignore_rest.is_some(),
        };
        service::set_mapping_from_form(&crate::state::app_state()?, &user, &id, form).await
    })
    .await
}

/// Starts a dry run (`run` = `check`), the import (`import`) or a resume (`resume`); it goes
/// on in the background and the page follows its progress.
#[server(endpoint = "start_import")]
pub async fn start_import(id: String, run: String) -> Result<ImportJob, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersImport)?;
        service::start_in_background(crate::state::app_state()?, user, id, &run).await
    })
    .await
}

/// Asks a running import to stop after the batch in hand.
#[server(endpoint = "stop_import")]
pub async fn stop_import(id: String) -> Result<(), AppError> {
    crate::error::respond(async {
        require(Permission::CustomersImport)?;
        service::stop(&crate::state::app_state()?, &id).await
    })
    .await
}
