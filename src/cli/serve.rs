//! `serve` (the engine behind the Leadex v1 API) and `snapshot` (one TUI frame as text).

use super::commands::{Ctx, Outcome};
use super::output;
use super::signals;
use crate::config::Config;
use crate::engine::Engine;
use crate::model::{JobId, ThreadId};

pub(super) async fn serve(config: &Config, engine: &Engine, addr: std::net::SocketAddr) -> Outcome {
    let options = crate::server::ServerOptions {
        rate_limit_per_minute: config.server.rate_limit_per_minute,
        public_url: config.server.public_url.clone(),
        ..Default::default()
    };
    crate::server::serve(engine.clone(), addr, options, shutdown_signal()).await?;
    Ok(())
}

/// SIGINT or SIGTERM.
async fn shutdown_signal() {
    signals::interrupted(false).await;
    eprintln!("leadline serve: shutting down (finishing requests, halting running jobs)");
}

pub(super) async fn snapshot(
    ctx: &Ctx<'_>,
    (width, height): (u16, u16),
    view: &str,
    thread: Option<&str>,
    job: Option<&str>,
) -> Outcome {
    let view = crate::tui::View::parse(view).ok_or_else(|| {
        anyhow::anyhow!("unknown view `{view}`: use threads, chat, plan, log or leads")
    })?;
    let opts = crate::tui::SnapshotOptions {
        width,
        height,
        view,
        thread: thread.map(ThreadId::parse).transpose()?,
        job: job.map(JobId::parse).transpose()?,
    };
    let frame =
        crate::tui::snapshot(ctx.backend.clone(), super::tui_config(ctx.config), opts).await?;
    output::text(&frame)?;
    Ok(())
}
