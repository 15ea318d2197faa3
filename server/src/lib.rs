//! The Customer Profiles server: command line, startup, HTTP routes and the demo-data seeder.

pub mod analytics;
pub mod bench;
pub mod bench_http;
pub mod bench_import;
pub mod bench_ingest;
pub mod bench_merge;
pub mod bench_webhook;
pub mod cli;
pub mod http;
pub mod import;
pub mod seed;
pub mod startup;
pub mod telemetry;
pub mod users;
