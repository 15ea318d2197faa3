//! The UI kit every screen uses: fields, dialogs, loading and error panels, the not-found page. It imports
//! no feature.

mod checked_form;
mod confirm;
mod edit_in_place;
mod error_panel;
mod field;
mod loaded;
mod modal;
mod not_found;
mod not_yet_available;
pub mod page_policy;
mod table;

pub use checked_form::{CheckedForm, FieldProblem};
pub use confirm::ConfirmButton;
pub use edit_in_place::{edit_in_place, EditButton, SaveOrCancel};
pub use error_panel::ErrorPanel;
pub use field::Field;
pub use loaded::Loaded;
pub use modal::{field_error, focus, form_error, Modal};
pub use not_found::NotFound;
pub use not_yet_available::NotYetAvailable;
pub use table::{Column, DataTable, TableName};
