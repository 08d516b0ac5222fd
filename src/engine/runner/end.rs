//! The end of every run, whatever its outcome: the artifact files, then one transaction with the
//! artifact row, the job's terminal state, the final events and the result message. Start-up
//! recovery ends interrupted jobs through the same two steps.

use serde_json::json;

use super::super::webhooks::publish;
use super::super::{Engine, artifacts, store};
use crate::model::{
    Artifact, ArtifactId, Error, ErrorCode, EventKind, JobId, JobStatus, Lead, Message, MessageId,
    MessageKind, Progress, Role, Timestamp,
};

/// The files of an artifact, written before the row that points at them.
pub(crate) struct WrittenArtifact {
    pub artifact: Artifact,
    pub path: String,
}

pub(crate) async fn write_artifact(
    engine: &Engine,
    job: &JobId,
    leads: Vec<Lead>,
    partial: bool,
) -> Result<WrittenArtifact, Error> {
    let dir = artifacts::job_dir(engine.data_dir(), job);
    let job = job.clone();
    tokio::task::spawn_blocking(move || {
        let csv = artifacts::render_csv(&leads)?;
        let json = artifacts::render_json(&leads)?;
        let csv_path = dir.join("leads.csv");
        artifacts::write_atomic(&dir.join("leads.json"), &json)?;
        artifacts::write_atomic(&csv_path, &csv)?;
        Ok(WrittenArtifact {
            artifact: Artifact {
                id: ArtifactId::generate(),
                object: "artifact".into(),
                job_id: job,
                format: "csv".into(),
                rows: leads.len() as u64,
                bytes: csv.len() as u64,
                columns: artifacts::columns(&leads),
                download_url: None,
                expires_at: None,
                created_at: Timestamp::now(),
                partial,
            },
            path: csv_path.display().to_string(),
        })
    })
    .await
    .map_err(|e| Error::internal(format!("artifact task failed: {e}")))?
}

/// The terminal transaction: artifact row, job status, final events, and the result message.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_end(
    tx: &crate::engine::store::Conn<'_>,
    job: &crate::model::Job,
    status: JobStatus,
    summary: &str,
    error: Option<(ErrorCode, &str)>,
    credits: u32,
    rows: u64,
    progress: Progress,
    written: &WrittenArtifact,
    now: Timestamp,
) -> Result<(), Error> {
    store::jobs::insert_artifact(tx, &written.artifact, &written.path)?;
    if tx.dialect() == store::Dialect::Postgres {
        // Several servers share this database and any of them may be asked for the download;
        // the file is in this one's data dir only.
        let csv = std::fs::read(&written.path).map_err(|e| {
            Error::internal(format!(
                "the artifact file {} cannot be read: {e}",
                written.path
            ))
        })?;
        store::jobs::insert_artifact_file(tx, &written.artifact.id, &csv)?;
    }
    store::jobs::finish_job(
        tx,
        &job.id,
        &store::jobs::Finish {
            status,
            summary: Some(summary),
            error,
            credits_used: credits,
            rows,
            progress,
            now,
        },
    )?;
    let a = &written.artifact;
    store::events::append(
        tx,
        &job.id,
        EventKind::Artifact,
        &json!({"artifact_id": a.id, "rows": a.rows, "bytes": a.bytes}),
        now,
    )?;
    publish::publish_job(tx, &job.id, "artifact.created", &json!(a))?;
    if rows > 0 {
        let delivered = json!({
            "object": "lead_delivery",
            "job_id": job.id,
            "rows": rows,
            "artifact_id": a.id,
            "partial": a.partial,
        });
        publish::publish_job(tx, &job.id, "leads.delivered", &delivered)?;
    }
    publish::publish_job_state(tx, &job.id, publish::end_event(status))?;
    let finished = store::jobs::get(tx, &job.id)?;
    match error {
        Some((code, message)) => store::events::append(
            tx,
            &job.id,
            EventKind::Error,
            &json!({"code": code, "message": message}),
            now,
        )?,
        None => store::events::append(
            tx,
            &job.id,
            EventKind::Done,
            &json!({"job_id": job.id, "status": status, "artifact_id": a.id, "summary": summary, "job": finished}),
            now,
        )?,
    };
    let result = Message {
        id: MessageId::generate(),
        object: "message".into(),
        thread_id: job.thread_id.clone(),
        role: Role::Assistant,
        kind: MessageKind::Result,
        content: summary.to_string(),
        plan_id: Some(job.plan_id.clone()),
        job_id: Some(job.id.clone()),
        created_at: now,
    };
    store::messages::insert(tx, &result)?;
    publish::publish_job(tx, &job.id, "message.created", &json!(result))?;
    store::threads::touch(tx, &job.thread_id, 1, None, now)
}
