//! The sign-in page.

use super::api::SignIn;
use crate::error::AppError;
use crate::layout::Field;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/sign-in?next=…&reason=expired`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = query
        .read_untracked()
        .get("next")
        .unwrap_or_else(|| "/".into());
    let expired = query.read_untracked().get("reason").as_deref() == Some("expired");
    let action = ServerAction::<SignIn>::new();
    Effect::new(move |_| {
        if let Some(Ok(path)) = action.value().get() {
            // A full page load, so the whole console renders for the signed-in user.
            let _ = window().location().set_href(&path);
        }
    });
    let error = move || action.value().get().and_then(Result::err);
    let field_error =
        move |field: &'static str| move || error().and_then(|e: AppError| e.for_field(field));
    let form_error = move || {
        error()
            .filter(|e| !matches!(e, AppError::Validation { .. }))
            .map(|e| e.to_string())
    };
    view! {
        <leptos_meta::Title text="Sign in · Customer Profiles"/>
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in"</h1>
            {expired.then(|| view! {
                <p class="alert alert-info" role="status">
                    "Your session expired. Sign in again to continue where you left off."
                </p>
            })}
            <ActionForm action>
                <input type="hidden" name="next" value=next/>
                <p class="alert alert-error" role="alert" hidden=move || form_error().is_none()>
                    {form_error}
                </p>
                <Field id="sign-in-email" label="Email" error=Signal::derive(field_error("email"))>
                    <input
                        id="sign-in-email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        aria-invalid=move || field_error("email")().is_some().then_some("true")
                        aria-describedby="sign-in-email-error"
                    />
                </Field>
                <Field
                    id="sign-in-password"
                    label="Password"
                    error=Signal::derive(field_error("password"))
                >
                    <input
                        id="sign-in-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-invalid=move || field_error("password")().is_some().then_some("true")
                        aria-describedby="sign-in-password-error"
                    />
                </Field>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
        </section>
    }
}
