//! `/admin/integrations`: connect a Shopify shop (the webhook address to give it, its signing
//! secret, what an order from an unknown customer does, points per unit spent) and see the
//! last deliveries with what each did.

use super::api::{get_shopify_settings, list_shopify_deliveries, SaveShopifySettings};
use super::model::{Delivery, ShopifySettings, UnknownCustomers, WEBHOOK_PATH};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{field_error, form_error, Column, DataTable, Field, Loaded, TableName};
use crate::time::format_date_time;
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The Integrations screen.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    view! {
        <leptos_meta::Title text="Integrations · Customer Profiles"/>
        <RequirePermission permission=Permission::SettingsManage>
            <Integrations/>
        </RequirePermission>
    }
}

#[component]
fn Integrations() -> impl IntoView {
    let save = ServerAction::<SaveShopifySettings>::new();
    let refreshed = RwSignal::new(0_usize);
    let settings = Resource::new(move || save.version().get(), |_| get_shopify_settings());
    let deliveries = Resource::new(
        move || (save.version().get(), refreshed.get()),
        |_| list_shopify_deliveries(),
    );
    // The address is this console's as the browser sees it, filled in after hydration.
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| origin.set(crate::api_keys::page::console_origin()));
    view! {
        <div class="page">
            <h1>"Integrations"</h1>
            <section class="card" aria-labelledby="shopify-title">
                <h2 id="shopify-title">"Shopify"</h2>
                <p>"Paid orders become purchases (with points, if you give points per unit spent) and refunds take the refunded share back. In the shop's admin, open "
                    <strong>"Settings → Notifications → Webhooks"</strong>
                    " and create a JSON webhook for each of "<strong>"Order payment"</strong>", "<strong>"Order creation"</strong>" and "
                    <strong>"Refund create"</strong>" with this address:"</p>
                <p><code data-testid="shopify-webhook-url">{move || origin.get()}{WEBHOOK_PATH}</code></p>
                <Loaded resource=settings what="Shopify settings" let:current>
                    <ShopifyForm current save/>
                </Loaded>
            </section>
            <section class="card" aria-labelledby="deliveries-title">
                <h2 id="deliveries-title">"Last deliveries"</h2>
                <p class="muted">"The 50 latest. A delivery Shopify sends again is counted, not applied again."</p>
                <button type="button" class="button secondary" on:click=move |_| refreshed.update(|n| *n += 1)>
                    "Refresh"<span class="visually-hidden">" the deliveries"</span>
                </button>
                <Loaded resource=deliveries what="deliveries" let:list>
                    {match list {
                        list if list.is_empty() => view! { <p class="muted">"No deliveries yet."</p> }.into_any(),
                        list => view! { <DeliveryTable list/> }.into_any(),
                    }}
                </Loaded>
            </section>
        </div>
    }
}

#[component]
fn ShopifyForm(current: ShopifySettings, save: ServerAction<SaveShopifySettings>) -> impl IntoView {
    let error = move || save.value().get().and_then(Result::err);
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    let secret_label = match &current.secret_hint {
        Some(hint) => format!("Signing secret (set, ends in {hint}; paste a new one to replace it)"),
        None => "Signing secret (shown under the shop's webhooks: “Your webhooks will be signed with …”)".into(),
    };
    let refuse = current.unknown_customers == UnknownCustomers::Refuse;
    let warning = current.last_bad_signature_at.map(|at| {
        view! {
            <p class="alert alert-error" role="alert">
                "A delivery with a wrong signature was refused at " {format_date_time(at)}
                ". If it came from your shop, the secret here is not the shop's: paste it again."
            </p>
        }
    });
    view! {
        {warning}
        <ActionForm action=save attr:class="stacked-form">
            <Field id="shopify-secret" label=secret_label error=field_error(error, "secret")>
                <input id="shopify-secret" name="form[secret]" type="password" autocomplete="off"
                    spellcheck="false" aria-describedby="shopify-secret-error"/>
            </Field>
            <fieldset>
                <legend>"An order from someone who is not a customer yet"</legend>
                <ul class="checkbox-list">
                    <li><input type="radio" id="shopify-unknown-create" name="form[unknown_customers]" value="create" checked=!refuse/>
                        <label for="shopify-unknown-create">"Add them as a customer from the order (name, email, phone)"</label></li>
                    <li><input type="radio" id="shopify-unknown-refuse" name="form[unknown_customers]" value="refuse" checked=refuse/>
                        <label for="shopify-unknown-refuse">"Refuse the order (it is listed below, nothing is stored)"</label></li>
                </ul>
            </fieldset>
            <Field id="shopify-points" label="Points per whole unit of currency spent (0: orders earn no points here)" error=field_error(error, "points_per_unit")>
                <input id="shopify-points" name="form[points_per_unit]" inputmode="numeric"
                    value=current.points_per_unit.to_string() aria-describedby="shopify-points-error"/>
            </Field>
            <p class="field-error" aria-live="polite">{form_error(error)}</p>
            <p class="muted" role="status">{move || saved().then_some("Saved.")}</p>
            <button type="submit" class="button">"Save Shopify settings"</button>
        </ActionForm>
    }
}

#[component]
fn DeliveryTable(list: Vec<Delivery>) -> impl IntoView {
    view! {
        <DataTable class="deliveries" name=TableName::Caption("Shopify deliveries") columns=vec![Column::text("Received"), Column::text("Outcome"), Column::text("What happened"), Column::text("Customer"), Column::number("Sent again")]>
        {list.into_iter().map(|d| {
            let customer = d.customer_id.map(|id| view! {
                <a href=format!("/customers/{id}")>"Open profile"</a>
            });
            view! {
                <tr data-webhook-id=d.webhook_id>
                    <td>{format_date_time(d.received_at)}<br/>{d.topic}<br/><span class="muted">{d.shop_domain}</span></td>
                    <td><span class=format!("outcome outcome-{}", d.outcome.replace(' ', "-"))>{d.outcome.clone()}</span></td>
                    <td>{d.detail}</td>
                    <td>{customer}</td>
                    <td class="number">{d.replays}</td>
                </tr>
            }
        }).collect_view()}
        </DataTable>
    }
}
