//! `POST /v1/search`: thread → plan → auto-approve → leads, in one call.

use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::Deserialize;
use serde_json::Value;

use crate::model::requests::{Approve, CreateThread, ExportFormat, Hints, PostMessage};
use crate::model::{Error, JobStatus};
use crate::server::context::Caller;
use crate::server::error::ApiResult;
use crate::server::extract::Body;
use crate::server::keys::Scope;

#[derive(Debug, Default, Deserialize)]
pub struct SearchRequest {
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    max_rows: Option<u32>,
    #[serde(default)]
    max_credits: Option<u32>,
    #[serde(default)]
    wait: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

pub async fn search(c: Caller, Body(req): Body<SearchRequest>) -> ApiResult<Response> {
    c.require(Scope::Run)?;
    if let Some(n) = req.max_rows
        && !(1..=2_000).contains(&n)
    {
        return Err(
            Error::invalid(format!("max_rows must be between 1 and 2,000; got {n}."))
                .with_param("max_rows")
                .into(),
        );
    }
    let wait_sync = match req.wait.as_deref() {
        None | Some("sync") => true,
        Some("async") => false,
        Some(_) => {
            return Err(Error::invalid("wait must be sync or async.")
                .with_param("wait")
                .into());
        }
    };
    let format = match req.format.as_deref() {
        None | Some("json") => ExportFormat::Json,
        Some("csv") => ExportFormat::Csv,
        Some("xlsx") => ExportFormat::Xlsx,
        Some(_) => {
            return Err(Error::invalid("format must be json, csv or xlsx.")
                .with_param("format")
                .into());
        }
    };
    let engine = c.engine;
    let thread = engine.create_thread(CreateThread::default()).await?;
    let hints = Some(Hints {
        max_rows: Some(req.max_rows.unwrap_or(200)),
        preferred_sources: None,
    });
    let posted = engine
        .post_message(
            &thread.id,
            PostMessage {
                content: req.prompt,
                hints,
                ..PostMessage::default()
            },
        )
        .await?;
    let job = engine
        .approve(
            &posted.job.id,
            Approve {
                max_credits: req.max_credits,
                webhook_url: None,
            },
        )
        .await?;
    if !wait_sync {
        return Ok(Json(job).into_response());
    }
    let mut events = engine.subscribe(&job.id, None).await?;
    while let Some(event) = events.next().await {
        event?;
    }
    let job = engine.get_job(&job.id).await?;
    if job.status == JobStatus::Failed {
        let e = job
            .error
            .clone()
            .map(|e| Error::new(e.code, e.message))
            .unwrap_or_else(|| Error::internal("the job failed"));
        return Err(e.into());
    }
    match format {
        ExportFormat::Json => {
            let leads = engine.all_leads(&job.id).await?;
            let mut value =
                serde_json::to_value(&job).map_err(|e| Error::internal(e.to_string()))?;
            if let Value::Object(map) = &mut value {
                map.insert(
                    "leads".into(),
                    serde_json::to_value(leads).map_err(|e| Error::internal(e.to_string()))?,
                );
            }
            Ok(Json(value).into_response())
        }
        other => {
            let bytes = engine.export(&job.id, other).await?;
            let ct = if other == ExportFormat::Csv {
                "text/csv; charset=utf-8"
            } else {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            };
            let mut response = bytes.into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            Ok(response)
        }
    }
}
