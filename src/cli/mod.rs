//! The headless CLI: the same backends as the TUI, for scripts and checks.

mod args;
mod commands;
mod import_cmd;
mod integrations;
mod jobs;
mod keys;
mod leads;
mod output;
mod search;
mod serve;
mod signals;

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;

pub use args::{Cli, Command, Format};

use crate::backend::{Backend, LocalBackend};
use crate::config::{Config, ModeConfig, PlannerKind};
use crate::engine::{Engine, EngineOptions, Mode};
use crate::model::Error;

/// Where a command failed: a typed API error (printed with its code) or anything else.
pub(crate) enum Failure {
    Api(Error),
    Other(anyhow::Error),
    /// A signal ended the command; its running jobs were stopped first.
    Interrupted(signals::Interrupt),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Api(e)
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Other(e.into())
    }
}

/// The process entry point: parse, dispatch, report.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if runs_tui(&cli) {
        one_malloc_arena();
    }
    crate::logging::init(
        cli.global.log_file.as_deref(),
        cli.global.data_dir.as_deref(),
        runs_tui(&cli),
    );
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(run(cli));
    // Bounded: a worker left stuck in a terminal read (see `tui::tty::TtyWatch`) or a blocking
    // task must not keep the process alive once the work is done.
    runtime.shutdown_timeout(Duration::from_secs(2));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Api(e)) => {
            eprintln!(
                "error: {}: {}",
                e.code,
                crate::text::sanitize_inline(&e.message)
            );
            if let Some(id) = &e.request_id {
                eprintln!("request_id: {id}");
            }
            ExitCode::FAILURE
        }
        Err(Failure::Other(e)) if output::broken_pipe(&e) => ExitCode::SUCCESS,
        Err(Failure::Other(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
        Err(Failure::Interrupted(signal)) => {
            eprintln!("leadline: {}: stopped", signal.name());
            ExitCode::from(signal.exit_status())
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let (config, config_source) = Config::load(cli.global.config.as_deref())?;
    let remote_url = cli.global.remote.clone().or_else(|| {
        (config.backend.kind == crate::config::BackendKind::Remote)
            .then(|| config.backend.url.clone())
            .flatten()
    });
    if config.backend.kind == crate::config::BackendKind::Remote && remote_url.is_none() {
        return Err(anyhow::anyhow!(
            "[backend] kind = \"remote\" needs url = \"http://HOST:PORT/v1\" (or pass --remote URL)"
        )
        .into());
    }
    let headless = !runs_tui(&cli);
    let serving = matches!(cli.command, Some(args::Command::Serve { .. }));
    let (backend, engine): (Arc<dyn Backend>, Option<Engine>) = match &remote_url {
        Some(url) => {
            let key = std::env::var(&config.backend.api_key_env).unwrap_or_default();
            (
                Arc::new(crate::backend::RemoteBackend::new(url, &key)?),
                None,
            )
        }
        None => {
            let database = server_database(&cli.command, &config)?;
            let engine = open_engine(&cli.global, &config, headless, serving, database).await?;
            (Arc::new(LocalBackend::new(engine.clone())), Some(engine))
        }
    };
    let result = match cli.command {
        Some(Command::Open {
            file,
            map,
            no_tui: false,
            format,
        }) => {
            open_in_tui(
                session_tui_config(&config, config_source, &cli.global),
                backend.clone(),
                engine.as_ref(),
                &file,
                &map,
                format,
            )
            .await
        }
        Some(Command::File(words)) if words.len() == 1 && Path::new(&words[0]).is_file() => {
            open_in_tui(
                session_tui_config(&config, config_source, &cli.global),
                backend.clone(),
                engine.as_ref(),
                Path::new(&words[0]),
                &[],
                Format::Text,
            )
            .await
        }
        None => {
            let tui = session_tui_config(&config, config_source, &cli.global);
            crate::tui::run(backend.clone(), tui)
                .await
                .map_err(Failure::from)
        }
        Some(command) => {
            let ctx = commands::Ctx {
                config: &config,
                backend,
                engine: engine.as_ref(),
                global: &cli.global,
            };
            // `serve` handles its own signals (it drains requests before halting jobs).
            let catch = !matches!(command, args::Command::Serve { .. });
            let work = commands::dispatch(&ctx, command);
            if catch {
                tokio::select! {
                    outcome = work => outcome,
                    signal = signals::interrupted(true) => Err(Failure::Interrupted(signal)),
                }
            } else {
                work.await
            }
        }
    };
    // Jobs this process runs halt cleanly (partial artifact) rather than being cut off: the
    // person at this command (or TUI) is the one ending them, so they end as a user's stop.
    if let Some(engine) = engine {
        engine
            .shutdown(Duration::from_secs(5), crate::engine::Halting::Stopped)
            .await;
    }
    result
}

pub(crate) fn tui_config(config: &Config) -> crate::tui::TuiConfig {
    crate::tui::TuiConfig {
        keys: config.keys.clone(),
        theme: config.theme.clone(),
        no_color: crate::tui::TuiConfig::no_color_from_env(),
        tui: config.tui.clone(),
        ..Default::default()
    }
}

/// The TUI's config for an interactive session: the column picker saves to the config file in
/// use (else the usual place), and exports go to the data dir's `exports/`.
fn session_tui_config(
    config: &Config,
    source: crate::config::ConfigSource,
    global: &args::Global,
) -> crate::tui::TuiConfig {
    let config_file = match source {
        crate::config::ConfigSource::File(p) => Some(p),
        crate::config::ConfigSource::Defaults => {
            crate::config::project_dirs().map(|d| d.config_dir().join("config.toml"))
        }
    };
    let data_dir = crate::config::data_dir(global.data_dir.as_deref());
    crate::tui::TuiConfig {
        config_file,
        export_dir: Some(data_dir.join("exports")),
        ..tui_config(config)
    }
}

/// The TUI is one person's session: glibc's default of up to eight malloc arenas per core (a
/// thread that allocates gets one, and each keeps what it freed) costs more resident memory
/// than the lock contention it saves. Measured on 100,000 opened leads: peak RSS 36 MB with the
/// default, 33 MB with two arenas, 29 MB with one (README, Performance). Set before any thread
/// starts.
fn one_malloc_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Whether this invocation draws the TUI (logs then go to a file, never the terminal).
fn runs_tui(cli: &Cli) -> bool {
    match &cli.command {
        None => true,
        Some(Command::Open { no_tui, .. }) => !no_tui,
        Some(Command::File(words)) => words.len() == 1 && Path::new(&words[0]).is_file(),
        Some(_) => false,
    }
}

/// `leadline open FILE` / `leadline FILE`: the file becomes a job, then the TUI opens on its
/// leads.
async fn open_in_tui(
    tui: crate::tui::TuiConfig,
    backend: Arc<dyn Backend>,
    engine: Option<&Engine>,
    file: &std::path::Path,
    map: &[String],
    format: Format,
) -> Result<(), Failure> {
    let engine = engine.ok_or_else(|| {
        Failure::Other(anyhow::anyhow!(
            "open reads the file into the embedded engine; drop --remote (and [backend] kind = \"remote\")"
        ))
    })?;
    let _ = format;
    // The first screen comes straight from the file; the job is stored in the background.
    let opening = import_cmd::open_in_background(engine, file, map).await?;
    crate::tui::run_opening(backend, tui, opening)
        .await
        .map_err(Failure::from)
}

/// The PostgreSQL database of `serve` (its `--database`, else `[server] database_url`) and of
/// `api-keys` (`[server] database_url`, so keys land where the servers look); every other
/// command keeps the data dir's SQLite file.
fn server_database(
    command: &Option<Command>,
    config: &Config,
) -> anyhow::Result<Option<crate::engine::Database>> {
    let url = match command {
        Some(Command::Serve { database, .. }) => database
            .clone()
            .or_else(|| config.server.database_url.clone()),
        Some(Command::ApiKeys(_)) => config.server.database_url.clone(),
        _ => None,
    };
    let Some(url) = url else { return Ok(None) };
    let password = match &config.server.database_password_env {
        Some(var) => match std::env::var(var) {
            Ok(p) if !p.is_empty() => Some(p),
            _ => anyhow::bail!(
                "[server] database_password_env names {var}, which is not set; export the database password in it"
            ),
        },
        None => None,
    };
    let pool = config.server.database_pool;
    if !(1..=64).contains(&pool) {
        anyhow::bail!(
            "[server] database_pool = {pool}: give 1 to 64 connections per server (default {})",
            crate::engine::Database::DEFAULT_POOL
        );
    }
    Ok(Some(crate::engine::Database {
        url,
        password,
        pool,
    }))
}

async fn open_engine(
    global: &args::Global,
    config: &Config,
    headless: bool,
    serving: bool,
    database: Option<crate::engine::Database>,
) -> anyhow::Result<Engine> {
    let data_dir = crate::config::data_dir(global.data_dir.as_deref());
    let mut options = EngineOptions::new(&data_dir);
    options.mode = if global.live || config.engine.mode == ModeConfig::Live {
        Mode::Live
    } else {
        Mode::Test
    };
    let default_pace = if headless { 0 } else { 120 };
    options.pace = Duration::from_millis(config.engine.pace_ms.unwrap_or(default_pace));
    options.seed = config.engine.seed;
    options.credits_included = config.engine.credits_included;
    if serving {
        options.attachments = crate::engine::attachments::Access::WebOnly;
        options.lease = Duration::from_secs(config.server.job_lease_seconds.clamp(1, 3600));
    }
    options.integrations = crate::engine::integrations::IntegrationSettings::new(
        config.integrations.clone(),
        config.providers.clone(),
    );
    if config.engine.web {
        options.web = Some(crate::engine::sources::web::WebOptions::default());
    }
    if config.planner.kind == PlannerKind::Llm {
        let p = &config.planner;
        let (Some(base_url), Some(model)) = (p.base_url.clone(), p.model.clone()) else {
            anyhow::bail!(
                "[planner] kind = \"llm\" needs base_url and model (see config.example.toml)"
            );
        };
        // The key (if any) comes from the environment variable the config names, never the file.
        let api_key = p
            .api_key_env
            .as_deref()
            .and_then(|var| std::env::var(var).ok())
            .filter(|k| !k.is_empty());
        options.planner = Arc::new(crate::engine::planner::LlmPlanner::new(
            crate::engine::planner::LlmPlannerConfig {
                base_url,
                model,
                api_key,
                timeout: Duration::from_millis(p.timeout_ms),
            },
        ));
    }
    let what = match &database {
        Some(db) => format!(
            "cannot open the database {}",
            crate::engine::store::pg::redact(&db.url)
        ),
        None => format!("cannot open the data dir {}", data_dir.display()),
    };
    options.database = database;
    Engine::open(options)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))
        .with_context(|| what)
}
