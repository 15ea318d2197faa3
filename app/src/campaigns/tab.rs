//! The Campaigns sub-tab: each campaign the customer is in or may join, with progress.

use super::api::list_customer_campaigns;
use super::model::{CustomerCampaign, Standing};
use crate::customers::{use_customer_id, ProfilePageContext};
use crate::layout::{Column, DataTable, Loaded, TableName};
use crate::time::format_date_time;
use leptos::prelude::*;

/// The tab.
#[component]
pub fn CampaignsTab() -> impl IntoView {
    let id = use_customer_id();
    let page = expect_context::<ProfilePageContext>();
    let campaigns = Resource::new(
        move || (id.get(), page.live_changes.get()),
        |(id, _)| list_customer_campaigns(id),
    );
    view! {
        <section class="panel" aria-labelledby="campaigns-title">
            <h2 id="campaigns-title">"Campaigns"</h2>
            <Loaded resource=campaigns what="campaigns" let:value>
                {match value {
                    list if list.is_empty() => {
                        view! { <p class="muted">"No campaigns running for this customer."</p> }.into_any()
                    }
                    list => view! { <CampaignTable campaigns=list/> }.into_any(),
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn CampaignTable(campaigns: Vec<CustomerCampaign>) -> impl IntoView {
    view! {
        <DataTable class="campaigns" name=TableName::LabelledBy("campaigns-title") columns=vec![Column::text("Campaign"), Column::text("Standing"), Column::text("Progress"), Column::text("Runs"), Column::text("Last progress")]>
            {campaigns.into_iter().map(|c| view! { <CampaignRow c/> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn CampaignRow(c: CustomerCampaign) -> impl IntoView {
    let standing = match c.standing {
        Standing::Completed => "Completed",
        Standing::InProgress => "In progress",
        Standing::Eligible => "Eligible",
    };
    let goal = c.campaign.goal.max(1);
    let label = format!("{} of {} {}", c.progress.min(goal), goal, c.campaign.unit);
    let name = if c.campaign.id.is_empty() {
        view! { <span>{c.campaign.name.clone()}</span> }.into_any()
    } else {
        view! { <a href=format!("/campaigns/{}", c.campaign.id)>{c.campaign.name.clone()}</a> }
            .into_any()
    };
    view! {
        <tr>
            <td>{name}</td>
            <td>{standing}</td>
            <td>
                <progress max=goal value=c.progress.min(goal) aria-label=format!("{}: {label}", c.campaign.name)></progress>
                " "
                <span>{label}</span>
            </td>
            <td>{c.campaign.period()}</td>
            <td>{c.last_progress_at.map(format_date_time).unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}
