//! `/campaigns/:id`: a campaign's own page.

use super::api::get_campaign;
use crate::layout::Loaded;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The campaign page.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let params = use_params_map();
    let campaign = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_campaign,
    );
    view! {
        <div class="page">
            <Loaded resource=campaign what="campaign" let:c>
                {
                    let status = if c.running(crate::time::now_millis()) { "Running" } else { "Not running" };
                    view! {
                        <leptos_meta::Title text=format!("{} · Campaigns · Customer Profiles", c.name)/>
                        <h1>{c.name.clone()}</h1>
                        <p>{c.description.clone()}</p>
                        <dl class="fact-list">
                            <dt>"Goal"</dt>
                            <dd>{format!("{} {}", c.goal, c.unit)}</dd>
                            <dt>"Runs"</dt>
                            <dd>{c.period()}</dd>
                            <dt>"Status"</dt>
                            <dd>{status}</dd>
                            <dt>"For"</dt>
                            <dd>{c.audience.clone().map(|t| format!("{t} members")).unwrap_or_else(|| "Every member".into())}</dd>
                        </dl>
                    }
                    .into_any()
                }
            </Loaded>
        </div>
    }
}
