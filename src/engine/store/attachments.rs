//! A job's attachments (migration 6), stored parsed so the runner reads them without refetching.

use rusqlite::{Connection, params};

use super::{from_json, to_json};
use crate::engine::attachments::Loaded;
use crate::model::{Error, JobId};

pub fn insert(c: &Connection, job: &JobId, list: &[Loaded]) -> Result<(), Error> {
    let mut stmt = c.prepare_cached(
        "INSERT INTO job_attachments (job_id, ordinal, data) VALUES (?1, ?2, ?3)",
    )?;
    for (i, a) in list.iter().enumerate() {
        stmt.execute(params![job, i as i64, to_json(a)])?;
    }
    Ok(())
}

pub fn for_job(c: &Connection, job: &JobId) -> Result<Vec<Loaded>, Error> {
    let mut stmt =
        c.prepare_cached("SELECT data FROM job_attachments WHERE job_id = ?1 ORDER BY ordinal")?;
    let rows = stmt.query_map([job], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for raw in rows {
        out.push(from_json(&raw?, "attachment")?);
    }
    Ok(out)
}

/// A replanned job enriches the same list as the job it replaces.
pub fn copy(c: &Connection, from: &JobId, to: &JobId) -> Result<(), Error> {
    c.execute(
        "INSERT INTO job_attachments (job_id, ordinal, data)
         SELECT ?2, ordinal, data FROM job_attachments WHERE job_id = ?1",
        params![from, to],
    )?;
    Ok(())
}
