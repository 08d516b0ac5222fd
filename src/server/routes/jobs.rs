//! Jobs: approve, stop, read, list, logs, the SSE stream, leads and summary.

use std::convert::Infallible;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use serde_json::{Value, json};

use super::{page, timestamp};
use crate::model::requests::{Approve, JobQuery, LeadQuery};
use crate::model::{Error, EventId, Job, JobId, JobStatus, Lead, Page, ThreadId};
use crate::server::AppState;
use crate::server::context::{Caller, Id};
use crate::server::error::ApiResult;
use crate::server::extract::{Body, Params};
use crate::server::keys::Scope;

pub async fn list(c: Caller, params: Params) -> ApiResult<Json<Page<Job>>> {
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
        c.engine
            .list_jobs(JobQuery {
                page: page(&params)?,
                status,
                thread_id,
                created_after: timestamp(&params, "created_after")?,
                created_before: timestamp(&params, "created_before")?,
            })
            .await?,
    ))
}

pub async fn get(c: Caller, Id(id): Id<JobId>) -> ApiResult<Json<Job>> {
    Ok(Json(c.engine.get_job(&id).await?))
}

pub async fn approve(c: Caller, Id(id): Id<JobId>, body: Body) -> ApiResult<Json<Job>> {
    c.require(Scope::Run)?;
    c.engine.get_job(&id).await?;
    let req: Approve = body.parse()?;
    // The engine checks `webhook_url` and publishes the job's events (as it does for jobs
    // approved from the CLI or the TUI).
    Ok(Json(c.engine.approve(&id, req).await?))
}

pub async fn stop(c: Caller, Id(id): Id<JobId>) -> ApiResult<Json<Job>> {
    c.require(Scope::Run)?;
    Ok(Json(c.engine.stop(&id).await?))
}

/// Every event the job recorded: the entries the stream delivered (or will replay).
/// `?leads=false` (additive) leaves the leads out of `result` events, keeping their counters.
pub async fn logs(c: Caller, Id(id): Id<JobId>, params: Params) -> ApiResult<Json<Value>> {
    let engine = c.engine;
    let events = if !params.flag("leads", true)? {
        engine.job_log(&id).await?
    } else {
        engine.job_events(&id, None).await?
    };
    Ok(Json(
        json!({"object": "list", "data": events, "has_more": false, "next_cursor": null, "total": events.len()}),
    ))
}

/// SSE: stored events after `Last-Event-ID`, then live ones; `id:` on each, a `:ping` comment
/// between them, and the stream closes after `done`, `error` or `stopped`.
pub async fn stream(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id<JobId>,
    headers: HeaderMap,
    params: Params,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
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
    let events = c.engine.subscribe(&id, after).await?;
    // A shutting-down server ends its streams at once; clients resume from Last-Event-ID.
    let sse = events
        .take_until(s.shutdown.clone().cancelled_owned())
        .map(|item| {
            Ok(match item {
                Ok(e) => SseEvent::default()
                    .id(e.id.to_string())
                    .event(e.kind.sse_name(&e.data))
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

pub async fn leads(c: Caller, Id(id): Id<JobId>, params: Params) -> ApiResult<Json<Page<Lead>>> {
    let query = LeadQuery {
        page: page(&params)?,
        min_confidence: params.parse("min_confidence", "a number from 0 to 1")?,
        has_field: params.all("has_field"),
    };
    Ok(Json(c.engine.list_leads(&id, query).await?))
}

/// The result summary with its numbers and caveats.
pub async fn summary(c: Caller, Id(id): Id<JobId>) -> ApiResult<Json<Value>> {
    let engine = c.engine;
    let job = engine.get_job(&id).await?;
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
