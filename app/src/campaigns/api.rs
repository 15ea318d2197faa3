//! Server functions of the Campaigns sub-tab and the campaign page.

use super::model::{Campaign, CustomerCampaign};
use crate::error::AppError;
use leptos::prelude::*;

/// Customer `customer_id`'s campaigns: in progress, eligible, completed.
#[server(endpoint = "list_customer_campaigns")]
pub async fn list_customer_campaigns(
    customer_id: String,
) -> Result<Vec<CustomerCampaign>, AppError> {
    crate::error::respond(server::customer_campaigns(customer_id).await)
}

/// Campaign `id`.
#[server(endpoint = "get_campaign")]
pub async fn get_campaign(id: String) -> Result<Campaign, AppError> {
    crate::error::respond(server::campaign(id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::db;
    use super::super::model::{standings, Campaign, CustomerCampaign};
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use serde_json::Value;

    /// Progress events read per customer.
    const EVENTS: i64 = 500;

    pub async fn customer_campaigns(id: String) -> Result<Vec<CustomerCampaign>, AppError> {
        require(Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        let tier = db::customer_tier(&state.db, &id)
            .await?
            .ok_or_else(|| AppError::NotFound("No such customer.".into()))?;
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

    pub async fn campaign(id: String) -> Result<Campaign, AppError> {
        require(Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        db::campaign(&state.db, &id)
            .await?
            .ok_or_else(|| AppError::NotFound("No such campaign.".into()))
    }
}
