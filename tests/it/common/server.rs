//! A real `leadline serve` router on an ephemeral loopback port, in-process.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use leadline::backend::{Backend, LocalBackend, RemoteBackend};
use leadline::engine::{Engine, EngineOptions};
use leadline::model::OrgId;
use leadline::server::{Scope, ServerOptions, keys};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub struct Served {
    pub base: String,
    pub key: String,
    pub engine: Engine,
    pub dir: tempfile::TempDir,
}

pub async fn serve_with(pace_ms: u64, options: ServerOptions) -> Served {
    serve_engine(pace_ms, options, |_| {}).await
}

/// A server whose engine options `tune` adjusts first (integrations, mode, …).
pub async fn serve_engine(
    pace_ms: u64,
    options: ServerOptions,
    tune: impl FnOnce(&mut EngineOptions),
) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let mut eo = EngineOptions::new(dir.path());
    eo.pace = Duration::from_millis(pace_ms);
    eo.database = super::pg::test_store();
    tune(&mut eo);
    let engine = Engine::open(eo).await.unwrap();
    let key = leadline::engine::store::blocking(|| {
        keys::mint(
            engine.store(),
            &OrgId::local(),
            "tests",
            &Scope::ALL,
            false,
            None,
        )
    })
    .unwrap()
    .secret;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = leadline::server::router(engine.clone(), options, format!("http://{addr}")).unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    Served {
        base: format!("http://{addr}/v1"),
        key,
        engine,
        dir,
    }
}

pub async fn serve(pace_ms: u64) -> Served {
    serve_with(pace_ms, ServerOptions::default()).await
}

/// A backend of either kind, with what keeps it alive.
pub struct Harness {
    pub backend: Arc<dyn Backend>,
    _dir: Option<tempfile::TempDir>,
    pub served: Option<Served>,
}

impl Harness {
    pub async fn local(pace_ms: u64) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut eo = EngineOptions::new(dir.path());
        eo.pace = Duration::from_millis(pace_ms);
        eo.database = super::pg::test_store();
        let engine = Engine::open(eo).await.unwrap();
        Self {
            backend: Arc::new(LocalBackend::new(engine)),
            _dir: Some(dir),
            served: None,
        }
    }

    /// The embedded engine on a fresh PostgreSQL database (`None`: no PostgreSQL here).
    pub async fn local_pg(pace_ms: u64) -> Option<Self> {
        let database = super::pg::database()?;
        let dir = tempfile::tempdir().unwrap();
        let mut eo = EngineOptions::new(dir.path());
        eo.pace = Duration::from_millis(pace_ms);
        eo.database = Some(database);
        let engine = Engine::open(eo).await.unwrap();
        Some(Self {
            backend: Arc::new(LocalBackend::new(engine)),
            _dir: Some(dir),
            served: None,
        })
    }

    /// `serve` on a fresh PostgreSQL database, through the remote client.
    pub async fn remote_pg(pace_ms: u64) -> Option<Self> {
        let database = super::pg::database()?;
        let served = serve_engine(pace_ms, ServerOptions::default(), |eo| {
            eo.database = Some(database);
        })
        .await;
        let backend = RemoteBackend::new(&served.base, &served.key).unwrap();
        Some(Self {
            backend: Arc::new(backend),
            _dir: None,
            served: Some(served),
        })
    }

    pub async fn remote(pace_ms: u64) -> Self {
        let served = serve(pace_ms).await;
        let backend = RemoteBackend::new(&served.base, &served.key).unwrap();
        Self {
            backend: Arc::new(backend),
            _dir: None,
            served: Some(served),
        }
    }
}

// The API over plain HTTP, as a client sees it.

pub const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

pub async fn call(
    s: &Served,
    key: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", s.base))
        .bearer_auth(key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let text = resp.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub fn assert_envelope(body: &Value, code: &str) {
    let e = &body["error"];
    assert_eq!(e["code"], code, "{body}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(e.as_object().unwrap().contains_key("param"));
    assert!(
        e["request_id"].as_str().is_some_and(|r| !r.is_empty()),
        "{body}"
    );
}

pub async fn plan_job(s: &Served, key: &str) -> (String, String) {
    let (_, _, thread) = call(
        s,
        key,
        reqwest::Method::POST,
        "/threads",
        Some(json!({"title": "t"})),
    )
    .await;
    let (status, _, posted) = call(
        s,
        key,
        reqwest::Method::POST,
        &format!("/threads/{}/messages", thread["id"].as_str().unwrap()),
        Some(json!({"content": PROMPT})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    (
        posted["job"]["id"].as_str().unwrap().to_string(),
        posted["plan"]["id"].as_str().unwrap().to_string(),
    )
}

/// A fresh test-mode key of `org` with `scopes`.
pub fn key_of(s: &Served, org: &str, scopes: &[Scope]) -> String {
    leadline::engine::store::blocking(|| {
        keys::mint(
            s.engine.store(),
            &OrgId::parse(org).unwrap(),
            "k",
            scopes,
            false,
            None,
        )
    })
    .unwrap()
    .secret
}
