//! What every request passes: a request id (echoed, and in every error), then for the API proper
//! the bearer key, the per-key rate limit and its headers.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::{ApiError, REQUEST_ID};
use super::keys::{self, ApiKey};
use crate::model::ErrorCode;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    pub key: ApiKey,
}

fn valid_request_id(raw: &str) -> bool {
    !raw.is_empty() && raw.len() <= 200 && raw.bytes().all(|b| b.is_ascii_graphic())
}

pub async fn request_id(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| valid_request_id(v))
        .map(str::to_string)
        .unwrap_or_else(|| format!("req_{}", ulid::Ulid::generate()));
    let mut response = REQUEST_ID.scope(id.clone(), next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let secret = match header.and_then(|h| {
        h.strip_prefix("Bearer ")
            .or_else(|| h.strip_prefix("bearer "))
    }) {
        Some(s) if !s.trim().is_empty() => s.trim().to_string(),
        _ => {
            return ApiError::new(
                ErrorCode::Authentication,
                "Missing API key: send `Authorization: Bearer sk_test_…` (create one with `leadline api-keys create`).",
            )
            .into_response();
        }
    };
    let store_engine = state.engine.clone();
    let verified =
        tokio::task::spawn_blocking(move || keys::verify(store_engine.store(), &secret)).await;
    let key = match verified {
        Ok(Ok(key)) => key,
        Ok(Err(e)) => return ApiError::from(e).into_response(),
        Err(e) => {
            return ApiError::new(ErrorCode::Internal, format!("auth task failed: {e}"))
                .into_response();
        }
    };
    let decision = state.limiter.check(&key.id);
    if !decision.allowed {
        let mut err = ApiError::new(
            ErrorCode::RateLimit,
            format!(
                "Rate limit of {} requests per minute exceeded; retry in {} s.",
                decision.limit, decision.retry_after
            ),
        );
        err.retry_after = Some(decision.retry_after);
        let mut response = err.into_response();
        decision.write_headers(response.headers_mut());
        return response;
    }
    req.extensions_mut().insert(Principal { key });
    let mut response = next.run(req).await;
    decision.write_headers(response.headers_mut());
    response
}
