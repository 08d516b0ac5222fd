//! A Leadex v1 server as a [`Backend`]: reqwest for requests, eventsource-client for streams.
//!
//! Every write carries an `Idempotency-Key` reused across its retries, so a retry never acts
//! twice; 429, 5xx and connection failures are retried with exponential backoff and jitter,
//! honouring `Retry-After`; a malformed answer becomes an error naming the endpoint.

use std::time::Duration;

use async_trait::async_trait;
use eventsource_client::{Client as _, ClientBuilder, ReconnectOptions, SSE};
use futures::StreamExt;
use rand::Rng;
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
use crate::model::{
    Artifact, ArtifactId, Error, ErrorCode, Event, EventId, EventKind, Job, JobId, Lead, Message,
    Order, Page, PageParams, Plan, PlanId, Result, Thread, ThreadId, Timestamp, Usage,
};

/// How hard to try before giving up on one call.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub base: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            base: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
        }
    }
}

#[derive(Clone)]
pub struct RemoteBackend {
    http: reqwest::Client,
    base: String,
    key: String,
    retry: RetryPolicy,
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
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("leadline/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::internal(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            base,
            key: api_key.trim().to_string(),
            retry: RetryPolicy::default(),
        })
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self.retry.base.saturating_mul(1 << attempt.min(10));
        let jitter = Duration::from_millis(
            rand::rng().random_range(0..=self.retry.base.as_millis().max(1) as u64),
        );
        retry_after
            .unwrap_or(Duration::ZERO)
            .max(exp + jitter)
            .min(self.retry.max_delay.max(retry_after.unwrap_or_default()))
    }

    /// One logical call, retried as needed. Returns the raw body of a 2xx answer.
    async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Value>,
    ) -> Result<Vec<u8>> {
        let endpoint = format!("{method} {path}");
        let is_write = method != Method::GET;
        let idempotency_key = is_write.then(|| format!("ll_{}", ulid::Ulid::generate()));
        let mut attempt = 0;
        loop {
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
            let outcome = req.send().await;
            let retryable_after = match outcome {
                Err(e) if e.is_connect() || e.is_timeout() || e.is_request() => {
                    if attempt + 1 >= self.retry.attempts {
                        return Err(Error::new(
                            ErrorCode::Unavailable,
                            format!(
                                "{endpoint}: cannot reach the server at {} ({e}). Is `leadline serve` running?",
                                self.base
                            ),
                        ));
                    }
                    None
                }
                Err(e) => {
                    return Err(Error::new(
                        ErrorCode::Unavailable,
                        format!("{endpoint}: {e}"),
                    ));
                }
                Ok(resp) => {
                    let status = resp.status();
                    let retry_after = resp
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let bytes = resp.bytes().await.map_err(|e| {
                        Error::new(
                            ErrorCode::Unavailable,
                            format!("{endpoint}: the answer was cut off ({e})"),
                        )
                    })?;
                    if status.is_success() {
                        return Ok(bytes.to_vec());
                    }
                    let retryable =
                        status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
                    if !retryable || attempt + 1 >= self.retry.attempts {
                        return Err(api_error(&endpoint, status, &bytes));
                    }
                    retry_after
                }
            };
            tokio::time::sleep(self.backoff(attempt, retryable_after)).await;
            attempt += 1;
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
        let transport = launchdarkly_sdk_transport::HyperTransport::builder()
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(60))
            .build_http()
            .map_err(|e| Error::internal(format!("cannot build the stream transport: {e}")))?;
        let mut builder = ClientBuilder::for_url(&url)
            .map_err(|e| Error::invalid(format!("bad stream URL {url}: {e}")))?
            .header("Authorization", &format!("Bearer {}", self.key))
            .map_err(|e| Error::invalid(format!("bad key header: {e}")))?
            .reconnect(
                ReconnectOptions::reconnect(true)
                    .retry_initial(true)
                    .delay(Duration::from_millis(250))
                    .backoff_factor(2)
                    .delay_max(Duration::from_secs(5))
                    .build(),
            );
        if let Some(a) = after {
            builder = builder.last_event_id(a.to_string());
        }
        let client = builder.build_with_transport(transport);
        let job = id.clone();
        struct St {
            inner: eventsource_client::BoxStream<eventsource_client::Result<SSE>>,
            _client: Box<dyn eventsource_client::Client>,
            job: JobId,
            last: Option<EventId>,
            failures: u32,
            done: bool,
        }
        let inner = client.stream();
        let st = St {
            inner,
            _client: Box::new(client),
            job,
            last: after,
            failures: 0,
            done: false,
        };
        let stream = futures::stream::unfold(st, |mut st| async move {
            loop {
                if st.done {
                    return None;
                }
                match st.inner.next().await {
                    None => return None,
                    Some(Ok(SSE::Connected(_))) => {
                        if st.failures > 0 {
                            st.failures = 0;
                            return Some((Ok(StreamItem::Connected), st));
                        }
                    }
                    Some(Ok(SSE::Comment(_))) => {}
                    Some(Ok(SSE::Event(e))) => {
                        let Some(id) = e.id.as_deref().and_then(EventId::parse) else {
                            continue;
                        };
                        // Never hand out an event twice, whatever the transport replays.
                        if st.last.is_some_and(|last| id <= last) {
                            continue;
                        }
                        let Some(kind) = EventKind::parse(&e.event_type) else {
                            continue;
                        };
                        let data: Value = match serde_json::from_str(&e.data) {
                            Ok(v) => v,
                            Err(err) => {
                                st.done = true;
                                return Some((
                                    Err(Error::internal(format!(
                                        "GET /jobs/{}/stream: event {id} is not JSON ({err})",
                                        st.job
                                    ))),
                                    st,
                                ));
                            }
                        };
                        st.last = Some(id);
                        st.done = kind.is_terminal();
                        let event = Event {
                            id,
                            object: "event".into(),
                            job_id: st.job.clone(),
                            kind,
                            data,
                            created_at: Timestamp::now(),
                        };
                        return Some((Ok(StreamItem::Event(event)), st));
                    }
                    Some(Err(eventsource_client::Error::UnexpectedResponse(resp, _)))
                        if (400..500).contains(&resp.status()) && resp.status() != 429 =>
                    {
                        st.done = true;
                        let code = if resp.status() == 404 {
                            ErrorCode::NotFound
                        } else {
                            ErrorCode::Authentication
                        };
                        return Some((
                            Err(Error::new(
                                code,
                                format!("GET /jobs/{}/stream: HTTP {}", st.job, resp.status()),
                            )),
                            st,
                        ));
                    }
                    Some(Err(e)) => {
                        st.failures += 1;
                        if st.failures > 40 {
                            st.done = true;
                            return Some((
                                Err(Error::new(
                                    ErrorCode::Unavailable,
                                    format!(
                                        "GET /jobs/{}/stream: gave up reconnecting ({e})",
                                        st.job
                                    ),
                                )),
                                st,
                            ));
                        }
                        let reason = e.to_string();
                        return Some((
                            Ok(StreamItem::Reconnecting {
                                attempt: st.failures,
                                reason,
                            }),
                            st,
                        ));
                    }
                }
            }
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

    async fn get_artifact(&self, id: &ArtifactId) -> Result<Artifact> {
        self.get(&format!("/artifacts/{id}"), &[]).await
    }

    async fn export(&self, job: &JobId, format: ExportFormat) -> Result<Vec<u8>> {
        // Rendered here from the leads, with the same code as the local engine: the same job
        // exports the same bytes locally and remotely, finished or not.
        let leads = self.all_leads(job).await?;
        tokio::task::spawn_blocking(move || crate::engine::artifacts::render(&leads, format))
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
            crate::engine::integrations::push::check_pushable(&found, &leads, &request)?;
            let job = job.clone();
            return tokio::task::spawn_blocking(move || {
                crate::engine::integrations::file::push(&job, &leads, &request)
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
