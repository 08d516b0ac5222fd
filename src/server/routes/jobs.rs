//! Jobs: approve, stop, read, list, logs, the SSE stream, leads and summary.

use std::convert::Infallible;

use axum::Json;
use axum::extract::{Extension, Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use serde_json::{Value, json};

use super::page;
use crate::model::requests::{Approve, JobQuery, LeadQuery};
use crate::model::{Error, EventId, Job, JobId, JobStatus, Lead, Page, ThreadId};
use crate::server::AppState;
use crate::server::error::ApiResult;
use crate::server::extract::{Body, Params};
use crate::server::gate::Principal;
use crate::server::keys::Scope;

pub async fn list(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    params: Params,
) -> ApiResult<Json<Page<Job>>> {
    let mut status = Vec::new();
    for raw in params
        .all("status")
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|v| !v.is_empty())
    {
        status.push(JobStatus::parse(raw).ok_or_else(|| {
            Error::invalid(format!(
                "unknown status `{}`: use pending, running, succeeded, failed or stopped.",
                crate::text::sanitize_inline(raw)
            ))
            .with_param("status")
        })?);
    }
    let thread_id = params
        .one("thread_id")
        .filter(|v| !v.is_empty())
        .map(ThreadId::parse)
        .transpose()?;
    Ok(Json(
        p.engine(&s)
            .list_jobs(JobQuery {
                page: page(&params)?,
                status,
                thread_id,
            })
            .await?,
    ))
}

pub async fn get(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Job>> {
    Ok(Json(p.engine(&s).get_job(&JobId::parse(&id)?).await?))
}

pub async fn approve(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    Body(req): Body<Approve>,
) -> ApiResult<Json<Job>> {
    p.require(Scope::Run)?;
    Ok(Json(p.engine(&s).approve(&JobId::parse(&id)?, req).await?))
}

pub async fn stop(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Job>> {
    p.require(Scope::Run)?;
    Ok(Json(p.engine(&s).stop(&JobId::parse(&id)?).await?))
}

/// Every event the job recorded: the entries the stream delivered (or will replay).
/// `?leads=false` (additive) leaves the leads out of `result` events, keeping their counters.
pub async fn logs(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Value>> {
    let id = JobId::parse(&id)?;
    let engine = p.engine(&s);
    let events = if params.one("leads") == Some("false") {
        engine.job_log(&id).await?
    } else {
        engine.job_events(&id, None).await?
    };
    Ok(Json(
        json!({"object": "list", "data": events, "has_more": false, "next_cursor": null, "total": events.len()}),
    ))
}

/// SSE: stored events after `Last-Event-ID`, then live ones; `id:` on each, a `:ping` comment
/// between them, and the stream closes after `done` or `error`.
pub async fn stream(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    headers: HeaderMap,
    params: Params,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let job = JobId::parse(&id)?;
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .or(params.one("last_event_id"))
        .map(|raw| {
            EventId::parse(raw).ok_or_else(|| {
                Error::invalid("Last-Event-ID must be an event id such as evt_42.")
                    .with_param("Last-Event-ID")
            })
        })
        .transpose()?;
    let events = p.engine(&s).subscribe(&job, after).await?;
    let sse = events.map(|item| {
        Ok(match item {
            Ok(e) => SseEvent::default()
                .id(e.id.to_string())
                .event(e.kind.as_str())
                .data(serde_json::to_string(&e.data).unwrap_or_else(|_| "{}".into())),
            // A store failure mid-stream: tell the client (it will reconnect and resume).
            Err(err) => SseEvent::default().comment(format!(
                "error {}",
                crate::text::sanitize_inline(&err.message)
            )),
        })
    });
    Ok(Sse::new(sse).keep_alive(KeepAlive::new().interval(s.options.heartbeat).text("ping")))
}

pub async fn leads(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
    params: Params,
) -> ApiResult<Json<Page<Lead>>> {
    let query = LeadQuery {
        page: page(&params)?,
        min_confidence: params.parse("min_confidence", "a number from 0 to 1")?,
        has_field: params.all("has_field"),
    };
    Ok(Json(
        p.engine(&s).list_leads(&JobId::parse(&id)?, query).await?,
    ))
}

/// The result summary with its numbers and caveats.
pub async fn summary(
    State(s): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let engine = p.engine(&s);
    let job = engine.get_job(&JobId::parse(&id)?).await?;
    let plan = engine.get_plan(&job.plan_id).await?;
    let target = plan.icp.target_rows();
    let mut caveats = Vec::new();
    if !job.livemode {
        caveats.push("Test mode: the leads are synthetic and must not be contacted.".to_string());
    }
    if job.status == JobStatus::Stopped {
        caveats.push("The job was stopped; the results are partial.".to_string());
    }
    if job.rows_captured < u64::from(target) && job.status == JobStatus::Succeeded {
        caveats.push(format!(
            "Fewer rows than requested ({} of {target}).",
            job.rows_captured
        ));
    }
    Ok(Json(json!({
        "object": "summary",
        "job_id": job.id,
        "status": job.status,
        "summary": job.summary,
        "rows": job.rows_captured,
        "rows_requested": target,
        "credits_used": job.credits_used,
        "caveats": caveats,
    })))
}
