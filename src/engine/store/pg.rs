//! The PostgreSQL store, for `leadline serve` with `--database postgres://…`: several server
//! processes share one database.
//!
//! Driver: the synchronous `postgres` crate (tokio-postgres underneath, same maintainers). The
//! store is synchronous on both databases and the engine already calls it from blocking threads
//! (`spawn_blocking`), which is exactly where the sync client may run (it drives its own runtime
//! and must not be used on an async worker thread).
//!
//! Pool: a fixed set of connections, each with its own prepared-statement cache, taken like the
//! SQLite store's readers (a free one, else wait for one). Written here rather than with r2d2
//! because the statement cache has to live with its connection, and reconnecting a closed
//! connection is one line.
//!
//! Semantics kept from SQLite: a read runs on one consistent snapshot (REPEATABLE READ, read
//! only); a write is one transaction that first takes a database-wide advisory lock, so writes
//! are serialised across every instance exactly as SQLite's single writer serialises them in one
//! file (per-job sequence numbers, idempotency claims and lease grabs stay race-free).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use postgres::{Client, IsolationLevel, NoTls, Statement};

use super::conn::{Conn, PgTx};
use super::schema_pg;
use crate::model::{Error, ErrorCode};

/// The advisory lock every write transaction holds ("lead" in ASCII).
const WRITE_LOCK: i64 = 0x6c65_6164;

struct PgConn {
    client: Client,
    cache: HashMap<String, Statement>,
}

pub struct PgStore {
    config: postgres::Config,
    conns: Vec<Mutex<Option<PgConn>>>,
    next: AtomicUsize,
    /// The URL without its password, for messages.
    label: String,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("database", &self.label)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user@host/db`.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => "(an unparsable database URL)".into(),
    }
}

impl PgStore {
    /// Connects to the database at `url` (the password, when not in the URL, from `password`)
    /// and brings its schema up to date.
    pub fn connect(url: &str, password: Option<&str>, pool: usize) -> Result<Self, Error> {
        let label = redact(url);
        let mut config: postgres::Config = url.parse().map_err(|e| {
            Error::invalid(format!(
                "The database URL {label} is not a PostgreSQL URL ({e}). Write it as postgres://user@host:port/database."
            ))
        })?;
        if let Some(p) = password {
            config.password(p);
        }
        config.connect_timeout(Duration::from_secs(10));
        config.application_name("leadline");
        let store = Self {
            config,
            conns: (0..pool.max(1)).map(|_| Mutex::new(None)).collect(),
            next: AtomicUsize::new(0),
            label,
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    fn open(&self) -> Result<PgConn, Error> {
        let client = self.config.connect(NoTls).map_err(|e| {
            Error::new(
                ErrorCode::Unavailable,
                format!(
                    "Cannot connect to the PostgreSQL database at {} ({}). Check that the server runs, the URL and the password (its env variable).",
                    self.label,
                    describe(&e)
                ),
            )
        })?;
        Ok(PgConn {
            client,
            cache: HashMap::new(),
        })
    }

    fn checkout(&self) -> MutexGuard<'_, Option<PgConn>> {
        if let Some(free) = self.conns.iter().find_map(|c| c.try_lock().ok()) {
            return free;
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.conns.len();
        // A panic mid-transaction drops the transaction (rolled back): the connection is reusable.
        self.conns[i].lock().unwrap_or_else(|p| p.into_inner())
    }

    fn with_conn<T>(&self, f: impl FnOnce(&mut PgConn) -> Result<T, Error>) -> Result<T, Error> {
        let mut guard = self.checkout();
        if guard.as_ref().is_some_and(|c| c.client.is_closed()) {
            *guard = None;
        }
        let conn = match guard.as_mut() {
            Some(c) => c,
            None => guard.insert(self.open()?),
        };
        let out = f(conn);
        if conn.client.is_closed() {
            // The server went away: connect afresh next time.
            *guard = None;
        }
        out
    }

    /// Read-only work on one snapshot.
    pub fn read<T>(&self, f: impl FnOnce(&Conn<'_>) -> Result<T, Error>) -> Result<T, Error> {
        self.with_conn(|pc| {
            let tx = pc
                .client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let conn = Conn::pg(PgTx {
                tx,
                cache: &mut pc.cache,
            });
            let out = f(&conn);
            if let Some(t) = conn.into_pg() {
                // Read-only: ending the snapshot cannot lose anything.
                let _ = t.tx.commit();
            }
            out
        })
    }

    /// `f` in one transaction holding the database-wide write lock: all of it lands, or none.
    pub fn write<T>(&self, f: impl FnOnce(&Conn<'_>) -> Result<T, Error>) -> Result<T, Error> {
        self.write_with(true, f)
    }

    /// A write transaction, holding the database-wide write lock when `ordered`.
    pub fn write_with<T>(
        &self,
        ordered: bool,
        f: impl FnOnce(&Conn<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.with_conn(|pc| {
            let mut tx = pc.client.transaction()?;
            if ordered {
                tx.batch_execute(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK})"))?;
            }
            let conn = Conn::pg(PgTx {
                tx,
                cache: &mut pc.cache,
            });
            let out = f(&conn)?;
            if let Some(t) = conn.into_pg() {
                t.tx.commit()?;
            }
            Ok(out)
        })
    }

    /// Versioned migrations in a `schema_version` table, applied under the write lock, so two
    /// instances starting together upgrade the database once.
    fn migrate(&self) -> Result<(), Error> {
        self.write(|c| {
            c.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
            let version: i64 = c.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_version",
                (),
                |r| r.get(0),
            )?;
            let known = schema_pg::MIGRATIONS.len() as i64;
            if version > known {
                return Err(Error::internal(format!(
                    "The database at {} was written by a newer leadline (schema {version}, this one knows {known}). Upgrade leadline.",
                    self.label
                )));
            }
            for i in (0..schema_pg::MIGRATIONS.len()).skip(usize::try_from(version).unwrap_or(0)) {
                c.execute_batch(&schema_pg::migration(i))?;
                c.execute(
                    "INSERT INTO schema_version (version) VALUES (?1)",
                    [(i + 1) as i64],
                )?;
            }
            Ok(())
        })
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        let conns: Vec<PgConn> = self
            .conns
            .iter_mut()
            .filter_map(|m| m.get_mut().unwrap_or_else(|p| p.into_inner()).take())
            .collect();
        if conns.is_empty() {
            return;
        }
        // Closing a sync client blocks on its own runtime, which panics on an async runtime's
        // thread (where the last engine handle is often dropped): close them on a thread of
        // their own.
        let _ = std::thread::spawn(move || drop(conns)).join();
    }
}

/// The server's own words for a failure, when it sent any.
fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{}: {detail}", db.message()),
            None => db.message().to_string(),
        },
        None => e.to_string(),
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        match e.code() {
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED =>
            {
                Error::new(
                    ErrorCode::Unavailable,
                    "The database is busy with a conflicting change; try again in a moment.",
                )
            }
            Some(_) => Error::internal(format!("database error: {}", describe(&e))),
            None if e.is_closed() || e.as_db_error().is_none() => Error::new(
                ErrorCode::Unavailable,
                format!("The PostgreSQL database cannot be reached ({e}); try again in a moment."),
            ),
            None => Error::internal(format!("database error: {}", describe(&e))),
        }
    }
}
