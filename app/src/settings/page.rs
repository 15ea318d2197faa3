//! `/admin/settings`: search mode, phone region, currency, time zone and the customer status
//! types.

use super::api::{
    get_settings, SaveStatusType, SetCurrency, SetPhoneRegion, SetSearchMode, SetTimeZone,
};
use super::model::{OrgSettings, SearchMode, StatusType};
use crate::auth::{Permission, RequirePermission};
use crate::error::AppError;
use crate::layout::{field_error, Field, Loaded};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The settings screen; `children` are the sections other features add below (note reasons,
/// tier rules), composed in `routes.rs` so that this feature imports none of them.
#[component]
pub fn SettingsPage(children: Children) -> impl IntoView {
    view! {
        <RequirePermission permission=Permission::SettingsManage>
            <SettingsScreen sections=children/>
        </RequirePermission>
    }
}

#[component]
fn SettingsScreen(sections: Children) -> impl IntoView {
    let mode = ServerAction::<SetSearchMode>::new();
    let save = ServerAction::<SaveStatusType>::new();
    let code = ServerAction::<SetPhoneRegion>::new();
    let zone = ServerAction::<SetTimeZone>::new();
    let settings = Resource::new(
        move || {
            (
                mode.version().get(),
                save.version().get(),
                code.version().get(),
                zone.version().get(),
            )
        },
        |_| get_settings(),
    );
    view! {
        <leptos_meta::Title text="Settings · Admin · Customer Profiles"/>
        <div class="page admin-page">
            <p class="breadcrumbs"><a href="/admin">"Admin"</a></p>
            <h1>"Organisation settings"</h1>
            <Loaded resource=settings what="settings" let:settings>
                <SettingsForms settings mode save code zone/>
            </Loaded>
            {sections()}
        </div>
    }
}

#[component]
fn SettingsForms(
    settings: OrgSettings,
    mode: ServerAction<SetSearchMode>,
    save: ServerAction<SaveStatusType>,
    code: ServerAction<SetPhoneRegion>,
    zone: ServerAction<SetTimeZone>,
) -> impl IntoView {
    view! {
        <SearchSettings settings=settings.clone() mode code/>
        <CurrencySetting current=settings.currency.clone() choices=settings.currencies.clone()/>
        <TimeZoneSetting current=settings.time_zone.clone() names=settings.time_zones.clone() zone/>
        <StatusTypesSetting status_types=settings.status_types save/>
    }
}

/// Search mode and the country of national phone numbers.
#[component]
fn SearchSettings(
    settings: OrgSettings,
    mode: ServerAction<SetSearchMode>,
    code: ServerAction<SetPhoneRegion>,
) -> impl IntoView {
    let code_error = field_error(
        move || code.value().get().and_then(Result::err),
        "phone_region",
    );
    let exact = settings.search_mode == SearchMode::Exact;
    view! {
    <section class="card" aria-labelledby="search-mode-title">
        <h2 id="search-mode-title">"Customer search"</h2>
        <ActionForm action=mode>
            <fieldset>
                <legend>"Search mode"</legend>
                <p>
                    <input type="radio" id="mode-exact" name="mode" value="exact" checked=exact/>
                    <label for="mode-exact">
                        "Exact match only: a full phone number, card, email or id finds one customer. Shows the least personal data."
                    </label>
                </p>
                <p>
                    <input type="radio" id="mode-advanced" name="mode" value="advanced" checked=!exact/>
                    <label for="mode-advanced">
                        "Advanced: also partial names and dates of birth, with a list of candidates."
                    </label>
                </p>
            </fieldset>
            <button type="submit" class="button">"Save search mode"</button>
        </ActionForm>
        <ActionForm action=code>
            <Field id="phone-region" label="Country of phone numbers typed without a country code (shown in its national format)" error=code_error>
                <select id="phone-region" name="phone_region" aria-describedby="phone-region-error">
                    {settings.phone_regions.iter().map(|(id, label)| view! {
                        <option value=id.clone() selected=*id == settings.phone_region>{label.clone()}</option>
                    }).collect_view()}
                </select>
            </Field>
            {settings.phone_region_note.clone().map(|note| view! { <p class="muted">{note}</p> })}
            <button type="submit" class="button">"Save phone country"</button>
        </ActionForm>
    </section>
    }
}

#[component]
fn TimeZoneSetting(
    current: String,
    names: Vec<String>,
    zone: ServerAction<SetTimeZone>,
) -> impl IntoView {
    let zone_error = field_error(
        move || zone.value().get().and_then(Result::err),
        "time_zone",
    );
    view! {
    <section class="card" aria-labelledby="time-zone-title">
        <h2 id="time-zone-title">"Dates and times"</h2>
        <ActionForm action=zone>
            <Field id="time-zone" label="Time zone (pages opened from now on show dates and times in it)" error=zone_error>
                <input id="time-zone" name="time_zone" list="time-zone-names" autocomplete="off" required
                    value=current aria-describedby="time-zone-error"/>
                <datalist id="time-zone-names">
                    {names.iter().map(|name| view! { <option value=name.clone()></option> }).collect_view()}
                </datalist>
            </Field>
            <button type="submit" class="button">"Save time zone"</button>
        </ActionForm>
    </section>
    }
}

/// The status types, each editable, and a form to add one.
#[component]
fn StatusTypesSetting(
    status_types: Vec<StatusType>,
    save: ServerAction<SaveStatusType>,
) -> impl IntoView {
    let save_error =
        move |field| field_error(move || save.value().get().and_then(Result::err), field);
    view! {
    <section class="card" aria-labelledby="statuses-title">
        <h2 id="statuses-title">"Customer status types"</h2>
        <p>"The flags agents set on a profile. Colours need 4.5:1 contrast with white text."</p>
        <p class="alert alert-error" role="alert" hidden=move || save.value().get().and_then(Result::err).is_none()>
            {move || save.value().get().and_then(Result::err).map(|e| e.to_string())}
        </p>
        <ul class="status-type-list">
            {status_types
                .into_iter()
                .map(|status| view! { <li><StatusTypeForm status save/></li> })
                .collect_view()}
        </ul>
        <h3>"Add a status"</h3>
        <ActionForm action=save>
            <input type="hidden" name="id" value=""/>
            <div class="form-grid">
                <Field id="new-status-name" label="Name" error=save_error("name")>
                    <input id="new-status-name" name="name" required/>
                </Field>
                <Field id="new-status-colour" label="Colour" error=save_error("colour")>
                    <input id="new-status-colour" name="colour" type="color" value="#1f5fa8"/>
                </Field>
                <Field id="new-status-order" label="Order" error=save_error("sort_order")>
                    <input id="new-status-order" name="sort_order" type="number" value="10"/>
                </Field>
            </div>
            <button type="submit" class="button">"Add status"</button>
        </ActionForm>
    </section>
    }
}

#[component]
fn StatusTypeForm(status: StatusType, save: ServerAction<SaveStatusType>) -> impl IntoView {
    let key = status.id.clone();
    let id = move |suffix: &str| format!("status-{key}-{suffix}");
    view! {
        <ActionForm action=save attr:class="status-type-row">
            <input type="hidden" name="id" value=status.id.clone()/>
            <span class="status-flag" style=format!("--status-colour:{}", status.colour)>{status.name.clone()}</span>
            <label for=id("name")>"Name"</label>
            <input id=id("name") name="name" value=status.name.clone() required/>
            <label for=id("colour")>"Colour"</label>
            <input id=id("colour") name="colour" type="color" value=status.colour.clone()/>
            <label for=id("order")>"Order"</label>
            <input id=id("order") name="sort_order" type="number" value=status.sort_order.to_string() class="narrow"/>
            <input id=id("default") name="is_default" type="checkbox" value="on" checked=status.is_default/>
            <label for=id("default")>"Default"</label>
            <button type="submit" class="button secondary">
                "Save"<span class="visually-hidden">" "{status.name.clone()}</span>
            </button>
        </ActionForm>
    }
}

/// The organisation's currency: shown first and with its symbol, and the one the analytics'
/// money figures count.
#[component]
fn CurrencySetting(current: String, choices: Vec<(String, String)>) -> impl IntoView {
    let set = ServerAction::<SetCurrency>::new();
    let error = Signal::derive(move || {
        set.value()
            .get()
            .and_then(Result::err)
            .and_then(|e: AppError| e.for_field("currency"))
    });
    let saved = move || matches!(set.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="currency-title">
            <h2 id="currency-title">"Money"</h2>
            <p>"Amounts are kept and added up in the currency they were paid in. The organisation's currency is listed first and shown with its symbol; the analytics' money figures (RFM value, lifetime value) count purchases in it only."</p>
            <ActionForm action=set>
                <Field id="currency" label="Organisation's currency" error>
                    <select id="currency" name="currency" aria-describedby="currency-error">
                        {choices.into_iter().map(|(code, label)| {
                            let selected = code == current;
                            view! { <option value=code selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </Field>
                <button type="submit" class="button">"Save currency"</button>
                <p role="status" class="muted">{move || saved().then_some("Saved.")}</p>
            </ActionForm>
        </section>
    }
}
