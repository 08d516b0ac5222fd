//! Budget: a live-mode job over an imported dataset of 50,000 companies (unpaced, no web step)
//! returns its leads — post, approve, stream to `done`, artifact written — in ≤ 2 s.

use std::sync::Arc;

use criterion::{Criterion, criterion_group};
use leadline::engine::{Engine, EngineOptions, Mode};
use leadline::model::Icp;

use crate::common::planner::FixedPlanner;

const COMPANIES: u32 = 50_000;
const INDUSTRIES: [&str; 5] = ["FinTech", "SaaS", "Developer Tools", "Healthcare", "Retail"];
const COUNTRIES: [&str; 5] = ["France", "Germany", "United States", "UK", "Spain"];
const STAGES: [&str; 4] = ["Seed", "Series A", "Series B", "Series C"];

/// The fixed ICP: SaaS companies in Germany, 50+ employees, up to 2,000 rows.
fn icp() -> Icp {
    Icp {
        industries: vec!["saas".into()],
        countries: vec!["DE".into()],
        employees: leadline::model::Range {
            min: Some(50),
            max: None,
        },
        max_rows: Some(2_000),
        ..Icp::default()
    }
}

fn write_dataset(path: &std::path::Path) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record([
        "Company",
        "Website",
        "Industry",
        "Country",
        "City",
        "Employees",
        "Stage",
        "Tech",
    ])
    .unwrap();
    for i in 0..COMPANIES {
        let n = i as usize;
        w.write_record([
            format!("Company {i}"),
            format!("company{i}.example"),
            INDUSTRIES[n % 5].to_string(),
            COUNTRIES[(n / 5) % 5].to_string(),
            "Berlin".to_string(),
            ((n * 37) % 900 + 5).to_string(),
            STAGES[n % 4].to_string(),
            "AWS, PostgreSQL".to_string(),
        ])
        .unwrap();
    }
    w.flush().unwrap();
}

async fn job(engine: &Engine) -> u64 {
    let (_, job, events) =
        crate::common::run_to_end(engine, "SaaS companies in Germany with 50+ employees").await;
    assert_eq!(job.rows_captured, 1_945, "{job:?}");
    events.len() as u64
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut options = EngineOptions::new(dir.path());
    options.mode = Mode::Live;
    options.planner = Arc::new(FixedPlanner(icp()));
    // Live jobs spend credits; the bench runs many.
    options.credits_included = 1_000_000_000;
    let engine = rt.block_on(Engine::open(options)).unwrap();
    let file = dir.path().join("companies-50k.csv");
    write_dataset(&file);
    let report = rt.block_on(engine.import_dataset(&file, None)).unwrap();
    assert_eq!(report.imported, u64::from(COMPANIES));
    let mut group = c.benchmark_group("live");
    group.sample_size(10);
    group.bench_function("live_job_over_50000_companies", |b| {
        b.to_async(&rt).iter(|| job(&engine))
    });
    group.finish();
}

criterion_group!(benches, bench);
