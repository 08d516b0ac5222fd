//! Sending a job's leads elsewhere (`push`) and enriching them with a provider (`enrich`).

use super::Failure;
use super::args::Format;
use super::commands::Outcome;
use super::output;
use crate::backend::Backend;
use crate::model::JobId;
use crate::model::push::{EnrichRequest, IntegrationProgress, PushRequest};

/// `push`'s flags besides the job and the output format.
pub(super) struct PushArgs {
    pub provider: String,
    pub mode: String,
    pub list_id: Option<String>,
    pub dry_run: bool,
    pub force: bool,
    pub allow_test_data: bool,
}

pub(super) async fn push(b: &dyn Backend, job: &str, how: PushArgs, format: Format) -> Outcome {
    let request = PushRequest {
        provider: how.provider.parse()?,
        mode: how.mode.parse()?,
        list_id: how.list_id,
        mapping: None,
        dry_run: how.dry_run,
        force: how.force,
        allow_test_data: how.allow_test_data,
    };
    let job = JobId::parse(job)?;
    let (tx, rx) = tokio::sync::watch::channel(IntegrationProgress::default());
    let reporter = output::progress_reporter(rx, "push");
    let result = b.push(&job, request, Some(tx)).await;
    reporter.abort();
    let result = result?;
    match format {
        Format::Json | Format::Csv => output::json(&result)?,
        Format::Text => output::text(&output::push(&result))?,
    }
    if result.errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Other(anyhow::anyhow!(
            "{} item(s) failed; push again to retry only those",
            result.errors.len()
        )))
    }
}

pub(super) async fn enrich(
    b: &dyn Backend,
    job: &str,
    provider: &str,
    verify: bool,
    lookup: bool,
    qualify: bool,
    format: Format,
) -> Outcome {
    let request = EnrichRequest {
        provider: provider.parse()?,
        verify,
        lookup,
        qualify,
    }
    .normalised();
    let job = JobId::parse(job)?;
    let (tx, rx) = tokio::sync::watch::channel(IntegrationProgress::default());
    let reporter = output::progress_reporter(rx, "enrich");
    let result = b.enrich(&job, request, Some(tx)).await;
    reporter.abort();
    let result = result?;
    match format {
        Format::Json | Format::Csv => output::json(&result)?,
        Format::Text => output::text(&output::enrich(&result))?,
    }
    Ok(())
}
