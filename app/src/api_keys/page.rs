//! `/admin/api-keys`: create, list and revoke the keys of the ingest API: secret keys for
//! servers, publishable keys (limited event types, origins and rate) for web pages.

use super::api::{list_api_keys, CreateApiKey, RevokeApiKey, UpdateApiKeyLimits};
use super::model::{ApiKeySummary, BrowserLimits, KeyKind, NewApiKey, DEFAULT_PER_MINUTE};
use crate::auth::{Permission, RequirePermission};
use crate::error::AppError;
use crate::events::{list_event_types, EventTypeDef, DIGITAL};
use crate::layout::{
    field_error, form_error, Column, ConfirmButton, DataTable, Field, Loaded, TableName,
};
use crate::time::format_date_time;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The API keys screen.
#[component]
pub fn ApiKeysPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="API keys · Customer Profiles"/>
        <RequirePermission permission=Permission::SettingsManage>
            <ApiKeys/>
        </RequirePermission>
    }
}

#[component]
fn ApiKeys() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let edited = RwSignal::new(0_usize);
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get(), edited.get()),
        |_| list_api_keys(),
    );
    let create_error = move || create.value().get().and_then(Result::err);
    let revoke_error = form_error(move || revoke.value().get().and_then(Result::err));
    let new_key = move || create.value().get().and_then(Result::ok);
    let publishable = RwSignal::new(false);
    // Read once for the New key form and every key's Edit limits.
    let types: EventTypes = Resource::new(|| (), |_| list_event_types());
    view! {
        <div class="page">
            <h1>"API keys"</h1>
            <p class="muted">
                "Systems that send events (tills, apps, servers) use a secret key in the "
                <code>"X-Api-Key"</code>" header of "<code>"POST /api/v1/events"</code>
                "; web pages use a publishable key with the JavaScript SDK. The API is described at "
                <a href="/api/v1/openapi.json">"/api/v1/openapi.json"</a>"."
            </p>
            <section class="card" aria-labelledby="new-key-title">
                <h2 id="new-key-title">"New key"</h2>
                <ActionForm action=create attr:class="stacked-form">
                    <Field id="api-key-name" label="What uses it" error=field_error(create_error, "name")>
                        <input id="api-key-name" name="form[name]" required maxlength="80" autocomplete="off"
                            aria-describedby="api-key-name-error"/>
                    </Field>
                    <fieldset>
                        <legend>"Who holds it"</legend>
                        <ul class="checkbox-list">
                            <li><input type="radio" id="api-key-secret" name="form[kind]" value="secret" checked
                                on:change=move |_| publishable.set(false)/>
                                <label for="api-key-secret">"A server (secret key: any event, shown once)"</label></li>
                            <li><input type="radio" id="api-key-publishable" name="form[kind]" value="publishable"
                                on:change=move |_| publishable.set(true)/>
                                <label for="api-key-publishable">"Web pages and apps (publishable key for the SDKs)"</label></li>
                        </ul>
                    </fieldset>
                    <div hidden=move || !publishable.get()>
                        <BrowserLimitFields prefix="api-key" types error=create_error/>
                    </div>
                    <button type="submit" class="button">"Create key"</button>
                </ActionForm>
                {move || new_key().map(|created| view! { <CreatedKey created/> })}
            </section>
            <p class="alert alert-error" role="alert" hidden=move || revoke_error.get().is_none()>{revoke_error}</p>
            <Loaded resource=keys what="keys" let:value>
                {match value {
                    list if list.is_empty() => view! { <p class="muted">"No keys yet."</p> }.into_any(),
                    list => view! { <KeyTable list revoke edited types/> }.into_any(),
                }}
            </Loaded>
        </div>
    }
}

/// The event types a publishable key may be allowed, loaded once for the page.
type EventTypes = Resource<Result<Vec<EventTypeDef>, AppError>>;

/// The limits of a publishable key: event types, origins, rate; `current` when editing one.
#[component]
fn BrowserLimitFields(
    /// Prefix of the inputs' ids, unique on the page.
    #[prop(into)]
    prefix: String,
    /// The limits shown first (a key being edited); the defaults when `None`.
    #[prop(optional)]
    current: Option<BrowserLimits>,
    /// The event types to tick from.
    types: EventTypes,
    /// The last answer's error, for the messages at the fields.
    error: impl Fn() -> Option<AppError> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let types_error = field_error(error, "types");
    let types_error_id = format!("{prefix}-types-error");
    let described_by = types_error_id.clone();
    let origins_id = format!("{prefix}-origins");
    let rate_id = format!("{prefix}-rate");
    let origins = current
        .as_ref()
        .map(|c| c.origins.join("\n"))
        .unwrap_or_default();
    let rate = current
        .as_ref()
        .map(|c| c.per_minute.to_string())
        .unwrap_or_default();
    let ticked = current.map(|c| c.event_types);
    view! {
        <fieldset aria-describedby=described_by>
            <legend>"Event types pages and apps may send"</legend>
            <p class="muted">"A browser or an app can be made to send anything: leave points, tier and purchase events to your servers."</p>
            <Loaded resource=types what="event types" let:list>
                <ul class="checkbox-list columns">
                    {list.into_iter().filter(|t| t.ingestible).map(|t| {
                        let id = format!("{prefix}-type-{}", t.name);
                        let checked = match &ticked {
                            Some(ticked) => ticked.contains(&t.name),
                            None => !t.builtin || t.category == DIGITAL,
                        };
                        view! {
                            <li><input type="checkbox" id=id.clone() name=format!("form[types][{}]", t.name) checked=checked/>
                                <label for=id>{t.name}</label></li>
                        }
                    }).collect_view()}
                </ul>
            </Loaded>
            <p class="field-error" id=types_error_id aria-live="polite">{move || types_error.get()}</p>
        </fieldset>
        <Field id=origins_id.clone() label="Sites and apps that may use it (one a line: https://shop.example, or app:com.example.shop for a mobile app)" error=field_error(error, "origins")>
            <textarea id=origins_id.clone() name="form[origins]" rows="3" aria-describedby=format!("{origins_id}-error")>{origins}</textarea>
        </Field>
        <Field id=rate_id.clone() label="Requests a minute (all visitors together)" error=field_error(error, "per_minute")>
            <input id=rate_id.clone() name="form[per_minute]" inputmode="numeric" placeholder=DEFAULT_PER_MINUTE.to_string()
                value=rate aria-describedby=format!("{rate_id}-error")/>
        </Field>
    }
}

/// Editing a live publishable key's limits, in place under them.
#[component]
fn EditLimits(key: ApiKeySummary, edited: RwSignal<usize>, types: EventTypes) -> impl IntoView {
    let update = ServerAction::<UpdateApiKeyLimits>::new();
    let error = move || update.value().get().and_then(Result::err);
    let saved = move || update.value().get().is_some_and(|r| r.is_ok());
    Effect::new(move |_| {
        if saved() {
            edited.update(|n| *n += 1);
        }
    });
    let current = BrowserLimits {
        event_types: key.event_types,
        origins: key.origins,
        per_minute: key.per_minute.unwrap_or(DEFAULT_PER_MINUTE),
    };
    let prefix = format!("edit-{}", key.prefix);
    view! {
        <details class="edit-limits">
            <summary>"Edit limits"<span class="visually-hidden">" of key " {key.name}</span></summary>
            <ActionForm action=update attr:class="stacked-form">
                <input type="hidden" name="id" value=key.id/>
                <BrowserLimitFields prefix current types error/>
                <p class="field-error" aria-live="polite">{form_error(error)}</p>
                <button type="submit" class="button">"Save limits"</button>
            </ActionForm>
        </details>
    }
}

/// The key just created: a secret key for the last time, a publishable key with the snippet
/// a web page needs.
#[component]
fn CreatedKey(created: NewApiKey) -> impl IntoView {
    let name = created.summary.name.clone();
    match created.summary.kind {
        KeyKind::Secret => view! {
            <div class="alert alert-success" role="status">
                <p>"Key “" {name} "” created. Copy it now: it is not shown again."</p>
                <p><code class="secret" data-testid="new-api-key">{created.key}</code></p>
            </div>
        }
        .into_any(),
        KeyKind::Publishable => {
            let snippet = sdk_snippet(&created.key);
            view! {
                <div class="alert alert-success" role="status">
                    <p>"Publishable key “" {name} "” created. Put it in your pages:"</p>
                    <p><code class="public-key" data-testid="new-api-key">{created.key}</code></p>
                    <pre class="snippet" data-testid="sdk-snippet"><code>{snippet}</code></pre>
                </div>
            }
            .into_any()
        }
    }
}

/// The lines a web page adds to use the SDK with `key`.
fn sdk_snippet(key: &str) -> String {
    let origin = console_origin();
    format!(
        "<script src=\"{origin}/sdk/v1/customer-profiles.js\"></script>\n<script>\n  \
         const profiles = CustomerProfiles.init({{ key: \"{key}\", endpoint: \"{origin}\" }});\n  \
         profiles.identify({{ email: \"customer@example.com\" }});\n  \
         profiles.track(\"app_session\", {{ platform: \"web\" }});\n</script>"
    )
}

/// This console's origin as the browser sees it (empty while rendering on the server).
pub(crate) fn console_origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        window().location().origin().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

#[component]
fn KeyTable(
    list: Vec<ApiKeySummary>,
    revoke: ServerAction<RevokeApiKey>,
    edited: RwSignal<usize>,
    types: EventTypes,
) -> impl IntoView {
    view! {
        <DataTable name=TableName::Caption("API keys") columns=vec![Column::text("Name"), Column::text("Key and limits"), Column::text("Created"), Column::text("Last used"), Column::text("State")]>
            {list.into_iter().map(|key| {
                let id = key.id.clone();
                let name = key.name.clone();
                let described = describe_key(&key);
                let editable = (key.kind == KeyKind::Publishable && key.revoked_at.is_none())
                    .then(|| view! { <EditLimits key=key.clone() edited types/> });
                view! {
                    <tr>
                        <td>{key.name}</td>
                        <td>{described}{editable}</td>
                        <td>{format_date_time(key.created_at)}</td>
                        <td>{key.last_used_at.map(format_date_time).unwrap_or_else(|| "Never".into())}</td>
                        <td>
                            {match key.revoked_at {
                                Some(at) => view! { <span>"Revoked " {format_date_time(at)}</span> }.into_any(),
                                None => view! {
                                    <ConfirmButton label="Revoke" subject=format!("key {name}")
                                        question="Revoke this key? Every request that sends it is refused from now on; this cannot be undone."
                                        confirm="Revoke key"
                                        on_confirm=Callback::new(move |_| { revoke.dispatch(RevokeApiKey { id: id.clone() }); })/>
                                }.into_any(),
                            }}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

/// A key in the list: a secret key's first characters; a publishable key in full with its
/// limits.
fn describe_key(key: &ApiKeySummary) -> impl IntoView {
    match (&key.kind, &key.public_key) {
        (KeyKind::Publishable, Some(public)) => view! {
            <div class="key-limits">
                <code>{public.clone()}</code>
                <p>"Web pages on " {key.origins.join(", ")}</p>
                <p>"May send " {key.event_types.join(", ")}</p>
                <p>{key.per_minute.unwrap_or(DEFAULT_PER_MINUTE)} " requests a minute"</p>
            </div>
        }
        .into_any(),
        _ => view! { <code>{key.prefix.clone()}"…"</code> }.into_any(),
    }
}
