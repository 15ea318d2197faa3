//! `ApiError`: the one error answer of `/api/v1`, `{"error": {"code", "message", "field"?}}`
//! with its HTTP status. 5xx details are logged, never returned.

use app::error::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Seconds a client waits before trying again while the console is in maintenance.
pub const MAINTENANCE_RETRY: u64 = 30;

/// An API error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A stable machine-readable code, e.g. `invalid_json`.
    pub code: &'static str,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The JSON field at fault, when there is one.
    pub field: Option<String>,
    /// Seconds to wait before trying again (a `Retry-After` header), for 429 and maintenance
    /// 503 answers.
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// Tells the client to wait `seconds` before trying again.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// About `field`.
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// A failure on our side: logged in full, answered with a reference only.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::from(AppError::internal(cause))
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        let status =
            StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let code = match &error {
            AppError::NotFound(_) | AppError::Merged(_) => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::Validation { .. } => "invalid_request",
            AppError::Conflict(_) | AppError::Taken { .. } => "conflict",
            AppError::RateLimited(_) => "rate_limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Maintenance(_) => "maintenance",
            AppError::Internal(_) => "internal",
        };
        let field = error.field().map(str::to_string);
        // A console in maintenance is back (on its new database) within a minute or so.
        let retry_after = matches!(error, AppError::Maintenance(_)).then_some(MAINTENANCE_RETRY);
        Self {
            status,
            code,
            message: error.to_string(),
            field,
            retry_after,
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        Self::internal(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(field) = self.field {
            error["field"] = json!(field);
        }
        let mut response = (self.status, Json(json!({ "error": error }))).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_app_error_keeps_its_status_and_field() {
        let error = ApiError::from(AppError::validation("email", "Enter an email."));
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error.code, "invalid_request");
        assert_eq!(error.field.as_deref(), Some("email"));
        let internal = ApiError::internal("disk full");
        assert_eq!(internal.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!internal.message.contains("disk"));
    }
}
