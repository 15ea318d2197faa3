//! The Profile tab: basic info, profile attributes and communication preferences; "Edit"
//! turns them into inline fields for users with profile.edit and customers.view_pii.

use super::api::get_customer_profile;
use super::context::{use_customer_id, ProfilePageContext};
use super::model::CustomerProfile;
use super::profile_edit::ProfileEditForm;
use crate::attributes::AttributeKind;
use crate::auth::{use_can, Permission};
use crate::identity::IdentifiersPanel;
use crate::layout::Loaded;
use leptos::prelude::*;

/// Read view of the customer's profile (only fields with values), or the edit form; then the
/// identifiers and `children` (panels other features add, composed in `routes.rs`).
#[component]
pub fn ProfileTab(children: Children) -> impl IntoView {
    let id = use_customer_id();
    let context = expect_context::<ProfilePageContext>();
    let version = RwSignal::new(0u32);
    let editing = RwSignal::new(false);
    let profile = Resource::new(
        move || (id.get(), version.get()),
        |(id, _)| get_customer_profile(id),
    );
    let can_edit = use_can(Permission::ProfileEdit) && use_can(Permission::CustomersViewPii);
    let reload = move || version.update(|v| *v += 1);
    let on_saved = Callback::new(move |()| {
        editing.set(false);
        reload();
        context.header_version.update(|v| *v += 1);
    });
    let on_cancel = Callback::new(move |()| editing.set(false));
    let on_changed = Callback::new(move |()| {
        reload();
        context.header_version.update(|v| *v += 1);
    });
    let on_reload = Callback::new(move |()| {
        editing.set(false);
        reload();
    });
    view! {
        <Loaded resource=profile what="profile" let:value>
            {match value {
                profile if editing.get() => {
                    view! { <ProfileEditForm profile on_saved on_cancel on_reload/> }.into_any()
                }
                profile => {
                    view! {
                        {can_edit.then(|| view! {
                            <div class="tab-actions">
                                <button type="button" class="button secondary" on:click=move |_| editing.set(true)>
                                    "Edit profile"
                                </button>
                            </div>
                        })}
                        <ProfileSections profile/>
                    }
                        .into_any()
                }
            }}
        </Loaded>
        // Outside the profile's Loaded: reloading the profile after a change must not re-create
        // the panel (and lose what its forms say).
        <Show when=move || !editing.get()>
            <IdentifiersPanel id live_changes=context.live_changes on_changed/>
        </Show>
        {children()}
    }
}

/// Label/value pairs of the fields that have a value.
fn present(fields: Vec<(&str, Option<String>)>) -> Vec<(String, String)> {
    fields
        .into_iter()
        .filter_map(|(label, value)| value.map(|v| (label.to_string(), v)))
        .collect()
}

#[component]
fn ProfileSections(profile: CustomerProfile) -> impl IntoView {
    let basic = present(vec![
        ("First name", profile.contact.first_name),
        ("Last name", profile.contact.last_name),
        ("Email", profile.contact.email),
        ("Phone", profile.contact.phone),
        ("Loyalty card", profile.contact.card_number),
        ("External id", profile.contact.external_id),
    ]);
    let mut attributes = present(vec![
        ("Date of birth", profile.contact.date_of_birth),
        ("Address", profile.contact.address_line),
        ("City", profile.contact.city),
        ("Postal code", profile.contact.postal_code),
        ("Country", profile.contact.country),
        ("Home store", profile.home_store),
    ]);
    let links: Vec<String> = profile
        .attributes
        .iter()
        .filter(|a| a.kind == AttributeKind::Url)
        .map(|a| a.value.clone())
        .collect();
    attributes.extend(
        profile
            .attributes
            .into_iter()
            .map(|a| (a.label, a.kind.shown(&a.value))),
    );
    let yes_no = |flag: bool| if flag { "Yes" } else { "No" }.to_string();
    let preferences = vec![
        ("Marketing email".to_string(), yes_no(profile.email_opt_in)),
        ("SMS".to_string(), yes_no(profile.sms_opt_in)),
        (
            "Push notifications".to_string(),
            yes_no(profile.push_opt_in),
        ),
        ("Phone verified".to_string(), yes_no(profile.phone_verified)),
    ];
    view! {
        <div class="profile-sections">
            <FactSection title="Basic info" facts=basic links=Vec::new()/>
            {(!attributes.is_empty())
                .then(|| view! { <FactSection title="Profile attributes" facts=attributes links/> })}
            <FactSection title="Communication preferences" facts=preferences links=Vec::new()/>
        </div>
    }
}

/// A section of label/value pairs; a value in `links` (a checked web address) is a link.
#[component]
fn FactSection(
    title: &'static str,
    facts: Vec<(String, String)>,
    links: Vec<String>,
) -> impl IntoView {
    view! {
        <section class="panel">
            <h2>{title}</h2>
            <dl class="fact-list">
                {facts
                    .into_iter()
                    .map(|(label, value)| {
                        let shown = if links.contains(&value) {
                            let href = value.clone();
                            view! { <a href=href rel="noopener noreferrer nofollow" target="_blank">{value}</a> }.into_any()
                        } else {
                            view! { {value} }.into_any()
                        };
                        view! { <dt>{label}</dt><dd>{shown}</dd> }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}
