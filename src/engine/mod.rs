//! The bundled research engine: threads → plans → jobs → leads, on SQLite in a data dir.
//!
//! [`Engine`] is a cheap handle (clone it freely). Its operations are async; database work runs
//! on blocking threads, jobs run as tokio tasks, and every job event is persisted before it is
//! announced, so a subscriber can always catch up from the store.

pub mod artifacts;
pub mod attachments;
pub mod credits;
pub mod import;
pub mod integrations;
mod jobs;
mod leases;
mod lifecycle;
pub mod locks;
pub mod opened;
pub mod planner;
mod recovery;
mod runner;
pub mod sources;
pub mod store;
pub mod webhooks;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::model::{Error, JobId, OrgId};
use planner::{Planner, RulesPlanner};
use store::Store;

/// Test mode: the planner is real, execution synthetic, free and offline. Live mode: real
/// sources and real credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Test,
    Live,
}

#[derive(Clone)]
pub struct EngineOptions {
    pub data_dir: PathBuf,
    pub mode: Mode,
    /// Delay before each captured lead (demos, and tests of stop and crash); zero for scripts.
    pub pace: Duration,
    /// Test mode's generator seed: the same prompt and seed give the same leads.
    pub seed: u64,
    pub planner: Arc<dyn Planner>,
    /// Credits included per month in live mode.
    pub credits_included: u64,
    /// Live mode's open-web step: off (`None`) unless configured, so nothing reaches the
    /// network by default.
    pub web: Option<sources::web::WebOptions>,
    /// Push targets and enrichment providers (from the config), and where their secrets live.
    pub integrations: integrations::IntegrationSettings,
    /// Where message attachments may be read from: local files too, or (a server) only the web.
    pub attachments: attachments::Access,
    /// A PostgreSQL database for the store (`serve --database`); `None`: the SQLite file in the
    /// data dir. The data dir still holds artifacts and logs either way.
    pub database: Option<Database>,
    /// On PostgreSQL, how long a running job's lease lasts without a heartbeat: an instance
    /// killed mid-job has its jobs taken over (ended as interrupted) this long after.
    pub lease: Duration,
}

/// Where a PostgreSQL store lives, and the password when the URL does not carry one.
#[derive(Clone, PartialEq, Eq)]
pub struct Database {
    pub url: String,
    pub password: Option<String>,
    /// Connections this process keeps open (`[server] database_pool`).
    pub pool: usize,
}

impl Database {
    /// Connections per process unless configured: a server's blocking pool runs at most this
    /// many store calls at once (the rest wait for a free connection).
    pub const DEFAULT_POOL: usize = 8;

    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            password: None,
            pool: Self::DEFAULT_POOL,
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("url", &store::pg::redact(&self.url))
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("pool", &self.pool)
            .finish()
    }
}

impl EngineOptions {
    /// Test mode, unpaced, the rule-based planner.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            mode: Mode::Test,
            pace: Duration::ZERO,
            seed: 7,
            planner: Arc::new(RulesPlanner::new()),
            credits_included: 5_000,
            web: None,
            integrations: integrations::IntegrationSettings::default(),
            attachments: attachments::Access::Local,
            database: None,
            lease: Duration::from_secs(10),
        }
    }
}

impl std::fmt::Debug for EngineOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineOptions")
            .field("data_dir", &self.data_dir)
            .field("mode", &self.mode)
            .field("pace", &self.pace)
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

/// A job running in this process.
struct RunHandle {
    cancel: CancellationToken,
    /// Becomes true once the runner has written the job's terminal state.
    finished: watch::Receiver<bool>,
}

struct Inner {
    store: Store,
    options: EngineOptions,
    /// Bumped after every committed event, waking subscribers (in this process; others poll).
    changes: watch::Sender<u64>,
    running: Mutex<HashMap<JobId, RunHandle>>,
    /// Cancelled when the engine shuts down: runners stop at their next checkpoint.
    shutdown: CancellationToken,
    /// How the jobs cut off by `shutdown` end (set just before it is cancelled).
    interrupting: std::sync::atomic::AtomicBool,
    /// The webhook delivery worker's wake-up and in-flight count.
    outbox: Arc<webhooks::Outbox>,
    /// This process's name in job leases (`ins_…`, new at every start).
    instance: String,
    /// Jobs whose leads-table index was found complete: it stays so (every lead is indexed in
    /// its own write, and removed with it), so the two counts that check it are not repeated
    /// on every filter and sort.
    indexed: Mutex<std::collections::HashSet<JobId>>,
}

/// How jobs still running when the engine shuts down end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Halting {
    /// The person driving this process asked (Ctrl-C on a CLI command, quitting the TUI): the
    /// job is `stopped` with its partial results, as a user's stop.
    Stopped,
    /// The process goes away under the job (a server shutting down): like a crash, the job
    /// `failed` with `job_halted` "interrupted" and is not charged.
    Interrupted,
}

/// A handle on the engine, scoped to one organisation: everything it reads or writes belongs to
/// that organisation, and anything else is `not_found`.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
    org: OrgId,
    /// Test or live, per handle: a server answers `sk_test_` and `sk_live_` keys side by side.
    mode: Mode,
    /// Set by `with_mode` (an API key's handle): jobs of the other mode are not found.
    mode_bound: bool,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("options", &self.inner.options)
            .finish()
    }
}

impl Engine {
    /// Opens the data dir and recovers jobs left `running` by a process that died.
    pub async fn open(options: EngineOptions) -> Result<Self, Error> {
        let dir = options.data_dir.clone();
        let options_mode = options.mode;
        let database = options.database.clone();
        let store = tokio::task::spawn_blocking(move || match database {
            Some(db) => Store::connect_postgres(&db.url, db.password.as_deref(), db.pool),
            None => Store::open(&dir),
        })
        .await
        .map_err(|e| Error::internal(format!("could not open the store: {e}")))??;
        let engine = Self {
            inner: Arc::new(Inner {
                store,
                options,
                changes: watch::channel(0).0,
                running: Mutex::new(HashMap::new()),
                shutdown: CancellationToken::new(),
                interrupting: std::sync::atomic::AtomicBool::new(false),
                outbox: Arc::default(),
                instance: format!("ins_{}", ulid::Ulid::generate()),
                indexed: Mutex::default(),
            }),
            org: OrgId::local(),
            mode: options_mode,
            mode_bound: false,
        };
        engine.recover_interrupted().await?;
        engine.start_delivery_worker();
        engine.start_heartbeat();
        Ok(engine)
    }

    /// The same engine, acting for another organisation.
    pub fn for_org(&self, org: OrgId) -> Engine {
        Engine {
            inner: self.inner.clone(),
            org,
            mode: self.mode,
            mode_bound: self.mode_bound,
        }
    }

    /// The same engine, in test or live mode.
    pub fn with_mode(&self, mode: Mode) -> Engine {
        Engine {
            inner: self.inner.clone(),
            org: self.org.clone(),
            mode,
            mode_bound: true,
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn org(&self) -> &OrgId {
        &self.org
    }

    fn scope_org(&self) -> store::scope::Owner {
        store::scope::Owner {
            org: self.org.clone(),
            livemode: self.mode_bound.then_some(self.mode == Mode::Live),
        }
    }

    pub fn options(&self) -> &EngineOptions {
        &self.inner.options
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.options.data_dir
    }

    pub fn livemode(&self) -> bool {
        self.mode == Mode::Live
    }

    /// Direct access to the store, for tests and benchmarks.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Runs database work on a blocking thread.
    async fn db<T, F>(&self, f: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, Error> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || f(&inner.store))
            .await
            .map_err(|e| Error::internal(format!("a database task failed: {e}")))?
    }

    /// After every committed change: wakes subscribers, and the delivery worker for whatever
    /// webhook events the change queued.
    fn announce(&self) {
        self.inner.changes.send_modify(|n| *n = n.wrapping_add(1));
        self.wake_deliveries();
    }

    /// True once a shutdown that counts as an interruption (not a user's stop) has begun.
    pub(crate) fn interrupted(&self) -> bool {
        self.inner.shutdown.is_cancelled()
            && self
                .inner
                .interrupting
                .load(std::sync::atomic::Ordering::SeqCst)
    }

    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<JobId, RunHandle>> {
        self.inner.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stops every job this process is running (each halts at its next checkpoint and writes its
    /// partial artifact, ending as `halting` says) and waits for them, up to `timeout`.
    pub async fn shutdown(&self, timeout: Duration, halting: Halting) {
        let started = tokio::time::Instant::now();
        // A second call (the CLI's, after `serve` shut down on a signal) has nothing left to do.
        let again = self.inner.shutdown.is_cancelled();
        self.inner.interrupting.store(
            halting == Halting::Interrupted,
            std::sync::atomic::Ordering::SeqCst,
        );
        self.inner.shutdown.cancel();
        let waits: Vec<watch::Receiver<bool>> = self
            .running()
            .values()
            .map(|h| h.finished.clone())
            .collect();
        let all = futures::future::join_all(waits.into_iter().map(|mut rx| async move {
            let _ = rx.wait_for(|done| *done).await;
        }));
        let _ = tokio::time::timeout(timeout, all).await;
        // The events of how those jobs ended go out before the process does, within what is
        // left of `timeout` (what is still queued is delivered by the next process that opens
        // the data dir).
        if !again {
            self.drain_deliveries(timeout.saturating_sub(started.elapsed()))
                .await;
        }
    }
}
