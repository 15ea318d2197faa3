//! The Points sub-tab: the ledger of every points movement with the running balance, what
//! caused it and who, when an agent did it.

use crate::customers::{use_customer_id, ProfilePageContext};
use crate::error::AppError;
use crate::layout::ErrorPanel;
use crate::time::{format_count, format_date_time, EpochMillis};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
    crate::error::respond(server::ledger(customer_id, after).await)
}

#[cfg(feature = "ssr")]
mod server {
    use super::{LedgerLine, LedgerPage};
    use crate::error::AppError;
    use crate::points::db;
    use serde_json::Value;

    /// Lines per page.
    const LEDGER_PAGE: usize = 50;

    pub async fn ledger(
        customer_id: String,
        after: Option<(i64, String, i64)>,
    ) -> Result<LedgerPage, AppError> {
        crate::auth::guard::require(crate::auth::Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        let mut running = match &after {
            Some((_, _, balance)) => *balance,
            None => db::balance(&state.db, &customer_id)
                .await?
                .ok_or_else(|| AppError::NotFound("No such customer.".into()))?,
        };
        let cursor = after.map(|(at, id, _)| (at, id));
        let limit = i64::try_from(LEDGER_PAGE + 1).unwrap_or(i64::MAX);
        let mut rows = db::ledger(&state.db, &customer_id, cursor.as_ref(), limit).await?;
        let more = rows.len() > LEDGER_PAGE;
        rows.truncate(LEDGER_PAGE);
        let mut lines = Vec::with_capacity(rows.len());
        for row in rows {
            let payload: Value = serde_json::from_str(&row.payload).unwrap_or(Value::Null);
            let text = |key: &str| payload.get(key).and_then(Value::as_str).map(str::to_string);
            lines.push(LedgerLine {
                event_id: row.id,
                at: row.occurred_at,
                kind: crate::activity::event_label(&row.event_type),
                points: row.points_delta,
                balance_after: running,
                reason: text("reason")
                    .or_else(|| text("rule"))
                    .or_else(|| text("reward")),
                by: text("agent").unwrap_or(row.source),
            });
            running -= row.points_delta;
        }
        let next = more
            .then(|| lines.last().map(|l| (l.at, l.event_id.clone(), running)))
            .flatten();
        Ok(LedgerPage { lines, next })
    }
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
            <Transition fallback=|| view! { <p role="status">"Loading the ledger…"</p> }>
                {move || first.get().map(|result| match result {
                    Ok(ledger) if ledger.lines.is_empty() => view! { <p class="muted">"No points movements yet."</p> }.into_any(),
                    Ok(ledger) => {
                        let cursor = move || next.get().unwrap_or_else(|| ledger.next.clone());
                        let lines = ledger.lines.clone();
                        view! {
                            <table class="data-table ledger">
                                <thead>
                                    <tr>
                                        <th scope="col">"Date and time"</th>
                                        <th scope="col">"Movement"</th>
                                        <th scope="col" class="number">"Points"</th>
                                        <th scope="col" class="number">"Balance"</th>
                                        <th scope="col">"Reason"</th>
                                        <th scope="col">"By"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {lines.into_iter().map(|line| view! { <LedgerRow line/> }).collect_view()}
                                    <For each=move || more.get() key=|line| line.event_id.clone() let:line>
                                        <LedgerRow line/>
                                    </For>
                                </tbody>
                            </table>
                            {move || cursor().map(|c| view! {
                                <button class="button secondary load-more" disabled=move || load.pending().get()
                                    on:click=move |_| { load.dispatch(c.clone()); }>
                                    "Load older entries"
                                </button>
                            })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                })}
            </Transition>
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
