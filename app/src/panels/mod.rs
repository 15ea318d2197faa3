//! Third-party panels: Admin → Panels adds a panel (a title, an HTTPS address, which of the
//! customer's identifiers it may be sent, a signing secret, a timeout of at most 2 s, a cache
//! time). For an open profile the console's server — never the browser: the address and the
//! secret stay on the server — calls each active panel, signed and within its timeout, and
//! shows the metrics it answers beside the analytics; a slow, failing or malformed panel shows
//! as unavailable on its own. Addresses on this machine and private networks are refused
//! unless an admin allows them for development; every call is in the audit trail.

mod api;
#[cfg(feature = "ssr")]
mod cache;
#[cfg(feature = "ssr")]
pub mod call;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
mod page;
#[cfg(feature = "ssr")]
pub mod service;
mod widget;

pub use api::{customer_panels, list_panels, save_panel, set_panels_allow_private};
#[cfg(feature = "ssr")]
pub use cache::AnswerCache;
pub use model::{
    answer_of, checked, Metric, Panel, PanelAnswer, PanelForm, PanelView, Sends, Trend,
    MAX_TIMEOUT_MS,
};
pub use page::PanelsPage;
pub use widget::ThirdPartyPanels;
