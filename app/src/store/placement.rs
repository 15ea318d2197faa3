//! Where each table lives on a Citus cluster. Every table of the schema is named here or in
//! [`super::customer_tables`] once: a test reads the catalogue and fails on a table missing, or on a unique key
//! that lacks the table's distribution column (the rule Citus enforces), so a new table or
//! key cannot break the scale-out path unnoticed. On SQLite and plain PostgreSQL the lists
//! change nothing.

use super::customer_tables::Shard;

/// Small, read-mostly tables copied to every node (catalogues, users, settings), so that any
/// shard joins them locally.
pub const REFERENCE_TABLES: [&str; 23] = [
    "status_types",
    "stores",
    "products",
    "users",
    "user_permissions",
    "sessions",
    "sign_in_throttle",
    "settings",
    "api_keys",
    "event_types",
    "attribute_types",
    "identifier_kinds",
    "note_reasons",
    "offer_catalog",
    "analytics_runs",
    "product_affinities",
    "promo_codes",
    "campaigns",
    "tier_levels",
    "import_dropped_indexes",
    "maintenance",
    "geofences",
    "panels",
];

/// Tables that hold no customer's data and are distributed by a key of their own:
/// `(table, column)`. `imports` by id and `import_rejections` by import: an import's progress
/// and refused rows are read and written together, never with one customer's rows. The
/// tables holding a customer's data are placed in [`super::customer_tables`].
pub const OWN_KEY_TABLES: [(&str, &str); 2] =
    [("imports", "id"), ("import_rejections", "import_id")];

/// The distribution column of a distributed table (`None` for reference tables and tables
/// not listed).
pub fn distribution_column(table: &str) -> Option<&'static str> {
    if table == "customers" {
        return Some("id");
    }
    if let Some(entry) = super::customer_tables::customer_table(table) {
        return Some(match entry.shard {
            Shard::WithCustomer => "customer_id",
            Shard::OwnKey(column) => column,
        });
    }
    OWN_KEY_TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .map(|(_, column)| *column)
}

/// Whether `table` is named in one of the lists (or is `customers`).
pub fn placed(table: &str) -> bool {
    REFERENCE_TABLES.contains(&table) || distribution_column(table).is_some()
}
