//! The rules of a merge and of its undo, on rows as JSON (no database here): how the
//! survivor's row and its per-customer rows combine with the absorbed customer's, and how an
//! undo puts back what the merge changed while keeping what changed since.

use crate::store::customer_tables::combined_on_merge;
use crate::store::rows::JsonRow;
use serde_json::Value;
use std::collections::BTreeMap;

/// A group of the customer's own fields chosen as one when both profiles fill it
/// differently: (choice name, label, columns compared, columns copied, personal data).
pub struct FieldGroup {
    /// The choice's name, e.g. `address`.
    pub name: &'static str,
    /// What people call it.
    pub label: &'static str,
    /// The columns compared and shown.
    pub shown: &'static [&'static str],
    /// The columns copied when the absorbed profile's value is taken.
    pub copied: &'static [&'static str],
    /// Hidden in the preview without customers.view_pii.
    pub personal: bool,
    /// A consent flag (0/1): always filled, and an opt-out is suggested over an opt-in.
    pub consent: bool,
}

const fn group(
    name: &'static str,
    label: &'static str,
    shown: &'static [&'static str],
    copied: &'static [&'static str],
    personal: bool,
    consent: bool,
) -> FieldGroup {
    FieldGroup {
        name,
        label,
        shown,
        copied,
        personal,
        consent,
    }
}

/// The customer's fields a merge combines, in the order the preview lists them.
pub const FIELD_GROUPS: [FieldGroup; 7] = [
    group(
        "name",
        "Name",
        &["first_name", "last_name"],
        &["first_name", "last_name", "first_name_key", "last_name_key"],
        false,
        false,
    ),
    group(
        "date_of_birth",
        "Date of birth",
        &["date_of_birth"],
        &["date_of_birth"],
        true,
        false,
    ),
    group(
        "address",
        "Address",
        &["address_line", "city", "postal_code", "country"],
        &["address_line", "city", "postal_code", "country"],
        true,
        false,
    ),
    group(
        "home_store_id",
        "Home store",
        &["home_store_id"],
        &["home_store_id"],
        false,
        false,
    ),
    group(
        "email_opt_in",
        "Marketing email",
        &["email_opt_in"],
        &["email_opt_in"],
        false,
        true,
    ),
    group(
        "sms_opt_in",
        "SMS",
        &["sms_opt_in"],
        &["sms_opt_in"],
        false,
        true,
    ),
    group(
        "push_opt_in",
        "Push notifications",
        &["push_opt_in"],
        &["push_opt_in"],
        false,
        true,
    ),
];

/// Columns of `customers` that add up when two customers become one (and are taken apart by
/// subtraction when an undo finds them changed since).
pub const ADDITIVE_CUSTOMER_COLUMNS: [&str; 3] = [
    "points_balance",
    "purchase_count",
    "refused_while_restricted",
];

/// The identifier copies on `customers` (the primary of each kind).
const IDENTIFIER_COPIES: [&str; 4] = ["email", "phone", "card_number", "external_id"];

fn text(row: &JsonRow, column: &str) -> String {
    match row.get(column) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Whether `row` fills any of `group`'s columns.
pub fn fills(row: &JsonRow, group: &FieldGroup) -> bool {
    group.consent || group.shown.iter().any(|c| !text(row, c).is_empty())
}

/// `group`'s value in `row` as one line (`""` when empty).
pub fn shown(row: &JsonRow, group: &FieldGroup) -> String {
    if group.consent {
        return if text(row, group.shown[0]) == "1" {
            "Opted in".into()
        } else {
            "Opted out".into()
        };
    }
    group
        .shown
        .iter()
        .map(|c| text(row, c))
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether both rows fill `group` and differently (case and spacing aside).
pub fn conflicts(a: &JsonRow, b: &JsonRow, group: &FieldGroup) -> bool {
    fills(a, group)
        && fills(b, group)
        && group
            .shown
            .iter()
            .any(|c| text(a, c).to_lowercase() != text(b, c).to_lowercase())
}

/// The integer in `column` of `row`, if it holds one.
pub fn int(row: &JsonRow, column: &str) -> Option<i64> {
    row.get(column).and_then(Value::as_i64)
}

/// The survivor's `customers` row after the merge: its own fields, gaps filled from the
/// absorbed row, the absorbed row's value for each group in `keep_absorbed`, identifier
/// copies it lacks, counts added up, the earlier join date and later activity, the higher
/// tier when `absorbed_tier_higher`, the restriction of either, and a new version.
pub fn combined_customer(
    survivor: &JsonRow,
    absorbed: &JsonRow,
    keep_absorbed: &[String],
    absorbed_tier_higher: bool,
    now: i64,
) -> JsonRow {
    let mut after = survivor.clone();
    let copy = |after: &mut JsonRow, columns: &[&str]| {
        for column in columns {
            after.insert(
                (*column).to_string(),
                absorbed.get(*column).cloned().unwrap_or(Value::Null),
            );
        }
    };
    for group in &FIELD_GROUPS {
        let take = if fills(survivor, group) {
            conflicts(survivor, absorbed, group) && keep_absorbed.iter().any(|k| k == group.name)
        } else {
            fills(absorbed, group)
        };
        if take {
            copy(&mut after, group.copied);
        }
    }
    for column in IDENTIFIER_COPIES {
        if text(survivor, column).is_empty() && !text(absorbed, column).is_empty() {
            copy(&mut after, &[column]);
            if column == "phone" {
                copy(&mut after, &["phone_verified"]);
            }
        }
    }
    for column in ADDITIVE_CUSTOMER_COLUMNS {
        let sum = int(survivor, column).unwrap_or(0) + int(absorbed, column).unwrap_or(0);
        after.insert(column.into(), sum.into());
    }
    let pick = |column: &str, later: bool| {
        let values = [int(survivor, column), int(absorbed, column)];
        let present = values.into_iter().flatten();
        let chosen = if later { present.max() } else { present.min() };
        chosen.map_or(Value::Null, Value::from)
    };
    after.insert("last_active_at".into(), pick("last_active_at", true));
    after.insert("created_at".into(), pick("created_at", false));
    after.insert("restricted_at".into(), pick("restricted_at", false));
    if absorbed_tier_higher {
        copy(&mut after, &["tier", "tier_since", "tier_expires_at"]);
    }
    let version = int(survivor, "version").unwrap_or(0) + 1;
    after.insert("version".into(), version.into());
    after.insert("updated_at".into(), now.into());
    after
}

/// The key of a row of a combined table: its key columns' values.
fn key_of(row: &JsonRow, keys: &[&str]) -> String {
    keys.iter()
        .map(|k| row.get(*k).map(Value::to_string).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

fn by_key(rows: &[JsonRow], keys: &[&str]) -> BTreeMap<String, JsonRow> {
    rows.iter().map(|r| (key_of(r, keys), r.clone())).collect()
}

/// The survivor's rows of combined `table` after the merge: its own, with the absorbed
/// customer's moved over (re-owned by `survivor_id`) and combined where both have one: tag
/// counts add up over the wider period, a view keeps the later time, an attribute keeps the
/// survivor's value unless `attribute:<key>` is in `keep_absorbed`, a moved identifier is
/// primary only where the survivor has no primary of its kind. Scores and the support cache
/// are dropped.
pub fn combined_rows(
    table: &str,
    survivor_rows: &[JsonRow],
    absorbed_rows: &[JsonRow],
    survivor_id: &str,
    keep_absorbed: &[String],
) -> Vec<JsonRow> {
    let Some((_, keys, _)) = combined_on_merge().find(|(t, ..)| *t == table) else {
        return survivor_rows.to_vec();
    };
    if keys.is_empty() {
        return Vec::new();
    }
    let mut rows = by_key(survivor_rows, keys);
    let primary_kinds: Vec<String> = survivor_rows
        .iter()
        .filter(|r| int(r, "is_primary") == Some(1))
        .map(|r| text(r, "kind"))
        .collect();
    for absorbed in absorbed_rows {
        let mut moved = absorbed.clone();
        moved.insert("customer_id".into(), survivor_id.into());
        let key = key_of(&moved, keys);
        match (table, rows.get_mut(&key)) {
            ("customer_tags", Some(own)) => {
                let sum = int(own, "count").unwrap_or(0) + int(&moved, "count").unwrap_or(0);
                own.insert("count".into(), sum.into());
                for (column, later) in [("first_at", false), ("last_at", true)] {
                    let (x, y) = (int(own, column), int(&moved, column));
                    let chosen = if later {
                        x.max(y)
                    } else {
                        x.min(y).or(x).or(y)
                    };
                    own.insert(column.into(), chosen.map_or(Value::Null, Value::from));
                }
            }
            ("recent_views", Some(own)) => {
                if int(&moved, "viewed_at") > int(own, "viewed_at") {
                    *own = moved;
                }
            }
            ("customer_attributes", Some(own)) => {
                let choice = format!("attribute:{}", text(&moved, "key"));
                if keep_absorbed.contains(&choice) {
                    *own = moved;
                }
            }
            (_, Some(_)) => {}
            (_, None) => {
                if table == "customer_identifiers" && primary_kinds.contains(&text(&moved, "kind"))
                {
                    moved.insert("is_primary".into(), 0.into());
                }
                rows.insert(key, moved);
            }
        }
    }
    rows.into_values().collect()
}

/// The survivor's rows of a table after an undo, key by key: the row as it was before the
/// merge where the merge's row is still there unchanged; where it changed since, column by
/// column: a column still as the merge left it goes back, an `additive` one loses the
/// absorbed customer's share, and one changed since keeps its new value. Rows added or
/// removed since the merge stay as they are now, and so does a row the merge brought over
/// (the absorbed customer's) that changed since.
pub fn restored_rows(
    now: &[JsonRow],
    before: &[JsonRow],
    after: &[JsonRow],
    keys: &[&str],
    additive: &[&str],
) -> Vec<JsonRow> {
    let (now, before, after) = (by_key(now, keys), by_key(before, keys), by_key(after, keys));
    let all_keys: std::collections::BTreeSet<&String> = now
        .keys()
        .chain(before.keys())
        .chain(after.keys())
        .collect();
    let mut rows = Vec::new();
    for key in all_keys {
        let (current, was, merged) = (now.get(key), before.get(key), after.get(key));
        if current == merged {
            rows.extend(was.cloned());
            continue;
        }
        let Some(current) = current else { continue };
        let (Some(merged), Some(was)) = (merged, was) else {
            rows.push(current.clone());
            continue;
        };
        let mut row = current.clone();
        for (column, value) in current {
            let restored = if additive.contains(&column.as_str()) {
                let share = int(merged, column).unwrap_or(0) - int(was, column).unwrap_or(0);
                Value::from((int(current, column).unwrap_or(0) - share).max(0))
            } else if merged.get(column) == Some(value) {
                was.get(column).cloned().unwrap_or(Value::Null)
            } else {
                continue;
            };
            row.insert(column.clone(), restored);
        }
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(value: Value) -> JsonRow {
        value.as_object().cloned().unwrap_or_default()
    }

    fn customer(id: &str, first: &str, points: i64, email_opt_in: i64) -> JsonRow {
        row(json!({
            "id": id, "first_name": first, "last_name": "Doe", "email": null,
            "phone": "+447700900123", "phone_verified": 1, "date_of_birth": null,
            "points_balance": points, "purchase_count": 2,
            "refused_while_restricted": 0, "created_at": 100, "last_active_at": 500,
            "restricted_at": null, "version": 3, "updated_at": 7, "email_opt_in": email_opt_in,
            "sms_opt_in": 0, "push_opt_in": 0, "tier": "Silver", "tier_since": 1,
        }))
    }

    #[test]
    fn a_merge_adds_up_fills_gaps_and_takes_chosen_fields() {
        let survivor = customer("a", "Jane", 100, 1);
        let mut absorbed = customer("b", "Janet", 40, 0);
        absorbed.insert("date_of_birth".into(), "1990-01-02".into());
        absorbed.insert("email".into(), "jane@example.com".into());
        let after = combined_customer(&survivor, &absorbed, &["email_opt_in".into()], false, 9);
        assert_eq!(after["points_balance"], 140);
        assert_eq!(after["purchase_count"], 4);
        assert_eq!(after["first_name"], "Jane", "the name was not chosen");
        assert_eq!(after["date_of_birth"], "1990-01-02", "a gap is filled");
        assert_eq!(after["email"], "jane@example.com");
        assert_eq!(after["email_opt_in"], 0, "the chosen opt-out");
        assert_eq!(after["version"], 4);
        assert!(conflicts(&survivor, &absorbed, &FIELD_GROUPS[0]));
    }

    #[test]
    fn an_undo_restores_unchanged_rows_and_keeps_later_changes() {
        let before = vec![row(json!({"customer_id": "a", "tag": "vip", "count": 2}))];
        let absorbed = vec![
            row(json!({"customer_id": "b", "tag": "vip", "count": 3})),
            row(json!({"customer_id": "b", "tag": "new", "count": 1})),
        ];
        let after = combined_rows("customer_tags", &before, &absorbed, "a", &[]);
        assert_eq!(after.len(), 2);
        let restored = restored_rows(&after, &before, &after, &["tag"], &["count"]);
        assert_eq!(restored, before, "nothing changed since: exactly as before");
        let mut later = after.clone();
        for r in &mut later {
            if r["tag"] == "vip" {
                r.insert("count".into(), 6.into());
            }
        }
        let restored = restored_rows(&later, &before, &after, &["tag"], &["count"]);
        assert_eq!(restored.len(), 1);
        assert_eq!(restored[0]["count"], 3, "one tagging since the merge stays");
    }

    #[test]
    fn moved_identifiers_are_primary_only_where_the_survivor_has_none() {
        let survivor = vec![row(
            json!({"customer_id": "a", "kind": "email", "normalized": "a@x.com", "is_primary": 1}),
        )];
        let absorbed = vec![
            row(
                json!({"customer_id": "b", "kind": "email", "normalized": "b@x.com", "is_primary": 1}),
            ),
            row(
                json!({"customer_id": "b", "kind": "phone", "normalized": "+447700900123", "is_primary": 1}),
            ),
        ];
        let after = combined_rows("customer_identifiers", &survivor, &absorbed, "a", &[]);
        let primary: Vec<&Value> = after
            .iter()
            .filter(|r| r["is_primary"] == 1)
            .map(|r| &r["normalized"])
            .collect();
        assert_eq!(primary, [&json!("a@x.com"), &json!("+447700900123")]);
        assert!(after.iter().all(|r| r["customer_id"] == "a"));
    }
}
