//! A throwaway PostgreSQL cluster (scripts/pg-throwaway.sh) for the tests: one per test run,
//! stopped when the run ends, and a fresh database for each test that asks.
//!
//! No PostgreSQL installed: `database()` prints why and returns `None` (the test skips), unless
//! `LEADLINE_REQUIRE_PG=1` (CI), where that is a failure.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use leadline::engine::Database;

static CLUSTER: OnceLock<Result<String, String>> = OnceLock::new();
static NEXT: AtomicUsize = AtomicUsize::new(0);

fn cluster() -> &'static Result<String, String> {
    CLUSTER.get_or_init(|| {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg-throwaway.sh");
        let out = std::process::Command::new("bash")
            .arg(script)
            .arg("--owner-pid")
            .arg(std::process::id().to_string())
            .env_remove("LEADLINE_PG_PASSWORD")
            .output()
            .map_err(|e| format!("cannot run {script}: {e}"))?;
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        match out.status.code() {
            Some(0) => Ok(String::from_utf8_lossy(&out.stdout).trim().to_string()),
            Some(3) => Err(format!("no PostgreSQL binaries: {}", stderr.trim())),
            _ => Err(format!("the throwaway cluster did not start: {stderr}")),
        }
    })
}

/// With `LEADLINE_TEST_STORE=postgres` the shared helpers (`common::engine`, `server::serve*`,
/// `Harness::local`) put every engine on a fresh PostgreSQL database instead of a SQLite file, so
/// the same server and engine tests prove both stores (CI runs them once per store).
pub fn test_store() -> Option<Database> {
    match std::env::var("LEADLINE_TEST_STORE").as_deref() {
        Ok("postgres") => Some(database().expect("LEADLINE_TEST_STORE=postgres needs PostgreSQL")),
        _ => None,
    }
}

/// The URL of a new, empty database, or `None` when this machine has no PostgreSQL.
pub fn database() -> Option<Database> {
    match cluster() {
        Ok(base) => {
            let name = format!(
                "t{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::SeqCst)
            );
            let admin = base.clone();
            let sql = format!("CREATE DATABASE {name}");
            // The sync client must not run on an async test's runtime thread.
            std::thread::spawn(move || {
                let mut c = postgres::Client::connect(&admin, postgres::NoTls)
                    .expect("connect to the throwaway cluster");
                c.batch_execute(&sql).expect("create a test database");
            })
            .join()
            .expect("database created");
            let (server, _) = base.rsplit_once('/').expect("a URL with a database");
            Some(Database::new(format!("{server}/{name}")))
        }
        Err(why) => {
            assert!(
                std::env::var("LEADLINE_REQUIRE_PG").as_deref() != Ok("1"),
                "LEADLINE_REQUIRE_PG=1 but {why}"
            );
            eprintln!("skipped: PostgreSQL test without PostgreSQL ({why})");
            None
        }
    }
}
