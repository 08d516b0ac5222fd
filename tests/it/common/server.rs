//! A real `leadline serve` router on an ephemeral loopback port, in-process.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use leadline::backend::{Backend, LocalBackend, RemoteBackend};
use leadline::engine::{Engine, EngineOptions};
use leadline::model::OrgId;
use leadline::server::{Scope, ServerOptions, keys};

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
    tune(&mut eo);
    let engine = Engine::open(eo).await.unwrap();
    let key = keys::mint(
        engine.store(),
        &OrgId::local(),
        "tests",
        &Scope::ALL,
        false,
        None,
    )
    .unwrap()
    .secret;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = leadline::server::router(engine.clone(), options, format!("http://{addr}")).unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
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
        let engine = Engine::open(eo).await.unwrap();
        Self {
            backend: Arc::new(LocalBackend::new(engine)),
            _dir: Some(dir),
            served: None,
        }
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
