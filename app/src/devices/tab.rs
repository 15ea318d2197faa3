//! The Digital properties tab.

use super::api::get_digital_footprint;
use super::model::DigitalFootprint;
use crate::customers::use_customer_id;
use crate::layout::{Column, DataTable, Loaded, TableName};
use crate::time::format_date_time;
use leptos::prelude::*;

/// Properties with first and last seen; devices with their latest report.
#[component]
pub fn DigitalPropertiesTab() -> impl IntoView {
    let id = use_customer_id();
    let footprint = Resource::new(move || id.get(), get_digital_footprint);
    view! {
        <Loaded resource=footprint what="digital properties" let:footprint>
            <FootprintTables footprint/>
        </Loaded>
    }
}

#[component]
fn FootprintTables(footprint: DigitalFootprint) -> impl IntoView {
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "—".into());
    view! {
        <section class="panel" aria-labelledby="properties-title">
            <h2 id="properties-title">"Digital properties"</h2>
            {if footprint.properties.is_empty() {
                view! { <p class="muted">"No app or web activity recorded."</p> }.into_any()
            } else {
                view! {
                    <DataTable name=TableName::Section columns=vec![Column::text("Property"), Column::text("First seen"), Column::text("Last seen")]>
                        {footprint.properties.into_iter().map(|p| view! {
                            <tr><td>{p.name}</td><td>{format_date_time(p.first_seen)}</td><td>{format_date_time(p.last_seen)}</td></tr>
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
        <section class="panel" aria-labelledby="devices-title">
            <h2 id="devices-title">"Devices"</h2>
            {if footprint.devices.is_empty() {
                view! { <p class="muted">"No devices reported."</p> }.into_any()
            } else {
                view! {
                    <DataTable name=TableName::Section columns=vec![Column::text("Platform"), Column::text("Model"), Column::text("OS version"), Column::text("App version"), Column::text("Screen"), Column::text("Push"), Column::text("Last seen")]>
                        {footprint.devices.into_iter().map(|d| view! {
                            <tr>
                                <td>{d.platform}</td><td>{or_dash(d.model)}</td><td>{or_dash(d.os_version)}</td>
                                <td>{or_dash(d.app_version)}</td><td>{or_dash(d.screen)}</td>
                                <td>{match d.push_enabled { Some(true) => "Enabled", Some(false) => "Disabled", None => "—" }}</td>
                                <td>{format_date_time(d.last_seen)}</td>
                            </tr>
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
    }
}
