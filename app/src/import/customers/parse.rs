//! Step 1 of a customer row: its cells read into fields, identifiers normalised, before
//! anything is looked up. Where several columns fill one field, the first non-empty one in the
//! file's order is the customer's; more emails, phones, cards and external ids become more
//! identifiers of the customer. An identifier that cannot be read is left out (and reported)
//! when another one finds the customer; a row left with none is refused at those columns.

use super::{values, Settings};
use crate::identity::IdentifierKind;
use crate::import::columns;
use crate::import::model::{field_of, ColumnMapping, RowProblem, IGNORE, SOURCE_ID};
use crate::import::reader::Cells;
use serde_json::Value;
use std::collections::BTreeMap;

/// One cell's value for a field: set to this, or cleared.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    pub column: String,
    pub value: Option<String>,
}

/// A row read into fields, before anything is looked up.
pub(super) struct Parsed {
    pub row: i64,
    pub fields: BTreeMap<String, Cell>,
    /// Every identifier of the row, to find its customer: (kind, normalised, as typed, column).
    pub identifiers: Vec<(IdentifierKind, String, String, String)>,
    /// Those beyond the first of their kind, for the customer to hold as well: (kind,
    /// normalised, as typed).
    pub extras: Vec<(IdentifierKind, String, String)>,
    /// Values left out of the row (identifiers that cannot be read).
    pub left_out: Vec<RowProblem>,
}

impl Parsed {
    /// The row's text for `field`, or `stored` when the file has no column for it.
    pub fn text(&self, field: &str, stored: Option<&String>) -> String {
        match self.fields.get(field) {
            Some(cell) => cell.value.clone().unwrap_or_default(),
            None => stored.cloned().unwrap_or_default(),
        }
    }

    /// Whether an earlier column gave `field` a value.
    fn has_value(&self, field: &str) -> bool {
        matches!(self.fields.get(field), Some(Cell { value: Some(_), .. }))
    }

    /// The file's column that fills `field` (the field's name when none does).
    pub fn column_of(&self, field: &str) -> String {
        self.fields
            .get(field)
            .map(|c| c.column.clone())
            .unwrap_or_else(|| field.to_string())
    }
}

/// Reads one row's cells; every problem of the row at once.
pub(super) fn parse_row(
    row: i64,
    cells: Cells,
    settings: &mut Settings,
) -> Result<Parsed, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let named = match cells {
        Cells::Csv(values) => settings
            .columns
            .iter()
            .zip(values)
            .map(|((column, mapping), value)| (column.clone(), mapping.clone(), value))
            .collect(),
        Cells::Json(object) => json_cells(row, object, settings, &mut problems),
    };
    let mut parsed = Parsed {
        row,
        fields: BTreeMap::new(),
        identifiers: Vec::new(),
        extras: Vec::new(),
        left_out: Vec::new(),
    };
    for (column, mapping, value) in named {
        if let Err(message) = read_cell(&mut parsed, column.clone(), &mapping, &value, settings) {
            problems.push(RowProblem::new(row, column, message));
        }
    }
    if parsed.identifiers.is_empty() {
        // Nothing else finds the customer: the unreadable identifiers refuse the row.
        let unusable = parsed.left_out.drain(..);
        problems.extend(unusable.map(|p| RowProblem::new(p.row, p.field, p.message)));
    }
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(problems)
    }
}

/// An NDJSON line's keys with what each fills (a key not seen before is mapped once, for the
/// rest of the file) and their values as text.
fn json_cells(
    row: i64,
    object: serde_json::Map<String, Value>,
    settings: &mut Settings,
    problems: &mut Vec<RowProblem>,
) -> Vec<(String, ColumnMapping, String)> {
    let mut named = Vec::with_capacity(object.len());
    for (key, value) in object {
        let Some(mapping) = mapping_of_key(&key, settings) else {
            problems.push(RowProblem::new(
                row,
                key,
                "is not a customer field or a declared profile attribute",
            ));
            continue;
        };
        let text = match value {
            Value::Null => String::new(),
            Value::String(text) => text,
            Value::Bool(flag) => (if flag { "yes" } else { "no" }).to_string(),
            Value::Number(number) => number.to_string(),
            _ => {
                problems.push(RowProblem::new(
                    row,
                    key,
                    "must be text, a number, true or false",
                ));
                continue;
            }
        };
        named.push((key, mapping, text));
    }
    named
}

fn mapping_of_key(key: &str, settings: &mut Settings) -> Option<ColumnMapping> {
    if let Some((_, mapping)) = settings.columns.iter().find(|(c, _)| c == key) {
        return Some(mapping.clone());
    }
    let names: Vec<String> = settings.declared.iter().map(|a| a.name.clone()).collect();
    let mapping = columns::target_of(key, &settings.saved, None, &names)?;
    settings.columns.push((key.to_string(), mapping.clone()));
    Some(mapping)
}

/// Puts one cell into `parsed`: an ignored or empty cell is skipped (unless empty means
/// clear); a full name is split, an opt-out turned into its opt-in, a source's id kept as
/// `<source>:<id>`, an identifier normalised as well.
fn read_cell(
    parsed: &mut Parsed,
    column: String,
    mapping: &ColumnMapping,
    value: &str,
    settings: &Settings,
) -> Result<(), String> {
    let target = mapping.target.as_str();
    if target == IGNORE || target.is_empty() {
        return Ok(());
    }
    let value = values::cleaned(value);
    if value.contains('\0') {
        return Err("must not contain NUL characters".into());
    }
    if value.is_empty() && !mapping.clear_when_empty {
        return Ok(());
    }
    match target {
        "full_name" => {
            let (first, last) = split_name(&value);
            for (field, part) in [("first_name", first), ("last_name", last)] {
                if !part.is_empty() || mapping.clear_when_empty {
                    put(parsed, field, &column, part.to_string());
                }
            }
        }
        "email_opt_out" | "sms_opt_out" => {
            let opt_in = target.replace("_out", "_in");
            // A word that is not yes or no stays as typed, for the opt-in to report it.
            let value = match values::consent(&value) {
                Some(opted_out) => (if opted_out { "no" } else { "yes" }).to_string(),
                None => value,
            };
            put(parsed, &opt_in, &column, value);
        }
        _ => {
            let field = field_of(target);
            let value = match target.strip_prefix(SOURCE_ID) {
                Some(source) if !value.is_empty() => format!("{source}:{value}"),
                _ => value,
            };
            match identifier_kind(field) {
                Some(kind) => read_identifier(parsed, kind, field, column, value, settings)?,
                None => put(parsed, field, &column, value),
            }
        }
    }
    Ok(())
}

/// `"Mary Ann Smith"` → (`Mary`, `Ann Smith`): the first word the first name, the rest the
/// last name (how WooCommerce joins them, and the rule most exports' names fit).
fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    match name.split_once(' ') {
        Some((first, last)) => (first, last.trim()),
        None => (name, ""),
    }
}

/// Sets `field` from `column` unless an earlier column gave it a value already.
fn put(parsed: &mut Parsed, field: &str, column: &str, value: String) {
    if parsed.has_value(field) {
        return;
    }
    let value = Some(value).filter(|v| !v.is_empty());
    let column = column.to_string();
    parsed
        .fields
        .insert(field.to_string(), Cell { column, value });
}

/// An identifier cell: normalised (an unreadable one left out, but a customer id refuses the
/// row), the field's value when it is the first of its kind, else one more identifier.
fn read_identifier(
    parsed: &mut Parsed,
    kind: IdentifierKind,
    field: &str,
    column: String,
    value: String,
    settings: &Settings,
) -> Result<(), String> {
    let normalized = match kind.normalise(&value, &settings.region) {
        Ok(Some(normalized)) if kind == IdentifierKind::ExternalId => {
            crate::identity::fold_external_id(&normalized, settings.ignore_case)
        }
        Ok(Some(normalized)) => normalized,
        Ok(None) => {
            put(parsed, field, &column, value);
            return Ok(());
        }
        Err(message) if kind == IdentifierKind::CustomerId => return Err(message),
        Err(message) => {
            parsed
                .left_out
                .push(RowProblem::left_out(parsed.row, column, message));
            return Ok(());
        }
    };
    if parsed
        .identifiers
        .iter()
        .any(|(k, n, ..)| *k == kind && *n == normalized)
    {
        return Ok(());
    }
    if !parsed.has_value(field) {
        put(parsed, field, &column, value.clone());
    } else if kind != IdentifierKind::CustomerId {
        parsed
            .extras
            .push((kind, normalized.clone(), value.clone()));
    }
    parsed.identifiers.push((kind, normalized, value, column));
    Ok(())
}

fn identifier_kind(target: &str) -> Option<IdentifierKind> {
    match target {
        "customer_id" => Some(IdentifierKind::CustomerId),
        other => IdentifierKind::held(other),
    }
}
