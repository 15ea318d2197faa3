//! The Customer Profiles server: command line, startup, HTTP routes and the demo-data seeder;
//! with the `bench` feature, the benchmarks (`bench-*` commands, not in the product binary).

pub mod analytics;
#[cfg(feature = "bench")]
pub mod bench;
#[cfg(feature = "bench")]
pub mod bench_http;
#[cfg(feature = "bench")]
pub mod bench_import;
#[cfg(feature = "bench")]
pub mod bench_ingest;
#[cfg(feature = "bench")]
pub mod bench_merge;
#[cfg(feature = "bench")]
pub mod bench_webhook;
pub mod cli;
pub mod http;
pub mod import;
pub mod moving;
pub mod seed;
pub mod startup;
pub mod telemetry;
pub mod users;
