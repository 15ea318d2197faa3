//! Activity: the event stream of a customer and its sub-tabs.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod describe;
mod model;
mod stream;

pub use api::list_events;
pub use model::{event_label, EventPage, EventView, NewEvent, Section, SECTIONS};
pub use stream::{ActivitySection, ActivityTab, EventStream};
