//! The Offers sub-tab: offers held with their status; issue one from the catalogue.

use super::api::{list_offers, IssueOffer};
use super::model::HeldOffer;
use crate::auth::{use_can, Permission};
use crate::customers::{use_customer_id, ProfilePageContext};
use crate::layout::{field_error, form_error, Column, DataTable, Field, Loaded, TableName};
use crate::time::format_date_time;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The tab.
#[component]
pub fn OffersTab() -> impl IntoView {
    let id = use_customer_id();
    let page = expect_context::<ProfilePageContext>();
    let issue = ServerAction::<IssueOffer>::new();
    let offers = Resource::new(
        move || (id.get(), issue.version().get(), page.live_changes.get()),
        |(id, _, _)| list_offers(id),
    );
    let may_issue = use_can(Permission::OffersIssue);
    let error = move || issue.value().get().and_then(Result::err);
    let general = form_error(error);
    view! {
        <section class="panel" aria-labelledby="offers-title">
            <h2 id="offers-title">"Offers"</h2>
            <Loaded resource=offers what="offers" let:list>
                {may_issue.then(|| view! {
                    <ActionForm action=issue attr:class="inline-form">
                        <input type="hidden" name="customer_id" value=id.get_untracked()/>
                        <Field id="issue-offer" label="Issue an offer" error=field_error(error, "offer_id")>
                            <select id="issue-offer" name="offer_id" required aria-describedby="issue-offer-error">
                                <option value="">"Choose an offer"</option>
                                {list.catalog.iter().map(|o| view! {
                                    <option value=o.id.clone()>{format!("{} — {} (valid {})", o.name, o.description, crate::words::count(o.valid_days, "day", "days"))}</option>
                                }).collect_view()}
                            </select>
                        </Field>
                        <button type="submit" class="button secondary">"Issue offer"</button>
                    </ActionForm>
                })}
                <HeldTable held=list.held now=list.now/>
            </Loaded>
            <p class="alert alert-error" role="alert" hidden=move || general.get().is_none()>{general}</p>
        </section>
    }
}

#[component]
fn HeldTable(held: Vec<HeldOffer>, now: i64) -> impl IntoView {
    if held.is_empty() {
        return view! { <p class="muted">"No offers held."</p> }.into_any();
    }
    view! {
        <DataTable class="offers" name=TableName::Section columns=vec![Column::text("Offer"), Column::text("Status"), Column::text("Issued"), Column::text("Expires"), Column::text("Issued by")]>
            {held.into_iter().map(|o| {
                let status = o.status(now);
                view! {
                    <tr>
                        <td>{o.name}</td>
                        <td>{status}</td>
                        <td>{format_date_time(o.issued_at)}</td>
                        <td>{format_date_time(o.expires_at)}</td>
                        <td>{o.issued_by}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
