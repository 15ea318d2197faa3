//! `/admin`: the way into users, the audit trail and settings, as far as the user may go.

use crate::auth::{use_can, Permission};
use leptos::prelude::*;

/// The admin overview.
#[component]
pub fn AdminPage() -> impl IntoView {
    let users = use_can(Permission::UsersManage);
    let settings = use_can(Permission::SettingsManage);
    let import = use_can(Permission::CustomersImport);
    if !users && !settings && !import {
        return crate::auth::not_allowed("users.manage, settings.manage or customers.import");
    }
    view! {
        <leptos_meta::Title text="Admin · Customer Profiles"/>
        <div class="page admin-page">
            <h1>"Admin"</h1>
            <ul class="admin-links">
                {users.then(|| view! {
                    <li>
                        <a href="/admin/users">"Platform users"</a>
                        <p>"Add users, deactivate them, reset passwords, grant permissions."</p>
                    </li>
                })}
                {import.then(|| view! {
                    <li>
                        <a href="/admin/import">"Import"</a>
                        <p>"Customers from your CRM (CSV or NDJSON) and years of history as events; dry run first."</p>
                    </li>
                })}
                {settings.then(|| view! {
                    <li>
                        <a href="/admin/audit">"Audit trail"</a>
                        <p>"Every change made by a platform user, with before and after."</p>
                    </li>
                    <li>
                        <a href="/admin/settings">"Organisation settings"</a>
                        <p>"Search mode and customer status types."</p>
                    </li>
                    <li>
                        <a href="/admin/api-keys">"API keys"</a>
                        <p>"Keys for the systems that send events to the ingest API."</p>
                    </li>
                    <li>
                        <a href="/admin/integrations">"Integrations"</a>
                        <p>"Connect a Shopify shop: paid orders become purchases and points, refunds take them back."</p>
                    </li>
                    <li>
                        <a href="/admin/locations">"Locations: geofences"</a>
                        <p>"Circles around stores and places; mobile apps say when a customer enters and leaves them."</p>
                    </li>
                    <li>
                        <a href="/admin/panels">"Panels"</a>
                        <p>"Figures from other services (social listening, reviews) beside a profile's analytics."</p>
                    </li>
                    <li>
                        <a href="/admin/event-types">"Event types"</a>
                        <p>"Categories, stream summaries and details of each event type; custom types."</p>
                    </li>
                    <li>
                        <a href="/admin/attributes">"Profile attributes"</a>
                        <p>"Custom fields of a customer (text, number, date, yes / no, web address) the API and the profile edit set."</p>
                    </li>
                    <li>
                        <a href="/admin/analytics">"Customer analytics"</a>
                        <p>"Refresh churn risk, lifetime value and affinities; CLV horizon and schedule."</p>
                    </li>
                })}
            </ul>
        </div>
    }
    .into_any()
}
