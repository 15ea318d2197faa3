//! The search page: one box in the centre (an exact match opens the profile) and, when the
//! organisation allows it, advanced search with sortable, paged results.

use super::advanced::{AdvancedQuery, ResultRow, SearchResults, SortOrder, COUNT_CAP, PAGE_SIZES};
use super::api::{advanced_search, find_customer, get_search_mode};
use super::model::SearchOutcome;
use crate::error::AppError;
use crate::layout::ErrorPanel;
use crate::settings::SearchMode;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_query_map};

/// `/` and `/search?q=…` (exact) or `/search?first=…&last=…&sort=…&size=…&page=…` (advanced).
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").filter(|q| !q.trim().is_empty()));
    let advanced = Memo::new(move |_| {
        let map = query.read();
        let get = |key: &str| map.get(key).unwrap_or_default();
        AdvancedQuery {
            first: get("first"),
            last: get("last"),
            email: get("email"),
            phone: get("phone"),
            id: get("id"),
            dob: get("dob"),
            attribute: get("attribute"),
            value: get("value"),
            sort: SortOrder::parse(&get("sort")),
            size: get("size").parse().unwrap_or(PAGE_SIZES[0]),
            page: get("page").parse().unwrap_or(1),
        }
    });
    let exact = Resource::new(
        move || q.get(),
        |q| async move {
            match q {
                Some(q) => Some(find_customer(q).await),
                None => None,
            }
        },
    );
    let mode = Resource::new(|| (), |_| get_search_mode());
    let results = Resource::new(
        move || advanced.get(),
        |query| async move {
            if query.has_criteria() {
                Some(advanced_search(query).await)
            } else {
                None
            }
        },
    );
    view! {
        <leptos_meta::Title text="Search · Customer Profiles"/>
        <section class="search-hero" aria-labelledby="search-title">
            <h1 id="search-title">"Find a customer"</h1>
            <form class="search-form" role="search" aria-label="Customer search" action="/search" method="get">
                <label for="search-q">"Phone, loyalty card, email or customer id"</label>
                <div class="search-row">
                    <input
                        id="search-q"
                        name="q"
                        type="search"
                        autocomplete="off"
                        aria-describedby="search-message"
                        prop:value=move || q.get().unwrap_or_default()
                    />
                    <button type="submit" class="button">
                        "Search"
                    </button>
                </div>
            </form>
            <div id="search-message" aria-live="polite">
                <Suspense fallback=|| view! { <p role="status">"Searching…"</p> }>
                    {move || exact.get().flatten().map(|found| match found {
                        Ok(SearchOutcome::Found(id)) => {
                            view! { <Redirect path=format!("/customers/{id}")/> }.into_any()
                        }
                        Ok(SearchOutcome::NoMatch(message)) => {
                            view! { <p class="alert alert-info" role="alert">{message}</p> }.into_any()
                        }
                        Ok(SearchOutcome::Shared { customers, note }) => {
                            view! { <SharedIdentifier customers note/> }.into_any()
                        }
                        Err(error) => view! { <SearchMessage error/> }.into_any(),
                    })}
                </Suspense>
            </div>
        </section>
        {move || (q.get().is_none() && !advanced.with(AdvancedQuery::has_criteria))
            .then(|| view! { <crate::recent::RecentlyViewed/> })}
        <Suspense fallback=|| ()>
            {move || mode.get().map(|mode| match mode {
                Ok(SearchMode::Advanced) => view! {
                    <AdvancedSearch query=advanced.get() results/>
                }.into_any(),
                _ => ().into_any(),
            })}
        </Suspense>
    }
}

/// The customers holding the identifier searched for, each a link to their profile, and
/// why there are several.
#[component]
fn SharedIdentifier(customers: Vec<(String, String)>, note: String) -> impl IntoView {
    view! {
        <div class="alert alert-info" role="alert">
            <p>{note}</p>
            <ul class="shared-holders">
                {customers.into_iter().map(|(id, name)| view! {
                    <li><a href=format!("/customers/{id}")>{name}</a>" · "<span class="muted">{id}</span></li>
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn SearchMessage(error: AppError) -> impl IntoView {
    let class = match error {
        AppError::Validation { .. } => "alert alert-info",
        _ => "alert alert-error",
    };
    view! {
        <p class=class role="alert">
            {error.to_string()}
        </p>
    }
}

type ResultsResource = Resource<Option<Result<SearchResults, AppError>>>;

/// The advanced form (keeping the values of the current search, so it can be refined) and
/// its results.
#[component]
fn AdvancedSearch(query: AdvancedQuery, results: ResultsResource) -> impl IntoView {
    // Masked data is neither filtered nor sorted on (the server refuses it too).
    let show_pii = crate::auth::use_can(crate::auth::Permission::CustomersViewPii);
    let error = move |field: &'static str| {
        Signal::derive(move || {
            results
                .get()
                .flatten()
                .and_then(Result::err)
                .and_then(|e| e.for_field(field))
        })
    };
    let field = move |id: &'static str,
                      name: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      value: String| {
        view! {
            <crate::layout::Field id label error=error(name)>
                <input id=id name=name type=kind value=value autocomplete="off"
                    aria-describedby=format!("{id}-error")/>
            </crate::layout::Field>
        }
    };
    view! {
        <section class="card advanced-search" aria-labelledby="advanced-title">
            <h2 id="advanced-title">"Advanced search"</h2>
            <form action="/search" method="get" aria-label="Advanced search">
                {(!show_pii).then(|| view! {
                    <p class="muted">"Email, phone and date of birth are hidden from you, so they are not offered as filters or sort orders."</p>
                })}
                <div class="form-grid">
                    {field("adv-first", "first", "First name (or its first letters)", "text", query.first.clone())}
                    {field("adv-last", "last", "Last name (or its first letters)", "text", query.last.clone())}
                    {show_pii.then(|| field("adv-email", "email", "Email (or its beginning)", "text", query.email.clone()))}
                    {show_pii.then(|| field("adv-phone", "phone", "Phone", "tel", query.phone.clone()))}
                    {field("adv-id", "id", "Customer id", "text", query.id.clone())}
                    {show_pii.then(|| field("adv-dob", "dob", "Date of birth", "date", query.dob.clone()))}
                    <crate::attributes::AttributeFilter attribute=query.attribute.clone() value=query.value.clone()
                        error=Callback::new(move |_field: &'static str| results.get().flatten().and_then(Result::err))/>
                </div>
                <input type="hidden" name="sort" value=query.sort.as_str()/>
                <input type="hidden" name="size" value=query.size.to_string()/>
                <button type="submit" class="button">"Search"</button>
            </form>
        </section>
        <Transition fallback=|| view! { <p role="status">"Searching…"</p> }>
            {move || results.get().flatten().map(|result| match result {
                Ok(found) => view! { <ResultsTable query=query.clone() found/> }.into_any(),
                Err(AppError::Validation { .. }) => ().into_any(),
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ResultsTable(query: AdvancedQuery, found: SearchResults) -> impl IntoView {
    if found.total == 1 && query.page <= 1 {
        if let Some(row) = found.rows.first() {
            return view! { <Redirect path=format!("/customers/{}", row.id)/> }.into_any();
        }
    }
    if found.rows.is_empty() {
        return view! {
            <p class="alert alert-info" role="status">"No customers match all of these fields."</p>
        }
        .into_any();
    }
    let size = if PAGE_SIZES.contains(&query.size) {
        query.size
    } else {
        PAGE_SIZES[0]
    };
    let total_text = if found.total > COUNT_CAP {
        format!("More than {COUNT_CAP} customers")
    } else {
        crate::words::count(found.total, "customer", "customers")
    };
    let pages = (found.total.min(COUNT_CAP) as u64)
        .div_ceil(u64::from(size))
        .max(1);
    let navigate = use_navigate();
    let size_query = query.clone();
    view! {
        <section class="results" aria-labelledby="results-title">
            <div class="results-bar">
                <h2 id="results-title" aria-live="polite">{total_text}</h2>
                <label for="page-size">"Per page"</label>
                <select id="page-size" on:change=move |ev| {
                    let size = event_target_value(&ev).parse().unwrap_or(PAGE_SIZES[0]);
                    navigate(&AdvancedQuery { size, page: 1, ..size_query.clone() }.to_url(), Default::default());
                }>
                    {PAGE_SIZES.into_iter().map(|s| view! {
                        <option value=s.to_string() selected=s == size>{s}</option>
                    }).collect_view()}
                </select>
            </div>
            <table class="data-table results-table">
                <caption class="visually-hidden">"Customers found"</caption>
                <ResultsHead query=query.clone()/>
                <tbody>{found.rows.into_iter().map(result_row).collect_view()}</tbody>
            </table>
            <ResultPages query pages/>
        </section>
    }
    .into_any()
}

/// The column headers; each sorts by its column (email and phone only for those who may see
/// them: a masked column is never a sort key).
#[component]
fn ResultsHead(query: AdvancedQuery) -> impl IntoView {
    let header = |order: SortOrder, label: &'static str| {
        let current = query.sort == order;
        let href = AdvancedQuery {
            sort: order,
            page: 1,
            ..query.clone()
        }
        .to_url();
        view! {
            <th scope="col" aria-sort=if current { "ascending" } else { "none" }>
                <a href=href>{label}<span class="visually-hidden">{if current { " (sorted)" } else { ", sort by this" }}</span></a>
            </th>
        }
    };
    let show_pii = crate::auth::use_can(crate::auth::Permission::CustomersViewPii);
    let sortable_if_visible = move |order: SortOrder, label: &'static str| {
        if show_pii {
            header(order, label).into_any()
        } else {
            view! { <th scope="col">{label}</th> }.into_any()
        }
    };
    view! {
        <thead>
            <tr>
                {header(SortOrder::LastName, "Last name")}
                {header(SortOrder::FirstName, "First name")}
                {sortable_if_visible(SortOrder::Email, "Email")}
                {sortable_if_visible(SortOrder::Phone, "Phone")}
                <th scope="col">"Status"</th>
            </tr>
        </thead>
    }
}

fn result_row(row: ResultRow) -> impl IntoView {
    let href = format!("/customers/{}", row.id);
    view! {
        <tr>
            <td><a href=href.clone()>{row.last_name.unwrap_or_else(|| "—".into())}</a></td>
            <td><a href=href tabindex="-1">{row.first_name.unwrap_or_else(|| "—".into())}</a></td>
            <td>{row.email}</td>
            <td>{row.phone}</td>
            <td>
                {row.status}
                {row.is_test.then(|| view! { " " <span class="badge badge-test">"Test persona"</span> })}
            </td>
        </tr>
    }
}

/// Previous and next page links around "Page n of m".
#[component]
fn ResultPages(query: AdvancedQuery, pages: u64) -> impl IntoView {
    let page = query.page.max(1);
    let at = |page: u32| {
        AdvancedQuery {
            page,
            ..query.clone()
        }
        .to_url()
    };
    view! {
        <nav class="pagination" aria-label="Result pages">
            {(page > 1).then(|| view! { <a class="button secondary" href=at(page - 1)>"Previous page"</a> })}
            <span>{format!("Page {page} of {pages}")}</span>
            {(u64::from(page) < pages).then(|| view! { <a class="button secondary" href=at(page + 1)>"Next page"</a> })}
        </nav>
    }
}
