//! The Profile tab: basic info, profile attributes and communication preferences.

use super::api::get_customer_profile;
use super::model::CustomerProfile;
use super::page::use_customer_id;
use crate::layout::ErrorPanel;
use leptos::prelude::*;

/// Read view of the customer's profile; only fields with values are shown.
#[component]
pub fn ProfileTab() -> impl IntoView {
    let id = use_customer_id();
    let profile = Resource::new(move || id.get(), get_customer_profile);
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading profile…"</p> }>
            {move || {
                profile
                    .get()
                    .map(|result| match result {
                        Ok(profile) => view! { <ProfileSections profile/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn ProfileSections(profile: CustomerProfile) -> impl IntoView {
    let basic = [
        ("First name", profile.first_name),
        ("Last name", profile.last_name),
        ("Email", profile.email),
        ("Phone", profile.phone),
        ("Loyalty card", profile.card_number),
        ("External id", profile.external_id),
        ("Date of birth", profile.date_of_birth),
        ("Address", profile.address_line),
        ("City", profile.city),
        ("Postal code", profile.postal_code),
        ("Country", profile.country),
        ("Home store", profile.home_store),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| (label.to_string(), v)))
    .collect::<Vec<_>>();
    let yes_no = |flag: bool| if flag { "Yes" } else { "No" }.to_string();
    let preferences = vec![
        ("Email marketing".to_string(), yes_no(profile.email_opt_in)),
        ("SMS".to_string(), yes_no(profile.sms_opt_in)),
        (
            "Push notifications".to_string(),
            yes_no(profile.push_opt_in),
        ),
        ("Phone verified".to_string(), yes_no(profile.phone_verified)),
    ];
    view! {
        <div class="profile-sections">
            <FactSection title="Basic info" facts=basic/>
            {(!profile.attributes.is_empty())
                .then(|| view! { <FactSection title="Profile attributes" facts=profile.attributes/> })}
            <FactSection title="Communication preferences" facts=preferences/>
        </div>
    }
}

#[component]
fn FactSection(title: &'static str, facts: Vec<(String, String)>) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>{title}</h2>
            <dl class="fact-list">
                {facts
                    .into_iter()
                    .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                    .collect_view()}
            </dl>
        </section>
    }
}
