//! The server's integration tests, one binary for all of them (one link, one set of
//! artefacts on disk): store, HTTP, auth, ingest, loyalty, privacy, analytics, recently viewed and CLI tests,
//! each on SQLite and, with `TEST_POSTGRES_URL`, PostgreSQL.

#![allow(clippy::unwrap_used)]

mod analytics;
mod attributes;
mod auth;
mod campaigns;
mod change;
mod cli;
mod client;
mod common;
mod geofences;
mod http;
mod identity;
mod import;
mod ingest;
mod loyalty;
mod merge;
mod mobile_sdks;
mod moving;
mod panels;
mod privacy;
mod promo;
mod recent;
mod rewards;
mod schema;
mod sdk;
mod security;
mod shopify;
mod store;
mod support;
mod tiers;
