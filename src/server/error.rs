//! Errors as the API returns them: the reference's envelope with the request's id, and the
//! status code of its table.

use axum::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::model::error::ErrorEnvelope;
use crate::model::{Error, ErrorCode};

tokio::task_local! {
    /// The id of the request being served (set by the gate middleware for the whole request).
    pub static REQUEST_ID: String;
}

pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(|id| id.clone()).ok()
}

/// A handler's error: any library error becomes the envelope.
#[derive(Debug)]
pub struct ApiError {
    pub error: Error,
    /// Seconds, for 429s.
    pub retry_after: Option<u64>,
    /// A status the error table has no code of its own for (405, 413), kept with the nearest
    /// code so the body is still the envelope.
    pub status: Option<StatusCode>,
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        Self {
            error,
            retry_after: None,
            status: None,
        }
    }
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error::new(code, message).into()
    }

    /// Answers with `status` instead of the code's own (only a client error: a code's status
    /// stays the one clients switch on for everything else).
    #[must_use]
    pub fn with_status(mut self, status: StatusCode) -> Self {
        if status.is_client_error() {
            self.status = Some(status);
        }
        self
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = self.error;
        if error.request_id.is_none() {
            error.request_id = current_request_id();
        }
        if error.code == ErrorCode::Internal {
            tracing::error!(request_id = ?error.request_id, message = %error.message, "internal error");
        }
        let status = self.status.unwrap_or_else(|| {
            StatusCode::from_u16(error.code.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        });
        let mut response = (status, Json(ErrorEnvelope { error })).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert("retry-after", v);
        }
        response
    }
}
