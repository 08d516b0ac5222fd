//! Several `leadline serve` processes on one PostgreSQL database (a throwaway cluster): a job
//! approved through one is run by it alone, streamed through the other, and taken over by the
//! other when its runner is killed -9; rate limits and idempotency keys hold across them.
//! Each server has a data dir of its own, as on two machines.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use crate::common;
use crate::common::process::{Server, free_port, leadline};
use futures::StreamExt;
use leadline::backend::{Backend, RemoteBackend, StreamItem};
use leadline::model::requests::{Approve, CreateThread, PostMessage};
use leadline::model::{EventKind, JobStatus};

struct Cluster {
    _dir: tempfile::TempDir,
    config: PathBuf,
    data: [PathBuf; 2],
}

/// A config pointing both servers at a fresh database, or `None` without PostgreSQL.
fn cluster(extra: &str) -> Option<Cluster> {
    let db = common::pg::database()?;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[engine]\npace_ms = 50\n[server]\ndatabase_url = \"{}\"\njob_lease_seconds = 2\n{extra}",
            db.url
        ),
    )
    .unwrap();
    let data = [dir.path().join("a"), dir.path().join("b")];
    Some(Cluster {
        _dir: dir,
        config,
        data,
    })
}

fn start(data: &Path, config: &Path, port: u16) -> Server {
    let log = std::fs::File::create(data.with_extension("log")).unwrap();
    let server = Server(
        leadline(data, config)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    for _ in 0..400 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    drop(server);
    panic!(
        "leadline serve did not listen on {port}: {}",
        std::fs::read_to_string(data.with_extension("log")).unwrap_or_default()
    );
}

fn mint(c: &Cluster) -> String {
    let out = leadline(&c.data[0], &c.config)
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
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn client(port: u16, key: &str) -> RemoteBackend {
    RemoteBackend::new(&format!("http://127.0.0.1:{port}/v1"), key).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_approved_on_one_server_streams_on_the_other_and_survives_its_runner_being_killed() {
    let Some(c) = cluster("") else { return };
    let key = mint(&c);
    let (pa, pb) = (free_port(), free_port());
    let mut a = start(&c.data[0], &c.config, pa);
    let _b = start(&c.data[1], &c.config, pb);
    let (on_a, on_b) = (client(pa, &key), client(pb, &key));

    // The key minted once is known to both: it lives in the database.
    let thread = on_a.create_thread(CreateThread::default()).await.unwrap();
    let posted = on_a
        .post_message(
            &thread.id,
            PostMessage {
                content: common::FRENCH_FINTECH.into(),
                ..PostMessage::default()
            },
        )
        .await
        .unwrap();
    let job = posted.job.id.clone();
    on_a.approve(&job, Approve::default()).await.unwrap();

    // B streams what A runs, from the first event.
    let mut stream = on_b.subscribe(&job, None).await.unwrap();
    let collector = tokio::spawn(async move {
        let mut events = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
        while let Some(item) = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("the stream on B ends in time")
        {
            if let StreamItem::Event(e) = item.unwrap() {
                events.push(e);
            }
        }
        events
    });

    // Longer than a lease (2 s) passes while A runs: A's heartbeat keeps the job its own, and B's
    // sweeper leaves it alone.
    for _ in 0..400 {
        if on_b.get_job(&job).await.unwrap().rows_captured >= 10 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mid = on_b.get_job(&job).await.unwrap();
    assert_eq!(mid.status, JobStatus::Running, "{mid:?}");
    assert!(
        mid.rows_captured >= 10 && mid.rows_captured < 200,
        "{mid:?}"
    );

    // kill -9 the runner.
    a.0.kill().unwrap();
    a.0.wait().unwrap();
    let events = collector.await.unwrap();

    let ids: Vec<u64> = events.iter().map(|e| e.id.0).collect();
    assert_eq!(
        ids,
        (1..=ids.len() as u64).collect::<Vec<_>>(),
        "B saw every event once, in order, with no gap"
    );
    let last = events.last().unwrap();
    assert!(last.kind.is_terminal(), "{last:?}");
    let ended = on_b.get_job(&job).await.unwrap();
    assert_eq!(ended.status, JobStatus::Failed, "{ended:?}");
    let error = ended.error.clone().unwrap();
    assert_eq!(error.message, "interrupted");
    assert_eq!(ended.credits_used, 0, "an interrupted job is not charged");

    // No lost and no duplicated lead: what the result events reported is what is stored.
    let streamed: Vec<String> = events
        .iter()
        .filter(|e| e.kind == EventKind::Result)
        .flat_map(|e| e.data["leads"].as_array().cloned().unwrap_or_default())
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    let stored = on_b.all_leads(&job).await.unwrap();
    let stored_ids: Vec<String> = stored.iter().map(|l| l.id.to_string()).collect();
    assert_eq!(streamed, stored_ids);
    let mut unique = stored_ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), stored_ids.len(), "no duplicate lead");
    assert_eq!(ended.rows_captured, stored.len() as u64);
    assert!(stored.len() >= 10);
    // The partial results are exported by the server that took the job over.
    let artifact = ended.artifact.expect("a partial artifact");
    assert_eq!(artifact.rows, stored.len() as u64);

    // A resumed stream on B after any event gives exactly the rest.
    let half = events.len() / 2;
    let rest = on_b
        .subscribe(&job, Some(events[half - 1].id))
        .await
        .unwrap()
        .filter_map(|i| async move {
            match i {
                Ok(StreamItem::Event(e)) => Some(e.id.0),
                _ => None,
            }
        })
        .collect::<Vec<_>>()
        .await;
    assert_eq!(rest, ids[half..].to_vec());

    every_server_serves_the_artifact(&c, pa, pb, &key, &job, artifact.id.as_str(), stored.len())
        .await;
}

/// A, restarted on its own data dir (which has no copy of the file B wrote), answers with the
/// same bytes as B: from the database's copy.
async fn every_server_serves_the_artifact(
    c: &Cluster,
    pa: u16,
    pb: u16,
    key: &str,
    job: &leadline::model::JobId,
    artifact: &str,
    rows: usize,
) {
    let _a_again = start(&c.data[0], &c.config, pa);
    assert!(!c.data[0].join("artifacts").join(job.as_str()).exists());
    let via_b = download(pb, key, artifact).await;
    let via_a = download(pa, key, artifact).await;
    assert_eq!(via_a, via_b, "both servers serve the same CSV");
    let text = String::from_utf8(via_a).unwrap();
    assert_eq!(text.lines().count(), rows + 1, "a header and every lead");
}

/// An artifact's CSV through one server: the record, then its signed download (redirect).
async fn download(port: u16, key: &str, artifact: &str) -> Vec<u8> {
    let r = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/v1/artifacts/{artifact}"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "download through port {port}");
    r.bytes().await.unwrap().to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_idempotency_keys_hold_across_servers() {
    let Some(c) = cluster("rate_limit_per_minute = 6\n") else {
        return;
    };
    let key = mint(&c);
    let (pa, pb) = (free_port(), free_port());
    let _a = start(&c.data[0], &c.config, pa);
    let _b = start(&c.data[1], &c.config, pb);
    let http = reqwest::Client::new();
    let url = |port: u16, path: &str| format!("http://127.0.0.1:{port}/v1{path}");

    // The same idempotency key on A then B: B replays A's answer instead of creating again.
    let mut created = Vec::new();
    for port in [pa, pb] {
        let r = http
            .post(url(port, "/threads"))
            .bearer_auth(&key)
            .header("Idempotency-Key", "same-on-both")
            .json(&serde_json::json!({"title": "once"}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.status());
        let v: serde_json::Value = r.json().await.unwrap();
        created.push(v["id"].as_str().unwrap().to_string());
    }
    assert_eq!(
        created[0], created[1],
        "one thread, replayed by the other server"
    );

    // Six requests a minute for the organisation, counted across both servers: two are spent,
    // four more pass (alternating servers), the next is refused on either.
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        % 60;
    if secs > 50 {
        // The two counted above may sit in the previous window: start the count afresh.
        return rate_limits_and_idempotency_keys_hold_across_servers_later(&http, &key, pa, pb)
            .await;
    }
    let mut statuses = Vec::new();
    for i in 0..6 {
        let port = if i % 2 == 0 { pa } else { pb };
        let r = http
            .get(url(port, "/threads"))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, vec![200, 200, 200, 200, 429, 429]);
}

/// Near the end of a minute: wait for the next one, then spend the whole budget across both.
async fn rate_limits_and_idempotency_keys_hold_across_servers_later(
    http: &reqwest::Client,
    key: &str,
    pa: u16,
    pb: u16,
) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        % 60.0;
    tokio::time::sleep(Duration::from_secs_f64(60.5 - secs)).await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let port = if i % 2 == 0 { pa } else { pb };
        let r = http
            .get(format!("http://127.0.0.1:{port}/v1/threads"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, vec![200, 200, 200, 200, 200, 200, 429, 429]);
}

#[test]
fn a_password_env_variable_that_is_not_set_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[server]\ndatabase_url = \"postgres://leadline@127.0.0.1:1/leadline\"\ndatabase_password_env = \"LEADLINE_TEST_PG_PASSWORD_UNSET\"\n",
    )
    .unwrap();
    let out = leadline(&dir.path().join("data"), &config)
        .args(["api-keys", "list"])
        .env_remove("LEADLINE_TEST_PG_PASSWORD_UNSET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("LEADLINE_TEST_PG_PASSWORD_UNSET") && err.contains("not set"),
        "{err}"
    );
}

#[test]
fn an_unreachable_database_is_named_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let port = free_port();
    let out = leadline(&dir.path().join("data"), &config)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--database",
            &format!("postgres://leadline:hunter2@127.0.0.1:{port}/leadline"),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(
        !err.contains("hunter2"),
        "the password is never printed: {err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_paused_past_its_lease_writes_nothing_to_the_job_after_the_takeover() {
    let Some(c) = cluster("") else { return };
    let key = mint(&c);
    let (pa, pb) = (free_port(), free_port());
    let a = start(&c.data[0], &c.config, pa);
    let _b = start(&c.data[1], &c.config, pb);
    let (on_a, on_b) = (client(pa, &key), client(pb, &key));
    let thread = on_a.create_thread(CreateThread::default()).await.unwrap();
    let posted = on_a
        .post_message(
            &thread.id,
            PostMessage {
                content: common::FRENCH_FINTECH.into(),
                ..PostMessage::default()
            },
        )
        .await
        .unwrap();
    let job = posted.job.id.clone();
    on_a.approve(&job, Approve::default()).await.unwrap();
    for _ in 0..400 {
        if on_b.get_job(&job).await.unwrap().rows_captured >= 10 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    // Freeze A (no crash: its runner and connections are intact) until its lease runs out.
    let signal = |sig: &str| {
        let ok = std::process::Command::new("kill")
            .args([sig, &a.0.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {sig}");
    };
    signal("-STOP");
    let mut ended = None;
    for _ in 0..200 {
        let j = on_b.get_job(&job).await.unwrap();
        if j.status.is_terminal() {
            ended = Some(j);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ended = ended.expect("B takes the job over within 20 s");
    assert_eq!(ended.status, JobStatus::Failed);
    let events = on_b.job_events(&job, None).await.unwrap();
    let leads = on_b.all_leads(&job).await.unwrap();
    // A wakes up mid-job: its next write must be refused, not appended after the end.
    signal("-CONT");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let ids = |evs: &[leadline::model::Event]| evs.iter().map(|e| e.id.0).collect::<Vec<_>>();
    let after = on_b.job_events(&job, None).await.unwrap();
    assert_eq!(ids(&after), ids(&events), "no event after the end");
    assert_eq!(after, events);
    assert_eq!(on_b.all_leads(&job).await.unwrap().len(), leads.len());
    let still = on_b.get_job(&job).await.unwrap();
    assert_eq!(still.status, JobStatus::Failed);
    assert_eq!(still.rows_captured, leads.len() as u64);
    assert!(events.last().unwrap().kind.is_terminal());
}
