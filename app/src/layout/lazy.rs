//! Screens whose code the browser loads only when one is opened: the admin screens, the
//! rarely used pages and the profile's secondary tabs. The search page, the profile header and
//! its event stream stay in the first bundle, so the screens a care agent starts on hydrate
//! without a second download. Release builds split them out with `cargo leptos build --split`.

use leptos::prelude::{AnyView, IntoAny};
use leptos_router::{lazy_route, LazyRoute};

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

lazy_screen! {
    AddCustomerScreen => crate::customers::AddCustomerPage,
    PrivacyLogScreen => crate::privacy::PrivacyLogPage,
    CampaignScreen => crate::campaigns::CampaignPage,
    AdminScreen => crate::admin::AdminPage,
    UsersScreen => crate::users::UsersPage,
    UserDetailScreen => crate::users::UserDetailPage,
    AuditTrailScreen => crate::audit::AuditTrailPage,
    SettingsScreen => crate::settings::SettingsPage,
    ApiKeysScreen => crate::api_keys::ApiKeysPage,
    EventTypesScreen => crate::activity::EventTypesPage,
    AnalyticsAdminScreen => crate::analytics::AnalyticsAdminPage,
    ActivitySectionScreen => crate::activity::ActivitySection,
    ProfileTabScreen => crate::customers::ProfileTab,
    DigitalPropertiesScreen => crate::devices::DigitalPropertiesTab,
    LocationsScreen => crate::locations::LocationsTab,
    NotesScreen => crate::notes::NotesTab,
    PrivacyTabScreen => crate::privacy::PrivacyTab,
}
