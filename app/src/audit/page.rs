//! `/admin/audit`: the audit trail with filters from the URL (so a filtered view can be shared).

use super::api::list_audit;
use super::model::{AuditEntry, AuditFilter};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{Column, DataTable, Loaded, TableName};
use crate::time::format_date_time;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The audit trail.
#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <RequirePermission permission=Permission::SettingsManage>
            <AuditScreen/>
        </RequirePermission>
    }
}

#[component]
fn AuditScreen() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        let get = |key: &str| q.get(key).unwrap_or_default();
        AuditFilter {
            actor: get("actor"),
            action: get("action"),
            customer_id: get("customer"),
            from: get("from"),
            to: get("to"),
        }
    });
    let (cursor, set_cursor) = signal(None::<(i64, String)>);
    Effect::new(move |_| {
        filter.track();
        set_cursor.set(None);
    });
    let page = Resource::new(
        move || (filter.get(), cursor.get()),
        |(filter, before)| list_audit(filter, before),
    );
    view! {
        <leptos_meta::Title text="Audit trail · Admin · Customer Profiles"/>
        <div class="page admin-page">
            <p class="breadcrumbs"><a href="/admin">"Admin"</a></p>
            <h1>"Audit trail"</h1>
            <Loaded resource=page what="the audit trail" let:page>
                {
                    let next = page.next.clone();
                    view! {
                        <AuditFilters filter=filter.get() actions=page.actions/>
                        <AuditTable entries=page.entries/>
                        {next.map(|next| view! {
                            <button type="button" class="button secondary"
                                on:click=move |_| set_cursor.set(Some(next.clone()))>
                                "Older records"
                            </button>
                        })}
                    }
                    .into_any()
                }
            </Loaded>
        </div>
    }
}

#[component]
fn AuditFilters(filter: AuditFilter, actions: Vec<String>) -> impl IntoView {
    view! {
        <form class="filters" method="get" action="/admin/audit" role="search" aria-label="Filter the audit trail">
            <div class="field">
                <label for="audit-actor">"User email"</label>
                <input id="audit-actor" name="actor" type="email" value=filter.actor/>
            </div>
            <div class="field">
                <label for="audit-action">"Action"</label>
                <select id="audit-action" name="action">
                    <option value="">"Any action"</option>
                    {actions
                        .into_iter()
                        .map(|a| {
                            let selected = a == filter.action;
                            view! { <option value=a.clone() selected=selected>{a.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-customer">"Customer id"</label>
                <input id="audit-customer" name="customer" value=filter.customer_id/>
            </div>
            <div class="field">
                <label for="audit-from">"From"</label>
                <input id="audit-from" name="from" type="date" value=filter.from/>
            </div>
            <div class="field">
                <label for="audit-to">"To"</label>
                <input id="audit-to" name="to" type="date" value=filter.to/>
            </div>
            <button type="submit" class="button">"Filter"</button>
            <a class="button secondary" href="/admin/audit">"Clear"</a>
        </form>
    }
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty">"No records match these filters."</p> }.into_any();
    }
    view! {
        <DataTable class="audit-table" name=TableName::Caption("Audit records, newest first") columns=vec![Column::text("When"), Column::text("Who"), Column::text("Action"), Column::text("Customer"), Column::text("Subject"), Column::text("Before"), Column::text("After")]>
            {entries
                .into_iter()
                .map(|e| {
                    view! {
                        <tr>
                            <td>{format_date_time(e.at)}</td>
                            <td>{e.actor_email}</td>
                            <td><code>{e.action}</code></td>
                            <td>
                                {e.customer_id.map(|id| view! {
                                    <a href=format!("/customers/{id}")>{id.chars().take(8).collect::<String>()}"…"</a>
                                })}
                            </td>
                            <td>{e.subject}</td>
                            <td><code class="json">{e.before}</code></td>
                            <td><code class="json">{e.after}</code></td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
    .into_any()
}
