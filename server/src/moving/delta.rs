//! What changed in the source after the copy started, read from the change log and carried
//! into the target row by row: a row the source no longer holds is deleted, the others are
//! written over or added; a table without a key is copied again whole.

use super::schema::Table;
use super::{source, target, Value};
use sqlx::{PgConnection, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet};

/// A changed row: its key, and the row as the source holds it now (`None`: gone).
pub type Changed = (Vec<Value>, Option<Vec<Value>>);

/// The keys changed per table (as logged: JSON arrays), and the tables changed that have no key.
#[derive(Debug, Default)]
pub struct Delta {
    keys: BTreeMap<String, BTreeSet<String>>,
    whole: BTreeSet<String>,
}

impl Delta {
    /// The delta of the logged `changes` (table, old key, new key).
    pub fn of(changes: Vec<(String, Option<String>, Option<String>)>) -> Self {
        let mut delta = Self::default();
        for (table, old, new) in changes {
            if old.is_none() && new.is_none() {
                delta.whole.insert(table);
                continue;
            }
            let keys = delta.keys.entry(table).or_default();
            keys.extend(old);
            keys.extend(new);
        }
        delta
    }

    /// How many rows (keys) changed, tables copied whole apart.
    pub fn rows(&self) -> usize {
        self.keys.values().map(BTreeSet::len).sum()
    }

    /// Every changed row of `tables` as `source` holds it now, per table in `tables`' order:
    /// (key, row, or `None` when the source no longer holds it).
    pub async fn read(
        &self,
        source: &mut SqliteConnection,
        tables: &[Table],
    ) -> Result<Vec<Vec<Changed>>, String> {
        let mut current = Vec::with_capacity(tables.len());
        for table in tables {
            let mut rows = Vec::new();
            for key in self.keys_of(table)? {
                let row = source::row_by_key(source, table, &key).await?;
                rows.push((key, row));
            }
            current.push(rows);
        }
        Ok(current)
    }

    /// Writes `current` (what [`Delta::read`] read) into `pg`: first the rows the source no
    /// longer holds are deleted, children before parents (a parent's cascade takes only what
    /// the source's own cascade took); then the rows it holds are written over or added,
    /// parents first. A row is never deleted to be written again: that would cascade to its
    /// children. A table without a key is copied again whole from `source`.
    pub async fn apply(
        &self,
        current: &[Vec<Changed>],
        source: &mut SqliteConnection,
        pg: &mut PgConnection,
        tables: &[Table],
    ) -> Result<(), String> {
        for (table, rows) in tables.iter().zip(current).rev() {
            if self.whole(table) {
                target::delete(pg, table, &[]).await?;
            }
            for (key, _) in rows.iter().filter(|(_, row)| row.is_none()) {
                target::delete(pg, table, key).await?;
            }
        }
        for (table, rows) in tables.iter().zip(current) {
            if self.whole(table) {
                target::copy_table(source, pg, table, |_| {}).await?;
            }
            for row in rows.iter().filter_map(|(_, row)| row.as_ref()) {
                target::upsert(pg, table, row).await?;
            }
        }
        Ok(())
    }

    /// Whether `table` was copied again whole (it has no key).
    pub fn whole(&self, table: &Table) -> bool {
        self.whole.contains(&table.name)
    }

    /// The changed keys of `table`, as values.
    fn keys_of(&self, table: &Table) -> Result<Vec<Vec<Value>>, String> {
        let Some(keys) = self.keys.get(&table.name) else {
            return Ok(Vec::new());
        };
        keys.iter().map(|key| key_values(key)).collect()
    }
}

/// A key as the log wrote it (`json_array(…)`) read back as values.
fn key_values(key: &str) -> Result<Vec<Value>, String> {
    let parsed: Vec<serde_json::Value> =
        serde_json::from_str(key).map_err(|e| format!("a logged key {key:?}: {e}"))?;
    Ok(parsed
        .into_iter()
        .map(|value| match value {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(Value::Int)
                .unwrap_or_else(|| Value::Float(n.as_f64().unwrap_or_default())),
            serde_json::Value::String(text) => Value::Text(text),
            other => Value::Text(other.to_string()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_changed_twice_or_rekeyed_is_replaced_by_every_key_it_had() {
        let logged = |t: &str, old: Option<&str>, new: Option<&str>| {
            (
                t.to_string(),
                old.map(str::to_string),
                new.map(str::to_string),
            )
        };
        let delta = Delta::of(vec![
            logged("notes", None, Some(r#"["n1"]"#)),
            logged("notes", Some(r#"["n1"]"#), Some(r#"["n1"]"#)),
            logged(
                "customer_tags",
                Some(r#"["c1","vip"]"#),
                Some(r#"["c2","vip"]"#),
            ),
            logged("import_staged_events", None, None),
        ]);
        assert_eq!(delta.rows(), 3);
        assert!(delta.whole.contains("import_staged_events"));
        assert_eq!(
            key_values(r#"["c1",7,null]"#).expect("a key"),
            vec![Value::Text("c1".into()), Value::Int(7), Value::Null]
        );
    }
}
