//! Server functions of the Tags sub-tab.

use super::model::TagList;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// Customer `customer_id`'s tags and the tags in use.
#[server(endpoint = "list_tags")]
pub async fn list_tags(customer_id: String) -> Result<TagList, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::list_tags(&crate::state::app_state()?, customer_id).await
    })
    .await
}

/// Applies `tag` (an existing one or a new one) to the customer: a `tag_appended` event.
#[server(endpoint = "add_tag")]
pub async fn add_tag(customer_id: String, tag: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::TagsManage)?;
        service::add(&crate::state::app_state()?, &user, customer_id, tag).await
    })
    .await
}

/// Sets the count of `tag` on the customer back to zero.
#[server(endpoint = "reset_tag_count")]
pub async fn reset_tag_count(customer_id: String, tag: String) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::TagsManage)?;
        service::reset(&crate::state::app_state()?, &user, customer_id, tag).await
    })
    .await
}
