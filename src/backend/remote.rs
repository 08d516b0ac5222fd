//! A Leadex v1 server as a [`Backend`]: reqwest for requests and for event streams
//! ([`crate::net::sse`], resuming with `Last-Event-ID`).
//!
//! Every write carries an `Idempotency-Key` reused across its retries, so a retry never acts
//! twice; 429, 5xx and connection failures are retried with exponential backoff and jitter,
//! honouring `Retry-After`; a malformed answer becomes an error naming the endpoint.

use std::time::Duration;

use async_trait::async_trait;
use futures::StreamExt;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::{Backend, BackendInfo, BackendKind, EventStream, StreamItem};
use crate::model::error::ErrorEnvelope;
use crate::model::push::{
    EnrichRequest, EnrichResult, IntegrationProgress, IntegrationStatus, ProgressSender,
    PushProvider, PushRequest, PushResult,
};
use crate::model::requests::{
    Approve, CreateThread, ExportFormat, JobQuery, LeadQuery, PostMessage, PostedMessage, Replan,
    ThreadPatch, ThreadQuery,
};
use std::path::Path;

use crate::engine::sources::dataset::columns::Override;
use crate::engine::sources::dataset::stream::FileSummary;
use crate::model::table::{LeadView, ViewSpec, haystack, sanitize_lead, view_in_memory};
use crate::model::{
    Artifact, ArtifactId, Error, ErrorCode, Event, EventId, EventKind, Job, JobId, Lead, Message,
    Order, Page, PageParams, Plan, PlanId, Result, Thread, ThreadId, Timestamp, Usage,
};
use crate::net::retry::{self, Failure};
use crate::net::sse::{self, EventSource, Item, Reconnect};

/// How hard to try before giving up on one call: the remote backend's knobs for the shared
/// [`retry::RetryPolicy`] (see [`From`] below), with jitter always on.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub attempts: u32,
    /// The wait before the first retry of a 5xx or a failed connection; doubles after each.
    pub base: Duration,
    /// No wait is longer, `Retry-After` included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            base: Duration::from_millis(500),
            // Our server's rate limit resets within a minute; a shorter cap would retry into
            // another 429.
            max_delay: Duration::from_secs(60),
        }
    }
}

impl From<RetryPolicy> for retry::RetryPolicy {
    fn from(p: RetryPolicy) -> Self {
        Self {
            max_attempts: p.attempts,
            backoff: p.base,
            max_wait: p.max_delay,
            // Many terminals pointed at one server must not come back in step.
            jitter: true,
        }
    }
}

#[derive(Clone)]
pub struct RemoteBackend {
    http: reqwest::Client,
    /// For event streams: no overall timeout (a stream lasts as long as its job).
    stream_http: reqwest::Client,
    base: String,
    key: String,
    retry: retry::RetryPolicy,
}

impl std::fmt::Debug for RemoteBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a secret: never printed, not even in debug output.
        f.debug_struct("RemoteBackend")
            .field("base", &self.base)
            .field("key", &crate::text::mask_secret(&self.key))
            .finish()
    }
}

impl RemoteBackend {
    /// `base_url` is the API root, e.g. `http://127.0.0.1:8787/v1` (a missing `/v1` is added).
    pub fn new(base_url: &str, api_key: &str) -> Result<Self> {
        let mut base = base_url.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(Error::invalid(format!(
                "The remote URL `{}` must start with http:// or https://.",
                crate::text::sanitize_inline(&base)
            )));
        }
        if !base.ends_with("/v1") {
            base.push_str("/v1");
        }
        if api_key.trim().is_empty() {
            return Err(Error::new(
                ErrorCode::Authentication,
                "No API key for the remote server: set LEADEX_API_KEY (or the variable named by [backend] api_key_env).",
            ));
        }
        let builder = || {
            reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(10))
                .user_agent(concat!("leadline/", env!("CARGO_PKG_VERSION")))
        };
        let build_error =
            |e: reqwest::Error| Error::internal(format!("cannot build the HTTP client: {e}"));
        let http = builder()
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(build_error)?;
        let stream_http = builder().build().map_err(build_error)?;
        Ok(Self {
            http,
            stream_http,
            base,
            key: api_key.trim().to_string(),
            retry: RetryPolicy::default().into(),
        })
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry.into();
        self
    }

    /// One logical call, retried per the shared policy. Returns the raw body of a 2xx answer.
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Value>,
    ) -> Result<Vec<u8>> {
        let endpoint = format!("{method} {path}");
        let is_write = method != Method::GET;
        // One key for every try, so a retry of a write that did land never acts twice.
        let idempotency_key = is_write.then(|| format!("ll_{}", ulid::Ulid::generate()));
        let mut tries = self.retry.start();
        loop {
            tries.begin();
            let mut req = self
                .http
                .request(method.clone(), format!("{}{path}", self.base))
                .bearer_auth(&self.key)
                .header("accept", "application/json")
                .query(query);
            if let Some(k) = &idempotency_key {
                req = req.header("idempotency-key", k);
            }
            if let Some(b) = &body {
                req = req.json(b);
            }
            let wait = match req.send().await {
                Err(e) if e.is_connect() || e.is_timeout() || e.is_request() => {
                    tries.next(Failure::Transport).ok_or_else(|| {
                        Error::new(
                            ErrorCode::Unavailable,
                            format!(
                                "{endpoint}: cannot reach the server at {} ({e}). Is `leadline serve` running?",
                                self.base
                            ),
                        )
                    })?
                }
                Err(e) => {
                    return Err(Error::new(
                        ErrorCode::Unavailable,
                        format!("{endpoint}: {e}"),
                    ));
                }
                Ok(resp) => {
                    let status = resp.status();
                    let retry_after = retry::retry_after(resp.headers());
                    let bytes = resp.bytes().await.map_err(|e| {
                        Error::new(
                            ErrorCode::Unavailable,
                            format!("{endpoint}: the answer was cut off ({e})"),
                        )
                    })?;
                    if status.is_success() {
                        return Ok(bytes.to_vec());
                    }
                    let failure = Failure::Status {
                        status: status.as_u16(),
                        retry_after,
                    };
                    tries
                        .next(failure)
                        .ok_or_else(|| api_error(&endpoint, status, &bytes))?
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Value>,
    ) -> Result<T> {
        let endpoint = format!("{method} {path}");
        let bytes = self.call(method, path, query, body).await?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::internal(format!(
                "{endpoint}: the server's answer is not what the Leadex v1 API specifies ({e})"
            ))
        })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, query: &[(String, String)]) -> Result<T> {
        self.json(Method::GET, path, query, None).await
    }

    async fn post<T: DeserializeOwned, B: Serialize>(&self, path: &str, body: &B) -> Result<T> {
        let body = serde_json::to_value(body).map_err(|e| Error::internal(e.to_string()))?;
        self.json(Method::POST, path, &[], Some(body)).await
    }
}

/// The error envelope of a non-2xx answer, or a clear error when there is none.
fn api_error(endpoint: &str, status: StatusCode, body: &[u8]) -> Error {
    match serde_json::from_slice::<ErrorEnvelope>(body) {
        Ok(env) => env.error,
        Err(_) => {
            let code = match status.as_u16() {
                400 => ErrorCode::InvalidRequest,
                401 => ErrorCode::Authentication,
                402 => ErrorCode::InsufficientCredits,
                403 => ErrorCode::Permission,
                404 => ErrorCode::NotFound,
                409 => ErrorCode::Conflict,
                422 => ErrorCode::PlanRejected,
                429 => ErrorCode::RateLimit,
                503 => ErrorCode::Unavailable,
                _ => ErrorCode::Internal,
            };
            let snippet: String = String::from_utf8_lossy(body).chars().take(120).collect();
            Error::new(
                code,
                format!(
                    "{endpoint}: HTTP {status} without an error envelope: {}",
                    crate::text::sanitize_inline(&snippet)
                ),
            )
        }
    }
}

/// Reconnects wait 250 ms, doubling to 5 s; a stream silent for a minute (the server sends
/// keep-alives far more often) is reopened.
const STREAM_RECONNECT: Reconnect = Reconnect {
    delay: Duration::from_millis(250),
    max_delay: Duration::from_secs(5),
    read_timeout: Duration::from_secs(60),
};

/// Consecutive failed connections after which a subscription gives up.
const STREAM_MAX_FAILURES: u32 = 40;

/// One job's event stream: the reconnecting reader, and what has been handed out.
struct Subscription {
    source: EventSource,
    job: JobId,
    last: Option<EventId>,
    failures: u32,
    done: bool,
}

impl Subscription {
    async fn next(&mut self) -> Result<StreamItem> {
        loop {
            match self.source.next().await {
                Item::Connected => {
                    if self.failures > 0 {
                        self.failures = 0;
                        return Ok(StreamItem::Connected);
                    }
                }
                Item::Event(e) => {
                    if let Some(item) = self.event(e)? {
                        return Ok(item);
                    }
                }
                Item::Failed(sse::Failure::Status(status))
                    if (400..500).contains(&status) && status != 429 =>
                {
                    self.done = true;
                    let code = if status == 404 {
                        ErrorCode::NotFound
                    } else {
                        ErrorCode::Authentication
                    };
                    let message = format!("GET /jobs/{}/stream: HTTP {status}", self.job);
                    return Err(Error::new(code, message));
                }
                Item::Failed(failure) => {
                    self.failures += 1;
                    if self.failures > STREAM_MAX_FAILURES {
                        self.done = true;
                        return Err(Error::new(
                            ErrorCode::Unavailable,
                            format!(
                                "GET /jobs/{}/stream: gave up reconnecting ({failure})",
                                self.job
                            ),
                        ));
                    }
                    return Ok(StreamItem::Reconnecting {
                        attempt: self.failures,
                        reason: failure.to_string(),
                    });
                }
            }
        }
    }

    /// The job event an SSE event carries, or `None` for one to skip (no id, an unknown type,
    /// or one already handed out: never twice, whatever a reconnect replays).
    fn event(&mut self, e: sse::Event) -> Result<Option<StreamItem>> {
        let Some(id) = e.id.as_deref().and_then(EventId::parse) else {
            return Ok(None);
        };
        if self.last.is_some_and(|last| id <= last) {
            return Ok(None);
        }
        let Some(kind) = EventKind::parse(&e.event) else {
            return Ok(None);
        };
        let data: Value = serde_json::from_str(&e.data).map_err(|err| {
            self.done = true;
            Error::internal(format!(
                "GET /jobs/{}/stream: event {id} is not JSON ({err})",
                self.job
            ))
        })?;
        self.last = Some(id);
        self.done = kind.is_terminal();
        Ok(Some(StreamItem::Event(Event {
            id,
            object: "event".into(),
            job_id: self.job.clone(),
            kind,
            data,
            created_at: Timestamp::now(),
        })))
    }
}

fn page_query(p: &PageParams) -> Vec<(String, String)> {
    let mut q = Vec::new();
    if let Some(l) = p.limit {
        q.push(("limit".into(), l.to_string()));
    }
    if let Some(c) = &p.cursor {
        q.push(("cursor".into(), c.clone()));
    }
    if let Some(o) = p.order {
        q.push((
            "order".into(),
            if o == Order::Asc { "asc" } else { "desc" }.into(),
        ));
    }
    q
}

#[async_trait]
impl Backend for RemoteBackend {
    fn info(&self) -> BackendInfo {
        BackendInfo {
            kind: BackendKind::Remote,
            livemode: self.key.starts_with("sk_live_"),
            location: self.base.clone(),
        }
    }

    async fn create_thread(&self, request: CreateThread) -> Result<Thread> {
        self.post("/threads", &request).await
    }

    async fn list_threads(&self, query: ThreadQuery) -> Result<Page<Thread>> {
        let mut q = page_query(&query.page);
        if let Some(text) = query.q {
            q.push(("q".into(), text));
        }
        if let Some(s) = query.has_job_status {
            q.push(("has_job_status".into(), s.as_str().into()));
        }
        self.get("/threads", &q).await
    }

    async fn get_thread(&self, id: &ThreadId) -> Result<Thread> {
        self.get(&format!("/threads/{id}"), &[]).await
    }

    async fn update_thread(&self, id: &ThreadId, patch: ThreadPatch) -> Result<Thread> {
        let body = serde_json::to_value(&patch).map_err(|e| Error::internal(e.to_string()))?;
        self.json(Method::PATCH, &format!("/threads/{id}"), &[], Some(body))
            .await
    }

    async fn delete_thread(&self, id: &ThreadId, force: bool) -> Result<()> {
        let q = if force {
            vec![("force".to_string(), "true".to_string())]
        } else {
            vec![]
        };
        self.call(Method::DELETE, &format!("/threads/{id}"), &q, None)
            .await
            .map(|_| ())
    }

    async fn post_message(&self, thread: &ThreadId, request: PostMessage) -> Result<PostedMessage> {
        self.post(&format!("/threads/{thread}/messages"), &request)
            .await
    }

    async fn list_messages(&self, thread: &ThreadId, page: PageParams) -> Result<Page<Message>> {
        self.get(&format!("/threads/{thread}/messages"), &page_query(&page))
            .await
    }

    async fn get_plan(&self, id: &PlanId) -> Result<Plan> {
        self.get(&format!("/plans/{id}"), &[]).await
    }

    async fn replan(&self, id: &PlanId, feedback: &str) -> Result<PostedMessage> {
        self.post(
            &format!("/plans/{id}/replan"),
            &Replan {
                feedback: feedback.to_string(),
            },
        )
        .await
    }

    async fn approve(&self, id: &JobId, request: Approve) -> Result<Job> {
        self.post(&format!("/jobs/{id}/approve"), &request).await
    }

    async fn stop(&self, id: &JobId) -> Result<Job> {
        self.post(&format!("/jobs/{id}/stop"), &json!({})).await
    }

    async fn get_job(&self, id: &JobId) -> Result<Job> {
        self.get(&format!("/jobs/{id}"), &[]).await
    }

    async fn list_jobs(&self, query: JobQuery) -> Result<Page<Job>> {
        let mut q = page_query(&query.page);
        if !query.status.is_empty() {
            q.push((
                "status".into(),
                query
                    .status
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            ));
        }
        if let Some(t) = query.thread_id {
            q.push(("thread_id".into(), t.to_string()));
        }
        for (name, at) in [
            ("created_after", query.created_after),
            ("created_before", query.created_before),
        ] {
            if let Some(at) = at {
                q.push((name.into(), at.to_string()));
            }
        }
        self.get("/jobs", &q).await
    }

    async fn job_events(&self, id: &JobId, after: Option<EventId>) -> Result<Vec<Event>> {
        let page: Page<Event> = self.get(&format!("/jobs/{id}/logs"), &[]).await?;
        Ok(page
            .data
            .into_iter()
            .filter(|e| after.is_none_or(|a| e.id > a))
            .collect())
    }

    async fn job_log(&self, id: &JobId) -> Result<Vec<Event>> {
        let q = [("leads".to_string(), "false".to_string())];
        let page: Page<Event> = self.get(&format!("/jobs/{id}/logs"), &q).await?;
        Ok(page.data)
    }

    async fn subscribe(&self, id: &JobId, after: Option<EventId>) -> Result<EventStream> {
        // A plain request first: a bad id or key is a clear error, not a reconnect loop.
        self.get_job(id).await?;
        let url = format!("{}/jobs/{id}/stream", self.base);
        let source = EventSource::new(self.stream_http.clone(), url, STREAM_RECONNECT)
            .bearer(self.key.clone())
            .last_event_id(after.map(|a| a.to_string()));
        let st = Subscription {
            source,
            job: id.clone(),
            last: after,
            failures: 0,
            done: false,
        };
        let stream = futures::stream::unfold(st, |mut st| async move {
            if st.done {
                return None;
            }
            let item = st.next().await;
            Some((item, st))
        });
        Ok(stream.boxed())
    }

    async fn list_leads(&self, job: &JobId, query: LeadQuery) -> Result<Page<Lead>> {
        let mut q = page_query(&query.page);
        if let Some(m) = query.min_confidence {
            q.push(("min_confidence".into(), m.to_string()));
        }
        for f in query.has_field {
            q.push(("has_field".into(), f));
        }
        self.get(&format!("/jobs/{job}/leads"), &q).await
    }

    async fn all_leads(&self, job: &JobId) -> Result<Vec<Lead>> {
        let mut out = Vec::new();
        let mut query = LeadQuery {
            page: PageParams {
                limit: Some(100),
                ..PageParams::default()
            },
            ..LeadQuery::default()
        };
        loop {
            let page = self.list_leads(job, query.clone()).await?;
            out.extend(page.data);
            match page.next_cursor {
                Some(c) if page.has_more => query.page.cursor = Some(c),
                _ => return Ok(out),
            }
        }
    }

    /// Over HTTP the view is computed here, in memory, from every lead (the API has no view
    /// endpoint); the TUI keeps a remote job's leads in memory anyway.
    async fn lead_view(&self, job: &JobId, spec: ViewSpec) -> Result<LeadView> {
        let (leads, hay) = sanitized(self.all_leads(job).await?);
        let ordinals = view_in_memory(
            &leads,
            &hay,
            &spec.query,
            spec.sort.as_ref(),
            spec.min_confidence,
        );
        let field_keys = spec.field_keys.then(|| {
            let mut keys: Vec<String> = Vec::new();
            for l in &leads {
                for k in l.fields.keys() {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
            }
            keys
        });
        Ok(LeadView {
            ordinals,
            total: leads.len() as u64,
            field_keys,
        })
    }

    async fn leads_at(&self, job: &JobId, ordinals: Vec<u32>) -> Result<Vec<(u32, Lead)>> {
        let mut all: Vec<Option<Lead>> = self.all_leads(job).await?.into_iter().map(Some).collect();
        Ok(ordinals
            .into_iter()
            .filter_map(|o| Some((o, all.get_mut(o as usize)?.take()?)))
            .collect())
    }

    async fn file_mapping(&self, path: &Path, _overrides: Vec<Override>) -> Result<FileSummary> {
        Err(local_only(path))
    }

    async fn open_file(&self, path: &Path, _overrides: Vec<Override>) -> Result<Job> {
        Err(local_only(path))
    }

    async fn get_artifact(&self, id: &ArtifactId) -> Result<Artifact> {
        self.get(&format!("/artifacts/{id}"), &[]).await
    }

    async fn export(&self, job: &JobId, format: ExportFormat) -> Result<Vec<u8>> {
        // Rendered here from the leads, with the same code as a local backend: the same job
        // exports the same bytes locally and remotely, finished or not.
        let leads = self.all_leads(job).await?;
        tokio::task::spawn_blocking(move || crate::export::render(&leads, format))
            .await
            .map_err(|e| Error::internal(format!("export task failed: {e}")))?
    }

    async fn usage(&self) -> Result<Usage> {
        self.get("/usage", &[]).await
    }

    async fn push(
        &self,
        job: &JobId,
        request: PushRequest,
        progress: Option<ProgressSender>,
    ) -> Result<PushResult> {
        if request.provider == PushProvider::File {
            // The server never writes client files: the leads come down and are written here.
            let found = self.get_job(job).await?;
            let leads = self.all_leads(job).await?;
            crate::model::push::check_pushable(&found, &leads, &request)?;
            let job = job.clone();
            return tokio::task::spawn_blocking(move || {
                crate::export::file::push(&job, &leads, &request)
            })
            .await
            .map_err(|e| Error::internal(format!("the file push task failed: {e}")))?;
        }
        let result: PushResult = self.post(&format!("/jobs/{job}/push"), &request).await?;
        if let Some(p) = progress {
            // One request to the server: progress jumps from nothing to done.
            let n = result.requests_sent;
            p.send_replace(IntegrationProgress { done: n, total: n });
        }
        Ok(result)
    }

    async fn integrations(&self) -> Result<Vec<IntegrationStatus>> {
        let page: Page<IntegrationStatus> = self.get("/integrations", &[]).await?;
        let mut list = page.data;
        // The server never writes the client's files; this machine does.
        if let Some(file) = list.iter_mut().find(|s| s.provider == "file") {
            file.connected = true;
            file.detail = "CSV, JSON or XLSX on this machine".into();
        }
        Ok(list)
    }

    async fn enrich(
        &self,
        job: &JobId,
        request: EnrichRequest,
        progress: Option<ProgressSender>,
    ) -> Result<EnrichResult> {
        let result: EnrichResult = self.post(&format!("/jobs/{job}/enrich"), &request).await?;
        if let Some(p) = progress {
            let n = result.requests_sent;
            p.send_replace(IntegrationProgress { done: n, total: n });
        }
        Ok(result)
    }
}

/// Leads cleaned as the table shows them, with their search text.
fn sanitized(mut leads: Vec<Lead>) -> (Vec<Lead>, Vec<String>) {
    for l in &mut leads {
        sanitize_lead(l);
    }
    let hay = leads.iter().map(haystack).collect();
    (leads, hay)
}

/// Files are opened by the engine on this machine; a remote server cannot read them.
fn local_only(path: &Path) -> crate::model::Error {
    crate::model::Error::invalid(format!(
        "{} is a file on this machine: open it with the local engine (leadline open, without --remote).",
        crate::text::sanitize_inline(&path.display().to_string())
    ))
}
