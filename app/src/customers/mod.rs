//! Customers: the customer record, Add Customer, the Profile tab, and what an open profile's
//! tabs share.

mod add_page;
mod api;
mod context;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
pub mod new_customer;
mod profile_edit;
mod profile_tab;
#[cfg(feature = "ssr")]
pub mod service;

pub use add_page::AddCustomerPage;
pub use api::{
    create_customer, get_customer_header, get_customer_profile, update_customer_profile,
};
pub use context::{use_customer_id, ProfilePageContext};
pub use model::{
    full_name, search_key, Contact, CustomerHeader, CustomerProfile, NewCustomer, StatusBadge,
};
pub use profile_tab::ProfileTab;
