//! The access tools in the profile header.

use super::api::{ResetSmsVerification, SendPasswordReset};
use crate::auth::use_console_facts;
use leptos::prelude::*;

/// "Reset SMS verification" and "Send password-reset email", each reporting its outcome in a
/// live region. Rendered only for users with access_tools.use; the server checks again.
#[component]
pub fn AccessTools(
    /// The customer.
    customer_id: String,
) -> impl IntoView {
    let reset_sms = ServerAction::<ResetSmsVerification>::new();
    let reset_password = ServerAction::<SendPasswordReset>::new();
    // Known while rendering on both sides, so the note never appears late and moves the page.
    let mail_off = !use_console_facts().email_enabled;
    let outcome = move || {
        let latest = [reset_sms.value().get(), reset_password.value().get()];
        latest.into_iter().flatten().last()
    };
    let (sms_id, password_id) = (customer_id.clone(), customer_id);
    view! {
        <div class="access-tools" role="group" aria-labelledby="access-tools-title">
            <h2 id="access-tools-title" class="fact-title">"Access tools"</h2>
            <button
                type="button"
                class="button secondary"
                disabled=move || reset_sms.pending().get()
                on:click=move |_| {
                    reset_password.value().set(None);
                    reset_sms.dispatch(ResetSmsVerification { customer_id: sms_id.clone() });
                }
            >
                "Reset SMS verification"
            </button>
            <button
                type="button"
                class="button secondary"
                disabled=move || reset_password.pending().get() || mail_off
                aria-describedby="mail-off-note"
                on:click=move |_| {
                    reset_sms.value().set(None);
                    reset_password.dispatch(SendPasswordReset { customer_id: password_id.clone() });
                }
            >
                "Send password-reset email"
            </button>
            <p id="mail-off-note" class="muted" hidden=!mail_off>
                "Email is not set up: an administrator must configure an SMTP server (SMTP_URL)."
            </p>
            <p class="access-outcome" role="status">
                {move || match outcome() {
                    Some(Ok(message)) => view! { <span class="ok">{message}</span> }.into_any(),
                    Some(Err(error)) => view! { <span class="error-text">{error.to_string()}</span> }.into_any(),
                    None => ().into_any(),
                }}
            </p>
        </div>
    }
}
