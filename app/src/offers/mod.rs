//! Offers: the catalogue, the offers a customer holds (issued, redeemed, expired), and
//! issuing one from the catalogue (offers.issue; refused for restricted customers).

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
#[cfg(feature = "ssr")]
pub mod service;
mod tab;

pub use api::{issue_offer, list_offers};
pub use model::{CatalogOffer, HeldOffer, OfferList};
pub use tab::OffersTab;
