//! Activity: the tab that shows a customer's event stream and its sub-tabs, each rendered by
//! the feature it belongs to.

mod api;
mod sections;
#[cfg(feature = "ssr")]
mod service;
mod stream;

pub use api::list_events;
pub use sections::{Section, SECTIONS};
pub use stream::{ActivitySection, ActivityTab, EventStream};
