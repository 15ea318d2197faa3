//! `AppError`: the one error type shared by server functions, the ingest API and the UI.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Everything that can go wrong in a request, in words a care agent can act on.
///
/// Database and I/O failures are logged in full on the server and reach the browser only as
/// `Internal` with a reference to find the log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist (or is not visible to this user).
    #[error("{0}")]
    NotFound(String),
    /// The customer asked for was merged into another: the survivor's id. Pages go there.
    #[error("This customer was merged into another profile.")]
    Merged(String),
    /// No signed-in user.
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// Signed in, but lacking the named permission.
    #[error("You do not have the permission “{0}”.")]
    Forbidden(String),
    /// One input field is wrong; `field` names it so the form can show the message beside it.
    #[error("{message}")]
    Validation {
        /// The form field or JSON field at fault.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The change clashes with the current state (concurrent edit, double submit).
    #[error("{0}")]
    Conflict(String),
    /// A field's value belongs to another record (an identifier another customer holds);
    /// answered 409, shown beside `field`.
    #[error("{message}")]
    Taken {
        /// The form field or JSON field at fault.
        field: String,
        /// What is wrong, without naming the other record.
        message: String,
    },
    /// Too many attempts; the message says how long to wait.
    #[error("{0}")]
    RateLimited(String),
    /// An outside service (mail server, Zendesk) is not set up or did not answer.
    #[error("{0}")]
    Unavailable(String),
    /// The console is in maintenance (moving to another database): changes are paused; the
    /// message says so. Answered 503 with `Retry-After`.
    #[error("{0}")]
    Maintenance(String),
    /// A failure on our side; the text is a reference to the server log, never the cause.
    #[error("Something went wrong on our side. Reference: {0}")]
    Internal(String),
}

impl AppError {
    /// A validation error for one field.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// No customer has id `id` (never one, merged away and not followed, or forgotten).
    pub fn no_customer(id: &str) -> Self {
        Self::NotFound(format!(
            "No such customer: there is no customer with id {id}."
        ))
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::NotFound(_) | Self::Merged(_) => 404,
            Self::Unauthorized => 401,
            Self::Forbidden(_) => 403,
            Self::Validation { .. } => 422,
            Self::Conflict(_) | Self::Taken { .. } => 409,
            Self::RateLimited(_) => 429,
            Self::Unavailable(_) | Self::Maintenance(_) => 503,
            Self::Internal(_) => 500,
        }
    }

    /// The field this error is about, for errors shown beside one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. } | Self::Taken { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The message to show beside `field`, if this error is about that field.
    pub fn for_field(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation { field: f, message } | Self::Taken { field: f, message }
                if f == field =>
            {
                Some(message.clone())
            }
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                Self::validation("request", message)
            }
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Internal(
                "the server could not be reached; check the connection and try again".into(),
            ),
            other => Self::Internal(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    impl AppError {
        /// Logs an unexpected failure in full and returns an `Internal` error with a reference.
        pub fn internal(cause: impl std::fmt::Display) -> Self {
            let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
            tracing::error!(%reference, %cause, "internal error");
            Self::Internal(reference)
        }
    }

    impl AppError {
        /// `Taken` beside `field` when `err` is a unique violation (another request took the
        /// value a moment before), otherwise `err` as any database error.
        pub fn taken_if_unique(err: sqlx::Error, field: &str, message: &str) -> Self {
            if err
                .as_database_error()
                .is_some_and(|e| e.is_unique_violation())
            {
                Self::Taken {
                    field: field.into(),
                    message: message.into(),
                }
            } else {
                err.into()
            }
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            match &err {
                sqlx::Error::RowNotFound => Self::NotFound("Not found.".into()),
                _ => Self::internal(err),
            }
        }
    }

    /// Runs a server function's body and sets the HTTP status of its response from the
    /// result: every server function is `respond(async { permission; state; call }).await`.
    pub async fn respond<T>(
        body: impl std::future::Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let result = body.await;
        if let Err(err) = &result {
            if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                // A page already redirecting (a merged-away customer's) keeps its redirect
                // whatever its other panels fail with.
                let redirecting = options
                    .0
                    .read()
                    .map(|parts| parts.status.is_some_and(|s| s.is_redirection()))
                    .unwrap_or(false);
                if let (Ok(status), false) =
                    (http::StatusCode::from_u16(err.status_code()), redirecting)
                {
                    options.set_status(status);
                }
            }
        }
        result
    }
}

#[cfg(feature = "ssr")]
pub use server::respond;
