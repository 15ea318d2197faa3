//! The use cases behind the server functions of this feature.

use super::model::DigitalFootprint;
use crate::error::AppError;
use crate::state::AppState;

/// See the server function `get_digital_footprint`.
pub async fn get_digital_footprint(
    state: &AppState,
    customer_id: String,
) -> Result<DigitalFootprint, AppError> {
    let db = &state.db;
    if !super::db::customer_exists(db, &customer_id).await? {
        return Err(AppError::no_customer(&customer_id));
    }
    let events: Vec<_> = super::db::device_events(db, &customer_id)
        .await?
        .into_iter()
        .map(|(kind, at, payload)| (kind, at, serde_json::from_str(&payload).unwrap_or_default()))
        .collect();
    Ok(super::summarise(&events))
}
