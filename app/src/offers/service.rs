//! The use cases behind the server functions of this feature.

use super::model::OfferList;
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::events::NewEvent;
use crate::state::AppState;
use crate::time::now_millis;
use serde_json::json;

/// Issues a catalogue offer to a customer, audited and published.
pub async fn issue(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    offer_id: String,
) -> Result<(), AppError> {
    let offer = crate::offers::db::catalog(&state.db)
        .await?
        .into_iter()
        .find(|o| o.id == offer_id)
        .ok_or_else(|| AppError::validation("offer_id", "Choose an offer from the catalogue."))?;
    if !crate::customers::db::exists(&state.db, &customer_id).await? {
        return Err(AppError::no_customer(&customer_id));
    }
    crate::privacy::db::refuse_if_restricted(&state.db, &customer_id, "no offers").await?;
    let now = now_millis();
    let holding = uuid::Uuid::now_v7().to_string();
    let mut change = Change::begin(state, agent).await?;
    let expires_at = crate::offers::db::issue(
        change.tx(),
        &holding,
        &customer_id,
        &offer,
        &agent.display_name,
        now,
    )
    .await?;
    let event = NewEvent::console(
        &customer_id,
        "offer_issued",
        now,
        json!({"offer": offer.name, "expires": crate::time::format_date(expires_at), "agent": agent.display_name}),
    );
    change.events(std::slice::from_ref(&event)).await?;
    change
        .audit("offers.issue", |r| {
            r.customer(&customer_id).subject(&offer.id).change(
                json!(null),
                json!({"offer": offer.name, "expires_at": expires_at}),
            )
        })
        .await?;
    change.commit().await?;
    Ok(())
}

/// See the server function `list_offers`.
pub async fn list_offers(state: &AppState, customer_id: String) -> Result<OfferList, AppError> {
    Ok(OfferList {
        held: super::db::held(&state.db, &customer_id).await?,
        catalog: super::db::catalog(&state.db).await?,
        now: crate::time::now_millis(),
    })
}
