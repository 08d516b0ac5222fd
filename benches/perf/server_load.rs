//! Load on loopback: GET /v1/jobs/{id} throughput, and 250 concurrent SSE subscribers on one job
//! each receiving every event.

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group};
use futures::StreamExt;
use leadline::engine::{Engine, EngineOptions};
use leadline::model::OrgId;
use leadline::server::{Scope, ServerOptions, keys};
use serde_json::{Value, json};

const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

struct Served {
    base: String,
    key: String,
    _dir: tempfile::TempDir,
}

async fn serve() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineOptions::new(dir.path())).await.unwrap();
    let key = keys::mint(
        engine.store(),
        &OrgId::local(),
        "bench",
        &Scope::ALL,
        false,
        None,
    )
    .unwrap()
    .secret;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let options = ServerOptions {
        rate_limit_per_minute: u32::MAX,
        ..ServerOptions::default()
    };
    let app = leadline::server::router(engine, options, format!("http://{addr}")).unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Served {
        base: format!("http://{addr}/v1"),
        key,
        _dir: dir,
    }
}

async fn pending_job(http: &reqwest::Client, s: &Served, rows: u32) -> String {
    let thread: Value = http
        .post(format!("{}/threads", s.base))
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
            s.base,
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

/// Counts the `id:` lines of one subscriber's whole stream.
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

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let s = rt.block_on(serve());
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(300)
        .build()
        .unwrap();
    let job = rt.block_on(pending_job(&http, &s, 50));

    let mut group = c.benchmark_group("server");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    const BATCH: u64 = 1_000;
    group.throughput(Throughput::Elements(BATCH));
    group.bench_function("get_job_x1000_concurrency_32", |b| {
        b.to_async(&rt).iter(|| {
            let http = http.clone();
            let url = format!("{}/jobs/{job}", s.base);
            let key = s.key.clone();
            async move {
                futures::stream::iter(0..BATCH)
                    .map(|_| {
                        let (http, url, key) = (http.clone(), url.clone(), key.clone());
                        async move {
                            assert!(
                                http.get(url)
                                    .bearer_auth(key)
                                    .send()
                                    .await
                                    .unwrap()
                                    .status()
                                    .is_success()
                            )
                        }
                    })
                    .buffer_unordered(32)
                    .count()
                    .await
            }
        })
    });

    group.throughput(Throughput::Elements(250));
    group.bench_function("sse_250_subscribers_one_job_1000_leads", |b| {
        b.to_async(&rt).iter(|| {
            let (http, base, key) = (http.clone(), s.base.clone(), s.key.clone());
            let served = &s;
            async move {
                let job = pending_job(&http, served, 1_000).await;
                let url = format!("{base}/jobs/{job}/stream");
                let subs: Vec<_> = (0..250)
                    .map(|_| tokio::spawn(subscriber(http.clone(), url.clone(), key.clone())))
                    .collect();
                // Let them connect, then run the job while they all listen.
                tokio::time::sleep(Duration::from_millis(200)).await;
                http.post(format!("{base}/jobs/{job}/approve"))
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
                    "every subscriber got every event: {counts:?}"
                );
                first
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
