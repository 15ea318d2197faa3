//! Customer analytics: RFM beside the base, churn risk (BG/NBD), lifetime value (BG/NBD and
//! Gamma-Gamma) and product affinities, fitted by a background job.

#[cfg(feature = "ssr")]
pub mod stats;
