//! Loopback fakes of the push providers, written from the providers' published API references
//! (summarised in docs/integrations.md).
//! Each one checks what it receives (auth, content type, field names and JSON types), records
//! every request, keeps what it accepted the way the real service would (deduplicated by email,
//! domain or delivery id), and can be scripted to answer with an error instead.
#![allow(dead_code)]

pub mod autoreach;
pub mod hubspot;
pub mod magnetite;
pub mod webhook;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// What the fake answers to the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Behave like the real service.
    Normal,
    /// Answer with this status and the provider's usual error body.
    Status(u16),
    /// 429 with `Retry-After: <secs>`.
    TooMany(u64),
    /// 200 with a body that is not the promised JSON.
    Malformed,
    /// HubSpot writes only: 207 with the first input failed and the rest stored.
    Partial,
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    /// The body as JSON, parsed on demand: 10,000 leads held as parsed values would dwarf what
    /// the client under test uses.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

#[derive(Default)]
pub struct State {
    pub key: String,
    script: Mutex<VecDeque<Answer>>,
    default: Mutex<Option<Answer>>,
    requests: Mutex<Vec<Recorded>>,
    violations: Mutex<Vec<String>>,
    /// What the service holds: key (email, domain, delivery id) → stored record.
    pub stored: Mutex<HashMap<String, Value>>,
    /// How many times an already-held key was sent again.
    pub repeats: Mutex<Vec<String>>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    /// How long each request is held, so overlapping requests are visible.
    delay: Mutex<Duration>,
    next_id: AtomicUsize,
    /// Links between records (HubSpot associations: contact id, company id).
    pub links: Mutex<Vec<(String, String)>>,
    /// HubSpot: the portal made the company `domain` property unique, so upserts by it work.
    pub unique_domain: std::sync::atomic::AtomicBool,
}

impl State {
    /// Marks a request in flight until the guard drops, and holds it for the configured delay.
    pub async fn enter(self: &Arc<Self>) -> InFlight {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        let delay = *lock(&self.delay);
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        InFlight(self.clone())
    }

    pub fn record(&self, path: &str, headers: &HeaderMap, body: &[u8]) {
        lock(&self.requests).push(Recorded {
            path: path.to_string(),
            headers: headers.clone(),
            body: body.to_vec(),
        });
    }

    pub fn next_answer(&self) -> Answer {
        lock(&self.script)
            .pop_front()
            .or(*lock(&self.default))
            .unwrap_or(Answer::Normal)
    }

    pub fn violation(&self, what: impl Into<String>) {
        lock(&self.violations).push(what.into());
    }

    pub fn new_id(&self, prefix: &str) -> String {
        format!(
            "{prefix}_{}",
            self.next_id.fetch_add(1, Ordering::SeqCst) + 1
        )
    }

    /// Checks `Authorization: Bearer <key>` and the JSON content type. A missing or malformed
    /// header is a client bug (a violation); a wrong key is a 401 like the real service gives.
    /// `Some` is the rejection to answer with.
    pub fn check_auth(&self, headers: &HeaderMap) -> Option<Response> {
        let auth = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let Some(token) = auth.strip_prefix("Bearer ") else {
            self.violation(format!("Authorization is not `Bearer <key>`: {auth:?}"));
            return Some(error(401, "Missing bearer token"));
        };
        if token != self.key {
            return Some(error(401, "Invalid API key"));
        }
        self.check_json_type(headers)
    }

    pub fn check_json_type(&self, headers: &HeaderMap) -> Option<Response> {
        let ct = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !ct.starts_with("application/json") {
            self.violation(format!("Content-Type is {ct:?}, not application/json"));
            return Some(error(415, "Content-Type must be application/json"));
        }
        None
    }

    /// Stores `record` under `key`; false (and a repeat noted) when the key was already held.
    pub fn store_once(&self, key: &str, record: Value) -> bool {
        let mut stored = lock(&self.stored);
        if stored.contains_key(key) {
            lock(&self.repeats).push(key.to_string());
            return false;
        }
        stored.insert(key.to_string(), record);
        true
    }
}

pub struct InFlight(Arc<State>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A provider's usual error body: `{"error": <code>, "message": <text>}`.
pub fn error(status: u16, message: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        code,
        axum::Json(json!({"success": false, "error": code.canonical_reason(), "message": message})),
    )
        .into_response()
}

/// The answer for a scripted non-normal case (`None` for [`Answer::Normal`] and
/// [`Answer::Partial`], which the provider handles itself).
pub fn scripted(answer: Answer) -> Option<Response> {
    match answer {
        Answer::Normal | Answer::Partial => None,
        Answer::TooMany(secs) => Some(
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", secs.to_string())],
                axum::Json(json!({"error": "rate_limited", "message": "Too many requests"})),
            )
                .into_response(),
        ),
        Answer::Malformed => Some(
            (
                StatusCode::OK,
                [("content-type", "text/html")],
                "<html>maintenance</html>",
            )
                .into_response(),
        ),
        Answer::Status(400) => Some(error(400, "Field `email` is not a valid address")),
        Answer::Status(401) => Some(error(401, "Invalid API key")),
        Answer::Status(402) => Some(error(402, "Insufficient credits")),
        Answer::Status(403) => Some(error(403, "Missing scope")),
        Answer::Status(s) => Some(error(s, "Internal server error \u{1b}[31mboom\u{1b}[0m")),
    }
}

/// A running fake.
pub struct Fake {
    pub state: Arc<State>,
    /// `http://127.0.0.1:<port>`
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Fake {
    pub async fn start(key: &str, router: fn(Arc<State>) -> Router) -> Fake {
        let state = Arc::new(State {
            key: key.to_string(),
            ..State::default()
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local addr");
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Fake {
            state,
            url: format!("http://{addr}"),
            task,
        }
    }

    /// Answers for the next requests, in order; after them, the default.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        lock(&self.state.script).extend(answers);
    }

    pub fn set_default(&self, answer: Answer) {
        *lock(&self.state.default) = Some(answer);
    }

    pub fn hold_requests(&self, delay: Duration) {
        *lock(&self.state.delay) = delay;
    }

    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state.requests).clone()
    }

    pub fn request_count(&self) -> usize {
        lock(&self.state.requests).len()
    }

    pub fn violations(&self) -> Vec<String> {
        lock(&self.state.violations).clone()
    }

    pub fn stored(&self) -> HashMap<String, Value> {
        lock(&self.state.stored).clone()
    }

    pub fn repeats(&self) -> Vec<String> {
        lock(&self.state.repeats).clone()
    }

    /// The most requests that were ever in flight at once.
    pub fn peak_in_flight(&self) -> usize {
        self.state.peak.load(Ordering::SeqCst)
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Checks that `obj[key]`, when present, has the JSON type `want` ("string", "number", "array",
/// "object", "boolean"), and for arrays of strings, that every element is a string.
pub fn check_type(
    state: &State,
    obj: &serde_json::Map<String, Value>,
    key: &str,
    want: &str,
    ctx: &str,
) {
    let Some(v) = obj.get(key) else { return };
    let ok = match want {
        "string" => v.as_str().is_some_and(|s| !s.is_empty()),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string[]" => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        _ => false,
    };
    if !ok {
        state.violation(format!("{ctx}.{key} should be a {want}, got {v}"));
    }
}

/// Records a violation for every key of `obj` that is not in `allowed`.
pub fn only_keys(state: &State, obj: &serde_json::Map<String, Value>, allowed: &[&str], ctx: &str) {
    for k in obj.keys() {
        if !allowed.contains(&k.as_str()) {
            state.violation(format!("{ctx} has an unknown field `{k}`"));
        }
    }
}
