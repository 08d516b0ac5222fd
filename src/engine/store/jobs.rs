//! Job and artifact rows. Status changes are written here but decided by
//! [`JobStatus::apply`](crate::model::JobStatus::apply), the one state machine.

use super::{Conn, Dialect, Param, Row, params};

use super::paging::{KeysetQuery, Paging};
use super::scope::Owner;
use super::{from_json, to_json};
use crate::model::requests::JobQuery;
use crate::model::{
    Artifact, ArtifactId, ArtifactRef, Error, ErrorCode, Job, JobError, JobId, JobStatus, Order,
    OrgId, Page, PlanId, Progress, ThreadId, Timestamp,
};

const COLUMNS: &str = "j.seq, j.id, j.thread_id, j.plan_id, j.status, j.step, j.total, j.percent,
    j.started_at, j.finished_at, j.credits_used, j.summary, j.error_code, j.error_message,
    j.metadata, j.livemode, j.created_at, j.rows_captured, j.max_credits, j.superseded_by,
    a.id, a.rows, a.bytes";
const FROM: &str = "jobs j LEFT JOIN artifacts a ON a.job_id = j.id";

fn row(r: &Row<'_>) -> Result<(i64, Job, String), Error> {
    let status: String = r.get(4)?;
    let error_code: Option<String> = r.get(12)?;
    let error_message: Option<String> = r.get(13)?;
    let artifact_id: Option<String> = r.get(20)?;
    Ok((
        r.get(0)?,
        Job {
            id: JobId::from_db(r.get(1)?),
            object: "job".into(),
            thread_id: ThreadId::from_db(r.get(2)?),
            plan_id: PlanId::from_db(r.get(3)?),
            status: JobStatus::parse(&status).unwrap_or(JobStatus::Failed),
            progress: Progress {
                step: r.get::<i64>(5)? as u32,
                total: r.get::<i64>(6)? as u32,
                percent: r.get::<i64>(7)? as u32,
            },
            started_at: r.get::<Option<i64>>(8)?.map(Timestamp::from_millis),
            finished_at: r.get::<Option<i64>>(9)?.map(Timestamp::from_millis),
            credits_used: r.get::<i64>(10)? as u32,
            summary: r.get(11)?,
            error: error_code.map(|code| JobError {
                code: serde_json::from_value(serde_json::Value::String(code))
                    .unwrap_or(ErrorCode::Internal),
                message: error_message.unwrap_or_default(),
            }),
            metadata: Default::default(),
            livemode: r.get(15)?,
            created_at: Timestamp::from_millis(r.get(16)?),
            rows_captured: r.get::<i64>(17)? as u64,
            max_credits: r.get::<Option<i64>>(18)?.map(|n| n as u32),
            superseded_by: r.get::<Option<String>>(19)?.map(JobId::from_db),
            artifact: match artifact_id {
                Some(id) => Some(ArtifactRef {
                    id: ArtifactId::from_db(id),
                    rows: r.get::<i64>(21)? as u64,
                    bytes: r.get::<i64>(22)? as u64,
                }),
                None => None,
            },
        },
        r.get(14)?,
    ))
}

fn finish((_, mut j, metadata): (i64, Job, String)) -> Result<Job, Error> {
    j.metadata = from_json(&metadata, "job metadata")?;
    Ok(j)
}

pub fn insert(c: &Conn<'_>, j: &Job, seed: u64) -> Result<(), Error> {
    c.execute(
        "INSERT INTO jobs (id, thread_id, plan_id, status, total, metadata, livemode, created_at, seed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            j.id,
            j.thread_id,
            j.plan_id,
            j.status.as_str(),
            i64::from(j.progress.total),
            to_json(&j.metadata),
            j.livemode,
            j.created_at.millis(),
            seed as i64
        ],
    )?;
    Ok(())
}

pub fn get(c: &Conn<'_>, id: &JobId) -> Result<Job, Error> {
    let found = c.query_opt(
        &format!("SELECT {COLUMNS} FROM {FROM} WHERE j.id = ?1"),
        [id],
        row,
    )?;
    match found {
        Some(r) => finish(r),
        None => Err(Error::not_found("Job", id).with_param("job_id")),
    }
}

/// The organisation a job belongs to (through its thread).
pub fn org(c: &Conn<'_>, id: &JobId) -> Result<crate::model::OrgId, Error> {
    let org: String = c.query_row(
        "SELECT t.org_id FROM jobs j JOIN threads t ON t.id = j.thread_id WHERE j.id = ?1",
        [id],
        |r| r.get(0),
    )?;
    crate::model::OrgId::parse(&org)
}

pub fn seed(c: &Conn<'_>, id: &JobId) -> Result<u64, Error> {
    Ok(
        c.query_row("SELECT seed FROM jobs WHERE id = ?1", [id], |r| {
            r.get::<i64>(0)
        })? as u64,
    )
}

pub fn list(c: &Conn<'_>, owner: &Owner, q: &JobQuery) -> Result<Page<Job>, Error> {
    let mut query = KeysetQuery::new(
        &format!(
            "SELECT {COLUMNS} FROM {FROM} JOIN threads t ON t.id = j.thread_id WHERE t.org_id = ?"
        ),
        vec![Box::new(owner.org.as_str().to_string())],
        "j.seq",
        &q.page,
        Paging {
            default_limit: 20,
            max_limit: 100,
            order: Order::Desc,
        },
    )?;
    if !q.status.is_empty() {
        let marks = vec!["?"; q.status.len()].join(",");
        let args = q
            .status
            .iter()
            .map(|s| Box::new(s.as_str()) as Box<dyn Param>)
            .collect();
        query.filter_all(&format!("j.status IN ({marks})"), args);
    }
    if let Some(thread) = &q.thread_id {
        query.filter("j.thread_id = ?", thread.as_str().to_string());
    }
    if let Some(after) = q.created_after {
        query.filter("j.created_at > ?", after.millis());
    }
    if let Some(before) = q.created_before {
        query.filter("j.created_at < ?", before.millis());
    }
    if let Some(live) = owner.livemode {
        query.filter("j.livemode = ?", live);
    }
    query.fetch(c, row, finish)
}

/// Jobs of a thread in a given status.
pub fn ids_with_status(
    c: &Conn<'_>,
    thread: Option<&ThreadId>,
    status: JobStatus,
) -> Result<Vec<JobId>, Error> {
    c.query_map(
        "SELECT id FROM jobs WHERE status = ?1 AND (CAST(?2 AS TEXT) IS NULL OR thread_id = ?2) ORDER BY seq",
        params![status.as_str(), thread],
        |r| Ok(JobId::from_db(r.get(0)?)),
    )
}

pub fn set_status(c: &Conn<'_>, id: &JobId, status: JobStatus) -> Result<(), Error> {
    c.execute(
        "UPDATE jobs SET status = ?2 WHERE id = ?1",
        params![id, status.as_str()],
    )?;
    Ok(())
}

pub fn mark_started(
    c: &Conn<'_>,
    id: &JobId,
    now: Timestamp,
    max_credits: Option<u32>,
    total_steps: u32,
) -> Result<(), Error> {
    c.execute(
        "UPDATE jobs SET status = 'running', started_at = ?2, max_credits = ?3, total = ?4, step = 0, percent = 0 WHERE id = ?1",
        params![id, now.millis(), max_credits.map(i64::from), i64::from(total_steps)],
    )?;
    Ok(())
}

pub fn set_progress(
    c: &Conn<'_>,
    id: &JobId,
    p: Progress,
    rows: u64,
    credits: u32,
) -> Result<(), Error> {
    c.execute(
        "UPDATE jobs SET step = ?2, total = ?3, percent = ?4, rows_captured = ?5, credits_used = ?6 WHERE id = ?1",
        params![id, i64::from(p.step), i64::from(p.total), i64::from(p.percent), rows as i64, i64::from(credits)],
    )?;
    Ok(())
}

pub fn set_step(c: &Conn<'_>, id: &JobId, p: Progress) -> Result<(), Error> {
    c.execute(
        "UPDATE jobs SET step = ?2, total = ?3, percent = ?4 WHERE id = ?1",
        params![
            id,
            i64::from(p.step),
            i64::from(p.total),
            i64::from(p.percent)
        ],
    )?;
    Ok(())
}

pub fn request_stop(c: &Conn<'_>, id: &JobId) -> Result<(), Error> {
    c.execute("UPDATE jobs SET stop_requested = 1 WHERE id = ?1", [id])?;
    Ok(())
}

pub fn stop_requested(c: &Conn<'_>, id: &JobId) -> Result<bool, Error> {
    Ok(
        c.query_opt("SELECT stop_requested FROM jobs WHERE id = ?1", [id], |r| {
            r.get(0)
        })?
        .unwrap_or(true),
    )
}

pub fn supersede(c: &Conn<'_>, id: &JobId, by: &JobId, now: Timestamp) -> Result<(), Error> {
    c.execute(
        "UPDATE jobs SET status = 'stopped', superseded_by = ?2, finished_at = ?3,
         summary = 'Superseded by a replan (' || CAST(?2 AS TEXT) || ').' WHERE id = ?1",
        params![id, by, now.millis()],
    )?;
    Ok(())
}

/// The terminal write: status, summary, error, credits.
pub struct Finish<'a> {
    pub status: JobStatus,
    pub summary: Option<&'a str>,
    pub error: Option<(ErrorCode, &'a str)>,
    pub credits_used: u32,
    pub rows: u64,
    pub progress: Progress,
    pub now: Timestamp,
}

pub fn finish_job(c: &Conn<'_>, id: &JobId, f: &Finish<'_>) -> Result<(), Error> {
    c.execute(
        "UPDATE jobs SET status = ?2, summary = ?3, error_code = ?4, error_message = ?5,
         credits_used = ?6, rows_captured = ?7, step = ?8, total = ?9, percent = ?10, finished_at = ?11
         WHERE id = ?1",
        params![
            id,
            f.status.as_str(),
            f.summary,
            f.error.map(|(code, _)| code.as_str()),
            f.error.map(|(_, m)| m),
            i64::from(f.credits_used),
            f.rows as i64,
            i64::from(f.progress.step),
            i64::from(f.progress.total),
            i64::from(f.progress.percent),
            f.now.millis()
        ],
    )?;
    Ok(())
}

pub fn insert_artifact(c: &Conn<'_>, a: &Artifact, path: &str) -> Result<(), Error> {
    c.execute(
        "INSERT INTO artifacts (id, job_id, rows, bytes, columns, path, partial, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            a.id,
            a.job_id,
            a.rows as i64,
            a.bytes as i64,
            to_json(&a.columns),
            path,
            a.partial,
            a.created_at.millis()
        ],
    )?;
    Ok(())
}

/// The artifact record and the path of its CSV file.
pub fn get_artifact(c: &Conn<'_>, id: &ArtifactId) -> Result<(Artifact, String), Error> {
    let found = c.query_opt(
            "SELECT id, job_id, rows, bytes, columns, path, partial, created_at FROM artifacts WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    Artifact {
                        id: ArtifactId::from_db(r.get(0)?),
                        object: "artifact".into(),
                        job_id: JobId::from_db(r.get(1)?),
                        format: "csv".into(),
                        rows: r.get::<i64>(2)? as u64,
                        bytes: r.get::<i64>(3)? as u64,
                        columns: Vec::new(),
                        download_url: None,
                        expires_at: None,
                        created_at: Timestamp::from_millis(r.get(7)?),
                        partial: r.get(6)?,
                    },
                    r.get::<String>(4)?,
                    r.get::<String>(5)?,
                ))
            },
        )?;
    let Some((mut a, columns, path)) = found else {
        return Err(Error::not_found("Artifact", id).with_param("artifact_id"));
    };
    a.columns = from_json(&columns, "artifact columns")?;
    Ok((a, path))
}

/// Keeps an artifact's CSV in the database (PostgreSQL: every instance can then serve it).
pub fn insert_artifact_file(c: &Conn<'_>, id: &ArtifactId, csv: &[u8]) -> Result<(), Error> {
    c.execute(
        "INSERT INTO artifact_files (artifact_id, csv) VALUES (?1, ?2)",
        params![id, csv],
    )?;
    Ok(())
}

/// An artifact's CSV as kept in the database, if it was.
pub fn artifact_file(c: &Conn<'_>, id: &ArtifactId) -> Result<Option<Vec<u8>>, Error> {
    if c.dialect() != Dialect::Postgres {
        return Ok(None);
    }
    c.query_opt(
        "SELECT csv FROM artifact_files WHERE artifact_id = ?1",
        [id],
        |r| r.get(0),
    )
}

/// Artifact files of every job in a thread (to remove after the thread is deleted).
pub fn artifact_paths_in_thread(c: &Conn<'_>, thread: &ThreadId) -> Result<Vec<String>, Error> {
    c.query_map(
        "SELECT a.path FROM artifacts a JOIN jobs j ON j.id = a.job_id WHERE j.thread_id = ?1",
        [thread],
        |r| r.get(0),
    )
}

/// Credits used by finished live jobs since `since` (test-mode jobs are never charged).
pub fn credits_since(
    c: &Conn<'_>,
    org: &OrgId,
    since: Timestamp,
    livemode: bool,
) -> Result<u64, Error> {
    Ok(c.query_row(
        "SELECT CAST(COALESCE(SUM(j.credits_used), 0) AS BIGINT) FROM jobs j JOIN threads t ON t.id = j.thread_id
         WHERE j.livemode = ?1 AND j.created_at >= ?2 AND t.org_id = ?3
         AND j.status IN ('succeeded','stopped','running')",
        params![livemode, since.millis(), org],
        |r| r.get::<i64>(0),
    )? as u64)
}

pub fn count_by_status(
    c: &Conn<'_>,
    org: &OrgId,
    since: Timestamp,
    status: JobStatus,
) -> Result<u64, Error> {
    Ok(c.query_row(
        "SELECT count(*) FROM jobs j JOIN threads t ON t.id = j.thread_id
         WHERE j.status = ?1 AND j.created_at >= ?2 AND t.org_id = ?3",
        params![status.as_str(), since.millis(), org],
        |r| r.get::<i64>(0),
    )? as u64)
}

/// The newest succeeded job of this organisation whose metadata says it is the opened file with
/// this content fingerprint (`leadline open` of an unchanged file reuses its job, so the push
/// ledger still knows what was pushed).
pub fn opened_with_fingerprint(
    c: &Conn<'_>,
    org: &OrgId,
    fingerprint: &str,
) -> Result<Option<JobId>, Error> {
    let sql = match c.dialect() {
        Dialect::Sqlite => {
            "SELECT j.id FROM jobs j JOIN threads t ON t.id = j.thread_id
             WHERE t.org_id = ?1 AND j.status = 'succeeded'
               AND json_extract(j.metadata, '$.kind') = 'import'
               AND json_extract(j.metadata, '$.fingerprint') = ?2
             ORDER BY j.created_at DESC LIMIT 1"
        }
        Dialect::Postgres => {
            "SELECT j.id FROM jobs j JOIN threads t ON t.id = j.thread_id
             WHERE t.org_id = ?1 AND j.status = 'succeeded'
               AND CAST(j.metadata AS jsonb) ->> 'kind' = 'import'
               AND CAST(j.metadata AS jsonb) ->> 'fingerprint' = ?2
             ORDER BY j.created_at DESC LIMIT 1"
        }
    };
    c.query_opt(sql, params![org, fingerprint], |r| {
        Ok(JobId::from_db(r.get(0)?))
    })
}
