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
    /// Required; a missing one is a 400 here, an empty one the planner's 422 (as the reference
    /// lists an empty prompt among its 422s).
    #[serde(default)]
    prompt: Option<String>,
    #[serde(default)]
    max_rows: Option<u32>,
    #[serde(default)]
    max_credits: Option<u32>,
    #[serde(default)]
    wait: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

/// A search request once every field has been checked.
struct Checked {
    prompt: String,
    max_rows: u32,
    max_credits: Option<u32>,
    wait_sync: bool,
    format: ExportFormat,
}

impl SearchRequest {
    fn check(self) -> Result<Checked, Error> {
        let Some(prompt) = self.prompt else {
            return Err(Error::invalid(
                "prompt is required: {\"prompt\": \"Series A fintechs in Spain\", …}.",
            )
            .with_param("prompt"));
        };
        let max_rows = self.max_rows.unwrap_or(200);
        if !(1..=2_000).contains(&max_rows) {
            return Err(Error::invalid(format!(
                "max_rows must be between 1 and 2,000; got {max_rows}."
            ))
            .with_param("max_rows"));
        }
        let wait_sync = match self.wait.as_deref() {
            None | Some("sync") => true,
            Some("async") => false,
            Some(_) => return Err(Error::invalid("wait must be sync or async.").with_param("wait")),
        };
        let format = match self.format.as_deref() {
            None | Some("json") => ExportFormat::Json,
            Some("csv") => ExportFormat::Csv,
            Some("xlsx") => ExportFormat::Xlsx,
            Some(_) => {
                return Err(
                    Error::invalid("format must be json, csv or xlsx.").with_param("format")
                );
            }
        };
        Ok(Checked {
            prompt,
            max_rows,
            max_credits: self.max_credits,
            wait_sync,
            format,
        })
    }
}

pub async fn search(c: Caller, body: Body) -> ApiResult<Response> {
    c.require(Scope::Run)?;
    let req = body.parse::<SearchRequest>()?.check()?;
    let engine = c.engine;
    let thread = engine.create_thread(CreateThread::default()).await?;
    let hints = Some(Hints {
        max_rows: Some(req.max_rows),
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
    if !req.wait_sync {
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
    match req.format {
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
