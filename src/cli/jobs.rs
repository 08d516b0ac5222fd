//! Running and watching jobs: approve (in the foreground or a detached worker), stop, show, list.

use futures::StreamExt;

use super::Failure;
use super::args::{Format, Global, PageArgs};
use super::commands::{Ctx, Outcome, page_params};
use super::output;
use crate::backend::{Backend, StreamItem};
use crate::engine::Engine;
use crate::model::requests::{Approve, JobQuery};
use crate::model::{Error, EventKind, Job, JobId, JobStatus, ThreadId, Timestamp};
use crate::text::sanitize_inline;

pub(super) async fn approve(
    ctx: &Ctx<'_>,
    job: &str,
    max_credits: Option<u32>,
    wait: bool,
    format: Format,
) -> Outcome {
    let b = ctx.backend.as_ref();
    let job = JobId::parse(job)?;
    let request = Approve {
        max_credits,
        webhook_url: None,
    };
    if wait {
        b.approve(&job, request).await?;
        let finished = wait_for(b, &job).await?;
        print_job(&finished, format)?;
        return job_outcome(&finished);
    }
    let started = match ctx.engine {
        Some(engine) => approve_in_background(engine, &job, request, ctx.global).await?,
        // A server runs its jobs itself.
        None => b.approve(&job, request).await?,
    };
    print_job(&started, format)?;
    eprintln!("Running in the background. Follow it with: leadline job {job}");
    Ok(())
}

pub(super) async fn stop(b: &dyn Backend, job: &str, format: Format) -> Outcome {
    let job = b.stop(&JobId::parse(job)?).await?;
    print_job(&job, format)
}

pub(super) async fn job(b: &dyn Backend, job: &str, format: Format) -> Outcome {
    let job = b.get_job(&JobId::parse(job)?).await?;
    print_job(&job, format)
}

pub(super) async fn jobs(
    b: &dyn Backend,
    status: &[String],
    thread: Option<&str>,
    page: PageArgs,
    format: Format,
) -> Outcome {
    let status = status
        .iter()
        .map(|s| {
            JobStatus::parse(s).ok_or_else(|| {
                Error::invalid(format!(
                    "unknown status `{s}`: use pending, running, succeeded, failed or stopped"
                ))
                .with_param("status")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let thread_id = thread.map(ThreadId::parse).transpose()?;
    let page = b
        .list_jobs(JobQuery {
            page: page_params(page),
            status,
            thread_id,
        })
        .await?;
    match format {
        Format::Json => output::json(&page)?,
        Format::Text => output::text(&output::jobs(&page, Timestamp::now()))?,
        Format::Csv => output::csv_rows(
            &[
                "id",
                "thread_id",
                "status",
                "rows_captured",
                "credits_used",
                "created_at",
                "summary",
            ],
            page.data.iter().map(|j| {
                vec![
                    j.id.to_string(),
                    j.thread_id.to_string(),
                    j.status.as_str().to_string(),
                    j.rows_captured.to_string(),
                    j.credits_used.to_string(),
                    j.created_at.to_string(),
                    j.summary.clone().unwrap_or_default(),
                ]
            }),
        )?,
    }
    Ok(())
}

/// (internal) Runs a job `approve` claimed and handed over with its lock.
pub(super) async fn worker(engine: &Engine, job: &str) -> Outcome {
    let job = JobId::parse(job)?;
    let finished = engine.run_claimed(&job, None).await?;
    // The lock came in as our stdin; its file is ours to tidy.
    let _ = std::fs::remove_file(crate::engine::locks::lock_path(engine.data_dir(), &job));
    job_outcome(&finished)
}

pub(super) fn print_job(job: &Job, format: Format) -> Outcome {
    match format {
        Format::Text => output::text(&output::job(job))?,
        _ => output::json(job)?,
    }
    Ok(())
}

/// A failed job is a failed command.
pub(super) fn job_outcome(job: &Job) -> Outcome {
    match (&job.status, &job.error) {
        (JobStatus::Failed, Some(e)) => {
            Err(Error::new(e.code, format!("job {} failed: {}", job.id, e.message)).into())
        }
        (JobStatus::Failed, None) => Err(Error::new(
            crate::model::ErrorCode::JobHalted,
            format!("job {} failed", job.id),
        )
        .into()),
        _ => Ok(()),
    }
}

/// Follows a job's events to its end, narrating on stderr; returns the final job.
pub(super) async fn wait_for(b: &dyn Backend, job: &JobId) -> Result<Job, Failure> {
    let mut events = b.subscribe(job, None).await?;
    let mut last_percent = 0;
    while let Some(item) = events.next().await {
        match item? {
            StreamItem::Event(e) => narrate(&e, &mut last_percent),
            StreamItem::Reconnecting { attempt, reason } => {
                eprintln!("  reconnecting (attempt {attempt}): {reason}")
            }
            StreamItem::Connected => {}
        }
    }
    Ok(b.get_job(job).await?)
}

/// One event as a line on stderr; results only at each further 10%.
fn narrate(e: &crate::model::Event, last_percent: &mut u64) {
    let text = |key: &str| sanitize_inline(e.data[key].as_str().unwrap_or(""));
    match e.kind {
        EventKind::Step if e.data["status"] == "started" => eprintln!("▸ {}", text("title")),
        EventKind::Log => eprintln!("  {}", text("message")),
        EventKind::Result => {
            let percent = e.data["progress"]["percent"].as_u64().unwrap_or(0);
            if percent >= *last_percent + 10 {
                *last_percent = percent - percent % 10;
                eprintln!("  {} leads captured ({percent}%)", e.data["rows_captured"]);
            }
        }
        EventKind::Error => eprintln!("✗ {}", text("message")),
        EventKind::Done => eprintln!("✓ {}", text("summary")),
        _ => {}
    }
}

/// Local mode without --wait: claim the job here, then hand it (and its lock, as stdin) to a
/// detached `leadline worker` process that outlives this command.
async fn approve_in_background(
    engine: &Engine,
    job: &JobId,
    request: Approve,
    global: &Global,
) -> Result<Job, Failure> {
    let (started, lock) = engine.approve_detached(job, request).await?;
    let exe = std::env::current_exe()?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("--data-dir").arg(engine.data_dir());
    if let Some(config) = &global.config {
        cmd.arg("--config").arg(config);
    }
    if global.live {
        cmd.arg("--live");
    }
    cmd.arg("worker").arg(job.as_str());
    let logs = engine.data_dir().join("logs");
    std::fs::create_dir_all(&logs)?;
    let log = std::fs::File::create(logs.join(format!("worker-{job}.log")))?;
    cmd.stdout(std::process::Stdio::null()).stderr(log);
    match lock.into_file() {
        Some(file) => cmd.stdin(file),
        None => cmd.stdin(std::process::Stdio::null()),
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own process group: a Ctrl-C in this terminal must not kill the background job.
        cmd.process_group(0);
    }
    cmd.spawn()
        .map_err(|e| anyhow::anyhow!("could not start the background worker: {e}"))?;
    Ok(started)
}
