//! Crashes and broken data dirs: nothing reported as captured is lost, nothing is corrupted, and
//! the messages say which file is wrong.

use crate::common;

use std::time::Duration;

use common::*;
use leadline::engine::{Engine, EngineOptions};
use leadline::model::requests::Approve;
use leadline::model::{ErrorCode, EventKind, JobStatus};

#[test]
fn a_job_cut_off_mid_run_is_recovered_as_interrupted_with_its_leads() {
    let dir = tempfile::tempdir().unwrap();
    // The first "process": a runtime that is torn down mid-job, dropping the runner where it stands.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let job = rt.block_on(async {
        let engine = engine(dir.path(), 10).await;
        let posted = post(&engine, FRENCH_FINTECH).await;
        engine
            .approve(&posted.job.id, Approve::default())
            .await
            .unwrap();
        wait_for_rows(&engine, &posted.job.id, 8).await;
        posted.job.id
    });
    // Every task (the runner among them) is dropped where it stands, without running another
    // step. The wait is only for threads that are mid-poll or inside a database call: until they
    // let go, the runner's task still holds the job's lock (and a transaction ends atomically
    // either way). With no wait, under load, the second engine could find the lock still held by
    // this process and rightly leave the job alone as someone else's running job.
    rt.shutdown_timeout(Duration::from_secs(10));

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let engine = engine(dir.path(), 0).await;
        assert_eq!(engine.store().integrity_check().unwrap(), "ok");
        let recovered = engine.get_job(&job).await.unwrap();
        assert_eq!(recovered.status, JobStatus::Failed);
        let error = recovered.error.clone().expect("an error");
        assert_eq!(error.code, ErrorCode::JobHalted);
        assert_eq!(error.message, "interrupted");
        assert_eq!(recovered.credits_used, 0, "failed jobs are refunded");

        // Every lead a persisted `result` event reported is there, and the partial artifact has them.
        let events = engine.job_events(&job, None).await.unwrap();
        let reported: usize = events
            .iter()
            .filter(|e| e.kind == EventKind::Result)
            .map(|e| e.data["leads"].as_array().unwrap().len())
            .sum();
        let leads = engine.all_leads(&job).await.unwrap();
        assert!(reported >= 8);
        assert_eq!(leads.len(), reported);
        assert_eq!(recovered.rows_captured as usize, reported);
        let artifact = recovered.artifact.expect("a partial artifact");
        assert_eq!(artifact.rows as usize, reported);
        assert!(engine.get_artifact(&artifact.id).await.unwrap().partial);
        assert_eq!(
            events.last().unwrap().kind,
            EventKind::Error,
            "the stream of a recovered job ends"
        );
        assert_eq!(
            engine
                .approve(&job, Approve::default())
                .await
                .unwrap_err()
                .code,
            ErrorCode::Conflict
        );
    });
}

#[tokio::test]
async fn a_job_locked_by_a_live_process_is_not_recovered() {
    let dir = tempfile::tempdir().unwrap();
    let first = engine(dir.path(), 20).await;
    let posted = post(&first, FRENCH_FINTECH).await;
    first
        .approve(&posted.job.id, Approve::default())
        .await
        .unwrap();
    wait_for_rows(&first, &posted.job.id, 2).await;
    // A second opener (another process on the same data dir) must leave the running job alone.
    let second = Engine::open(EngineOptions::new(dir.path())).await.unwrap();
    assert_eq!(
        second.get_job(&posted.job.id).await.unwrap().status,
        JobStatus::Running
    );
    // …and can stop it through the store's stop flag, like `leadline stop` from another shell.
    let stopped = second.stop(&posted.job.id).await.unwrap();
    assert_eq!(stopped.status, JobStatus::Stopped);
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("leadline.db"),
        b"this is not sqlite, just some text that is long enough",
    )
    .unwrap();
    let e = Engine::open(EngineOptions::new(dir.path()))
        .await
        .unwrap_err();
    assert!(e.message.contains("leadline.db"), "{}", e.message);
    assert!(
        e.message.contains("not a readable leadline database"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn an_unusable_data_dir_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("data");
    std::fs::write(&blocker, b"a file where the directory should be").unwrap();
    let e = Engine::open(EngineOptions::new(&blocker))
        .await
        .unwrap_err();
    assert!(
        e.message.contains(&blocker.display().to_string()),
        "{}",
        e.message
    );
    assert!(e.message.contains("--data-dir"), "{}", e.message);
}
