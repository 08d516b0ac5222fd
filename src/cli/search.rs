//! From a prompt to a plan (`plan`, `replan`) or all the way to the leads (`search`).

use serde_json::Value;

use super::args::Format;
use super::commands::Outcome;
use super::jobs::{job_outcome, wait_for};
use super::output;
use crate::backend::Backend;
use crate::model::requests::{
    Approve, Attachment, CreateThread, ExportFormat, Hints, PostMessage, PostedMessage,
};
use crate::model::{PlanId, ThreadId};

pub(super) async fn search(
    b: &dyn Backend,
    prompt: String,
    max_rows: Option<u32>,
    max_credits: Option<u32>,
    attach: &[String],
    format: Format,
) -> Outcome {
    let thread = b.create_thread(CreateThread::default()).await?;
    let hints = max_rows.map(|n| Hints {
        max_rows: Some(n),
        preferred_sources: None,
    });
    let posted = b
        .post_message(
            &thread.id,
            PostMessage {
                content: prompt,
                hints,
                attachments: attachments(attach),
                ..PostMessage::default()
            },
        )
        .await?;
    eprintln!(
        "Plan: {} ({} credits estimated)",
        crate::text::sanitize_inline(&posted.plan.title),
        posted.plan.credits_estimate
    );
    b.approve(
        &posted.job.id,
        Approve {
            max_credits,
            webhook_url: None,
        },
    )
    .await?;
    let job = wait_for(b, &posted.job.id).await?;
    job_outcome(&job)?;
    match format {
        Format::Csv => output::bytes(&b.export(&job.id, ExportFormat::Csv).await?)?,
        _ => {
            let leads = b.all_leads(&job.id).await?;
            let mut value = serde_json::to_value(&job).map_err(|e| anyhow::anyhow!(e))?;
            if let Value::Object(map) = &mut value {
                map.insert(
                    "leads".into(),
                    serde_json::to_value(&leads).map_err(|e| anyhow::anyhow!(e))?,
                );
            }
            output::json(&value)?;
        }
    }
    Ok(())
}

pub(super) async fn plan(
    b: &dyn Backend,
    prompt: String,
    thread: Option<String>,
    attach: &[String],
    format: Format,
) -> Outcome {
    let thread = match thread {
        Some(id) => ThreadId::parse(&id)?,
        None => b.create_thread(CreateThread::default()).await?.id,
    };
    let posted = b
        .post_message(
            &thread,
            PostMessage {
                content: prompt,
                attachments: attachments(attach),
                ..PostMessage::default()
            },
        )
        .await?;
    print_posted(&posted, format)
}

pub(super) async fn replan(b: &dyn Backend, plan: &str, feedback: &str, format: Format) -> Outcome {
    let posted = b.replan(&PlanId::parse(plan)?, feedback).await?;
    print_posted(&posted, format)
}

fn print_posted(posted: &PostedMessage, format: Format) -> Outcome {
    match format {
        Format::Text => output::text(&output::plan(&posted.plan, &posted.job))?,
        _ => output::json(&posted.plan)?,
    }
    Ok(())
}

/// `--attach` values as attachments: an http(s) URL as is; a local path made absolute (a
/// remote server cannot read it, and says so); `.txt` and `.list` files are URL lists.
fn attachments(attach: &[String]) -> Vec<Attachment> {
    attach
        .iter()
        .map(|raw| {
            let kind = if raw.ends_with(".txt") || raw.ends_with(".list") {
                "url_list"
            } else {
                "csv"
            };
            let url = if raw.starts_with("http://") || raw.starts_with("https://") {
                raw.clone()
            } else {
                let path = std::path::absolute(raw).unwrap_or_else(|_| raw.into());
                format!("file://{}", path.display())
            };
            Attachment {
                kind: kind.into(),
                url,
            }
        })
        .collect()
}
