//! Rate-limit windows kept in the database (PostgreSQL, several servers): every instance counts
//! against one budget per key and minute. (One process on SQLite counts in memory.)

use super::{Conn, params};
use crate::model::Error;

/// Counts one request of `key` in `window`; the window's count including it.
pub fn hit(c: &Conn<'_>, key: &str, window: i64) -> Result<i64, Error> {
    let count: i64 = c.query_row(
        "INSERT INTO rate_windows (key, minute, count) VALUES (?1, ?2, 1)
         ON CONFLICT (key, minute) DO UPDATE SET count = rate_windows.count + 1
         RETURNING count",
        params![key, window],
        |r| r.get(0),
    )?;
    if count == 1 {
        // A key's first request in a window: a good moment to forget the finished windows.
        c.execute("DELETE FROM rate_windows WHERE minute < ?1", [window - 1])?;
    }
    Ok(count)
}

/// The window's count so far, counting nothing.
pub fn peek(c: &Conn<'_>, key: &str, window: i64) -> Result<i64, Error> {
    Ok(c.query_opt(
        "SELECT count FROM rate_windows WHERE key = ?1 AND minute = ?2",
        params![key, window],
        |r| r.get(0),
    )?
    .unwrap_or(0))
}
