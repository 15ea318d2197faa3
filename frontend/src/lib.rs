//! Browser entry point: hydrates the server-rendered console.

// The future of hydrating the whole app, views not type-erased (clippy, `cargo build` without
// cargo-leptos), nests deeper than the default limit of 128.
#![recursion_limit = "256"]

/// Called by the generated JavaScript once the wasm module has loaded. Hydrates
/// asynchronously, so a page on a lazily loaded route (`app::layout::lazy`) waits for its
/// chunk, then marks the body `data-hydrated` (the browser tests wait for it).
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(body) = leptos::prelude::document().body() else {
        return;
    };
    // `hydrate_from_async` sets wasm-bindgen futures up as the reactive system's executor.
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        _ = body.set_attribute("data-hydrated", "true");
    });
}
