//! The Support sub-tab of Activity: the customer's Zendesk tickets.

use super::api::get_support_tickets;
use super::model::SupportTickets;
use crate::customers::use_customer_id;
use crate::layout::{Column, DataTable, Loaded, TableName};
use crate::time::format_date_time;
use leptos::prelude::*;

/// Status, type, subject (linking to the ticket) and submitted-at of each ticket.
#[component]
pub fn SupportTab() -> impl IntoView {
    let id = use_customer_id();
    let tickets = Resource::new(move || id.get(), get_support_tickets);
    view! {
        <section class="panel" aria-labelledby="support-title">
            <h2 id="support-title">"Support tickets"</h2>
            <Loaded resource=tickets what="tickets" let:value>
                {match value {
                    SupportTickets::NotConnected => view! {
                        <p class="muted">"Zendesk is not connected to this console, so support tickets cannot be shown. An administrator can connect it (ZENDESK_URL, ZENDESK_EMAIL, ZENDESK_TOKEN)."</p>
                    }.into_any(),
                    SupportTickets::NoEmail => view! {
                        <p class="muted">"This customer has no email address, so no Zendesk tickets can be matched to them."</p>
                    }.into_any(),
                    SupportTickets::Tickets { tickets, synced_at, stale } => view! {
                        {stale.map(|reason| view! {
                            <p class="alert alert-info" role="status">
                                {format!("Showing tickets as last fetched{}: {reason}.",
                                    synced_at.map(|at| format!(" at {}", format_date_time(at))).unwrap_or_default())}
                            </p>
                        })}
                        {if tickets.is_empty() {
                            view! { <p class="muted">"No support tickets."</p> }.into_any()
                        } else {
                            view! {
                                <DataTable class="support-table" name=TableName::Section columns=vec![Column::text("Status"), Column::text("Type"), Column::text("Subject"), Column::text("Submitted")]>
                                    {tickets.into_iter().map(|t| view! {
                                        <tr>
                                            <td><span class=format!("ticket-status ticket-{}", t.status)>{t.status.clone()}</span></td>
                                            <td>{t.ticket_type.unwrap_or_else(|| "—".into())}</td>
                                            <td><a href=t.url target="_blank" rel="noopener">{t.subject}<span class="visually-hidden">{format!(" (ticket {}, opens Zendesk)", t.id)}</span></a></td>
                                            <td>{format_date_time(t.submitted_at)}</td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                            }.into_any()
                        }}
                    }.into_any(),
                }}
            </Loaded>
        </section>
    }
}
