//! Merging duplicate customers and undoing a merge exactly. A merge moves everything of the
//! absorbed customer to the survivor in one transaction and records, beside it, the rows as
//! they were before and as the merge left them; an undo puts back what is still as the merge
//! left it and keeps what changed since (events that arrived for the survivor stay with it).

use super::db::{self, NewMerge};
use super::model::{FieldConflict, MergeDone, MergePreview, MergeRecord, MergeSide, UndoDone};
use super::plan::{self, int, ADDITIVE_CUSTOMER_COLUMNS, FIELD_GROUPS};
use crate::auth::{CurrentUser, Permission};
use crate::change::{Change, Tx};
use crate::error::AppError;
use crate::events::NewEvent;
use crate::identity::{mask_email, mask_phone};
use crate::money;
use crate::state::AppState;
use crate::store::customer_tables::{combined_on_merge, moved_on_merge};
use crate::store::rows::JsonRow;
use crate::time::now_millis;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What an undo needs, kept with the merge until it is undone or the survivor forgotten.
#[derive(Serialize, Deserialize)]
struct Restore {
    survivor_before: JsonRow,
    survivor_after: JsonRow,
    absorbed: JsonRow,
    /// Per combined table: the survivor's rows before, the absorbed customer's, and the
    /// survivor's after.
    tables: BTreeMap<String, [Vec<JsonRow>; 3]>,
    /// Per moved table (and `privacy_requests`): the ids that moved.
    moved: BTreeMap<String, Vec<String>>,
    /// Tier changes the tier rules made on the combined points (removed by an undo).
    tier_events: Vec<String>,
    /// The survivor's `customers_merged` event (kept: the merge's history line).
    history_event: String,
}

/// The two customers of a merge as read inside one transaction.
struct Pair {
    survivor: JsonRow,
    absorbed: JsonRow,
}

fn text(row: &JsonRow, column: &str) -> Option<String> {
    row.get(column)
        .and_then(Value::as_str)
        .map(str::to_string)
        .filter(|s| !s.trim().is_empty())
}

/// The customer's name, or "Unnamed customer".
fn name_of(row: &JsonRow) -> String {
    crate::customers::full_name(
        text(row, "first_name").as_deref(),
        text(row, "last_name").as_deref(),
    )
    .unwrap_or_else(|| "Unnamed customer".into())
}

fn side(row: &JsonRow) -> MergeSide {
    MergeSide {
        id: text(row, "id").unwrap_or_default(),
        name: name_of(row),
        version: int(row, "version").unwrap_or(0),
        points_balance: int(row, "points_balance").unwrap_or(0),
        purchase_count: int(row, "purchase_count").unwrap_or(0),
        spend: Vec::new(),
        tier: text(row, "tier"),
        is_test: int(row, "is_test").unwrap_or(0) != 0,
        restricted_at: int(row, "restricted_at"),
    }
}

/// Why these two cannot be merged at all, if they cannot.
fn refusal(pair: &Pair) -> Option<String> {
    let test = |row: &JsonRow| int(row, "is_test").unwrap_or(0) != 0;
    (test(&pair.survivor) != test(&pair.absorbed)).then(|| {
        "A test persona cannot be merged with a real customer: their data would mix with real \
         reporting."
            .to_string()
    })
}

fn restricted(pair: &Pair) -> bool {
    int(&pair.survivor, "restricted_at").is_some() || int(&pair.absorbed, "restricted_at").is_some()
}

fn not_itself(survivor_id: &str, absorbed_id: &str) -> Result<(), AppError> {
    if survivor_id == absorbed_id {
        return Err(AppError::validation(
            "absorbed_id",
            "A customer cannot be merged with itself: choose another profile.",
        ));
    }
    Ok(())
}

/// Reads both customers (locked on PostgreSQL, in id order so two merges of the same pair
/// queue instead of deadlocking).
async fn read_pair(
    tx: &mut Tx,
    survivor_id: &str,
    absorbed_id: &str,
    lock: bool,
) -> Result<Pair, AppError> {
    let mut ids = [survivor_id, absorbed_id];
    ids.sort_unstable();
    let mut found = BTreeMap::new();
    for id in ids {
        if let Some(row) = db::customer_row(tx, id, lock).await? {
            found.insert(id.to_string(), row);
        }
    }
    let mut take = |id: &str| {
        found.remove(id).ok_or_else(|| {
            AppError::NotFound(
                "One of the two customers no longer exists: it may have been merged or \
                 forgotten meanwhile. Search again."
                    .into(),
            )
        })
    };
    Ok(Pair {
        survivor: take(survivor_id)?,
        absorbed: take(absorbed_id)?,
    })
}

/// Whether the absorbed customer's tier ranks above the survivor's.
async fn absorbed_tier_higher(tx: &mut Tx, pair: &Pair) -> Result<bool, AppError> {
    let survivor = db::tier_rank(tx, text(&pair.survivor, "tier").as_deref()).await?;
    let absorbed = db::tier_rank(tx, text(&pair.absorbed, "tier").as_deref()).await?;
    Ok(absorbed > survivor)
}

/// What merging `absorbed_id` into `survivor_id` would do. Nothing is written.
pub async fn preview(
    state: &AppState,
    user: &CurrentUser,
    survivor_id: String,
    absorbed_id: String,
) -> Result<MergePreview, AppError> {
    not_itself(&survivor_id, &absorbed_id)?;
    let mut tx = state.db.pool().begin().await?;
    let pair = read_pair(&mut tx, &survivor_id, &absorbed_id, false).await?;
    let show_pii = user.can(Permission::CustomersViewPii);
    let (mut conflicts, mut filled) = field_differences(&pair, show_pii);
    let attributes = |rows: Vec<JsonRow>| -> BTreeMap<String, String> {
        rows.iter()
            .filter_map(|r| Some((text(r, "key")?, text(r, "value").unwrap_or_default())))
            .collect()
    };
    let own = attributes(db::rows_of(&mut tx, "customer_attributes", &survivor_id).await?);
    let theirs = attributes(db::rows_of(&mut tx, "customer_attributes", &absorbed_id).await?);
    attribute_differences(&own, &theirs, &mut conflicts, &mut filled);
    let identifiers = db::rows_of(&mut tx, "customer_identifiers", &absorbed_id).await?;
    let identifiers = identifiers
        .iter()
        .map(|row| shown_identifier(row, show_pii))
        .collect();
    let moves = db::counts(&mut tx, &absorbed_id).await?;
    let higher = absorbed_tier_higher(&mut tx, &pair).await?;
    let after = plan::combined_customer(&pair.survivor, &pair.absorbed, &[], higher, 0);
    drop(tx);
    let home = crate::settings::service::currency(&state.db).await?;
    let (mut survivor, mut absorbed) = (side(&pair.survivor), side(&pair.absorbed));
    survivor.spend = spend_of(state, &survivor.id, &home).await?;
    absorbed.spend = spend_of(state, &absorbed.id, &home).await?;
    let spend_after = money::combined(&survivor.spend, &absorbed.spend);
    Ok(MergePreview {
        survivor,
        absorbed,
        moves,
        identifiers,
        filled,
        conflicts,
        points_after: int(&after, "points_balance").unwrap_or(0),
        purchases_after: int(&after, "purchase_count").unwrap_or(0),
        spend_after: money::home_first(spend_after, &home),
        home_currency: home,
        tier_after: text(&after, "tier"),
        refusal: refusal(&pair),
        needs_restriction_confirmation: restricted(&pair),
    })
}

/// The field groups both customers fill differently (conflicts, the personal ones hidden
/// without `customers.view_pii`) and those only the absorbed one fills (filled in).
fn field_differences(pair: &Pair, show_pii: bool) -> (Vec<FieldConflict>, Vec<String>) {
    let mut conflicts = Vec::new();
    let mut filled = Vec::new();
    for group in &FIELD_GROUPS {
        if plan::conflicts(&pair.survivor, &pair.absorbed, group) {
            let shown = |row: &JsonRow| {
                if group.personal && !show_pii {
                    "Hidden (needs customers.view_pii)".to_string()
                } else {
                    plan::shown(row, group)
                }
            };
            conflicts.push(FieldConflict {
                field: group.name.into(),
                label: group.label.into(),
                survivor: shown(&pair.survivor),
                absorbed: shown(&pair.absorbed),
                suggest_absorbed: group.consent
                    && plan::shown(&pair.absorbed, group) == "Opted out",
            });
        } else if !plan::fills(&pair.survivor, group) && plan::fills(&pair.absorbed, group) {
            filled.push(group.label.to_string());
        }
    }
    (conflicts, filled)
}

/// The attributes both customers hold with different values, and those only the absorbed
/// one holds.
fn attribute_differences(
    own: &BTreeMap<String, String>,
    theirs: &BTreeMap<String, String>,
    conflicts: &mut Vec<FieldConflict>,
    filled: &mut Vec<String>,
) {
    for (key, value) in theirs {
        match own.get(key) {
            Some(mine) if mine != value => conflicts.push(FieldConflict {
                field: format!("attribute:{key}"),
                label: format!("Attribute “{key}”"),
                survivor: mine.clone(),
                absorbed: value.clone(),
                suggest_absorbed: false,
            }),
            Some(_) => {}
            None => filled.push(format!("Attribute “{key}”")),
        }
    }
}

/// An identifier row as the previewer may see it (email and phone masked without
/// `customers.view_pii`).
fn shown_identifier(row: &JsonRow, show_pii: bool) -> String {
    let value = text(row, "normalized").unwrap_or_default();
    match text(row, "kind").as_deref() {
        _ if show_pii => value,
        Some("email") => mask_email(&value),
        Some("phone") => mask_phone(&value),
        _ => value,
    }
}

/// A customer's spend per currency, the organisation's first.
async fn spend_of(
    state: &AppState,
    id: &str,
    home: &str,
) -> Result<Vec<crate::money::CurrencyTotal>, AppError> {
    let totals = crate::customers::db::spend_by_currency(&state.db, id).await?;
    Ok(money::home_first(totals, home))
}

/// The choices and checks of one merge request.
pub struct MergeRequest {
    /// The profile that stays.
    pub survivor_id: String,
    /// The profile that goes.
    pub absorbed_id: String,
    /// The survivor's version in the preview.
    pub survivor_version: i64,
    /// The absorbed profile's version in the preview.
    pub absorbed_version: i64,
    /// Field groups (and `attribute:<key>`s) whose absorbed value wins.
    pub keep_absorbed: Vec<String>,
    /// The merger confirmed merging a restricted customer.
    pub confirm_restricted: bool,
}

/// Merges `request.absorbed_id` into `request.survivor_id`, audited, with a
/// `customers_merged` event on the survivor and a record to undo it.
pub async fn merge(
    state: &AppState,
    agent: &CurrentUser,
    request: MergeRequest,
) -> Result<MergeDone, AppError> {
    let (survivor_id, absorbed_id) = (&request.survivor_id, &request.absorbed_id);
    not_itself(survivor_id, absorbed_id)?;
    let rules = crate::tiers::db::rules(&state.db).await?;
    let now = now_millis();
    let mut change = Change::begin(state, agent).await?;
    let pair = read_pair(change.tx(), survivor_id, absorbed_id, true).await?;
    may_merge(agent, &request, &pair)?;
    // What moves, counted as the preview counted it: the merge's history lists the same.
    let mut moved = db::counts(change.tx(), absorbed_id).await?;
    moved.retain(|(_, n)| *n > 0);
    let higher = absorbed_tier_higher(change.tx(), &pair).await?;
    let combined = plan::combined_customer(
        &pair.survivor,
        &pair.absorbed,
        &request.keep_absorbed,
        higher,
        now,
    );
    let mut restore = Restore {
        survivor_before: pair.survivor.clone(),
        survivor_after: JsonRow::new(),
        absorbed: pair.absorbed.clone(),
        tables: BTreeMap::new(),
        moved: BTreeMap::new(),
        tier_events: Vec::new(),
        history_event: String::new(),
    };
    combine_tables(&mut change, &request, &mut restore).await?;
    move_tables(&mut change, &request, &mut restore).await?;
    db::update_customer(change.tx(), survivor_id, &combined).await?;
    db::delete_customer(change.tx(), absorbed_id).await?;
    crate::tiers::engine::apply_rules(change.tx(), &rules, &[survivor_id.as_str()], now).await?;
    restore.tier_events = db::rule_events_since(change.tx(), survivor_id, now).await?;
    let merge_id = record_merge(&mut change, agent, &request, (restore, moved), now).await?;
    change.customer_changed(absorbed_id);
    change.commit().await?;
    Ok(MergeDone {
        merge_id,
        survivor_id: survivor_id.clone(),
    })
}

/// Refuses a merge the preview no longer describes, one the pair's state forbids, or one of a
/// restricted customer not confirmed by a privacy officer.
fn may_merge(agent: &CurrentUser, request: &MergeRequest, pair: &Pair) -> Result<(), AppError> {
    if int(&pair.survivor, "version") != Some(request.survivor_version)
        || int(&pair.absorbed, "version") != Some(request.absorbed_version)
    {
        return Err(AppError::Conflict(
            "One of the two profiles changed since the preview: review the preview again \
             before merging."
                .into(),
        ));
    }
    if let Some(reason) = refusal(pair) {
        return Err(AppError::Conflict(reason));
    }
    if restricted(pair) && !(request.confirm_restricted && agent.can(Permission::PrivacyRequest)) {
        return Err(AppError::validation(
            "confirm_restricted",
            "Processing of one of these customers is restricted (GDPR art. 18). A privacy \
             officer (privacy.request) must confirm the merge serves the customer's request; \
             the merged profile stays restricted.",
        ));
    }
    Ok(())
}

/// The merge's history: the survivor's `customers_merged` event, the record an undo reads
/// (with `restore`) and the audit record, which say what `moved`. The merge's id.
async fn record_merge(
    change: &mut Change<'_>,
    agent: &CurrentUser,
    request: &MergeRequest,
    (mut restore, moved): (Restore, Vec<(String, i64)>),
    now: i64,
) -> Result<String, AppError> {
    let (survivor_id, absorbed_id) = (&request.survivor_id, &request.absorbed_id);
    let merge_id = uuid::Uuid::now_v7().to_string();
    let absorbed_name = name_of(&restore.absorbed);
    let event = NewEvent::console(
        survivor_id,
        "customers_merged",
        now,
        json!({
            "absorbed_id": absorbed_id, "absorbed_name": absorbed_name, "merge_id": merge_id,
            "agent": agent.display_name,
        }),
    );
    restore.history_event = event.id.clone();
    change.event(event).await?;
    restore.survivor_after = db::customer_row(change.tx(), survivor_id, false)
        .await?
        .unwrap_or_default();
    let summary = json!({"absorbed_name": absorbed_name, "moved": moved}).to_string();
    let restore = serde_json::to_string(&restore).map_err(AppError::internal)?;
    let record = NewMerge {
        id: &merge_id,
        survivor_id,
        absorbed_id,
        at: now,
        by: &agent.display_name,
        summary: &summary,
        restore: &restore,
    };
    db::insert_merge(change.tx(), &record).await?;
    change
        .audit("customers.merge", |r| {
            r.customer(survivor_id)
                .subject(absorbed_id)
                .change(json!(null), json!({"merge_id": merge_id, "moved": moved}))
        })
        .await?;
    Ok(merge_id)
}

/// Undoes merge `merge_id` of survivor `survivor_id`: both customers as they were, apart from
/// what changed since (kept on the survivor and counted).
pub async fn undo(
    state: &AppState,
    agent: &CurrentUser,
    survivor_id: String,
    merge_id: String,
) -> Result<UndoDone, AppError> {
    let now = now_millis();
    let mut change = Change::begin(state, agent).await?;
    let (absorbed_id, merged_at, restore, survivor_now) =
        undoable(&mut change, &survivor_id, &merge_id).await?;
    let by = &agent.display_name;
    if !db::mark_undone(change.tx(), &survivor_id, &merge_id, &absorbed_id, now, by).await? {
        return Err(AppError::Conflict("This merge was already undone.".into()));
    }
    db::insert_customer(change.tx(), &restore.absorbed).await?;
    let pair = (survivor_id.as_str(), absorbed_id.as_str());
    move_tables_back(&mut change, pair, &restore).await?;
    db::delete_events(change.tx(), &survivor_id, &restore.tier_events).await?;
    let identifiers_kept = separate_tables(&mut change, pair, &restore).await?;
    let survivor_row = survivor_as_before(&restore, survivor_now);
    db::update_customer(change.tx(), &survivor_id, &survivor_row).await?;
    let history = std::slice::from_ref(&restore.history_event);
    let events_kept = db::events_since(change.tx(), &survivor_id, merged_at, history).await?;
    for (customer, other) in [
        (&survivor_id, &restore.absorbed),
        (&absorbed_id, &survivor_row),
    ] {
        let event = NewEvent::console(
            customer,
            "customers_unmerged",
            now,
            json!({"merge_id": merge_id, "other_name": name_of(other), "agent": agent.display_name}),
        );
        change.event(event).await?;
    }
    change
        .audit("customers.unmerge", |r| {
            r.customer(&survivor_id).subject(&absorbed_id).change(
                json!({"merge_id": merge_id}),
                json!({"events_kept": events_kept, "identifiers_kept": identifiers_kept}),
            )
        })
        .await?;
    change.commit().await?;
    Ok(UndoDone {
        restored_id: absorbed_id,
        events_kept,
        identifiers_kept,
    })
}

/// The merge's absorbed id, time and restore record, and the survivor's row now; refused when
/// the merge is unknown, undone, too old to undo, or its survivor merged away since.
async fn undoable(
    change: &mut Change<'_>,
    survivor_id: &str,
    merge_id: &str,
) -> Result<(String, i64, Restore, JsonRow), AppError> {
    let stored = db::stored_merge(change.tx(), survivor_id, merge_id)
        .await?
        .ok_or_else(|| AppError::NotFound("No such merge.".into()))?;
    if stored.undone_at.is_some() {
        return Err(AppError::Conflict("This merge was already undone.".into()));
    }
    let restore: Restore = stored
        .restore
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::Conflict("This merge can no longer be undone.".into()))?;
    let Some(survivor_now) = db::customer_row(change.tx(), survivor_id, true).await? else {
        return Err(AppError::Conflict(
            "The surviving profile was itself merged into another since: undo that merge first."
                .into(),
        ));
    };
    Ok((stored.absorbed_id, stored.merged_at, restore, survivor_now))
}

/// The survivor's row as before the merge, apart from what changed since (additive columns
/// keep what was added), one version on.
fn survivor_as_before(restore: &Restore, survivor_now: JsonRow) -> JsonRow {
    let mut row = plan::restored_rows(
        std::slice::from_ref(&survivor_now),
        std::slice::from_ref(&restore.survivor_before),
        std::slice::from_ref(&restore.survivor_after),
        &[],
        &ADDITIVE_CUSTOMER_COLUMNS,
    )
    .pop()
    .unwrap_or(survivor_now.clone());
    let version = int(&survivor_now, "version").unwrap_or(0) + 1;
    row.insert("version".into(), version.into());
    row
}

/// The merges customer `id` took part in, newest first.
pub async fn history(state: &AppState, id: String) -> Result<Vec<MergeRecord>, AppError> {
    Ok(db::merges_of(&state.db, &id).await?)
}

/// Every customer merged into `id` (directly or through earlier merges), for a forget:
/// their data is the survivor's now, and so are their merge records.
pub async fn absorbed_into(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let mut found = Vec::new();
    let mut next = vec![id.to_string()];
    while let Some(current) = next.pop() {
        for absorbed in db::absorbed_into(tx, &current).await? {
            if !found.contains(&absorbed) && absorbed != id {
                found.push(absorbed.clone());
                next.push(absorbed);
            }
        }
    }
    Ok(found)
}

/// Merge step: the rows of every table that combines (`store::customer_tables`) become the
/// survivor's, combined by key; the absorbed customer's identifiers change owner.
async fn combine_tables(
    change: &mut Change<'_>,
    request: &MergeRequest,
    restore: &mut Restore,
) -> Result<(), AppError> {
    let (survivor_id, absorbed_id) = (&request.survivor_id, &request.absorbed_id);
    for (table, ..) in combined_on_merge() {
        let before = db::rows_of(change.tx(), table, survivor_id).await?;
        let absorbed = db::rows_of(change.tx(), table, absorbed_id).await?;
        let keep = &request.keep_absorbed;
        let after = plan::combined_rows(table, &before, &absorbed, survivor_id, keep);
        db::replace_rows(change.tx(), table, absorbed_id, &[]).await?;
        db::replace_rows(change.tx(), table, survivor_id, &after).await?;
        if table == "customer_identifiers" {
            for row in &absorbed {
                let (kind, value) = (text(row, "kind"), text(row, "normalized"));
                if let (Some(kind), Some(value)) = (kind, value) {
                    db::set_owner(change.tx(), &kind, &value, absorbed_id, survivor_id).await?;
                }
            }
        }
        restore
            .tables
            .insert(table.into(), [before, absorbed, after]);
    }
    Ok(())
}

/// Merge step: the rows of every table that moves whole, and the privacy requests, go to
/// the survivor; their ids are kept for the undo.
async fn move_tables(
    change: &mut Change<'_>,
    request: &MergeRequest,
    restore: &mut Restore,
) -> Result<(), AppError> {
    let (survivor_id, absorbed_id) = (&request.survivor_id, &request.absorbed_id);
    for table in moved_on_merge() {
        let ids = db::ids_of(change.tx(), table, absorbed_id).await?;
        db::move_rows(change.tx(), table, absorbed_id, survivor_id, None).await?;
        restore.moved.insert(table.into(), ids);
    }
    let requests = db::move_privacy_requests(change.tx(), absorbed_id, survivor_id, None).await?;
    restore.moved.insert("privacy_requests".into(), requests);
    Ok(())
}

/// Undo step, the reverse of [`move_tables`]: the rows that moved go back by id.
async fn move_tables_back(
    change: &mut Change<'_>,
    (survivor_id, absorbed_id): (&str, &str),
    restore: &Restore,
) -> Result<(), AppError> {
    for (table, ids) in &restore.moved {
        if table == "privacy_requests" {
            db::move_privacy_requests(change.tx(), survivor_id, absorbed_id, Some(ids)).await?;
        } else {
            db::move_rows(change.tx(), table, survivor_id, absorbed_id, Some(ids)).await?;
        }
    }
    Ok(())
}

/// Undo step, the reverse of [`combine_tables`]: each combined table's rows are taken apart
/// again, keeping what changed since on the survivor; how many identifiers stayed with it.
async fn separate_tables(
    change: &mut Change<'_>,
    (survivor_id, absorbed_id): (&str, &str),
    restore: &Restore,
) -> Result<i64, AppError> {
    let mut identifiers_kept = 0;
    for (table, keys, additive) in combined_on_merge() {
        let Some([before, absorbed, after]) = restore.tables.get(table) else {
            continue;
        };
        let now_rows = db::rows_of(change.tx(), table, survivor_id).await?;
        let survivor_rows = plan::restored_rows(&now_rows, before, after, keys, additive);
        db::replace_rows(change.tx(), table, survivor_id, &survivor_rows).await?;
        let mut absorbed_rows = absorbed.clone();
        if table == "customer_identifiers" {
            let mut back = Vec::new();
            for row in absorbed_rows {
                let (Some(kind), Some(value)) = (text(&row, "kind"), text(&row, "normalized"))
                else {
                    continue;
                };
                let still_survivors = survivor_rows.iter().any(|r| {
                    text(r, "kind").as_deref() == Some(&kind)
                        && text(r, "normalized").as_deref() == Some(&value)
                });
                if !still_survivors
                    && db::set_owner(change.tx(), &kind, &value, survivor_id, absorbed_id).await?
                {
                    back.push(row);
                } else {
                    identifiers_kept += 1;
                }
            }
            absorbed_rows = back;
        }
        db::replace_rows(change.tx(), table, absorbed_id, &absorbed_rows).await?;
    }
    Ok(identifiers_kept)
}
