//! `/v1/webhooks` (register, list, read, update, delete, rotate the secret, send a test, a
//! delivery log per endpoint), `/v1/webhook_events` (the event catalogue) and
//! `/v1/webhook_deliveries` (the organisation's log). All but the catalogue need the `admin`
//! scope; the events are published and delivered by `crate::engine::webhooks`.

use axum::Json;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::engine::webhooks::{self, EndpointPatch, NewEndpoint};
use crate::server::context::{Caller, Id};
use crate::server::error::ApiResult;
use crate::server::extract::Body;
use crate::server::keys::Scope;

fn list(data: impl serde::Serialize, total: usize) -> Json<Value> {
    Json(
        json!({"object": "list", "data": data, "has_more": false, "next_cursor": null, "total": total}),
    )
}

pub async fn create(c: Caller, body: Body) -> ApiResult<(StatusCode, Json<Value>)> {
    c.require(Scope::Admin)?;
    let req: NewEndpoint = body.parse()?;
    let endpoint = c.engine.register_webhook(req).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(endpoint).unwrap_or(Value::Null)),
    ))
}

pub async fn index(c: Caller) -> ApiResult<Json<Value>> {
    c.require(Scope::Admin)?;
    let endpoints = c.engine.list_webhooks().await?;
    let n = endpoints.len();
    Ok(list(endpoints, n))
}

fn endpoint_json(endpoint: webhooks::Endpoint) -> Json<Value> {
    Json(serde_json::to_value(endpoint).unwrap_or(Value::Null))
}

pub async fn get(c: Caller, Id(id): Id<String>) -> ApiResult<Json<Value>> {
    c.require(Scope::Admin)?;
    Ok(endpoint_json(c.engine.get_webhook(&id).await?))
}

pub async fn update(c: Caller, Id(id): Id<String>, body: Body) -> ApiResult<Json<Value>> {
    c.require(Scope::Admin)?;
    // Another organisation's id is not found before its body is looked at.
    c.engine.get_webhook(&id).await?;
    let patch: EndpointPatch = body.parse()?;
    Ok(endpoint_json(c.engine.update_webhook(&id, patch).await?))
}

/// A new signing secret, in this answer only.
pub async fn rotate(c: Caller, Id(id): Id<String>) -> ApiResult<Json<Value>> {
    c.require(Scope::Admin)?;
    Ok(endpoint_json(c.engine.rotate_webhook_secret(&id).await?))
}

/// Sends a test event now and answers with the logged delivery (status code or error).
pub async fn test(c: Caller, Id(id): Id<String>) -> ApiResult<Json<Value>> {
    c.require(Scope::Admin)?;
    let delivery = c.engine.test_webhook(&id).await?;
    Ok(Json(serde_json::to_value(delivery).unwrap_or(Value::Null)))
}

pub async fn delete(c: Caller, Id(id): Id<String>) -> ApiResult<Json<Value>> {
    c.require(Scope::Admin)?;
    c.engine.delete_webhook(&id).await?;
    Ok(Json(
        json!({"id": id, "object": "webhook_endpoint", "deleted": true}),
    ))
}

pub async fn deliveries(c: Caller, Id(id): Id<String>) -> ApiResult<Json<Value>> {
    c.require(Scope::Admin)?;
    // Another organisation's endpoint is not found, not an empty log.
    if !c.engine.list_webhooks().await?.iter().any(|e| e.id == id) {
        return Err(crate::model::Error::not_found("Webhook endpoint", &id)
            .with_param("webhook_id")
            .into());
    }
    let log = c.engine.webhook_deliveries(Some(id)).await?;
    let n = log.len();
    Ok(list(log, n))
}

pub async fn all_deliveries(c: Caller) -> ApiResult<Json<Value>> {
    c.require(Scope::Admin)?;
    let log = c.engine.webhook_deliveries(None).await?;
    let n = log.len();
    Ok(list(log, n))
}

pub async fn events(_c: Caller) -> Json<Value> {
    Json(webhooks::catalogue())
}
