//! Admin → Settings: whether external ids match whatever their letters' case.

use super::api::{external_id_case, SetExternalIdCase};
use crate::layout::{form_error, Loaded};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The external-id case section of the settings screen.
#[component]
pub fn ExternalIdCaseSetting() -> impl IntoView {
    let save = ServerAction::<SetExternalIdCase>::new();
    let current = Resource::new(move || save.version().get(), |_| external_id_case());
    let error = form_error(move || save.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="external-id-case-title">
            <h2 id="external-id-case-title">"External ids"</h2>
            <Loaded resource=current what="external id setting" let:ignore>
                <ActionForm action=save>
                    <label class="checkbox-field">
                        <input type="checkbox" name="ignore_case" value="on" checked=ignore/>
                        "Ignore letter case: crm-00000031 finds CRM-00000031 (in search, ingest and Add Customer), and ids that differ only in case cannot belong to two customers"
                    </label>
                    <p class="alert alert-error" role="alert" hidden=move || error.get().is_none()>{error}</p>
                    <button type="submit" class="button" disabled=move || save.pending().get()>"Save external id matching"</button>
                </ActionForm>
            </Loaded>
        </section>
    }
}
