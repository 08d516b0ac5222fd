//! Budget: rendering a 10,000-row CSV export in ≤ 30 ms.

use criterion::{Criterion, criterion_group};
use leadline::engine::artifacts;
use leadline::engine::sources::synthetic::SyntheticSource;
use leadline::model::{Icp, JobId, Lead, LeadId, Timestamp};

fn leads(n: u32) -> Vec<Lead> {
    let icp = Icp {
        industries: vec!["fintech".into()],
        countries: vec!["FR".into()],
        roles: vec!["VP Engineering".into(), "Head of Growth".into()],
        funding_stages: vec!["series_a".into()],
        ..Icp::default()
    };
    let source = SyntheticSource::new(&icp, 7);
    let job = JobId::generate();
    (0..n)
        .map(|i| {
            let company = source.company(i / 2);
            let d = source.lead(
                &company,
                Some(&icp.roles[(i % 2) as usize]),
                Timestamp::now(),
            );
            Lead {
                id: LeadId::generate(),
                object: "lead".into(),
                job_id: job.clone(),
                company: d.company,
                person: d.person,
                fields: d.fields,
                sources: d.sources,
                confidence: d.confidence,
                livemode: false,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let leads = leads(10_000);
    c.bench_function("csv_export_10000_rows", |b| {
        b.iter(|| artifacts::render_csv(&leads).unwrap().len())
    });
}

criterion_group!(benches, bench);
