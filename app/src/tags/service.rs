//! The use cases behind the server functions of this feature.

use super::model::TagList;
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::events::NewEvent;
use crate::state::AppState;
use crate::tags::model::checked_tag;
use crate::time::now_millis;
use serde_json::json;

/// Adds a tag to a customer, audited and published.
pub async fn add(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    tag: String,
) -> Result<(), AppError> {
    let tag = checked_tag(&tag).map_err(|m| AppError::validation("tag", m))?;
    if !crate::customers::db::exists(&state.db, &customer_id).await? {
        return Err(AppError::no_customer(&customer_id));
    }
    let event = NewEvent::console(
        &customer_id,
        "tag_appended",
        now_millis(),
        json!({"tag": tag, "agent": agent.display_name}),
    );
    let mut change = Change::begin(state, agent).await?;
    change.events(std::slice::from_ref(&event)).await?;
    let counts = super::counts::counts_of([&event]);
    super::db::add_counts(change.tx(), &counts).await?;
    change
        .audit("tags.add", |r| r.customer(&customer_id).subject(&tag))
        .await?;
    change.commit().await?;
    Ok(())
}

/// Sets the count of a customer's tag to zero, audited and published.
pub async fn reset(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    tag: String,
) -> Result<(), AppError> {
    let mut change = Change::begin(state, agent).await?;
    let before = crate::tags::db::reset_count(change.tx(), &customer_id, &tag)
        .await?
        .ok_or_else(|| AppError::NotFound("The customer does not have this tag.".into()))?;
    change
        .audit("tags.reset_count", |r| {
            r.customer(&customer_id)
                .subject(&tag)
                .change(json!({"count": before}), json!({"count": 0}))
        })
        .await?;
    change.commit().await?;
    Ok(())
}

/// See the server function `list_tags`.
pub async fn list_tags(state: &AppState, customer_id: String) -> Result<TagList, AppError> {
    Ok(TagList {
        tags: super::db::of_customer(&state.db, &customer_id).await?,
        known: super::db::known(&state.db).await?,
    })
}
