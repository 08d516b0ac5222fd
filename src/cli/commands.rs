//! One function per subcommand, all through the `Backend` trait (so remote mode drops in).

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use futures::StreamExt;
use serde_json::Value;

use super::Failure;
use super::args::{ApiKeysCommand, Command, FileFormat, Format, Global, PageArgs};
use super::output;
use crate::backend::{Backend, StreamItem};
use crate::engine::Engine;
use crate::model::push::{EnrichRequest, IntegrationProgress, PushRequest};
use crate::model::requests::{
    Approve, Attachment, CreateThread, ExportFormat, Hints, JobQuery, LeadQuery, PostMessage,
    PostedMessage, ThreadQuery,
};
use crate::model::{
    Error, EventKind, Job, JobId, JobStatus, PageParams, PlanId, ThreadId, Timestamp,
};

type Outcome = Result<(), Failure>;

pub(super) async fn dispatch(
    config: &crate::config::Config,
    command: Command,
    backend: Arc<dyn Backend>,
    engine: Option<&Engine>,
    global: &Global,
) -> Outcome {
    let b = backend.as_ref();
    let local = || {
        engine.ok_or_else(|| Failure::Other(anyhow::anyhow!("this command runs the embedded engine; drop --remote (and [backend] kind = \"remote\")")))
    };
    match command {
        Command::Search {
            prompt,
            max_rows,
            max_credits,
            attach,
            format,
        } => search(b, prompt, max_rows, max_credits, &attach, format).await,
        Command::Plan {
            prompt,
            thread,
            attach,
            format,
        } => plan(b, prompt, thread, &attach, format).await,
        Command::Approve {
            job,
            max_credits,
            wait,
            format,
        } => {
            let job = JobId::parse(&job)?;
            let request = Approve {
                max_credits,
                webhook_url: None,
            };
            if wait {
                b.approve(&job, request).await?;
                let finished = wait_for(b, &job).await?;
                print_job(&finished, format)?;
                job_outcome(&finished)
            } else {
                let started = match engine {
                    Some(engine) => approve_in_background(engine, &job, request, global).await?,
                    // A server runs its jobs itself.
                    None => b.approve(&job, request).await?,
                };
                print_job(&started, format)?;
                eprintln!("Running in the background. Follow it with: leadline job {job}");
                Ok(())
            }
        }
        Command::Stop { job, format } => {
            let job = b.stop(&JobId::parse(&job)?).await?;
            print_job(&job, format)
        }
        Command::Replan {
            plan,
            feedback,
            format,
        } => {
            let posted = b.replan(&PlanId::parse(&plan)?, &feedback).await?;
            print_posted(&posted, format)
        }
        Command::Threads { q, page, format } => {
            let page = b
                .list_threads(ThreadQuery {
                    page: page_params(page),
                    q,
                    has_job_status: None,
                })
                .await?;
            match format {
                Format::Json => output::json(&page)?,
                Format::Text => print!("{}", output::threads(&page, Timestamp::now())),
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
        Command::Jobs {
            status,
            thread,
            page,
            format,
        } => {
            let status = status
                .iter()
                .map(|s| {
                    JobStatus::parse(s).ok_or_else(|| {
                        Error::invalid(format!("unknown status `{s}`: use pending, running, succeeded, failed or stopped")).with_param("status")
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let thread_id = thread.as_deref().map(ThreadId::parse).transpose()?;
            let page = b
                .list_jobs(JobQuery {
                    page: page_params(page),
                    status,
                    thread_id,
                })
                .await?;
            match format {
                Format::Json => output::json(&page)?,
                Format::Text => print!("{}", output::jobs(&page, Timestamp::now())),
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
        Command::Job { job, format } => {
            let job = b.get_job(&JobId::parse(&job)?).await?;
            print_job(&job, format)
        }
        Command::Leads {
            job,
            min_confidence,
            has_field,
            page,
            format,
        } => {
            let job = JobId::parse(&job)?;
            let query = LeadQuery {
                page: page_params(page),
                min_confidence,
                has_field,
            };
            if format == Format::Csv {
                // CSV is for data: every matching lead, not one page.
                let mut leads = Vec::new();
                let mut q = LeadQuery {
                    page: PageParams {
                        limit: Some(100),
                        ..query.page.clone()
                    },
                    ..query
                };
                loop {
                    let page = b.list_leads(&job, q.clone()).await?;
                    leads.extend(page.data);
                    match page.next_cursor {
                        Some(c) if page.has_more => q.page.cursor = Some(c),
                        _ => break,
                    }
                }
                std::io::stdout()
                    .lock()
                    .write_all(&crate::engine::artifacts::render_csv(&leads)?)?;
                return Ok(());
            }
            let page = b.list_leads(&job, query).await?;
            match format {
                Format::Json => output::json(&page)?,
                _ => print!("{}", output::leads(&page)),
            }
            Ok(())
        }
        Command::Export {
            job,
            format,
            output: path,
        } => {
            let format = match format {
                FileFormat::Csv => ExportFormat::Csv,
                FileFormat::Json => ExportFormat::Json,
                FileFormat::Xlsx => ExportFormat::Xlsx,
            };
            let bytes = b.export(&JobId::parse(&job)?, format).await?;
            match path {
                Some(path) => {
                    crate::engine::artifacts::write_atomic(&path, &bytes)?;
                    eprintln!("Wrote {} bytes to {}", bytes.len(), path.display());
                }
                None if format == ExportFormat::Xlsx && std::io::stdout().is_terminal() => {
                    return Err(anyhow::anyhow!(
                        "an XLSX file is binary: give a file with -o FILE"
                    )
                    .into());
                }
                None => std::io::stdout().lock().write_all(&bytes)?,
            }
            Ok(())
        }
        Command::Push {
            job,
            provider,
            mode,
            list_id,
            dry_run,
            force,
            allow_test_data,
            format,
        } => {
            let request = PushRequest {
                provider: provider.parse()?,
                mode: mode.parse()?,
                list_id,
                mapping: None,
                dry_run,
                force,
                allow_test_data,
            };
            let job = JobId::parse(&job)?;
            let (tx, rx) = tokio::sync::watch::channel(IntegrationProgress::default());
            let reporter = output::progress_reporter(rx, "push");
            let result = b.push(&job, request, Some(tx)).await;
            reporter.abort();
            let result = result?;
            match format {
                Format::Json | Format::Csv => output::json(&result)?,
                Format::Text => print!("{}", output::push(&result)),
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
        Command::Enrich {
            job,
            provider,
            verify,
            lookup,
            qualify,
            format,
        } => {
            let request = EnrichRequest {
                provider: provider.parse()?,
                verify,
                lookup,
                qualify,
            }
            .normalised();
            let job = JobId::parse(&job)?;
            let (tx, rx) = tokio::sync::watch::channel(IntegrationProgress::default());
            let reporter = output::progress_reporter(rx, "enrich");
            let result = b.enrich(&job, request, Some(tx)).await;
            reporter.abort();
            let result = result?;
            match format {
                Format::Json | Format::Csv => output::json(&result)?,
                Format::Text => print!("{}", output::enrich(&result)),
            }
            Ok(())
        }
        Command::Usage { format } => {
            let usage = b.usage().await?;
            match format {
                Format::Text => println!(
                    "{} to {} ({} mode): {} of {} credits used, {} remaining; jobs: {} succeeded, {} failed, {} stopped; test mode would have cost {}",
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
                ),
                _ => output::json(&usage)?,
            }
            Ok(())
        }
        Command::Snapshot {
            size: (width, height),
            view,
            thread,
            job,
        } => {
            let view = crate::tui::View::parse(&view).ok_or_else(|| {
                anyhow::anyhow!("unknown view `{view}`: use threads, chat, plan, log or leads")
            })?;
            let opts = crate::tui::SnapshotOptions {
                width,
                height,
                view,
                thread: thread.as_deref().map(ThreadId::parse).transpose()?,
                job: job.as_deref().map(JobId::parse).transpose()?,
            };
            let frame =
                crate::tui::snapshot(backend.clone(), super::tui_config(config), opts).await?;
            print!("{frame}");
            Ok(())
        }
        Command::Serve { addr } => {
            let options = crate::server::ServerOptions {
                rate_limit_per_minute: config.server.rate_limit_per_minute,
                public_url: config.server.public_url.clone(),
                ..Default::default()
            };
            crate::server::serve(local()?.clone(), addr, options, shutdown_signal()).await?;
            Ok(())
        }
        Command::ApiKeys(command) => api_keys(local()?, command),
        Command::Import { file, name, format } => {
            super::import_cmd::import(local()?, &file, name.as_deref(), format).await
        }
        Command::Worker { job } => {
            let job = JobId::parse(&job)?;
            let engine = local()?;
            let finished = engine.run_claimed(&job, None).await?;
            // The lock came in as our stdin; its file is ours to tidy.
            let _ = std::fs::remove_file(crate::engine::locks::lock_path(engine.data_dir(), &job));
            job_outcome(&finished)
        }
    }
}

fn page_params(p: PageArgs) -> PageParams {
    PageParams {
        limit: p.limit,
        cursor: p.cursor,
        order: None,
    }
}

fn print_job(job: &Job, format: Format) -> Outcome {
    match format {
        Format::Text => print!("{}", output::job(job)),
        _ => output::json(job)?,
    }
    Ok(())
}

fn print_posted(posted: &PostedMessage, format: Format) -> Outcome {
    match format {
        Format::Text => print!("{}", output::plan(&posted.plan, &posted.job)),
        _ => output::json(&posted.plan)?,
    }
    Ok(())
}

/// A failed job is a failed command.
fn job_outcome(job: &Job) -> Outcome {
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

async fn plan(
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

async fn search(
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
        Format::Csv => {
            let bytes = b.export(&job.id, ExportFormat::Csv).await?;
            std::io::stdout().lock().write_all(&bytes)?;
        }
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

/// Follows a job's events to its end, narrating on stderr; returns the final job.
async fn wait_for(b: &dyn Backend, job: &JobId) -> Result<Job, Failure> {
    let mut events = b.subscribe(job, None).await?;
    let mut last_percent = 0;
    while let Some(item) = events.next().await {
        match item? {
            StreamItem::Event(e) => match e.kind {
                EventKind::Step if e.data["status"] == "started" => {
                    eprintln!(
                        "▸ {}",
                        crate::text::sanitize_inline(e.data["title"].as_str().unwrap_or(""))
                    );
                }
                EventKind::Log => eprintln!(
                    "  {}",
                    crate::text::sanitize_inline(e.data["message"].as_str().unwrap_or(""))
                ),
                EventKind::Result => {
                    let percent = e.data["progress"]["percent"].as_u64().unwrap_or(0);
                    if percent >= last_percent + 10 {
                        last_percent = percent - percent % 10;
                        eprintln!("  {} leads captured ({percent}%)", e.data["rows_captured"]);
                    }
                }
                EventKind::Error => eprintln!(
                    "✗ {}",
                    crate::text::sanitize_inline(e.data["message"].as_str().unwrap_or(""))
                ),
                EventKind::Done => eprintln!(
                    "✓ {}",
                    crate::text::sanitize_inline(e.data["summary"].as_str().unwrap_or(""))
                ),
                _ => {}
            },
            StreamItem::Reconnecting { attempt, reason } => {
                eprintln!("  reconnecting (attempt {attempt}): {reason}")
            }
            StreamItem::Connected => {}
        }
    }
    Ok(b.get_job(job).await?)
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

/// SIGINT or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    eprintln!("leadline serve: shutting down (finishing requests, halting running jobs)");
}

fn api_keys(engine: &Engine, command: ApiKeysCommand) -> Outcome {
    use crate::model::OrgId;
    use crate::server::keys;
    let org = |raw: &Option<String>| -> Result<OrgId, Failure> {
        Ok(match raw {
            Some(o) => OrgId::parse(o)?,
            None => OrgId::local(),
        })
    };
    match command {
        ApiKeysCommand::Create {
            name,
            scopes,
            live,
            org: o,
            format,
        } => {
            let scopes = scopes
                .iter()
                .map(|s| keys::Scope::parse(s))
                .collect::<Result<Vec<_>, _>>()?;
            let minted = keys::mint(engine.store(), &org(&o)?, &name, &scopes, live, None)?;
            match format {
                Format::Json => output::json(&minted)?,
                _ => {
                    println!("{}", minted.secret);
                    eprintln!(
                        "Created {} ({}) for {} with scopes {}. The secret above is shown once: store it now.",
                        minted.key.id,
                        minted.key.redacted,
                        minted.key.organization,
                        minted
                            .key
                            .scopes
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(",")
                    );
                }
            }
            Ok(())
        }
        ApiKeysCommand::List { org: o, format } => {
            let list = keys::list(engine.store(), &org(&o)?)?;
            match format {
                Format::Json => output::json(&list)?,
                _ => {
                    for k in &list {
                        println!(
                            "{}  {:<20} {}  {:<28} {}",
                            k.id,
                            crate::text::sanitize_inline(&k.name),
                            k.redacted,
                            k.scopes
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(","),
                            if k.revoked_at.is_some() {
                                "revoked"
                            } else {
                                "active"
                            }
                        );
                    }
                }
            }
            Ok(())
        }
        ApiKeysCommand::Revoke { id, org: o } => {
            let key = keys::revoke(engine.store(), &org(&o)?, &id)?;
            eprintln!("Revoked {} ({}).", key.id, key.redacted);
            Ok(())
        }
    }
}
