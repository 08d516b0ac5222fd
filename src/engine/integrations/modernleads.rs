//! Modern Leads client (docs/integrations.md, "Modern Leads"): email verification, email
//! lookup, ICP qualification and their batch forms.
//!
//! Every call carries `Authorization: Bearer <key>` and an `Idempotency-Key` that stays the same
//! across the retries of one call, so a retry after a 429 or a 500 can never charge twice. Calls
//! are spaced to the key's rate (60/min by default) before they leave, and the shared retry rule
//! ([`http::send`], with jitter as the provider asks) handles a 429's `Retry-After` and 5xx.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use super::http::{self, HttpResponse, RetryPolicy};
use super::{Secrets, not_configured};
use crate::config::ServiceConfig;
use crate::model::{Error, ErrorCode};
use crate::text::sanitize_inline;

pub const DEFAULT_BASE_URL: &str = "https://app.modernleads.io";
pub const DEFAULT_KEY_ENV: &str = "MODERNLEADS_API_KEY";
/// The provider's documented default limit per key.
pub const DEFAULT_RATE_PER_MINUTE: u32 = 60;
/// The documented ceiling of one batch.
pub const MAX_BATCH: usize = 10_000;
/// Where a 402 sends the user when the answer names no page.
const TOP_UP_URL: &str = "https://app.modernleads.io/coins";
/// A batch download of 10,000 rows runs to a few megabytes: more than the 1 MiB an ordinary
/// answer may have, still bounded.
const MAX_DOWNLOAD: usize = 32 << 20;

/// How the client paces itself and polls batches. Not in the config file: the defaults follow the
/// provider's published limits; tests shorten them.
#[derive(Debug, Clone)]
pub struct Tuning {
    pub rate_per_minute: u32,
    /// The first wait between batch status polls; doubles up to `poll_max`.
    pub poll_initial: Duration,
    pub poll_max: Duration,
    /// A batch still unfinished after this is given up on (with a message saying so).
    pub poll_deadline: Duration,
    pub retry: RetryPolicy,
    pub timeout: Duration,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            rate_per_minute: DEFAULT_RATE_PER_MINUTE,
            poll_initial: Duration::from_secs(2),
            poll_max: Duration::from_secs(30),
            poll_deadline: Duration::from_secs(2 * 60 * 60),
            retry: RetryPolicy {
                max_attempts: 4,
                jitter: true,
                ..RetryPolicy::default()
            },
            timeout: Duration::from_secs(60),
        }
    }
}

/// Spaces requests evenly: each takes the next free slot `interval` after the previous one, so
/// no window of a minute ever holds more than the rate. No bursts: the provider's burst allowance
/// is once an hour and not worth the risk of a 429.
#[derive(Debug)]
struct Limiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Limiter {
    fn new(rate_per_minute: u32) -> Self {
        Self {
            interval: Duration::from_secs(60) / rate_per_minute.max(1),
            next: Mutex::new(None),
        }
    }

    /// Waits for this request's slot.
    async fn acquire(&self) {
        let slot = self.reserve(1);
        tokio::time::sleep_until(slot).await;
    }

    /// Takes `n` slots and returns when the first of them starts. Retries inside
    /// [`http::send`] cannot wait for a slot, so their slots are charged afterwards: the next
    /// call waits for them instead.
    fn reserve(&self, n: u32) -> Instant {
        let now = Instant::now();
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let slot = next.map_or(now, |t| t.max(now));
        *next = Some(slot + self.interval * n);
        slot
    }
}

/// (base URL, SHA-256 of the key, rate) → its limiter.
type Limiters = HashMap<(String, String, u32), Arc<Limiter>>;

/// One limiter per (service, key) in the process, so two enrichments at once share the key's
/// budget instead of each spending all of it. Keyed by the key's hash: the map outlives clients.
fn shared_limiter(base: &str, key: &str, rate: u32) -> Arc<Limiter> {
    use sha2::Digest;
    static LIMITERS: Mutex<Option<Limiters>> = Mutex::new(None);
    let digest = hex::encode(sha2::Sha256::digest(key.as_bytes()));
    let mut guard = LIMITERS.lock().unwrap_or_else(|p| p.into_inner());
    guard
        .get_or_insert_with(HashMap::new)
        .entry((base.to_string(), digest, rate))
        .or_insert_with(|| Arc::new(Limiter::new(rate)))
        .clone()
}

/// A fresh random key in the UUID v4 layout the reference's examples use (`uuidgen`).
pub fn idempotency_key() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

// ---- Wire types (field names and types as in the reference) ----

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LookupRequest {
    pub first_name: String,
    pub last_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linkedin_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct LookupResponse {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    pub status: String,
    #[serde(default)]
    pub verified: bool,
    #[serde(default)]
    pub credits_charged: f64,
    #[serde(default)]
    pub cached_hit: bool,
    #[serde(default)]
    pub alt_emails: Vec<String>,
    #[serde(default)]
    pub alt_phones: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct VerifyRequest<'a> {
    email: &'a str,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct VerifyResponse {
    pub email: String,
    pub status: String,
    #[serde(default)]
    pub verified: bool,
    #[serde(default)]
    pub deliverable: Option<bool>,
    #[serde(default)]
    pub cached: bool,
    #[serde(default)]
    pub credits_charged: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QualifyRequest {
    pub domain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employees: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct QualifyResponse {
    pub fit_score: f64,
    pub fit_label: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub credits_charged: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct BatchVerifyRequest<'a> {
    emails: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct BatchEnrichRequest<'a> {
    rows: &'a [LookupRequest],
    find_phones: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

/// The answer to a batch submission.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BatchCreated {
    pub batch_id: String,
    pub status: String,
    #[serde(default)]
    pub total_rows: Option<u64>,
    #[serde(default)]
    pub total_emails: Option<u64>,
    #[serde(default)]
    pub status_url: Option<String>,
    #[serde(default)]
    pub download_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BatchStatus {
    pub batch_id: String,
    #[serde(default)]
    pub kind: Option<String>,
    pub status: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub total_rows: Option<u64>,
    #[serde(default)]
    pub processed_rows: Option<u64>,
    #[serde(default)]
    pub found_count: Option<u64>,
    #[serde(default)]
    pub not_found_count: Option<u64>,
    #[serde(default)]
    pub download_url: Option<String>,
    /// Not in the reference's example; counted when a server sends it.
    #[serde(default)]
    pub credits_charged: Option<f64>,
}

impl BatchStatus {
    pub fn is_finished(&self) -> bool {
        matches!(self.status.as_str(), "completed" | "failed")
    }
}

/// One result row. The reference shows the enrich batch's row; a verify batch's row is not
/// shown, so every field is optional and a verify row is read by `email`, `status`, `verified`
/// and `deliverable` like the single endpoint's answer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BatchRow {
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub linkedin_url: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub verified: Option<bool>,
    #[serde(default)]
    pub deliverable: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BatchResults {
    pub batch_id: String,
    pub results: Vec<BatchRow>,
    #[serde(default)]
    pub credits_charged: Option<f64>,
}

/// The provider's error envelope.
#[derive(Debug, Clone, Default, Deserialize)]
struct Envelope {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    cta_url: Option<String>,
}

/// A configured Modern Leads client.
pub struct ModernLeads {
    base: String,
    key: String,
    key_env: String,
    client: reqwest::Client,
    tuning: Tuning,
    limiter: Arc<Limiter>,
    requests: AtomicU64,
}

impl std::fmt::Debug for ModernLeads {
    // The key is never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModernLeads")
            .field("base", &self.base)
            .field("key_env", &self.key_env)
            .finish_non_exhaustive()
    }
}

impl ModernLeads {
    /// The client for `[providers.modernleads]`, or an error naming the keys to set.
    pub fn from_config(config: &ServiceConfig, secrets: &Secrets) -> Result<Self, Error> {
        Self::with_tuning(config, secrets, Tuning::default())
    }

    pub fn with_tuning(
        config: &ServiceConfig,
        secrets: &Secrets,
        tuning: Tuning,
    ) -> Result<Self, Error> {
        let key_env = config
            .api_key_env
            .clone()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_KEY_ENV.to_string());
        let Some(key) = secrets.get(&key_env) else {
            return Err(not_configured(
                "Modern Leads",
                "providers.modernleads",
                &["api_key_env", "base_url"],
                &format!(
                    " (api_key_env names the environment variable holding the key, default {DEFAULT_KEY_ENV}; base_url defaults to {DEFAULT_BASE_URL}), and set {key_env} to an ml_live_… or ml_test_… key"
                ),
            ));
        };
        let base = config
            .base_url
            .clone()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let base = base.trim().trim_end_matches('/').to_string();
        url::Url::parse(&base).map_err(|e| {
            Error::invalid(format!(
                "[providers.modernleads] base_url `{}` is not a URL: {e}.",
                sanitize_inline(&base)
            ))
            .with_param("base_url")
        })?;
        let limiter = shared_limiter(&base, &key, tuning.rate_per_minute);
        Ok(Self {
            client: http::client(tuning.timeout)?,
            base,
            key,
            key_env,
            tuning,
            limiter,
            requests: AtomicU64::new(0),
        })
    }

    /// A key that never burns credits (`ml_test_…`).
    pub fn is_test_key(&self) -> bool {
        self.key.starts_with("ml_test_")
    }

    pub fn tuning(&self) -> &Tuning {
        &self.tuning
    }

    /// HTTP requests sent so far, retries included.
    pub fn requests_sent(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The full URL of an endpoint path (`/v1/verify/email`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn verify_email(&self, email: &str) -> Result<VerifyResponse, Error> {
        self.post("/v1/verify/email", &VerifyRequest { email })
            .await
    }

    pub async fn lookup(&self, request: &LookupRequest) -> Result<LookupResponse, Error> {
        self.post("/v1/lookup", request).await
    }

    pub async fn qualify(&self, request: &QualifyRequest) -> Result<QualifyResponse, Error> {
        self.post("/v1/qualify", request).await
    }

    pub async fn batch_verify(
        &self,
        emails: &[String],
        name: Option<&str>,
    ) -> Result<BatchCreated, Error> {
        check_batch_size(emails.len())?;
        self.post("/v1/batch/verify", &BatchVerifyRequest { emails, name })
            .await
    }

    pub async fn batch_enrich(
        &self,
        rows: &[LookupRequest],
        name: Option<&str>,
    ) -> Result<BatchCreated, Error> {
        check_batch_size(rows.len())?;
        let body = BatchEnrichRequest {
            rows,
            // Phones cost extra and a lead has no phone field to put them in.
            find_phones: false,
            name,
        };
        self.post("/v1/batch/enrich", &body).await
    }

    pub async fn batch_status(&self, batch_id: &str) -> Result<BatchStatus, Error> {
        let path = format!("/v1/batch/{}", path_segment(batch_id));
        self.get(&path, http::MAX_BODY).await
    }

    pub async fn batch_download(&self, batch_id: &str) -> Result<BatchResults, Error> {
        let path = format!("/v1/batch/{}/download", path_segment(batch_id));
        self.get(&path, MAX_DOWNLOAD).await
    }

    /// Polls a batch until it is completed or failed, waiting longer between polls as it runs.
    /// `on_poll` sees each status (for progress).
    pub async fn wait_for_batch(
        &self,
        batch_id: &str,
        mut on_poll: impl FnMut(&BatchStatus),
    ) -> Result<BatchStatus, Error> {
        let started = Instant::now();
        let mut wait = self.tuning.poll_initial;
        loop {
            tokio::time::sleep(wait).await;
            let status = self.batch_status(batch_id).await?;
            on_poll(&status);
            if status.is_finished() {
                return Ok(status);
            }
            if started.elapsed() >= self.tuning.poll_deadline {
                return Err(Error::new(
                    ErrorCode::Integration,
                    format!(
                        "Modern Leads batch {} is still {} after {} minutes; leadline stopped waiting. Its results stay downloadable at {}.",
                        sanitize_inline(batch_id),
                        sanitize_inline(&status.status),
                        started.elapsed().as_secs() / 60,
                        self.url(&format!("/v1/batch/{}/download", path_segment(batch_id)))
                    ),
                ));
            }
            wait = (wait * 2).min(self.tuning.poll_max);
        }
    }

    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::internal(format!("cannot encode a Modern Leads request: {e}")))?;
        self.call(reqwest::Method::POST, path, Some(bytes), http::MAX_BODY)
            .await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, max_body: usize) -> Result<T, Error> {
        self.call(reqwest::Method::GET, path, None, max_body).await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Vec<u8>>,
        max_body: usize,
    ) -> Result<T, Error> {
        let url = self.url(path);
        let endpoint = format!("{method} {}", strip_id(path));
        // One key for the logical call: every retry below reuses it.
        let key = idempotency_key();
        let build = || {
            let mut req = self
                .client
                .request(method.clone(), &url)
                .bearer_auth(&self.key)
                .header("Idempotency-Key", &key)
                .header(reqwest::header::ACCEPT, "application/json");
            if let Some(b) = &body {
                req = req
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(b.clone());
            }
            req
        };
        self.limiter.acquire().await;
        let answer = http::send_capped(build, &self.tuning.retry, max_body).await;
        let attempts = match &answer {
            Ok(r) => r.attempts,
            Err(e) => e.attempts,
        };
        self.requests
            .fetch_add(u64::from(attempts), Ordering::Relaxed);
        if attempts > 1 {
            self.limiter.reserve(attempts - 1);
        }
        let resp = answer.map_err(|e| {
            Error::new(
                ErrorCode::Integration,
                format!(
                    "Modern Leads ({endpoint}) could not be reached after {} tries: {}.",
                    e.attempts, e.message
                ),
            )
        })?;
        if !resp.is_success() {
            return Err(self.error_for(&endpoint, &resp));
        }
        serde_json::from_slice(&resp.body).map_err(|e| {
            Error::new(
                ErrorCode::Integration,
                format!(
                    "Modern Leads answered {endpoint} with a body leadline cannot read ({e}): {}",
                    resp.snippet()
                ),
            )
        })
    }

    /// The plain message for a documented error code (or, for an answer that is not the
    /// provider's error JSON, its status and the start of its body).
    fn error_for(&self, endpoint: &str, resp: &HttpResponse) -> Error {
        let Some(env) = serde_json::from_slice::<Envelope>(&resp.body)
            .ok()
            .filter(|e| e.code.is_some() || e.error.is_some())
        else {
            return Error::new(
                ErrorCode::Integration,
                format!(
                    "Modern Leads answered {endpoint} with HTTP {} and a body that is not its error JSON: {}",
                    resp.status,
                    resp.snippet()
                ),
            );
        };
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(sanitize_inline)
                .filter(|s| !s.trim().is_empty())
        };
        let code = clean(&env.code).unwrap_or_default();
        let detail = match (clean(&env.error), clean(&env.message)) {
            (Some(e), Some(m)) if e != m => format!(" ({e}: {m})"),
            (Some(e), _) => format!(" ({e})"),
            (None, Some(m)) => format!(" ({m})"),
            (None, None) => String::new(),
        };
        let var = &self.key_env;
        let tries = resp.attempts;
        let (kind, message) = match code.as_str() {
            "invalid_input" => (
                ErrorCode::InvalidRequest,
                format!("Modern Leads rejected the {endpoint} request as invalid{detail}."),
            ),
            "missing_key" | "invalid_key" | "revoked_key" | "expired_key" => {
                let what = match code.as_str() {
                    "missing_key" => "did not receive the API key",
                    "invalid_key" => "does not recognise the API key",
                    "revoked_key" => "says the API key was revoked",
                    _ => "says the API key has expired",
                };
                (
                    ErrorCode::Authentication,
                    format!(
                        "Modern Leads {what} in {var} ({code}). Create a key at Settings → API Keys and set {var} to it (ml_live_… or ml_test_…)."
                    ),
                )
            }
            "insufficient_credits" => {
                let url = clean(&env.cta_url).unwrap_or_else(|| TOP_UP_URL.to_string());
                (
                    ErrorCode::InsufficientCredits,
                    format!(
                        "Modern Leads has not enough credits left for {endpoint}: top up at {url}, then run it again."
                    ),
                )
            }
            "subscription_required" => {
                let url = clean(&env.cta_url)
                    .map(|u| format!(" at {u}"))
                    .unwrap_or_default();
                (
                    ErrorCode::Permission,
                    format!(
                        "Modern Leads needs a subscription for {endpoint}: upgrade{url}{detail}."
                    ),
                )
            }
            "scope_denied" => (
                ErrorCode::Permission,
                format!(
                    "The Modern Leads key in {var} lacks the scope for {endpoint} (verify, lookup, qualify or batch): create a key with that scope{detail}."
                ),
            ),
            "ip_denied" => (
                ErrorCode::Permission,
                format!(
                    "Modern Leads refuses the key in {var} from this machine's IP address: allow it in the key's settings{detail}."
                ),
            ),
            "not_found" => (
                ErrorCode::NotFound,
                format!(
                    "Modern Leads has no such resource for this key at {endpoint} (a batch of another key, or expired){detail}."
                ),
            ),
            "idempotency_key_payload_mismatch" => (
                ErrorCode::Conflict,
                format!(
                    "Modern Leads refused {endpoint}: its Idempotency-Key was already used with a different request{detail}. Run it again: a new call gets a new key."
                ),
            ),
            "buyer_context_missing" => (
                ErrorCode::InvalidRequest,
                format!(
                    "Modern Leads cannot score fit without your buyer context (your product and ICP): set it in the Modern Leads dashboard{detail}."
                ),
            ),
            "rate_limited" => (
                ErrorCode::RateLimit,
                format!(
                    "Modern Leads kept rate-limiting {endpoint} after {tries} tries; wait a minute and run it again{detail}."
                ),
            ),
            "spend_cap_reached" => (
                ErrorCode::RateLimit,
                format!(
                    "Modern Leads' hourly credit cap for this key is reached; wait for the next hour or raise the cap in its dashboard{detail}."
                ),
            ),
            "internal" => (
                ErrorCode::Integration,
                format!(
                    "Modern Leads had an internal error on {endpoint} after {tries} tries; try again later{detail}."
                ),
            ),
            _ => (
                by_status(resp.status),
                format!(
                    "Modern Leads answered {endpoint} with HTTP {}{}{detail}.",
                    resp.status,
                    if code.is_empty() {
                        String::new()
                    } else {
                        format!(" ({code})")
                    }
                ),
            ),
        };
        Error::new(kind, message)
    }
}

/// Errors after which every further call would fail the same way.
pub fn is_fatal(e: &Error) -> bool {
    matches!(
        e.code,
        ErrorCode::Authentication
            | ErrorCode::InsufficientCredits
            | ErrorCode::Permission
            | ErrorCode::RateLimit
    )
}

fn by_status(status: u16) -> ErrorCode {
    match status {
        400 | 422 => ErrorCode::InvalidRequest,
        401 => ErrorCode::Authentication,
        402 => ErrorCode::InsufficientCredits,
        403 => ErrorCode::Permission,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        429 => ErrorCode::RateLimit,
        _ => ErrorCode::Integration,
    }
}

fn check_batch_size(n: usize) -> Result<(), Error> {
    if n == 0 || n > MAX_BATCH {
        return Err(Error::invalid(format!(
            "a Modern Leads batch holds 1 to {MAX_BATCH} rows; this one has {n}."
        )));
    }
    Ok(())
}

/// A batch id as one URL path segment: ids come from the provider, so nothing in them may
/// change the path.
fn path_segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

/// `/v1/batch/<id>/download` → `/v1/batch/{id}/download`, for messages.
fn strip_id(path: &str) -> String {
    match path.strip_prefix("/v1/batch/") {
        Some(rest) if !rest.starts_with("verify") && !rest.starts_with("enrich") => {
            match rest.split_once('/') {
                Some((_, tail)) => format!("/v1/batch/{{id}}/{tail}"),
                None => "/v1/batch/{id}".to_string(),
            }
        }
        _ => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_look_like_uuids_and_differ() {
        let a = idempotency_key();
        let b = idempotency_key();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn limiter_spaces_slots_by_the_rate() {
        let l = Limiter::new(600);
        let a = l.reserve(1);
        let b = l.reserve(3);
        let c = l.reserve(1);
        assert_eq!(b - a, Duration::from_millis(100));
        assert_eq!(c - b, Duration::from_millis(300));
    }

    #[test]
    fn endpoints_in_messages_hide_batch_ids() {
        assert_eq!(
            strip_id("/v1/batch/abc/download"),
            "/v1/batch/{id}/download"
        );
        assert_eq!(strip_id("/v1/batch/abc"), "/v1/batch/{id}");
        assert_eq!(strip_id("/v1/batch/verify"), "/v1/batch/verify");
        assert_eq!(strip_id("/v1/lookup"), "/v1/lookup");
    }

    #[test]
    fn missing_key_names_the_section_and_variable() {
        let e = ModernLeads::from_config(&ServiceConfig::default(), &Secrets::fixed([("X", "y")]))
            .unwrap_err();
        assert!(
            e.message.contains("[providers.modernleads]"),
            "{}",
            e.message
        );
        assert!(e.message.contains("api_key_env"), "{}", e.message);
        assert!(e.message.contains(DEFAULT_KEY_ENV), "{}", e.message);
    }
}
