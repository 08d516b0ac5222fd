//! A job's attachments (migration 6), stored parsed so the runner reads them without refetching.

use super::{Conn, params};

use super::{from_json, to_json};
use crate::engine::attachments::Loaded;
use crate::model::{Error, JobId};

pub fn insert(c: &Conn<'_>, job: &JobId, list: &[Loaded]) -> Result<(), Error> {
    for (i, a) in list.iter().enumerate() {
        c.execute(
            "INSERT INTO job_attachments (job_id, ordinal, data) VALUES (?1, ?2, ?3)",
            params![job, i as i64, to_json(a)],
        )?;
    }
    Ok(())
}

pub fn for_job(c: &Conn<'_>, job: &JobId) -> Result<Vec<Loaded>, Error> {
    c.query_map(
        "SELECT data FROM job_attachments WHERE job_id = ?1 ORDER BY ordinal",
        [job],
        |r| from_json(&r.get::<String>(0)?, "attachment"),
    )
}

/// A replanned job enriches the same list as the job it replaces.
pub fn copy(c: &Conn<'_>, from: &JobId, to: &JobId) -> Result<(), Error> {
    c.execute(
        "INSERT INTO job_attachments (job_id, ordinal, data)
         SELECT CAST(?2 AS TEXT), ordinal, data FROM job_attachments WHERE job_id = ?1",
        params![from, to],
    )?;
    Ok(())
}
