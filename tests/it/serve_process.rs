//! `leadline serve` as a real process: the reference Quickstart against it, and a client stream
//! that survives the server being killed and restarted mid-job.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::process::{Server, free_port, leadline};
use futures::StreamExt;
use leadline::backend::{Backend, RemoteBackend, StreamItem};
use leadline::model::requests::{Approve, CreateThread, PostMessage};

fn start(data: &Path, config: &Path, port: u16) -> Server {
    let server = Server(
        leadline(data, config)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    drop(server);
    panic!("leadline serve did not listen on {port}");
}

fn mint(data: &Path, config: &Path) -> String {
    let out = leadline(data, config)
        .args([
            "api-keys", "create", "--name", "tests", "--scopes", "read,run",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert!(
        key.starts_with("sk_test_"),
        "the secret alone is printed on stdout"
    );
    key
}

fn tools_present() -> bool {
    ["curl", "jq", "bash"].iter().all(|t| {
        Command::new(t)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn the_reference_quickstart_yields_a_csv_with_rows() {
    if !tools_present() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install curl and jq"
        );
        eprintln!("skipped: curl, jq or bash missing on this machine");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let data = dir.path().join("data");
    let key = mint(&data, &config);
    let port = free_port();
    let _server = start(&data, &config, port);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scripts/quickstart.sh");
    let out = Command::new("bash")
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}/v1"))
        .env("LEADEX_API_KEY", &key)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stream = String::from_utf8_lossy(&out.stdout);
    assert!(
        stream.contains("event: done"),
        "the stream ran to done: {stream}"
    );
    let csv = std::fs::read_to_string(dir.path().join("leads.csv")).unwrap();
    assert!(
        csv.starts_with("company_name,"),
        "{}",
        &csv[..csv.len().min(200)]
    );
    assert_eq!(csv.lines().count(), 201, "a header and 200 rows");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_resumes_across_a_server_kill_and_restart_with_no_gap_and_no_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[engine]\npace_ms = 40\n").unwrap();
    let data = dir.path().join("data");
    let key = mint(&data, &config);
    let port = free_port();
    let mut server = start(&data, &config, port);
    let client = RemoteBackend::new(&format!("http://127.0.0.1:{port}/v1"), &key).unwrap();
    let thread = client.create_thread(CreateThread::default()).await.unwrap();
    let posted = client
        .post_message(&thread.id, PostMessage { content: "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.".into(), ..PostMessage::default() })
        .await
        .unwrap();
    client
        .approve(&posted.job.id, Approve::default())
        .await
        .unwrap();
    let mut stream = client.subscribe(&posted.job.id, None).await.unwrap();

    let mut ids = Vec::new();
    let mut reconnecting = 0;
    let mut killed = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while let Some(item) = tokio::time::timeout_at(deadline, stream.next())
        .await
        .expect("the stream ends in time")
    {
        match item.unwrap() {
            StreamItem::Event(e) => {
                ids.push(e.id.0);
                if !killed && ids.len() == 15 {
                    // kill -9 mid-job, then a new server on the same port and data dir.
                    server.0.kill().unwrap();
                    server.0.wait().unwrap();
                    killed = true;
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    server = start(&data, &config, port);
                }
            }
            StreamItem::Reconnecting { .. } => reconnecting += 1,
            StreamItem::Connected => {}
        }
    }
    assert!(
        killed && reconnecting > 0,
        "the client saw the server go away"
    );
    assert_eq!(
        ids,
        (1..=ids.len() as u64).collect::<Vec<_>>(),
        "strictly increasing, no gap, no duplicate"
    );
    let job = client.get_job(&posted.job.id).await.unwrap();
    assert_eq!(
        job.status,
        leadline::model::JobStatus::Failed,
        "the restarted server recovered the interrupted job"
    );
    assert_eq!(job.error.unwrap().message, "interrupted");
    drop(server);
}

#[test]
fn sigterm_finishes_gracefully_and_halts_running_jobs_with_partial_results() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[engine]\npace_ms = 40\n").unwrap();
    let data = dir.path().join("data");
    let key = mint(&data, &config);
    let port = free_port();
    let mut server = start(&data, &config, port);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let job = rt.block_on(async {
        let client = RemoteBackend::new(&format!("http://127.0.0.1:{port}/v1"), &key).unwrap();
        let thread = client.create_thread(CreateThread::default()).await.unwrap();
        let posted = client
            .post_message(&thread.id, PostMessage { content: "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.".into(), ..PostMessage::default() })
            .await
            .unwrap();
        client.approve(&posted.job.id, Approve::default()).await.unwrap();
        for _ in 0..300 {
            if client.get_job(&posted.job.id).await.unwrap().rows_captured >= 5 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        posted.job.id
    });
    let pid = server.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let mut exited = None;
    for _ in 0..200 {
        if let Some(status) = server.0.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        exited
            .expect("the server exits within 10 s of SIGTERM")
            .success()
    );
    // The job was halted by the shutdown, not left for recovery.
    let out = leadline(&data, &config)
        .args(["job", job.as_str(), "--format", "json"])
        .output()
        .unwrap();
    let job: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // An interruption (issue #12): failed as job_halted, not a user's stop, and not charged.
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["error"]["code"], "job_halted", "{job}");
    assert_eq!(job["credits_used"], 0, "{job}");
    assert!(job["rows_captured"].as_u64().unwrap() >= 5);
    assert_eq!(job["artifact"]["rows"], job["rows_captured"]);
}
