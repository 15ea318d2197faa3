//! Server functions of the Offers sub-tab.

use super::model::OfferList;
use crate::error::AppError;
use leptos::prelude::*;

/// Customer `customer_id`'s offers and the catalogue.
#[server(endpoint = "list_offers")]
pub async fn list_offers(customer_id: String) -> Result<OfferList, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
            let state = crate::state::app_state()?;
            Ok(OfferList {
                held: super::db::held(&state.db, &customer_id).await?,
                catalog: super::db::catalog(&state.db).await?,
                now: crate::time::now_millis(),
            })
        }
        .await,
    )
}

/// Issues catalogue offer `offer_id` to the customer: an `offer_issued` event, audited.
#[server(endpoint = "issue_offer")]
pub async fn issue_offer(customer_id: String, offer_id: String) -> Result<(), AppError> {
    crate::error::respond(server::issue(customer_id, offer_id).await)
}

#[cfg(feature = "ssr")]
mod server {
    use crate::activity::NewEvent;
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use crate::time::now_millis;
    use serde_json::json;

    pub async fn issue(customer_id: String, offer_id: String) -> Result<(), AppError> {
        let agent = require(Permission::OffersIssue)?;
        let state = crate::state::app_state()?;
        let offer = crate::offers::db::catalog(&state.db)
            .await?
            .into_iter()
            .find(|o| o.id == offer_id)
            .ok_or_else(|| {
                AppError::validation("offer_id", "Choose an offer from the catalogue.")
            })?;
        if !crate::customers::db::exists(&state.db, &customer_id).await? {
            return Err(AppError::NotFound("No such customer.".into()));
        }
        crate::privacy::db::refuse_if_restricted(&state.db, &customer_id, "no offers").await?;
        let now = now_millis();
        let holding = uuid::Uuid::now_v7().to_string();
        let mut tx = state.db.begin_write().await?;
        let expires_at = crate::offers::db::issue(
            &mut tx,
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
        crate::activity::db::insert_many(&mut tx, std::slice::from_ref(&event)).await?;
        Record::by(&agent, "offers.issue")
            .customer(&customer_id)
            .subject(&offer.id)
            .change(
                json!(null),
                json!({"offer": offer.name, "expires_at": expires_at}),
            )
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        state.live.publish(&customer_id);
        Ok(())
    }
}
