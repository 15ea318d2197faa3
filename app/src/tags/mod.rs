//! Tags on a profile: the Tags sub-tab lists them with counts and dates; agents with
//! tags.manage add one (existing or new) or reset a tag's count.

mod api;
#[cfg(feature = "ssr")]
pub mod counts;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
#[cfg(feature = "ssr")]
pub mod service;
mod tab;

pub use api::{add_tag, list_tags, reset_tag_count};
pub use model::{CustomerTag, TagList};
pub use tab::TagsTab;
