//! Activity: the event stream of a customer and its sub-tabs.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod describe;
mod live;
mod model;
mod stream;
mod types;

pub use api::list_events;
#[cfg(feature = "ssr")]
pub use live::LiveHub;
pub use live::{live_url, use_live_changes};
pub use model::{event_label, EventPage, EventView, NewEvent, Section, StreamQuery, SECTIONS};
pub use stream::{ActivitySection, ActivityTab, EventStream};
pub use types::{categories, find_type, types_in, EventType, EVENT_TYPES};
