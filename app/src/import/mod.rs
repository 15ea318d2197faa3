//! Bringing a brand's existing customers and history in: customers from CSV or NDJSON, created
//! or updated by any identifier (never a duplicate), and historical events from NDJSON through
//! the ingest API's own checks. A dry run first, then the import, a batch at a time, resumable;
//! each refused row named with its column. Admin → Import in the console, `import` on the
//! command line.

mod api;
#[cfg(feature = "ssr")]
mod columns;
#[cfg(feature = "ssr")]
mod customers;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod encoding;
#[cfg(feature = "ssr")]
mod events;
mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod presets;
#[cfg(feature = "ssr")]
pub mod reader;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod uploads;

pub use api::{get_import, list_imports, set_import_mapping, start_import, stop_import};
pub use model::{
    ColumnMapping, ImportDetail, ImportFormat, ImportJob, ImportKind, ImportStatus, Mapping,
    RowProblem, CUSTOMER_FIELDS, IGNORE, MAX_UPLOAD_BYTES,
};
pub use page::{ImportJobPage, ImportPage};
