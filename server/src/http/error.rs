//! Errors of the HTTP layer, answered as JSON `{"error": message}` with a fitting status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use engine::run::RunError;

use crate::interviews::InterviewError;
use crate::store::StoreError;

/// An error answered to the client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: malformed input.
    #[error("{0}")]
    BadRequest(String),
    /// 403.
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("{0}")]
    NotFound(String),
    /// 409: the session moved on.
    #[error("{0}")]
    Conflict(String),
    /// 415.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: a document could not be made (a template error; shown: authors need it).
    #[error("{0}")]
    Document(String),
    /// 501, as docassemble answers every interview error (its `server_error` turns any error
    /// that is not a not-found or an HTTP error into 501): the interview itself has an error
    /// (shown: authors need it).
    #[error("{0}")]
    Interview(String),
    /// 501: the interview has an error and its own `error help` (HTML) for the error page,
    /// answered as `error_help` beside `error`.
    #[error("{message}")]
    InterviewHelp { message: String, help: String },
    /// 500: something failed inside the server (logged; a generic message is shown).
    #[error("{0}")]
    Internal(String),
}

impl ApiError {
    /// The status this error is answered with.
    pub fn clone_status(&self) -> StatusCode {
        self.status()
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Document(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Interview(_) | ApiError::InterviewHelp { .. } => StatusCode::NOT_IMPLEMENTED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ApiError::InterviewHelp { message, help } = &self {
            let body = serde_json::json!({ "error": message, "error_help": help });
            return (status, Json(body)).into_response();
        }
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "the server could not complete the request".to_string()
            }
            other => other.to_string(),
        };
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    }
}

impl From<InterviewError> for ApiError {
    fn from(e: InterviewError) -> Self {
        match e {
            InterviewError::BadReference { .. } => ApiError::BadRequest(e.to_string()),
            InterviewError::NotFound(_) => ApiError::NotFound(e.to_string()),
            InterviewError::Invalid { .. } => ApiError::Interview(e.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e.http_status() {
            400 => ApiError::BadRequest(e.to_string()),
            403 => ApiError::Forbidden(e.to_string()),
            404 => ApiError::NotFound(e.to_string()),
            409 => ApiError::Conflict(e.to_string()),
            _ => ApiError::Internal(e.to_string()),
        }
    }
}

impl ApiError {
    /// A run error of `iv`, with the interview's `error help` when it has one (docassemble
    /// shows it on the error page above the message).
    pub fn of_run(e: RunError, iv: &engine::run::CompiledInterview) -> Self {
        match ApiError::from(e) {
            ApiError::Interview(message) => match iv.error_help("en") {
                Some(help) => ApiError::InterviewHelp { message, help },
                None => ApiError::Interview(message),
            },
            other => other,
        }
    }
}

impl From<RunError> for ApiError {
    fn from(e: RunError) -> Self {
        match e {
            RunError::BadRequest(m) => ApiError::BadRequest(m),
            other => ApiError::Interview(other.to_string()),
        }
    }
}
