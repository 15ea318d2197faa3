//! Storage: one connection pool over SQLite (embedded default) or PostgreSQL, migrations,
//! where each table goes on a Citus cluster, and the one list of a customer's tables.

mod citus;
pub mod customer_tables;
mod db;
pub mod org_cache;
pub mod placement;
pub mod rows;

pub use db::{
    list_placeholders, maintenance, maintenance_cached, shard_groups, values_placeholders, Backend,
    Db, DEFAULT_DATABASE_URL, WRITER_CACHE_MB,
};
