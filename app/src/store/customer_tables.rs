//! Which tables hold a customer's data, and for each: where it lives on Citus, what a merge
//! does with its rows, what a forget does, and how an export shows it. Merge, forget, export
//! and the Citus placement read this one list; a schema test fails on a table that names a
//! customer and is missing here, so a new table is one entry, not five edits in three layers.

/// Where a table's rows live on a Citus cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shard {
    /// Co-located with `customers`, distributed by `customer_id`: a profile, a customer's
    /// ingest writes and a forget stay on one shard.
    WithCustomer,
    /// Distributed by a column of its own (see [`CUSTOMER_TABLES`] for why).
    OwnKey(&'static str),
}

/// What merging customer B into customer A does with B's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnMerge {
    /// They move whole to A (and back by id on an undo).
    Moved,
    /// They combine with A's rows by `keys` (besides `customer_id`), `additive` columns adding
    /// up; with no keys, both customers' rows are dropped (derived data, computed again).
    Combined {
        /// The key columns besides `customer_id`.
        keys: &'static [&'static str],
        /// Columns whose values add up.
        additive: &'static [&'static str],
    },
    /// The merge's own code handles it (the customer row, owners, the merge's records).
    ByMerge,
    /// They stay as they are, naming B (the record of what happened then).
    Stays,
}

/// What forgetting a customer (GDPR art. 17) does with the table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnForget {
    /// Deleted by `customer_id`.
    Deleted,
    /// Kept, with the customer and anything personal cleared (the logs of what was done).
    Anonymised,
    /// Deleted by the feature that owns them (owners by value, merge records on both sides,
    /// staged import events), or by the foreign key with the customer.
    ByOwner,
}

/// How a customer's export (GDPR art. 15) shows the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// In section `section`, the rows whose `columns` (any of them) name the customer.
    Rows {
        /// The section name in the CSV.
        section: &'static str,
        /// The columns naming the customer.
        columns: &'static [&'static str],
    },
    /// In section `section`, a page at a time (a customer may have 100,000 rows).
    Paged {
        /// The section name in the CSV.
        section: &'static str,
    },
    /// Not exported: the rows repeat what another section shows, or hold only the console's
    /// own workings.
    Left,
}

/// One table holding a customer's data.
#[derive(Debug, Clone, Copy)]
pub struct CustomerTable {
    /// The table.
    pub name: &'static str,
    /// Where it lives on Citus.
    pub shard: Shard,
    /// What a merge does.
    pub merge: OnMerge,
    /// What a forget does.
    pub forget: OnForget,
    /// How an export shows it.
    pub export: Export,
}

const fn table(
    name: &'static str,
    shard: Shard,
    merge: OnMerge,
    forget: OnForget,
    export: Export,
) -> CustomerTable {
    CustomerTable {
        name,
        shard,
        merge,
        forget,
        export,
    }
}

const fn rows(section: &'static str) -> Export {
    Export::Rows {
        section,
        columns: &["customer_id"],
    }
}

const fn combined(keys: &'static [&'static str], additive: &'static [&'static str]) -> OnMerge {
    OnMerge::Combined { keys, additive }
}

use Export::Left;
use OnForget::{Anonymised, ByOwner, Deleted};
use OnMerge::{ByMerge, Moved, Stays};
use Shard::{OwnKey, WithCustomer};

/// Every table holding a customer's data, in the order a forget reports them (an export
/// writes the paged `events` last). Distributed by their own key:
/// `identifier_owners` by the value (a lookup by email, phone, card or external id reads one
/// shard, and its primary key makes a value belong to one customer across the cluster);
/// `audit_log` and `privacy_requests` by id (they outlive a forgotten customer, are appended
/// once and read by time or request); `shopify_deliveries` by webhook id (the replay check
/// reads one shard). `customer_merges` is kept with the survivor, `customer_redirects` with the
/// absorbed id, `import_staged_events` (an events import between reading and storing) with the
/// customer they are for.
pub const CUSTOMER_TABLES: [CustomerTable; 18] = [
    table(
        "customers",
        WithCustomer,
        ByMerge,
        ByOwner,
        Export::Rows {
            section: "profile",
            columns: &["id"],
        },
    ),
    table(
        "events",
        WithCustomer,
        Moved,
        Deleted,
        Export::Paged { section: "events" },
    ),
    table(
        "customer_attributes",
        WithCustomer,
        combined(&["key"], &[]),
        Deleted,
        rows("customer_attributes"),
    ),
    table(
        "customer_identifiers",
        WithCustomer,
        combined(&["kind", "normalized"], &[]),
        Deleted,
        rows("customer_identifiers"),
    ),
    table(
        "customer_offers",
        WithCustomer,
        Moved,
        Deleted,
        rows("customer_offers"),
    ),
    // Analytics scores: dropped on a merge, then recomputed.
    table(
        "customer_scores",
        WithCustomer,
        combined(&[], &[]),
        Deleted,
        rows("customer_scores"),
    ),
    table(
        "customer_tags",
        WithCustomer,
        combined(&["tag"], &["count"]),
        Deleted,
        rows("customer_tags"),
    ),
    table("notes", WithCustomer, Moved, Deleted, rows("notes")),
    table(
        "support_tickets",
        WithCustomer,
        Moved,
        Deleted,
        rows("support_tickets"),
    ),
    // The Zendesk cache's freshness: dropped on a merge, fetched again.
    table(
        "support_sync",
        WithCustomer,
        combined(&[], &[]),
        Deleted,
        rows("support_sync"),
    ),
    table(
        "privacy_requests",
        OwnKey("id"),
        ByMerge,
        Anonymised,
        rows("privacy_requests"),
    ),
    table(
        "audit_log",
        OwnKey("id"),
        Stays,
        Anonymised,
        rows("audit_log"),
    ),
    table(
        "recent_views",
        WithCustomer,
        combined(&["user_id"], &[]),
        ByOwner,
        rows("recent_views"),
    ),
    table(
        "customer_merges",
        WithCustomer,
        ByMerge,
        ByOwner,
        Export::Rows {
            section: "merges",
            columns: &["customer_id", "absorbed_id"],
        },
    ),
    // The deliveries stay on a forget (a replayed order must still have no effect), naming
    // nobody.
    table(
        "shopify_deliveries",
        OwnKey("webhook_id"),
        Stays,
        Anonymised,
        rows("shopify_deliveries"),
    ),
    // Where an absorbed id now points: the merges section shows the same.
    table("customer_redirects", WithCustomer, ByMerge, ByOwner, Left),
    // Who holds a value: the identifiers section shows the same.
    table(
        "identifier_owners",
        OwnKey("normalized"),
        ByMerge,
        ByOwner,
        Left,
    ),
    // Events an import read and has not stored yet; storing them checks for merges again.
    table("import_staged_events", WithCustomer, Stays, ByOwner, Left),
];

/// The entry of `name`, if it holds a customer's data.
pub fn customer_table(name: &str) -> Option<&'static CustomerTable> {
    CUSTOMER_TABLES.iter().find(|t| t.name == name)
}

/// The tables whose rows a merge moves whole.
pub fn moved_on_merge() -> impl Iterator<Item = &'static str> {
    CUSTOMER_TABLES
        .iter()
        .filter(|t| t.merge == Moved)
        .map(|t| t.name)
}

/// The tables whose rows a merge combines: (table, keys, additive columns).
pub fn combined_on_merge() -> impl Iterator<
    Item = (
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    ),
> {
    CUSTOMER_TABLES.iter().filter_map(|t| match t.merge {
        OnMerge::Combined { keys, additive } => Some((t.name, keys, additive)),
        _ => None,
    })
}

/// The tables a forget deletes by `customer_id`.
pub fn deleted_on_forget() -> impl Iterator<Item = &'static str> {
    CUSTOMER_TABLES
        .iter()
        .filter(|t| t.forget == Deleted)
        .map(|t| t.name)
}

/// The tables a forget keeps, naming nobody.
pub fn anonymised_on_forget() -> impl Iterator<Item = &'static str> {
    CUSTOMER_TABLES
        .iter()
        .filter(|t| t.forget == Anonymised)
        .map(|t| t.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_table_is_named_once_and_the_customer_row_goes_first() {
        let mut names: Vec<&str> = CUSTOMER_TABLES.iter().map(|t| t.name).collect();
        assert_eq!(names[0], "customers");
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CUSTOMER_TABLES.len());
    }

    #[test]
    fn what_moves_and_combines_on_a_merge_is_deleted_on_a_forget() {
        let merged: Vec<&str> = moved_on_merge()
            .chain(combined_on_merge().map(|(t, ..)| t))
            .collect();
        let forgotten: Vec<&str> = deleted_on_forget().collect();
        for table in merged {
            assert!(
                forgotten.contains(&table) || table == "recent_views",
                "{table} moves to the survivor on a merge but outlives a forget"
            );
        }
        assert_eq!(customer_table("events").map(|t| t.merge), Some(Moved));
        assert!(customer_table("users").is_none());
    }
}
