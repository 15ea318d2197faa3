//! Customers: Add Customer, the profile route with its header and tab bar, and the profile tab.

mod add_page;
mod api;
mod create;
#[cfg(feature = "ssr")]
pub mod db;
mod header;
mod model;
pub mod new_customer;
mod page;
mod profile_edit;
mod profile_tab;
mod update;

pub use add_page::AddCustomerPage;
pub use api::{get_customer_header, get_customer_profile};
pub use create::create_customer;
pub use model::{
    full_name, mask_email, mask_phone, search_key, CustomerHeader, CustomerProfile, NewCustomer,
    StatusBadge,
};
pub use page::{use_customer_id, CustomerRoutes, ProfilePage, ProfilePageContext};
pub use profile_tab::ProfileTab;
pub use update::update_customer_profile;
