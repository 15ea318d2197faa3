//! Server functions of the Tags sub-tab.

use super::model::TagList;
use crate::error::AppError;
use leptos::prelude::*;

/// Customer `customer_id`'s tags and the tags in use.
#[server(endpoint = "list_tags")]
pub async fn list_tags(customer_id: String) -> Result<TagList, AppError> {
    crate::error::respond(
        async {
            crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
            let state = crate::state::app_state()?;
            Ok(TagList {
                tags: super::db::of_customer(&state.db, &customer_id).await?,
                known: super::db::known(&state.db).await?,
            })
        }
        .await,
    )
}

/// Applies `tag` (an existing one or a new one) to the customer: a `tag_appended` event.
#[server(endpoint = "add_tag")]
pub async fn add_tag(customer_id: String, tag: String) -> Result<(), AppError> {
    crate::error::respond(server::add(customer_id, tag).await)
}

/// Sets the count of `tag` on the customer back to zero.
#[server(endpoint = "reset_tag_count")]
pub async fn reset_tag_count(customer_id: String, tag: String) -> Result<(), AppError> {
    crate::error::respond(server::reset(customer_id, tag).await)
}

#[cfg(feature = "ssr")]
mod server {
    use crate::activity::NewEvent;
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use crate::tags::model::checked_tag;
    use crate::time::now_millis;
    use serde_json::json;

    pub async fn add(customer_id: String, tag: String) -> Result<(), AppError> {
        let agent = require(Permission::TagsManage)?;
        let tag = checked_tag(&tag).map_err(|m| AppError::validation("tag", m))?;
        let state = crate::state::app_state()?;
        if !crate::customers::db::exists(&state.db, &customer_id).await? {
            return Err(AppError::NotFound("No such customer.".into()));
        }
        let event = NewEvent::console(
            &customer_id,
            "tag_appended",
            now_millis(),
            json!({"tag": tag, "agent": agent.display_name}),
        );
        let mut tx = state.db.begin_write().await?;
        crate::activity::db::insert_many(&mut tx, std::slice::from_ref(&event)).await?;
        let counts = crate::ingest::db::tag_counts([&event]);
        crate::ingest::db::add_tag_counts(&mut tx, &counts).await?;
        Record::by(&agent, "tags.add")
            .customer(&customer_id)
            .subject(&tag)
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        state.live.publish(&customer_id);
        Ok(())
    }

    pub async fn reset(customer_id: String, tag: String) -> Result<(), AppError> {
        let agent = require(Permission::TagsManage)?;
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        let before = crate::tags::db::reset_count(&mut tx, &customer_id, &tag)
            .await?
            .ok_or_else(|| AppError::NotFound("The customer does not have this tag.".into()))?;
        Record::by(&agent, "tags.reset_count")
            .customer(&customer_id)
            .subject(&tag)
            .change(json!({"count": before}), json!({"count": 0}))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        state.live.publish(&customer_id);
        Ok(())
    }
}
