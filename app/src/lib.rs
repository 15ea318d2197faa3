//! Customer Profiles: a customer-care console for loyalty and marketing programmes.
//!
//! This crate holds the shared types, components, pages and server functions; with the `ssr`
//! feature it also holds the SQL of each feature.

pub mod access;
pub mod activity;
pub mod admin;
pub mod analytics;
pub mod api_keys;
pub mod attributes;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod change;
#[cfg(feature = "ssr")]
pub mod countries;
pub mod customers;
pub mod devices;
pub mod duplicates;
pub mod error;
pub mod events;
pub mod geofences;
pub mod identity;
pub mod import;
pub mod ingest;
pub mod layout;
pub mod locations;
pub mod maintenance;
pub mod merge;
pub mod money;
pub mod notes;
pub mod offers;
pub mod panels;
pub mod points;
pub mod privacy;
pub mod profile;
pub mod promo;
pub mod purchases;
pub mod recent;
pub mod rewards;
mod routes;
pub mod search;
pub mod settings;
pub mod shopify;
#[cfg(feature = "ssr")]
pub mod state;
pub mod status;
#[cfg(feature = "ssr")]
pub mod store;
pub mod support;
pub mod tags;
pub mod tiers;
pub mod time;
mod top_bar;
pub mod users;
pub mod words;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::Router;
use top_bar::TopBar;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let policy =
        layout::page_policy::set_content_security_policy(options.env == leptos::config::Env::DEV);
    #[cfg(not(feature = "ssr"))]
    let policy: Option<String> = None;
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                {policy.map(|policy| view! { <meta http-equiv="Content-Security-Policy" content=policy/> })}
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content="Customer-care console for loyalty programmes"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
                <auth::CurrentUserScript/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The console: top bar, then the page for the current route.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    auth::provide_current_user();
    // In the browser, once the page has hydrated: the profile's code, fetched while idle.
    Effect::new(|| leptos::task::spawn_local(routes::preload_profile()));
    view! {
        <Stylesheet id="leptos" href="/pkg/customer-profiles.css"/>
        <Title text="Customer Profiles" formatter=layout::page_policy::escape_title/>
        <Router>
            <TopBar/>
            <main id="main" tabindex="-1">
                <maintenance::MaintenanceBanner/>
                <routes::AppRoutes/>
            </main>
        </Router>
    }
}
