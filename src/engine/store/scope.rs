//! Organisation isolation: a resource outside the caller's organisation does not exist for it
//! (`not_found`, never `permission_error`, so ids cannot be probed across organisations).

use rusqlite::{Connection, OptionalExtension};

use crate::model::{ArtifactId, Error, JobId, OrgId, PlanId, ThreadId};

#[derive(Debug, Clone, Copy)]
pub struct Scope<'a>(pub &'a OrgId);

impl Scope<'_> {
    fn check(
        &self,
        c: &Connection,
        sql: &str,
        id: &str,
        what: &str,
        param: &str,
    ) -> Result<(), Error> {
        let owner: Option<String> = c.query_row(sql, [id], |r| r.get(0)).optional()?;
        match owner {
            Some(org) if org == self.0.as_str() => Ok(()),
            _ => Err(Error::not_found(what, &id).with_param(param)),
        }
    }

    pub fn thread(&self, c: &Connection, id: &ThreadId) -> Result<(), Error> {
        self.check(
            c,
            "SELECT org_id FROM threads WHERE id = ?1",
            id.as_str(),
            "Thread",
            "thread_id",
        )
    }

    pub fn plan(&self, c: &Connection, id: &PlanId) -> Result<(), Error> {
        self.check(
            c,
            "SELECT t.org_id FROM plans p JOIN threads t ON t.id = p.thread_id WHERE p.id = ?1",
            id.as_str(),
            "Plan",
            "plan_id",
        )
    }

    pub fn job(&self, c: &Connection, id: &JobId) -> Result<(), Error> {
        self.check(
            c,
            "SELECT t.org_id FROM jobs j JOIN threads t ON t.id = j.thread_id WHERE j.id = ?1",
            id.as_str(),
            "Job",
            "job_id",
        )
    }

    pub fn artifact(&self, c: &Connection, id: &ArtifactId) -> Result<(), Error> {
        self.check(
            c,
            "SELECT t.org_id FROM artifacts a JOIN jobs j ON j.id = a.job_id JOIN threads t ON t.id = j.thread_id WHERE a.id = ?1",
            id.as_str(),
            "Artifact",
            "artifact_id",
        )
    }
}
