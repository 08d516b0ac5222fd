//! `Idempotency-Key` on writes: the first response is stored for 24 hours and replayed for the
//! same key and body; the same key with another body is a 409; a key still being processed is a
//! 409 too, so a retry racing the original never acts twice.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::AppState;
use super::error::ApiError;
use super::gate::Principal;
use crate::model::{Error, ErrorCode, OrgId, Timestamp};

const MAX_BODY: usize = 16 * 1024 * 1024;
const TTL_MS: i64 = 24 * 3600 * 1000;

/// A stored row: fingerprint, status (None while in flight), content type, body.
type Stored = (Vec<u8>, Option<u16>, Option<String>, Option<Vec<u8>>);

enum Seen {
    New,
    Replay {
        status: u16,
        content_type: Option<String>,
        body: Vec<u8>,
    },
    InFlight,
    Mismatch,
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
    let Some(org) = req
        .extensions()
        .get::<Principal>()
        .map(|p| p.key.organization.clone())
    else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            return ApiError::from(Error::invalid(format!(
                "Could not read the request body: {e}"
            )))
            .into_response();
        }
    };
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(parts.uri.path().as_bytes());
    hasher.update(b"?");
    hasher.update(parts.uri.query().unwrap_or("").as_bytes());
    hasher.update(b"\n");
    hasher.update(&bytes);
    let fingerprint = hasher.finalize().to_vec();

    let store = state.engine.clone();
    let (k, o, f) = (key.clone(), org.clone(), fingerprint.clone());
    let seen = tokio::task::spawn_blocking(move || claim(store.store(), &o, &k, &f)).await;
    match seen {
        Ok(Ok(Seen::New)) => {}
        Ok(Ok(Seen::Replay {
            status,
            content_type,
            body,
        })) => {
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            if let Some(ct) = content_type.and_then(|c| HeaderValue::from_str(&c).ok()) {
                response.headers_mut().insert("content-type", ct);
            }
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return response;
        }
        Ok(Ok(Seen::InFlight)) => {
            return ApiError::new(
                ErrorCode::Conflict,
                "A request with this Idempotency-Key is still being processed; retry shortly.",
            )
            .into_response();
        }
        Ok(Ok(Seen::Mismatch)) => {
            return ApiError::from(
                Error::conflict("This Idempotency-Key was used with a different request; use a fresh key for a new request.")
                    .with_param("Idempotency-Key"),
            )
            .into_response();
        }
        Ok(Err(e)) => return ApiError::from(e).into_response(),
        Err(e) => {
            return ApiError::new(ErrorCode::Internal, format!("idempotency task failed: {e}"))
                .into_response();
        }
    }

    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (rparts, rbody) = response.into_parts();
    let body = match to_bytes(rbody, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            return ApiError::new(
                ErrorCode::Internal,
                format!("could not buffer the response: {e}"),
            )
            .into_response();
        }
    };
    let status = rparts.status.as_u16();
    let content_type = rparts
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let store = state.engine.clone();
    let saved = body.to_vec();
    // A server error is not remembered: the client's retry should get a real second attempt.
    let _ = tokio::task::spawn_blocking(move || {
        settle(
            store.store(),
            &org,
            &key,
            status,
            content_type.as_deref(),
            &saved,
        )
    })
    .await;
    Response::from_parts(rparts, Body::from(body))
}

fn claim(
    store: &crate::engine::store::Store,
    org: &OrgId,
    key: &str,
    fingerprint: &[u8],
) -> Result<Seen, Error> {
    let now = Timestamp::now().millis();
    store.write(|tx| {
        tx.execute("DELETE FROM idempotency WHERE created_at < ?1", [now - TTL_MS])?;
        let found: Option<Stored> = tx
            .query_row(
                "SELECT fingerprint, status, content_type, body FROM idempotency WHERE org_id = ?1 AND key = ?2",
                params![org, key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        Ok(match found {
            None => {
                tx.execute(
                    "INSERT INTO idempotency (org_id, key, fingerprint, created_at) VALUES (?1, ?2, ?3, ?4)",
                    params![org, key, fingerprint, now],
                )?;
                Seen::New
            }
            Some((f, _, _, _)) if f != fingerprint => Seen::Mismatch,
            Some((_, Some(status), content_type, body)) => Seen::Replay { status, content_type, body: body.unwrap_or_default() },
            Some((_, None, _, _)) => Seen::InFlight,
        })
    })
}

fn settle(
    store: &crate::engine::store::Store,
    org: &OrgId,
    key: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), Error> {
    store.write(|tx| {
        if status >= 500 {
            tx.execute("DELETE FROM idempotency WHERE org_id = ?1 AND key = ?2", params![org, key])?;
        } else {
            tx.execute(
                "UPDATE idempotency SET status = ?3, content_type = ?4, body = ?5 WHERE org_id = ?1 AND key = ?2",
                params![org, key, status, content_type, body],
            )?;
        }
        Ok(())
    })
}
