//! Effects: what `update` asks the outside world to do. The runner executes each as a tokio task
//! that sends its result back as a `Msg`; nothing here touches the state.

use std::sync::Arc;

use futures::StreamExt;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::backend::Backend;
use crate::model::push::{EnrichRequest, IntegrationProgress, ProgressSender, PushRequest};
use crate::model::requests::{
    Approve, CreateThread, ExportFormat, LeadQuery, PostMessage, ThreadPatch, ThreadQuery,
};
use crate::model::{Error, JobId, Order, PageParams, PlanId, ThreadId};

use super::message::{Msg, Reply};
use super::state::requests::Tag;

#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    ListThreads {
        q: Option<String>,
        limit: u32,
    },
    Messages(ThreadId),
    Job(JobId),
    Plan(PlanId),
    /// `limit: None` loads every lead of the job.
    Leads {
        job: JobId,
        limit: Option<u32>,
    },
    Events(JobId),
    Usage,
    /// `thread: None` creates a thread (titled from the prompt) first.
    Post {
        thread: Option<ThreadId>,
        content: String,
    },
    Replan {
        plan: PlanId,
        feedback: String,
    },
    Approve {
        job: JobId,
        max_credits: Option<u32>,
    },
    Stop(JobId),
    Rename {
        thread: ThreadId,
        title: String,
    },
    Delete {
        thread: ThreadId,
        force: bool,
    },
    /// Writes `table` (the view), or with `None` the job's full export, to `path`.
    Export {
        job: JobId,
        path: std::path::PathBuf,
        format: ExportFormat,
        table: Option<crate::tui::export_view::ViewTable>,
        overwrite: bool,
        rows: usize,
    },
    /// Writes the paged view (these ordinals, in order, with these columns) to `path`, reading
    /// the leads from the backend a chunk at a time.
    ExportView {
        job: JobId,
        path: std::path::PathBuf,
        format: ExportFormat,
        ordinals: Vec<u32>,
        columns: Vec<crate::tui::state::columns::ColumnSpec>,
        overwrite: bool,
    },
    /// How an opened file maps, with the corrections `map` (`HEADER=TARGET`) applied.
    FileMapping {
        path: std::path::PathBuf,
        map: Vec<String>,
    },
    /// Opens a file again with corrections.
    OpenFile {
        path: std::path::PathBuf,
        overrides: Vec<crate::engine::sources::dataset::columns::Override>,
    },
    /// The paged table's view of a job.
    LeadView {
        job: JobId,
        spec: crate::model::table::ViewSpec,
    },
    /// Whole leads at these ordinals (a page of the paged table).
    LeadsAt {
        job: JobId,
        ordinals: Vec<u32>,
    },
    /// Writes `[tui] columns` into the config file, keeping everything else in it.
    SaveColumns {
        path: std::path::PathBuf,
        entries: Vec<String>,
    },
    Push {
        job: JobId,
        request: PushRequest,
    },
    Integrations,
    Enrich {
        job: JobId,
        request: EnrichRequest,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Request {
        tag: Tag,
        request: Request,
    },
    /// Follow a job's events (stored, then live); replaces any previous subscription.
    Subscribe(JobId),
    Unsubscribe,
    /// Put text on the clipboard through the terminal (OSC 52: works over SSH).
    Copy(String),
    /// Open a URL in the desktop's browser, without waiting for it.
    OpenUrl(String),
}

/// Messages shown in the chat per thread (the newest ones).
pub const MESSAGE_PAGE: u32 = 100;

/// Runs a backend request to completion. Also used directly (awaited) by the snapshot path.
pub async fn execute(backend: &dyn Backend, request: Request) -> Result<Reply, Error> {
    execute_with_progress(backend, request, None).await
}

/// [`execute`], with a channel hearing a push's or enrichment's progress.
pub async fn execute_with_progress(
    backend: &dyn Backend,
    request: Request,
    progress: Option<ProgressSender>,
) -> Result<Reply, Error> {
    Ok(match request {
        Request::Integrations => Reply::Integrations(backend.integrations().await?),
        Request::Push { job, request } => {
            Reply::Pushed(backend.push(&job, request, progress).await?)
        }
        Request::Enrich { job, request } => {
            Reply::Enriched(backend.enrich(&job, request, progress).await?)
        }
        Request::ListThreads { q, limit } => list_threads(backend, q, limit).await?,
        Request::Messages(thread) => messages(backend, thread).await?,
        Request::Job(id) => Reply::Job(backend.get_job(&id).await?),
        Request::Plan(id) => Reply::Plan(backend.get_plan(&id).await?),
        Request::Leads { job, limit } => leads(backend, job, limit).await?,
        Request::Events(job) => {
            let events = backend.job_log(&job).await?;
            Reply::Events { job, events }
        }
        Request::Usage => Reply::Usage(backend.usage().await?),
        Request::Post { thread, content } => post(backend, thread, content).await?,
        Request::Replan { plan, feedback } => {
            Reply::Replanned(backend.replan(&plan, &feedback).await?)
        }
        Request::Approve { job, max_credits } => Reply::Approved(
            backend
                .approve(
                    &job,
                    Approve {
                        max_credits,
                        webhook_url: None,
                    },
                )
                .await?,
        ),
        Request::Stop(job) => Reply::Stopped(backend.stop(&job).await?),
        Request::Rename { thread, title } => Reply::Renamed(
            backend
                .update_thread(
                    &thread,
                    ThreadPatch {
                        title: Some(title),
                        metadata: None,
                    },
                )
                .await?,
        ),
        Request::Delete { thread, force } => {
            backend.delete_thread(&thread, force).await?;
            Reply::Deleted(thread)
        }
        Request::Export {
            job,
            path,
            format,
            table,
            overwrite,
            rows,
        } => {
            match table {
                Some(t) => write_export(path, t.render(format)?, overwrite, rows).await?,
                // Every lead, every column: written as it is read (a large job never sits in
                // memory whole on a local backend).
                None => {
                    let (written, rows) = backend
                        .export_to_file(&job, format, &path, overwrite)
                        .await?;
                    export_reply(written, &path, rows as usize)
                }
            }
        }
        r @ (Request::ExportView { .. }
        | Request::LeadView { .. }
        | Request::LeadsAt { .. }
        | Request::FileMapping { .. }
        | Request::OpenFile { .. }) => table_request(backend, r).await?,
        Request::SaveColumns { path, entries } => {
            let shown = path.display().to_string();
            tokio::task::spawn_blocking(move || crate::tui::config::save_columns(&path, &entries))
                .await
                .map_err(|e| Error::internal(format!("the save task failed: {e}")))?
                .map_err(Error::internal)?;
            Reply::ColumnsSaved { path: shown }
        }
    })
}

/// The paged table's and opened files' requests.
async fn table_request(backend: &dyn Backend, request: Request) -> Result<Reply, Error> {
    Ok(match request {
        Request::ExportView {
            job,
            path,
            format,
            ordinals,
            columns,
            overwrite,
        } => {
            let (written, rows) = crate::tui::export_view::export_paged(
                backend,
                &job,
                &ordinals,
                &columns,
                (&path, format, overwrite),
            )
            .await?;
            export_reply(written, &path, rows)
        }
        Request::FileMapping { path, map } => {
            let overrides = map
                .iter()
                .map(|m| crate::engine::sources::dataset::columns::Override::parse(m))
                .collect::<Result<Vec<_>, Error>>()?;
            let summary = backend.file_mapping(&path, overrides).await?;
            Reply::FileMapping { path, summary, map }
        }
        Request::OpenFile { path, overrides } => {
            Reply::OpenedFile(backend.open_file(&path, overrides).await?)
        }
        Request::LeadView { job, spec } => {
            let view = backend.lead_view(&job, spec).await?;
            Reply::LeadView { job, view }
        }
        Request::LeadsAt { job, ordinals } => {
            let asked = ordinals.clone();
            match backend.leads_at(&job, ordinals).await {
                Ok(leads) => Reply::LeadsAt { job, leads },
                // The page is asked for again when it is next on screen.
                Err(error) => Reply::LeadsAtFailed { job, asked, error },
            }
        }
        other => {
            return Err(Error::internal(format!("not a table request: {other:?}")));
        }
    })
}

async fn write_export(
    path: std::path::PathBuf,
    bytes: Vec<u8>,
    overwrite: bool,
    rows: usize,
) -> Result<Reply, Error> {
    let target = path.clone();
    let written = tokio::task::spawn_blocking(move || {
        crate::tui::export_view::write(&target, &bytes, overwrite)
    })
    .await
    .map_err(|e| Error::internal(format!("the export task failed: {e}")))??;
    Ok(export_reply(written, &path, rows))
}

fn export_reply(written: crate::export::Written, path: &std::path::Path, rows: usize) -> Reply {
    let path = path.display().to_string();
    match written {
        crate::export::Written::Done => Reply::Exported { path, rows },
        crate::export::Written::Exists => Reply::ExportExists { path },
    }
}

async fn list_threads(
    backend: &dyn Backend,
    q: Option<String>,
    limit: u32,
) -> Result<Reply, Error> {
    let query = ThreadQuery {
        page: PageParams {
            limit: Some(limit),
            ..Default::default()
        },
        q,
        has_job_status: None,
    };
    Ok(Reply::Threads(backend.list_threads(query).await?))
}

/// The newest messages, oldest first.
async fn messages(backend: &dyn Backend, thread: ThreadId) -> Result<Reply, Error> {
    let page = PageParams {
        limit: Some(MESSAGE_PAGE),
        cursor: None,
        order: Some(Order::Desc),
    };
    let mut page = backend.list_messages(&thread, page).await?;
    page.data.reverse();
    Ok(Reply::Messages { thread, page })
}

/// Every lead, or the first page of `limit`.
async fn leads(backend: &dyn Backend, job: JobId, limit: Option<u32>) -> Result<Reply, Error> {
    let Some(limit) = limit else {
        let leads = backend.all_leads(&job).await?;
        return Ok(Reply::Leads {
            job,
            total: Some(leads.len() as u64),
            leads,
        });
    };
    let query = LeadQuery {
        page: PageParams {
            limit: Some(limit),
            cursor: None,
            order: Some(Order::Asc),
        },
        ..Default::default()
    };
    let page = backend.list_leads(&job, query).await?;
    Ok(Reply::Leads {
        job,
        leads: page.data,
        total: page.total,
    })
}

/// Posts a prompt, creating the thread first (titled by the prompt's first line) when needed.
async fn post(
    backend: &dyn Backend,
    thread: Option<ThreadId>,
    content: String,
) -> Result<Reply, Error> {
    let thread = match thread {
        Some(t) => t,
        None => {
            let title: String = content
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(60)
                .collect();
            let title = if title.trim().is_empty() {
                None
            } else {
                Some(title)
            };
            backend
                .create_thread(CreateThread {
                    title,
                    metadata: None,
                })
                .await?
                .id
        }
    };
    let result = backend
        .post_message(
            &thread,
            PostMessage {
                content,
                ..Default::default()
            },
        )
        .await;
    Ok(Reply::Posted { thread, result })
}

/// Owns the running tasks; lives in the app loop next to the state.
pub struct Runner {
    backend: Arc<dyn Backend>,
    tx: UnboundedSender<Msg>,
    stream: Option<(JobId, JoinHandle<()>)>,
}

impl Runner {
    pub fn new(backend: Arc<dyn Backend>, tx: UnboundedSender<Msg>) -> Self {
        Self {
            backend,
            tx,
            stream: None,
        }
    }

    pub fn run(&mut self, effect: Effect) {
        match effect {
            Effect::Request { tag, request } => {
                let backend = self.backend.clone();
                let tx = self.tx.clone();
                let progress = match &request {
                    Request::Push { request: r, .. } if !r.dry_run => Some(self.forward_progress()),
                    Request::Enrich { .. } => Some(self.forward_progress()),
                    _ => None,
                };
                tokio::spawn(async move {
                    let result = execute_with_progress(backend.as_ref(), request, progress)
                        .await
                        .map(Box::new);
                    // The app may have quit; a closed channel is fine.
                    let _ = tx.send(Msg::Reply { tag, result });
                });
            }
            Effect::Subscribe(job) => {
                if self
                    .stream
                    .as_ref()
                    .is_some_and(|(j, h)| *j == job && !h.is_finished())
                {
                    return;
                }
                self.unsubscribe();
                let backend = self.backend.clone();
                let tx = self.tx.clone();
                let id = job.clone();
                let handle = tokio::spawn(async move {
                    match backend.subscribe(&id, None).await {
                        Err(error) => {
                            let _ = tx.send(Msg::StreamFailed { job: id, error });
                        }
                        Ok(mut stream) => {
                            while let Some(item) = stream.next().await {
                                let msg = match item {
                                    Ok(item) => Msg::Stream {
                                        job: id.clone(),
                                        item,
                                    },
                                    Err(error) => Msg::StreamFailed {
                                        job: id.clone(),
                                        error,
                                    },
                                };
                                if tx.send(msg).is_err() {
                                    return;
                                }
                            }
                            let _ = tx.send(Msg::StreamEnded { job: id });
                        }
                    }
                });
                self.stream = Some((job, handle));
            }
            Effect::Unsubscribe => self.unsubscribe(),
            Effect::Copy(text) => copy_osc52(&text),
            Effect::OpenUrl(url) => open_url(url),
        }
    }

    /// A progress channel whose updates arrive as messages (the task ends with the sender).
    fn forward_progress(&self) -> ProgressSender {
        let (ptx, mut prx) = tokio::sync::watch::channel(IntegrationProgress::default());
        let tx = self.tx.clone();
        tokio::spawn(async move {
            while prx.changed().await.is_ok() {
                let p = *prx.borrow_and_update();
                if tx.send(Msg::IntegrationProgress(p)).is_err() {
                    return;
                }
            }
        });
        ptx
    }

    fn unsubscribe(&mut self) {
        if let Some((_, h)) = self.stream.take() {
            h.abort();
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.unsubscribe();
    }
}

/// The OSC 52 sequence that sets the clipboard (crossterm's, terminated by ST).
pub fn osc52(text: &str) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail; an error would leave the sequence empty, copying nothing.
    let _ = crossterm::Command::write_ansi(
        &crossterm::clipboard::CopyToClipboard::to_clipboard_from(text),
        &mut out,
    );
    out
}

fn copy_osc52(text: &str) {
    // Best effort: a terminal without OSC 52 ignores it.
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::clipboard::CopyToClipboard::to_clipboard_from(text)
    );
}

pub fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn open_url(url: String) {
    // `update` only asks for http(s) URLs; check again so nothing else can launch a handler.
    if !is_web_url(&url) {
        return;
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    // A plain thread: spawning and reaping the child must never block the draw loop.
    std::thread::spawn(move || {
        let child = std::process::Command::new(opener)
            .arg(&url)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if let Ok(mut c) = child {
            let _ = c.wait();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_sets_the_clipboard_with_standard_base64() {
        // crossterm ends the sequence with ST (ESC \) where the hand-written one used BEL.
        assert_eq!(osc52("hi"), "\u{1b}]52;c;aGk=\u{1b}\\");
        assert_eq!(osc52("foobar"), "\u{1b}]52;c;Zm9vYmFy\u{1b}\\");
        assert_eq!(osc52("fo"), "\u{1b}]52;c;Zm8=\u{1b}\\");
        assert_eq!(osc52("é"), "\u{1b}]52;c;w6k=\u{1b}\\");
    }
}
