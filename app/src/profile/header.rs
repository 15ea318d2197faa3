//! The profile header: status flag, name, points, tier and activity overview.

use crate::access::AccessTools;
use crate::auth::{use_can, Permission};
use crate::customers::CustomerHeader;
use crate::points::AdjustPointsButton;
use crate::status::StatusFlag;
use crate::time::{format_count, format_date, format_date_time};
use leptos::prelude::*;

/// The header shown above every tab of a customer.
#[component]
pub fn ProfileHeader(
    /// The customer to show.
    customer: CustomerHeader,
) -> impl IntoView {
    let tier_link = format!("/customers/{}/activity/tiers", customer.id);
    let tier_since = customer
        .tier_since
        .map(|t| format!("since {}", format_date(t)));
    let restricted = customer.restricted_at.map(|at| {
        view! {
            <p class="restricted-banner" role="note">
                <strong>"Restricted"</strong>
                {format!(
                    " since {}: processing of this customer's data is restricted at their request. \
                     No points, tier changes or offers; use their data only for the privacy request.",
                    format_date(at)
                )}
            </p>
        }
    });
    view! {
        {restricted}
        <header class="profile-header">
            <div class="profile-identity">
                <StatusFlag customer_id=customer.id.clone() status=customer.status.clone()/>
                <h1 class="customer-name">{customer.display_name.clone()}</h1>
                {customer
                    .is_test
                    .then(|| view! { <span class="badge badge-test">"Test persona"</span> })}
            </div>
            <dl class="profile-facts">
                <div class="fact">
                    <dt>"Points balance"</dt>
                    <dd class="points-balance" data-testid="points-balance">
                        {format_count(customer.points_balance)}
                    </dd>
                    {use_can(Permission::PointsAdjust)
                        .then(|| view! { <dd><AdjustPointsButton customer_id=customer.id.clone()/></dd> }.into_any())}
                </div>
                <div class="fact">
                    <dt>"Tier"</dt>
                    <dd>
                        {customer.tier.clone().unwrap_or_else(|| "No tier".into())}
                        {tier_since.map(|since| view! { <span class="muted">" " {since}</span> })}
                        " "
                        <a href=tier_link class="fact-link">
                            "View more"
                        </a>
                    </dd>
                </div>
                <div class="fact">
                    <dt>"Member since"</dt>
                    <dd>{format_date(customer.member_since)}</dd>
                </div>
                <div class="fact">
                    <dt>"Last active"</dt>
                    <dd data-testid="last-active">
                        {customer.last_active_at.map(format_date_time).unwrap_or_else(|| "Never".into())}
                    </dd>
                </div>
                <div class="fact">
                    <dt>"Lifetime purchases"</dt>
                    <dd data-testid="lifetime-purchases">
                        {crate::words::count(customer.purchase_count, "purchase", "purchases")}
                        {customer.spend.iter().map(|total| view! {
                            <span class="spend-line">{total.summary(&customer.home_currency)}</span>
                        }).collect_view()}
                    </dd>
                </div>
            </dl>
            {use_can(Permission::AccessToolsUse)
                .then(|| view! { <AccessTools customer_id=customer.id.clone()/> })}
        </header>
    }
}
