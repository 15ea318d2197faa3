//! Server functions of the customer record: the profile header and tab, Add Customer and
//! profile edit.

use super::model::{CustomerHeader, CustomerProfile};
use super::new_customer::{CreateOutcome, NewCustomerForm};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// The header of customer `id` (personal data masked without customers.view_pii).
#[server(endpoint = "get_customer_header")]
pub async fn get_customer_header(id: String) -> Result<CustomerHeader, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersSearch)?;
        service::get_customer_header(&crate::state::app_state()?, &user, id).await
    })
    .await
}

/// The profile tab of customer `id` (personal data masked without customers.view_pii).
#[server(endpoint = "get_customer_profile")]
pub async fn get_customer_profile(id: String) -> Result<CustomerProfile, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersSearch)?;
        service::get_customer_profile(&crate::state::app_state()?, &user, id).await
    })
    .await
}

/// Validates and adds a customer, writing a "customer created" event and an audit record.
#[server(endpoint = "create_customer")]
pub async fn create_customer(form: NewCustomerForm) -> Result<CreateOutcome, AppError> {
    crate::error::respond(async {
        let user = require(Permission::CustomersCreate)?;
        service::create(&crate::state::app_state()?, &user, form).await
    })
    .await
}

/// Validates and saves an edited profile that started from row `version`. When someone else
/// saved the profile in between, nothing is written and the answer is a `Conflict`; the
/// browser keeps what the agent typed.
#[server(endpoint = "update_customer_profile")]
pub async fn update_customer_profile(
    id: String,
    version: i64,
    form: NewCustomerForm,
    attributes: Option<std::collections::BTreeMap<String, String>>,
) -> Result<(), AppError> {
    crate::error::respond(async {
        let user = require(Permission::ProfileEdit)?;
        let attributes = attributes.unwrap_or_default();
        service::update(
            &crate::state::app_state()?,
            &user,
            id,
            version,
            form,
            attributes,
        )
        .await
    })
    .await
}
