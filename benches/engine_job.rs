//! Budget: a 10,000-lead test-mode job, unpaced, end to end (post the prompt, approve, stream to
//! `done`, artifact written) in ≤ 1 s on the 2-core reference machine.

use criterion::{Criterion, criterion_group, criterion_main};
use futures::StreamExt;
use leadline::engine::{Engine, EngineOptions};
use leadline::model::requests::{Approve, CreateThread, Hints, PostMessage};

const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

async fn job_of(engine: &Engine, rows: u32) -> u64 {
    let thread = engine.create_thread(CreateThread::default()).await.unwrap();
    let posted = engine
        .post_message(
            &thread.id,
            PostMessage {
                content: PROMPT.into(),
                hints: Some(Hints {
                    max_rows: Some(rows),
                    preferred_sources: None,
                }),
                ..PostMessage::default()
            },
        )
        .await
        .unwrap();
    engine
        .approve(&posted.job.id, Approve::default())
        .await
        .unwrap();
    let events = engine.subscribe(&posted.job.id, None).await.unwrap();
    let n = events.count().await;
    let job = engine.get_job(&posted.job.id).await.unwrap();
    assert_eq!(job.rows_captured, u64::from(rows));
    n as u64
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let engine = rt
        .block_on(Engine::open(EngineOptions::new(dir.path())))
        .unwrap();
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.bench_function("test_mode_job_10000_leads", |b| {
        b.to_async(&rt).iter(|| job_of(&engine, 10_000))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
