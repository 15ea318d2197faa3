//! Admin → Settings: whether external ids match whatever their letters' case. Saving says what
//! now holds; a refusal lists the ids that differ only in case, each linking to its customer.

use super::api::{external_id_case, external_id_case_clashes, SetExternalIdCase};
use super::model::CaseClash;
use crate::error::AppError;
use crate::layout::{form_error, Loaded};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The external-id case section of the settings screen.
#[component]
pub fn ExternalIdCaseSetting() -> impl IntoView {
    let save = ServerAction::<SetExternalIdCase>::new();
    let current = Resource::new(move || save.version().get(), |_| external_id_case());
    let error = form_error(move || save.value().get().and_then(Result::err));
    let refused = move || matches!(save.value().get(), Some(Err(AppError::Conflict(_))));
    let clashes = Resource::new(refused, |refused| async move {
        if refused {
            external_id_case_clashes().await
        } else {
            Ok(Vec::new())
        }
    });
    let saved = move || {
        save.value().get().and_then(Result::ok).map(|ignore| {
            let now = if ignore {
                "Saved: external ids now match whatever their letters' case."
            } else {
                "Saved: external ids now match only as written, letter case included."
            };
            view! { <p class="alert alert-success" role="status">{now}</p> }
        })
    };
    view! {
        <section class="card" aria-labelledby="external-id-case-title">
            <h2 id="external-id-case-title">"External ids"</h2>
            <Loaded resource=current what="external id setting" let:ignore>
                <ActionForm action=save>
                    <label class="checkbox-field">
                        <input type="checkbox" name="ignore_case" value="on" checked=ignore/>
                        "Ignore letter case: crm-00000031 finds CRM-00000031 (in search, ingest and Add Customer), and ids that differ only in case cannot belong to two customers. Ids are still shown as entered."
                    </label>
                    <p class="alert alert-error" role="alert" hidden=move || error.get().is_none()>{error}</p>
                    <button type="submit" class="button" disabled=move || save.pending().get()>"Save external id matching"</button>
                </ActionForm>
            </Loaded>
            {saved}
            <Transition fallback=|| ()>
                {move || clashes.get().and_then(Result::ok).map(|list| view! { <ClashList list/> })}
            </Transition>
        </section>
    }
}

/// The ids that differ only in case, each holder linked; nothing when there are none.
#[component]
fn ClashList(list: Vec<CaseClash>) -> impl IntoView {
    (!list.is_empty()).then(|| {
        view! {
            <h3>"Ids that differ only in case"</h3>
            <ul class="plain-list case-clashes">
                {list.into_iter().map(|clash| view! {
                    <li>
                        {clash.holders.into_iter().enumerate().map(|(i, (id, name, spelling))| view! {
                            {(i > 0).then_some(" and ")}
                            <a href=format!("/customers/{id}/profile")>{spelling}</a>
                            {format!(" ({name})")}
                        }).collect_view()}
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}
