//! Storage: one connection pool over SQLite (embedded default) or PostgreSQL, and migrations.

mod db;

pub use db::{list_placeholders, values_placeholders, Backend, Db, DEFAULT_DATABASE_URL};
