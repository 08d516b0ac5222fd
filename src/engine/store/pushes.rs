//! The push ledger: one row per (job, provider, mode), one row per item with its last outcome.
//! Items recorded as created, updated or skipped are not sent again; failed ones are.

use super::{Conn, params};
use std::collections::HashMap;

use super::{from_json, to_json};
use crate::model::push::{EnrichResult, PushMode, PushProvider, PushResult};
use crate::model::{Error, JobId, PushId, Timestamp};

/// A push's row.
#[derive(Debug, Clone)]
pub struct PushRow {
    pub id: PushId,
    pub list_id: Option<String>,
    pub list_url: Option<String>,
    pub last: Option<PushResult>,
}

/// An item's recorded outcome: `created`, `updated`, `skipped` or `failed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRecord {
    pub outcome: String,
    pub external_id: Option<String>,
    pub code: Option<String>,
    pub message: Option<String>,
}

impl ItemRecord {
    /// Done items are never sent again without `force`.
    pub fn is_done(&self) -> bool {
        self.outcome != "failed"
    }
}

pub fn find(
    c: &Conn<'_>,
    job: &JobId,
    provider: PushProvider,
    mode: PushMode,
) -> Result<Option<PushRow>, Error> {
    c.query_opt(
        "SELECT id, list_id, list_url, result FROM pushes WHERE job_id = ?1 AND provider = ?2 AND mode = ?3",
        params![job, provider.as_str(), mode.as_str()],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<Option<String>>(1)?,
                r.get::<Option<String>>(2)?,
                r.get::<Option<String>>(3)?,
            ))
        },
    )?
    .map(|(id, list_id, list_url, result)| {
        Ok(PushRow {
            id: PushId::from_db(id),
            list_id,
            list_url,
            last: result.map(|r| from_json(&r, "push result")).transpose()?,
        })
    })
    .transpose()
}

/// The push row for (job, provider, mode), created if new.
pub fn open(
    c: &Conn<'_>,
    job: &JobId,
    provider: PushProvider,
    mode: PushMode,
    now: Timestamp,
) -> Result<PushRow, Error> {
    if let Some(row) = find(c, job, provider, mode)? {
        return Ok(row);
    }
    let id = PushId::generate();
    c.execute(
        "INSERT INTO pushes (id, job_id, provider, mode, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![id, job, provider.as_str(), mode.as_str(), now.millis()],
    )?;
    Ok(PushRow {
        id,
        list_id: None,
        list_url: None,
        last: None,
    })
}

/// Forgets every item's outcome (a forced push sends everything again).
pub fn reset_items(c: &Conn<'_>, push: &PushId) -> Result<(), Error> {
    c.execute("DELETE FROM push_items WHERE push_id = ?1", [push])?;
    Ok(())
}

pub fn items(c: &Conn<'_>, push: &PushId) -> Result<HashMap<String, ItemRecord>, Error> {
    let rows = c.query_map(
        "SELECT item, outcome, external_id, code, message FROM push_items WHERE push_id = ?1",
        [push],
        |r| {
            Ok((
                r.get::<String>(0)?,
                ItemRecord {
                    outcome: r.get(1)?,
                    external_id: r.get(2)?,
                    code: r.get(3)?,
                    message: r.get(4)?,
                },
            ))
        },
    )?;
    let mut out = HashMap::new();
    for (item, rec) in rows {
        out.insert(item, rec);
    }
    Ok(out)
}

/// Records the outcomes of one request's items (called in one transaction per request, right
/// after the answer, so a crash loses at most the requests in flight).
pub fn record_items(
    c: &Conn<'_>,
    push: &PushId,
    items: &[(String, ItemRecord)],
    now: Timestamp,
) -> Result<(), Error> {
    let sql =
        "INSERT INTO push_items (push_id, item, outcome, external_id, code, message, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (push_id, item) DO UPDATE SET outcome = excluded.outcome,
             external_id = coalesce(excluded.external_id, push_items.external_id),
             code = excluded.code, message = excluded.message, updated_at = excluded.updated_at";
    for (item, rec) in items {
        c.execute(
            sql,
            params![
                push,
                item,
                rec.outcome,
                rec.external_id,
                rec.code,
                rec.message,
                now.millis()
            ],
        )?;
    }
    c.execute(
        "UPDATE pushes SET updated_at = ?2 WHERE id = ?1",
        params![push, now.millis()],
    )?;
    Ok(())
}

/// Stores a finished push's result (and the list it went to).
pub fn finish(c: &Conn<'_>, result: &PushResult) -> Result<(), Error> {
    c.execute(
        "UPDATE pushes SET result = ?2, list_id = coalesce(?3, list_id), list_url = coalesce(?4, list_url), updated_at = ?5 WHERE id = ?1",
        params![
            result.push_id,
            to_json(result),
            result.list_id,
            result.list_url,
            Timestamp::now().millis()
        ],
    )?;
    Ok(())
}

/// The pushes of a job, newest first.
pub fn for_job(c: &Conn<'_>, job: &JobId) -> Result<Vec<PushResult>, Error> {
    c.query_map(
        "SELECT result FROM pushes WHERE job_id = ?1 AND result IS NOT NULL ORDER BY updated_at DESC",
        [job],
        |r| from_json(&r.get::<String>(0)?, "push result"),
    )
}

pub fn insert_enrichment(c: &Conn<'_>, result: &EnrichResult) -> Result<(), Error> {
    c.execute(
        "INSERT INTO enrichments (id, job_id, provider, created_at, result) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            result.enrichment_id,
            result.job_id,
            result.provider.as_str(),
            result.created_at.millis(),
            to_json(result)
        ],
    )?;
    Ok(())
}
