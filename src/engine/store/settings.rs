//! Server settings: small named values that must survive restarts (e.g. the download-URL
//! signing secret).

use super::Conn;

use crate::model::Error;

/// The stored value of `key`, storing `fresh` first if there is none.
pub fn get_or_insert(c: &Conn<'_>, key: &str, fresh: &str) -> Result<String, Error> {
    c.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        [key, fresh],
    )?;
    c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
        r.get(0)
    })
}
