//! The Promo Codes sub-tab: lockout (with reset), claimed codes and their limits, failed claims.

use super::api::{get_promo_overview, ResetPromoLockout};
use super::model::{describe_limits, Claim, ClaimError, PromoOverview, LOCKOUT_AFTER_FAILURES};
use crate::auth::{use_can, Permission};
use crate::customers::{use_customer_id, ProfilePageContext};
use crate::layout::{form_error, Column, DataTable, Loaded, TableName};
use crate::time::format_date_time;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The tab.
#[component]
pub fn PromoCodesTab() -> impl IntoView {
    let id = use_customer_id();
    let page = expect_context::<ProfilePageContext>();
    let reset = ServerAction::<ResetPromoLockout>::new();
    let overview = Resource::new(
        move || (id.get(), reset.version().get(), page.live_changes.get()),
        |(id, _, _)| get_promo_overview(id),
    );
    let reset_error = form_error(move || reset.value().get().and_then(Result::err));
    view! {
        <section class="panel" aria-labelledby="promo-title">
            <h2 id="promo-title">"Promo codes"</h2>
            <Loaded resource=overview what="promo codes" let:o>
                <Overview overview=o reset/>
            </Loaded>
            <p class="alert alert-error" role="alert" hidden=move || reset_error.get().is_none()>{reset_error}</p>
        </section>
    }
}

#[component]
fn Overview(overview: PromoOverview, reset: ServerAction<ResetPromoLockout>) -> impl IntoView {
    let id = use_customer_id();
    let may_reset = use_can(Permission::PromoResetLockout);
    let lockout = overview.lockout;
    let status = match (lockout.locked_until, lockout.locked_at) {
        (Some(until), Some(at)) => view! {
            <div class="alert alert-error lockout" data-testid="promo-lockout">
                <p>
                    <strong>{format!("Locked out of promo codes until {}", format_date_time(until))}</strong>
                    {format!(" after {LOCKOUT_AFTER_FAILURES} failed claims within an hour (locked {}).", format_date_time(at))}
                </p>
                {may_reset.then(|| view! {
                    <ActionForm action=reset>
                        <input type="hidden" name="customer_id" value=id.get_untracked()/>
                        <button type="submit" class="button">"Reset lockout"</button>
                    </ActionForm>
                })}
            </div>
        }
        .into_any(),
        _ => view! {
            <p class="lockout" data-testid="promo-lockout">
                {format!(
                    "Not locked out: {} of {LOCKOUT_AFTER_FAILURES} failed claims in the last hour.",
                    lockout.recent_failures
                )}
            </p>
        }
        .into_any(),
    };
    view! {
        {status}
        <p class="muted">
            {format!("{LOCKOUT_AFTER_FAILURES} failed claims within an hour lock claiming for 24 hours.")}
            {overview.last_reset.map(|(at, by)| format!(" Last reset {} by {by}.", format_date_time(at)))}
        </p>
        <h3 id="claims-title">"Claimed codes"</h3>
        <ClaimsTable claims=overview.claims/>
        <h3 id="claim-errors-title">"Failed claims"</h3>
        <ErrorsTable errors=overview.errors/>
    }
}

#[component]
fn ClaimsTable(claims: Vec<Claim>) -> impl IntoView {
    if claims.is_empty() {
        return view! { <p class="muted">"No codes claimed."</p> }.into_any();
    }
    view! {
        <DataTable class="promo-claims" name=TableName::LabelledBy("claims-title") columns=vec![Column::text("Claimed"), Column::text("Code"), Column::text("Gives"), Column::text("Limits"), Column::text("This customer")]>
            {claims.into_iter().map(|c| {
                let (gives, limits) = match &c.promo {
                    Some(p) => (p.description.clone(), describe_limits(p)),
                    None => ("Not in the catalogue".to_string(), "—".to_string()),
                };
                let claims = crate::words::count(c.claims_of_code, "claim", "claims");
                let uses = if c.limits_hit.is_empty() {
                    claims
                } else {
                    format!("{claims}; {}", c.limits_hit.join("; "))
                };
                view! {
                    <tr>
                        <td>{format_date_time(c.claimed_at)}</td>
                        <td><code>{c.code}</code></td>
                        <td>{gives}</td>
                        <td>{limits}</td>
                        <td>{uses}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

#[component]
fn ErrorsTable(errors: Vec<ClaimError>) -> impl IntoView {
    if errors.is_empty() {
        return view! { <p class="muted">"No failed claims."</p> }.into_any();
    }
    view! {
        <DataTable class="promo-errors" name=TableName::LabelledBy("claim-errors-title") columns=vec![Column::text("When"), Column::text("Code"), Column::text("Reason")]>
            {errors.into_iter().map(|e| view! {
                <tr>
                    <td>{format_date_time(e.at)}</td>
                    <td><code>{e.code}</code></td>
                    <td>{e.reason}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
