//! Reading results: threads, a job's leads, exports and credit usage.

use std::io::IsTerminal;
use std::path::Path;

use super::args::{FileFormat, Format, PageArgs};
use super::commands::{Outcome, page_params};
use super::output;
use crate::backend::Backend;
use crate::model::requests::{ExportFormat, LeadQuery, ThreadQuery};
use crate::model::{JobId, PageParams, Timestamp};

pub(super) async fn threads(
    b: &dyn Backend,
    q: Option<String>,
    page: PageArgs,
    format: Format,
) -> Outcome {
    let page = b
        .list_threads(ThreadQuery {
            page: page_params(page),
            q,
            has_job_status: None,
        })
        .await?;
    match format {
        Format::Json => output::json(&page)?,
        Format::Text => output::text(&output::threads(&page, Timestamp::now()))?,
        Format::Csv => output::csv_rows(
            &[
                "id",
                "title",
                "last_job_status",
                "message_count",
                "updated_at",
            ],
            page.data.iter().map(|t| {
                vec![
                    t.id.to_string(),
                    t.title.clone(),
                    t.last_job_status
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    t.message_count.to_string(),
                    t.updated_at.to_string(),
                ]
            }),
        )?,
    }
    Ok(())
}

pub(super) async fn leads(
    b: &dyn Backend,
    job: &str,
    min_confidence: Option<f64>,
    has_field: Vec<String>,
    page: PageArgs,
    format: Format,
) -> Outcome {
    let job = JobId::parse(job)?;
    let query = LeadQuery {
        page: page_params(page),
        min_confidence,
        has_field,
    };
    if format == Format::Csv {
        return all_leads_csv(b, &job, query).await;
    }
    let page = b.list_leads(&job, query).await?;
    match format {
        Format::Json => output::json(&page)?,
        _ => output::text(&output::leads(&page))?,
    }
    Ok(())
}

/// CSV is for data: every matching lead, not one page.
async fn all_leads_csv(b: &dyn Backend, job: &JobId, query: LeadQuery) -> Outcome {
    let mut leads = Vec::new();
    let mut q = LeadQuery {
        page: PageParams {
            limit: Some(100),
            ..query.page.clone()
        },
        ..query
    };
    loop {
        let page = b.list_leads(job, q.clone()).await?;
        leads.extend(page.data);
        match page.next_cursor {
            Some(c) if page.has_more => q.page.cursor = Some(c),
            _ => break,
        }
    }
    output::bytes(&crate::engine::artifacts::render_csv(&leads)?)?;
    Ok(())
}

pub(super) async fn export(
    b: &dyn Backend,
    job: &str,
    format: FileFormat,
    path: Option<&Path>,
) -> Outcome {
    let format = match format {
        FileFormat::Csv => ExportFormat::Csv,
        FileFormat::Json => ExportFormat::Json,
        FileFormat::Xlsx => ExportFormat::Xlsx,
    };
    let bytes = b.export(&JobId::parse(job)?, format).await?;
    match path {
        Some(path) => {
            crate::engine::artifacts::write_atomic(path, &bytes)?;
            eprintln!("Wrote {} bytes to {}", bytes.len(), path.display());
        }
        None if format == ExportFormat::Xlsx && std::io::stdout().is_terminal() => {
            return Err(anyhow::anyhow!("an XLSX file is binary: give a file with -o FILE").into());
        }
        None => output::bytes(&bytes)?,
    }
    Ok(())
}

pub(super) async fn usage(b: &dyn Backend, format: Format) -> Outcome {
    let usage = b.usage().await?;
    match format {
        Format::Text => output::text(&format!(
            "{} to {} ({} mode): {} of {} credits used, {} remaining; jobs: {} succeeded, {} failed, {} stopped; test mode would have cost {}\n",
            usage.period.from,
            usage.period.to,
            usage.plan,
            usage.credits.used,
            usage.credits.included,
            usage.credits.remaining,
            usage.jobs.succeeded,
            usage.jobs.failed,
            usage.jobs.stopped,
            usage.test_credits
        ))?,
        _ => output::json(&usage)?,
    }
    Ok(())
}
