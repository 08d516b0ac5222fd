//! The one interface the TUI and the CLI use to reach an engine: in process ([`local`]) or over
//! the Leadex v1 API (remote, with the server issue). Both must behave identically.

pub mod local;
pub mod remote;

pub use local::LocalBackend;
pub use remote::RemoteBackend;

use async_trait::async_trait;
use futures::stream::BoxStream;

use crate::model::push::{
    EnrichRequest, EnrichResult, IntegrationStatus, ProgressSender, PushRequest, PushResult,
};
use crate::model::requests::{
    Approve, CreateThread, ExportFormat, JobQuery, LeadQuery, PostMessage, PostedMessage,
    ThreadPatch, ThreadQuery,
};
use std::path::Path;

use crate::engine::sources::dataset::columns::Override;
use crate::engine::sources::dataset::stream::FileSummary;
use crate::model::table::{LeadView, ViewSpec};
use crate::model::{
    Artifact, ArtifactId, Event, EventId, Job, JobId, Lead, Message, Page, PageParams, Plan,
    PlanId, Result, Thread, ThreadId, Usage,
};

/// Where the engine runs; also `[backend] kind` in the config file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackendKind {
    #[default]
    Local,
    Remote,
}

/// What the status bar shows about the backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendInfo {
    pub kind: BackendKind,
    /// Live mode (real sources, real credits) rather than test mode.
    pub livemode: bool,
    /// Where it is: the data dir locally, the base URL remotely.
    pub location: String,
}

/// One item of a job's event stream.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamItem {
    Event(Event),
    /// The connection dropped; the stream is retrying and will resume after the last event.
    Reconnecting {
        attempt: u32,
        reason: String,
    },
    /// Connected (again) after `Reconnecting`.
    Connected,
}

/// Ends after the job's terminal event (`done` or `error`).
pub type EventStream = BoxStream<'static, Result<StreamItem>>;

#[async_trait]
pub trait Backend: Send + Sync {
    fn info(&self) -> BackendInfo;

    async fn create_thread(&self, request: CreateThread) -> Result<Thread>;
    async fn list_threads(&self, query: ThreadQuery) -> Result<Page<Thread>>;
    async fn get_thread(&self, id: &ThreadId) -> Result<Thread>;
    async fn update_thread(&self, id: &ThreadId, patch: ThreadPatch) -> Result<Thread>;
    /// `force` stops running jobs first; without it a running job is a `conflict`.
    async fn delete_thread(&self, id: &ThreadId, force: bool) -> Result<()>;

    /// Posts a user message; the planner answers with a plan and a pending job, or the call
    /// fails with `plan_rejected` (the thread then holds the assistant's explanation).
    async fn post_message(&self, thread: &ThreadId, request: PostMessage) -> Result<PostedMessage>;
    async fn list_messages(&self, thread: &ThreadId, page: PageParams) -> Result<Page<Message>>;

    async fn get_plan(&self, id: &PlanId) -> Result<Plan>;
    async fn replan(&self, id: &PlanId, feedback: &str) -> Result<PostedMessage>;

    async fn approve(&self, id: &JobId, request: Approve) -> Result<Job>;
    /// Returns once the job has reached a terminal state.
    async fn stop(&self, id: &JobId) -> Result<Job>;
    async fn get_job(&self, id: &JobId) -> Result<Job>;
    async fn list_jobs(&self, query: JobQuery) -> Result<Page<Job>>;
    /// Every stored event of a job after `after` (all when `None`), in order.
    async fn job_events(&self, id: &JobId, after: Option<EventId>) -> Result<Vec<Event>>;
    /// The job's log: every event, `result` events without their leads (counters only).
    async fn job_log(&self, id: &JobId) -> Result<Vec<Event>>;
    /// Stored events after `after`, then live ones until the job ends.
    async fn subscribe(&self, id: &JobId, after: Option<EventId>) -> Result<EventStream>;

    async fn list_leads(&self, job: &JobId, query: LeadQuery) -> Result<Page<Lead>>;
    /// Every lead of a job, in capture order.
    async fn all_leads(&self, job: &JobId) -> Result<Vec<Lead>>;
    /// The leads table's view of a job: ordinals of the leads passing the filter, in sort order.
    async fn lead_view(&self, job: &JobId, spec: ViewSpec) -> Result<LeadView>;
    /// Whole leads at these ordinals (capture positions), in the order asked.
    async fn leads_at(&self, job: &JobId, ordinals: Vec<u32>) -> Result<Vec<(u32, Lead)>>;
    async fn get_artifact(&self, id: &ArtifactId) -> Result<Artifact>;
    /// How a file on this machine maps (each header's target and a sample value), with the
    /// user's corrections applied.
    async fn file_mapping(&self, path: &Path, overrides: Vec<Override>) -> Result<FileSummary>;
    /// Opens a file on this machine as a job of kind `import` (see `Engine::open_file`).
    async fn open_file(&self, path: &Path, overrides: Vec<Override>) -> Result<Job>;
    /// A job's leads rendered as a file.
    async fn export(&self, job: &JobId, format: ExportFormat) -> Result<Vec<u8>>;
    /// The same export written to `path` (not over an existing file unless `overwrite`);
    /// returns what writing found and the leads written. This default renders it in memory;
    /// the local backend streams it from the store, whatever the job's size.
    async fn export_to_file(
        &self,
        job: &JobId,
        format: ExportFormat,
        path: &Path,
        overwrite: bool,
    ) -> Result<(crate::export::Written, u64)> {
        let leads = self.all_leads(job).await?;
        let bytes = crate::export::render(&leads, format)?;
        let written = crate::export::stream::write_bytes(path, &bytes, overwrite)?;
        Ok((written, leads.len() as u64))
    }

    async fn usage(&self) -> Result<Usage>;

    /// Pushes a finished job's leads to a provider; `progress` hears how many requests are done.
    async fn push(
        &self,
        job: &JobId,
        request: PushRequest,
        progress: Option<ProgressSender>,
    ) -> Result<PushResult>;
    /// Which push targets and providers are configured (reference: `GET /v1/integrations`).
    async fn integrations(&self) -> Result<Vec<IntegrationStatus>>;
    /// Enriches a finished job's leads with a provider.
    async fn enrich(
        &self,
        job: &JobId,
        request: EnrichRequest,
        progress: Option<ProgressSender>,
    ) -> Result<EnrichResult>;
}
