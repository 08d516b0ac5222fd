//! Leadex webhooks over real HTTP: endpoints registered, listed and deleted through the API,
//! job events delivered to a loopback receiver that verifies every signature the reference's
//! way (`fakes::webhook::verify`), retries, and the delivery log.

use crate::common;
use crate::fakes;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as AxStatus};
use axum::routing::post;
use common::server::{Served, serve_engine};
use leadline::model::OrgId;
use leadline::net::retry::RetryPolicy;
use leadline::server::{Scope, ServerOptions, keys};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub(crate) const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

/// What the receiver holds: the secret to verify with, what arrived, and answers to give first.
#[derive(Default)]
pub(crate) struct Inbox {
    pub secret: String,
    pub received: Vec<(HeaderMap, Value)>,
    /// The raw bodies of `received`, in the same order.
    pub bodies: Vec<Bytes>,
    pub failures: Vec<String>,
    /// Statuses to answer with before answering 200.
    pub script: Vec<u16>,
    /// Answer 500 to everything.
    pub down: bool,
}

pub(crate) type Shared = Arc<Mutex<Inbox>>;

async fn receive(State(inbox): State<Shared>, headers: HeaderMap, body: Bytes) -> AxStatus {
    let mut i = inbox.lock().unwrap();
    if let Err(e) = fakes::webhook::verify(&headers, &body, &i.secret) {
        i.failures.push(e);
        return AxStatus::UNAUTHORIZED;
    }
    let Ok(event) = serde_json::from_slice::<Value>(&body) else {
        i.failures.push("not JSON".into());
        return AxStatus::BAD_REQUEST;
    };
    i.received.push((headers, event));
    i.bodies.push(body);
    if i.down {
        return AxStatus::INTERNAL_SERVER_ERROR;
    }
    if !i.script.is_empty() {
        let s = i.script.remove(0);
        return AxStatus::from_u16(s).unwrap_or(AxStatus::INTERNAL_SERVER_ERROR);
    }
    AxStatus::OK
}

/// A receiver on a loopback port: its URL and its inbox.
pub(crate) async fn receiver() -> (String, Shared) {
    let inbox: Shared = Arc::default();
    let app = Router::new()
        .route("/hook", post(receive))
        .with_state(inbox.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), inbox)
}

/// A server whose deliveries retry fast (3 tries, 50 ms apart, doubling).
pub(crate) async fn server() -> Served {
    server_tuned(0, |_| {}).await
}

/// [`server`] with a lead pace and engine options `tune` adjusts further.
pub(crate) async fn server_tuned(
    pace_ms: u64,
    tune: impl FnOnce(&mut leadline::engine::EngineOptions),
) -> Served {
    serve_engine(pace_ms, ServerOptions::default(), |eo| {
        eo.integrations.deliveries = RetryPolicy {
            max_attempts: 3,
            backoff: Duration::from_millis(50),
            max_wait: Duration::from_millis(200),
            jitter: false,
        };
        tune(eo);
    })
    .await
}

pub(crate) async fn call(
    s: &Served,
    key: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", s.base))
        .bearer_auth(key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub(crate) async fn pending_job(s: &Served) -> String {
    let (_, thread) = call(
        s,
        &s.key,
        Method::POST,
        "/threads",
        Some(json!({"title": "t"})),
    )
    .await;
    let (status, posted) = call(
        s,
        &s.key,
        Method::POST,
        &format!("/threads/{}/messages", thread["id"].as_str().unwrap()),
        Some(json!({"content": PROMPT})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    posted["job"]["id"].as_str().unwrap().to_string()
}

pub(crate) async fn register(s: &Served, body: Value) -> Value {
    let (status, endpoint) = call(s, &s.key, Method::POST, "/webhooks", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{endpoint}");
    endpoint
}

/// Polls the endpoint's delivery log until `done` holds (at most ~10 s).
pub(crate) async fn log_until(
    s: &Served,
    webhook: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let mut log = Vec::new();
    for _ in 0..200 {
        let (status, page) = call(
            s,
            &s.key,
            Method::GET,
            &format!("/webhooks/{webhook}/deliveries"),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        log = page["data"].as_array().cloned().unwrap_or_default();
        if done(&log) {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the delivery log never got there: {log:?}");
}

#[expect(
    clippy::too_many_lines,
    reason = "one lifecycle read top to bottom: register, list, deliver, delete, across two organisations"
)]
#[tokio::test]
async fn endpoints_are_registered_listed_and_deleted_within_their_organisation() {
    let s = server().await;
    let endpoint = register(
        &s,
        json!({"url": "https://hooks.example.com/leadex", "description": "crm"}),
    )
    .await;
    let id = endpoint["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("whk_"), "{endpoint}");
    assert_eq!(endpoint["events"], json!(["*"]));
    assert_eq!(endpoint["enabled"], true);
    assert!(
        endpoint["signing_secret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_")
    );
    // The secret is shown once: never in the list.
    let (_, list) = call(&s, &s.key, Method::GET, "/webhooks", None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert!(list["data"][0].get("signing_secret").is_none(), "{list}");
    // A hostile description is stored without its escape sequences.
    let odd = register(
        &s,
        json!({"url": "https://hooks.example.com/odd", "description": "crm\u{1b}[2J\u{1b}]0;pwned\u{7} hook"}),
    )
    .await;
    let d = odd["description"].as_str().unwrap();
    assert!(
        !d.contains('\u{1b}') && !d.contains('\u{7}') && d.contains("crm"),
        "{d:?}"
    );
    call(
        &s,
        &s.key,
        Method::DELETE,
        &format!("/webhooks/{}", odd["id"].as_str().unwrap()),
        None,
    )
    .await;

    // Bad input names what was wrong.
    for (body, param) in [
        (json!({"url": "http://hooks.example.com/x"}), "url"),
        (json!({"url": "https://user:pw@hooks.example.com/x"}), "url"),
        (json!({"url": "not a url"}), "url"),
        (
            json!({"url": "https://h.example.com", "events": ["job.exploded"]}),
            "events",
        ),
        (
            json!({"url": "https://h.example.com", "events": []}),
            "events",
        ),
    ] {
        let (status, e) = call(&s, &s.key, Method::POST, "/webhooks", Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {e}");
        assert_eq!(e["error"]["param"], param, "{e}");
    }

    // The catalogue is the reference's.
    let (_, events) = call(&s, &s.key, Method::GET, "/webhook_events", None).await;
    let types: Vec<&str> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types.len(), 21);
    for t in [
        "job.succeeded",
        "job.stopped",
        "leads.delivered",
        "integration.push.completed",
    ] {
        assert!(types.contains(&t), "{t}");
    }

    // Another organisation sees none of it; a key without `admin` may not manage endpoints.
    let rival = leadline::engine::store::blocking(|| {
        keys::mint(
            s.engine.store(),
            &OrgId::parse("org_rival").unwrap(),
            "rival",
            &Scope::ALL,
            false,
            None,
        )
    })
    .unwrap()
    .secret;
    let (_, theirs) = call(&s, &rival, Method::GET, "/webhooks", None).await;
    assert_eq!(theirs["data"], json!([]));
    for (method, path) in [
        (Method::DELETE, format!("/webhooks/{id}")),
        (Method::GET, format!("/webhooks/{id}/deliveries")),
    ] {
        let (status, e) = call(&s, &rival, method, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {e}");
    }
    let reader = leadline::engine::store::blocking(|| {
        keys::mint(
            s.engine.store(),
            &OrgId::local(),
            "reader",
            &[Scope::Read, Scope::Run],
            false,
            None,
        )
    })
    .unwrap()
    .secret;
    let (status, _) = call(
        &s,
        &reader,
        Method::POST,
        "/webhooks",
        Some(json!({"url": "https://x.example.com"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, gone) = call(&s, &s.key, Method::DELETE, &format!("/webhooks/{id}"), None).await;
    assert_eq!(
        (status, gone["deleted"].clone()),
        (StatusCode::OK, json!(true))
    );
    let (status, _) = call(&s, &s.key, Method::DELETE, &format!("/webhooks/{id}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_approved_job_s_events_arrive_signed_in_the_reference_envelope() {
    let s = server().await;
    let (url, inbox) = receiver().await;
    // Registered disabled: only a job that names it gets its events there.
    let endpoint = register(&s, json!({"url": url, "enabled": false})).await;
    inbox.lock().unwrap().secret = endpoint["signing_secret"].as_str().unwrap().to_string();
    let whk = endpoint["id"].as_str().unwrap().to_string();

    // An unregistered webhook_url refuses the approval and the job stays pending.
    let job = pending_job(&s).await;
    let (status, e) = call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{job}/approve"),
        Some(json!({"webhook_url": "https://elsewhere.example.com/h"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["error"]["param"], "webhook_url");
    let (_, j) = call(&s, &s.key, Method::GET, &format!("/jobs/{job}"), None).await;
    assert_eq!(j["status"], "pending");

    let (status, j) = call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{job}/approve"),
        Some(json!({"webhook_url": url})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{j}");
    let log = log_until(&s, &whk, |l| {
        l.iter()
            .any(|d| d["type"] == "job.succeeded" && d["status"] == "delivered")
    })
    .await;
    let i = inbox.lock().unwrap();
    assert!(i.failures.is_empty(), "{:?}", i.failures);
    let types: Vec<&str> = i
        .received
        .iter()
        .map(|(_, e)| e["type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"job.approved") && types.contains(&"job.step.started"),
        "{types:?}"
    );
    assert!(types.contains(&"artifact.created"), "{types:?}");
    let mut deliveries = std::collections::HashSet::new();
    for (headers, event) in &i.received {
        assert!(event["id"].as_str().unwrap().starts_with("evt_"), "{event}");
        assert_eq!(headers["leadex-event"], event["type"].as_str().unwrap());
        let delivery = headers["leadex-delivery"].to_str().unwrap().to_string();
        assert!(delivery.starts_with("dlv_"));
        assert!(deliveries.insert(delivery), "delivery ids are unique");
        assert_eq!(event["livemode"], false);
        assert!(event["data"]["object"].is_object(), "{event}");
    }
    let (_, done) = i
        .received
        .iter()
        .find(|(_, e)| e["type"] == "job.succeeded")
        .unwrap();
    assert_eq!(done["data"]["object"]["id"], job.as_str());
    assert_eq!(done["data"]["object"]["status"], "succeeded");
    // The log has one row per delivery, each delivered on the first try.
    assert_eq!(log.len(), i.received.len());
    assert!(
        log.iter().all(|d| d["status"] == "delivered"
            && d["attempts"] == 1
            && d["response_status"] == 200),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_failing_receiver_is_retried_with_backoff_and_the_log_says_how_it_ended() {
    let s = server().await;
    let (url, inbox) = receiver().await;
    let endpoint = register(&s, json!({"url": url, "events": ["job.approved"]})).await;
    let whk = endpoint["id"].as_str().unwrap().to_string();
    {
        let mut i = inbox.lock().unwrap();
        i.secret = endpoint["signing_secret"].as_str().unwrap().to_string();
        i.script = vec![500, 503];
    }
    // An organisation-wide endpoint gets the events it subscribed to, without webhook_url.
    let job = pending_job(&s).await;
    call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{job}/approve"),
        None,
    )
    .await;
    let log = log_until(&s, &whk, |l| {
        l.first().is_some_and(|d| d["status"] == "delivered")
    })
    .await;
    assert_eq!(log.len(), 1, "only the subscribed type: {log:?}");
    assert_eq!(
        (
            log[0]["attempts"].clone(),
            log[0]["response_status"].clone()
        ),
        (json!(3), json!(200))
    );
    {
        let i = inbox.lock().unwrap();
        // Three tries of one delivery: the same ids, each signed afresh and verified.
        assert_eq!(i.received.len(), 3);
        let ids: std::collections::HashSet<_> = i
            .received
            .iter()
            .map(|(h, e)| (h["leadex-delivery"].clone(), e["id"].clone()))
            .collect();
        assert_eq!(ids.len(), 1);
        assert!(i.failures.is_empty(), "{:?}", i.failures);
    }

    // A receiver that stays down: every try used, then `failed` with its last answer.
    inbox.lock().unwrap().down = true;
    let job = pending_job(&s).await;
    call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{job}/approve"),
        None,
    )
    .await;
    let log = log_until(&s, &whk, |l| {
        l.first().is_some_and(|d| d["status"] == "failed")
    })
    .await;
    assert_eq!(
        (
            log[0]["attempts"].clone(),
            log[0]["response_status"].clone()
        ),
        (json!(3), json!(500))
    );
    // The organisation-wide log shows both.
    let (_, all) = call(&s, &s.key, Method::GET, "/webhook_deliveries", None).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_delivery_an_older_leadline_left_pending_in_memory_is_marked_failed_at_the_next_start() {
    use leadline::engine::store::webhooks::{DeliveryRow, insert_delivery};
    let s = server().await;
    let endpoint = register(&s, json!({"url": "https://hooks.example.com/x"})).await;
    let whk = endpoint["id"].as_str().unwrap().to_string();
    // What a leadline from before the outbox (retries in memory, no body stored) left behind
    // when it was killed between two tries.
    let now = leadline::model::Timestamp::now();
    let row = DeliveryRow {
        id: "dlv_left_behind".into(),
        webhook_id: Some(whk.clone()),
        event_id: "evt_left_behind".into(),
        event_type: "job.succeeded".into(),
        status: "pending".into(),
        attempts: 2,
        response_status: Some(503),
        error: None,
        created_at: now,
        updated_at: now,
    };
    leadline::engine::store::blocking(|| {
        s.engine
            .store()
            .write(|c| insert_delivery(c, &OrgId::local(), &row))
    })
    .unwrap();
    // The next start of the server over the same data.
    let _restarted = leadline::server::router(
        s.engine.clone(),
        ServerOptions::default(),
        "http://127.0.0.1:1".into(),
    )
    .unwrap();
    let (_, page) = call(
        &s,
        &s.key,
        Method::GET,
        &format!("/webhooks/{whk}/deliveries"),
        None,
    )
    .await;
    let d = &page["data"][0];
    assert_eq!(
        (d["id"].clone(), d["status"].clone()),
        (json!("dlv_left_behind"), json!("failed")),
        "{page}"
    );
    assert!(
        d["error"].as_str().unwrap().contains("server stopped"),
        "{d}"
    );
}

/// Polls the receiver until `done` holds for what it verified (at most ~30 s: a CLI test waits
/// for a detached worker process to start, run a job and deliver, on a loaded 2-core machine);
/// the events.
pub(crate) async fn inbox_until(inbox: &Shared, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let mut events = Vec::new();
    for _ in 0..600 {
        {
            let i = inbox.lock().unwrap();
            assert!(i.failures.is_empty(), "{:?}", i.failures);
            events = i.received.iter().map(|(_, e)| e.clone()).collect();
        }
        if done(&events) {
            return events;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let types: Vec<&Value> = events.iter().map(|e| &e["type"]).collect();
    panic!("the receiver never got there: {types:?}");
}

/// The events of `event_type` among `events`.
pub(crate) fn of_type<'a>(events: &'a [Value], event_type: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == event_type).collect()
}
