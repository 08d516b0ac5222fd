//! Budget: a 10,000-lead test-mode job, unpaced, end to end (post the prompt, approve, stream to
//! `done`, artifact written) in ≤ 1 s on the 2-core reference machine.

use criterion::{Criterion, criterion_group};
use leadline::engine::{Engine, EngineOptions};

use crate::common::FRENCH_FINTECH as PROMPT;

async fn job_of(engine: &Engine, rows: u32) -> u64 {
    let (_, job, events) = crate::common::run_with(engine, PROMPT, Some(rows)).await;
    assert_eq!(job.rows_captured, u64::from(rows));
    events.len() as u64
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
