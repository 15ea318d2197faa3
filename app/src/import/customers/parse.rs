//! Step 1 of a customer row: its cells read into fields, identifiers normalised, before
//! anything is looked up. A cell that cannot be read is a problem at its column.

use super::Settings;
use crate::identity::IdentifierKind;
use crate::import::columns;
use crate::import::model::{ColumnMapping, RowProblem, IGNORE};
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
    /// (kind, normalised, as typed, column).
    pub identifiers: Vec<(IdentifierKind, String, String, String)>,
}

impl Parsed {
    /// The row's text for `field`, or `stored` when the file has no column for it.
    pub fn text(&self, field: &str, stored: Option<&String>) -> String {
        match self.fields.get(field) {
            Some(cell) => cell.value.clone().unwrap_or_default(),
            None => stored.cloned().unwrap_or_default(),
        }
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
    };
    for (column, mapping, value) in named {
        if let Err(message) = read_cell(&mut parsed, column.clone(), &mapping, &value, settings) {
            problems.push(RowProblem::new(row, column, message));
        }
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
    let mapping = columns::target_of(key, &settings.saved, &names)?;
    settings.columns.push((key.to_string(), mapping.clone()));
    Some(mapping)
}

/// Puts one cell into `parsed`: an ignored or empty cell is skipped (unless empty means
/// clear), an identifier is normalised as well.
fn read_cell(
    parsed: &mut Parsed,
    column: String,
    mapping: &ColumnMapping,
    value: &str,
    settings: &Settings,
) -> Result<(), String> {
    if mapping.target == IGNORE || mapping.target.is_empty() {
        return Ok(());
    }
    let value = super::values::cleaned(value);
    let value = value.as_str();
    if value.contains('\0') {
        return Err("must not contain NUL characters".into());
    }
    if value.is_empty() && !mapping.clear_when_empty {
        return Ok(());
    }
    if let Some(kind) = identifier_kind(&mapping.target) {
        if let Some(normalized) = kind.normalise(value, &settings.region)? {
            let normalized = match kind {
                IdentifierKind::ExternalId => {
                    crate::identity::fold_external_id(&normalized, settings.ignore_case)
                }
                _ => normalized,
            };
            let typed = value.to_string();
            parsed
                .identifiers
                .push((kind, normalized, typed, column.clone()));
        }
    }
    let value = Some(value.to_string()).filter(|v| !v.is_empty());
    parsed
        .fields
        .insert(mapping.target.clone(), Cell { column, value });
    Ok(())
}

fn identifier_kind(target: &str) -> Option<IdentifierKind> {
    match target {
        "customer_id" => Some(IdentifierKind::CustomerId),
        other => IdentifierKind::held(other),
    }
}
