//! What every request passes: a request id (echoed, and in every error), then for the API proper
//! the bearer key, the per-organisation rate limit and its headers, and a per-address limit on
//! failed authentication.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::{ApiError, REQUEST_ID};
use super::keys::{self, ApiKey};
use super::ratelimit::Decision;
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

/// The bucket failed authentication counts in: the peer's IPv4 address, or its IPv6 /64 (one
/// host usually holds a whole /64, so per address would be no limit at all); one shared bucket
/// when the listener does not record peers. `X-Forwarded-For` is not trusted: any client can
/// write it, and a limit keyed on it could be dodged by changing it.
fn client_address(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".into(), |c| address_bucket(c.0.ip()))
}

fn address_bucket(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        other => other.to_canonical().to_string(),
    }
}

/// A 429 in the envelope with `Retry-After` and the limit headers.
fn too_many(decision: &Decision, what: &str) -> Response {
    let mut err = ApiError::new(
        ErrorCode::RateLimit,
        format!(
            "{what} limit of {} per minute exceeded; retry in {} s.",
            decision.limit, decision.retry_after
        ),
    );
    err.retry_after = Some(decision.retry_after);
    let mut response = err.into_response();
    decision.write_headers(response.headers_mut());
    response
}

/// Counts a failed authentication against the address: the 401, or a 429 once over the limit.
async fn refuse(state: &AppState, address: &str, error: ApiError) -> Response {
    let decision = state.auth_failures.check(address).await;
    if decision.allowed {
        error.into_response()
    } else {
        too_many(&decision, "Failed authentication")
    }
}

pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let address = client_address(&req);
    let blocked = state.auth_failures.peek(&address).await;
    if !blocked.allowed {
        return too_many(&blocked, "Failed authentication");
    }
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
            let e = ApiError::new(
                ErrorCode::Authentication,
                "Missing API key: send `Authorization: Bearer sk_test_…` (create one with `leadline api-keys create`).",
            );
            return refuse(&state, &address, e).await;
        }
    };
    let store_engine = state.engine.clone();
    let verified =
        tokio::task::spawn_blocking(move || keys::verify(store_engine.store(), &secret)).await;
    let key = match verified {
        Ok(Ok(key)) => key,
        Ok(Err(e)) if e.code == ErrorCode::Authentication => {
            return refuse(&state, &address, e.into()).await;
        }
        Ok(Err(e)) => return ApiError::from(e).into_response(),
        Err(e) => {
            return ApiError::new(ErrorCode::Internal, format!("auth task failed: {e}"))
                .into_response();
        }
    };
    // The reference limits per organisation: every key of one shares its budget.
    let decision = state.limiter.check(key.organization.as_str()).await;
    if !decision.allowed {
        return too_many(&decision, "Rate");
    }
    req.extensions_mut().insert(Principal { key });
    let mut response = next.run(req).await;
    decision.write_headers(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_host_is_one_bucket_per_64_and_ipv4_per_address() {
        let bucket = |raw: &str| address_bucket(raw.parse().unwrap());
        assert_eq!(bucket("2001:db8:1:2::1"), bucket("2001:db8:1:2:ffff::9"));
        assert_ne!(bucket("2001:db8:1:2::1"), bucket("2001:db8:1:3::1"));
        assert_eq!(bucket("::ffff:192.0.2.7"), "192.0.2.7");
        assert_ne!(bucket("192.0.2.7"), bucket("192.0.2.8"));
    }
}
