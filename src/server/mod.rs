//! `leadline serve`: the engine over the Leadex v1 API (docs/api.md), with bearer
//! keys, scopes, organisation isolation, idempotent writes, rate limits and SSE streams.

mod error;
mod extract;
mod gate;
mod idempotency;
pub mod keys;
mod ratelimit;
mod routes;
mod signing;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::middleware;

pub use error::{ApiError, ApiResult};
pub use keys::{ApiKey, MintedKey, Scope};

use crate::engine::Engine;

#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Requests per minute per key.
    pub rate_limit_per_minute: u32,
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
    pub signer: Arc<signing::Signer>,
}

/// The API as an axum router (tests mount it on an ephemeral port).
pub fn router(
    engine: Engine,
    options: ServerOptions,
    base_url: String,
) -> Result<Router, crate::model::Error> {
    let signer = signing::Signer::load(engine.store())?;
    let state = AppState {
        limiter: Arc::new(ratelimit::RateLimiter::new(options.rate_limit_per_minute)),
        signer: Arc::new(signer),
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
        .layer(middleware::from_fn(gate::request_id))
        .with_state(state))
}

/// Serves until `shutdown` resolves; then in-flight requests finish and running jobs halt at
/// their next checkpoint with partial artifacts (or are left to start-up recovery if that takes
/// too long).
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
    let app = router(engine.clone(), options, base_url.clone())
        .map_err(|e| anyhow::anyhow!(e.message))?;
    eprintln!("leadline serve: listening on {base_url}/v1");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    engine.shutdown(Duration::from_secs(10)).await;
    Ok(())
}
