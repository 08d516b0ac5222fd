//! Start-up recovery: a job left `running` by a process that died (its lock is free; on
//! PostgreSQL, its lease ran out) becomes `failed` with `job_halted` / "interrupted", keeping
//! every committed lead in a partial artifact, and is not charged.

use super::locks::JobLock;
use super::runner::{record_end, write_artifact};
use super::{Engine, store};
use crate::model::{Error, ErrorCode, JobStatus, Timestamp};

impl Engine {
    pub(super) async fn recover_interrupted(&self) -> Result<(), Error> {
        if self.inner.store.dialect() == store::Dialect::Postgres {
            // Several servers share the database: only jobs whose lease ran out are orphans.
            return self.lease_round().await;
        }
        let running = self
            .db(|s| s.read(|c| store::jobs::ids_with_status(c, None, JobStatus::Running)))
            .await?;
        for id in running {
            // Held: another live process is running it. Free: its runner is gone.
            let Some(lock) = JobLock::try_acquire(self.data_dir(), &id)? else {
                continue;
            };
            self.end_interrupted(&id, None).await?;
            drop(lock);
        }
        Ok(())
    }

    /// Ends a running job whose runner is gone as `failed` / "interrupted". `lease`: on
    /// PostgreSQL, the instance that took the job over, which must still hold it.
    pub(super) async fn end_interrupted(
        &self,
        id: &crate::model::JobId,
        lease: Option<String>,
    ) -> Result<(), Error> {
        {
            let jid = id.clone();
            let (job, leads) = self
                .db(move |s| {
                    s.read(|c| Ok((store::jobs::get(c, &jid)?, store::leads::all(c, &jid)?)))
                })
                .await?;
            // It may have finished between the listing and taking the lock.
            if job.status != JobStatus::Running {
                return Ok(());
            }
            let rows = leads.len() as u64;
            tracing::warn!(job = %id, rows, "recovering a job interrupted by a crash");
            let written = write_artifact(self, id, leads, true).await?;
            let summary = format!("Interrupted after {rows} leads; the partial results are kept.");
            self.db(move |s| {
                s.write(|tx| {
                    let job = store::jobs::get(tx, &job.id)?;
                    if job.status != JobStatus::Running {
                        return Ok(());
                    }
                    if let Some(owner) = &lease
                        && !store::leases::holds(tx, &job.id, owner)?
                    {
                        // Another instance took it over meanwhile: it is theirs to end.
                        return Ok(());
                    }
                    let progress = job.progress;
                    record_end(
                        tx,
                        &job,
                        JobStatus::Failed,
                        &summary,
                        Some((ErrorCode::JobHalted, "interrupted")),
                        0,
                        rows,
                        progress,
                        &written,
                        Timestamp::now(),
                    )
                })
            })
            .await?;
            self.announce();
        }
        Ok(())
    }
}
