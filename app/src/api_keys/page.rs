//! `/admin/api-keys`: create, list and revoke the keys of the ingest API.

use super::api::{list_api_keys, CreateApiKey, RevokeApiKey};
use super::model::ApiKeySummary;
use crate::auth::{Permission, RequirePermission};
use crate::layout::{field_error, form_error, Column, DataTable, Field, Loaded, TableName};
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
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    let create_error = move || create.value().get().and_then(Result::err);
    let revoke_error = form_error(move || revoke.value().get().and_then(Result::err));
    let new_key = move || create.value().get().and_then(Result::ok);
    view! {
        <div class="page">
            <h1>"API keys"</h1>
            <p class="muted">
                "Systems that send events (tills, apps, web) use a key in the "
                <code>"X-Api-Key"</code>" header of "<code>"POST /api/v1/events"</code>
                ". The API is described at "<a href="/api/v1/openapi.json">"/api/v1/openapi.json"</a>"."
            </p>
            <section class="card" aria-labelledby="new-key-title">
                <h2 id="new-key-title">"New key"</h2>
                <ActionForm action=create attr:class="inline-form">
                    <Field id="api-key-name" label="What uses it" error=field_error(create_error, "name")>
                        <input id="api-key-name" name="name" required maxlength="80" autocomplete="off"
                            aria-describedby="api-key-name-error"/>
                    </Field>
                    <button type="submit" class="button">"Create key"</button>
                </ActionForm>
                {move || new_key().map(|created| view! {
                    <div class="alert alert-success" role="status">
                        <p>"Key “" {created.summary.name} "” created. Copy it now: it is not shown again."</p>
                        <p><code class="secret" data-testid="new-api-key">{created.key}</code></p>
                    </div>
                })}
            </section>
            <p class="alert alert-error" role="alert" hidden=move || revoke_error.get().is_none()>{revoke_error}</p>
            <Loaded resource=keys what="keys" let:value>
                {match value {
                    list if list.is_empty() => view! { <p class="muted">"No keys yet."</p> }.into_any(),
                    list => view! { <KeyTable list revoke/> }.into_any(),
                }}
            </Loaded>
        </div>
    }
}

#[component]
fn KeyTable(list: Vec<ApiKeySummary>, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    view! {
        <DataTable name=TableName::Caption("API keys") columns=vec![Column::text("Name"), Column::text("Key"), Column::text("Created"), Column::text("Last used"), Column::text("State")]>
            {list.into_iter().map(|key| {
                let id = key.id.clone();
                let name = key.name.clone();
                view! {
                    <tr>
                        <td>{key.name}</td>
                        <td><code>{key.prefix}"…"</code></td>
                        <td>{format_date_time(key.created_at)}</td>
                        <td>{key.last_used_at.map(format_date_time).unwrap_or_else(|| "Never".into())}</td>
                        <td>
                            {match key.revoked_at {
                                Some(at) => view! { <span>"Revoked " {format_date_time(at)}</span> }.into_any(),
                                None => view! {
                                    <button type="button" class="button danger"
                                        on:click=move |_| { revoke.dispatch(RevokeApiKey { id: id.clone() }); }>
                                        "Revoke"<span class="visually-hidden">" key " {name.clone()}</span>
                                    </button>
                                }.into_any(),
                            }}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
