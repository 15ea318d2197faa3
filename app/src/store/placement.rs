//! Where each table lives on a Citus cluster. Every table of the schema is named here once: a
//! test reads the catalogue and fails on a table missing from these lists, or on a unique key
//! that lacks the table's distribution column (the rule Citus enforces), so a new table or
//! key cannot break the scale-out path unnoticed. On SQLite and plain PostgreSQL the lists
//! change nothing.

/// Small, read-mostly tables copied to every node (catalogues, users, settings), so that any
/// shard joins them locally.
pub const REFERENCE_TABLES: [&str; 20] = [
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
];

/// Distributed by customer and co-located with `customers` (distributed by `id`): everything
/// about one customer is on one shard, so a profile, an ingest batch's writes for a customer
/// and a forget touch one shard per customer.
/// `customer_merges` is kept with the survivor, `customer_redirects` with the absorbed id;
/// `import_staged_events` (an events import's events between reading and storing) with the
/// customer they are for, so storing a range of customers stays shard-local per customer.
pub const CUSTOMER_TABLES: [&str; 13] = [
    "customer_attributes",
    "customer_identifiers",
    "customer_merges",
    "customer_redirects",
    "customer_offers",
    "customer_scores",
    "customer_tags",
    "events",
    "import_staged_events",
    "notes",
    "recent_views",
    "support_sync",
    "support_tickets",
];

/// Distributed by a key of their own, not by customer: `(table, column)`.
/// - `identifier_owners` by the identifier's value: finding a customer by email, phone, card
///   or external id reads one shard, and its primary key makes a value belong to at most one
///   customer across the cluster.
/// - `audit_log` and `privacy_requests` by their id: their rows outlive a forgotten customer
///   (whose `customer_id` is cleared), are written once and read by time or by request, so
///   co-location with a customer would not help, and appends spread over every shard.
/// - `imports` by id and `import_rejections` by import: an import's progress and refused rows
///   are read and written together, never with one customer's rows.
/// - `shopify_deliveries` by webhook id: the replay check reads one shard, and its primary
///   key makes a delivery count once across the cluster.
pub const OWN_KEY_TABLES: [(&str, &str); 6] = [
    ("identifier_owners", "normalized"),
    ("audit_log", "id"),
    ("privacy_requests", "id"),
    ("imports", "id"),
    ("import_rejections", "import_id"),
    ("shopify_deliveries", "webhook_id"),
];

/// The distribution column of a distributed table (`None` for reference tables and tables
/// not listed).
pub fn distribution_column(table: &str) -> Option<&'static str> {
    if table == "customers" {
        return Some("id");
    }
    if CUSTOMER_TABLES.contains(&table) {
        return Some("customer_id");
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
