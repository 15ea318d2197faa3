//! A form checked in the browser before it is sent (with the same Rust code the server runs
//! again): the problems found there, the server's answer, and the submit that ties them.

use crate::error::AppError;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// A problem with one field: the field's name and what to tell the person.
pub type FieldProblem = (&'static str, String);

/// The state of one checked form around server action `S`.
pub struct CheckedForm<S: ServerFn + 'static>
where
    S::Output: 'static,
{
    /// The server action the form is sent through.
    pub action: ServerAction<S>,
    problems: RwSignal<Vec<FieldProblem>>,
    id_prefix: &'static str,
}

impl<S: ServerFn + 'static> Clone for CheckedForm<S>
where
    S::Output: 'static,
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ServerFn + 'static> Copy for CheckedForm<S> where S::Output: 'static {}

impl<S> CheckedForm<S>
where
    S: ServerFn<Error = AppError> + FromFormData + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    /// A form whose inputs have ids `{id_prefix}-{field}` (underscores as hyphens).
    pub fn new(id_prefix: &'static str) -> Self {
        Self {
            action: ServerAction::new(),
            problems: RwSignal::new(Vec::new()),
            id_prefix,
        }
    }

    /// What is wrong with `field`: the browser's check first, then the server's answer.
    pub fn problem(&self, field: &str) -> Option<String> {
        let found = self.problems.with(|problems| {
            problems
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, message)| message.clone())
        });
        found.or_else(|| match self.action.value().get() {
            Some(Err(error)) => error.for_field(field),
            _ => None,
        })
    }

    /// The server's error that names no field (shown above the form).
    pub fn other_error(&self) -> Option<String> {
        match self.action.value().get() {
            Some(Err(error)) if error.field().is_none() => Some(error.to_string()),
            _ => None,
        }
    }

    /// Reads the submitted form, runs `check` on it and sends it when nothing is wrong;
    /// otherwise shows every problem at its field and moves focus to the first.
    pub fn submit(
        &self,
        ev: &leptos::ev::SubmitEvent,
        check: impl FnOnce(&S) -> Result<(), Vec<FieldProblem>>,
    ) {
        ev.prevent_default();
        let Ok(data) = S::from_event(ev) else {
            return;
        };
        match check(&data) {
            Ok(()) => {
                self.problems.set(Vec::new());
                self.action.dispatch(data);
            }
            Err(problems) => {
                if let Some((field, _)) = problems.first() {
                    super::focus(&format!("{}-{}", self.id_prefix, field.replace('_', "-")));
                }
                self.problems.set(problems);
            }
        }
    }
}
