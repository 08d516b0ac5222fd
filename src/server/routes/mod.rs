//! The `/v1` routes, grouped by resource.

mod account;
mod artifacts;
mod integrations;
mod jobs;
mod search;
mod threads;

use axum::Router;
use axum::routing::{get, post};

use super::AppState;
use super::error::ApiError;
use super::extract::Params;
use super::webhooks as wh;
use crate::model::{ErrorCode, Order, PageParams};

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
        .route("/v1/webhooks/{id}", axum::routing::delete(wh::delete))
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
        cursor: params.one("cursor").map(str::to_string),
        order,
    })
}
