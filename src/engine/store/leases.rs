//! Job leases (PostgreSQL, several servers on one database): who runs a running job, until when.
//! The runner's instance renews its leases on a heartbeat; a lease that ran out belongs to an
//! instance that died (or lost the database), and any instance's sweeper takes it over.
//! On SQLite a lock file per job does this job (engine/locks.rs), so these are not used there.

use super::{Conn, params};
use crate::model::{Error, JobId, Timestamp};

/// Records that `owner` runs `job` until `until` (inside the approving transaction).
pub fn grant(c: &Conn<'_>, job: &JobId, owner: &str, until: Timestamp) -> Result<(), Error> {
    c.execute(
        "UPDATE jobs SET lease_owner = ?2, lease_until = ?3 WHERE id = ?1",
        params![job, owner, until.millis()],
    )?;
    Ok(())
}

/// Extends every lease `owner` holds on a running job; the jobs it still holds.
pub fn renew(c: &Conn<'_>, owner: &str, until: Timestamp) -> Result<Vec<JobId>, Error> {
    c.query_map(
        "UPDATE jobs SET lease_until = ?2 WHERE lease_owner = ?1 AND status = 'running' RETURNING id",
        params![owner, until.millis()],
        |r| Ok(JobId::from_db(r.get(0)?)),
    )
}

/// Takes over running jobs whose lease ran out (or that never had one): each is locked with
/// `FOR UPDATE SKIP LOCKED`, so instances sweeping at once never take the same job, and leased to
/// `owner` for the recovery.
pub fn take_expired(
    c: &Conn<'_>,
    owner: &str,
    now: Timestamp,
    until: Timestamp,
) -> Result<Vec<JobId>, Error> {
    let expired = c.query_map(
        "SELECT id FROM jobs WHERE status = 'running' AND (lease_until IS NULL OR lease_until < ?1)
         ORDER BY seq FOR UPDATE SKIP LOCKED",
        [now.millis()],
        |r| Ok(JobId::from_db(r.get(0)?)),
    )?;
    for job in &expired {
        grant(c, job, owner, until)?;
    }
    Ok(expired)
}

/// Whether `owner` holds the lease of `job`.
pub fn holds(c: &Conn<'_>, job: &JobId, owner: &str) -> Result<bool, Error> {
    Ok(
        c.query_opt("SELECT lease_owner FROM jobs WHERE id = ?1", [job], |r| {
            r.get::<Option<String>>(0)
        })?
        .flatten()
        .is_some_and(|o| o == owner),
    )
}
