//! The status flag at the far left of the header; with status.change it opens a chooser.

use super::api::ChangeStatus;
use crate::auth::{use_can, Permission};
use crate::customers::{ProfilePageContext, StatusBadge};
use crate::error::AppError;
use crate::layout::{form_error, Modal};
use crate::settings::{list_status_types, StatusType};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The customer's status in its configured colour. Users who may change it click it to
/// pick another status from the organisation's list.
#[component]
pub fn StatusFlag(
    /// The customer.
    customer_id: String,
    /// The current status.
    status: StatusBadge,
) -> impl IntoView {
    let style = format!("--status-colour: {}", status.colour);
    if !use_can(Permission::StatusChange) {
        return view! {
            <span class="status-flag" style=style>
                <span class="visually-hidden">"Status: "</span>
                {status.name}
            </span>
        }
        .into_any();
    }
    let context = expect_context::<ProfilePageContext>();
    let modal = Modal::new();
    let action = ServerAction::<ChangeStatus>::new();
    // Loaded when the dialog opens (an action, not a resource: resources created under the
    // header's Transition would get other ids on the server than in the browser).
    let statuses = Action::new(|_: &()| list_status_types());
    let error = form_error(move || action.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            modal.close();
            context.header_version.update(|v| *v += 1);
        }
    });
    let open = move |_| {
        action.value().set(None);
        statuses.dispatch(());
        modal.open();
    };
    let current = status.id.clone();
    view! {
        <button
            type="button"
            class="status-flag status-flag-button"
            style=style
            on:click=open
            aria-haspopup="dialog"
        >
            <span class="visually-hidden">"Status: "</span>
            {status.name}
            <span class="visually-hidden">" (change)"</span>
            <span aria-hidden="true">" ▾"</span>
        </button>
        <dialog node_ref=modal.node() class="modal" aria-labelledby="status-title">
            <h2 id="status-title">"Change status"</h2>
            <ActionForm action>
                <input type="hidden" name="customer_id" value=customer_id/>
                <fieldset class="status-choices">
                    <legend>"Status"</legend>
                    <StatusChoices statuses current=current.clone()/>
                </fieldset>
                <p class="alert alert-error" role="alert" hidden=move || error.get().is_none()>
                    {error}
                </p>
                <div class="dialog-actions">
                    <button type="button" class="button secondary" on:click=move |_| modal.close()>
                        "Cancel"
                    </button>
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        "Save status"
                    </button>
                </div>
            </ActionForm>
        </dialog>
    }
    .into_any()
}

/// The organisation's statuses as radio buttons, the current one checked (loaded when the
/// dialog opens).
#[component]
fn StatusChoices(
    statuses: Action<(), Result<Vec<StatusType>, AppError>>,
    current: String,
) -> impl IntoView {
    let choice = move |status: StatusType, current: &str| {
        let id = format!("status-{}", status.id);
        let checked = status.id == current;
        view! {
            <label for=id class="status-choice">
                <input type="radio" id=id.clone() name="status_id" value=status.id checked=checked required/>
                <span class="status-swatch" style=format!("background: {}", status.colour) aria-hidden="true"></span>
                {status.name}
            </label>
        }
    };
    move || match statuses.value().get() {
        None => view! { <p role="status">"Loading statuses…"</p> }.into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|s| choice(s, &current))
            .collect_view()
            .into_any(),
        Some(Err(e)) => view! { <p class="alert alert-error">{e.to_string()}</p> }.into_any(),
    }
}
