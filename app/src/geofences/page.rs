//! `/admin/locations`: the geofences apps are told of; add one, change one (its circle, its
//! store, whether it is active). Needs settings.manage.

use super::api::{list_geofences, GeofencesScreen, SaveGeofence};
use super::model::{Geofence, RADIUS_M};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{
    edit_in_place, field_error, form_error, Column, DataTable, EditButton, Field, Loaded,
    SaveOrCancel, TableName,
};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The geofences screen.
#[component]
pub fn GeofencesPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Locations · Customer Profiles"/>
        <RequirePermission permission=Permission::SettingsManage>
            <Geofences/>
        </RequirePermission>
    }
}

#[component]
fn Geofences() -> impl IntoView {
    let save = ServerAction::<SaveGeofence>::new();
    let (editing, saved) = edit_in_place::<_, _, _, Geofence>(save);
    let screen = Resource::new(move || saved.get(), |_| list_geofences());
    view! {
        <div class="page">
            <h1>"Locations: geofences"</h1>
            <p class="muted">
                "Mobile apps fetch the active geofences (" <code>"GET /api/v1/geofences"</code>
                " with the app's publishable key) and send " <code>"geofence_entered"</code> " and "
                <code>"geofence_exited"</code> " events naming them; a customer's Locations tab shows where they were last seen. Stores come from the catalogue."
            </p>
            <Loaded resource=screen what="geofences" let:screen>
                <GeofenceList screen=screen.clone() editing/>
                {move || {
                    let current = editing.get();
                    view! { <GeofenceForm stores=screen.stores.clone() current save editing/> }
                }}
            </Loaded>
        </div>
    }
}

#[component]
fn GeofenceList(screen: GeofencesScreen, editing: RwSignal<Option<Geofence>>) -> impl IntoView {
    if screen.geofences.is_empty() {
        return view! { <p class="muted">"No geofences yet."</p> }.into_any();
    }
    let store_name = move |id: &Option<String>| {
        id.as_ref()
            .map(|id| {
                screen
                    .stores
                    .iter()
                    .find(|(s, _)| s == id)
                    .map_or(id.clone(), |(_, name)| name.clone())
            })
            .unwrap_or_else(|| "—".into())
    };
    let columns = vec![
        Column::text("Name"),
        Column::text("Centre"),
        Column::number("Radius"),
        Column::text("Store"),
        Column::text("Active"),
        Column::hidden("Actions"),
    ];
    view! {
        <DataTable class="geofences" name=TableName::Label("Geofences") columns>
            {screen.geofences.into_iter().map(|fence| {
                let label = format!("Edit {}", fence.name);
                let store = store_name(&fence.store_id);
                let chosen = fence.clone();
                view! {
                    <tr>
                        <td>{fence.name.clone()}</td>
                        <td>{format!("{:.5}, {:.5}", fence.latitude, fence.longitude)}</td>
                        <td class="number">{format!("{} m", crate::time::format_count(fence.radius_m))}</td>
                        <td>{store}</td>
                        <td>{if fence.active { "Active" } else { "Inactive" }}</td>
                        <td>
                            <EditButton label item=chosen editing first_field="geofence-name"/>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}

/// Adding a geofence, or changing `current`.
#[component]
fn GeofenceForm(
    stores: Vec<(String, String)>,
    current: Option<Geofence>,
    save: ServerAction<SaveGeofence>,
    editing: RwSignal<Option<Geofence>>,
) -> impl IntoView {
    let error = move || save.value().get().and_then(Result::err);
    let general = form_error(error);
    let title = current.as_ref().map_or("Add a geofence".to_string(), |g| {
        format!("Edit “{}”", g.name)
    });
    let value = |f: fn(&Geofence) -> String| current.as_ref().map(f).unwrap_or_default();
    let (name, latitude, longitude) = (
        value(|g| g.name.clone()),
        value(|g| g.latitude.to_string()),
        value(|g| g.longitude.to_string()),
    );
    let radius = current
        .as_ref()
        .map_or("150".to_string(), |g| g.radius_m.to_string());
    let store_id = value(|g| g.store_id.clone().unwrap_or_default());
    let active = current.as_ref().is_none_or(|g| g.active);
    let (id, seen) = (value(|g| g.id.clone()), value(|g| g.updated_at.to_string()));
    let editing_one = current.is_some();
    let radius_hint = format!(
        "Radius in metres ({} to {})",
        RADIUS_M.start(),
        crate::time::format_count(*RADIUS_M.end())
    );
    view! {
        <section class="card" aria-labelledby="geofence-form-title">
            <h2 id="geofence-form-title">{title}</h2>
            <ActionForm action=save attr:class="stacked-form">
                <input type="hidden" name="form[id]" value=id/>
                <input type="hidden" name="form[seen]" value=seen/>
                <Field id="geofence-name" label="Name" error=field_error(error, "name")>
                    <input id="geofence-name" name="form[name]" required maxlength="80" autocomplete="off"
                        value=name aria-describedby="geofence-name-error"/>
                </Field>
                <Field id="geofence-latitude" label="Latitude (degrees north)" error=field_error(error, "latitude")>
                        <input id="geofence-latitude" name="form[latitude]" required inputmode="decimal" autocomplete="off"
                            placeholder="51.5154" value=latitude aria-describedby="geofence-latitude-error"/>
                    </Field>
                    <Field id="geofence-longitude" label="Longitude (degrees east)" error=field_error(error, "longitude")>
                        <input id="geofence-longitude" name="form[longitude]" required inputmode="decimal" autocomplete="off"
                            placeholder="-0.1419" value=longitude aria-describedby="geofence-longitude-error"/>
                    </Field>
                    <Field id="geofence-radius" label=radius_hint error=field_error(error, "radius_m")>
                        <input id="geofence-radius" name="form[radius_m]" required inputmode="numeric" autocomplete="off"
                            value=radius aria-describedby="geofence-radius-error"/>
                    </Field>
                <Field id="geofence-store" label="Store (optional)" error=field_error(error, "store_id")>
                    <select id="geofence-store" name="form[store_id]" aria-describedby="geofence-store-error">
                        <option value="" selected=store_id.is_empty()>"None"</option>
                        {stores.into_iter().map(|(id, name)| {
                            let selected = id == store_id;
                            view! { <option value=id.clone() selected=selected>{format!("{name} ({id})")}</option> }
                        }).collect_view()}
                    </select>
                </Field>
                <label class="check">
                    <input type="checkbox" id="geofence-active" name="form[active]" checked=active/>
                    "Active: apps are told of it"
                </label>
                <SaveOrCancel editing editing_one add="Add geofence" pending=save.pending()/>
                <p class="alert alert-error" role="alert" hidden=move || general.get().is_none()>{general}</p>
            </ActionForm>
        </section>
    }
}
