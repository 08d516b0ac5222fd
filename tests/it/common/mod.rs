//! Shared helpers for tests that drive the real engine on a temp dir.
#![allow(dead_code)]

use std::time::Duration;

use futures::StreamExt;
use leadline::engine::{Engine, EngineOptions};
use leadline::model::requests::{Approve, CreateThread, Hints, PostMessage, PostedMessage};
use leadline::model::{Event, EventKind, Job, JobId};

pub const FRENCH_FINTECH: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

pub async fn engine(dir: &std::path::Path, pace_ms: u64) -> Engine {
    let mut options = EngineOptions::new(dir);
    options.pace = Duration::from_millis(pace_ms);
    Engine::open(options)
        .await
        .expect("engine opens on a temp dir")
}

pub async fn post(engine: &Engine, prompt: &str) -> PostedMessage {
    post_with(engine, prompt, None).await
}

/// Posts `prompt` in a new thread, with a row cap when `rows` is given: a plan and a pending job.
pub async fn post_with(engine: &Engine, prompt: &str, rows: Option<u32>) -> PostedMessage {
    let thread = engine
        .create_thread(CreateThread::default())
        .await
        .expect("thread");
    let hints = rows.map(|n| Hints {
        max_rows: Some(n),
        preferred_sources: None,
    });
    engine
        .post_message(
            &thread.id,
            PostMessage {
                content: prompt.into(),
                hints,
                ..PostMessage::default()
            },
        )
        .await
        .expect("the planner accepts the prompt")
}

/// Every event of a job until its terminal one (bounded: a job that never ends fails the test).
pub async fn events_until_end(engine: &Engine, job: &JobId) -> Vec<Event> {
    let stream = engine.subscribe(job, None).await.expect("subscribe");
    tokio::time::timeout(
        Duration::from_secs(60),
        stream.map(|e| e.expect("event")).collect::<Vec<_>>(),
    )
    .await
    .expect("the job ends within 60 s")
}

pub async fn run_to_end(engine: &Engine, prompt: &str) -> (PostedMessage, Job, Vec<Event>) {
    run_with(engine, prompt, None).await
}

/// The whole sequence a user goes through: post, approve, stream to the end, read the job back.
pub async fn run_with(
    engine: &Engine,
    prompt: &str,
    rows: Option<u32>,
) -> (PostedMessage, Job, Vec<Event>) {
    let posted = post_with(engine, prompt, rows).await;
    engine
        .approve(&posted.job.id, Approve::default())
        .await
        .expect("approve");
    let events = events_until_end(engine, &posted.job.id).await;
    let job = engine.get_job(&posted.job.id).await.expect("job");
    (posted, job, events)
}

/// A finished test-mode job of `rows` French fintech leads.
pub async fn finished_job(engine: &Engine, rows: u32) -> JobId {
    run_with(engine, FRENCH_FINTECH, Some(rows)).await.1.id
}

/// Waits (bounded) until the job has captured at least `rows` leads.
pub async fn wait_for_rows(engine: &Engine, job: &JobId, rows: u64) {
    for _ in 0..600 {
        if engine.get_job(job).await.expect("job").rows_captured >= rows {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("job {job} did not reach {rows} rows within 12 s");
}

pub fn kinds(events: &[Event]) -> Vec<EventKind> {
    events.iter().map(|e| e.kind).collect()
}

/// Leads as JSON without what legitimately differs between two runs (ids, job ids, times), for
/// determinism comparisons.
pub fn comparable(leads: Vec<leadline::model::Lead>) -> Vec<serde_json::Value> {
    leads
        .into_iter()
        .map(|l| {
            let mut v = serde_json::to_value(&l).unwrap();
            v["id"] = serde_json::Value::Null;
            v["job_id"] = serde_json::Value::Null;
            for s in v["sources"].as_array_mut().unwrap() {
                s["retrieved_at"] = serde_json::Value::Null;
            }
            v
        })
        .collect()
}

pub mod cli;
pub mod leads_file;
pub mod pg;
pub mod planner;
pub mod process;
pub mod pty;
pub mod server;
pub mod tmux;
