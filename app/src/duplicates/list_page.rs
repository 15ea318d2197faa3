//! `/duplicates`: the organisation's likely duplicates, one reason at a time, page by page,
//! for supervisors to work through. Needs customers.merge.

use super::api::list_duplicates;
use super::model::{DuplicatePage, Reason};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{Column, DataTable, Loaded, TableName};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The duplicates page.
#[component]
pub fn DuplicatesPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Likely duplicates · Customer Profiles"/>
        <RequirePermission permission=Permission::CustomersMerge>
            <DuplicateList/>
        </RequirePermission>
    }
}

#[component]
fn DuplicateList() -> impl IntoView {
    let query = use_query_map();
    let reason = Memo::new(move |_| {
        query
            .read()
            .get("reason")
            .and_then(|r| Reason::parse(&r))
            .unwrap_or(Reason::Email)
    });
    let after = Memo::new(move |_| query.read().get("after"));
    let page = Resource::new(
        move || (reason.get(), after.get()),
        |(reason, after)| list_duplicates(reason.as_str().into(), after),
    );
    view! {
        <div class="page">
            <h1>"Likely duplicates"</h1>
            <p class="muted">
                "Customers who may be one person. Open a pair to compare them and merge; a merge can be undone."
            </p>
            <nav class="sub-tab-bar" aria-label="Why they match">
                <ul>
                    {Reason::ALL
                        .map(|r| view! {
                            <li>
                                <a href=format!("/duplicates?reason={}", r.as_str())
                                    aria-current=move || (reason.get() == r).then_some("page")>
                                    {r.describe()}
                                </a>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </nav>
            <Loaded resource=page what="likely duplicates" let:found>
                <Groups found reason=reason.get_untracked()/>
            </Loaded>
        </div>
    }
}

#[component]
fn Groups(found: DuplicatePage, reason: Reason) -> impl IntoView {
    if found.groups.is_empty() {
        return view! { <p class="muted">"No likely duplicates of this kind."</p> }.into_any();
    }
    let next = found.next.map(|cursor| {
        let href = format!(
            "/duplicates?reason={}&after={}",
            reason.as_str(),
            crate::words::percent_encode(&cursor)
        );
        view! { <p><a class="button secondary" href=href>"Next page"</a></p> }
    });
    view! {
        <DataTable class="duplicate-groups" name=TableName::Caption(reason.describe())
            columns=vec![Column::text("Shared"), Column::text("Customers"), Column::hidden("Actions")]>
            {found.groups.into_iter().map(|group| {
                let review = match group.customers.as_slice() {
                    [(first, _), (second, _), ..] => Some(format!("/customers/{first}/merge/{second}")),
                    _ => None,
                };
                view! {
                    <tr>
                        <td>{group.shared}</td>
                        <td>
                            <ul class="plain-list">
                                {group.customers.into_iter().map(|(id, name)| view! {
                                    <li><a href=format!("/customers/{id}")>{name}</a></li>
                                }).collect_view()}
                            </ul>
                        </td>
                        <td>{review.map(|href| view! { <a class="button secondary" href=href>"Compare"</a> })}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
        {next}
    }
    .into_any()
}
