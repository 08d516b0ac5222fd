//! Executes an approved plan: steps in order, leads captured in batches, each batch committed with
//! its `result` event in one transaction, checkpoints between leads for stop requests and the
//! credit ceiling, and a final artifact whatever the outcome.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

mod end;
mod live;
mod test_mode;

pub(crate) use end::{WrittenArtifact, record_end, write_artifact};
use test_mode::{Companies, TestWork};

use super::credits::CostModel;
use super::sources::LeadDraft;
use super::sources::synthetic::SyntheticSource;
use super::webhooks::publish;
use super::{Engine, store};
use crate::model::job::Transition;
use crate::model::{
    Error, ErrorCode, EventKind, Intent, JobId, JobStatus, Lead, LeadId, Plan, Progress, Timestamp,
};

/// Leads per transaction when unpaced: big enough to amortise commits, small enough that a
/// subscriber sees steady progress.
const BATCH: usize = 500;

/// Why a run ended early.
#[derive(Debug)]
enum Halt {
    Requested,
    CreditCeiling(u32),
    Failed(Error),
}

/// On PostgreSQL, a runner writes to its job only while its server holds the job's lease: a
/// server paused past its lease (its job taken over and ended by another) stops at its next
/// write instead of adding events after the job's end.
fn still_ours(tx: &store::Conn<'_>, job: &JobId, lease: Option<&str>) -> Result<(), Error> {
    match lease {
        Some(owner) if !store::leases::holds(tx, job, owner)? => Err(Error::new(
            ErrorCode::JobHalted,
            "interrupted: another server took the job over",
        )),
        _ => Ok(()),
    }
}

impl From<Error> for Halt {
    fn from(e: Error) -> Self {
        Halt::Failed(e)
    }
}

pub(crate) struct Runner {
    engine: Engine,
    job: JobId,
    cancel: CancellationToken,
    plan: Option<Plan>,
    max_credits: Option<u32>,
    livemode: bool,
    cost: CostModel,
    target: u64,
    /// Every lead captured so far, in order (the artifact is written from these).
    captured: Vec<Lead>,
    /// Captured but not yet committed.
    pending: Vec<Lead>,
    /// Dedupe keys: person email, else (name, domain).
    seen: HashSet<String>,
    duplicates: u64,
    step: u32,
    started: std::time::Instant,
    /// Whether `job.started` went out (with the first step's start).
    announced_start: std::sync::atomic::AtomicBool,
    /// The progress last published as `job.progress` (every 10 %).
    published_percent: u32,
}

impl Runner {
    /// This server's lease name when the store is shared (PostgreSQL).
    fn lease(&self) -> Option<String> {
        (self.engine.store().dialect() == store::Dialect::Postgres)
            .then(|| self.engine.instance().to_string())
    }

    pub(crate) fn new(engine: Engine, job: JobId, cancel: CancellationToken) -> Self {
        Self {
            engine,
            job,
            cancel,
            plan: None,
            max_credits: None,
            livemode: false,
            cost: CostModel { per_row: 0.0 },
            target: 0,
            captured: Vec::new(),
            pending: Vec::new(),
            seen: HashSet::new(),
            duplicates: 0,
            step: 0,
            started: std::time::Instant::now(),
            announced_start: std::sync::atomic::AtomicBool::new(false),
            published_percent: 0,
        }
    }

    pub(crate) async fn run(mut self) {
        let outcome = self.execute().await;
        if let Err(e) = self.finish(outcome).await {
            // The terminal write itself failed (disk full, database gone): leave the job
            // `running` so start-up recovery marks it interrupted with what was committed.
            tracing::error!(job = %self.job, error = %e, "could not record the end of a job");
        }
        self.engine.announce();
    }

    async fn execute(&mut self) -> Result<(), Halt> {
        let jid = self.job.clone();
        let (job, plan, seed, attached) = self
            .engine
            .db(move |s| {
                s.read(|c| {
                    let job = store::jobs::get(c, &jid)?;
                    let plan = store::plans::get(c, &job.plan_id)?;
                    let attached = store::attachments::for_job(c, &jid)?;
                    Ok((job, plan, store::jobs::seed(c, &jid)?, attached))
                })
            })
            .await?;
        self.max_credits = job.max_credits;
        self.livemode = job.livemode;
        self.cost = CostModel::new(&plan.icp, &plan.steps);
        self.target = u64::from(plan.icp.target_rows());
        self.captured.reserve(self.target as usize);
        let plan = self.plan.insert(plan).clone();

        if job.livemode {
            return self.execute_live(plan, attached).await;
        }
        let source = SyntheticSource::new(&plan.icp, seed);
        let mut work = TestWork::new(&plan, source, &attached, &mut self.target);
        for (index, step) in plan.steps.iter().enumerate() {
            self.step = index as u32 + 1;
            self.checkpoint().await?;
            self.emit(
                EventKind::Step,
                json!({"step_id": step.id, "status": "started", "title": step.title}),
            )
            .await?;
            self.test_step(index, step, &mut work).await?;
            self.flush().await?;
            self.emit(
                EventKind::Step,
                json!({"step_id": step.id, "status": "completed", "title": step.title}),
            )
            .await?;
        }
        Ok(())
    }

    /// One step of a test-mode run: what it says it does, then the rows its roles bring.
    async fn test_step(
        &mut self,
        index: usize,
        step: &crate::model::Step,
        work: &mut TestWork,
    ) -> Result<(), Halt> {
        match step.intent {
            Intent::Discover if work.listed > 0 => {
                self.log(format!(
                    "Using the {} companies of the attached list instead of searching",
                    work.listed
                ))
                .await?;
            }
            Intent::Discover => {
                self.log(format!("Searching: {}", step.task)).await?;
                work.companies.discover(work.companies_needed as u32);
                self.log(format!(
                    "Found {} companies matching the profile",
                    work.companies.list.len()
                ))
                .await?;
            }
            Intent::Enrich => {}
            Intent::Verify | Intent::Score | Intent::Dedupe => {
                self.log(self.closing_line(step.intent)).await?;
            }
        }
        let group = work.groups.iter().position(|(i, _)| *i == index);
        let (roles, quota): (Vec<Option<&str>>, u64) = match group {
            Some(g) => (
                work.groups[g].1.iter().map(|r| Some(r.as_str())).collect(),
                work.quotas[g],
            ),
            None if work.people == 0 && step.intent == Intent::Discover => {
                (vec![None], self.target)
            }
            None => (Vec::new(), 0),
        };
        if roles.is_empty() {
            return Ok(());
        }
        if group.is_some() {
            let names: Vec<&str> = roles.iter().flatten().copied().collect();
            self.log(format!(
                "Enriching {} at {} companies",
                names.join(", "),
                work.companies.list.len()
            ))
            .await?;
        }
        let max_companies = work.max_companies;
        self.fill(&mut work.companies, &roles, quota, max_companies)
            .await
    }

    /// Fills one step's share of the rows; a duplicate dropped by the dedupe is replaced by the
    /// next company, within a bound.
    async fn fill(
        &mut self,
        companies: &mut Companies,
        roles: &[Option<&str>],
        quota: u64,
        max_companies: u64,
    ) -> Result<(), Halt> {
        let goal = self.rows() + quota;
        let mut i = 0usize;
        while self.rows() < goal && (i as u64) < max_companies {
            companies.extend_to(i + 1);
            for role in roles {
                if self.rows() >= goal {
                    break;
                }
                let draft = companies
                    .source()
                    .lead(&companies.list[i], *role, Timestamp::now());
                self.capture(draft).await?;
            }
            i += 1;
        }
        Ok(())
    }

    /// Stop requests from this process (the token) or another (the flag in the store).
    async fn checkpoint(&mut self) -> Result<(), Halt> {
        if self.cancel.is_cancelled() {
            return Err(Halt::Requested);
        }
        let jid = self.job.clone();
        let requested = self
            .engine
            .db(move |s| s.read(|c| store::jobs::stop_requested(c, &jid)))
            .await?;
        if requested {
            Err(Halt::Requested)
        } else {
            Ok(())
        }
    }

    async fn capture(&mut self, draft: LeadDraft) -> Result<(), Halt> {
        if self.cancel.is_cancelled() {
            return Err(Halt::Requested);
        }
        let rows = (self.captured.len() + self.pending.len()) as u64;
        if let Some(max) = self.max_credits
            && self.cost.credits(rows + 1) > max
        {
            return Err(Halt::CreditCeiling(max));
        }
        let pace = self.engine.inner.options.pace;
        if pace > Duration::ZERO {
            tokio::select! {
                _ = tokio::time::sleep(pace) => {}
                _ = self.cancel.cancelled() => return Err(Halt::Requested),
            }
        }
        let key = match draft.person.as_ref().and_then(|p| p.email.as_ref()) {
            Some(email) => email.to_lowercase(),
            None => format!(
                "{}|{}|{}",
                draft
                    .person
                    .as_ref()
                    .map(|p| p.full_name.to_lowercase())
                    .unwrap_or_default(),
                draft
                    .company
                    .domain
                    .as_deref()
                    .unwrap_or(&draft.company.name)
                    .to_lowercase(),
                draft
                    .person
                    .as_ref()
                    .and_then(|p| p.title.clone())
                    .unwrap_or_default()
            ),
        };
        if !self.seen.insert(key) {
            self.duplicates += 1;
            return Ok(());
        }
        self.pending.push(Lead {
            id: LeadId::generate(),
            object: "lead".into(),
            job_id: self.job.clone(),
            company: draft.company,
            person: draft.person,
            fields: draft.fields,
            sources: draft.sources,
            confidence: draft.confidence.clamp(0.0, 1.0),
            livemode: self.livemode,
        });
        if pace > Duration::ZERO || self.pending.len() >= BATCH {
            self.flush().await?;
            // Paced runs check the cross-process stop flag after every lead; unpaced, per batch.
            self.checkpoint().await?;
        }
        Ok(())
    }

    /// What the steps that capture nothing (verify, score, dedupe) report, in test or live mode.
    pub(super) fn closing_line(&self, intent: Intent) -> String {
        let emails = || {
            self.captured
                .iter()
                .filter(|l| l.person.as_ref().is_some_and(|p| p.email.is_some()))
                .count()
        };
        match intent {
            Intent::Verify if self.livemode => format!(
                "No verification provider configured: {} email addresses keep their dataset sources, unverified",
                emails()
            ),
            Intent::Verify => format!(
                "Verified {} email addresses (test mode: simulated checks)",
                emails()
            ),
            Intent::Score if self.livemode => {
                "Scored leads by source strength and agreement".to_string()
            }
            Intent::Score => "Scored leads against the profile".to_string(),
            _ => format!("Removed {} duplicate leads", self.duplicates),
        }
    }

    /// Leads captured so far, committed or not.
    fn rows(&self) -> u64 {
        (self.captured.len() + self.pending.len()) as u64
    }

    fn progress(&self, rows: u64) -> Progress {
        let total = self
            .plan
            .as_ref()
            .map(|p| p.steps.len() as u32)
            .unwrap_or(0);
        let percent = (rows * 100)
            .checked_div(self.target)
            .map_or(0, |p| p.min(99) as u32);
        Progress {
            step: self.step,
            total,
            percent,
        }
    }

    /// Commits pending leads with their `result` event and the job's progress, atomically.
    async fn flush(&mut self) -> Result<(), Halt> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.pending);
        let first = self.captured.len() as u64;
        let rows = first + batch.len() as u64;
        let credits = self.cost.credits(rows);
        let progress = self.progress(rows);
        let data = json!({"rows_captured": rows, "credits_used": credits, "progress": progress});
        let tenth = publish::crosses_a_tenth(self.published_percent, progress.percent);
        if tenth {
            self.published_percent = progress.percent;
        }
        let jid = self.job.clone();
        let lease = self.lease();
        let batch = self
            .engine
            .db(move |s| {
                s.write(|tx| {
                    still_ours(tx, &jid, lease.as_deref())?;
                    let seq = store::events::append(
                        tx,
                        &jid,
                        EventKind::Result,
                        &data,
                        Timestamp::now(),
                    )?;
                    store::leads::insert_batch(tx, &jid, &batch, first, seq)?;
                    store::jobs::set_progress(tx, &jid, progress, rows, credits)?;
                    if tenth {
                        publish::publish_job_state(tx, &jid, "job.progress")?;
                    }
                    Ok(batch)
                })
            })
            .await?;
        self.captured.extend(batch);
        self.engine.announce();
        Ok(())
    }

    async fn emit(&self, kind: EventKind, data: Value) -> Result<(), Halt> {
        let jid = self.job.clone();
        let progress = self.progress(self.captured.len() as u64);
        let status = data.get("status").and_then(Value::as_str).unwrap_or("");
        let step_event = (kind == EventKind::Step)
            .then(|| publish::step_event(status))
            .flatten();
        // The first step's start is the job's.
        let first_start = step_event == Some("job.step.started")
            && !self
                .announced_start
                .swap(true, std::sync::atomic::Ordering::SeqCst);
        let lease = self.lease();
        self.engine
            .db(move |s| {
                s.write(|tx| {
                    still_ours(tx, &jid, lease.as_deref())?;
                    store::events::append(tx, &jid, kind, &data, Timestamp::now())?;
                    if kind == EventKind::Step {
                        store::jobs::set_step(tx, &jid, progress)?;
                    }
                    if first_start {
                        publish::publish_job_state(tx, &jid, "job.started")?;
                    }
                    if let Some(event) = step_event {
                        let mut object = data.clone();
                        object["object"] = json!("job_step");
                        object["job_id"] = json!(jid);
                        publish::publish_job(tx, &jid, event, &object)?;
                    }
                    Ok(())
                })
            })
            .await?;
        self.engine.announce();
        Ok(())
    }

    async fn log(&self, message: String) -> Result<(), Halt> {
        self.emit(EventKind::Log, json!({"message": message, "level": "info"}))
            .await
    }

    /// Writes the artifact and the terminal state. Stopped and failed runs keep every lead that
    /// was committed, in a partial artifact.
    async fn finish(&mut self, outcome: Result<(), Halt>) -> Result<(), Error> {
        // Leads captured but not yet committed when a halt came still count.
        let flushed = match &outcome {
            Err(Halt::Failed(_)) => Ok(()),
            _ => self.flush().await,
        };
        let outcome = match (outcome, flushed) {
            (Ok(()), Err(Halt::Failed(e)))
            | (Err(Halt::Requested | Halt::CreditCeiling(_)), Err(Halt::Failed(e))) => {
                Err(Halt::Failed(e))
            }
            (o, _) => o,
        };
        // A halt because a server is shutting down is an interruption, like a crash: the job
        // fails (not charged), rather than passing for a user's stop.
        let outcome = match outcome {
            Err(Halt::Requested) if self.engine.interrupted() => Err(Halt::Failed(Error::new(
                ErrorCode::JobHalted,
                "interrupted: the server shut down while the job ran",
            ))),
            other => other,
        };
        let rows = self.captured.len() as u64;
        let elapsed = self.started.elapsed();
        let (status, summary, error) = self.ending(&outcome, rows);
        let credits = if status == JobStatus::Failed {
            0
        } else {
            self.cost.credits(rows)
        };
        let progress = Progress {
            step: self.step,
            total: self
                .plan
                .as_ref()
                .map(|p| p.steps.len() as u32)
                .unwrap_or(0),
            percent: if status == JobStatus::Succeeded {
                100
            } else {
                self.progress(rows).percent
            },
        };
        tracing::info!(job = %self.job, ?status, rows, ?elapsed, "job finished");
        let leads = std::mem::take(&mut self.captured);
        let written = write_artifact(
            &self.engine,
            &self.job,
            leads,
            status != JobStatus::Succeeded,
        )
        .await?;
        let jid = self.job.clone();
        let now = Timestamp::now();
        let included = self.engine.inner.options.credits_included;
        let since = super::jobs::month_start();
        let step_failed = self.failed_step(error.as_ref().map(|(_, m)| m.as_str()));
        self.engine
            .db(move |s| {
                s.write(|tx| {
                    let job = store::jobs::get(tx, &jid)?;
                    let transition = match status {
                        JobStatus::Succeeded => Transition::Succeed,
                        JobStatus::Failed => Transition::Fail,
                        _ => Transition::Halt,
                    };
                    job.status.apply(transition, &jid)?;
                    record_end(
                        tx,
                        &job,
                        status,
                        &summary,
                        error.as_ref().map(|(c, m)| (*c, m.as_str())),
                        credits,
                        rows,
                        progress,
                        &written,
                        now,
                    )?;
                    if let Some(step) = &step_failed {
                        publish::publish_job(tx, &jid, "job.step.failed", step)?;
                    }
                    if job.livemode {
                        publish::publish_budget(tx, &jid, included, u64::from(credits), since)?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// How a run that captured `rows` leads ends: its status, summary and error.
    fn ending(
        &self,
        outcome: &Result<(), Halt>,
        rows: u64,
    ) -> (JobStatus, String, Option<(ErrorCode, String)>) {
        match outcome {
            Ok(()) => (JobStatus::Succeeded, self.success_summary(), None),
            Err(Halt::Requested) => (
                JobStatus::Stopped,
                format!("Stopped on request after {rows} of {} leads.", self.target),
                None,
            ),
            Err(Halt::CreditCeiling(max)) => (
                JobStatus::Stopped,
                format!("Stopped at the credit ceiling of {max} credits after {rows} leads."),
                None,
            ),
            Err(Halt::Failed(e)) => (
                JobStatus::Failed,
                format!("Failed after {rows} leads: {}", e.message),
                Some((ErrorCode::JobHalted, e.message.clone())),
            ),
        }
    }

    /// For a job that failed (`error`) while a step ran: that step, as `job.step.failed`
    /// carries it (the stream has no such event: its `error` ends the job).
    fn failed_step(&self, error: Option<&str>) -> Option<Value> {
        let message = error?;
        let index = usize::try_from(self.step).ok()?.checked_sub(1)?;
        let step = self.plan.as_ref()?.steps.get(index)?;
        Some(json!({
            "object": "job_step",
            "job_id": self.job,
            "step_id": step.id,
            "status": "failed",
            "title": step.title,
            "error": message,
        }))
    }

    fn success_summary(&self) -> String {
        let companies: HashSet<&str> = self
            .captured
            .iter()
            .map(|l| l.company.domain.as_deref().unwrap_or(&l.company.name))
            .collect();
        let title = self
            .plan
            .as_ref()
            .map(|p| p.title.as_str())
            .unwrap_or("the plan");
        format!(
            "Found {} leads at {} companies for {title}.",
            self.captured.len(),
            companies.len()
        )
    }
}
