//! The Activity tab: sub-tab bar, the event stream and the per-section event lists.

use super::api::list_events;
use super::model::{event_label, EventView, Section, SECTIONS};
use crate::customers::use_customer_id;
use crate::layout::ErrorPanel;
use crate::time::format_date_time;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map};

/// Activity sub-tab bar above the selected sub-tab.
#[component]
pub fn ActivityTab() -> impl IntoView {
    let id = use_customer_id();
    let location = use_location();
    let is_current = move |href: &str| location.pathname.get() == href;
    let link = move |slug: &'static str, label: &'static str| {
        let href = move || match slug {
            "" => format!("/customers/{}", id.get()),
            slug => format!("/customers/{}/activity/{slug}", id.get()),
        };
        view! {
            <li>
                <a href=href aria-current=move || is_current(&href()).then_some("page")>
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <nav class="sub-tab-bar" aria-label="Activity">
            <ul>
                {link("", "Event stream")}
                {SECTIONS.into_iter().map(|s| link(s.slug, s.label)).collect_view()}
            </ul>
        </nav>
        <Outlet/>
    }
}

/// The event stream: every event of the customer, newest first.
#[component]
pub fn EventStream() -> impl IntoView {
    view! {
        <div class="stream-layout">
            <EventList title="Event stream" section=None/>
            <aside class="stream-aside" aria-label="Notes">
                <crate::notes::NotesPanel limit=3 compact=true/>
            </aside>
        </div>
    }
}

/// A sub-tab of Activity, chosen by the `:section` URL segment.
#[component]
pub fn ActivitySection() -> impl IntoView {
    let params = use_params_map();
    let section = move || params.read().get("section").and_then(|s| Section::find(&s));
    move || match section() {
        Some(section) if !section.event_types.is_empty() => {
            view! { <EventList title=section.label section=Some(section.slug)/> }.into_any()
        }
        Some(section) if section.slug == "support" => {
            view! { <crate::support::SupportTab/> }.into_any()
        }
        Some(section) => view! { <crate::layout::NotYetAvailable title=section.label/> }.into_any(),
        None => view! { <crate::layout::NotFound/> }.into_any(),
    }
}

/// A paginated table of events, newest first, with expandable details.
#[component]
fn EventList(title: &'static str, section: Option<&'static str>) -> impl IntoView {
    let id = use_customer_id();
    let first_page = Resource::new(
        move || id.get(),
        move |id| list_events(id, section.map(str::to_string), None),
    );
    let more = RwSignal::new(Vec::<EventView>::new());
    let next = RwSignal::new(None::<Option<(i64, String)>>);
    let load_more = Action::new(move |cursor: &(i64, String)| {
        let (cursor, id) = (cursor.clone(), id.get_untracked());
        async move { list_events(id, section.map(str::to_string), Some(cursor)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_more.value().get() {
            more.update(|events| events.extend(page.events));
            next.set(Some(page.next));
        }
    });
    view! {
        <section class="panel" aria-labelledby="event-list-title">
            <h2 id="event-list-title">{title}</h2>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading events…"</p> }>
                {move || {
                    first_page
                        .get()
                        .map(|result| match result {
                            Ok(page) => {
                                let cursor = move || next.get().unwrap_or_else(|| page.next.clone());
                                let first = page.events.clone();
                                view! {
                                    <EventTable first more/>
                                    {move || cursor().map(|c| view! {
                                        <button
                                            class="button secondary load-more"
                                            on:click=move |_| { load_more.dispatch(c.clone()); }
                                            disabled=move || load_more.pending().get()
                                        >
                                            "Load older events"
                                        </button>
                                    })}
                                    {move || load_more.value().get().and_then(Result::err).map(|error| view! { <ErrorPanel error/> })}
                                }
                                    .into_any()
                            }
                            Err(error) => view! { <ErrorPanel error/> }.into_any(),
                        })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn EventTable(first: Vec<EventView>, more: RwSignal<Vec<EventView>>) -> impl IntoView {
    if first.is_empty() {
        return view! { <p class="muted">"No events yet."</p> }.into_any();
    }
    view! {
        <table class="events">
            <thead>
                <tr>
                    <th scope="col">"Date and time"</th>
                    <th scope="col">"Activity"</th>
                    <th scope="col">"Summary"</th>
                </tr>
            </thead>
            <tbody>
                {first.into_iter().map(|event| view! { <EventRow event/> }).collect_view()}
                <For each=move || more.get() key=|event| event.id.clone() let:event>
                    <EventRow event/>
                </For>
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn EventRow(event: EventView) -> impl IntoView {
    view! {
        <tr>
            <td class="nowrap">{format_date_time(event.occurred_at)}</td>
            <td>{event_label(&event.event_type)}</td>
            <td>
                <details>
                    <summary>{event.summary}</summary>
                    <dl class="fact-list compact">
                        {event
                            .details
                            .into_iter()
                            .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                            .collect_view()}
                    </dl>
                </details>
            </td>
        </tr>
    }
}
