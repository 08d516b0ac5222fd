//! A 10,000-lead enrichment against the loopback fake: the batch endpoints, a handful of requests,
//! every lead updated, in bounded time. The RSS it prints is the whole test process's: read it
//! from a run of this test alone (`cargo test --test it ten_thousand_leads -- --exact` with the
//! full name), where no other test shares the process.

use crate::common;
use crate::fake_modernleads;

use std::time::{Duration, Instant};

use fake_modernleads::Fake;
use leadline::config::{IntegrationsConfig, ProvidersConfig, ServiceConfig};
use leadline::engine::integrations::http::RetryPolicy;
use leadline::engine::integrations::modernleads::Tuning;
use leadline::engine::integrations::{IntegrationSettings, Secrets};
use leadline::engine::{Engine, EngineOptions};
use leadline::model::push::{EnrichProvider, EnrichRequest};

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_leads_go_through_the_batch_endpoints() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake::start("ml_test_abc").await;
    let mut integrations = IntegrationSettings::new(
        IntegrationsConfig::default(),
        ProvidersConfig {
            modernleads: ServiceConfig {
                base_url: Some(fake.url.clone()),
                api_key_env: Some("ML_KEY".into()),
                ..ServiceConfig::default()
            },
        },
    )
    .with_secrets(Secrets::fixed([("ML_KEY", "ml_test_abc")]));
    // The production rate (60/min): a batch enrichment needs so few requests that it does not
    // matter. Polls start at 100 ms instead of 2 s to keep the test short.
    integrations.modernleads = Tuning {
        poll_initial: Duration::from_millis(100),
        retry: RetryPolicy {
            jitter: true,
            ..RetryPolicy::default()
        },
        ..Tuning::default()
    };
    let engine = Engine::open(EngineOptions {
        integrations,
        ..EngineOptions::new(dir.path())
    })
    .await
    .unwrap();

    let job = common::finished_job(&engine, 10_000).await;

    // Every tenth person loses their email, for the lookup batch.
    let before = engine
        .store()
        .write(|c| {
            let mut leads = leadline::engine::store::leads::all(c, &job)?;
            for l in leads.iter_mut().step_by(10) {
                if let Some(p) = l.person.as_mut() {
                    p.email = None;
                }
                for s in &mut l.sources {
                    s.fields.retain(|f| f != "person.email");
                }
            }
            leadline::engine::store::leads::update_batch(c, &leads)?;
            Ok(leads)
        })
        .unwrap();
    let total = before.len();
    let with_email = before
        .iter()
        .filter(|l| l.person.as_ref().is_some_and(|p| p.email.is_some()))
        .count();
    let without = before
        .iter()
        .filter(|l| l.person.as_ref().is_some_and(|p| p.email.is_none()))
        .count();
    drop(before);
    assert!(total >= 9_000, "{total} leads");
    assert!(without > 50, "{without} to look up");

    let rss_before = status_kb("VmRSS:");
    let hwm_before = status_kb("VmHWM:");
    let started = Instant::now();
    let mut request = EnrichRequest::new(EnrichProvider::Modernleads);
    request.verify = true;
    request.lookup = true;
    let result = engine.enrich(&job, request, None).await.expect("enrich");
    let took = started.elapsed();
    let hwm_after = status_kb("VmHWM:");

    let sent = fake.requests();
    let summary: Vec<String> = sent
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    eprintln!(
        "enrich of {total} leads ({with_email} to verify, {without} to look up): {took:?}, {} requests, at most {} in flight; VmRSS before {} MB, VmHWM {} MB before → {} MB after",
        sent.len(),
        fake.max_in_flight(),
        rss_before / 1024,
        hwm_before / 1024,
        hwm_after / 1024,
    );
    eprintln!("{summary:?}");

    assert_eq!(result.emails_verified as usize, with_email);
    assert_eq!(result.emails_found as usize, without);
    assert_eq!(result.leads_updated as usize, with_email + without);
    assert!(result.errors.is_empty(), "{:?}", &result.errors[..3]);
    // Two submissions, two polls each, two downloads.
    assert_eq!(sent.len(), 8, "{summary:?}");
    assert_eq!(
        fake.requests_to("POST", "/v1/batch/verify").len(),
        1,
        "{summary:?}"
    );
    assert_eq!(fake.requests_to("POST", "/v1/batch/enrich").len(), 1);
    assert!(fake.requests_to("POST", "/v1/verify/email").is_empty());
    assert_eq!(fake.max_in_flight(), 1);
    assert!(took < Duration::from_secs(60), "{took:?}");

    let after = engine.all_leads(&job).await.unwrap();
    assert_eq!(after.len(), total);
    let enriched = after
        .iter()
        .filter(|l| l.fields.contains_key("email_status") || l.fields.contains_key("email_lookup"))
        .count();
    assert_eq!(enriched, with_email + without);
    let batch_source = format!("{}/v1/batch/", fake.url);
    assert!(after.iter().filter(|l| l.person.is_some()).all(|l| {
        l.sources.iter().any(|s| {
            s.name.as_deref() == Some("modernleads")
                && s.url
                    .as_deref()
                    .is_some_and(|u| u.starts_with(&batch_source))
        })
    }));
}
