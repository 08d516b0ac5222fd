//! The same loads as `server_load`, side by side: one server on SQLite, and two servers on one
//! PostgreSQL database (a throwaway cluster from scripts/pg-throwaway.sh). GET /v1/jobs/{id}
//! alternates between the two PostgreSQL servers; 100 SSE subscribers of one job split 50/50
//! across them while the job runs on the first. The two servers are two engines (each its own
//! instance id, connection pool and lease heartbeat) in this one process, sharing its runtime.
//! Without PostgreSQL binaries the PostgreSQL half is skipped, saying so.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};
use futures::StreamExt;
use leadline::engine::{Database, Engine, EngineOptions};
use leadline::model::OrgId;
use leadline::server::{Scope, ServerOptions, keys};
use serde_json::{Value, json};

const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";
const SUBSCRIBERS: usize = 100;

struct Servers {
    /// One base URL per server (`…/v1`).
    bases: Vec<String>,
    key: String,
    _dirs: Vec<tempfile::TempDir>,
}

async fn start(database: Option<Database>) -> (String, Engine, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut eo = EngineOptions::new(dir.path());
    eo.database = database;
    let engine = Engine::open(eo).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = ServerOptions {
        rate_limit_per_minute: u32::MAX,
        ..ServerOptions::default()
    };
    let app = leadline::server::router(engine.clone(), options, format!("http://{addr}")).unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    (format!("http://{addr}/v1"), engine, dir)
}

async fn servers(databases: Vec<Option<Database>>) -> Servers {
    let mut out = Servers {
        bases: Vec::new(),
        key: String::new(),
        _dirs: Vec::new(),
    };
    for db in databases {
        let (base, engine, dir) = start(db).await;
        if out.key.is_empty() {
            out.key = leadline::engine::store::blocking(|| {
                keys::mint(
                    engine.store(),
                    &OrgId::local(),
                    "bench",
                    &Scope::ALL,
                    false,
                    None,
                )
            })
            .unwrap()
            .secret;
        }
        out.bases.push(base);
        out._dirs.push(dir);
    }
    out
}

/// A fresh database on a throwaway cluster, or `None` (printed) without PostgreSQL.
fn pg_database() -> Option<Database> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pg-throwaway.sh");
    let out = std::process::Command::new("bash")
        .arg(script)
        .arg("--owner-pid")
        .arg(std::process::id().to_string())
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "server_pg: PostgreSQL half skipped: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return None;
    }
    Some(Database::new(String::from_utf8_lossy(&out.stdout).trim()))
}

async fn pending_job(http: &reqwest::Client, s: &Servers, rows: u32) -> String {
    let thread: Value = http
        .post(format!("{}/threads", s.bases[0]))
        .bearer_auth(&s.key)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let posted: Value = http
        .post(format!(
            "{}/threads/{}/messages",
            s.bases[0],
            thread["id"].as_str().unwrap()
        ))
        .bearer_auth(&s.key)
        .json(&json!({"content": PROMPT, "hints": {"max_rows": rows}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    posted["job"]["id"].as_str().unwrap().to_string()
}

async fn subscriber(http: reqwest::Client, url: String, key: String) -> usize {
    let mut resp = http.get(url).bearer_auth(key).send().await.unwrap();
    let mut text = Vec::new();
    while let Some(chunk) = resp.chunk().await.unwrap() {
        text.extend_from_slice(&chunk);
    }
    String::from_utf8_lossy(&text)
        .lines()
        .filter(|l| l.starts_with("id:"))
        .count()
}

fn bench_servers(c: &mut Criterion, rt: &tokio::runtime::Runtime, name: &str, s: &Servers) {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(300)
        .build()
        .unwrap();
    let job = rt.block_on(pending_job(&http, s, 50));
    let mut group = c.benchmark_group(format!("server_{name}"));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    const BATCH: u64 = 1_000;
    group.throughput(Throughput::Elements(BATCH));
    group.bench_function("get_job_x1000_concurrency_32", |b| {
        b.to_async(rt).iter(|| {
            let urls: Vec<String> = s.bases.iter().map(|b| format!("{b}/jobs/{job}")).collect();
            let (http, key) = (http.clone(), s.key.clone());
            async move {
                futures::stream::iter(0..BATCH as usize)
                    .map(|i| {
                        let (http, url, key) =
                            (http.clone(), urls[i % urls.len()].clone(), key.clone());
                        async move {
                            let status = http.get(url).bearer_auth(key).send().await.unwrap();
                            assert!(status.status().is_success());
                        }
                    })
                    .buffer_unordered(32)
                    .count()
                    .await
            }
        })
    });
    group.throughput(Throughput::Elements(SUBSCRIBERS as u64));
    group.bench_function("sse_100_subscribers_one_job_1000_leads", |b| {
        b.to_async(rt).iter(|| {
            let (http, key) = (http.clone(), s.key.clone());
            async move {
                let job = pending_job(&http, s, 1_000).await;
                let subs: Vec<_> = (0..SUBSCRIBERS)
                    .map(|i| {
                        let base = &s.bases[i % s.bases.len()];
                        let url = format!("{base}/jobs/{job}/stream");
                        tokio::spawn(subscriber(http.clone(), url, key.clone()))
                    })
                    .collect();
                tokio::time::sleep(Duration::from_millis(200)).await;
                http.post(format!("{}/jobs/{job}/approve", s.bases[0]))
                    .bearer_auth(&key)
                    .send()
                    .await
                    .unwrap();
                let counts: Vec<usize> = futures::future::join_all(subs)
                    .await
                    .into_iter()
                    .map(|r| r.unwrap())
                    .collect();
                let first = counts[0];
                assert!(
                    first > 3 && counts.iter().all(|c| *c == first),
                    "every subscriber on either server got every event: {counts:?}"
                );
                first
            }
        })
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sqlite = rt.block_on(servers(vec![None]));
    bench_servers(c, &rt, "sqlite_one", &sqlite);
    if let Some(db) = pg_database() {
        let pg = rt.block_on(servers(vec![Some(db.clone()), Some(db)]));
        bench_servers(c, &rt, "postgres_two", &pg);
    }
}

criterion_group!(benches, bench);
