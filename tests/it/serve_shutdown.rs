//! `leadline serve` shutting down with open SSE streams, as a real process: SIGTERM closes the
//! streams at once, halts running jobs as interrupted (failed, `job_halted`, not charged) and the
//! process exits within 5 s — on a running job or a pending one, subscribed or not.

use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

use crate::common::process::{Server, free_port, leadline};
use leadline::backend::{Backend, RemoteBackend};
use leadline::model::JobId;
use leadline::model::requests::{Approve, CreateThread, PostMessage};

const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

struct Setup {
    _dir: tempfile::TempDir,
    data: std::path::PathBuf,
    config: std::path::PathBuf,
    port: u16,
    key: String,
    server: Server,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    // Slow enough that the job is still running when the signal comes.
    std::fs::write(&config, "[engine]\npace_ms = 100\n").unwrap();
    let data = dir.path().join("data");
    let out = leadline(&data, &config)
        .args(["api-keys", "create", "--name", "t", "--scopes", "read,run"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let port = free_port();
    let server = Server(
        leadline(&data, &config)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Setup {
                _dir: dir,
                data,
                config,
                port,
                key,
                server,
            };
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("leadline serve did not listen on {port}");
}

/// A planned job, approved (and running with a few rows) or left pending.
async fn job(s: &Setup, approve: bool) -> JobId {
    let client = RemoteBackend::new(&format!("http://127.0.0.1:{}/v1", s.port), &s.key).unwrap();
    let thread = client.create_thread(CreateThread::default()).await.unwrap();
    let posted = client
        .post_message(
            &thread.id,
            PostMessage {
                content: PROMPT.into(),
                ..PostMessage::default()
            },
        )
        .await
        .unwrap();
    if approve {
        client
            .approve(&posted.job.id, Approve::default())
            .await
            .unwrap();
        for _ in 0..300 {
            if client.get_job(&posted.job.id).await.unwrap().rows_captured >= 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    posted.job.id
}

/// Opens the job's SSE stream (returning once the server has answered, so the shutdown that
/// follows always meets an open stream, however slow the machine), then reads it until the server
/// closes it; the task returns how many chunks arrived.
async fn subscribe(s: &Setup, job: &JobId) -> tokio::task::JoinHandle<usize> {
    let url = format!("http://127.0.0.1:{}/v1/jobs/{job}/stream", s.port);
    let resp = reqwest::Client::new()
        .get(url)
        .bearer_auth(&s.key)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    tokio::spawn(async move {
        let mut resp = resp;
        let mut chunks = 0;
        while let Ok(Some(_)) = resp.chunk().await {
            chunks += 1;
        }
        chunks
    })
}

/// SIGTERM, then the exit status if the process ended within 5 s.
fn terminate(server: &mut Server) -> Option<ExitStatus> {
    let pid = server.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    for _ in 0..100 {
        if let Some(status) = server.0.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

fn stored_job(s: &Setup, job: &JobId) -> serde_json::Value {
    let out = leadline(&s.data, &s.config)
        .args(["job", job.as_str(), "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn assert_interrupted(job: &serde_json::Value) {
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["error"]["code"], "job_halted", "{job}");
    assert!(
        job["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("interrupted")),
        "{job}"
    );
    assert_eq!(
        job["credits_used"], 0,
        "an interruption is not charged: {job}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_with_a_subscriber_on_a_running_job_closes_the_stream_and_exits_within_5s() {
    let mut s = setup();
    let id = job(&s, true).await;
    let stream = subscribe(&s, &id).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let status = terminate(&mut s.server).expect("the server exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
    let chunks = tokio::time::timeout(Duration::from_secs(5), stream)
        .await
        .expect("the stream was closed")
        .unwrap();
    assert!(chunks > 0, "the subscriber saw events before the shutdown");
    assert_interrupted(&stored_job(&s, &id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_with_a_subscriber_on_a_pending_job_exits_within_5s() {
    let mut s = setup();
    let id = job(&s, false).await;
    let stream = subscribe(&s, &id).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let status = terminate(&mut s.server).expect("the server exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
    tokio::time::timeout(Duration::from_secs(5), stream)
        .await
        .expect("the stream was closed")
        .unwrap();
    assert_eq!(
        stored_job(&s, &id)["status"],
        "pending",
        "a pending job stays pending"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_without_subscribers_halts_a_running_job_as_interrupted_within_5s() {
    let mut s = setup();
    let id = job(&s, true).await;
    let status = terminate(&mut s.server).expect("the server exits within 5 s of SIGTERM");
    assert!(status.success(), "{status}");
    let job = stored_job(&s, &id);
    assert_interrupted(&job);
    assert!(job["rows_captured"].as_u64().unwrap() >= 3);
    assert_eq!(
        job["artifact"]["rows"], job["rows_captured"],
        "partial results kept"
    );
}
