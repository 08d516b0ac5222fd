//! `leadline serve`: the engine over the Leadex v1 API (docs/api.md), with bearer
//! keys, scopes, organisation isolation, idempotent writes, rate limits and SSE streams.

mod context;
mod error;
mod extract;
mod gate;
mod idempotency;
pub mod keys;
mod ratelimit;
mod routes;
mod signing;
mod webhooks;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::middleware;
use tokio_util::sync::CancellationToken;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use error::{ApiError, ApiResult};
pub use keys::{ApiKey, MintedKey, Scope};

use crate::engine::Engine;

#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Requests per minute per organisation.
    pub rate_limit_per_minute: u32,
    /// Failed authentications per minute per client address; past it even a valid key gets 429
    /// until the window resets, so keys cannot be guessed at speed.
    pub failed_auth_per_minute: u32,
    /// The URL clients reach this server at (for signed download URLs); by default
    /// `http://<addr>`.
    pub public_url: Option<String>,
    /// SSE heartbeat interval.
    pub heartbeat: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            rate_limit_per_minute: 600,
            failed_auth_per_minute: 30,
            public_url: None,
            heartbeat: Duration::from_secs(20),
        }
    }
}

#[derive(Clone)]
pub(crate) struct AppState {
    pub engine: Engine,
    pub options: ServerOptions,
    pub base_url: String,
    pub limiter: Arc<ratelimit::RateLimiter>,
    pub auth_failures: Arc<ratelimit::RateLimiter>,
    pub signer: Arc<signing::Signer>,
    /// Cancelled when the server shuts down: open streams end at once.
    pub shutdown: CancellationToken,
}

/// The API as an axum router (tests mount it on an ephemeral port).
pub fn router(
    engine: Engine,
    options: ServerOptions,
    base_url: String,
) -> Result<Router, crate::model::Error> {
    router_with(engine, options, base_url, CancellationToken::new())
}

fn router_with(
    engine: Engine,
    options: ServerOptions,
    base_url: String,
    shutdown: CancellationToken,
) -> Result<Router, crate::model::Error> {
    let store = engine.store();
    let signer = crate::engine::store::blocking(|| -> Result<_, crate::model::Error> {
        let signer = signing::Signer::load(store)?;
        // Claims held by a process that died mid-request would refuse every retry for a day.
        idempotency::release_stale(store)?;
        crate::engine::webhooks::abandon_pending(store)?;
        Ok(signer)
    })?;
    let state = AppState {
        limiter: Arc::new(ratelimit::RateLimiter::for_engine(
            options.rate_limit_per_minute,
            &engine,
            "org",
        )),
        auth_failures: Arc::new(ratelimit::RateLimiter::for_engine(
            options.failed_auth_per_minute,
            &engine,
            "auth",
        )),
        signer: Arc::new(signer),
        shutdown,
        engine,
        options,
        base_url,
    };
    let authed = routes::authed()
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            idempotency::layer,
        ))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            gate::authenticate,
        ));
    Ok(Router::new()
        .merge(authed)
        .merge(routes::public())
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(request_log())
        .layer(middleware::from_fn(gate::request_id))
        .with_state(state))
}

/// The request log through `tracing` (wherever the subscriber sends it): one span per request
/// with its id, method and path (never the query: download URLs carry signatures there), and
/// the status and latency at the end.
fn request_log() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&axum::http::Request<axum::body::Body>) -> tracing::Span + Clone,
> {
    TraceLayer::new_for_http()
        .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
            tracing::info_span!(
                "request",
                id = error::current_request_id().unwrap_or_default(),
                method = %req.method(),
                path = req.uri().path(),
            )
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO))
}

/// Serves until `shutdown` resolves; then open streams close at once, running jobs halt as
/// interrupted (failed, `job_halted`, not charged), other requests get a moment to finish, and
/// this returns within about 5 s whatever is still open.
pub async fn serve(
    engine: Engine,
    addr: SocketAddr,
    options: ServerOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr()?;
    let base_url = options
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let token = CancellationToken::new();
    let app = router_with(engine.clone(), options, base_url.clone(), token.clone())
        .map_err(|e| anyhow::anyhow!(e.message))?;
    eprintln!("leadline serve: listening on {base_url}/v1");
    let (signal_token, halting) = (token.clone(), engine.clone());
    let graceful = async move {
        shutdown.await;
        signal_token.cancel();
        halting
            .shutdown(Duration::from_secs(3), crate::engine::Halting::Interrupted)
            .await;
    };
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(graceful);
    let deadline = async {
        token.cancelled().await;
        tokio::time::sleep(Duration::from_millis(4500)).await;
    };
    tokio::select! {
        served = std::future::IntoFuture::into_future(server) => served?,
        () = deadline => tracing::warn!("requests still open at shutdown were cut off"),
    }
    Ok(())
}
