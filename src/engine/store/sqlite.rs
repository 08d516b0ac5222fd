//! The SQLite store: one database file in the data dir, WAL mode, foreign keys on, versioned
//! migrations (PRAGMA user_version), and every multi-row change inside one `BEGIN IMMEDIATE`
//! transaction.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode as SqliteCode, OpenFlags, TransactionBehavior};

use super::conn::Conn;
use super::schema;
use crate::model::{Error, ErrorCode};

pub const DB_FILE: &str = "leadline.db";

pub struct SqliteStore {
    /// The one writer (SQLite allows one at a time anyway).
    conn: Mutex<Connection>,
    /// Readers beside it: in WAL mode they never block the writer, so a subscriber replaying a
    /// large job does not hold up the job's own commits.
    readers: Vec<Mutex<Connection>>,
    path: PathBuf,
}

const READERS: usize = 3;

/// Each reader's page cache, in KiB (SQLite's default is 2,000). Reads that matter here are
/// either small (a job, a page of leads: the B-tree's upper pages, which this holds) or scans of
/// a large job that no cache of this size would hold anyway (the OS page cache serves those).
/// Measured on 100,000 opened leads: SQLite was most of the TUI's heap, and readers at the
/// default cache put its peak RSS over the 30 MB budget.
const READER_CACHE_KIB: i64 = 512;

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database in `dir`, upgrading its schema.
    pub fn open(dir: &Path) -> Result<Self, Error> {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::internal(format!(
                "Cannot create the data directory {}: {e}. Choose a writable place with --data-dir.",
                dir.display()
            ))
        })?;
        let path = dir.join(DB_FILE);
        let open = || {
            Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| db_error(&path, e))
        };
        let conn = open()?;
        let mut store = Self {
            conn: Mutex::new(conn),
            readers: Vec::new(),
            path: path.clone(),
        };
        store.configure().map_err(|e| db_error(&store.path, e))?;
        store.migrate()?;
        for _ in 0..READERS {
            let reader = open()?;
            reader
                .busy_timeout(Duration::from_secs(5))
                .map_err(|e| db_error(&path, e))?;
            reader
                .pragma_update(None, "cache_size", -READER_CACHE_KIB)
                .map_err(|e| db_error(&path, e))?;
            store.readers.push(Mutex::new(reader));
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> rusqlite::Result<()> {
        let conn = self.lock();
        // Another process (a worker, `serve`, the TUI) may hold the write lock briefly.
        conn.busy_timeout(Duration::from_secs(5))?;
        // WAL with synchronous=NORMAL: a committed transaction survives any process crash
        // (kill -9); only an OS crash can lose the last commits, never corrupt the file.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(%mode, "SQLite refused WAL mode; continuing with its default journal");
        }
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;",
        )?;
        // Fail now, with a clear message, if the file is not a database at all.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(())
    }

    fn migrate(&self) -> Result<(), Error> {
        let mut conn = self.lock();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| db_error(&self.path, e))?;
        let known = schema::MIGRATIONS.len() as i64;
        if version > known {
            return Err(Error::internal(format!(
                "The database at {} was written by a newer leadline (schema {version}, this one knows {known}). Upgrade leadline or use another --data-dir.",
                self.path.display()
            )));
        }
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| db_error(&self.path, e))?;
            tx.execute_batch(sql).map_err(|e| db_error(&self.path, e))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(|e| db_error(&self.path, e))?;
            tx.commit().map_err(|e| db_error(&self.path, e))?;
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (the transaction rolls
        // back on drop), so a poisoned mutex is safe to reuse.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs read-only work on a consistent snapshot, on a reader connection.
    pub fn read<T>(&self, f: impl FnOnce(&Conn<'_>) -> Result<T, Error>) -> Result<T, Error> {
        let free = self.readers.iter().find_map(|r| r.try_lock().ok());
        let mut conn = match free {
            Some(guard) => guard,
            None => match self.readers.first() {
                Some(r) => r.lock().unwrap_or_else(|p| p.into_inner()),
                None => self.lock(),
            },
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(|e| db_error(&self.path, e))?;
        let out = f(&Conn::sqlite(&tx));
        // Read-only: ending the snapshot cannot lose anything.
        let _ = tx.finish();
        out
    }

    /// Runs `f` in one immediate transaction: all of it lands, or none of it.
    pub fn write<T>(&self, f: impl FnOnce(&Conn<'_>) -> Result<T, Error>) -> Result<T, Error> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_error(&self.path, e))?;
        let out = f(&Conn::sqlite(&tx))?;
        tx.commit().map_err(|e| db_error(&self.path, e))?;
        Ok(out)
    }

    /// `PRAGMA integrity_check`: "ok" for a sound database.
    pub fn integrity_check(&self) -> Result<String, Error> {
        self.read(|c| c.query_row("PRAGMA integrity_check", (), |r| r.get(0)))
    }
}

/// Turns a SQLite failure into an error that names the file and what to do.
pub fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    let code = e.sqlite_error_code();
    let what = match code {
        Some(SqliteCode::DatabaseBusy | SqliteCode::DatabaseLocked) => format!(
            "The database at {} is locked by another process. Close the other leadline or try again.",
            path.display()
        ),
        Some(SqliteCode::NotADatabase | SqliteCode::DatabaseCorrupt) => format!(
            "The file at {} is not a readable leadline database ({e}). Move it aside or use another --data-dir.",
            path.display()
        ),
        Some(SqliteCode::ReadOnly | SqliteCode::CannotOpen | SqliteCode::PermissionDenied) => {
            format!(
                "Cannot open the database at {} for writing ({e}). Check its permissions or use another --data-dir.",
                path.display()
            )
        }
        Some(SqliteCode::DiskFull) => format!("The disk holding {} is full.", path.display()),
        _ => format!("Database error at {}: {e}", path.display()),
    };
    let code = match code {
        Some(SqliteCode::DatabaseBusy | SqliteCode::DatabaseLocked) => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    };
    Error::new(code, what)
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(SqliteCode::DatabaseBusy | SqliteCode::DatabaseLocked) => Error::new(
                ErrorCode::Unavailable,
                "The database is locked by another process; try again in a moment.",
            ),
            _ => Error::internal(format!("database error: {e}")),
        }
    }
}
