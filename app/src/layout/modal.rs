//! A native modal `<dialog>` opened and closed from code, and how forms show server errors.

use crate::error::AppError;
use leptos::html;
use leptos::prelude::*;

/// Handle on a `<dialog class="modal">`: give `node()` to the element, then `open()`/`close()`.
/// The browser traps focus inside, closes it on Escape and returns focus to the opener.
#[derive(Debug, Clone, Copy, Default)]
pub struct Modal(NodeRef<html::Dialog>);

impl Modal {
    /// A handle not yet attached to an element.
    pub fn new() -> Self {
        Self(NodeRef::new())
    }

    /// The node reference for the `<dialog>` element.
    pub fn node(self) -> NodeRef<html::Dialog> {
        self.0
    }

    /// Shows the dialog as a modal.
    pub fn open(self) {
        if let Some(dialog) = self.0.get() {
            let _ = dialog.show_modal();
        }
    }

    /// Closes the dialog.
    pub fn close(self) {
        if let Some(dialog) = self.0.get() {
            dialog.close();
        }
    }
}

/// The message for form field `name` in `error`, if the server blamed that field.
pub fn field_error(
    error: impl Fn() -> Option<AppError> + Send + Sync + 'static,
    name: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || error().and_then(|e| e.for_field(name)))
}

/// The message of `error` when it is not about one field (permission, conflict, internal).
pub fn form_error(
    error: impl Fn() -> Option<AppError> + Send + Sync + 'static,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        error()
            .filter(|e| e.field().is_none())
            .map(|e| e.to_string())
    })
}

/// Moves keyboard focus to the element with `id` (e.g. the first field with an error).
pub fn focus(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
    {
        let _ = element.focus();
    }
}
