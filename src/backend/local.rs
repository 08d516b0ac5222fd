//! The in-process engine as a [`Backend`].

use async_trait::async_trait;
use futures::StreamExt;

use super::{Backend, BackendInfo, BackendKind, EventStream, StreamItem};
use crate::engine::Engine;
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

#[derive(Debug, Clone)]
pub struct LocalBackend {
    engine: Engine,
}

impl LocalBackend {
    pub fn new(engine: Engine) -> Self {
        Self { engine }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

#[async_trait]
impl Backend for LocalBackend {
    fn info(&self) -> BackendInfo {
        BackendInfo {
            kind: BackendKind::Local,
            livemode: self.engine.livemode(),
            location: self.engine.data_dir().display().to_string(),
        }
    }

    async fn create_thread(&self, request: CreateThread) -> Result<Thread> {
        self.engine.create_thread(request).await
    }

    async fn list_threads(&self, query: ThreadQuery) -> Result<Page<Thread>> {
        self.engine.list_threads(query).await
    }

    async fn get_thread(&self, id: &ThreadId) -> Result<Thread> {
        self.engine.get_thread(id).await
    }

    async fn update_thread(&self, id: &ThreadId, patch: ThreadPatch) -> Result<Thread> {
        self.engine.update_thread(id, patch).await
    }

    async fn delete_thread(&self, id: &ThreadId, force: bool) -> Result<()> {
        self.engine.delete_thread(id, force).await
    }

    async fn post_message(&self, thread: &ThreadId, request: PostMessage) -> Result<PostedMessage> {
        self.engine.post_message(thread, request).await
    }

    async fn list_messages(&self, thread: &ThreadId, page: PageParams) -> Result<Page<Message>> {
        self.engine.list_messages(thread, page).await
    }

    async fn get_plan(&self, id: &PlanId) -> Result<Plan> {
        self.engine.get_plan(id).await
    }

    async fn replan(&self, id: &PlanId, feedback: &str) -> Result<PostedMessage> {
        self.engine.replan(id, feedback).await
    }

    async fn approve(&self, id: &JobId, request: Approve) -> Result<Job> {
        self.engine.approve(id, request).await
    }

    async fn stop(&self, id: &JobId) -> Result<Job> {
        self.engine.stop(id).await
    }

    async fn get_job(&self, id: &JobId) -> Result<Job> {
        self.engine.get_job(id).await
    }

    async fn list_jobs(&self, query: JobQuery) -> Result<Page<Job>> {
        self.engine.list_jobs(query).await
    }

    async fn job_events(&self, id: &JobId, after: Option<EventId>) -> Result<Vec<Event>> {
        self.engine.job_events(id, after).await
    }

    async fn job_log(&self, id: &JobId) -> Result<Vec<Event>> {
        self.engine.job_log(id).await
    }

    async fn subscribe(&self, id: &JobId, after: Option<EventId>) -> Result<EventStream> {
        let events = self.engine.subscribe(id, after).await?;
        Ok(events.map(|e| e.map(StreamItem::Event)).boxed())
    }

    async fn list_leads(&self, job: &JobId, query: LeadQuery) -> Result<Page<Lead>> {
        self.engine.list_leads(job, query).await
    }

    async fn all_leads(&self, job: &JobId) -> Result<Vec<Lead>> {
        self.engine.all_leads(job).await
    }

    async fn lead_view(&self, job: &JobId, spec: ViewSpec) -> Result<LeadView> {
        self.engine.lead_view(job, spec).await
    }

    async fn leads_at(&self, job: &JobId, ordinals: Vec<u32>) -> Result<Vec<(u32, Lead)>> {
        self.engine.leads_at(job, ordinals).await
    }

    async fn file_mapping(&self, path: &Path, overrides: Vec<Override>) -> Result<FileSummary> {
        Ok(self.engine.preview_file(path, &overrides, 50).await?.0)
    }

    async fn open_file(&self, path: &Path, overrides: Vec<Override>) -> Result<Job> {
        Ok(self.engine.open_file(path, &overrides).await?.job)
    }

    async fn get_artifact(&self, id: &ArtifactId) -> Result<Artifact> {
        self.engine.get_artifact(id).await
    }

    async fn export(&self, job: &JobId, format: ExportFormat) -> Result<Vec<u8>> {
        self.engine.export(job, format).await
    }

    async fn export_to_file(
        &self,
        job: &JobId,
        format: ExportFormat,
        path: &Path,
        overwrite: bool,
    ) -> Result<(crate::export::Written, u64)> {
        self.engine
            .export_to_file(job, format, path, overwrite)
            .await
    }

    async fn usage(&self) -> Result<Usage> {
        self.engine.usage().await
    }

    async fn push(
        &self,
        job: &JobId,
        request: PushRequest,
        progress: Option<ProgressSender>,
    ) -> Result<PushResult> {
        self.engine.push(job, request, progress).await
    }

    async fn integrations(&self) -> Result<Vec<IntegrationStatus>> {
        Ok(self.engine.integrations())
    }

    async fn enrich(
        &self,
        job: &JobId,
        request: EnrichRequest,
        progress: Option<ProgressSender>,
    ) -> Result<EnrichResult> {
        self.engine.enrich(job, request, progress).await
    }
}
