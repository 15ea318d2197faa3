//! The Points sub-tab: the ledger of every points movement with the running balance, what
//! caused it and who, when an agent did it.

use crate::customers::{use_customer_id, ProfilePageContext};
use crate::error::AppError;
use crate::layout::{Column, DataTable, Loaded, TableName};
use crate::time::{format_count, format_date_time, EpochMillis};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use {super::service, crate::auth::guard::require, crate::auth::Permission};

/// One ledger line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    /// The event that moved the points.
    pub event_id: String,
    /// When.
    pub at: EpochMillis,
    /// Earned, used, comped, deducted, expired.
    pub kind: String,
    /// Change (signed).
    pub points: i64,
    /// Balance right after it.
    pub balance_after: i64,
    /// Why, if given.
    pub reason: Option<String>,
    /// The agent who comped or deducted, or the sending system.
    pub by: String,
}

/// One page of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPage {
    /// Lines, newest first.
    pub lines: Vec<LedgerLine>,
    /// Cursor of the next page: `(occurred_at, event id, balance before the last line)`.
    pub next: Option<(i64, String, i64)>,
}

/// A page of customer `customer_id`'s points ledger; `after` is the previous page's `next`.
#[server(endpoint = "points_ledger")]
pub async fn points_ledger(
    customer_id: String,
    after: Option<(i64, String, i64)>,
) -> Result<LedgerPage, AppError> {
    crate::error::respond(async {
        require(Permission::CustomersSearch)?;
        service::ledger(&crate::state::app_state()?, customer_id, after).await
    })
    .await
}

/// The ledger table with "Load older entries".
#[component]
pub fn PointsLedger() -> impl IntoView {
    let id = use_customer_id();
    let page = expect_context::<ProfilePageContext>();
    let first = Resource::new(
        move || (id.get(), page.header_version.get(), page.live_changes.get()),
        |(id, _, _)| points_ledger(id, None),
    );
    let more = RwSignal::new(Vec::<LedgerLine>::new());
    let next = RwSignal::new(None::<Option<(i64, String, i64)>>);
    let load = Action::new(move |cursor: &(i64, String, i64)| {
        let (id, cursor) = (id.get_untracked(), cursor.clone());
        async move { points_ledger(id, Some(cursor)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load.value().get() {
            more.update(|lines| lines.extend(page.lines));
            next.set(Some(page.next));
        }
    });
    Effect::new(move |_| {
        if first.get().is_some() {
            more.set(Vec::new());
            next.set(None);
        }
    });
    view! {
        <section class="panel" aria-labelledby="ledger-title">
            <h2 id="ledger-title">"Points ledger"</h2>
            <Loaded resource=first what="the ledger" let:value>
                {match value {
                    ledger if ledger.lines.is_empty() => view! { <p class="muted">"No points movements yet."</p> }.into_any(),
                    ledger => {
                        let cursor = move || next.get().unwrap_or_else(|| ledger.next.clone());
                        let lines = ledger.lines.clone();
                        view! {
                            <DataTable class="ledger" name=TableName::Section columns=vec![Column::text("Date and time"), Column::text("Movement"), Column::number("Points"), Column::number("Balance"), Column::text("Reason"), Column::text("By")]>
                                {lines.into_iter().map(|line| view! { <LedgerRow line/> }).collect_view()}
                                <For each=move || more.get() key=|line| line.event_id.clone() let:line>
                                    <LedgerRow line/>
                                </For>
                            </DataTable>
                            {move || cursor().map(|c| view! {
                                <button class="button secondary load-more" disabled=move || load.pending().get()
                                    on:click=move |_| { load.dispatch(c.clone()); }>
                                    "Load older entries"
                                </button>
                            })}
                        }.into_any()
                    }
                }}
            </Loaded>
        </section>
    }
}

#[component]
fn LedgerRow(line: LedgerLine) -> impl IntoView {
    let points = if line.points > 0 {
        format!("+{}", format_count(line.points))
    } else {
        format!("−{}", format_count(-line.points))
    };
    view! {
        <tr>
            <td class="nowrap">{format_date_time(line.at)}</td>
            <td>{line.kind}</td>
            <td class="number">{points}</td>
            <td class="number">{format_count(line.balance_after)}</td>
            <td>{line.reason.unwrap_or_default()}</td>
            <td>{line.by}</td>
        </tr>
    }
}
