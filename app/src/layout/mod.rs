//! The console's frame: top bar with navigation and search, error and not-found pages.

mod error_panel;
mod field;
pub mod lazy;
mod modal;
mod not_found;
mod not_yet_available;
pub mod page_policy;
mod top_bar;

pub use error_panel::ErrorPanel;
pub use field::Field;
pub use modal::{field_error, focus, form_error, Modal};
pub use not_found::NotFound;
pub use not_yet_available::NotYetAvailable;
pub use top_bar::TopBar;
