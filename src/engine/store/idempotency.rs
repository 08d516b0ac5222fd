//! Idempotency rows: a write's key, its request fingerprint and, once settled, the response to
//! replay. The server decides what is replayed; this module only stores it.

use super::{Conn, params};

use crate::model::{Error, OrgId, Timestamp};

/// A response stored for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// The scope the request needed (re-checked on replay), if any.
    pub scope: Option<String>,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Not seen before: now held in flight by this request.
    New,
    /// Settled with this response.
    Replay(StoredResponse),
    /// Another request holds it.
    InFlight,
    /// Seen with another request fingerprint.
    Mismatch,
}

/// Drops keys older than `expired_before`, then claims `key` for `fingerprint`.
pub fn claim(
    c: &Conn<'_>,
    org: &OrgId,
    key: &str,
    fingerprint: &[u8],
    now: Timestamp,
    expired_before: Timestamp,
) -> Result<Claim, Error> {
    c.execute(
        "DELETE FROM idempotency WHERE created_at < ?1",
        [expired_before.millis()],
    )?;
    type Row = (
        Vec<u8>,
        Option<u16>,
        Option<String>,
        Option<Vec<u8>>,
        Option<String>,
    );
    let found: Option<Row> = c
        .query_opt(
            "SELECT fingerprint, status, content_type, body, scope FROM idempotency WHERE org_id = ?1 AND key = ?2",
            params![org, key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
    Ok(match found {
        None => {
            c.execute(
                "INSERT INTO idempotency (org_id, key, fingerprint, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![org, key, fingerprint, now.millis()],
            )?;
            Claim::New
        }
        Some((f, ..)) if f != fingerprint => Claim::Mismatch,
        Some((_, Some(status), content_type, body, scope)) => Claim::Replay(StoredResponse {
            scope,
            status,
            content_type,
            body: body.unwrap_or_default(),
        }),
        Some((_, None, ..)) => Claim::InFlight,
    })
}

/// Stores the response a claimed key replays from now on.
pub fn settle(
    c: &Conn<'_>,
    org: &OrgId,
    key: &str,
    response: &StoredResponse,
) -> Result<(), Error> {
    c.execute(
        "UPDATE idempotency SET status = ?3, content_type = ?4, body = ?5, scope = ?6 WHERE org_id = ?1 AND key = ?2",
        params![org, key, response.status, response.content_type, response.body, response.scope],
    )?;
    Ok(())
}

/// Forgets a key, so the next request with it runs afresh.
pub fn release(c: &Conn<'_>, org: &OrgId, key: &str) -> Result<(), Error> {
    c.execute(
        "DELETE FROM idempotency WHERE org_id = ?1 AND key = ?2",
        params![org, key],
    )?;
    Ok(())
}

/// Forgets every unsettled key: at start-up these are requests a previous process never
/// finished (it crashed or was killed), and holding them would refuse every retry for a day.
pub fn release_in_flight(c: &Conn<'_>) -> Result<usize, Error> {
    c.execute("DELETE FROM idempotency WHERE status IS NULL", ())
}
