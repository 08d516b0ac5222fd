//! Planning one prompt with the rules planner (budget: ≤ 1 ms).

use criterion::{Criterion, criterion_group};
use leadline::engine::planner::{PlanRequest, RulesPlanner};
use std::hint::black_box;

fn plan_one_prompt(c: &mut Criterion) {
    let planner = RulesPlanner::new();
    let request = PlanRequest {
        prompt: "Find Series A fintechs in France with 20+ engineers, 50\u{2013}500 employees, using Snowflake and dbt. \
                 Pull VP Eng, Head of Growth and the CTO; skip Crunchbase; top 300."
            .into(),
        ..PlanRequest::default()
    };
    // Load the vocabularies once, outside the measurement.
    let _ = planner.plan_sync(&request);
    c.bench_function("plan_one_prompt", |b| {
        b.iter(|| planner.plan_sync(black_box(&request)))
    });
}

criterion_group!(benches, plan_one_prompt);
