//! The `/v1` routes, grouped by resource.

mod account;
mod artifacts;
mod integrations;
mod jobs;
mod search;
mod threads;

use axum::Router;
use axum::http::{Method, StatusCode, Uri};
use axum::routing::{get, post};

use super::AppState;
use super::error::ApiError;
use super::extract::Params;
use super::webhooks as wh;
use crate::model::list::decode_cursor;
use crate::model::{ErrorCode, Order, PageParams, Timestamp};

pub(crate) fn authed() -> Router<AppState> {
    Router::new()
        .route("/v1/threads", post(threads::create).get(threads::list))
        .route(
            "/v1/threads/{id}",
            get(threads::get)
                .patch(threads::update)
                .delete(threads::delete),
        )
        .route(
            "/v1/threads/{id}/messages",
            post(threads::post_message).get(threads::list_messages),
        )
        .route("/v1/plans/{id}", get(threads::get_plan))
        .route("/v1/plans/{id}/replan", post(threads::replan))
        .route("/v1/jobs", get(jobs::list))
        .route("/v1/jobs/{id}", get(jobs::get))
        .route("/v1/jobs/{id}/approve", post(jobs::approve))
        .route("/v1/jobs/{id}/stop", post(jobs::stop))
        .route("/v1/jobs/{id}/logs", get(jobs::logs))
        .route("/v1/jobs/{id}/stream", get(jobs::stream))
        .route("/v1/jobs/{id}/leads", get(jobs::leads))
        .route("/v1/jobs/{id}/summary", get(jobs::summary))
        .route(
            "/v1/jobs/{id}/push",
            post(integrations::push).get(integrations::list),
        )
        .route("/v1/jobs/{id}/enrich", post(integrations::enrich))
        .route("/v1/integrations", get(integrations::list_integrations))
        .route("/v1/artifacts/{id}", get(artifacts::get))
        .route("/v1/search", post(search::search))
        .route("/v1/usage", get(account::usage))
        .route("/v1/me", get(account::me))
        .route(
            "/v1/api-keys",
            get(account::list_keys).post(account::create_key),
        )
        .route(
            "/v1/api-keys/{id}",
            axum::routing::delete(account::revoke_key),
        )
        .route("/v1/webhooks", post(wh::create).get(wh::index))
        .route(
            "/v1/webhooks/{id}",
            get(wh::get).patch(wh::update).delete(wh::delete),
        )
        .route("/v1/webhooks/{id}/rotate", post(wh::rotate))
        .route("/v1/webhooks/{id}/test", post(wh::test))
        .route("/v1/webhooks/{id}/deliveries", get(wh::deliveries))
        .route("/v1/webhook_deliveries", get(wh::all_deliveries))
        .route("/v1/webhook_events", get(wh::events))
}

/// Routes that carry their own authorisation (a signed URL).
pub(crate) fn public() -> Router<AppState> {
    Router::new().route("/v1/artifacts/{id}/download", get(artifacts::download))
}

pub(crate) async fn not_found() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "No such endpoint. The API lives under /v1 (see the Leadex v1 reference).",
    )
}

/// A known path with a method it does not take: 405 in the envelope (axum adds `Allow`).
pub(crate) async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidRequest,
        format!(
            "{} is not allowed on {}; the Allow header lists the methods it takes.",
            crate::text::sanitize_inline(method.as_str()),
            crate::text::sanitize_inline(uri.path())
        ),
    )
    .with_status(StatusCode::METHOD_NOT_ALLOWED)
}

/// `limit`, `cursor` and `order` from the query string.
pub(crate) fn page(params: &Params) -> Result<PageParams, ApiError> {
    let order = match params.one("order") {
        None | Some("") => None,
        Some("asc") => Some(Order::Asc),
        Some("desc") => Some(Order::Desc),
        Some(other) => {
            return Err(crate::model::Error::invalid(format!(
                "order must be asc or desc; got `{}`.",
                crate::text::sanitize_inline(other)
            ))
            .with_param("order")
            .into());
        }
    };
    Ok(PageParams {
        limit: params.parse("limit", "a whole number from 1 to 100")?,
        cursor: match params.one("cursor") {
            None | Some("") => None,
            // Checked here too, so a bad cursor is a 400 before any other work.
            Some(raw) => decode_cursor(raw).map(|_| Some(raw.to_string()))?,
        },
        order,
    })
}

/// A timestamp filter such as `created_after`: ISO 8601 with a time (`2026-04-21T14:22:01Z`, any
/// offset) or a bare date (midnight UTC); anything else is a 400 naming the parameter, never a
/// filter silently dropped.
pub(crate) fn timestamp(params: &Params, key: &str) -> Result<Option<Timestamp>, ApiError> {
    let Some(raw) = params.one(key).map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let parsed = Timestamp::parse(raw).or_else(|| {
        chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| Timestamp::from_millis(t.and_utc().timestamp_millis()))
    });
    match parsed {
        Some(t) => Ok(Some(t)),
        None => Err(crate::model::Error::invalid(format!(
            "`{key}` must be an ISO 8601 timestamp such as 2026-04-21T14:22:01Z or a date such as 2026-04-21; got `{}`.",
            crate::text::sanitize_inline(raw)
        ))
        .with_param(key)
        .into()),
    }
}
