//! Thread rows.

use super::{Conn, Dialect, Row, params};
use serde_json::{Map, Value};

use super::from_json;
use super::paging::{KeysetQuery, Paging};
use crate::model::requests::ThreadQuery;
use crate::model::{Error, JobId, JobStatus, Order, OrgId, Page, Thread, ThreadId, Timestamp};

const COLUMNS: &str = "t.seq, t.id, t.title, t.metadata, t.created_at, t.updated_at, t.message_count, t.last_job_id, j.status";
const FROM: &str = "threads t LEFT JOIN jobs j ON j.id = t.last_job_id";

fn row(r: &Row<'_>) -> Result<(i64, Thread, String), Error> {
    let metadata: String = r.get(3)?;
    let status: Option<String> = r.get(8)?;
    Ok((
        r.get(0)?,
        Thread {
            id: ThreadId::from_db(r.get(1)?),
            object: "thread".into(),
            title: r.get(2)?,
            created_at: Timestamp::from_millis(r.get(4)?),
            updated_at: Timestamp::from_millis(r.get(5)?),
            message_count: r.get::<i64>(6)? as u64,
            last_job_id: r.get::<Option<String>>(7)?.map(JobId::from_db),
            metadata: Map::new(),
            last_job_status: status.as_deref().and_then(JobStatus::parse),
        },
        metadata,
    ))
}

fn finish((_, mut t, metadata): (i64, Thread, String)) -> Result<Thread, Error> {
    t.metadata = from_json::<Map<String, Value>>(&metadata, "thread metadata")?;
    Ok(t)
}

pub fn insert(c: &Conn<'_>, org: &OrgId, t: &Thread) -> Result<(), Error> {
    c.execute(
        "INSERT INTO threads (id, title, metadata, created_at, updated_at, message_count, last_job_id, org_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            t.id,
            t.title,
            super::to_json(&t.metadata),
            t.created_at.millis(),
            t.updated_at.millis(),
            t.message_count as i64,
            t.last_job_id,
            org
        ],
    )?;
    Ok(())
}

pub fn get(c: &Conn<'_>, id: &ThreadId) -> Result<Thread, Error> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE t.id = ?1");
    let found = c.query_opt(&sql, [id], row)?;
    match found {
        Some(r) => finish(r),
        None => Err(Error::not_found("Thread", id).with_param("thread_id")),
    }
}

pub fn list(c: &Conn<'_>, org: &OrgId, q: &ThreadQuery) -> Result<Page<Thread>, Error> {
    let mut query = KeysetQuery::new(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE t.org_id = ?"),
        vec![Box::new(org.as_str().to_string())],
        "t.seq",
        &q.page,
        Paging {
            default_limit: 20,
            max_limit: 100,
            order: Order::Desc,
        },
    )?;
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let escaped = text
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        // SQLite's LIKE ignores ASCII case; PostgreSQL's ILIKE does the same there.
        let like = match c.dialect() {
            Dialect::Sqlite => "t.title LIKE ? ESCAPE '\\'",
            Dialect::Postgres => "t.title ILIKE ? ESCAPE '\\'",
        };
        query.filter(like, format!("%{escaped}%"));
    }
    if let Some(status) = q.has_job_status {
        query.filter("j.status = ?", status.as_str());
    }
    query.fetch(c, row, finish)
}

pub fn update(
    c: &Conn<'_>,
    id: &ThreadId,
    title: Option<&str>,
    metadata: Option<&Map<String, Value>>,
    now: Timestamp,
) -> Result<(), Error> {
    let n = c.execute(
        "UPDATE threads SET title = COALESCE(?2, title), metadata = COALESCE(?3, metadata), updated_at = ?4 WHERE id = ?1",
        params![id, title, metadata.map(super::to_json), now.millis()],
    )?;
    if n == 0 {
        return Err(Error::not_found("Thread", id).with_param("thread_id"));
    }
    Ok(())
}

/// Records activity: a message was added (and maybe a job), bumping the counters.
pub fn touch(
    c: &Conn<'_>,
    id: &ThreadId,
    added_messages: u64,
    last_job: Option<&JobId>,
    now: Timestamp,
) -> Result<(), Error> {
    c.execute(
        "UPDATE threads SET message_count = message_count + ?2, last_job_id = COALESCE(?3, last_job_id), updated_at = ?4 WHERE id = ?1",
        params![id, added_messages as i64, last_job, now.millis()],
    )?;
    Ok(())
}

pub fn delete(c: &Conn<'_>, id: &ThreadId) -> Result<(), Error> {
    let n = c.execute("DELETE FROM threads WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(Error::not_found("Thread", id).with_param("thread_id"));
    }
    Ok(())
}
