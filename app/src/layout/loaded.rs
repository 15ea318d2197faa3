//! "Load, show a status line, show the value or the error": the shape of every panel that reads
//! from a server function.

use super::ErrorPanel;
use crate::error::AppError;
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Shows what `resource` loaded. While it first loads, a status line says "Loading {what}…";
/// while it reloads, the previous view stays (a transition, so live updates do not flicker);
/// an error shows as an [`ErrorPanel`]. `children` draws the value.
#[component]
pub fn Loaded<T, V, F>(
    /// The server-function result to show.
    resource: Resource<Result<T, AppError>>,
    /// What is loading, for the status line: "tags" reads "Loading tags…".
    what: &'static str,
    /// Draws the loaded value.
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=move || view! { <p class="loading" role="status">{format!("Loading {what}…")}</p> }>
            {move || resource.get().map(|result| match result {
                Ok(value) => children(value).into_any(),
                Err(error) => view! { <ErrorPanel error/> }.into_any(),
            })}
        </Transition>
    }
}
