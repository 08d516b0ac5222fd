//! Integrations: pushing a job's leads to a provider (reference: `POST /v1/jobs/{id}/push`),
//! the pushes recorded for a job, and enrichment (additive: `POST /v1/jobs/{id}/enrich`).

use axum::Json;
use serde_json::{Value, json};

use crate::model::push::{
    EnrichProvider, EnrichRequest, EnrichResult, PushProvider, PushRequest, PushResult,
};
use crate::model::{Error, JobId};
use crate::server::context::{Caller, Id};
use crate::server::error::ApiResult;
use crate::server::extract::Body;
use crate::server::keys::Scope;

pub async fn push(
    c: Caller,
    Id(id): Id<JobId>,
    Body(req): Body<Option<PushRequest>>,
) -> ApiResult<Json<PushResult>> {
    c.require(Scope::Integrations)?;
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
    Ok(Json(c.engine.push(&id, req, None).await?))
}

pub async fn list(c: Caller, Id(id): Id<JobId>) -> ApiResult<Json<Value>> {
    let pushes = c.engine.pushes(&id).await?;
    Ok(Json(
        json!({ "object": "list", "data": pushes, "has_more": false, "next_cursor": null }),
    ))
}

/// `GET /v1/integrations`: every provider and whether this server is configured for it.
pub async fn list_integrations(c: Caller) -> ApiResult<Json<Value>> {
    let mut list = c.engine.integrations();
    if let Some(file) = list.iter_mut().find(|i| i.provider == "file") {
        file.connected = false;
        file.detail = "written by the client, never on the server".into();
    }
    Ok(Json(
        json!({ "object": "list", "data": list, "has_more": false, "next_cursor": null }),
    ))
}

pub async fn enrich(
    c: Caller,
    Id(id): Id<JobId>,
    Body(req): Body<Option<EnrichRequest>>,
) -> ApiResult<Json<EnrichResult>> {
    c.require(Scope::Integrations)?;
    let req = req.unwrap_or_else(|| EnrichRequest::new(EnrichProvider::Modernleads));
    Ok(Json(c.engine.enrich(&id, req, None).await?))
}
