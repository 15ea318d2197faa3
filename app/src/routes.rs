//! Every route of the console, and the screens whose code the browser loads only when one is
//! opened: every screen but the search and sign-in pages and the profile's header, which stay
//! in the first bundle. The profile's first tab (activity, event stream) is fetched as soon as
//! a page has hydrated ([`preload_profile`]), so opening a customer does not wait for it. (The
//! profile page itself is not lazy: rendered whole before it is sent, a lazy parent route lost
//! the response's Content-Security-Policy header now and then.) Release builds split them out
//! with `cargo leptos build --split`.

use crate::layout::NotFound;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

/// The page for the current URL.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            // Rendered whole before it is sent, so an exact match always answers 302 to the
            // profile (streamed, the redirect reached the headers only when the search beat
            // the first chunk; otherwise the browser navigated after hydrating).
            <Route path=path!("/") view=crate::search::SearchPage ssr=SsrMode::Async/>
            <Route path=path!("/search") view=crate::search::SearchPage ssr=SsrMode::Async/>
            <Route path=path!("/customers/new") view={Lazy::<AddCustomerScreen>::new()}/>
            <CustomerRoutes/>
            <Route path=path!("/privacy") view={Lazy::<PrivacyLogScreen>::new()}/>
            <Route path=path!("/duplicates") view={Lazy::<DuplicatesScreen>::new()}/>
            <Route path=path!("/campaigns/:id") view={Lazy::<CampaignScreen>::new()}/>
            <Route path=path!("/admin") view={Lazy::<AdminScreen>::new()}/>
            <Route path=path!("/admin/users") view={Lazy::<UsersScreen>::new()}/>
            <Route path=path!("/admin/users/:id") view={Lazy::<UserDetailScreen>::new()}/>
            <Route path=path!("/admin/audit") view={Lazy::<AuditTrailScreen>::new()}/>
            <Route path=path!("/admin/settings") view={Lazy::<SettingsScreen>::new()}/>
            <Route path=path!("/admin/api-keys") view={Lazy::<ApiKeysScreen>::new()}/>
            <Route path=path!("/admin/integrations") view={Lazy::<IntegrationsScreen>::new()}/>
            <Route path=path!("/admin/event-types") view={Lazy::<EventTypesScreen>::new()}/>
            <Route path=path!("/admin/attributes") view={Lazy::<AttributeTypesScreen>::new()}/>
            <Route path=path!("/admin/analytics") view={Lazy::<AnalyticsAdminScreen>::new()}/>
            <Route path=path!("/admin/import") view={Lazy::<ImportScreen>::new()}/>
            <Route path=path!("/admin/locations") view={Lazy::<GeofencesScreen>::new()}/>
            <Route path=path!("/admin/panels") view={Lazy::<PanelsScreen>::new()}/>
            <Route path=path!("/admin/import/:id") view={Lazy::<ImportJobScreen>::new()}/>
            <Route path=path!("/sign-in") view=crate::auth::SignInPage/>
        </Routes>
    }
}

/// The routes under `/customers/:id`, one per tab.
#[component(transparent)]
fn CustomerRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        // Rendered whole before it is sent (the reads take a few milliseconds): streamed
        // fallbacks swapped for content later moved the page under the reader's eyes.
        <ParentRoute path=path!("/customers/:id") view=crate::profile::ProfilePage ssr=SsrMode::Async>
            <ParentRoute path=path!("") view={Lazy::<ActivityScreen>::new()}>
                <Route path=path!("") view={Lazy::<EventStreamScreen>::new()}/>
                <Route path=path!("activity/:section") view={Lazy::<ActivitySectionScreen>::new()}/>
            </ParentRoute>
            <Route path=path!("profile") view={Lazy::<ProfileTabScreen>::new()}/>
            <Route path=path!("merge/:other") view={Lazy::<MergeScreen>::new()}/>
            <Route path=path!("digital-properties") view={Lazy::<DigitalPropertiesScreen>::new()}/>
            <Route path=path!("locations") view={Lazy::<LocationsScreen>::new()}/>
            <Route path=path!("notes") view={Lazy::<NotesScreen>::new()}/>
            <Route path=path!("privacy") view={Lazy::<PrivacyTabScreen>::new()}/>
            <Route path=path!("privacy/history") view={Lazy::<PrivacyTabScreen>::new()}/>
        </ParentRoute>
    }
    .into_inner()
}

/// Admin → Settings: the organisation's settings, then the note reasons and the tier rules.
#[component]
fn OrganisationSettings() -> impl IntoView {
    view! {
        <crate::settings::SettingsPage>
            <crate::identity::ExternalIdCaseSetting/>
            <crate::notes::NoteReasonSettings/>
            <crate::tiers::TierRulesSettings/>
        </crate::settings::SettingsPage>
    }
}

/// The Profile tab: the profile and its identifiers, then who may be the same person and the
/// merges this customer took part in.
#[component]
fn ProfileWithDuplicates() -> impl IntoView {
    let context = expect_context::<crate::customers::ProfilePageContext>();
    let (id, live_changes) = (context.customer_id, context.live_changes);
    view! {
        <crate::customers::ProfileTab>
            <crate::duplicates::PossibleDuplicates id live_changes/>
            <crate::merge::MergeHistory id live_changes/>
        </crate::customers::ProfileTab>
    }
}

/// Declares `$route`, a lazily loaded route whose view is the component `$screen`.
macro_rules! lazy_screen {
    ($($route:ident => $screen:path),+ $(,)?) => {$(
        #[doc = concat!("Loads `", stringify!($screen), "` on demand.")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                $screen().into_any()
            }
        }
    )+};
}

/// Fetches the code of a profile's first tab (the activity tab and its event stream) ahead of
/// the first click on a customer; nothing when it is already loaded.
pub async fn preload_profile() {
    ActivityScreen::preload().await;
    EventStreamScreen::preload().await;
}

lazy_screen! {
    ActivityScreen => crate::activity::ActivityTab,
    EventStreamScreen => crate::activity::EventStream,
    AddCustomerScreen => crate::customers::AddCustomerPage,
    PrivacyLogScreen => crate::privacy::PrivacyLogPage,
    CampaignScreen => crate::campaigns::CampaignPage,
    AdminScreen => crate::admin::AdminPage,
    UsersScreen => crate::users::UsersPage,
    UserDetailScreen => crate::users::UserDetailPage,
    AuditTrailScreen => crate::audit::AuditTrailPage,
    SettingsScreen => OrganisationSettings,
    ApiKeysScreen => crate::api_keys::ApiKeysPage,
    IntegrationsScreen => crate::shopify::IntegrationsPage,
    EventTypesScreen => crate::events::EventTypesPage,
    AttributeTypesScreen => crate::attributes::AttributeTypesPage,
    AnalyticsAdminScreen => crate::analytics::AnalyticsAdminPage,
    ImportScreen => crate::import::ImportPage,
    GeofencesScreen => crate::geofences::GeofencesPage,
    PanelsScreen => crate::panels::PanelsPage,
    ImportJobScreen => crate::import::ImportJobPage,
    ActivitySectionScreen => crate::activity::ActivitySection,
    ProfileTabScreen => ProfileWithDuplicates,
    MergeScreen => crate::merge::MergePage,
    DuplicatesScreen => crate::duplicates::DuplicatesPage,
    DigitalPropertiesScreen => crate::devices::DigitalPropertiesTab,
    LocationsScreen => crate::locations::LocationsTab,
    NotesScreen => crate::notes::NotesTab,
    PrivacyTabScreen => crate::privacy::PrivacyTab,
}
