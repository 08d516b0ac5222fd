//! Integrations: pushing a job's leads to a provider (reference: `POST /v1/jobs/{id}/push`),
//! the pushes recorded for a job, and enrichment (additive: `POST /v1/jobs/{id}/enrich`).

use axum::Json;
use axum::extract::{Extension, Path, State};
use serde_json::{Value, json};

use crate::model::push::{
    EnrichProvider, EnrichRequest, EnrichResult, PushProvider, PushRequest, PushResult,
};
use crate::model::{Error, JobId};
use crate::server::AppState;
use crate::server::error::ApiResult;
use crate::server::extract::Body;
use crate::server::gate::Principal;
use crate::server::keys::Scope;

pub async fn push(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Body(req): Body<Option<PushRequest>>,
) -> ApiResult<Json<PushResult>> {
    p.require(Scope::Integrations)?;
    let req = req.ok_or_else(|| {
        Error::invalid(
            "a push needs a body: {\"provider\": \"hubspot\", \"mode\": \"contacts\", …}.",
        )
        .with_param("provider")
    })?;
    if req.provider == PushProvider::File {
        // A server writing files wherever a client names would be a hole; clients write files
        // themselves from the leads (`leadline push --provider file` does that remotely).
        return Err(Error::invalid(
            "the file provider writes on the client's machine, not the server's: download the leads (GET /v1/jobs/{id}/leads or the artifact) instead.",
        )
        .with_param("provider")
        .into());
    }
    let job = JobId::parse(&id)?;
    Ok(Json(p.engine(&s).push(&job, req, None).await?))
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let pushes = p.engine(&s).pushes(&JobId::parse(&id)?).await?;
    Ok(Json(
        json!({ "object": "list", "data": pushes, "has_more": false, "next_cursor": null }),
    ))
}

/// `GET /v1/integrations`: every provider and whether this server is configured for it.
pub async fn list_integrations(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
) -> ApiResult<Json<Value>> {
    let mut list = p.engine(&s).integrations();
    if let Some(file) = list.iter_mut().find(|i| i.provider == "file") {
        file.connected = false;
        file.detail = "written by the client, never on the server".into();
    }
    Ok(Json(
        json!({ "object": "list", "data": list, "has_more": false, "next_cursor": null }),
    ))
}

pub async fn enrich(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Body(req): Body<Option<EnrichRequest>>,
) -> ApiResult<Json<EnrichResult>> {
    p.require(Scope::Integrations)?;
    let req = req.unwrap_or_else(|| EnrichRequest::new(EnrichProvider::Modernleads));
    let job = JobId::parse(&id)?;
    Ok(Json(p.engine(&s).enrich(&job, req, None).await?))
}
