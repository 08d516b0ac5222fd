//! The reference's error envelope and codes. Every failure the library reports carries one of
//! these codes, so the CLI, the server and the TUI all say the same thing about it.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorCode {
    #[serde(rename = "invalid_request_error")]
    InvalidRequest,
    #[serde(rename = "authentication_error")]
    Authentication,
    #[serde(rename = "permission_error")]
    Permission,
    #[serde(rename = "not_found")]
    NotFound,
    #[serde(rename = "conflict")]
    Conflict,
    #[serde(rename = "rate_limit_error")]
    RateLimit,
    #[serde(rename = "insufficient_credits")]
    InsufficientCredits,
    #[serde(rename = "plan_rejected")]
    PlanRejected,
    #[serde(rename = "job_halted")]
    JobHalted,
    #[serde(rename = "integration_error")]
    Integration,
    #[serde(rename = "internal_error")]
    Internal,
    /// 503 in the API: the research engine (or a remote server) cannot be reached right now.
    #[serde(rename = "service_unavailable")]
    Unavailable,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request_error",
            Self::Authentication => "authentication_error",
            Self::Permission => "permission_error",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::RateLimit => "rate_limit_error",
            Self::InsufficientCredits => "insufficient_credits",
            Self::PlanRejected => "plan_rejected",
            Self::JobHalted => "job_halted",
            Self::Integration => "integration_error",
            Self::Internal => "internal_error",
            Self::Unavailable => "service_unavailable",
        }
    }

    /// The HTTP status the API answers with.
    pub fn http_status(self) -> u16 {
        match self {
            Self::InvalidRequest => 400,
            Self::Authentication => 401,
            Self::InsufficientCredits => 402,
            Self::Permission => 403,
            Self::NotFound => 404,
            Self::Conflict => 409,
            Self::PlanRejected => 422,
            Self::RateLimit => 429,
            Self::JobHalted | Self::Internal => 500,
            Self::Integration => 502,
            Self::Unavailable => 503,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One error, as the API's envelope carries it: `{"error": {code, message, param, request_id}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    pub param: Option<String>,
    pub request_id: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            param: None,
            request_id: None,
        }
    }

    pub fn with_param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidRequest, message)
    }

    pub fn not_found(what: &str, id: &impl fmt::Display) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} {id} was not found."))
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}

/// The wire envelope.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: Error,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_the_reference_envelope_with_nullable_fields_present() {
        let e = ErrorEnvelope {
            error: Error::not_found("Thread", &"thr_42").with_param("thread_id"),
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "not_found", "message": "Thread thr_42 was not found.",
                "param": "thread_id", "request_id": null}})
        );
    }

    #[test]
    fn status_codes_follow_the_reference_table() {
        assert_eq!(ErrorCode::Conflict.http_status(), 409);
        assert_eq!(ErrorCode::PlanRejected.http_status(), 422);
        assert_eq!(ErrorCode::InsufficientCredits.http_status(), 402);
        assert_eq!(ErrorCode::Permission.http_status(), 403);
    }
}
