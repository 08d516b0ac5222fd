//! Threads, messages and plans.

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::json;

use super::page;
use crate::model::requests::{
    CreateThread, PostMessage, PostedMessage, Replan, ThreadPatch, ThreadQuery,
};
use crate::model::{JobStatus, Message, Page, Plan, PlanId, Thread, ThreadId};
use crate::server::AppState;
use crate::server::error::ApiResult;
use crate::server::extract::{Body, Params};
use crate::server::gate::Principal;
use crate::server::keys::Scope;

pub async fn create(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(req): Body<CreateThread>,
) -> ApiResult<(StatusCode, Json<Thread>)> {
    p.require(Scope::Run)?;
    Ok((StatusCode::OK, Json(p.engine(&s).create_thread(req).await?)))
}

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    params: Params,
) -> ApiResult<Json<Page<Thread>>> {
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
    Ok(Json(p.engine(&s).list_threads(query).await?))
}

pub async fn get(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Thread>> {
    Ok(Json(p.engine(&s).get_thread(&ThreadId::parse(&id)?).await?))
}

pub async fn update(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Body(patch): Body<ThreadPatch>,
) -> ApiResult<Json<Thread>> {
    p.require(Scope::Run)?;
    Ok(Json(
        p.engine(&s)
            .update_thread(&ThreadId::parse(&id)?, patch)
            .await?,
    ))
}

pub async fn delete(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<impl IntoResponse> {
    p.require(Scope::Run)?;
    let id = ThreadId::parse(&id)?;
    p.engine(&s)
        .delete_thread(&id, params.flag("force"))
        .await?;
    Ok(Json(json!({"id": id, "object": "thread", "deleted": true})))
}

pub async fn post_message(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Body(req): Body<PostMessage>,
) -> ApiResult<Json<PostedMessage>> {
    p.require(Scope::Run)?;
    Ok(Json(
        p.engine(&s)
            .post_message(&ThreadId::parse(&id)?, req)
            .await?,
    ))
}

pub async fn list_messages(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Page<Message>>> {
    Ok(Json(
        p.engine(&s)
            .list_messages(&ThreadId::parse(&id)?, page(&params)?)
            .await?,
    ))
}

pub async fn get_plan(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Plan>> {
    Ok(Json(p.engine(&s).get_plan(&PlanId::parse(&id)?).await?))
}

pub async fn replan(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Body(req): Body<Replan>,
) -> ApiResult<Json<PostedMessage>> {
    p.require(Scope::Run)?;
    Ok(Json(
        p.engine(&s)
            .replan(&PlanId::parse(&id)?, &req.feedback)
            .await?,
    ))
}
