//! Usage, the current principal, and API keys.

use axum::Json;
use axum::extract::{Extension, Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::model::{Timestamp, Usage};
use crate::server::AppState;
use crate::server::error::ApiResult;
use crate::server::extract::Body;
use crate::server::gate::Principal;
use crate::server::keys::{self, ApiKey, MintedKey, Scope};

pub async fn usage(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
) -> ApiResult<Json<Usage>> {
    Ok(Json(p.engine(&s).usage().await?))
}

pub async fn me(Extension(p): Extension<Principal>) -> Json<Value> {
    Json(json!({
        "object": "principal",
        "key": p.key,
        "organization": {"id": p.key.organization, "object": "organization"},
        "livemode": p.key.livemode,
    }))
}

pub async fn list_keys(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
) -> ApiResult<Json<Value>> {
    p.require(Scope::Admin)?;
    let org = p.key.organization.clone();
    let engine = s.engine.clone();
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

pub async fn create_key(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(req): Body<CreateKey>,
) -> ApiResult<Json<MintedKey>> {
    p.require(Scope::Admin)?;
    let scopes = match req.scopes {
        None => vec![Scope::Read, Scope::Run],
        Some(list) => list
            .iter()
            .map(|s| Scope::parse(s))
            .collect::<Result<Vec<_>, _>>()?,
    };
    let (org, live, engine) = (p.key.organization.clone(), p.key.livemode, s.engine.clone());
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

pub async fn revoke_key(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<ApiKey>> {
    p.require(Scope::Admin)?;
    let (org, engine) = (p.key.organization.clone(), s.engine.clone());
    let key = tokio::task::spawn_blocking(move || keys::revoke(engine.store(), &org, &id))
        .await
        .map_err(|e| crate::model::Error::internal(e.to_string()))??;
    Ok(Json(key))
}
