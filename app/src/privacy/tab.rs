//! The Data Privacy tab of a profile, in two sub-tabs: Overview (status at a glance, export,
//! restrict / reinstate, forget) at `/privacy` and History (the customer's requests) at
//! `/privacy/history`.

use super::api::{get_privacy_overview, ForgetCustomer, ReinstateProcessing, RestrictProcessing};
use super::model::{PrivacyOverview, PrivacyRequest, FORGET_CONFIRMATION};
use crate::auth::{use_can, Permission};
use crate::customers::{use_customer_id, ProfilePageContext};
use crate::layout::{field_error, form_error, Column, DataTable, ErrorPanel, Field, TableName};
use crate::time::{format_count, format_date_time};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The tab.
#[component]
pub fn PrivacyTab() -> impl IntoView {
    let id = use_customer_id();
    let page = expect_context::<ProfilePageContext>();
    let restrict = ServerAction::<RestrictProcessing>::new();
    let reinstate = ServerAction::<ReinstateProcessing>::new();
    let forget = ServerAction::<ForgetCustomer>::new();
    let overview = Resource::new(
        move || {
            (
                id.get(),
                restrict.version().get(),
                reinstate.version().get(),
                page.live_changes.get(),
            )
        },
        |(id, _, _, _)| get_privacy_overview(id),
    );
    Effect::new(move |_| {
        if restrict.value().get().is_some_and(|r| r.is_ok())
            || reinstate.value().get().is_some_and(|r| r.is_ok())
        {
            page.header_version.update(|v| *v += 1);
        }
    });
    let may_act = use_can(Permission::PrivacyRequest);
    let location = leptos_router::hooks::use_location();
    let on_history = Memo::new(move |_| location.pathname.get().ends_with("/privacy/history"));
    // The forms depend on the restriction alone, so a refetch (a live event, a download
    // logged) that leaves it as it was does not rebuild them under the officer's typing.
    let restricted = Memo::new(move |_| {
        overview
            .get()
            .and_then(Result::ok)
            .map(|state| state.restricted_at.is_some())
    });
    view! {
        <section class="panel privacy-tab" aria-labelledby="privacy-title">
            <h2 id="privacy-title">"Data privacy"</h2>
            <SubTabs on_history/>
            {move || forget.value().get().and_then(Result::ok).map(|summary| view! {
                <div class="alert alert-success" role="status">
                    <h3>"Customer forgotten"</h3>
                    <p>"Removed — " {summary}</p>
                    <p><a href="/">"Back to search"</a></p>
                </div>
            })}
            <Transition fallback=|| view! { <p role="status">"Loading…"</p> }>
                {move || overview.get().filter(|_| !on_history.get()).map(|result| match result {
                    Ok(state) => view! { <Facts state/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                })}
                {move || restricted.get().filter(|_| may_act && !on_history.get()).map(|restricted| view! {
                    <PrivacyActions restricted restrict reinstate forget/>
                })}
                {move || overview.get().filter(|_| on_history.get()).map(|result| match result {
                    Ok(state) => view! { <History history=state.history/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// Overview and History, the current one marked.
#[component]
fn SubTabs(on_history: Memo<bool>) -> impl IntoView {
    let id = use_customer_id();
    let sub_tab = move |history: bool, label: &'static str| {
        let href = move || {
            let base = format!("/customers/{}/privacy", id.get());
            if history {
                format!("{base}/history")
            } else {
                base
            }
        };
        view! {
            <li>
                <a href=href aria-current=move || (on_history.get() == history).then_some("page")>
                    {label}
                </a>
            </li>
        }
    };
    view! {
        <nav class="sub-tab-bar" aria-label="Data privacy">
            <ul>{sub_tab(false, "Overview")} {sub_tab(true, "History")}</ul>
        </nav>
    }
}

/// The customer's privacy state at a glance.
#[component]
fn Facts(state: PrivacyOverview) -> impl IntoView {
    view! {
        <dl class="profile-facts privacy-facts">
            <div class="fact">
                <dt>"Processing"</dt>
                <dd data-testid="processing-state">{match state.restricted_at {
                    Some(at) => format!("Restricted since {}", format_date_time(at)),
                    None => "Not restricted".to_string(),
                }}</dd>
            </div>
            <div class="fact">
                <dt>"Last export"</dt>
                <dd>{state.last_export_at.map(format_date_time).unwrap_or_else(|| "Never".into())}</dd>
            </div>
            <div class="fact">
                <dt>"Events refused while restricted"</dt>
                <dd data-testid="refused-count">{format_count(state.refused_while_restricted)}</dd>
            </div>
            <div class="fact">
                <dt>"Pending requests"</dt>
                <dd>"None: requests are carried out when made"</dd>
            </div>
        </dl>
    }
}

#[component]
fn PrivacyActions(
    restricted: bool,
    restrict: ServerAction<RestrictProcessing>,
    reinstate: ServerAction<ReinstateProcessing>,
    forget: ServerAction<ForgetCustomer>,
) -> impl IntoView {
    let id = use_customer_id();
    let export_url = move || format!("/api/v1/customers/{}/privacy/export", id.get());
    let restriction_error = move || {
        restrict
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| reinstate.value().get().and_then(Result::err))
    };
    let forget_error = move || forget.value().get().and_then(Result::err);
    let restriction_general = form_error(restriction_error);
    let forget_general = form_error(forget_error);
    let restriction_form = move || {
        let (label, button) = if restricted {
            ("Reason for reinstating", "Reinstate processing")
        } else {
            ("Reason for restricting", "Restrict processing")
        };
        let fields = view! {
            <input type="hidden" name="customer_id" value=id.get_untracked()/>
            <Field id="privacy-reason" label=label error=field_error(restriction_error, "reason")>
                <input id="privacy-reason" name="reason" required maxlength="500" autocomplete="off"
                    aria-describedby="privacy-reason-error"/>
            </Field>
            <label class="check">
                <input type="checkbox" required name="confirmed"/>
                {if restricted { " I confirm: the customer takes part again." } else { " I confirm: no points, tiers, offers or messages until reinstated." }}
            </label>
            <button type="submit" class="button">{button}</button>
        };
        if restricted {
            view! { <ActionForm action=reinstate attr:class="stacked-form">{fields}</ActionForm> }
                .into_any()
        } else {
            view! { <ActionForm action=restrict attr:class="stacked-form">{fields}</ActionForm> }
                .into_any()
        }
    };
    view! {
        <div class="privacy-actions">
            <section class="card" aria-labelledby="export-title">
                <h3 id="export-title">"Export data"</h3>
                <p class="muted">"One CSV of everything held: profile, identifiers, attributes, preferences, metrics, every event (purchases, points, tiers, offers, rewards, promo codes, devices, app sessions), tags, notes, support tickets and privacy requests."</p>
                <form method="post" action=export_url>
                    <button type="submit" class="button secondary">"Download export (CSV)"</button>
                </form>
            </section>
            <section class="card" aria-labelledby="restrict-title">
                <h3 id="restrict-title">{if restricted { "Reinstate processing" } else { "Restrict processing" }}</h3>
                {restriction_form}
                <p class="alert alert-error" role="alert" hidden=move || restriction_general.get().is_none()>{restriction_general}</p>
            </section>
            <section class="card danger-zone" aria-labelledby="forget-title">
                <h3 id="forget-title">"Forget record"</h3>
                <p>"Removes the customer and everything about them from every table, at once. It cannot be undone; the log keeps only that a request was carried out."</p>
                <ActionForm action=forget attr:class="stacked-form">
                    <input type="hidden" name="customer_id" value=move || id.get()/>
                    <Field id="forget-confirmation" label="Type FORGET to confirm" error=field_error(forget_error, "confirmation")>
                        <input id="forget-confirmation" name="confirmation" required autocomplete="off"
                            pattern=FORGET_CONFIRMATION aria-describedby="forget-confirmation-error"/>
                    </Field>
                    <button type="submit" class="button danger">"Forget this customer"</button>
                </ActionForm>
                <p class="alert alert-error" role="alert" hidden=move || forget_general.get().is_none()>{forget_general}</p>
            </section>
        </div>
    }
}

/// Whom a request was for: their profile, or a note that the customer was forgotten (the
/// request log keeps no personal data of a forgotten customer).
fn customer_cell(id: Option<String>, name: Option<String>) -> AnyView {
    match id {
        Some(id) => {
            let text = name.unwrap_or_else(|| "Unnamed customer".into());
            view! { <a href=format!("/customers/{id}")>{text}</a> }.into_any()
        }
        None => view! { <span class="muted">"Forgotten customer"</span> }.into_any(),
    }
}

/// A table of data-privacy requests; the global log adds a column naming each request's
/// customer (`with_customer`).
#[component]
pub fn History(
    history: Vec<PrivacyRequest>,
    /// Show whom each request was for: a link to the profile, or that they were forgotten.
    #[prop(optional)]
    with_customer: bool,
) -> impl IntoView {
    if history.is_empty() {
        return view! { <p class="muted">"No data-privacy requests yet."</p> }.into_any();
    }
    let mut columns = vec![Column::text("Date and time")];
    if with_customer {
        columns.push(Column::text("Customer"));
    }
    columns.extend([
        Column::text("Type"),
        Column::text("Executed by"),
        Column::text("Status"),
        Column::text("Details"),
    ]);
    view! {
        <DataTable class="privacy-history" name=TableName::VisibleCaption("Request history") columns>
            {history.into_iter().map(|r| view! {
                <tr>
                    <td class="nowrap">{format_date_time(r.requested_at)}</td>
                    {with_customer.then(|| view! { <td>{customer_cell(r.customer_id.clone(), r.customer_name.clone())}</td> })}
                    <td>{r.request_type}</td>
                    <td>{r.executed_by}</td>
                    <td>{r.status}</td>
                    <td>{r.reason.or(r.detail).unwrap_or_default()}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
