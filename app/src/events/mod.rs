//! The event store: every customer's stream of events (the source of truth), the event-type
//! registry and how each type reads, and the live channel that tells open profiles about
//! changes. Features write events here; the Activity tab renders them.

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod describe;
mod live;
mod model;
mod registry;
#[cfg(feature = "ssr")]
pub mod service;
pub mod template;
mod types;
mod types_page;

#[cfg(feature = "ssr")]
pub use live::LiveHub;
pub use live::{live_url, use_live_changes};
pub use model::{event_label, EventPage, EventView, NewEvent, StreamQuery};
pub use registry::{list_event_types, save_event_type};
pub use template::EventTypeDef;
pub use types::{categories, check_type_name, merge, types_in, EventType, DIGITAL, EVENT_TYPES};
pub use types_page::EventTypesPage;
