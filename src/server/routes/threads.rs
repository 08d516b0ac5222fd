//! Threads, messages and plans.

use axum::Json;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::json;

use super::page;
use crate::model::requests::{
    CreateThread, PostMessage, PostedMessage, Replan, ThreadPatch, ThreadQuery,
};
use crate::model::{JobStatus, Message, Page, Plan, PlanId, Thread, ThreadId};
use crate::server::context::{Caller, Id};
use crate::server::error::ApiResult;
use crate::server::extract::{Body, Params};
use crate::server::keys::Scope;

pub async fn create(
    c: Caller,
    Body(req): Body<CreateThread>,
) -> ApiResult<(StatusCode, Json<Thread>)> {
    c.require(Scope::Run)?;
    Ok((StatusCode::OK, Json(c.engine.create_thread(req).await?)))
}

pub async fn list(c: Caller, params: Params) -> ApiResult<Json<Page<Thread>>> {
    let has_job_status = match params.one("has_job_status") {
        None | Some("") => None,
        Some(raw) => Some(JobStatus::parse(raw).ok_or_else(|| {
            crate::model::Error::invalid(
                "has_job_status must be pending, running, succeeded, failed or stopped.",
            )
            .with_param("has_job_status")
        })?),
    };
    let query = ThreadQuery {
        page: page(&params)?,
        q: params.one("q").map(str::to_string),
        has_job_status,
    };
    Ok(Json(c.engine.list_threads(query).await?))
}

pub async fn get(c: Caller, Id(id): Id<ThreadId>) -> ApiResult<Json<Thread>> {
    Ok(Json(c.engine.get_thread(&id).await?))
}

pub async fn update(
    c: Caller,
    Id(id): Id<ThreadId>,
    Body(patch): Body<ThreadPatch>,
) -> ApiResult<Json<Thread>> {
    c.require(Scope::Run)?;
    Ok(Json(c.engine.update_thread(&id, patch).await?))
}

pub async fn delete(
    c: Caller,
    Id(id): Id<ThreadId>,
    params: Params,
) -> ApiResult<impl IntoResponse> {
    c.require(Scope::Run)?;
    c.engine.delete_thread(&id, params.flag("force")).await?;
    Ok(Json(json!({"id": id, "object": "thread", "deleted": true})))
}

pub async fn post_message(
    c: Caller,
    Id(id): Id<ThreadId>,
    Body(req): Body<PostMessage>,
) -> ApiResult<Json<PostedMessage>> {
    c.require(Scope::Run)?;
    Ok(Json(c.engine.post_message(&id, req).await?))
}

pub async fn list_messages(
    c: Caller,
    Id(id): Id<ThreadId>,
    params: Params,
) -> ApiResult<Json<Page<Message>>> {
    Ok(Json(c.engine.list_messages(&id, page(&params)?).await?))
}

pub async fn get_plan(c: Caller, Id(id): Id<PlanId>) -> ApiResult<Json<Plan>> {
    Ok(Json(c.engine.get_plan(&id).await?))
}

pub async fn replan(
    c: Caller,
    Id(id): Id<PlanId>,
    Body(req): Body<Replan>,
) -> ApiResult<Json<PostedMessage>> {
    c.require(Scope::Run)?;
    Ok(Json(c.engine.replan(&id, &req.feedback).await?))
}
