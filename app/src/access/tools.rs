//! The access tools in the profile header.

use super::api::{ResetSmsVerification, SendPasswordReset};
use crate::auth::use_console_facts;
use leptos::prelude::*;

/// The two access-tool actions of the profile on screen. Created by the profile page, not by
/// the header: the header is rendered again whenever the customer changes (the tools' own
/// actions publish such a change), and actions owned by it would lose their outcome.
#[derive(Clone, Copy)]
pub struct AccessActions {
    reset_sms: ServerAction<ResetSmsVerification>,
    reset_password: ServerAction<SendPasswordReset>,
    /// The customer the last outcome is about.
    asked_for: StoredValue<String>,
}

impl AccessActions {
    /// Creates the actions and provides them to the page's header.
    pub fn provide() {
        provide_context(Self {
            reset_sms: ServerAction::new(),
            reset_password: ServerAction::new(),
            asked_for: StoredValue::default(),
        });
    }
}

/// "Reset SMS verification" and "Send password-reset email", each reporting its outcome in a
/// live region. Rendered only for users with access_tools.use; the server checks again.
#[component]
pub fn AccessTools(
    /// The customer.
    customer_id: String,
) -> impl IntoView {
    let AccessActions {
        reset_sms,
        reset_password,
        asked_for,
    } = expect_context();
    // An outcome is shown for the customer it was asked for, not for the next one opened.
    if asked_for.with_value(|asked| asked != &customer_id) {
        asked_for.set_value(customer_id.clone());
        reset_sms.value().set(None);
        reset_password.value().set(None);
    }
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
