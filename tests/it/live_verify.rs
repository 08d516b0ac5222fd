//! A live job's `verify` step uses Modern Leads when it is configured: the captured emails are
//! checked against the (loopback) provider, the verdicts become sourced fields, and the job's
//! leads and artifact carry them. Without a key the step says it verified nothing.

use crate::common;
use crate::fake_modernleads;

use std::time::Duration;

use fake_modernleads::Fake;
use leadline::config::{IntegrationsConfig, ProvidersConfig, ServiceConfig};
use leadline::engine::integrations::http::RetryPolicy;
use leadline::engine::integrations::modernleads::Tuning;
use leadline::engine::integrations::{IntegrationSettings, Secrets};
use leadline::engine::{Engine, EngineOptions, Mode};
use leadline::model::requests::{Approve, Attachment, CreateThread, PostMessage};
use leadline::model::{EventKind, Intent, JobStatus, SourceKind};

async fn live_engine(dir: &std::path::Path, fake: Option<&Fake>) -> Engine {
    let mut options = EngineOptions::new(dir);
    options.mode = Mode::Live;
    if let Some(fake) = fake {
        let mut s = IntegrationSettings::new(
            IntegrationsConfig::default(),
            ProvidersConfig {
                modernleads: ServiceConfig {
                    base_url: Some(fake.url.clone()),
                    api_key_env: Some("ML_KEY".into()),
                    ..ServiceConfig::default()
                },
            },
        )
        .with_secrets(Secrets::fixed([("ML_KEY", "ml_live_verify")]));
        s.modernleads = Tuning {
            rate_per_minute: 6000,
            poll_initial: Duration::from_millis(20),
            poll_max: Duration::from_millis(100),
            retry: RetryPolicy {
                backoff: Duration::from_millis(20),
                ..RetryPolicy::default()
            },
            ..Tuning::default()
        };
        options.integrations = s;
    }
    let engine = Engine::open(options).await.unwrap();
    let people = dir.join("people.csv");
    std::fs::write(
        &people,
        "company,domain,name,title,email\n\
         Acme Robotics,acme-robotics.io,Ana Ruiz,CTO,ana@acme-robotics.io\n\
         Globex,globex.com,Gil Bates,Chief Technology Officer,gil@globex.com\n\
         Initech,initech.com,Bill Lumbergh,CTO,bill@initech.com\n",
    )
    .unwrap();
    engine.import_dataset(&people, Some("crm")).await.unwrap();
    engine
}

async fn run(engine: &Engine, dir: &std::path::Path) -> leadline::model::JobId {
    let list = dir.join("accounts.csv");
    std::fs::write(&list, "domain\nacme-robotics.io\nglobex.com\ninitech.com\n").unwrap();
    let thread = engine.create_thread(CreateThread::default()).await.unwrap();
    let posted = engine
        .post_message(
            &thread.id,
            PostMessage {
                content:
                    "For each company in the attached CSV, pull the CTO and verify their emails."
                        .into(),
                attachments: vec![Attachment {
                    kind: "csv".into(),
                    url: format!("file://{}", list.display()),
                }],
                ..PostMessage::default()
            },
        )
        .await
        .unwrap();
    assert!(
        posted.plan.steps.iter().any(|s| s.intent == Intent::Verify),
        "{:?}",
        posted.plan.steps
    );
    engine
        .approve(&posted.job.id, Approve::default())
        .await
        .unwrap();
    common::events_until_end(engine, &posted.job.id).await;
    posted.job.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_verify_step_checks_every_email_with_modern_leads() {
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake::start("ml_live_verify").await;
    fake.lock().invalid_emails.insert("bill@initech.com".into());
    let engine = live_engine(dir.path(), Some(&fake)).await;
    let job = run(&engine, dir.path()).await;
    assert_eq!(
        engine.get_job(&job).await.unwrap().status,
        JobStatus::Succeeded
    );
    assert_eq!(fake.requests_to("POST", "/v1/verify/email").len(), 3);

    let leads = engine.all_leads(&job).await.unwrap();
    assert_eq!(leads.len(), 3);
    for lead in &leads {
        let email = lead.person.as_ref().unwrap().email.clone().unwrap();
        let status = lead.fields.get("email_status").and_then(|v| v.as_str());
        let want = if email == "bill@initech.com" {
            "invalid"
        } else {
            "valid"
        };
        assert_eq!(status, Some(want), "{email}");
        assert!(
            lead.sources_for("fields.email_status")
                .any(|s| s.kind == SourceKind::Provider && s.name.as_deref() == Some("modernleads")),
            "{:#?}",
            lead.sources
        );
    }
    let good = leads
        .iter()
        .find(|l| l.company.domain.as_deref() == Some("globex.com"))
        .unwrap();
    let bad = leads
        .iter()
        .find(|l| l.company.domain.as_deref() == Some("initech.com"))
        .unwrap();
    assert!(
        good.confidence > bad.confidence,
        "{} vs {}",
        good.confidence,
        bad.confidence
    );

    // The artifact is written from the verified leads.
    let exported = String::from_utf8(
        engine
            .export(&job, leadline::model::requests::ExportFormat::Csv)
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(exported.contains("invalid"), "{exported}");
    let log = engine.job_log(&job).await.unwrap();
    assert!(log.iter().any(|e| {
        e.kind == EventKind::Log
            && e.data
                .to_string()
                .contains("Verified 3 email addresses with Modern Leads (1 undeliverable")
    }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_key_the_verify_step_says_nothing_was_verified() {
    let dir = tempfile::tempdir().unwrap();
    let engine = live_engine(dir.path(), None).await;
    let job = run(&engine, dir.path()).await;
    let leads = engine.all_leads(&job).await.unwrap();
    assert_eq!(leads.len(), 3);
    assert!(leads.iter().all(|l| !l.fields.contains_key("email_status")));
    let log = engine.job_log(&job).await.unwrap();
    assert!(log.iter().any(|e| {
        e.data
            .to_string()
            .contains("No verification provider configured")
    }));
}
