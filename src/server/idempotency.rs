//! `Idempotency-Key` on writes: the first response is stored for 24 hours and replayed for the
//! same key and request; the same key with another request is a 409; a key still being processed
//! is a 409 too, so a retry racing the original never acts twice.
//!
//! The handler runs in its own task, so a client that gives up does not cancel it: the request
//! still settles its key, and the retry replays the answer. Refusals (401/403) and server errors
//! are not remembered, a replay re-checks the scope the request needed, and bodies compare as
//! canonical JSON (key order and whitespace do not matter).

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::AppState;
use super::error::{ApiError, REQUEST_ID, current_request_id};
use super::gate::Principal;
use super::keys::Scope;
use crate::engine::store::Store;
use crate::engine::store::idempotency::{self, Claim, StoredResponse};
use crate::model::{Error, ErrorCode, OrgId, Timestamp};

const MAX_BODY: usize = 16 * 1024 * 1024;
const TTL_MS: i64 = 24 * 3600 * 1000;

/// The scope a handler required (set by `Caller::require`), stored with the response.
#[derive(Clone, Default)]
pub struct ScopeUsed(Arc<Mutex<Option<Scope>>>);

impl ScopeUsed {
    pub fn record(&self, scope: Scope) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(scope);
    }

    fn get(&self) -> Option<Scope> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Frees the key of a request whose task died without settling it.
pub fn release_stale(store: &Store) -> Result<usize, Error> {
    store.write(idempotency::release_in_flight)
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_write = matches!(
        *req.method(),
        Method::POST | Method::PATCH | Method::PUT | Method::DELETE
    );
    let key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (Some(key), true) = (key, is_write) else {
        return next.run(req).await;
    };
    if key.is_empty() || key.len() > 255 {
        return ApiError::from(
            Error::invalid("Idempotency-Key must be 1–255 characters.")
                .with_param("Idempotency-Key"),
        )
        .into_response();
    }
    let Some(principal) = req.extensions().get::<Principal>().cloned() else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            return ApiError::from(Error::invalid(format!(
                "Could not read the request body: {e}"
            )))
            .into_response();
        }
    };
    let fingerprint = fingerprint(&parts, principal.key.livemode, &bytes);
    let org = principal.key.organization.clone();
    let store = state.engine.clone();
    let (k, o) = (key.clone(), org.clone());
    let seen = tokio::task::spawn_blocking(move || claim(store.store(), &o, &k, &fingerprint))
        .await
        .map_err(|e| Error::internal(format!("idempotency task failed: {e}")));
    match seen.and_then(|r| r) {
        Ok(Claim::New) => {}
        Ok(Claim::Replay(stored)) => return replay(&principal, stored),
        Ok(Claim::InFlight) => {
            return ApiError::new(
                ErrorCode::Conflict,
                "A request with this Idempotency-Key is still being processed; retry shortly.",
            )
            .into_response();
        }
        Ok(Claim::Mismatch) => {
            return ApiError::from(
                Error::conflict("This Idempotency-Key was used with a different request; use a fresh key for a new request.")
                    .with_param("Idempotency-Key"),
            )
            .into_response();
        }
        Err(e) => return ApiError::from(e).into_response(),
    }
    let used = ScopeUsed::default();
    parts.extensions.insert(used.clone());
    let req = Request::from_parts(parts, Body::from(bytes));
    let request_id = current_request_id().unwrap_or_default();
    // Spawned, so the work and its settlement outlive a client that went away.
    let task = tokio::spawn(REQUEST_ID.scope(
        request_id,
        run_and_settle(state.clone(), org.clone(), key.clone(), next, req, used),
    ));
    match task.await {
        Ok(response) => response,
        Err(e) => {
            let store = state.engine.clone();
            let _ = tokio::task::spawn_blocking(move || {
                store
                    .store()
                    .write(|tx| idempotency::release(tx, &org, &key))
            })
            .await;
            ApiError::new(ErrorCode::Internal, format!("the request failed: {e}")).into_response()
        }
    }
}

/// Method, path, query, mode and the body (as canonical JSON when it is JSON).
fn fingerprint(parts: &axum::http::request::Parts, livemode: bool, bytes: &Bytes) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(parts.uri.path().as_bytes());
    hasher.update(b"?");
    hasher.update(parts.uri.query().unwrap_or("").as_bytes());
    hasher.update(if livemode { b"\nlive\n" } else { b"\ntest\n" });
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => hasher.update(canonical(&value).as_bytes()),
        Err(_) => hasher.update(bytes),
    }
    hasher.finalize().to_vec()
}

/// JSON with object keys sorted at every level and no insignificant whitespace.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), canonical(v)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(canonical).collect();
            format!("[{}]", inner.join(","))
        }
        other => other.to_string(),
    }
}

fn replay(principal: &Principal, stored: StoredResponse) -> Response {
    if let Some(scope) = stored.scope.as_deref().and_then(|s| Scope::parse(s).ok())
        && !principal.key.has(scope)
    {
        return ApiError::from(super::context::missing_scope(scope)).into_response();
    }
    let mut response = Response::new(Body::from(stored.body));
    *response.status_mut() = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    if let Some(ct) = stored
        .content_type
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        response.headers_mut().insert("content-type", ct);
    }
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

async fn run_and_settle(
    state: AppState,
    org: OrgId,
    key: String,
    next: Next,
    req: Request,
    used: ScopeUsed,
) -> Response {
    let response = next.run(req).await;
    let (rparts, rbody) = response.into_parts();
    let body = match to_bytes(rbody, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            let store = state.engine.clone();
            let _ = tokio::task::spawn_blocking(move || {
                store
                    .store()
                    .write(|tx| idempotency::release(tx, &org, &key))
            })
            .await;
            return ApiError::new(
                ErrorCode::Internal,
                format!("could not buffer the response: {e}"),
            )
            .into_response();
        }
    };
    let saved = StoredResponse {
        scope: used.get().map(|s| s.as_str().to_string()),
        status: rparts.status.as_u16(),
        content_type: rparts
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: body.to_vec(),
    };
    let store = state.engine.clone();
    let _ = tokio::task::spawn_blocking(move || settle(store.store(), &org, &key, &saved)).await;
    Response::from_parts(rparts, Body::from(body))
}

fn claim(store: &Store, org: &OrgId, key: &str, fingerprint: &[u8]) -> Result<Claim, Error> {
    let now = Timestamp::now();
    let expired_before = Timestamp::from_millis(now.millis() - TTL_MS);
    store.write(|tx| idempotency::claim(tx, org, key, fingerprint, now, expired_before))
}

fn settle(store: &Store, org: &OrgId, key: &str, response: &StoredResponse) -> Result<(), Error> {
    store.write(|tx| {
        // Not remembered: a server error deserves a real second attempt, and a refusal (401/403)
        // must not answer for a caller who may hold the right key or scope next time.
        if response.status >= 500 || matches!(response.status, 401 | 403) {
            idempotency::release(tx, org, key)
        } else {
            idempotency::settle(tx, org, key, response)
        }
    })
}
