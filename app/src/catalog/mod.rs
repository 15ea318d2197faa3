//! The programme's catalogue: stores (with coordinates) and products.

#[cfg(feature = "ssr")]
pub mod db;
mod model;

pub use model::{Product, Store};
