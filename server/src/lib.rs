//! The Customer Profiles server: command line, startup, HTTP routes and the demo-data seeder.

pub mod analytics;
pub mod bench;
pub mod bench_ingest;
pub mod cli;
pub mod export;
pub mod guard;
pub mod headers;
pub mod ingest;
pub mod live;
pub mod openapi;
pub mod seed;
pub mod server_fns;
pub mod startup;
pub mod telemetry;
pub mod users;
pub mod webhooks;
