//! Running a push: plan, filter out what the ledger says is done, send with bounded concurrency,
//! record each answer as it comes, report.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;

use super::{ItemKey, ItemOutcome, PushContext, UnitResult, file};
use crate::engine::Engine;
use crate::engine::store::{self, pushes::ItemRecord, scope::Scope};
use crate::engine::webhooks::publish;
pub use crate::model::push::check_pushable;
use crate::model::push::{
    IntegrationProgress, IntegrationStatus, ProgressSender, PushItemIssue, PushMode, PushProvider,
    PushRequest, PushResult,
};
use crate::model::{Error, Job, JobId, Lead, PushId, Timestamp};

/// What an earlier push of the same (job, provider, mode) recorded, by item key.
type Ledger = HashMap<String, ItemRecord>;

impl Engine {
    /// Pushes a finished job's leads to a provider (reference: `POST /v1/jobs/{id}/push`): load
    /// the ledger, drop what it says was sent, plan and send the rest, finish the record.
    pub async fn push(
        &self,
        job: &JobId,
        request: PushRequest,
        progress: Option<ProgressSender>,
    ) -> Result<PushResult, Error> {
        let (job, title, mut leads) = self.push_inputs(job).await?;
        check_pushable(&job, &leads, &request)?;
        if request.provider == PushProvider::File {
            return self.push_file(&job, leads, request).await;
        }
        let target = super::target(&self.inner.options.integrations, request.provider)?;
        let (row, ledger) = self.load_ledger(&job.id, &request).await?;
        let mut sent = drop_sent(&mut leads, request.mode, &ledger);
        let done: HashMap<ItemKey, Option<String>> = ledger
            .iter()
            .filter(|(_, r)| r.is_done())
            .map(|(k, r)| (ItemKey(k.clone()), r.external_id.clone()))
            .collect();
        let ctx = PushContext {
            job: &job,
            title: &title,
            mode: request.mode,
            list_id: request.list_id.as_deref(),
            mapping: request.mapping.as_ref(),
            sent: &done,
        };
        let planned = target.plan(&ctx, &leads)?;
        drop(leads);
        let mut result = new_result(&row, &job.id, &request, &planned);
        let to_send = sent.units_to_send(planned, &ledger, &row, &mut result);
        if request.dry_run {
            result.planned = to_send
                .into_iter()
                .flat_map(|u| std::iter::once(u.request).chain(u.also))
                .collect();
            result.skipped = result.skips.len() as u64;
            return Ok(result);
        }
        let fatal = self
            .send_units(&*target, to_send, &row, progress, &mut result)
            .await?;
        self.finish_push(result, fatal).await
    }

    /// The push's ledger row and what it recorded. A dry run writes nothing: it reads what an
    /// earlier push recorded (and with `force`, pretends nothing was).
    async fn load_ledger(
        &self,
        job: &JobId,
        request: &PushRequest,
    ) -> Result<(PushId, Ledger), Error> {
        let (provider, mode, force) = (request.provider, request.mode, request.force);
        let job = job.clone();
        if request.dry_run {
            let (row, items) = self
                .db(move |s| {
                    s.read(|c| {
                        let row = store::pushes::find(c, &job, provider, mode)?;
                        let items = match &row {
                            Some(r) if !force => store::pushes::items(c, &r.id)?,
                            _ => HashMap::new(),
                        };
                        Ok((row.map(|r| r.id), items))
                    })
                })
                .await?;
            return Ok((row.unwrap_or_else(PushId::generate), items));
        }
        self.db(move |s| {
            s.write(|c| {
                let row = store::pushes::open(c, &job, provider, mode, Timestamp::now())?;
                if force {
                    store::pushes::reset_items(c, &row.id)?;
                }
                let items = store::pushes::items(c, &row.id)?;
                Ok((row.id, items))
            })
        })
        .await
    }

    /// Sends the units with bounded concurrency, recording each answer in the ledger as it comes
    /// and tallying it into `result`. Returns the first fatal error, after which nothing more is
    /// sent.
    async fn send_units(
        &self,
        target: &dyn super::PushTarget,
        to_send: Vec<super::Unit>,
        row: &PushId,
        progress: Option<ProgressSender>,
        result: &mut PushResult,
    ) -> Result<Option<Error>, Error> {
        let total = to_send.len() as u64;
        if let Some(p) = &progress {
            p.send_replace(IntegrationProgress { done: 0, total });
        }
        let abort = Arc::new(AtomicBool::new(false));
        let concurrency = self.inner.options.integrations.concurrency.max(1);
        let mut answers = futures::stream::iter(to_send.into_iter().map(|unit| {
            let abort = abort.clone();
            let push_id = row.clone();
            async move {
                if abort.load(Ordering::SeqCst) {
                    return Ok(None);
                }
                let answer = target.send(&unit).await;
                if answer.fatal.is_some() {
                    abort.store(true, Ordering::SeqCst);
                    // Items of the request that hit the fatal error stay unrecorded: the next
                    // push sends them.
                    return Ok(Some(answer));
                }
                // Recorded here, inside the bounded set of in-flight sends, so the ledger write
                // of one answer overlaps with the other requests instead of holding them all.
                let records = records(&answer);
                self.db(move |s| {
                    s.write(|c| {
                        store::pushes::record_items(c, &push_id, &records, Timestamp::now())
                    })
                })
                .await?;
                Ok::<_, Error>(Some(answer))
            }
        }))
        .buffer_unordered(concurrency);

        let mut fatal: Option<Error> = None;
        let mut answered = 0u64;
        while let Some(answer) = answers.next().await {
            let Some(answer) = answer? else { continue };
            answered += 1;
            if let Some(p) = &progress {
                p.send_replace(IntegrationProgress {
                    done: answered,
                    total,
                });
            }
            if let Some(e) = answer.fatal {
                fatal.get_or_insert(e);
                continue;
            }
            tally(result, &answer);
        }
        result.requests_sent = answered;
        Ok(fatal)
    }

    /// Stores the push's totals, and turns a fatal error into one that says what was sent.
    async fn finish_push(
        &self,
        mut result: PushResult,
        fatal: Option<Error>,
    ) -> Result<PushResult, Error> {
        result.skipped = result.skips.len() as u64;
        let stored = result.clone();
        let failure = fatal.as_ref().map(|e| (e.code, e.message.clone()));
        self.db(move |s| {
            s.write(|c| {
                store::pushes::finish(c, &stored)?;
                let mut object = serde_json::to_value(&stored)
                    .map_err(|e| Error::internal(format!("cannot encode a push: {e}")))?;
                let event = match failure {
                    Some((code, message)) => {
                        object["error"] = serde_json::json!({"code": code, "message": message});
                        "integration.push.failed"
                    }
                    None => "integration.push.completed",
                };
                publish::publish_job(c, &stored.job_id, event, &object)
            })
        })
        .await?;
        self.wake_deliveries();
        match fatal {
            Some(e) => {
                let sent = result.created + result.updated;
                Err(Error::new(
                    e.code,
                    format!(
                        "{} Nothing more was sent after it; {sent} item(s) had been pushed. Fix it and push again: what was sent is not sent twice.",
                        e.message
                    ),
                ))
            }
            None => Ok(result),
        }
    }

    /// Every push target and enrichment provider, and whether it is configured (the check reads
    /// the config and the named environment variables; nothing is sent).
    pub fn integrations(&self) -> Vec<IntegrationStatus> {
        let settings = &self.inner.options.integrations;
        let status = |provider: &str, result: Result<String, Error>| IntegrationStatus {
            object: "integration".into(),
            provider: provider.to_string(),
            connected: result.is_ok(),
            detail: match result {
                Ok(d) => d,
                Err(e) => e.message,
            },
        };
        let mut out: Vec<IntegrationStatus> = PushProvider::ALL
            .iter()
            .copied()
            .map(|p| {
                let result = if p == PushProvider::File {
                    Ok("CSV, JSON or XLSX on this machine".to_string())
                } else {
                    super::target(settings, p).map(|_| p.describe().to_string())
                };
                status(p.as_str(), result)
            })
            .collect();
        out.push(status(
            "modernleads",
            self.modernleads_configured()
                .then(|| "enrichment: verify, lookup, qualify".to_string())
                .ok_or_else(|| {
                    super::not_configured(
                        "Modern Leads",
                        "providers.modernleads",
                        &["api_key_env (and the variable it names)"],
                        "",
                    )
                }),
        ));
        out
    }

    /// The pushes recorded for a job, newest first.
    pub async fn pushes(&self, job: &JobId) -> Result<Vec<PushResult>, Error> {
        let (id, org) = (job.clone(), self.scope_org());
        self.db(move |s| {
            s.read(|c| {
                Scope(&org).job(c, &id)?;
                store::pushes::for_job(c, &id)
            })
        })
        .await
    }

    async fn push_inputs(&self, job: &JobId) -> Result<(Job, String, Vec<Lead>), Error> {
        let (id, org) = (job.clone(), self.scope_org());
        self.db(move |s| {
            s.read(|c| {
                Scope(&org).job(c, &id)?;
                let job = store::jobs::get(c, &id)?;
                let title = store::threads::get(c, &job.thread_id)?.title;
                let leads = store::leads::all(c, &id)?;
                Ok((job, title, leads))
            })
        })
        .await
    }

    async fn push_file(
        &self,
        job: &Job,
        leads: Vec<Lead>,
        request: PushRequest,
    ) -> Result<PushResult, Error> {
        let job_id = job.id.clone();
        let mut result = tokio::task::spawn_blocking({
            let job_id = job_id.clone();
            move || file::push(&job_id, &leads, &request)
        })
        .await
        .map_err(|e| Error::internal(format!("the file push task failed: {e}")))??;
        if result.dry_run {
            return Ok(result);
        }
        let stored = result.clone();
        result.push_id = self
            .db(move |s| {
                s.write(|c| {
                    let row = store::pushes::open(
                        c,
                        &job_id,
                        PushProvider::File,
                        stored.mode,
                        Timestamp::now(),
                    )?;
                    let mut stored = stored;
                    stored.push_id = row.id.clone();
                    store::pushes::finish(c, &stored)?;
                    Ok(row.id)
                })
            })
            .await?;
        Ok(result)
    }
}

/// The items a ledger says were sent, each reported once.
struct AlreadySent {
    items: Vec<ItemKey>,
    seen: HashSet<ItemKey>,
}

fn is_done(ledger: &Ledger, key: &ItemKey) -> bool {
    ledger.get(&key.0).is_some_and(ItemRecord::is_done)
}

/// Keeps only the leads that still have something to send, so a plan never carries an item an
/// earlier push already delivered; those are reported, not resent.
fn drop_sent(leads: &mut Vec<Lead>, mode: PushMode, ledger: &Ledger) -> AlreadySent {
    let mut already = AlreadySent {
        items: Vec::new(),
        seen: HashSet::new(),
    };
    leads.retain(|lead| {
        let keys = [
            mode.includes_contacts().then(|| ItemKey::contact(lead)),
            mode.includes_companies().then(|| ItemKey::company(lead)),
        ];
        let mut left = false;
        for key in keys.into_iter().flatten() {
            if !is_done(ledger, &key) {
                left = true;
            } else if already.seen.insert(key.clone()) {
                already.items.push(key);
            }
        }
        left
    });
    already
}

impl AlreadySent {
    /// Reports the plan's skips and what was already sent in `result`, and returns the units
    /// left to send. In `both` mode a lead with a contact left to send can bring back its
    /// company: a unit of nothing but sent items is not sent again.
    fn units_to_send(
        &mut self,
        planned: super::Planned,
        ledger: &Ledger,
        row: &PushId,
        result: &mut PushResult,
    ) -> Vec<super::Unit> {
        for (item, code, message) in &planned.skipped {
            result.skips.push(issue(item, code, message));
        }
        let message = format!("already pushed in {row}; push with --force to send it again");
        for item in &self.items {
            result.skips.push(issue(item, "already_pushed", &message));
        }
        let mut to_send = Vec::new();
        for unit in planned.units {
            if unit.items.iter().all(|i| is_done(ledger, i)) {
                for item in unit.items.iter().filter(|i| self.seen.insert((*i).clone())) {
                    result.skips.push(issue(item, "already_pushed", &message));
                }
            } else {
                to_send.push(unit);
            }
        }
        to_send
    }
}

/// An empty result for this push, with the plan's list.
fn new_result(
    row: &PushId,
    job: &JobId,
    request: &PushRequest,
    planned: &super::Planned,
) -> PushResult {
    PushResult {
        push_id: row.clone(),
        object: "push".into(),
        job_id: job.clone(),
        provider: request.provider,
        mode: request.mode,
        dry_run: request.dry_run,
        created: 0,
        updated: 0,
        skipped: 0,
        errors: Vec::new(),
        list_id: planned.list_id.clone(),
        list_url: planned.list_url.clone(),
        skips: Vec::new(),
        planned: Vec::new(),
        requests_sent: 0,
        created_at: Timestamp::now(),
    }
}

fn issue(item: &ItemKey, code: &str, message: &str) -> PushItemIssue {
    PushItemIssue {
        item: item.0.clone(),
        code: code.to_string(),
        message: message.to_string(),
    }
}

/// Counts one answer into the result.
fn tally(result: &mut PushResult, answer: &UnitResult) {
    for (item, outcome) in &answer.outcomes {
        match outcome {
            ItemOutcome::Created { .. } => result.created += 1,
            ItemOutcome::Updated { .. } => result.updated += 1,
            ItemOutcome::Skipped { code, message } => {
                result.skips.push(issue(item, code, message));
            }
            ItemOutcome::Failed { code, message } => {
                result.errors.push(issue(item, code, message));
            }
        }
    }
}

/// What the ledger records for one answer.
fn records(answer: &UnitResult) -> Vec<(String, ItemRecord)> {
    answer
        .outcomes
        .iter()
        .map(|(item, outcome)| {
            let rec = match outcome {
                ItemOutcome::Created { external_id } => {
                    record("created", external_id.clone(), None, None)
                }
                ItemOutcome::Updated { external_id } => {
                    record("updated", external_id.clone(), None, None)
                }
                ItemOutcome::Skipped { code, message } => {
                    record("skipped", None, Some(code), Some(message))
                }
                ItemOutcome::Failed { code, message } => {
                    record("failed", None, Some(code), Some(message))
                }
            };
            (item.0.clone(), rec)
        })
        .collect()
}

fn record(
    outcome: &str,
    external_id: Option<String>,
    code: Option<&String>,
    message: Option<&String>,
) -> ItemRecord {
    ItemRecord {
        outcome: outcome.into(),
        external_id,
        code: code.cloned(),
        message: message.cloned(),
    }
}
