//! The store: SQLite (one file in the data dir; the default, and the only one of the TUI and the
//! CLI) or PostgreSQL (`leadline serve --database postgres://…`, several servers on one
//! database), behind one interface. Every multi-row change runs inside one transaction.
//!
//! The store is synchronous; the engine calls it from blocking tasks. Each query module works on
//! a [`Conn`] so the engine can compose several of them in one transaction, and writes its SQL
//! once for both databases (the few differences ask [`Conn::dialect`]).

pub mod api_keys;
pub mod attachments;
mod conn;
pub mod datasets;
pub mod events;
pub mod idempotency;
pub mod jobs;
pub mod lead_index;
pub mod leads;
pub mod leases;
pub mod messages;
pub(crate) mod paging;
pub mod pg;
pub mod plans;
pub mod pushes;
pub mod rate_windows;
pub(crate) mod schema;
mod schema_pg;
pub mod scope;
pub mod settings;
pub mod sqlite;
pub mod threads;
pub mod webhooks;

use std::path::Path;

pub use conn::{Conn, Dialect, FromValue, Param, Params, Row, Value, params};
pub use sqlite::{DB_FILE, db_error};

use crate::model::Error;

/// The database behind the engine.
pub struct Store(Backend);

enum Backend {
    Sqlite(sqlite::SqliteStore),
    Postgres(pg::PgStore),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Backend::Sqlite(s) => s.fmt(f),
            Backend::Postgres(p) => p.fmt(f),
        }
    }
}

impl Store {
    /// Opens (creating if needed) the SQLite database in `dir`, upgrading its schema.
    pub fn open(dir: &Path) -> Result<Self, Error> {
        Ok(Self(Backend::Sqlite(sqlite::SqliteStore::open(dir)?)))
    }

    /// Connects to a PostgreSQL database, upgrading its schema. Blocking: call it from a
    /// blocking thread.
    pub fn connect_postgres(url: &str, password: Option<&str>, pool: usize) -> Result<Self, Error> {
        Ok(Self(Backend::Postgres(pg::PgStore::connect(
            url, password, pool,
        )?)))
    }

    pub fn dialect(&self) -> Dialect {
        match self.0 {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite file, when the store is one.
    pub fn path(&self) -> Option<&Path> {
        match &self.0 {
            Backend::Sqlite(s) => Some(s.path()),
            Backend::Postgres(_) => None,
        }
    }

    /// Runs read-only work on a consistent snapshot.
    pub fn read<T>(&self, f: impl FnOnce(&Conn<'_>) -> Result<T, Error>) -> Result<T, Error> {
        match &self.0 {
            Backend::Sqlite(s) => s.read(f),
            Backend::Postgres(p) => p.read(f),
        }
    }

    /// Runs `f` in one write transaction: all of it lands, or none of it.
    pub fn write<T>(&self, f: impl FnOnce(&Conn<'_>) -> Result<T, Error>) -> Result<T, Error> {
        match &self.0 {
            Backend::Sqlite(s) => s.write(f),
            Backend::Postgres(p) => p.write(f),
        }
    }

    /// A one-statement write that needs no ordering with the others (a counter's upsert): on
    /// PostgreSQL it skips the database-wide write lock, so it never waits for a job's commit.
    pub fn write_unordered<T>(
        &self,
        f: impl FnOnce(&Conn<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        match &self.0 {
            Backend::Sqlite(s) => s.write(f),
            Backend::Postgres(p) => p.write_with(false, f),
        }
    }

    /// SQLite's `PRAGMA integrity_check` ("ok" for a sound file); PostgreSQL checks its own
    /// pages, so there it only proves the database answers.
    pub fn integrity_check(&self) -> Result<String, Error> {
        match &self.0 {
            Backend::Sqlite(s) => s.integrity_check(),
            Backend::Postgres(p) => p.read(|c| c.query_row("SELECT 'ok'", (), |r| r.get(0))),
        }
    }
}

/// Runs `f` on a thread of its own and waits for it: store work that an async context has to do
/// inline (start-up checks, tests), since the PostgreSQL client must not block a runtime thread.
pub fn blocking<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(out) => out,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// JSON columns: our own data, written by us; a parse failure means corruption.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(raw: &str, what: &str) -> Result<T, Error> {
    serde_json::from_str(raw).map_err(|e| {
        Error::internal(format!(
            "stored {what} is not valid JSON ({e}); the database may be damaged"
        ))
    })
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serialising our own model types cannot fail (no maps with non-string keys).
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}
