//! The use cases behind the server functions of this feature.

use super::{LedgerLine, LedgerPage};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::events::NewEvent;

use crate::points::db::{self, Adjusted};
use crate::state::AppState;
use crate::time::now_millis;
use crate::words::count;
use serde_json::json;
use serde_json::Value;

/// Lines per page.
const LEDGER_PAGE: usize = 50;

/// A customer's points ledger, one page, newest first, with the running balance.
pub async fn ledger(
    state: &AppState,
    customer_id: String,
    after: Option<(i64, String, i64)>,
) -> Result<LedgerPage, AppError> {
    let mut running = match &after {
        Some((_, _, balance)) => *balance,
        None => db::balance(&state.db, &customer_id)
            .await?
            .ok_or_else(|| AppError::no_customer(&customer_id))?,
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
            kind: crate::events::event_label(&row.event_type),
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

/// Adds or removes points with a reason, refusing a negative balance, audited and published.
pub async fn adjust(
    state: &AppState,
    agent: &CurrentUser,
    customer_id: String,
    points: String,
    reason: String,
) -> Result<i64, AppError> {
    let delta =
        crate::points::parse_points(&points).map_err(|m| AppError::validation("points", m))?;
    let reason = reason.trim().to_string();
    if reason.chars().count() < 3 || reason.chars().count() > 200 {
        return Err(AppError::validation(
            "reason",
            "Give a reason of 3 to 200 characters; it is shown in the points ledger.",
        ));
    }
    crate::privacy::db::refuse_if_restricted(&state.db, &customer_id, "no points changes").await?;
    let now = now_millis();
    // Read before the transaction: reading through the pool while holding it could wait
    // for a connection that concurrent adjustments hold (found by the concurrency test).
    let tier_rules = crate::tiers::db::rules(&state.db).await?;
    let mut change = Change::begin(state, agent).await?;
    let balance = match db::apply(change.tx(), &customer_id, delta, now).await? {
        Adjusted::Applied(balance) => balance,
        Adjusted::NoCustomer => return Err(AppError::no_customer(&customer_id)),
        Adjusted::WouldGoNegative(balance) => {
            return Err(AppError::validation(
                "points",
                format!(
                    "Deducting {} would take the balance below zero: the customer has {}.",
                    count(-delta, "point", "points"),
                    count(balance, "point", "points")
                ),
            ))
        }
    };
    let event_type = if delta > 0 {
        "points_comped"
    } else {
        "points_deducted"
    };
    let event = NewEvent {
        points_delta: Some(delta),
        ..NewEvent::console(
            &customer_id,
            event_type,
            now,
            json!({
                "reason": reason,
                "agent": agent.display_name,
                "agent_email": agent.email,
            }),
        )
    };
    change.event(event).await?;
    change
        .audit("points.adjust", |r| {
            r.customer(&customer_id).change(
                json!({"points_balance": balance - delta}),
                json!({"points_balance": balance, "reason": reason}),
            )
        })
        .await?;
    if delta > 0 {
        // Comped points qualify for tiers like earned ones.
        crate::tiers::engine::apply_rules(change.tx(), &tier_rules, &[&customer_id], now).await?;
    }
    change.commit().await?;
    Ok(balance)
}
