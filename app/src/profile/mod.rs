//! The profile: the page every tab of a customer sits in, with its header (status, name,
//! points, tier, activity, access tools) and tab bar. It composes the features; none
//! imports it.

mod header;
mod page;

pub use page::ProfilePage;
