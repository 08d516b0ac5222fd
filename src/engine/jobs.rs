//! Jobs after approval: approve, stop, read, stream, leads, artifacts, usage.

use std::collections::VecDeque;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::BoxStream;
use tokio::sync::watch;

use super::locks::JobLock;
use super::runner::Runner;
use super::store::scope::Scope;
use super::webhooks::{self, publish};
use super::{Engine, Mode, RunHandle, artifacts, store};
use crate::model::job::Transition;
use crate::model::requests::{Approve, ExportFormat, JobQuery, LeadQuery};
use crate::model::usage::{Credits, JobCounts, Period};
use crate::model::{
    Artifact, ArtifactId, Error, ErrorCode, Event, EventId, Job, JobId, JobStatus, Lead, Page,
    Timestamp, Usage,
};

/// How often a subscriber re-reads the store when nothing woke it: the fallback that makes a job
/// run by another process (a worker, a server) stream too.
const POLL: Duration = Duration::from_millis(200);
const EVENTS_PER_READ: u32 = 500;

impl Engine {
    /// Approves a pending job and starts it in this process.
    pub async fn approve(&self, id: &JobId, req: Approve) -> Result<Job, Error> {
        let (job, lock) = self.claim(id, req).await?;
        self.spawn_runner(job.id.clone(), Some(lock));
        Ok(job)
    }

    /// Approves a pending job and returns its lock without running it: the caller hands the lock
    /// to another process that runs it ([`Engine::run_claimed`]).
    pub async fn approve_detached(
        &self,
        id: &JobId,
        req: Approve,
    ) -> Result<(Job, JobLock), Error> {
        self.claim(id, req).await
    }

    /// Runs a job claimed by [`Engine::approve_detached`] (in a worker process) to the end.
    pub async fn run_claimed(&self, id: &JobId, lock: Option<JobLock>) -> Result<Job, Error> {
        let mut finished = self.spawn_runner(id.clone(), lock);
        let _ = finished.wait_for(|done| *done).await;
        self.get_job(id).await
    }

    async fn claim(&self, id: &JobId, req: Approve) -> Result<(Job, JobLock), Error> {
        // Scope first: another organisation's job must not even get a lock file.
        self.get_job(id).await?;
        if req.max_credits == Some(0) {
            return Err(Error::invalid("max_credits must be at least 1.").with_param("max_credits"));
        }
        let webhook_url = req
            .webhook_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(webhooks::check_url)
            .transpose()
            .map_err(|e| e.with_param("webhook_url"))?;
        let Some(lock) = JobLock::try_acquire(self.data_dir(), id)? else {
            // Someone holds the job: say what it is doing, through the state machine.
            let job = self.get_job(id).await?;
            job.status.apply(Transition::Approve, id)?;
            return Err(
                Error::conflict(format!("Job {id} is being started by another process."))
                    .with_param("job_id"),
            );
        };
        let (jid, live, included, org) = (
            id.clone(),
            self.mode == Mode::Live,
            self.inner.options.credits_included,
            self.scope_org(),
        );
        // Several servers may share a PostgreSQL database: this one runs the job, and says so.
        let lease = (self.inner.store.dialect() == store::Dialect::Postgres)
            .then(|| (self.instance().to_string(), self.lease_until()));
        let job = self
            .db(move |s| {
                s.write(|tx| {
                    let job = store::jobs::get(tx, &jid)?;
                    job.status.apply(Transition::Approve, &jid)?;
                    let plan = store::plans::get(tx, &job.plan_id)?;
                    if live {
                        let used = store::jobs::credits_since(tx, &org, month_start(), true)?;
                        let remaining = included.saturating_sub(used);
                        let needed = u64::from(req.max_credits.unwrap_or(plan.credits_estimate).min(plan.credits_estimate));
                        if needed > remaining {
                            return Err(Error::new(
                                ErrorCode::InsufficientCredits,
                                format!("This plan needs about {needed} credits and {remaining} remain this month. Lower max_credits, trim the plan, or top up."),
                            ));
                        }
                    }
                    if let Some(url) = &webhook_url {
                        let endpoint = store::webhooks::list(tx, &org)?
                            .into_iter()
                            .find(|e| &e.url == url)
                            .ok_or_else(|| Error::invalid(
                                "webhook_url is not a registered endpoint: register it with POST /v1/webhooks (it returns the signing secret its deliveries carry), then approve with it.",
                            ).with_param("webhook_url"))?;
                        store::webhooks::set_job_endpoint(tx, &jid, &endpoint.id)?;
                    }
                    let now = Timestamp::now();
                    store::jobs::mark_started(tx, &jid, now, req.max_credits, plan.steps.len() as u32)?;
                    if let Some((owner, until)) = &lease {
                        store::leases::grant(tx, &jid, owner, *until)?;
                    }
                    store::events::append(
                        tx,
                        &jid,
                        crate::model::EventKind::Log,
                        &serde_json::json!({"message": format!("Approved: {}", plan.title), "level": "info"}),
                        now,
                    )?;
                    store::threads::touch(tx, &job.thread_id, 0, None, now)?;
                    publish::publish_job_state(tx, &jid, "job.approved")?;
                    store::jobs::get(tx, &jid)
                })
            })
            .await?;
        self.announce();
        Ok((job, lock))
    }

    fn spawn_runner(&self, id: JobId, lock: Option<JobLock>) -> watch::Receiver<bool> {
        let cancel = self.inner.shutdown.child_token();
        let (done_tx, done_rx) = watch::channel(false);
        self.running().insert(
            id.clone(),
            RunHandle {
                cancel: cancel.clone(),
                finished: done_rx.clone(),
            },
        );
        let engine = self.clone();
        tokio::spawn(async move {
            Runner::new(engine.clone(), id.clone(), cancel).run().await;
            engine.running().remove(&id);
            drop(lock);
            let _ = done_tx.send(true);
        });
        done_rx
    }

    /// Stops a job. A pending job is cancelled at once; a running one halts at its next
    /// checkpoint with a partial artifact, and this returns once it has (whichever process runs
    /// it). A finished job is a `conflict`.
    pub async fn stop(&self, id: &JobId) -> Result<Job, Error> {
        let (jid, org) = (id.clone(), self.scope_org());
        let job = self
            .db(move |s| {
                s.write(|tx| {
                    Scope(&org).job(tx, &jid)?;
                    let job = store::jobs::get(tx, &jid)?;
                    let next = job.status.apply(Transition::Stop, &jid)?;
                    if job.status == JobStatus::Pending {
                        store::jobs::finish_job(
                            tx,
                            &jid,
                            &store::jobs::Finish {
                                status: next,
                                summary: Some("Cancelled before it ran."),
                                error: None,
                                credits_used: 0,
                                rows: 0,
                                progress: job.progress,
                                now: Timestamp::now(),
                            },
                        )?;
                        publish::publish_job_state(tx, &jid, "job.stopped")?;
                    } else {
                        store::jobs::request_stop(tx, &jid)?;
                    }
                    store::jobs::get(tx, &jid)
                })
            })
            .await?;
        if job.status.is_terminal() {
            self.announce();
            return Ok(job);
        }
        let local = self
            .running()
            .get(id)
            .map(|h| (h.cancel.clone(), h.finished.clone()));
        match local {
            Some((cancel, mut finished)) => {
                cancel.cancel();
                let _ = finished.wait_for(|done| *done).await;
            }
            None => {
                // Another process runs it and polls the stop flag; wait (bounded) for it to halt.
                for _ in 0..150 {
                    if self.get_job(id).await?.status.is_terminal() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        self.get_job(id).await
    }

    pub async fn get_job(&self, id: &JobId) -> Result<Job, Error> {
        let (id, org) = (id.clone(), self.scope_org());
        self.db(move |s| {
            s.read(|c| {
                Scope(&org)
                    .job(c, &id)
                    .and_then(|_| store::jobs::get(c, &id))
            })
        })
        .await
    }

    pub async fn list_jobs(&self, query: JobQuery) -> Result<Page<Job>, Error> {
        let org = self.scope_org();
        self.db(move |s| s.read(|c| store::jobs::list(c, &org, &query)))
            .await
    }

    /// Every stored event of a job (after `after`), `result` events with their leads.
    pub async fn job_events(
        &self,
        id: &JobId,
        after: Option<EventId>,
    ) -> Result<Vec<Event>, Error> {
        self.events(id, after, true).await
    }

    /// The job's log: every event, with `result` events reduced to their counters (rows,
    /// credits, progress). Replaying a 10,000-lead job's log this way reads no leads.
    pub async fn job_log(&self, id: &JobId) -> Result<Vec<Event>, Error> {
        self.events(id, None, false).await
    }

    async fn events(
        &self,
        id: &JobId,
        after: Option<EventId>,
        with_leads: bool,
    ) -> Result<Vec<Event>, Error> {
        let org = self.scope_org();
        let id = id.clone();
        self.db(move |s| {
            s.read(|c| {
                Scope(&org).job(c, &id)?;
                store::events::list_after(c, &id, after, u32::MAX, with_leads)
            })
        })
        .await
    }

    /// Stored events after `after`, then live ones, ending after the terminal event (or at once
    /// for a job that ended without events, such as a cancelled pending job). No gap, no
    /// duplicate: every event is read back from the store in sequence order.
    pub async fn subscribe(
        &self,
        id: &JobId,
        after: Option<EventId>,
    ) -> Result<BoxStream<'static, Result<Event, Error>>, Error> {
        self.get_job(id).await?;
        struct State {
            engine: Engine,
            job: JobId,
            last: Option<EventId>,
            queue: VecDeque<Event>,
            ended: bool,
            changes: watch::Receiver<u64>,
        }
        let state = State {
            engine: self.clone(),
            job: id.clone(),
            last: after,
            queue: VecDeque::new(),
            ended: false,
            changes: self.inner.changes.subscribe(),
        };
        let stream = futures::stream::unfold(state, |mut st| async move {
            loop {
                if let Some(event) = st.queue.pop_front() {
                    if event.kind.is_terminal() {
                        st.ended = true;
                        st.queue.clear();
                    }
                    return Some((Ok(event), st));
                }
                if st.ended {
                    return None;
                }
                // Mark the current version seen *before* reading, so a write after the read wakes us.
                st.changes.borrow_and_update();
                let (job, last) = (st.job.clone(), st.last);
                let read = st
                    .engine
                    .db(move |s| {
                        s.read(|c| {
                            let events =
                                store::events::list_after(c, &job, last, EVENTS_PER_READ, true)?;
                            let status = store::jobs::get(c, &job)?.status;
                            Ok((events, status))
                        })
                    })
                    .await;
                match read {
                    Err(e) => {
                        st.ended = true;
                        return Some((Err(e), st));
                    }
                    Ok((events, status)) => {
                        if let Some(last) = events.last() {
                            st.last = Some(last.id);
                            st.queue.extend(events);
                            continue;
                        }
                        if status.is_terminal() {
                            return None;
                        }
                    }
                }
                tokio::select! {
                    _ = st.changes.changed() => {}
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
        });
        Ok(stream.boxed())
    }

    pub async fn list_leads(&self, job: &JobId, query: LeadQuery) -> Result<Page<Lead>, Error> {
        let org = self.scope_org();
        let id = job.clone();
        self.db(move |s| {
            s.read(|c| {
                Scope(&org).job(c, &id)?;
                store::leads::list(c, &id, &query)
            })
        })
        .await
    }

    pub async fn all_leads(&self, job: &JobId) -> Result<Vec<Lead>, Error> {
        let org = self.scope_org();
        let id = job.clone();
        self.db(move |s| {
            s.read(|c| {
                Scope(&org).job(c, &id)?;
                store::leads::all(c, &id)
            })
        })
        .await
    }

    /// The leads table's view of a job (filter and sort in SQL over the lead index). Leads
    /// stored before the index existed are indexed first, once.
    pub async fn lead_view(
        &self,
        job: &JobId,
        spec: crate::model::table::ViewSpec,
    ) -> Result<crate::model::table::LeadView, Error> {
        let org = self.scope_org();
        let id = job.clone();
        let known = self.index_known(job);
        let view = self
            .db(move |s| {
                s.read(|c| Scope(&org).job(c, &id))?;
                if !known && !s.read(|c| store::lead_index::is_complete(c, &id))? {
                    s.write(|tx| store::lead_index::rebuild(tx, &id))?;
                }
                s.read(|c| store::lead_index::view(c, &id, &spec))
            })
            .await?;
        self.mark_index_known(job);
        Ok(view)
    }

    fn index_known(&self, job: &JobId) -> bool {
        self.inner
            .indexed
            .lock()
            .is_ok_and(|known| known.contains(job))
    }

    fn mark_index_known(&self, job: &JobId) {
        if let Ok(mut known) = self.inner.indexed.lock() {
            known.insert(job.clone());
        }
    }

    /// Whole leads of a job at these ordinals (a page of the table), in the order asked.
    pub async fn leads_at(
        &self,
        job: &JobId,
        ordinals: Vec<u32>,
    ) -> Result<Vec<(u32, Lead)>, Error> {
        let org = self.scope_org();
        let id = job.clone();
        self.db(move |s| {
            s.read(|c| {
                Scope(&org).job(c, &id)?;
                store::lead_index::at(c, &id, &ordinals)
            })
        })
        .await
    }

    /// The artifact record, with a `file://` URL of its CSV.
    pub async fn get_artifact(&self, id: &ArtifactId) -> Result<Artifact, Error> {
        let (id, org) = (id.clone(), self.scope_org());
        let (mut artifact, path) = self
            .db(move |s| {
                s.read(|c| {
                    Scope(&org)
                        .artifact(c, &id)
                        .and_then(|_| store::jobs::get_artifact(c, &id))
                })
            })
            .await?;
        artifact.download_url = Some(format!("file://{path}"));
        Ok(artifact)
    }

    /// The path of an artifact's CSV file.
    pub async fn artifact_path(&self, id: &ArtifactId) -> Result<std::path::PathBuf, Error> {
        let (id, org) = (id.clone(), self.scope_org());
        let (_, path) = self
            .db(move |s| {
                s.read(|c| {
                    Scope(&org)
                        .artifact(c, &id)
                        .and_then(|_| store::jobs::get_artifact(c, &id))
                })
            })
            .await?;
        Ok(path.into())
    }

    /// An artifact's bytes, whatever organisation owns it: for callers that authorised the read
    /// themselves (a signed download URL). CSV is the stored file, byte for byte.
    pub(crate) async fn artifact_bytes(
        &self,
        id: &ArtifactId,
        format: ExportFormat,
    ) -> Result<Vec<u8>, Error> {
        let id = id.clone();
        let (artifact, path) = {
            let id = id.clone();
            self.db(move |s| s.read(|c| store::jobs::get_artifact(c, &id)))
                .await?
        };
        if format == ExportFormat::Csv {
            let missing = match tokio::fs::read(&path).await {
                Ok(bytes) => return Ok(bytes),
                Err(e) => e,
            };
            // Another server sharing the database ran the job: its copy is in the database.
            let kept = self
                .db(move |s| s.read(|c| store::jobs::artifact_file(c, &id)))
                .await?;
            return kept.ok_or_else(|| {
                Error::internal(format!(
                    "the artifact file {path} cannot be read: {missing}"
                ))
            });
        }
        let job = artifact.job_id;
        let leads = self
            .db(move |s| s.read(|c| store::leads::all(c, &job)))
            .await?;
        tokio::task::spawn_blocking(move || artifacts::render(&leads, format))
            .await
            .map_err(|e| Error::internal(format!("export task failed: {e}")))?
    }

    /// [`Engine::export`] written straight to `path` as the leads are read from the store, so a
    /// job of any size exports in bounded memory (same content; not over an existing file unless
    /// `overwrite`). Returns what writing found and the leads written.
    pub async fn export_to_file(
        &self,
        job: &JobId,
        format: ExportFormat,
        path: &std::path::Path,
        overwrite: bool,
    ) -> Result<(crate::export::Written, u64), Error> {
        let (org, id, path) = (self.scope_org(), job.clone(), path.to_path_buf());
        self.db(move |s| {
            s.read(|c| {
                Scope(&org).job(c, &id)?;
                let columns = crate::export::columns_with(&store::leads::field_keys(c, &id)?);
                store::leads::stream(c, &id, |leads| {
                    crate::export::stream::leads_to_file(&path, format, &columns, leads, overwrite)
                })
            })
        })
        .await
    }

    pub async fn export(&self, job: &JobId, format: ExportFormat) -> Result<Vec<u8>, Error> {
        let leads = self.all_leads(job).await?;
        tokio::task::spawn_blocking(move || artifacts::render(&leads, format))
            .await
            .map_err(|e| Error::internal(format!("export task failed: {e}")))?
    }

    pub async fn usage(&self) -> Result<Usage, Error> {
        let included = self.inner.options.credits_included;
        let plan = if self.livemode() { "live" } else { "test" }.to_string();
        let org = self.scope_org();
        self.db(move |s| {
            s.read(|c| {
                let since = month_start();
                let used = store::jobs::credits_since(c, &org, since, true)?;
                Ok(Usage {
                    period: Period {
                        from: since.to_string()[..10].to_string(),
                        to: Timestamp::now().to_string()[..10].to_string(),
                    },
                    plan,
                    credits: Credits {
                        included,
                        used,
                        remaining: included.saturating_sub(used),
                        rollover: 0,
                    },
                    jobs: JobCounts {
                        succeeded: store::jobs::count_by_status(
                            c,
                            &org,
                            since,
                            JobStatus::Succeeded,
                        )?,
                        failed: store::jobs::count_by_status(c, &org, since, JobStatus::Failed)?,
                        stopped: store::jobs::count_by_status(c, &org, since, JobStatus::Stopped)?,
                    },
                    test_credits: store::jobs::credits_since(c, &org, since, false)?,
                })
            })
        })
        .await
    }
}

/// The start of the current calendar month (UTC): the billing period.
/// The start of this calendar month (UTC): live credits are counted from it.
pub(super) fn month_start() -> Timestamp {
    use chrono::{Datelike, TimeZone, Utc};
    let now = Utc::now();
    let start = Utc
        .with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
        .single()
        .unwrap_or(now);
    Timestamp::from_millis(start.timestamp_millis())
}
