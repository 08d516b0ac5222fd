//! API key rows: the server's keys as stored (hash, scopes as text, redaction parts); the policy
//! (hashing, constant-time comparison, scopes, expiry) lives in `server::keys`.

use super::{Conn, Row, params};

use crate::model::{Error, OrgId, Timestamp};

/// One stored key, without interpretation of its scopes.
#[derive(Debug, Clone)]
pub struct KeyRecord {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub last4: String,
    /// Comma-separated scope names.
    pub scopes: String,
    pub livemode: bool,
    pub org: OrgId,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub hash: Vec<u8>,
}

/// What a new key is stored with.
pub struct NewKey<'a> {
    pub id: &'a str,
    pub org: &'a OrgId,
    pub name: &'a str,
    pub hash: &'a [u8],
    pub prefix: &'a str,
    pub last4: &'a str,
    pub scopes: &'a str,
    pub livemode: bool,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
}

const COLUMNS: &str =
    "id, name, prefix, scopes, last4, livemode, org_id, created_at, expires_at, revoked_at, hash";

fn row(r: &Row<'_>) -> Result<KeyRecord, Error> {
    Ok(KeyRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        prefix: r.get(2)?,
        scopes: r.get(3)?,
        last4: r.get(4)?,
        livemode: r.get(5)?,
        org: OrgId::from_db(r.get(6)?),
        created_at: Timestamp::from_millis(r.get(7)?),
        expires_at: r.get::<Option<i64>>(8)?.map(Timestamp::from_millis),
        revoked_at: r.get::<Option<i64>>(9)?.map(Timestamp::from_millis),
        hash: r.get(10)?,
    })
}

pub fn insert(c: &Conn<'_>, k: &NewKey<'_>) -> Result<(), Error> {
    c.execute(
        "INSERT INTO api_keys (id, org_id, name, hash, prefix, last4, scopes, livemode, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            k.id,
            k.org,
            k.name,
            k.hash,
            k.prefix,
            k.last4,
            k.scopes,
            k.livemode,
            k.created_at.millis(),
            k.expires_at.map(|t| t.millis())
        ],
    )?;
    Ok(())
}

/// The key `id` of `org`, if it exists.
pub fn get(c: &Conn<'_>, org: &OrgId, id: &str) -> Result<Option<KeyRecord>, Error> {
    c.query_opt(
        &format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?1 AND org_id = ?2"),
        params![id, org],
        row,
    )
}

/// An organisation's keys, newest first.
pub fn list(c: &Conn<'_>, org: &OrgId) -> Result<Vec<KeyRecord>, Error> {
    c.query_map(
        &format!("SELECT {COLUMNS} FROM api_keys WHERE org_id = ?1 ORDER BY created_at DESC"),
        [org],
        row,
    )
}

/// Marks a key revoked (the first revocation time stays).
pub fn revoke(c: &Conn<'_>, org: &OrgId, id: &str, at: Timestamp) -> Result<(), Error> {
    c.execute(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?3) WHERE id = ?1 AND org_id = ?2",
        params![id, org, at.millis()],
    )?;
    Ok(())
}

/// The key stored under a secret's hash.
pub fn find_by_hash(c: &Conn<'_>, hash: &[u8]) -> Result<Option<KeyRecord>, Error> {
    c.query_opt(
        &format!("SELECT {COLUMNS} FROM api_keys WHERE hash = ?1"),
        [hash],
        row,
    )
}
