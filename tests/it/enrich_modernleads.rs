//! `Engine::enrich` with Modern Leads, against the loopback fake in `fake_modernleads`.

use crate::common;
use crate::fake_modernleads;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use fake_modernleads::{Fake, Script};
use leadline::config::{IntegrationsConfig, ProvidersConfig, ServiceConfig};
use leadline::engine::integrations::http::RetryPolicy;
use leadline::engine::integrations::modernleads::{ModernLeads, Tuning};
use leadline::engine::integrations::{IntegrationSettings, Secrets};
use leadline::engine::{Engine, EngineOptions};
use leadline::model::push::{EnrichProvider, EnrichRequest, IntegrationProgress};
use leadline::model::{ErrorCode, JobId, Lead, SourceKind};
use serde_json::json;

const KEY_ENV: &str = "ML_KEY";
const TEST_KEY: &str = "ml_test_abc";
const LIVE_KEY: &str = "ml_live_xyz";

fn service(url: &str) -> ServiceConfig {
    ServiceConfig {
        base_url: Some(url.to_string()),
        api_key_env: Some(KEY_ENV.into()),
        ..ServiceConfig::default()
    }
}

/// Fast pacing for tests: the production defaults (60/min, 2 s first poll) would make every
/// test take minutes.
fn tuning(rate_per_minute: u32) -> Tuning {
    Tuning {
        rate_per_minute,
        poll_initial: Duration::from_millis(20),
        poll_max: Duration::from_millis(100),
        retry: RetryPolicy {
            max_attempts: 4,
            backoff: Duration::from_millis(20),
            max_wait: Duration::from_secs(5),
            jitter: true,
        },
        ..Tuning::default()
    }
}

fn settings(url: &str, key: Option<&str>, rate: u32) -> IntegrationSettings {
    let mut s = IntegrationSettings::new(
        IntegrationsConfig::default(),
        ProvidersConfig {
            modernleads: service(url),
        },
    )
    .with_secrets(match key {
        Some(k) => Secrets::fixed([(KEY_ENV, k)]),
        None => Secrets::fixed(Vec::<(String, String)>::new()),
    });
    s.modernleads = tuning(rate);
    s
}

async fn engine(dir: &std::path::Path, integrations: IntegrationSettings) -> Engine {
    Engine::open(EngineOptions {
        integrations,
        ..EngineOptions::new(dir)
    })
    .await
    .expect("engine opens")
}

/// A finished test-mode job of about `rows` leads.
async fn job(engine: &Engine, rows: u32) -> JobId {
    common::finished_job(engine, rows).await
}

fn email(l: &Lead) -> Option<String> {
    l.person.as_ref()?.email.clone()
}

fn client(fake: &Fake, key: &str, rate: u32) -> ModernLeads {
    ModernLeads::with_tuning(
        &service(&fake.url),
        &Secrets::fixed([(KEY_ENV, key)]),
        tuning(rate),
    )
    .expect("configured")
}

fn ours(l: &Lead) -> Vec<&leadline::model::Source> {
    l.sources
        .iter()
        .filter(|s| s.name.as_deref() == Some("modernleads"))
        .collect()
}

#[expect(
    clippy::too_many_lines,
    reason = "one scenario: what was sent, then every field, source and score it wrote"
)]
#[tokio::test]
async fn verify_writes_fields_sources_and_confidence_and_sends_what_the_reference_asks() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake::start(TEST_KEY).await;
    fake.lock().delay = Duration::from_millis(40);
    let engine = engine(dir.path(), settings(&fake.url, Some(TEST_KEY), 60_000)).await;
    let job = job(&engine, 12).await;
    let before = engine.all_leads(&job).await.unwrap();
    let emails: Vec<String> = before.iter().filter_map(email).collect();
    assert!(
        emails.len() >= 6 && emails.len() <= 50,
        "{} emails",
        emails.len()
    );
    let bad: HashSet<String> = emails
        .iter()
        .take(2)
        .map(|e| e.to_ascii_lowercase())
        .collect();
    fake.lock().invalid_emails = bad.clone();

    let (tx, rx) = tokio::sync::watch::channel(IntegrationProgress::default());
    let result = engine
        .enrich(
            &job,
            EnrichRequest::new(EnrichProvider::Modernleads),
            Some(tx),
        )
        .await
        .expect("enrich");
    let distinct: HashSet<String> = emails.iter().map(|e| e.to_ascii_lowercase()).collect();
    assert_eq!(result.emails_invalid, 2);
    assert_eq!(result.emails_verified as usize, emails.len() - 2);
    assert_eq!(result.leads_updated as usize, emails.len());
    assert_eq!(result.skipped as usize, before.len() - emails.len());
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    assert_eq!(
        result.provider_credits, 0.0,
        "a test key never burns credits"
    );
    assert_eq!(result.requests_sent as usize, distinct.len());
    assert_eq!(
        *rx.borrow(),
        IntegrationProgress {
            done: distinct.len() as u64,
            total: distinct.len() as u64
        }
    );

    // What went over the wire: one call per email, as the reference shapes it.
    let sent = fake.requests();
    assert_eq!(sent.len(), distinct.len());
    let mut keys = HashSet::new();
    for r in &sent {
        assert_eq!(
            (r.method.as_str(), r.path.as_str()),
            ("POST", "/v1/verify/email")
        );
        assert_eq!(r.status, 200);
        assert_eq!(r.authorization.as_deref(), Some("Bearer ml_test_abc"));
        assert_eq!(r.content_type.as_deref(), Some("application/json"));
        let body = r.body.as_ref().unwrap();
        assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
        assert!(emails.iter().any(|e| body["email"] == json!(e)), "{body}");
        let key = r.idempotency_key.clone().expect("Idempotency-Key");
        assert_eq!(key.len(), 36, "{key}");
        assert!(keys.insert(key), "each call has its own key");
    }
    let peak = fake.max_in_flight();
    assert!((2..=4).contains(&peak), "in flight at once: {peak}");

    let after = engine.all_leads(&job).await.unwrap();
    assert_eq!(after.len(), before.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a.id, b.id, "order kept");
        let Some(e) = email(b) else {
            assert_eq!(a, b, "a lead without an email is untouched");
            continue;
        };
        let invalid = bad.contains(&e.to_ascii_lowercase());
        let status = if invalid { "invalid" } else { "valid" };
        assert_eq!(a.fields["email_status"], json!(status));
        assert_eq!(a.fields["email_verified"], json!(!invalid));
        assert_eq!(a.fields["email_deliverable"], json!(!invalid));
        assert_eq!(email(a), Some(e), "the address itself is kept");
        let src = ours(a);
        assert_eq!(src.len(), 1);
        let src = src[0];
        assert_eq!(src.kind, SourceKind::Provider);
        assert_eq!(
            src.url.as_deref(),
            Some(format!("{}/v1/verify/email", fake.url).as_str())
        );
        let mut paths = vec![
            "fields.email_status",
            "fields.email_verified",
            "fields.email_deliverable",
        ];
        if !invalid {
            paths.push("person.email");
        }
        assert_eq!(
            src.fields.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
            paths
        );
        assert_eq!(
            &a.sources[..a.sources.len() - 1],
            &b.sources[..],
            "earlier sources kept"
        );
        if invalid {
            assert!(
                a.confidence < b.confidence,
                "{} → {}",
                b.confidence,
                a.confidence
            );
        } else {
            assert!(
                a.confidence > b.confidence,
                "{} → {}",
                b.confidence,
                a.confidence
            );
        }
    }

    // A second run has nothing left to verify: no request, nothing charged twice.
    let again = engine
        .enrich(&job, EnrichRequest::new(EnrichProvider::Modernleads), None)
        .await
        .unwrap();
    assert_eq!(again.requests_sent, 0);
    assert_eq!(again.leads_updated, 0);
    assert_eq!(fake.requests().len(), sent.len());
    assert_eq!(engine.all_leads(&job).await.unwrap(), after);
}

/// Rewrites the job's leads in the store (tests only): `f` edits each.
fn edit_leads(engine: &Engine, job: &JobId, f: impl Fn(usize, &mut Lead)) -> Vec<Lead> {
    let job = job.clone();
    engine
        .store()
        .write(|c| {
            let mut leads = leadline::engine::store::leads::all(c, &job)?;
            for (i, l) in leads.iter_mut().enumerate() {
                f(i, l);
            }
            leadline::engine::store::leads::update_batch(c, &leads)?;
            Ok(leads)
        })
        .unwrap()
}

#[tokio::test]
async fn lookup_and_qualify_with_a_live_key_record_emails_fits_and_credits() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake::start(LIVE_KEY).await;
    let engine = engine(dir.path(), settings(&fake.url, Some(LIVE_KEY), 60_000)).await;
    let job = job(&engine, 10).await;
    // Live leads, three of them without an email.
    let before = edit_leads(&engine, &job, |i, l| {
        l.livemode = true;
        if i < 3
            && let Some(p) = l.person.as_mut()
        {
            p.email = None;
            for s in &mut l.sources {
                s.fields.retain(|f| f != "person.email");
            }
        }
    });
    let missing: Vec<&Lead> = before
        .iter()
        .filter(|l| l.person.is_some() && email(l).is_none())
        .collect();
    assert!(!missing.is_empty());
    let domains: HashSet<String> = before
        .iter()
        .filter_map(|l| l.company.domain.clone())
        .collect();

    let mut request = EnrichRequest::new(EnrichProvider::Modernleads);
    request.lookup = true;
    request.qualify = true;
    let result = engine.enrich(&job, request, None).await.expect("enrich");
    assert_eq!(result.emails_found as usize, missing.len());
    assert_eq!(result.companies_qualified as usize, domains.len());
    assert_eq!(result.emails_verified, 0, "verify was not asked for");
    assert_eq!(
        result.provider_credits,
        6.0 * missing.len() as f64 + domains.len() as f64
    );
    assert_eq!(
        fake.requests_to("POST", "/v1/qualify").len(),
        domains.len(),
        "one qualify per company"
    );
    let lookups = fake.requests_to("POST", "/v1/lookup");
    assert_eq!(lookups.len(), missing.len());
    for r in &lookups {
        let b = r.body.as_ref().unwrap();
        assert!(b["first_name"].is_string() && b["last_name"].is_string());
        assert!(b["domain"].is_string());
        assert_eq!(b["lookup_type"], json!("email"));
    }

    let after = engine.all_leads(&job).await.unwrap();
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(a.fields["fit_score"], json!(8));
        assert_eq!(a.fields["fit_label"], json!("high"));
        assert_eq!(
            a.fields["fit_reason"],
            json!("Mid-market SaaS in your ICP, 50-employee sweet spot."),
            "control sequences stripped"
        );
        let fit = ours(a)
            .into_iter()
            .find(|s| s.fields.iter().any(|f| f == "fields.fit_score"))
            .expect("fit source");
        assert_eq!(
            fit.url.as_deref(),
            Some(format!("{}/v1/qualify", fake.url).as_str())
        );
        if b.person.is_some() && email(b).is_none() {
            let p = a.person.as_ref().unwrap();
            let found = p.email.clone().expect("found");
            assert!(found.ends_with(&format!("@{}", a.company.domain.clone().unwrap())));
            assert_eq!(a.fields["email_lookup"], json!("found"));
            assert_eq!(a.fields["email_verified"], json!(true));
            let src = ours(a)
                .into_iter()
                .find(|s| s.fields.iter().any(|f| f == "person.email"))
                .expect("email source");
            assert_eq!(
                src.url.as_deref(),
                Some(format!("{}/v1/lookup", fake.url).as_str())
            );
            // A verified email scores 0.95: it raises a lead whose mean is below that, by less
            // than the rounding when the mean is close.
            assert!(
                a.confidence >= b.confidence,
                "a found, verified email counts: {} → {}",
                b.confidence,
                a.confidence
            );
        } else {
            assert_eq!(a.confidence, b.confidence, "a fit score is not a fact");
        }
    }
}

#[tokio::test]
async fn a_live_key_is_not_spent_on_synthetic_leads_and_unfinished_jobs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake::start(LIVE_KEY).await;
    let engine = engine(dir.path(), settings(&fake.url, Some(LIVE_KEY), 60_000)).await;
    let job = job(&engine, 5).await;
    let e = engine
        .enrich(&job, EnrichRequest::new(EnrichProvider::Modernleads), None)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert!(e.message.contains("ml_test_"), "{}", e.message);
    assert!(fake.requests().is_empty());

    let posted = common::post(&engine, common::FRENCH_FINTECH).await;
    let e = engine
        .enrich(
            &posted.job.id,
            EnrichRequest::new(EnrichProvider::Modernleads),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict, "{}", e.message);
}

#[tokio::test]
async fn not_configured_names_the_keys_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), settings("http://127.0.0.1:9", None, 60)).await;
    let job = job(&engine, 3).await;
    let e = engine
        .enrich(&job, EnrichRequest::new(EnrichProvider::Modernleads), None)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    for needle in [
        "[providers.modernleads]",
        "api_key_env",
        "base_url",
        KEY_ENV,
    ] {
        assert!(e.message.contains(needle), "{needle}: {}", e.message);
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "a table of every documented error code, one case each"
)]
#[tokio::test]
async fn every_documented_error_code_gets_a_plain_message() {
    let fake = Fake::start(TEST_KEY).await;
    let c = client(&fake, TEST_KEY, 60_000);
    let cases: Vec<(Script, ErrorCode, &[&str])> = vec![
        (
            Script::error(400, "invalid_input"),
            ErrorCode::InvalidRequest,
            &["rejected", "/v1/verify/email", "Scripted invalid_input"],
        ),
        (
            Script::error(401, "missing_key"),
            ErrorCode::Authentication,
            &["did not receive", KEY_ENV],
        ),
        (
            Script::error(401, "invalid_key"),
            ErrorCode::Authentication,
            &["does not recognise", KEY_ENV, "API Keys"],
        ),
        (
            Script::error(401, "revoked_key"),
            ErrorCode::Authentication,
            &["revoked", KEY_ENV],
        ),
        (
            Script::error(401, "expired_key"),
            ErrorCode::Authentication,
            &["expired", KEY_ENV],
        ),
        (
            Script::error(402, "insufficient_credits"),
            ErrorCode::InsufficientCredits,
            &["top up at https://app.modernleads.io/coins"],
        ),
        (
            Script::error(403, "subscription_required"),
            ErrorCode::Permission,
            &["subscription"],
        ),
        (
            Script::error(403, "scope_denied"),
            ErrorCode::Permission,
            &["scope", KEY_ENV, "/v1/verify/email"],
        ),
        (
            Script::error(403, "ip_denied"),
            ErrorCode::Permission,
            &["IP address"],
        ),
        (
            Script::error(404, "not_found"),
            ErrorCode::NotFound,
            &["no such"],
        ),
        (
            Script::error(409, "idempotency_key_payload_mismatch"),
            ErrorCode::Conflict,
            &["Idempotency-Key", "different request"],
        ),
        (
            Script::error(409, "buyer_context_missing"),
            ErrorCode::InvalidRequest,
            &["buyer context"],
        ),
        (
            Script::Malformed,
            ErrorCode::Integration,
            &["POST /v1/verify/email", "cannot read"],
        ),
    ];
    for (script, code, needles) in cases {
        fake.script(None, script.clone());
        let e = c
            .verify_email("ana@acme.io")
            .await
            .map(|v| panic!("{script:?} answered {v:?}"))
            .unwrap_err();
        assert_eq!(e.code, code, "{script:?}: {}", e.message);
        for n in needles {
            assert!(e.message.contains(n), "{script:?}: `{n}` in {}", e.message);
        }
        assert!(!e.message.contains(TEST_KEY), "the key is never shown");
    }
    // Retried codes: after every try is spent.
    for (code, status, kind, needle) in [
        ("rate_limited", 429, ErrorCode::RateLimit, "4 tries"),
        (
            "spend_cap_reached",
            429,
            ErrorCode::RateLimit,
            "hourly credit cap",
        ),
        ("internal", 500, ErrorCode::Integration, "internal error"),
    ] {
        if code == "internal" {
            // A proxy's HTML page is retried like any 5xx, then reported with its status.
            for _ in 0..4 {
                fake.script(None, Script::NotJson(502));
            }
            let e = c.verify_email("ana@acme.io").await.unwrap_err();
            assert_eq!(e.code, ErrorCode::Integration);
            assert!(e.message.contains("HTTP 502"), "{}", e.message);
            assert!(e.message.contains("not its error JSON"), "{}", e.message);
        }
        for _ in 0..4 {
            fake.script(
                None,
                fake_modernleads::Script::Error {
                    status,
                    code,
                    retry_after: Some(0),
                },
            );
        }
        let e = c.verify_email("ana@acme.io").await.unwrap_err();
        assert_eq!(e.code, kind, "{}", e.message);
        assert!(e.message.contains(needle), "{}", e.message);
    }
    // The fake's own checks: a wrong key is its 401.
    let wrong = client(&fake, "ml_test_other", 60_000);
    let e = wrong.verify_email("ana@acme.io").await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Authentication);
}

#[tokio::test]
async fn a_429_waits_retry_after_and_the_retry_reuses_the_idempotency_key() {
    let fake = Fake::start(TEST_KEY).await;
    let c = client(&fake, TEST_KEY, 60_000);
    fake.script(Some("/v1/verify/email"), Script::too_many(1));
    let started = Instant::now();
    let v = c.verify_email("ana@acme.io").await.expect("retried");
    let took = started.elapsed();
    assert_eq!(v.status, "valid");
    assert!(took >= Duration::from_secs(1), "{took:?}");
    assert!(
        took < Duration::from_millis(1600),
        "at most 25 % jitter: {took:?}"
    );
    let sent = fake.requests();
    assert_eq!(
        sent.iter().map(|r| r.status).collect::<Vec<_>>(),
        [429, 200]
    );
    assert_eq!(sent[0].idempotency_key, sent[1].idempotency_key);
    assert_eq!(sent[0].body, sent[1].body);
    assert_eq!(c.requests_sent(), 2);

    // 500, then success: retried with the same key.
    fake.script(None, Script::error(500, "internal"));
    let q = c
        .qualify(
            &leadline::engine::integrations::modernleads::QualifyRequest {
                domain: "acme.io".into(),
                ..Default::default()
            },
        )
        .await
        .expect("retried after a 500");
    assert_eq!(q.fit_label, "high");
    let sent = fake.requests_to("POST", "/v1/qualify");
    assert_eq!(
        sent.iter().map(|r| r.status).collect::<Vec<_>>(),
        [500, 200]
    );
    assert_eq!(sent[0].idempotency_key, sent[1].idempotency_key);

    // A separate call is a new key; the fake replays a repeated key + payload and refuses a
    // repeated key with another payload (checked on the fake itself).
    let http = reqwest::Client::new();
    let key = sent[1].idempotency_key.clone().unwrap();
    let replay = http
        .post(format!("{}/v1/qualify", fake.url))
        .bearer_auth(TEST_KEY)
        .header("Idempotency-Key", &key)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(sent[1].body.as_ref().unwrap()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 200);
    assert_eq!(
        replay
            .headers()
            .get("x-idempotent-replay")
            .map(|v| v.to_str().unwrap()),
        Some("true")
    );
    let mismatch = http
        .post(format!("{}/v1/qualify", fake.url))
        .bearer_auth(TEST_KEY)
        .header("Idempotency-Key", &key)
        .header("content-type", "application/json")
        .body(r#"{"domain":"other.io"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(mismatch.status(), 409);
}

#[tokio::test]
async fn the_limiter_keeps_requests_per_window_within_the_rate() {
    let fake = Fake::start(TEST_KEY).await;
    // 1,200/min = one every 50 ms: a 1 s window holds at most 20.
    let c = client(&fake, TEST_KEY, 1_200);
    let started = Instant::now();
    let calls = (0..40).map(|i| {
        let c = &c;
        async move { c.verify_email(&format!("p{i}@acme.io")).await }
    });
    let answers = futures::future::join_all(calls).await;
    assert!(answers.iter().all(Result::is_ok));
    let took = started.elapsed();
    let peak = fake.max_in_window(Duration::from_secs(1));
    eprintln!("40 calls at 1,200/min: {took:?}, at most {peak} in any 1 s window");
    // Slots are 50 ms apart when they leave; arrival jitter on a loaded machine (one client
    // task stalled, then two sends landing together) can fit up to two more into a window
    // measured at the server. A limiter that fails lets all 40 through at once.
    assert!(peak <= 22, "{peak} requests in one second");
    assert!(took >= Duration::from_millis(39 * 50), "{took:?}");
}

#[tokio::test]
async fn a_fatal_error_midway_keeps_what_was_learned_and_a_rerun_finishes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake::start(TEST_KEY).await;
    let mut s = settings(&fake.url, Some(TEST_KEY), 60_000);
    s.concurrency = 1;
    let engine = engine(dir.path(), s).await;
    let job = job(&engine, 12).await;
    let with_email = engine
        .all_leads(&job)
        .await
        .unwrap()
        .iter()
        .filter_map(email)
        .count();
    fake.script(None, Script::error(402, "insufficient_credits"));
    // The 402 answers the first call; nothing was learned.
    let e = engine
        .enrich(&job, EnrichRequest::new(EnrichProvider::Modernleads), None)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InsufficientCredits);
    assert!(
        e.message
            .contains("top up at https://app.modernleads.io/coins"),
        "{}",
        e.message
    );
    assert!(e.message.contains("0 lead(s)"), "{}", e.message);
    assert_eq!(fake.requests().len(), 1, "nothing sent after a 402");

    // A 401 after some answers: those are kept.
    fake.lock().requests.clear();
    fake.lock().delay = Duration::from_millis(30);
    let answered_before_401 = 3;
    let engine2 = engine.clone();
    let job2 = job.clone();
    let handle = tokio::spawn(async move {
        engine2
            .enrich(&job2, EnrichRequest::new(EnrichProvider::Modernleads), None)
            .await
    });
    // Let three answers through, then revoke the key.
    for _ in 0..500 {
        if fake.requests().len() >= answered_before_401 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    fake.script(None, Script::error(401, "revoked_key"));
    let e = handle.await.unwrap().unwrap_err();
    assert_eq!(e.code, ErrorCode::Authentication, "{}", e.message);
    assert!(e.message.contains(KEY_ENV), "{}", e.message);
    let saved = engine
        .all_leads(&job)
        .await
        .unwrap()
        .iter()
        .filter(|l| l.fields.contains_key("email_status"))
        .count();
    assert!(saved >= answered_before_401, "{saved} saved");
    assert!(
        e.message.contains(&format!("{saved} lead(s)")),
        "{}",
        e.message
    );
    assert!(saved < with_email);

    // The rerun verifies only the rest.
    fake.lock().requests.clear();
    fake.lock().delay = Duration::ZERO;
    let result = engine
        .enrich(&job, EnrichRequest::new(EnrichProvider::Modernleads), None)
        .await
        .expect("rerun");
    assert_eq!(result.leads_updated as usize, with_email - saved);
    assert!(
        engine
            .all_leads(&job)
            .await
            .unwrap()
            .iter()
            .filter(|l| email(l).is_some())
            .all(|l| l.fields.contains_key("email_status"))
    );
}
