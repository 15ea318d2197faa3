//! Server function for adding or deducting points (permission points.adjust).

use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Adds (positive) or deducts (negative) `points` with a reason; returns the new balance.
#[server(endpoint = "adjust_points")]
pub async fn adjust_points(
    customer_id: String,
    points: String,
    reason: String,
) -> Result<i64, AppError> {
    crate::error::respond(async {
        let user = require(Permission::PointsAdjust)?;
        service::adjust(
            &crate::state::app_state()?,
            &user,
            customer_id,
            points,
            reason,
        )
        .await
    })
    .await
}
