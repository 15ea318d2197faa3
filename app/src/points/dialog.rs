//! The "Adjust" button beside the points balance and its modal dialog.

use super::api::AdjustPoints;
use crate::customers::ProfilePageContext;
use crate::layout::{field_error, form_error, Field, Modal};
use leptos::form::ActionForm;
use leptos::html;
use leptos::prelude::*;

/// "Adjust" opens a dialog to add or deduct points with a reason. Only rendered for users
/// with points.adjust; the server checks again.
#[component]
pub fn AdjustPointsButton(
    /// The customer whose balance changes.
    customer_id: String,
) -> impl IntoView {
    let context = expect_context::<ProfilePageContext>();
    let modal = Modal::new();
    let form = NodeRef::<html::Form>::new();
    let action = ServerAction::<AdjustPoints>::new();
    let error = move || action.value().get().and_then(Result::err);
    let field = move |name: &'static str| field_error(error, name);
    let other_error = form_error(error);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            modal.close();
            if let Some(form) = form.get() {
                form.reset();
            }
            context.header_version.update(|v| *v += 1);
        }
    });
    let open = move |_| {
        action.value().set(None);
        modal.open();
    };
    let close = move |_| modal.close();
    view! {
        <button type="button" class="link-button" on:click=open aria-haspopup="dialog">
            "Adjust"<span class="visually-hidden">" points"</span>
        </button>
        <dialog node_ref=modal.node() class="modal" aria-labelledby="adjust-title">
            <h2 id="adjust-title">"Adjust points"</h2>
            <ActionForm action node_ref=form>
                <input type="hidden" name="customer_id" value=customer_id/>
                <Field id="adjust-points" label="Points to add (use a minus sign to deduct)" error=field("points")>
                    <input
                        id="adjust-points"
                        name="points"
                        inputmode="numeric"
                        required
                        autocomplete="off"
                        aria-describedby="adjust-points-error"
                    />
                </Field>
                <Field id="adjust-reason" label="Reason" error=field("reason")>
                    <input id="adjust-reason" name="reason" required autocomplete="off" aria-describedby="adjust-reason-error"/>
                </Field>
                <p class="alert alert-error" role="alert" hidden=move || other_error.get().is_none()>
                    {other_error}
                </p>
                <div class="dialog-actions">
                    <button type="button" class="button secondary" on:click=close>
                        "Cancel"
                    </button>
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        "Save adjustment"
                    </button>
                </div>
            </ActionForm>
        </dialog>
    }
}
