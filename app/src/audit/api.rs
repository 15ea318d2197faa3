//! Server function of the audit screen (permission settings.manage).

use super::model::{AuditFilter, AuditPage};
use crate::error::AppError;
use leptos::prelude::*;

/// Records matching `filter`, newest first, a page at a time after cursor `before`.
#[server(endpoint = "list_audit")]
pub async fn list_audit(
    filter: AuditFilter,
    before: Option<(i64, String)>,
) -> Result<AuditPage, AppError> {
    crate::error::respond(async {
        crate::auth::guard::require(crate::auth::Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        let zone = state.time_zone.get();
        Ok(super::db::page(&state.db, &filter, &zone, before, PAGE_SIZE).await?)
    })
    .await
}

/// Records per page.
pub const PAGE_SIZE: usize = 100;
