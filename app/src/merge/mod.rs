//! Merging duplicate customers: a preview that writes nothing, a merge in one transaction
//! (permission `customers.merge`) that keeps what is needed to reverse it, the absorbed
//! customer's address and identifiers leading to the survivor, and an exact undo.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod history;
mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod plan;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::{merge_customers, merge_history, preview_merge, undo_merge};
pub use history::MergeHistory;
pub use model::{FieldConflict, MergeDone, MergePreview, MergeRecord, MergeSide, UndoDone};
pub use page::MergePage;
