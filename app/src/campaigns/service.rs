//! The use cases behind the server functions of this feature.

use super::db;
use super::model::{standings, Campaign, CustomerCampaign};
use crate::error::AppError;
use crate::state::AppState;
use serde_json::Value;

/// Progress events read per customer.
const EVENTS: i64 = 500;

/// The campaigns a customer took part in, newest first.
pub async fn customer_campaigns(
    state: &AppState,
    id: String,
) -> Result<Vec<CustomerCampaign>, AppError> {
    let tier = db::customer_tier(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::no_customer(&id))?;
    let events: Vec<(String, i64, i64, i64)> = db::progress_events(&state.db, &id, EVENTS)
        .await?
        .into_iter()
        .filter_map(|(at, payload)| {
            let v: Value = serde_json::from_str(&payload).ok()?;
            Some((
                v.get("campaign")?.as_str()?.to_string(),
                v.get("progress").and_then(Value::as_i64).unwrap_or(0),
                v.get("goal").and_then(Value::as_i64).unwrap_or(1),
                at,
            ))
        })
        .collect();
    let catalogue = db::catalogue(&state.db).await?;
    Ok(standings(
        &catalogue,
        &events,
        tier.as_deref(),
        crate::time::now_millis(),
    ))
}

/// One campaign with its reach and results.
pub async fn campaign(state: &AppState, id: String) -> Result<Campaign, AppError> {
    db::campaign(&state.db, &id)
        .await?
        .ok_or_else(|| AppError::NotFound("No such campaign.".into()))
}
