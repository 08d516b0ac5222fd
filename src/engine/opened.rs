//! `leadline open FILE`: a file's rows become a finished job of kind `import` (job metadata
//! `kind = "import"`), so the leads table, filters, export and the push ledger (which keys pushes
//! by job and lead) work on it exactly as on a research job's leads. Every lead is one row of the
//! file, every value sourced to that row (`dataset://<name>#row=<n>`). Opening an unchanged file
//! again (same rows, same mapping) reopens its job rather than making a second one.

use std::path::Path;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::import::dataset_name;
use super::runner::{WrittenArtifact, record_end};
use super::sources::dataset::Record;
use super::sources::dataset::columns::Override;
use super::sources::dataset::query::row_draft;
use super::sources::dataset::stream::{FileSummary, read_rows};
use super::store::datasets::SourcedRecord;
use super::{Engine, store};
use crate::model::message::{MessageKind, Role};
use crate::model::plan::{Intent, Step};
use crate::model::{
    Error, EventKind, Icp, Job, JobId, JobStatus, Lead, LeadId, Message, MessageId, Plan, PlanId,
    Progress, Thread, ThreadId, Timestamp,
};

/// The job kind an opened file's job carries in its metadata.
pub const IMPORT_KIND: &str = "import";

/// What opening a file made.
#[derive(Debug, Clone)]
pub struct Opened {
    pub job: Job,
    pub read: FileSummary,
    /// The same rows were opened before: this is that job.
    pub reopened: bool,
}

/// Leads written per statement batch while a file streams in.
const BATCH: usize = 1_000;

impl Engine {
    /// Reads `path` with the import mapping (and the user's corrections) and stores its rows as
    /// a succeeded job of kind `import` in a new thread, all in one transaction. The file is read
    /// twice, a row at a time (once to check it and fingerprint it, once to store it), and the
    /// artifact is written from the store a lead at a time: memory stays bounded however long the
    /// file is.
    pub async fn open_file(&self, path: &Path, overrides: &[Override]) -> Result<Opened, Error> {
        let (p, o) = (path.to_path_buf(), overrides.to_vec());
        let read = tokio::task::spawn_blocking(move || read_rows(&p, &o, |_| Ok(true)))
            .await
            .map_err(|e| Error::internal(format!("reading the file failed: {e}")))??;
        if read.records == 0 {
            return Err(Error::invalid(format!(
                "No row of {} names a company (name or domain){}. Check the column mapping, or correct it with --map \"HEADER=company.name\".",
                read.file_name,
                match read.bad_rows.first() {
                    Some(b) => format!("; record {}: {}", b.line, b.reason),
                    None => String::new(),
                }
            ))
            .with_param("file"));
        }
        let (fingerprint, earlier) = self.opened_before(&read).await?;
        if let Some(job) = earlier {
            return Ok(Opened {
                job,
                read,
                reopened: true,
            });
        }
        let now = Timestamp::now();
        let (thread_id, plan_id, job_id) =
            (ThreadId::generate(), PlanId::generate(), JobId::generate());
        let mut job = import_job(&job_id, &thread_id, &plan_id, path, &read, now);
        if !overrides.is_empty() {
            // Kept so the TUI's mapping dialog starts from the corrections already made.
            let map: Vec<String> = overrides.iter().map(ToString::to_string).collect();
            job.metadata.insert("map".into(), json!(map));
        }
        job.metadata
            .insert("fingerprint".into(), json!(fingerprint));
        let plan = import_plan(&plan_id, &job_id, &thread_id, &read.file_name, now);
        let (thread, asked) = opening_thread(&thread_id, &job_id, path, &read.file_name, now);
        let org = self.scope_org();
        let stored = job.clone();
        let source = LeadSource::new(path, &job_id, &read.file_name, now);
        let (path, overrides) = (path.to_path_buf(), overrides.to_vec());
        let dir = super::artifacts::job_dir(self.data_dir(), &job_id);
        let skipped = read.bad_rows.len();
        let (records, rows_read, file_name) =
            (read.records, read.rows_read, read.file_name.clone());
        let job = self
            .db(move |s| {
                s.write(|tx| {
                    store::threads::insert(tx, &org, &thread)?;
                    store::messages::insert(tx, &asked)?;
                    store::plans::insert(tx, &plan)?;
                    store::jobs::insert(tx, &stored, 0)?;
                    store::jobs::mark_started(tx, &stored.id, now, None, 1)?;
                    let data =
                        json!({"rows_captured": records, "credits_used": 0, "progress": done()});
                    let seq = store::events::append(tx, &stored.id, EventKind::Result, &data, now)?;
                    let (rows, keys) = store_rows(tx, &stored.id, seq, &path, &overrides, &source)?;
                    let written = write_artifact_from_store(tx, &stored.id, &dir, &keys, now)?;
                    let summary = format!(
                        "Opened {}: {} leads from {} rows{}.",
                        file_name,
                        rows,
                        rows_read,
                        match skipped {
                            0 => String::new(),
                            n => format!(", {n} skipped"),
                        }
                    );
                    record_end(
                        tx,
                        &stored,
                        JobStatus::Succeeded,
                        &summary,
                        None,
                        0,
                        rows,
                        done(),
                        &written,
                        now,
                    )?;
                    store::threads::touch(tx, &stored.thread_id, 1, Some(&stored.id), now)?;
                    store::jobs::get(tx, &stored.id)
                })
            })
            .await?;
        self.announce();
        Ok(Opened {
            job,
            read,
            reopened: false,
        })
    }

    /// The first `limit` leads of a file, mapped as opening it maps them, without storing
    /// anything: what the TUI shows while the file is opened in the background.
    pub async fn preview_file(
        &self,
        path: &Path,
        overrides: &[Override],
        limit: usize,
    ) -> Result<(FileSummary, Vec<Lead>), Error> {
        let (p, o) = (path.to_path_buf(), overrides.to_vec());
        let job = JobId::generate();
        tokio::task::spawn_blocking(move || {
            let file_name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let source = LeadSource::new(&p, &job, &file_name, Timestamp::now());
            let mut leads = Vec::new();
            let summary = read_rows(&p, &o, |r| {
                leads.push(source.lead(r));
                Ok(leads.len() < limit)
            })?;
            Ok((summary, leads))
        })
        .await
        .map_err(|e| Error::internal(format!("reading the file failed: {e}")))?
    }
}

/// Stores every row of the file as a lead of `job`, a batch at a time: (leads, `fields` keys in
/// first-seen order).
fn store_rows(
    tx: &store::Conn<'_>,
    job: &JobId,
    seq: u64,
    path: &Path,
    overrides: &[Override],
    source: &LeadSource,
) -> Result<(u64, Vec<String>), Error> {
    let mut batch: Vec<Lead> = Vec::with_capacity(BATCH);
    let mut keys: Vec<String> = Vec::new();
    let mut stored = 0u64;
    let flush = |batch: &mut Vec<Lead>, stored: &mut u64| -> Result<(), Error> {
        store::leads::insert_batch(tx, job, batch, *stored, seq)?;
        *stored += batch.len() as u64;
        batch.clear();
        Ok(())
    };
    read_rows(path, overrides, |r| {
        let lead = source.lead(r);
        for k in lead.fields.keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
        batch.push(lead);
        if batch.len() == BATCH {
            flush(&mut batch, &mut stored)?;
        }
        Ok(true)
    })?;
    flush(&mut batch, &mut stored)?;
    Ok((stored, keys))
}

/// The job's artifact (CSV and JSON), written from the store a lead at a time.
fn write_artifact_from_store(
    tx: &store::Conn<'_>,
    job: &JobId,
    dir: &Path,
    keys: &[String],
    now: Timestamp,
) -> Result<WrittenArtifact, Error> {
    let io = |e: std::io::Error| Error::internal(format!("could not write the artifact: {e}"));
    std::fs::create_dir_all(dir).map_err(io)?;
    let columns = crate::export::columns_with(keys);
    let mut csv = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    let mut json = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    let rows = store::leads::stream(tx, job, |leads| {
        crate::export::write_streaming(
            std::io::BufWriter::new(csv.as_file_mut()),
            std::io::BufWriter::new(json.as_file_mut()),
            &columns,
            leads,
        )
    })?;
    let bytes = csv.as_file().metadata().map_err(io)?.len();
    let csv_path = dir.join("leads.csv");
    json.persist(dir.join("leads.json"))
        .map_err(|e| io(e.error))?;
    csv.persist(&csv_path).map_err(|e| io(e.error))?;
    Ok(WrittenArtifact {
        artifact: crate::model::Artifact {
            id: crate::model::ArtifactId::generate(),
            object: "artifact".into(),
            job_id: job.clone(),
            format: "csv".into(),
            rows,
            bytes,
            columns,
            download_url: None,
            expires_at: None,
            created_at: now,
            partial: false,
        },
        path: csv_path.display().to_string(),
    })
}

impl Engine {
    /// The content fingerprint of a read file (its rows and mapping) and the job an earlier
    /// `open` of the same content made, if any: reopening it keeps its push ledger, so a second
    /// push updates instead of creating.
    async fn opened_before(&self, read: &FileSummary) -> Result<(String, Option<Job>), Error> {
        let mut h = Sha256::new();
        h.update(read.fingerprint.as_bytes());
        h.update(
            serde_json::to_string(&read.mapping)
                .unwrap_or_default()
                .as_bytes(),
        );
        let fingerprint = hex::encode(h.finalize());
        let (org, fp) = (self.scope_org(), fingerprint.clone());
        let earlier = self
            .db(move |s| {
                s.read(
                    |c| match store::jobs::opened_with_fingerprint(c, &org, &fp)? {
                        Some(id) => store::jobs::get(c, &id).map(Some),
                        None => Ok(None),
                    },
                )
            })
            .await?;
        Ok((fingerprint, earlier))
    }
}

/// Turns the rows of one opened file into leads, each sourced to its own row.
struct LeadSource {
    dataset: String,
    file_name: String,
    job: JobId,
    imported_at: i64,
}

impl LeadSource {
    fn new(path: &Path, job: &JobId, file_name: &str, now: Timestamp) -> Self {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let dataset = Some(dataset_name(&stem))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "file".into());
        Self {
            dataset,
            file_name: file_name.to_string(),
            job: job.clone(),
            imported_at: now.millis(),
        }
    }

    fn lead(&self, record: Record) -> Lead {
        let draft = row_draft(&SourcedRecord {
            dataset: self.dataset.clone(),
            file_name: self.file_name.clone(),
            imported_at: self.imported_at,
            record,
        });
        Lead {
            id: LeadId::generate(),
            object: "lead".into(),
            job_id: self.job.clone(),
            company: draft.company,
            person: draft.person,
            fields: draft.fields,
            sources: draft.sources,
            confidence: draft.confidence.clamp(0.0, 1.0),
            // A user's own file is real data, not the synthetic test-mode source.
            livemode: true,
        }
    }
}

/// The thread an opened file gets, with the user's "Open FILE" message.
fn opening_thread(
    thread_id: &ThreadId,
    job_id: &JobId,
    path: &Path,
    file_name: &str,
    now: Timestamp,
) -> (Thread, Message) {
    let thread = Thread {
        id: thread_id.clone(),
        object: "thread".into(),
        title: format!("Opened {file_name}"),
        created_at: now,
        updated_at: now,
        message_count: 0,
        last_job_id: None,
        metadata: Map::new(),
        last_job_status: None,
    };
    let asked = Message {
        id: MessageId::generate(),
        object: "message".into(),
        thread_id: thread_id.clone(),
        role: Role::User,
        kind: MessageKind::Text,
        content: format!("Open {}", path.display()),
        plan_id: None,
        job_id: Some(job_id.clone()),
        created_at: now,
    };
    (thread, asked)
}

fn done() -> Progress {
    Progress {
        step: 1,
        total: 1,
        percent: 100,
    }
}

fn import_job(
    id: &JobId,
    thread: &ThreadId,
    plan: &PlanId,
    path: &Path,
    read: &FileSummary,
    now: Timestamp,
) -> Job {
    let mut metadata = Map::new();
    metadata.insert("kind".into(), json!(IMPORT_KIND));
    metadata.insert("file".into(), json!(path.display().to_string()));
    if let Some(e) = &read.export {
        metadata.insert("export".into(), json!(e));
    }
    Job {
        id: id.clone(),
        object: "job".into(),
        thread_id: thread.clone(),
        plan_id: plan.clone(),
        status: JobStatus::Running,
        progress: Progress::default(),
        started_at: Some(now),
        finished_at: None,
        credits_used: 0,
        artifact: None,
        summary: None,
        error: None,
        metadata,
        livemode: true,
        created_at: now,
        rows_captured: 0,
        max_credits: None,
        superseded_by: None,
    }
}

fn import_plan(id: &PlanId, job: &JobId, thread: &ThreadId, file: &str, now: Timestamp) -> Plan {
    Plan {
        id: id.clone(),
        object: "plan".into(),
        job_id: job.clone(),
        title: format!("Open {file}"),
        steps: vec![Step {
            id: "stp_1".into(),
            title: format!("Read {file}"),
            intent: Intent::Discover,
            task: "Read every row with the import column mapping; each row is one lead.".into(),
            expected_columns: Vec::new(),
            roles: Vec::new(),
        }],
        credits_estimate: 0,
        created_at: now,
        thread_id: thread.clone(),
        icp: Icp::default(),
        notes: Vec::new(),
        not_understood: Vec::new(),
        replaces: None,
    }
}

/// Whether a job is an opened file's.
pub fn is_import(job: &Job) -> bool {
    job.metadata.get("kind").and_then(Value::as_str) == Some(IMPORT_KIND)
}
