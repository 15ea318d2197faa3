//! `/admin/panels`: the third-party panels profiles show beside their analytics; add one,
//! change one, and (development only) let them live on this machine. Needs settings.manage.

use super::api::{list_panels, SavePanel, SetPanelsAllowPrivate};
use super::model::{Panel, Sends, MAX_TIMEOUT_MS};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{
    edit_in_place, field_error, form_error, Column, DataTable, EditButton, Field, Loaded,
    SaveOrCancel, TableName,
};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The panels screen.
#[component]
pub fn PanelsPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Panels · Customer Profiles"/>
        <RequirePermission permission=Permission::SettingsManage>
            <Panels/>
        </RequirePermission>
    }
}

#[component]
fn Panels() -> impl IntoView {
    let save = ServerAction::<SavePanel>::new();
    let allow = ServerAction::<SetPanelsAllowPrivate>::new();
    let (editing, saved) = edit_in_place::<_, _, _, Panel>(save);
    let screen = Resource::new(
        move || (saved.get(), allow.version().get()),
        |_| list_panels(),
    );
    view! {
        <div class="page">
            <h1>"Panels"</h1>
            <p class="muted">
                "Figures from other services (social listening, reviews, a helpdesk) beside a profile's analytics. For an open profile the console's server posts "
                <code>"{\"panel\", \"request\", \"customer\": {…}, \"requested_at\"}"</code>
                " to the panel's address, with " <code>"X-Customer-Profiles-Timestamp"</code> " (Unix seconds) and "
                <code>"X-Customer-Profiles-Signature"</code> " (base64 HMAC-SHA256 of the timestamp followed by the body, keyed by the panel's secret), and shows the "
                <code>"{\"title\", \"metrics\": [{\"label\", \"value\", \"trend\", \"link\"}]}"</code>
                " it answers (up to 8 figures). Each call is in the audit trail."
            </p>
            <Loaded resource=screen what="panels" let:screen>
                <PanelList panels=screen.0.clone() editing/>
                {move || view! { <PanelForm current=editing.get() save editing/> }}
                <DevelopmentSetting allowed=screen.1 allow/>
            </Loaded>
        </div>
    }
}

#[component]
fn PanelList(panels: Vec<Panel>, editing: RwSignal<Option<Panel>>) -> impl IntoView {
    if panels.is_empty() {
        return view! { <p class="muted">"No panels yet."</p> }.into_any();
    }
    let columns = vec![
        Column::text("Title"),
        Column::text("Address"),
        Column::text("Sent"),
        Column::number("Timeout"),
        Column::number("Kept"),
        Column::text("Active"),
        Column::hidden("Actions"),
    ];
    view! {
        <DataTable class="panels" name=TableName::Label("Panels") columns>
            {panels.into_iter().map(|panel| {
                let label = format!("Edit {}", panel.title);
                let chosen = panel.clone();
                view! {
                    <tr>
                        <td>{panel.title.clone()}</td>
                        <td class="address">{panel.url.clone()}</td>
                        <td>{panel.sends.label()}</td>
                        <td class="number">{format!("{} ms", crate::time::format_count(panel.timeout_ms))}</td>
                        <td class="number">{format!("{} s", crate::time::format_count(panel.cache_seconds))}</td>
                        <td>{if panel.active { "Active" } else { "Inactive" }}</td>
                        <td>
                            <EditButton label item=chosen editing first_field="panel-title"/>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

/// Adding a panel, or changing `current`.
#[component]
fn PanelForm(
    current: Option<Panel>,
    save: ServerAction<SavePanel>,
    editing: RwSignal<Option<Panel>>,
) -> impl IntoView {
    let error = move || save.value().get().and_then(Result::err);
    let general = form_error(error);
    let editing_one = current.is_some();
    let title = current
        .as_ref()
        .map_or("Add a panel".to_string(), |p| format!("Edit “{}”", p.title));
    let value =
        |f: fn(&Panel) -> String, default: &str| current.as_ref().map_or(default.to_string(), f);
    let (id, seen) = (
        value(|p| p.id.clone(), ""),
        value(|p| p.updated_at.to_string(), ""),
    );
    let (name, url) = (value(|p| p.title.clone(), ""), value(|p| p.url.clone(), ""));
    let timeout = value(|p| p.timeout_ms.to_string(), "1500");
    let cache = value(|p| p.cache_seconds.to_string(), "300");
    let sends = current.as_ref().map_or(Sends::Nothing, |p| p.sends);
    let active = current.as_ref().is_none_or(|p| p.active);
    let secret_label = if editing_one {
        "Signing secret (leave empty to keep the current one)"
    } else {
        "Signing secret (16 characters or more; the panel checks each request with it)"
    };
    view! {
        <section class="card" aria-labelledby="panel-form-title">
            <h2 id="panel-form-title">{title}</h2>
            <ActionForm action=save attr:class="stacked-form">
                <input type="hidden" name="form[id]" value=id/>
                <input type="hidden" name="form[seen]" value=seen/>
                <Field id="panel-title" label="Title" error=field_error(error, "title")>
                    <input id="panel-title" name="form[title]" required maxlength="60" autocomplete="off"
                        value=name aria-describedby="panel-title-error"/>
                </Field>
                <Field id="panel-url" label="Address (https://…)" error=field_error(error, "url")>
                    <input id="panel-url" name="form[url]" required type="url" autocomplete="off" inputmode="url"
                        placeholder="https://listen.example/panel" value=url aria-describedby="panel-url-error"/>
                </Field>
                <Field id="panel-sends" label="What it is sent about the customer" error=field_error(error, "sends")>
                    <select id="panel-sends" name="form[sends]" aria-describedby="panel-sends-error">
                        {Sends::ALL.map(|s| view! { <option value=s.as_str() selected=s == sends>{s.label()}</option> }).collect_view()}
                    </select>
                </Field>
                <Field id="panel-secret" label=secret_label error=field_error(error, "secret")>
                    <input id="panel-secret" name="form[secret]" type="password" autocomplete="new-password"
                        aria-describedby="panel-secret-error"/>
                </Field>
                <Field id="panel-timeout" label=format!("Wait at most (milliseconds, 100 to {})", crate::time::format_count(MAX_TIMEOUT_MS)) error=field_error(error, "timeout_ms")>
                    <input id="panel-timeout" name="form[timeout_ms]" required inputmode="numeric" autocomplete="off"
                        value=timeout aria-describedby="panel-timeout-error"/>
                </Field>
                <Field id="panel-cache" label="Keep an answer for (seconds, 0 to 86,400)" error=field_error(error, "cache_seconds")>
                    <input id="panel-cache" name="form[cache_seconds]" required inputmode="numeric" autocomplete="off"
                        value=cache aria-describedby="panel-cache-error"/>
                </Field>
                <label class="check">
                    <input type="checkbox" id="panel-active" name="form[active]" checked=active/>
                    "Active: profiles show it"
                </label>
                <SaveOrCancel editing editing_one add="Add panel" pending=save.pending()/>
                <p class="alert alert-error" role="alert" hidden=move || general.get().is_none()>{general}</p>
            </ActionForm>
        </section>
    }
}

/// The development setting: panels on loopback and private addresses.
#[component]
fn DevelopmentSetting(allowed: bool, allow: ServerAction<SetPanelsAllowPrivate>) -> impl IntoView {
    let (label, next) = if allowed {
        (
            "Refuse addresses on this machine and private networks again",
            false,
        )
    } else {
        ("Allow addresses on this machine and private networks", true)
    };
    view! {
        <section class="card" aria-labelledby="panel-development-title">
            <h2 id="panel-development-title">"Development"</h2>
            <p class="muted">
                {if allowed {
                    "Panels may now live on this machine and on private networks, over plain http too. Turn this off outside development: an address typed here could otherwise make the server call into your network."
                } else {
                    "Panels must be public https addresses; addresses on this machine, private networks and cloud metadata services are refused."
                }}
            </p>
            <button type="button" class="button secondary" on:click=move |_| { allow.dispatch(SetPanelsAllowPrivate { allow: next }); }>
                {label}
            </button>
        </section>
    }
}
