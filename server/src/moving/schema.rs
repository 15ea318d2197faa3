//! The schema a move copies, as the target's catalogue describes it: its tables in
//! foreign-key order, their columns' kinds and primary keys.

use super::Kind;
use sqlx::PgConnection;
use std::collections::{BTreeMap, BTreeSet};

/// A table of the schema and its columns, in the order of the table's definition.
#[derive(Debug, Clone)]
pub struct Table {
    /// Its name.
    pub name: String,
    /// (column, kind).
    pub columns: Vec<(String, Kind)>,
    /// The positions of its primary key's columns (none for a table without one).
    pub key: Vec<usize>,
}

impl Table {
    /// The column list, `a, b, c`.
    pub fn column_list(&self) -> String {
        let names: Vec<&str> = self.columns.iter().map(|(c, _)| c.as_str()).collect();
        names.join(", ")
    }

    /// The primary key's columns.
    pub fn key_columns(&self) -> Vec<&str> {
        self.key
            .iter()
            .map(|&i| self.columns[i].0.as_str())
            .collect()
    }

    /// `a = $1 AND b = $2` (PostgreSQL) or with `?` (SQLite): one row by its key.
    pub fn key_condition(&self, numbered: bool) -> String {
        let each: Vec<String> = self
            .key_columns()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if numbered {
                    format!("{c} = ${}", i + 1)
                } else {
                    format!("{c} = ?")
                }
            })
            .collect();
        each.join(" AND ")
    }
}

/// Tables of the schema a move leaves where they are: the migrations' own, the move's mark,
/// sign-in sessions (users sign in again on the new database) and the maintenance switch.
const NOT_MOVED: &str = "'_sqlx_migrations', 'customer_profiles_move', 'sessions', 'maintenance'";

/// The tables of the target's schema (those [`NOT_MOVED`] left out), each after every table
/// its foreign keys point at, with their primary keys.
pub async fn tables(pg: &mut PgConnection) -> Result<Vec<Table>, String> {
    let failed = |e: sqlx::Error| format!("cannot read the target's schema: {e}");
    let columns: Vec<(String, String, String)> = sqlx::query_as(&format!(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text \
         FROM information_schema.columns c JOIN information_schema.tables t \
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
         AND c.table_name NOT IN ({NOT_MOVED}) ORDER BY c.table_name, c.ordinal_position",
    ))
    .fetch_all(&mut *pg)
    .await
    .map_err(failed)?;
    let references: Vec<(String, String)> = sqlx::query_as(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint \
         WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
    )
    .fetch_all(&mut *pg)
    .await
    .map_err(failed)?;
    let keys: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, a.attname::text FROM pg_index i \
         JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) \
         WHERE i.indisprimary AND n.nspname = 'public'",
    )
    .fetch_all(&mut *pg)
    .await
    .map_err(failed)?;
    let mut by_table: BTreeMap<String, Vec<(String, Kind)>> = BTreeMap::new();
    for (table, column, data_type) in columns {
        let kind = match data_type.as_str() {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "double precision" | "real" => Kind::Float,
            "text" | "character varying" => Kind::Text,
            other => return Err(format!("{table}.{column}: a column of type {other}")),
        };
        by_table.entry(table).or_default().push((column, kind));
    }
    let mut tables = in_reference_order(by_table, &references);
    for table in &mut tables {
        table.key = keys
            .iter()
            .filter(|(t, _)| *t == table.name)
            .filter_map(|(_, column)| table.columns.iter().position(|(c, _)| c == column))
            .collect();
        table.key.sort_unstable();
    }
    Ok(tables)
}

/// `tables` ordered so that each comes after the tables it references (`(from, to)` pairs).
fn in_reference_order(
    mut tables: BTreeMap<String, Vec<(String, Kind)>>,
    references: &[(String, String)],
) -> Vec<Table> {
    let mut ordered = Vec::new();
    let mut placed = BTreeSet::new();
    while !tables.is_empty() {
        let ready: Vec<String> = tables
            .keys()
            .filter(|table| {
                references.iter().all(|(from, to)| {
                    from != *table
                        || to == *table
                        || placed.contains(to)
                        || !tables.contains_key(to)
                })
            })
            .cloned()
            .collect();
        // A cycle (none in this schema) would leave nothing ready: take the rest as they come.
        let next = if ready.is_empty() {
            tables.keys().cloned().collect()
        } else {
            ready
        };
        for name in next {
            if let Some(columns) = tables.remove(&name) {
                placed.insert(name.clone());
                ordered.push(Table {
                    name,
                    columns,
                    key: Vec::new(),
                });
            }
        }
    }
    ordered
}
