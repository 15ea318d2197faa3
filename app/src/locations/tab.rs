//! The Locations tab.

use super::api::{get_customer_locations, nearby_stores};
use super::model::{CustomerLocations, NearbyStore, StoreVisit};
use crate::catalog::Store;
use crate::customers::use_customer_id;
use crate::geofences::{format_dwell, GeofenceVisit};
use crate::layout::{Column, DataTable, ErrorPanel, Loaded, TableName};
use crate::time::format_date_time;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Home store, recent stores and, for a chosen store (`?near=` in the URL; the home store by
/// default), the nearest stores with distances.
#[component]
pub fn LocationsTab() -> impl IntoView {
    let id = use_customer_id();
    let locations = Resource::new(move || id.get(), get_customer_locations);
    view! {
        <Loaded resource=locations what="locations" let:locations>
            <LocationsView locations/>
        </Loaded>
    }
}

/// "Franchised · Open 24 hours · Promotions" for a store.
fn store_notes(store: &Store) -> String {
    [
        (store.franchised, "Franchised"),
        (store.open_24h, "Open 24 hours"),
        (store.promotions, "Takes part in promotions"),
    ]
    .into_iter()
    .filter_map(|(on, label)| on.then_some(label))
    .collect::<Vec<_>>()
    .join(" · ")
}

#[component]
fn LocationsView(locations: CustomerLocations) -> impl IntoView {
    let query = use_query_map();
    let default_store = locations
        .home
        .as_ref()
        .or(locations.recent.first().map(|v| &v.store))
        .or(locations.all.first())
        .map(|s| s.id.clone())
        .unwrap_or_default();
    let chosen = Memo::new(move |_| {
        query
            .read()
            .get("near")
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| default_store.clone())
    });
    view! {
        <div class="locations">
            <HomeStore home=locations.home/>
            <RecentStores recent=locations.recent/>
            <GeofenceVisits visits=locations.geofences near=locations.near_last_geofence/>
            <NearbyStores all=locations.all chosen/>
        </div>
    }
}

#[component]
fn HomeStore(home: Option<Store>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="home-store-title">
            <h2 id="home-store-title">"Home store"</h2>
            {match home {
                Some(store) => view! {
                    <p class="store-name">{store.name.clone()} <span class="muted">" (" {store.id.clone()} ")"</span></p>
                    <dl class="fact-list">
                        <dt>"Address"</dt><dd>{format!("{}, {} {}, {}", store.address, store.city, store.postal_code, store.country)}</dd>
                        <dt>"Hours"</dt><dd>{store.hours.clone()}</dd>
                        <dt>"Phone"</dt><dd>{store.phone.clone()}</dd>
                        {Some(store_notes(&store)).filter(|notes| !notes.is_empty()).map(|notes| view! {
                            <dt>"Notes"</dt><dd>{notes}</dd>
                        })}
                    </dl>
                }.into_any(),
                None => view! { <p class="muted">"No home store set."</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RecentStores(recent: Vec<StoreVisit>) -> impl IntoView {
    let table = (!recent.is_empty()).then(|| {
        let columns = vec![Column::text("Store"), Column::text("City"), Column::text("Visits"), Column::text("Last visit")];
        view! {
            <DataTable name=TableName::Section columns>
                {recent.into_iter().map(|visit| view! {
                    <tr>
                        <td>{visit.store.name} <span class="muted">" (" {visit.store.id} ")"</span></td>
                        <td>{visit.store.city}</td>
                        <td>{visit.visits}</td>
                        <td>{format_date_time(visit.last_visit)}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
        }
    });
    view! {
        <section class="panel" aria-labelledby="recent-stores-title">
            <h2 id="recent-stores-title">"Recent stores"</h2>
            {table.map(IntoAny::into_any).unwrap_or_else(|| view! { <p class="muted">"No store activity yet."</p> }.into_any())}
        </section>
    }
}

/// The geofences the customer was seen in (when, how long), and the stores nearest the last.
#[component]
fn GeofenceVisits(visits: Vec<GeofenceVisit>, near: Vec<NearbyStore>) -> impl IntoView {
    let last = visits
        .first()
        .map(|v| v.geofence.name.clone())
        .unwrap_or_default();
    let body = if visits.is_empty() {
        view! { <p class="muted">"No geofence visits yet: the brand's apps report them when the customer enters one."</p> }.into_any()
    } else {
        let columns = vec![
            Column::text("Geofence"),
            Column::text("Last entered"),
            Column::text("Stayed"),
            Column::number("Visits"),
        ];
        view! {
            <DataTable name=TableName::LabelledBy("geofences-title") columns>
                {visits.into_iter().map(|visit| {
                    let stayed = match (visit.inside, visit.last_dwell_seconds) {
                        (true, _) => "Still inside".to_string(),
                        (false, Some(seconds)) => format_dwell(seconds),
                        (false, None) => "—".to_string(),
                    };
                    view! {
                        <tr>
                            <td>{visit.geofence.name}</td>
                            <td>{visit.last_entered.map(format_date_time).unwrap_or_default()}</td>
                            <td>{stayed}</td>
                            <td class="number">{visit.entries}</td>
                        </tr>
                    }
                }).collect_view()}
            </DataTable>
            <h3 id="near-geofence-title">{format!("Stores nearest {last}")}</h3>
            <DataTable name=TableName::LabelledBy("near-geofence-title") columns=vec![Column::text("Store"), Column::number("Distance")]>
                {near.into_iter().map(|n| view! {
                    <tr>
                        <td>{n.store.name} <span class="muted">" (" {n.store.id} ")"</span></td>
                        <td class="number">{format!("{:.1} km", n.km)}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
        }.into_any()
    };
    view! {
        <section class="panel" aria-labelledby="geofences-title">
            <h2 id="geofences-title">"Geofences"</h2>
            {body}
        </section>
    }
}

/// The stores nearest the chosen one (`?near=`), with distances.
#[component]
fn NearbyStores(all: Vec<Store>, chosen: Memo<String>) -> impl IntoView {
    let nearby = Resource::new(move || chosen.get(), |store| nearby_stores(store, 10));
    view! {
        <section class="panel" aria-labelledby="nearby-title">
            <h2 id="nearby-title">"Stores nearby"</h2>
            <form method="get" class="inline-form">
                <label for="near-store">"Stores near"</label>
                <select id="near-store" name="near">
                    {all.into_iter().map(|s| {
                        let selected = s.id == chosen.get_untracked();
                        let label = format!("{} ({})", s.name, s.city);
                        view! { <option value=s.id selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="button secondary">"Show nearby stores"</button>
            </form>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Finding stores…"</p> }>
                {move || nearby.get().map(|result| match result {
                    Ok(list) => view! { <NearbyTable list/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NearbyTable(list: Vec<NearbyStore>) -> impl IntoView {
    let columns = ["Store", "Address", "Distance", "Hours", "Phone", "Notes"]
        .map(Column::text)
        .to_vec();
    view! {
        <DataTable name=TableName::Label("Nearest stores") columns>
            {list.into_iter().map(|near| {
                let notes = store_notes(&near.store);
                let s = near.store;
                view! {
                    <tr>
                        <td>{s.name} <span class="muted">" (" {s.id} ")"</span></td>
                        <td>{format!("{}, {}", s.address, s.city)}</td>
                        <td class="numeric">{format!("{:.1} km", near.km)}</td>
                        <td>{s.hours}</td>
                        <td>{s.phone}</td>
                        <td>{notes}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
