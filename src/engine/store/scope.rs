//! Organisation and mode isolation: a resource outside the caller's organisation — or, for an
//! API key, a job of the other mode (test vs live) and what hangs off it — does not exist for it
//! (`not_found`, never `permission_error`, so ids cannot be probed across either line).

use super::Conn;
use std::ops::Deref;

use crate::model::{ArtifactId, Error, JobId, OrgId, PlanId, ThreadId};

/// Who may see a row: an organisation and, when bound to one (an API key), a mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub org: OrgId,
    /// `Some(livemode)` restricts jobs (and their plans, leads, artifacts) to that mode.
    pub livemode: Option<bool>,
}

impl Deref for Owner {
    type Target = OrgId;

    fn deref(&self) -> &OrgId {
        &self.org
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Scope<'a>(pub &'a Owner);

impl Scope<'_> {
    /// `sql` selects the owning organisation and, second, the job's livemode (or NULL where the
    /// object has no mode, like a thread).
    fn check(
        &self,
        c: &Conn<'_>,
        sql: &str,
        id: &str,
        what: &str,
        param: &str,
    ) -> Result<(), Error> {
        let owner: Option<(String, Option<bool>)> =
            c.query_opt(sql, [id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let same_mode = |live: Option<bool>| match (self.0.livemode, live) {
            (Some(want), Some(got)) => want == got,
            _ => true,
        };
        match owner {
            Some((org, live)) if org == self.0.org.as_str() && same_mode(live) => Ok(()),
            _ => Err(Error::not_found(what, &id).with_param(param)),
        }
    }

    pub fn thread(&self, c: &Conn<'_>, id: &ThreadId) -> Result<(), Error> {
        self.check(
            c,
            "SELECT org_id, NULL FROM threads WHERE id = ?1",
            id.as_str(),
            "Thread",
            "thread_id",
        )
    }

    pub fn plan(&self, c: &Conn<'_>, id: &PlanId) -> Result<(), Error> {
        self.check(
            c,
            "SELECT t.org_id, j.livemode FROM plans p JOIN threads t ON t.id = p.thread_id LEFT JOIN jobs j ON j.id = p.job_id WHERE p.id = ?1",
            id.as_str(),
            "Plan",
            "plan_id",
        )
    }

    pub fn job(&self, c: &Conn<'_>, id: &JobId) -> Result<(), Error> {
        self.check(
            c,
            "SELECT t.org_id, j.livemode FROM jobs j JOIN threads t ON t.id = j.thread_id WHERE j.id = ?1",
            id.as_str(),
            "Job",
            "job_id",
        )
    }

    pub fn artifact(&self, c: &Conn<'_>, id: &ArtifactId) -> Result<(), Error> {
        self.check(
            c,
            "SELECT t.org_id, j.livemode FROM artifacts a JOIN jobs j ON j.id = a.job_id JOIN threads t ON t.id = j.thread_id WHERE a.id = ?1",
            id.as_str(),
            "Artifact",
            "artifact_id",
        )
    }
}
