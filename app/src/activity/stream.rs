//! The Activity tab: sub-tab bar, the event stream and the per-section event lists.

use super::api::list_events;
use super::sections::{Section, SECTIONS};
use crate::customers::use_customer_id;
use crate::events::{
    categories, event_label, list_event_types, EventTypeDef, EventView, StreamQuery,
};
use crate::layout::{ErrorPanel, Loaded};
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
            <aside class="stream-aside" aria-label="Analytics and notes">
                <crate::analytics::AnalyticsPanel/>
                <crate::panels::ThirdPartyPanels/>
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
        Some(section) if section.slug == "points" => {
            view! { <crate::points::PointsLedger/> }.into_any()
        }
        Some(section) if section.slug == "analytics" => {
            view! { <crate::analytics::AnalyticsTab/> }.into_any()
        }
        Some(section) if section.slug == "tiers" => view! { <crate::tiers::TiersTab/> }.into_any(),
        Some(section) if section.slug == "rewards" => {
            view! { <crate::rewards::RewardsTab/> }.into_any()
        }
        Some(section) if section.slug == "campaigns" => {
            view! { <crate::campaigns::CampaignsTab/> }.into_any()
        }
        Some(section) if section.slug == "promo-codes" => {
            view! { <crate::promo::PromoCodesTab/> }.into_any()
        }
        Some(section) if section.slug == "tags" => view! { <crate::tags::TagsTab/> }.into_any(),
        Some(section) if section.slug == "offers" => {
            view! { <crate::offers::OffersTab/> }.into_any()
        }
        Some(section) if section.slug == "purchases" => {
            view! { <crate::purchases::PurchasesTab/> }.into_any()
        }
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

/// A paginated table of events, newest first, with expandable details, filters, and new
/// events arriving live.
#[component]
fn EventList(title: &'static str, section: Option<&'static str>) -> impl IntoView {
    let id = use_customer_id();
    let live = expect_context::<crate::customers::ProfilePageContext>().live_changes;
    let query = RwSignal::new(StreamQuery::default());
    let first_page = Resource::new(
        move || (id.get(), query.get(), live.get()),
        move |(id, query, _)| list_events(id, section.map(str::to_string), Some(query), None),
    );
    let more = RwSignal::new(Vec::<EventView>::new());
    let next = RwSignal::new(None::<Option<(i64, String)>>);
    let load_more = Action::new(move |cursor: &(i64, String)| {
        let (cursor, id, query) = (cursor.clone(), id.get_untracked(), query.get_untracked());
        async move { list_events(id, section.map(str::to_string), Some(query), Some(cursor)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_more.value().get() {
            more.update(|events| events.extend(page.events));
            next.set(Some(page.next));
        }
    });
    // A new first page (filters changed, a live event arrived) starts the list over.
    Effect::new(move |_| {
        if first_page.get().is_some() {
            more.set(Vec::new());
            next.set(None);
        }
    });
    view! {
        <section class="panel" aria-labelledby="event-list-title">
            <h2 id="event-list-title">{title}</h2>
            <StreamFilters query section/>
            <Loaded resource=first_page what="events" let:page>
                {
                    let cursor = move || next.get().unwrap_or_else(|| page.next.clone());
                    let first = page.events.clone();
                    let filtered = query.with_untracked(|q| *q != StreamQuery::default());
                    view! {
                        <EventTable first more filtered/>
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
            </Loaded>
        </section>
    }
    .into_any()
}

/// Category, type and text filters above a list of events.
#[component]
fn StreamFilters(query: RwSignal<StreamQuery>, section: Option<&'static str>) -> impl IntoView {
    let registry = Resource::new(|| (), |_| list_event_types());
    let section_types: Option<&'static [&'static str]> =
        section.and_then(Section::find).map(|s| s.event_types);
    let non_empty = |value: String| (!value.is_empty()).then_some(value);
    let search = NodeRef::<leptos::html::Input>::new();
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = search.get().map(|input| input.value()).unwrap_or_default();
        query.update(|q| q.q = non_empty(text.trim().to_string()));
    };
    let choices = move |registry: Vec<EventTypeDef>| {
        let category = query.with(|q| q.category.clone());
        registry
            .into_iter()
            .filter(|t| section_types.is_none_or(|types| types.contains(&t.name.as_str())))
            .filter(|t| category.as_deref().is_none_or(|c| c == t.category))
            .map(|t| t.name)
            .collect::<Vec<_>>()
    };
    view! {
        <form class="stream-filters" role="search" aria-label="Filter events" on:submit=on_search>
            <Suspense fallback=|| ()>
                {move || registry.get().map(|result| {
                    let list = result.unwrap_or_default();
                    let all = list.clone();
                    view! {
                        {section_types.is_none().then(|| view! {
                            <div class="field">
                                <label for="stream-category">"Category"</label>
                                <select id="stream-category" on:change=move |ev| {
                                    let category = non_empty(event_target_value(&ev));
                                    query.update(|q| { q.category = category; q.event_type = None; });
                                }>
                                    <option value="">"All categories"</option>
                                    {categories(&list).into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                                </select>
                            </div>
                        })}
                        <div class="field">
                            <label for="stream-type">"Activity"</label>
                            <select id="stream-type" on:change=move |ev| {
                                let event_type = non_empty(event_target_value(&ev));
                                query.update(|q| q.event_type = event_type);
                            }>
                                <option value="" selected=move || query.with(|q| q.event_type.is_none())>"All activity"</option>
                                {move || choices(all.clone()).into_iter().map(|t| {
                                    let label = event_label(&t);
                                    let value = t.clone();
                                    view! {
                                        <option value=value selected=move || query.with(|q| q.event_type.as_deref() == Some(t.as_str()))>
                                            {label}
                                        </option>
                                    }
                                }).collect_view()}
                            </select>
                        </div>
                    }
                })}
            </Suspense>
            <div class="field">
                <label for="stream-search">"Search details"</label>
                <input id="stream-search" type="search" node_ref=search maxlength="100" autocomplete="off"/>
            </div>
            <button type="submit" class="button secondary">"Search"</button>
        </form>
    }
    .into_any()
}

#[component]
fn EventTable(
    first: Vec<EventView>,
    more: RwSignal<Vec<EventView>>,
    filtered: bool,
) -> impl IntoView {
    if first.is_empty() {
        let message = if filtered {
            "No events match these filters."
        } else {
            "No events yet."
        };
        return view! { <p class="muted">{message}</p> }.into_any();
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
