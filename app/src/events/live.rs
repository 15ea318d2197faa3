//! Live updates of an open profile: the server publishes the ids of customers whose records
//! changed, a server-sent-events route streams them per customer, and the browser counts
//! them so resources that read the count refetch.

use leptos::prelude::*;

/// The server-sent-events URL of customer `id`'s changes.
pub fn live_url(id: &str) -> String {
    format!("/api/v1/customers/{id}/live")
}

/// A counter that goes up each time customer `id`'s record changes on the server while the
/// page is open (through `EventSource`; nothing happens during server rendering).
pub fn use_live_changes(id: Memo<String>) -> ReadSignal<u64> {
    let (changes, set_changes) = signal(0u64);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use send_wrapper::SendWrapper;
        use wasm_bindgen::prelude::Closure;
        use wasm_bindgen::JsCast;
        let Ok(source) = web_sys::EventSource::new(&live_url(&id.get())) else {
            return;
        };
        let on_change = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| {
            set_changes.update(|n| *n += 1);
        });
        source.set_onmessage(Some(on_change.as_ref().unchecked_ref()));
        let held = SendWrapper::new((source, on_change));
        on_cleanup(move || held.0.close());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, set_changes);
    changes
}

#[cfg(feature = "ssr")]
pub use hub::LiveHub;

#[cfg(feature = "ssr")]
mod hub {
    use tokio::sync::broadcast;

    /// Fan-out of "customer X changed" to every open live stream. Cheap to clone.
    #[derive(Debug, Clone)]
    pub struct LiveHub {
        sender: broadcast::Sender<String>,
    }

    impl Default for LiveHub {
        fn default() -> Self {
            Self {
                sender: broadcast::channel(4096).0,
            }
        }
    }

    impl LiveHub {
        /// Tells open streams that `customer_id` changed (no-op when nobody listens).
        pub fn publish(&self, customer_id: &str) {
            let _ = self.sender.send(customer_id.to_string());
        }

        /// A receiver of every change from now on.
        pub fn subscribe(&self) -> broadcast::Receiver<String> {
            self.sender.subscribe()
        }
    }
}
