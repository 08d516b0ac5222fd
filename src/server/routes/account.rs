//! Usage, the current principal, and API keys.

use axum::Json;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::model::{Timestamp, Usage};
use crate::server::context::{Caller, Id};
use crate::server::error::ApiResult;
use crate::server::extract::Body;
use crate::server::keys::{self, ApiKey, MintedKey, Scope};

pub async fn usage(c: Caller) -> ApiResult<Json<Usage>> {
    Ok(Json(c.engine.usage().await?))
}

pub async fn me(c: Caller) -> Json<Value> {
    Json(json!({
        "object": "principal",
        "key": c.key,
        "organization": {"id": c.key.organization, "object": "organization"},
        "livemode": c.key.livemode,
    }))
}

pub async fn list_keys(c: Caller) -> ApiResult<Json<Value>> {
    c.require(Scope::Admin)?;
    let org = c.key.organization.clone();
    let engine = c.engine.clone();
    let keys: Vec<ApiKey> = tokio::task::spawn_blocking(move || keys::list(engine.store(), &org))
        .await
        .map_err(|e| crate::model::Error::internal(e.to_string()))??;
    Ok(Json(
        json!({"object": "list", "data": keys, "has_more": false, "next_cursor": null, "total": keys.len()}),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct CreateKey {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scopes: Option<Vec<String>>,
    #[serde(default)]
    expires_at: Option<Timestamp>,
}

pub async fn create_key(c: Caller, Body(req): Body<CreateKey>) -> ApiResult<Json<MintedKey>> {
    c.require(Scope::Admin)?;
    let scopes = match req.scopes {
        None => vec![Scope::Read, Scope::Run],
        Some(list) => list
            .iter()
            .map(|s| Scope::parse(s))
            .collect::<Result<Vec<_>, _>>()?,
    };
    let (org, live, engine) = (c.key.organization.clone(), c.key.livemode, c.engine.clone());
    let minted = tokio::task::spawn_blocking(move || {
        keys::mint(
            engine.store(),
            &org,
            &req.name,
            &scopes,
            live,
            req.expires_at,
        )
    })
    .await
    .map_err(|e| crate::model::Error::internal(e.to_string()))??;
    Ok(Json(minted))
}

pub async fn revoke_key(c: Caller, Id(id): Id<String>) -> ApiResult<Json<ApiKey>> {
    c.require(Scope::Admin)?;
    let (org, engine) = (c.key.organization.clone(), c.engine.clone());
    let key = tokio::task::spawn_blocking(move || keys::revoke(engine.store(), &org, &id))
        .await
        .map_err(|e| crate::model::Error::internal(e.to_string()))??;
    Ok(Json(key))
}
