//! A loopback Modern Leads (docs/integrations.md, "Modern Leads"): it checks what it is
//! sent (Bearer key, Idempotency-Key on every POST, JSON content type, required fields and their
//! types, no unknown fields), replays a repeated key + payload with `X-Idempotent-Replay: true`,
//! refuses a reused key with another payload (409), runs batches queued → processing →
//! completed over two polls, and can be scripted to answer with any documented error, a 429 with
//! `Retry-After`, or a malformed body. It records every request, the most requests it held in
//! flight at once, and when each arrived.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// One scripted answer, used by the next request to a matching path.
#[derive(Debug, Clone)]
pub enum Script {
    /// The documented error envelope with this status and code.
    Error {
        status: u16,
        code: &'static str,
        retry_after: Option<u32>,
    },
    /// 200 with a body that is not JSON.
    Malformed,
    /// An error status with an HTML body (a proxy's page).
    NotJson(u16),
}

impl Script {
    pub fn error(status: u16, code: &'static str) -> Self {
        Self::Error {
            status,
            code,
            retry_after: None,
        }
    }

    pub fn too_many(retry_after: u32) -> Self {
        Self::Error {
            status: 429,
            code: "rate_limited",
            retry_after: Some(retry_after),
        }
    }
}

/// A request as the fake received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub authorization: Option<String>,
    pub idempotency_key: Option<String>,
    pub content_type: Option<String>,
    pub body: Option<Value>,
    pub at: Instant,
    pub status: u16,
    pub replay: bool,
}

struct Batch {
    kind: &'static str,
    items: Vec<Value>,
    polls: u32,
    key: String,
}

#[derive(Default)]
pub struct Inner {
    pub key: String,
    /// (path to match, or any; the answer).
    pub script: VecDeque<(Option<&'static str>, Script)>,
    pub requests: Vec<Recorded>,
    /// Emails `/v1/verify/email` and batch verify call undeliverable.
    pub invalid_emails: HashSet<String>,
    /// Domains where lookup finds nobody.
    pub not_found_domains: HashSet<String>,
    /// How long each answer takes (so concurrency can be observed).
    pub delay: Duration,
    idempotent: HashMap<String, (Value, u16, Value)>,
    batches: HashMap<String, Batch>,
    next_batch: u64,
}

pub struct State {
    pub inner: Mutex<Inner>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

pub struct Fake {
    pub url: String,
    pub state: Arc<State>,
}

impl Fake {
    /// Starts the fake on 127.0.0.1 with the only key it accepts.
    pub async fn start(key: &str) -> Fake {
        let state = Arc::new(State {
            inner: Mutex::new(Inner {
                key: key.to_string(),
                ..Inner::default()
            }),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("fake serves");
        });
        Fake {
            url: format!("http://{addr}"),
            state,
        }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.state.inner.lock().unwrap()
    }

    pub fn script(&self, path: Option<&'static str>, s: Script) {
        self.lock().script.push_back((path, s));
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    pub fn requests_to(&self, method: &str, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == method && r.path == path)
            .collect()
    }

    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }

    /// The most requests that arrived within any `window`.
    pub fn max_in_window(&self, window: Duration) -> usize {
        let times: Vec<Instant> = self.requests().iter().map(|r| r.at).collect();
        let mut best = 0;
        for (i, start) in times.iter().enumerate() {
            let n = times[i..]
                .iter()
                .take_while(|t| t.duration_since(*start) < window)
                .count();
            best = best.max(n);
        }
        best
    }
}

fn error(status: u16, code: &str, message: &str) -> (u16, Value) {
    let mut body = json!({"error": message, "code": code});
    if code == "insufficient_credits" {
        body["cta_url"] = json!("https://app.modernleads.io/coins");
        body["cta_label"] = json!("Top up");
    }
    (status, body)
}

fn respond(status: u16, body: &Value, extra: &[(&'static str, String)]) -> Response {
    let mut resp = (
        StatusCode::from_u16(status).unwrap(),
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response();
    for (k, v) in extra {
        resp.headers_mut()
            .insert(*k, HeaderValue::from_str(v).unwrap());
    }
    resp
}

struct InFlight<'a>(&'a State);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn handle(
    AxumState(state): AxumState<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let _guard = InFlight(&state);
    let at = Instant::now();
    let delay = state.inner.lock().unwrap().delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }

    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let path = uri.path().to_string();
    let parsed: Option<Value> = serde_json::from_slice(&body).ok();
    let mut rec = Recorded {
        method: method.to_string(),
        path: path.clone(),
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        content_type: header("content-type"),
        body: parsed.clone(),
        at,
        status: 0,
        replay: false,
    };
    let mut inner = state.inner.lock().unwrap();
    let (status, answer, extra) = decide(&mut inner, &method, &path, &rec, &body);
    rec.status = status;
    rec.replay = extra.iter().any(|(k, _)| *k == "x-idempotent-replay");
    inner.requests.push(rec);
    drop(inner);
    match answer {
        Answer::Json(v) => respond(status, &v, &extra),
        Answer::Raw(text) => (
            StatusCode::from_u16(status).unwrap(),
            [("content-type", "text/html")],
            text,
        )
            .into_response(),
    }
}

enum Answer {
    Json(Value),
    Raw(String),
}

type Decided = (u16, Answer, Vec<(&'static str, String)>);

fn json_answer((status, v): (u16, Value)) -> Decided {
    (status, Answer::Json(v), Vec::new())
}

fn decide(inner: &mut Inner, method: &Method, path: &str, rec: &Recorded, raw: &[u8]) -> Decided {
    // Authentication first, as the reference lists it.
    let key = match rec
        .authorization
        .as_deref()
        .and_then(|a| a.strip_prefix("Bearer "))
    {
        None => return json_answer(error(401, "missing_key", "Missing API key")),
        Some(k) => k.to_string(),
    };
    let well_formed = (key.starts_with("ml_test_") || key.starts_with("ml_live_"))
        && key[8..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && key.len() > 8;
    if !well_formed || key != inner.key {
        return json_answer(error(401, "invalid_key", "Invalid API key"));
    }
    let live = key.starts_with("ml_live_");

    let is_post = method == Method::POST;
    if is_post {
        let Some(idem) = rec.idempotency_key.clone().filter(|k| !k.is_empty()) else {
            return json_answer(error(
                400,
                "invalid_input",
                "Idempotency-Key header required",
            ));
        };
        if rec.content_type.as_deref() != Some("application/json") {
            return json_answer(error(
                400,
                "invalid_input",
                "Content-Type must be application/json",
            ));
        }
        let Some(body) = rec.body.clone().filter(Value::is_object) else {
            return json_answer(error(
                400,
                "invalid_input",
                &format!(
                    "body is not a JSON object: {}",
                    String::from_utf8_lossy(raw)
                ),
            ));
        };
        if let Some((payload, status, stored)) = inner.idempotent.get(&idem) {
            if *payload == body {
                return (
                    *status,
                    Answer::Json(stored.clone()),
                    vec![("x-idempotent-replay", "true".to_string())],
                );
            }
            return json_answer(error(
                409,
                "idempotency_key_payload_mismatch",
                "Idempotency-Key reused with a different payload",
            ));
        }
        if let Some(s) = take_script(inner, path) {
            return scripted(s);
        }
        let (status, answer) = match post(inner, path, &body, live) {
            Ok(v) => (200, v),
            Err((status, v)) => (status, v),
        };
        // Successful answers are kept for replay; errors are not, so a retry can succeed.
        if status == 200 {
            inner
                .idempotent
                .insert(idem, (body, status, answer.clone()));
        }
        return json_answer((status, answer));
    }
    if method != Method::GET {
        return json_answer(error(404, "not_found", "No such endpoint"));
    }
    if let Some(s) = take_script(inner, path) {
        return scripted(s);
    }
    match get(inner, path, &key) {
        Ok(v) => json_answer((200, v)),
        Err(e) => json_answer(e),
    }
}

fn take_script(inner: &mut Inner, path: &str) -> Option<Script> {
    let i = inner
        .script
        .iter()
        .position(|(p, _)| p.is_none_or(|p| p == path))?;
    inner.script.remove(i).map(|(_, s)| s)
}

fn scripted(s: Script) -> Decided {
    match s {
        Script::Error {
            status,
            code,
            retry_after,
        } => {
            let (status, body) = error(status, code, &format!("Scripted {code}"));
            let extra = retry_after
                .map(|r| vec![("retry-after", r.to_string())])
                .unwrap_or_default();
            (status, Answer::Json(body), extra)
        }
        Script::Malformed => (
            200,
            Answer::Raw("{\"email\": \"a@b.c\", \"sta".into()),
            vec![],
        ),
        Script::NotJson(status) => (
            status,
            Answer::Raw("<html><body>Bad gateway</body></html>".into()),
            vec![],
        ),
    }
}

type Check = Result<(), (u16, Value)>;

fn invalid(msg: String) -> (u16, Value) {
    error(400, "invalid_input", &msg)
}

/// Every key is one of `allowed`, every `required` key is present, and each has its type.
fn shape(body: &Map<String, Value>, fields: &[(&str, &str, bool)]) -> Check {
    for k in body.keys() {
        if !fields.iter().any(|(name, _, _)| name == k) {
            return Err(invalid(format!("unknown field `{k}`")));
        }
    }
    for (name, kind, required) in fields {
        match body.get(*name) {
            None if *required => return Err(invalid(format!("`{name}` is required"))),
            None => {}
            Some(v) => {
                let ok = match *kind {
                    "string" => v.as_str().is_some_and(|s| !s.is_empty()),
                    "number" => v.is_number(),
                    "boolean" => v.is_boolean(),
                    "array" => v.is_array(),
                    _ => false,
                };
                if !ok {
                    return Err(invalid(format!("`{name}` must be a {kind}")));
                }
            }
        }
    }
    Ok(())
}

const LOOKUP_FIELDS: &[(&str, &str, bool)] = &[
    ("first_name", "string", true),
    ("last_name", "string", true),
    ("domain", "string", false),
    ("linkedin_url", "string", false),
    ("lookup_type", "string", false),
    ("company_name", "string", false),
    ("job_title", "string", false),
    ("country", "string", false),
];

fn check_person(o: &Map<String, Value>) -> Check {
    shape(o, LOOKUP_FIELDS)?;
    if !o.contains_key("domain") && !o.contains_key("linkedin_url") {
        return Err(invalid(
            "either `domain` or `linkedin_url` is required".into(),
        ));
    }
    if let Some(t) = o.get("lookup_type")
        && !matches!(t.as_str(), Some("email" | "phone" | "both"))
    {
        return Err(invalid("`lookup_type` must be email, phone or both".into()));
    }
    Ok(())
}

fn found(inner: &Inner, o: &Map<String, Value>) -> Value {
    let s = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let domain = s("domain");
    let mut row = json!({
        "first_name": s("first_name"),
        "last_name": s("last_name"),
    });
    if o.contains_key("domain") {
        row["domain"] = json!(domain);
    } else {
        row["linkedin_url"] = json!(s("linkedin_url"));
    }
    if domain.is_empty() || inner.not_found_domains.contains(&domain) {
        row["email"] = Value::Null;
        row["status"] = json!("not_found");
        row["verified"] = json!(false);
    } else {
        let local: String = format!("{}.{}", s("first_name"), s("last_name"))
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
            .collect();
        row["email"] = json!(format!("{local}@{domain}"));
        row["status"] = json!("found");
        row["verified"] = json!(true);
    }
    row
}

fn verdict(inner: &Inner, email: &str) -> Value {
    let bad = inner.invalid_emails.contains(&email.to_ascii_lowercase());
    json!({
        "email": email,
        "status": if bad { "invalid" } else { "valid" },
        "verified": !bad,
        "deliverable": !bad,
    })
}

fn post(inner: &mut Inner, path: &str, body: &Value, live: bool) -> Result<Value, (u16, Value)> {
    let o = body.as_object().expect("checked");
    let charge = |n: f64| if live { n } else { 0.0 };
    match path {
        "/v1/verify/email" => {
            shape(o, &[("email", "string", true)])?;
            let email = o["email"].as_str().unwrap_or("");
            if !email.contains('@') {
                return Err(invalid("`email` is not an email address".into()));
            }
            let mut v = verdict(inner, email);
            v["cached"] = json!(false);
            v["credits_charged"] = json!(charge(1.0));
            Ok(v)
        }
        "/v1/lookup" => {
            check_person(o)?;
            let row = found(inner, o);
            let ok = row["status"] == "found";
            Ok(json!({
                "email": row["email"],
                "phone": null,
                "status": row["status"],
                "verified": row["verified"],
                "credits_charged": charge(if ok { 6.0 } else { 0.0 }),
                "cached_hit": false,
                "alt_emails": [],
                "alt_phones": [],
            }))
        }
        "/v1/qualify" => {
            shape(
                o,
                &[
                    ("domain", "string", true),
                    ("company_name", "string", false),
                    ("first_name", "string", false),
                    ("last_name", "string", false),
                    ("job_title", "string", false),
                    ("employees", "number", false),
                    ("industry", "string", false),
                    ("description", "string", false),
                ],
            )?;
            Ok(json!({
                "fit_score": 8,
                "fit_label": "high",
                // A control sequence a client must not pass to a terminal.
                "reason": "Mid-market SaaS in your ICP,\u{1b}[31m 50-employee sweet spot.",
                "credits_charged": charge(1.0),
            }))
        }
        "/v1/batch/verify" => {
            shape(o, &[("emails", "array", true), ("name", "string", false)])?;
            let emails = o["emails"].as_array().expect("checked");
            if emails.is_empty() || emails.len() > 10_000 {
                return Err(invalid("`emails` holds 1 to 10,000 addresses".into()));
            }
            if !emails.iter().all(Value::is_string) {
                return Err(invalid("`emails` must be strings".into()));
            }
            Ok(new_batch(inner, "verify", emails.clone()))
        }
        "/v1/batch/enrich" => {
            shape(
                o,
                &[
                    ("rows", "array", true),
                    ("find_phones", "boolean", false),
                    ("name", "string", false),
                ],
            )?;
            let rows = o["rows"].as_array().expect("checked");
            if rows.is_empty() || rows.len() > 10_000 {
                return Err(invalid("`rows` holds 1 to 10,000 contacts".into()));
            }
            for r in rows {
                let Some(r) = r.as_object() else {
                    return Err(invalid("each row must be an object".into()));
                };
                check_person(r)?;
            }
            Ok(new_batch(inner, "enrich", rows.clone()))
        }
        _ => Err(error(404, "not_found", "No such endpoint")),
    }
}

fn new_batch(inner: &mut Inner, kind: &'static str, items: Vec<Value>) -> Value {
    inner.next_batch += 1;
    let id = format!("batch-{}", inner.next_batch);
    let total = items.len();
    let key = inner.key.clone();
    inner.batches.insert(
        id.clone(),
        Batch {
            kind,
            items,
            polls: 0,
            key,
        },
    );
    let mut v = json!({
        "batch_id": id,
        "status": "queued",
        "status_url": format!("https://app.modernleads.io/v1/batch/{id}"),
    });
    if kind == "verify" {
        v["total_emails"] = json!(total);
    } else {
        v["total_rows"] = json!(total);
        v["download_url"] = json!(format!("https://app.modernleads.io/v1/batch/{id}/download"));
    }
    v
}

fn get(inner: &mut Inner, path: &str, key: &str) -> Result<Value, (u16, Value)> {
    let rest = path
        .strip_prefix("/v1/batch/")
        .ok_or_else(|| error(404, "not_found", "No such endpoint"))?;
    let (id, download) = match rest.strip_suffix("/download") {
        Some(id) => (id.to_string(), true),
        None => (rest.to_string(), false),
    };
    let nf = || error(404, "not_found", "Batch not found");
    let batch = inner.batches.get_mut(&id).ok_or_else(nf)?;
    if batch.key != key {
        return Err(nf());
    }
    if !download {
        batch.polls += 1;
        let status = match batch.polls {
            1 => "processing",
            _ => "completed",
        };
        let total = batch.items.len();
        let processed = if status == "completed" {
            total
        } else {
            total / 2
        };
        return Ok(json!({
            "batch_id": id,
            "kind": batch.kind,
            "status": status,
            "name": null,
            "total_rows": total,
            "processed_rows": processed,
            "found_count": processed,
            "not_found_count": 0,
            "download_url": (status == "completed")
                .then(|| format!("https://app.modernleads.io/v1/batch/{id}/download")),
        }));
    }
    if batch.polls < 2 {
        return Err(error(409, "invalid_input", "Batch is not completed yet"));
    }
    let kind = batch.kind;
    let items = std::mem::take(&mut batch.items);
    let results: Vec<Value> = items
        .iter()
        .map(|item| match kind {
            "verify" => verdict(inner, item.as_str().unwrap_or("")),
            _ => found(inner, item.as_object().expect("checked")),
        })
        .collect();
    if let Some(b) = inner.batches.get_mut(&id) {
        b.items = items;
    }
    Ok(json!({"batch_id": id, "results": results}))
}
