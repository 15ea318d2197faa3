//! Activity: the event stream of a customer and its sub-tabs.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod describe;
mod live;
mod model;
mod registry;
mod stream;
pub mod template;
mod types;
mod types_page;

pub use api::list_events;
#[cfg(feature = "ssr")]
pub use live::LiveHub;
pub use live::{live_url, use_live_changes};
pub use model::{event_label, EventPage, EventView, NewEvent, Section, StreamQuery, SECTIONS};
pub use registry::{list_event_types, save_event_type};
pub use stream::{ActivitySection, ActivityTab, EventStream};
pub use template::EventTypeDef;
pub use types::{categories, check_type_name, merge, types_in, EventType, EVENT_TYPES};
pub use types_page::EventTypesPage;
