//! The Rewards sub-tab: rewards redeemed, their status, and each order's delivery history.

use super::api::list_rewards;
use super::model::{OrderUpdate, Redemption};
use crate::customers::{use_customer_id, ProfilePageContext};
use crate::layout::{Column, DataTable, Loaded, TableName};
use crate::time::format_date_time;
use leptos::prelude::*;

/// The tab.
#[component]
pub fn RewardsTab() -> impl IntoView {
    let id = use_customer_id();
    let page = expect_context::<ProfilePageContext>();
    let rewards = Resource::new(
        move || (id.get(), page.live_changes.get()),
        |(id, _)| list_rewards(id),
    );
    view! {
        <section class="panel" aria-labelledby="rewards-title">
            <h2 id="rewards-title">"Rewards"</h2>
            <Loaded resource=rewards what="rewards" let:value>
                {match value {
                    list if list.is_empty() => {
                        view! { <p class="muted">"No rewards redeemed."</p> }.into_any()
                    }
                    list => view! {
                        <DataTable class="rewards" name=TableName::LabelledBy("rewards-title") columns=vec![Column::text("Redeemed"), Column::text("Reward"), Column::text("Status"), Column::text("Order and delivery")]>
                            {list.into_iter().map(|r| view! { <RewardRow r/> }).collect_view()}
                        </DataTable>
                    }
                    .into_any(),
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn RewardRow(r: Redemption) -> impl IntoView {
    let order = match (&r.order_id, r.history.is_empty()) {
        (None, _) => {
            view! { <span class="muted">"No order (redeemed in store or as a voucher)"</span> }
                .into_any()
        }
        (Some(order), true) => {
            view! { <span>{format!("Order {order}: no delivery news yet")}</span> }.into_any()
        }
        (Some(order), false) => view! {
            <details>
                <summary>{format!("Order {order} · {}", crate::words::count(r.history.len() as i64, "update", "updates"))}</summary>
                <ol class="order-history">
                    {r.history.into_iter().map(|u| view! { <UpdateItem u/> }).collect_view()}
                </ol>
            </details>
        }
        .into_any(),
    };
    view! {
        <tr>
            <td>{format_date_time(r.redeemed_at)}</td>
            <td>{r.reward}</td>
            <td>{r.status}</td>
            <td>{order}</td>
        </tr>
    }
}

#[component]
fn UpdateItem(u: OrderUpdate) -> impl IntoView {
    let carrier = u.carrier.map(|c| format!(" · {c}")).unwrap_or_default();
    let reference = match (u.tracking_ref, u.tracking_url) {
        (Some(r), Some(url)) => view! { " · " <a href=url rel="noopener noreferrer" target="_blank">{format!("Track {r}")}</a> }.into_any(),
        (Some(r), None) => view! { <span>{format!(" · Tracking {r}")}</span> }.into_any(),
        (None, Some(url)) => view! { " · " <a href=url rel="noopener noreferrer" target="_blank">"Track"</a> }.into_any(),
        (None, None) => ().into_any(),
    };
    view! {
        <li>
            <strong>{u.status}</strong>
            {format!(" {}{carrier}", format_date_time(u.at))}
            {reference}
        </li>
    }
}
