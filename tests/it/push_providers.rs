//! The four HTTP push targets against loopback fakes of their services (tests/it/fakes), driven
//! through the real engine: a test-mode job is run, then pushed.

use crate::common;
use crate::fakes;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use leadline::config::{IntegrationsConfig, ProvidersConfig, ServiceConfig, WebhookConfig};
use leadline::engine::integrations::{IntegrationSettings, PushContext, Secrets};
use leadline::engine::{Engine, EngineOptions};
use leadline::model::push::{PushMode, PushProvider, PushRequest, PushResult};
use leadline::model::{Error, ErrorCode, JobId, Lead};
use serde_json::{Value, json};

use fakes::{Answer, Fake, State};

const KEY: &str = "sk_test_fake_key_123";
const SECRET: &str = "whsec_fake_signing_secret";

fn env_of(provider: PushProvider) -> &'static str {
    match provider {
        PushProvider::Magnetite => "MAGNETITE_API_KEY",
        PushProvider::Autoreach => "AUTOREACH_API_KEY",
        PushProvider::Hubspot => "HUBSPOT_TOKEN",
        PushProvider::Webhook => "LEADLINE_WEBHOOK_SECRET",
        PushProvider::File => unreachable!("file has no fake"),
    }
}

fn router_of(provider: PushProvider) -> fn(Arc<State>) -> Router {
    match provider {
        PushProvider::Magnetite => fakes::magnetite::router,
        PushProvider::Autoreach => fakes::autoreach::router,
        PushProvider::Hubspot => fakes::hubspot::router,
        PushProvider::Webhook => fakes::webhook::router,
        PushProvider::File => unreachable!("file has no fake"),
    }
}

/// The config pointing `provider` at `url`.
fn config(provider: PushProvider, url: &str, workflow: bool) -> IntegrationsConfig {
    let mut c = IntegrationsConfig::default();
    let service = |campaign: Option<&str>, workflow: Option<&str>| ServiceConfig {
        base_url: Some(url.to_string()),
        api_key_env: None,
        campaign_id: campaign.map(str::to_string),
        workflow_id: workflow.map(str::to_string),
    };
    match provider {
        PushProvider::Magnetite => c.magnetite = service(Some(fakes::magnetite::CAMPAIGN), None),
        PushProvider::Autoreach => {
            c.autoreach = service(None, workflow.then_some(fakes::autoreach::WORKFLOW))
        }
        PushProvider::Hubspot => {
            c.hubspot = leadline::config::HubSpotConfig {
                base_url: Some(url.to_string()),
                ..Default::default()
            }
        }
        PushProvider::Webhook => {
            c.webhook = WebhookConfig {
                url: Some(format!("{url}{}", fakes::webhook::PATH)),
                secret_env: None,
            }
        }
        PushProvider::File => {}
    }
    c
}

fn secret_for(provider: PushProvider) -> &'static str {
    if provider == PushProvider::Webhook {
        SECRET
    } else {
        KEY
    }
}

async fn open(
    dir: &std::path::Path,
    config: IntegrationsConfig,
    secrets: Secrets,
    concurrency: usize,
) -> Engine {
    let mut integrations =
        IntegrationSettings::new(config, ProvidersConfig::default()).with_secrets(secrets);
    integrations.concurrency = concurrency;
    Engine::open(EngineOptions {
        integrations,
        ..EngineOptions::new(dir)
    })
    .await
    .expect("engine opens")
}

/// Runs a test-mode job of `rows` leads to the end.
async fn job(engine: &Engine, rows: u32) -> JobId {
    let id = common::finished_job(engine, rows).await;
    let job = engine.get_job(&id).await.expect("job");
    assert_eq!(job.rows_captured, u64::from(rows));
    id
}

/// A fake, an engine configured for it, and a finished job.
struct Rig {
    fake: Fake,
    engine: Engine,
    job: JobId,
    _dir: tempfile::TempDir,
}

impl Rig {
    async fn new(provider: PushProvider, rows: u32, concurrency: usize) -> Rig {
        Self::with(provider, rows, concurrency, false).await
    }

    async fn with(provider: PushProvider, rows: u32, concurrency: usize, workflow: bool) -> Rig {
        let fake = Fake::start(secret_for(provider), router_of(provider)).await;
        let dir = tempfile::tempdir().expect("tempdir");
        let engine = open(
            dir.path(),
            config(provider, &fake.url, workflow),
            Secrets::fixed([(env_of(provider), secret_for(provider))]),
            concurrency,
        )
        .await;
        let job = job(&engine, rows).await;
        Rig {
            fake,
            engine,
            job,
            _dir: dir,
        }
    }

    async fn push(&self, request: PushRequest) -> Result<PushResult, Error> {
        self.engine.push(&self.job, request, None).await
    }

    async fn leads(&self) -> Vec<Lead> {
        self.engine.all_leads(&self.job).await.expect("leads")
    }
}

fn request(provider: PushProvider) -> PushRequest {
    PushRequest {
        allow_test_data: true,
        ..PushRequest::new(provider)
    }
}

fn codes(issues: &[leadline::model::push::PushItemIssue]) -> Vec<&str> {
    issues.iter().map(|i| i.code.as_str()).collect()
}

/// Distinct emails among the leads: what an email-keyed provider can take (test-mode leads
/// sometimes have no email, as live ones do).
fn with_email(leads: &[Lead]) -> usize {
    leads
        .iter()
        .filter_map(|l| l.person.as_ref()?.email.as_deref())
        .filter(|e| e.contains('@'))
        .map(str::to_ascii_lowercase)
        .collect::<std::collections::HashSet<_>>()
        .len()
}

fn assert_clean(fake: &Fake) {
    assert_eq!(
        fake.violations(),
        Vec::<String>::new(),
        "the fake saw malformed requests"
    );
}

// ---------------------------------------------------------------- exact bodies

#[tokio::test]
async fn magnetite_gets_one_post_per_contact_with_the_documented_fields() {
    let rig = Rig::new(PushProvider::Magnetite, 4, 1).await;
    let result = rig
        .push(request(PushProvider::Magnetite))
        .await
        .expect("push");
    assert_eq!((result.created, result.requests_sent), (4, 4), "{result:?}");
    assert_eq!(result.list_id.as_deref(), Some(fakes::magnetite::CAMPAIGN));
    assert_clean(&rig.fake);

    let leads = rig.leads().await;
    let reqs = rig.fake.requests();
    assert_eq!(reqs.len(), 4);
    for r in &reqs {
        assert_eq!(r.path, "/api/campaigns/cmp_42/leads");
        assert_eq!(r.headers["authorization"], format!("Bearer {KEY}").as_str());
        assert!(r.headers.contains_key("idempotency-key"));
    }
    let body = reqs[0].json().expect("json body");
    let lead = leads
        .iter()
        .find(|l| l.person.as_ref().and_then(|p| p.email.as_deref()) == body["email"].as_str())
        .expect("the body is one of the job's leads");
    let person = lead.person.as_ref().expect("person");
    assert_eq!(body["companyName"], lead.company.name.as_str());
    assert_eq!(body["contactName"], person.full_name.as_str());
    assert_eq!(body["title"].as_str(), person.title.as_deref());
    assert_eq!(body["domain"].as_str(), lead.company.domain.as_deref());
    assert_eq!(
        body["companyLinkedInUrl"].as_str(),
        lead.company.linkedin.as_deref()
    );
    assert!(
        body["notes"]
            .as_str()
            .unwrap()
            .contains(&lead.job_id.to_string())
    );
    let company = &body["company"];
    assert_eq!(company["employeeCount"], lead.fields["employees"]);
    assert!(company["employeeCount"].is_u64());
    assert_eq!(company["technologies"], lead.fields["technologies"]);
    assert!(company["description"].is_string());
    assert!(
        company["fundingStage"]
            .as_str()
            .is_some_and(|s| s.chars().next().unwrap().is_uppercase())
    );
    let hiring = &company["signals"]["hiringSignals"];
    assert_eq!(hiring["isHiring"], true);
    assert_eq!(
        hiring["openRoles"].as_u64(),
        lead.fields["hiring_for"].as_array().map(|a| a.len() as u64)
    );
    assert!(
        body["researchData"]["facts"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
    );
    assert_eq!(
        body["customData"],
        json!({"leadSource": "leadline", "leadlineLeadId": lead.id.to_string(),
               "leadlineJobId": lead.job_id.to_string(), "livemode": false})
    );
    assert_eq!(
        body["extraContext"]["leadlineJobId"],
        lead.job_id.to_string()
    );
    // Fields without a value are left out, never sent as null.
    fn no_nulls(v: &Value) -> bool {
        match v {
            Value::Null => false,
            Value::Array(a) => a.iter().all(no_nulls),
            Value::Object(o) => o.values().all(no_nulls),
            _ => true,
        }
    }
    assert!(no_nulls(&body), "{body}");
    assert_eq!(rig.fake.stored().len(), 4);
}

#[tokio::test]
async fn autoreach_creates_leads_one_by_one_or_batches_them_into_a_workflow() {
    let rig = Rig::new(PushProvider::Autoreach, 3, 1).await;
    let result = rig
        .push(request(PushProvider::Autoreach))
        .await
        .expect("push");
    assert_eq!((result.created, result.requests_sent), (3, 3), "{result:?}");
    assert_clean(&rig.fake);
    let reqs = rig.fake.requests();
    assert!(reqs.iter().all(|r| r.path == "/api/leads"));
    let body = reqs[0].json().unwrap();
    assert!(
        body["email"].is_string() && body["firstName"].is_string() && body["lastName"].is_string()
    );
    assert_eq!(body["source"], "leadline");
    assert!(body["employeeCount"].is_u64());

    // With a workflow: batches of 100.
    let rig = Rig::with(PushProvider::Autoreach, 250, 1, true).await;
    let n = with_email(&rig.leads().await);
    assert!(n > 200, "{n}");
    let result = rig
        .push(request(PushProvider::Autoreach))
        .await
        .expect("push");
    assert_eq!(
        (result.created as usize, result.requests_sent),
        (n, 3),
        "{:?}",
        result.errors
    );
    assert_eq!(result.skipped as usize, 250 - n);
    assert!(result.skips.iter().all(|s| s.code == "missing_email"));
    assert_eq!(result.list_id.as_deref(), Some(fakes::autoreach::WORKFLOW));
    assert_clean(&rig.fake);
    let mut sizes: Vec<usize> = rig
        .fake
        .requests()
        .iter()
        .map(|r| r.json().unwrap()["leads"].as_array().unwrap().len())
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, vec![n - 200, 100, 100]);
    assert_eq!(rig.fake.stored().len(), n);
}

#[tokio::test]
async fn hubspot_upserts_contacts_by_email_and_companies_by_domain_in_batches_of_100() {
    let rig = Rig::new(PushProvider::Hubspot, 150, 1).await;
    let result = rig
        .push(PushRequest {
            mode: PushMode::Both,
            ..request(PushProvider::Hubspot)
        })
        .await
        .expect("push");
    assert_clean(&rig.fake);
    let leads = rig.leads().await;
    let companies: std::collections::HashSet<_> = leads
        .iter()
        .map(leadline::engine::integrations::ItemKey::company)
        .collect();
    let n = with_email(&leads);
    assert_eq!(
        result.created as usize,
        n + companies.len(),
        "{:?}",
        result.errors
    );
    let reqs = rig.fake.requests();
    let contacts: Vec<_> = reqs
        .iter()
        .filter(|r| r.path.ends_with("/contacts/batch/upsert"))
        .collect();
    assert!(n > 100);
    assert_eq!(contacts.len(), 2, "{n} contacts = 100 + the rest");
    let input = &contacts[0].json().unwrap()["inputs"][0].clone();
    assert_eq!(input["idProperty"], "email");
    let lead = leads
        .iter()
        .find(|l| l.person.as_ref().and_then(|p| p.email.as_deref()) == input["id"].as_str())
        .expect("the input is one of the job's leads");
    let person = lead.person.as_ref().unwrap();
    let (first, last) = person.full_name.split_once(' ').unwrap();
    assert_eq!(input["properties"]["firstname"], first);
    assert_eq!(input["properties"]["lastname"], last);
    assert_eq!(
        input["properties"]["jobtitle"].as_str(),
        person.title.as_deref()
    );
    assert_eq!(input["properties"]["company"], lead.company.name.as_str());
    let company_input = &reqs
        .iter()
        .find(|r| r.path.ends_with("/companies/batch/create"))
        .unwrap()
        .json()
        .unwrap()["inputs"][0]
        .clone();
    assert!(company_input["properties"]["domain"].is_string());
    assert!(company_input.get("idProperty").is_none());
    assert!(
        reqs.iter()
            .all(|r| !r.path.ends_with("/batch/upsert") || r.path.contains("/contacts/")),
        "companies are never upserted by domain"
    );
    assert_eq!(
        fakes::hubspot::links(&rig.fake.state).len(),
        n,
        "each contact linked to its company"
    );
    assert!(company_input["properties"]["numberofemployees"].is_string());

    // Again with --force: the same records, now updates (HubSpot answers `new: false`).
    let again = rig
        .push(PushRequest {
            mode: PushMode::Both,
            force: true,
            ..request(PushProvider::Hubspot)
        })
        .await
        .expect("forced push");
    assert_eq!(
        (again.created, again.updated as usize),
        (0, n + companies.len())
    );
}

#[tokio::test]
async fn the_webhook_is_signed_like_the_reference_and_carries_the_leads() {
    let rig = Rig::new(PushProvider::Webhook, 5, 1).await;
    let result = rig
        .push(request(PushProvider::Webhook))
        .await
        .expect("push");
    assert_eq!((result.created, result.requests_sent), (5, 1), "{result:?}");
    assert_clean(&rig.fake);
    let r = &rig.fake.requests()[0];
    // The fake already verified the signature the Node way; check it again by hand.
    fakes::webhook::verify(&r.headers, &r.body, SECRET).expect("valid signature");
    assert!(fakes::webhook::verify(&r.headers, &r.body, "another secret").is_err());
    let event = r.json().unwrap();
    // The reference's envelope: an evt_ id, a type from its catalogue, the payload in data.object.
    assert_eq!(event["type"], "leads.delivered");
    assert_eq!(r.headers["leadex-event"], "leads.delivered");
    let id = event["id"].as_str().unwrap();
    assert!(id.starts_with("evt_"), "{id}");
    assert_eq!(
        r.headers["leadex-delivery"],
        id.replacen("evt_", "dlv_", 1).as_str()
    );
    let object = &event["data"]["object"];
    assert_eq!(object["object"], "lead_delivery");
    assert_eq!(object["job_id"], rig.job.to_string());
    assert_eq!(object["mode"], "contacts");
    let leads = rig.leads().await;
    let sent: Vec<Lead> = serde_json::from_value(object["leads"].clone()).expect("lead objects");
    assert_eq!(sent, leads, "the canonical lead objects, in order");

    // Companies mode carries company objects.
    let result = rig
        .push(PushRequest {
            mode: PushMode::Companies,
            ..request(PushProvider::Webhook)
        })
        .await
        .expect("push companies");
    assert!(result.created >= 1);
    let event = rig.fake.requests()[1].json().unwrap();
    assert!(event["data"]["object"].get("leads").is_none());
    let company = &event["data"]["object"]["companies"][0];
    assert_eq!(company["object"], "company");
    assert!(company["id"].as_str().unwrap().starts_with("company:"));
    assert!(company["name"].is_string());
}

// ---------------------------------------------------------------- scripted answers

/// Pushes `rows` leads with concurrency 1 after scripting the fake's first answers.
async fn scripted(
    provider: PushProvider,
    rows: u32,
    answers: &[Answer],
) -> (Rig, Result<PushResult, Error>, Duration) {
    let rig = Rig::new(provider, rows, 1).await;
    rig.fake.script(answers.iter().copied());
    let started = Instant::now();
    let result = rig.push(request(provider)).await;
    (rig, result, started.elapsed())
}

const ALL: [PushProvider; 4] = [
    PushProvider::Magnetite,
    PushProvider::Autoreach,
    PushProvider::Hubspot,
    PushProvider::Webhook,
];

/// Requests one push of 3 leads makes when all goes well (batching providers send one).
fn units_for_3(provider: PushProvider) -> usize {
    match provider {
        PushProvider::Magnetite | PushProvider::Autoreach => 3,
        _ => 1,
    }
}

/// Requests one unit makes when all goes well: HubSpot looks the contacts' companies up first
/// (an empty portal has none, so there is nothing to link).
fn requests_per_unit(provider: PushProvider) -> usize {
    if provider == PushProvider::Hubspot {
        2
    } else {
        1
    }
}

#[tokio::test]
async fn a_400_fails_the_items_with_the_providers_message_made_safe() {
    for provider in ALL {
        let (rig, result, _) = scripted(provider, 3, &[Answer::Status(400)]).await;
        let result = result.expect("a 400 is not fatal");
        let failed = if units_for_3(provider) == 3 { 1 } else { 3 };
        assert_eq!(result.errors.len(), failed, "{provider}: {result:?}");
        assert_eq!(result.created as usize, 3 - failed, "{provider}");
        let e = &result.errors[0];
        assert_eq!(e.code, "http_400", "{provider}");
        assert!(
            e.message.contains("Field `email` is not a valid address"),
            "{provider}: {}",
            e.message
        );
        assert_clean(&rig.fake);
        // Failed items are sent again by the next push, and only they.
        let before = rig.fake.request_count();
        let again = rig.push(request(provider)).await.expect("retry push");
        assert_eq!(again.created as usize, failed, "{provider}: {again:?}");
        assert_eq!(
            rig.fake.request_count() - before,
            requests_per_unit(provider),
            "{provider}: only the failed request goes again"
        );
    }
}

#[tokio::test]
async fn a_401_or_403_stops_the_push_and_names_the_variable_never_the_key() {
    for provider in ALL {
        for (status, code) in [
            (401, ErrorCode::Authentication),
            (403, ErrorCode::Permission),
        ] {
            let (rig, result, _) = scripted(provider, 3, &[Answer::Status(status)]).await;
            let e = result.expect_err("fatal");
            assert_eq!(e.code, code, "{provider} {status}");
            assert!(
                e.message.contains(env_of(provider)),
                "{provider}: {}",
                e.message
            );
            assert!(
                !e.message.contains(secret_for(provider)),
                "{provider}: the secret leaked"
            );
            assert_eq!(
                rig.fake.request_count(),
                1,
                "{provider}: nothing is sent after a {status}"
            );
            assert_clean(&rig.fake);
        }
    }
}

#[tokio::test]
async fn a_receiver_with_another_secret_rejects_the_signature() {
    let fake = Fake::start("the receiver's secret", fakes::webhook::router).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = open(
        dir.path(),
        config(PushProvider::Webhook, &fake.url, false),
        Secrets::fixed([("LEADLINE_WEBHOOK_SECRET", SECRET)]),
        1,
    )
    .await;
    let job = job(&engine, 2).await;
    let e = engine
        .push(&job, request(PushProvider::Webhook), None)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Authentication);
    assert!(e.message.contains("signature mismatch"), "{}", e.message);
    assert!(
        e.message.contains("LEADLINE_WEBHOOK_SECRET"),
        "{}",
        e.message
    );
    assert!(!e.message.contains(SECRET));
    assert!(fake.stored().is_empty());
}

#[tokio::test]
async fn a_402_stops_the_push_with_a_top_up_hint() {
    for provider in [PushProvider::Magnetite, PushProvider::Autoreach] {
        let (rig, result, _) = scripted(provider, 3, &[Answer::Status(402)]).await;
        let e = result.expect_err("fatal");
        assert_eq!(e.code, ErrorCode::InsufficientCredits);
        assert!(
            e.message.contains("credits") && e.message.contains("push again"),
            "{}",
            e.message
        );
        assert_eq!(rig.fake.request_count(), 1);
    }
}

#[tokio::test]
async fn a_429_waits_retry_after_then_succeeds() {
    for provider in ALL {
        let (rig, result, elapsed) = scripted(provider, 3, &[Answer::TooMany(1)]).await;
        let result = result.expect("push");
        assert_eq!(result.created, 3, "{provider}: {result:?}");
        assert!(result.errors.is_empty());
        assert!(
            elapsed >= Duration::from_secs(1),
            "{provider}: waited only {elapsed:?}"
        );
        assert_eq!(
            rig.fake.request_count(),
            units_for_3(provider) * requests_per_unit(provider) + 1,
            "{provider}"
        );
        assert_clean(&rig.fake);
    }
}

#[tokio::test]
async fn autoreach_gives_up_after_three_429s_doubling_the_wait() {
    let (rig, result, elapsed) = scripted(
        PushProvider::Autoreach,
        1,
        &[Answer::TooMany(1), Answer::TooMany(1), Answer::TooMany(1)],
    )
    .await;
    let result = result.expect("not fatal");
    assert_eq!(codes(&result.errors), vec!["rate_limited"]);
    assert!(result.errors[0].message.contains("push again"));
    assert_eq!(rig.fake.request_count(), 3, "at most 3 attempts");
    // 1 s, then doubled to 2 s.
    assert!(elapsed >= Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn a_5xx_is_retried_three_times_then_reported() {
    for provider in [PushProvider::Hubspot, PushProvider::Webhook] {
        let (rig, result, _) = scripted(provider, 3, &[Answer::Status(500); 3]).await;
        let result = result.expect("not fatal");
        assert_eq!(codes(&result.errors), vec!["http_5xx"; 3], "{provider}");
        assert_eq!(rig.fake.request_count(), 3);
    }
    // Recovering on the second try is a success.
    let (rig, result, _) = scripted(PushProvider::Magnetite, 1, &[Answer::Status(503)]).await;
    assert_eq!(result.expect("push").created, 1);
    assert_eq!(rig.fake.request_count(), 2);
}

#[tokio::test]
async fn a_2xx_with_a_malformed_body_is_a_failure_naming_the_provider() {
    for (provider, name) in [
        (PushProvider::Magnetite, "Magnetite"),
        (PushProvider::Autoreach, "AutoReach"),
        (PushProvider::Hubspot, "HubSpot"),
    ] {
        let (_rig, result, _) = scripted(provider, 3, &[Answer::Malformed]).await;
        let result = result.expect("not fatal");
        assert_eq!(result.errors[0].code, "malformed_response", "{provider}");
        assert!(
            result.errors[0]
                .message
                .contains(&format!("{name} answered 200")),
            "{}",
            result.errors[0].message
        );
    }
    // A webhook receiver's body means nothing: any 2xx took the delivery.
    let (_rig, result, _) = scripted(PushProvider::Webhook, 3, &[Answer::Malformed]).await;
    assert_eq!(result.expect("push").created, 3);
}

#[tokio::test]
async fn hubspot_207_fails_only_the_inputs_it_names() {
    // The search for the contacts' companies goes first; the upsert answers 207.
    let (rig, result, _) =
        scripted(PushProvider::Hubspot, 3, &[Answer::Normal, Answer::Partial]).await;
    let result = result.expect("push");
    assert_eq!(
        (result.created, codes(&result.errors)),
        (2, vec!["rejected"]),
        "{result:?}"
    );
    assert!(
        result.errors[0]
            .message
            .contains("Property values were not valid")
    );
    assert_eq!(rig.fake.stored().len(), 2);
}

#[tokio::test]
async fn a_batch_with_one_rejected_lead_resends_only_that_lead() {
    let rig = Rig::with(PushProvider::Autoreach, 30, 1, true).await;
    let n = with_email(&rig.leads().await);
    rig.fake.script([Answer::Partial]);
    let first = rig
        .push(request(PushProvider::Autoreach))
        .await
        .expect("push");
    assert_eq!(codes(&first.errors), vec!["rejected"]);
    assert!(
        first.errors[0]
            .message
            .contains("Email domain does not accept mail")
    );
    assert_eq!(first.created as usize, n - 1);

    let second = rig
        .push(request(PushProvider::Autoreach))
        .await
        .expect("push again");
    assert_eq!((second.created, second.requests_sent), (1, 1), "{second:?}");
    let last = rig.fake.requests().pop().unwrap().json().unwrap();
    assert_eq!(
        last["leads"].as_array().unwrap().len(),
        1,
        "only the rejected lead goes again"
    );
    assert_eq!(
        second
            .skips
            .iter()
            .filter(|s| s.code == "already_pushed")
            .count(),
        n - 1
    );
    assert!(rig.fake.repeats().is_empty(), "{:?}", rig.fake.repeats());
    assert_eq!(rig.fake.stored().len(), n);
    assert_clean(&rig.fake);
}

#[tokio::test]
async fn an_unreachable_provider_is_reported_per_item() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let engine = open(
        dir.path(),
        config(
            PushProvider::Magnetite,
            &format!("http://127.0.0.1:{port}"),
            false,
        ),
        Secrets::fixed([("MAGNETITE_API_KEY", KEY)]),
        1,
    )
    .await;
    let job = job(&engine, 1).await;
    let result = engine
        .push(&job, request(PushProvider::Magnetite), None)
        .await
        .expect("not fatal");
    assert_eq!(codes(&result.errors), vec!["unreachable"]);
    assert!(
        result.errors[0].message.contains("base_url"),
        "{}",
        result.errors[0].message
    );
}

// ---------------------------------------------------------------- configuration

#[tokio::test]
async fn missing_configuration_names_exactly_what_to_set() {
    let settings =
        IntegrationSettings::new(IntegrationsConfig::default(), ProvidersConfig::default())
            .with_secrets(Secrets::fixed([("UNRELATED", "x")]));
    let target = |p| {
        leadline::engine::integrations::target(&settings, p)
            .err()
            .expect("not configured")
    };
    for (provider, needle) in [
        (
            PushProvider::Magnetite,
            "set the environment variable MAGNETITE_API_KEY",
        ),
        (
            PushProvider::Autoreach,
            "set the environment variable AUTOREACH_API_KEY",
        ),
        (
            PushProvider::Hubspot,
            "set the environment variable HUBSPOT_TOKEN",
        ),
        (
            PushProvider::Webhook,
            "set url under [integrations.webhook]",
        ),
    ] {
        let e = target(provider);
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        assert!(e.message.contains(needle), "{provider}: {}", e.message);
    }
    assert!(
        target(PushProvider::Webhook)
            .message
            .contains("LEADLINE_WEBHOOK_SECRET")
    );

    // A configured env name is the one named; the url alone is not enough for the webhook.
    let mut config = IntegrationsConfig::default();
    config.hubspot.api_key_env = Some("MY_HS".into());
    config.webhook.url = Some("https://example.com/h?token=abc".into());
    let settings = IntegrationSettings::new(config, ProvidersConfig::default())
        .with_secrets(Secrets::fixed([("X", "y")]));
    let e = leadline::engine::integrations::target(&settings, PushProvider::Hubspot)
        .err()
        .unwrap();
    assert!(e.message.contains("MY_HS"), "{}", e.message);
    let e = leadline::engine::integrations::target(&settings, PushProvider::Webhook)
        .err()
        .unwrap();
    assert!(
        e.message.contains("LEADLINE_WEBHOOK_SECRET") && !e.message.contains("token=abc"),
        "{}",
        e.message
    );
}

#[tokio::test]
async fn magnetite_needs_a_campaign_and_takes_only_contacts() {
    let fake = Fake::start(KEY, fakes::magnetite::router).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(PushProvider::Magnetite, &fake.url, false);
    config.magnetite.campaign_id = None;
    let engine = open(
        dir.path(),
        config,
        Secrets::fixed([("MAGNETITE_API_KEY", KEY)]),
        1,
    )
    .await;
    let job = job(&engine, 2).await;
    let e = engine
        .push(&job, request(PushProvider::Magnetite), None)
        .await
        .unwrap_err();
    assert!(
        e.message.contains("campaign_id") && e.message.contains("[integrations.magnetite]"),
        "{}",
        e.message
    );
    // The request's list_id stands in for the configured campaign.
    let ok = engine
        .push(
            &job,
            PushRequest {
                list_id: Some(fakes::magnetite::CAMPAIGN.into()),
                ..request(PushProvider::Magnetite)
            },
            None,
        )
        .await
        .expect("push");
    assert_eq!(ok.created, 2);
    let e = engine
        .push(
            &job,
            PushRequest {
                mode: PushMode::Companies,
                list_id: Some(fakes::magnetite::CAMPAIGN.into()),
                ..request(PushProvider::Magnetite)
            },
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert!(
        e.message.contains("Magnetite takes contacts"),
        "{}",
        e.message
    );
    assert_eq!(fake.request_count(), 2);
}

#[tokio::test]
async fn leads_without_what_a_provider_requires_are_skipped_with_a_reason() {
    let rig = Rig::new(PushProvider::Hubspot, 4, 1).await;
    let job = rig.engine.get_job(&rig.job).await.unwrap();
    let mut leads = rig.leads().await;
    leads[0].person.as_mut().unwrap().email = None;
    leads[1].company.domain = None;
    let mut settings_config = IntegrationsConfig::default();
    settings_config.magnetite.campaign_id = Some("c".into());
    let settings = IntegrationSettings::new(settings_config, ProvidersConfig::default())
        .with_secrets(Secrets::fixed([
            ("MAGNETITE_API_KEY", KEY),
            ("AUTOREACH_API_KEY", KEY),
            ("HUBSPOT_TOKEN", KEY),
        ]));
    for (provider, mode, skipped, code) in [
        (
            PushProvider::Magnetite,
            PushMode::Contacts,
            "lead",
            "missing_email",
        ),
        (
            PushProvider::Autoreach,
            PushMode::Contacts,
            "lead",
            "missing_email",
        ),
        (
            PushProvider::Hubspot,
            PushMode::Contacts,
            "lead",
            "missing_email",
        ),
        (
            PushProvider::Hubspot,
            PushMode::Companies,
            "company:",
            "missing_domain",
        ),
    ] {
        let target = leadline::engine::integrations::target(&settings, provider).unwrap();
        let ctx = PushContext {
            job: &job,
            title: "t",
            mode,
            list_id: None,
            mapping: None,
            sent: &std::collections::HashMap::new(),
        };
        let planned = target.plan(&ctx, &leads).unwrap();
        assert_eq!(planned.skipped.len(), 1, "{provider} {mode}");
        let (item, c, message) = &planned.skipped[0];
        assert!(item.0.starts_with(skipped), "{provider}: {item:?}");
        assert_eq!(c, code);
        assert!(!message.is_empty());
        let planned_items: usize = planned.units.iter().map(|u| u.items.len()).sum();
        assert_eq!(
            planned_items + 1,
            if mode == PushMode::Companies {
                leads
                    .iter()
                    .map(leadline::engine::integrations::ItemKey::company)
                    .collect::<std::collections::HashSet<_>>()
                    .len()
            } else {
                4
            }
        );
    }
    // The mapping can fill the gap from another field.
    let mut mapping = serde_json::Map::new();
    mapping.insert("email".into(), json!("lead.fields.work_email"));
    leads[0]
        .fields
        .insert("work_email".into(), json!("found@example.com"));
    let target =
        leadline::engine::integrations::target(&settings, PushProvider::Magnetite).unwrap();
    let ctx = PushContext {
        job: &job,
        title: "t",
        mode: PushMode::Contacts,
        list_id: None,
        mapping: Some(&mapping),
        sent: &std::collections::HashMap::new(),
    };
    let planned = target.plan(&ctx, &leads).unwrap();
    assert!(planned.skipped.is_empty());
    assert_eq!(planned.units[0].request.body["email"], "found@example.com");
}

// ---------------------------------------------------------------- the engine around them

#[tokio::test]
async fn test_mode_leads_are_refused_unless_allowed() {
    let rig = Rig::new(PushProvider::Hubspot, 2, 1).await;
    let e = rig
        .push(PushRequest::new(PushProvider::Hubspot))
        .await
        .unwrap_err();
    assert_eq!(e.param.as_deref(), Some("allow_test_data"));
    assert_eq!(rig.fake.request_count(), 0);
}

#[tokio::test]
async fn a_second_push_sends_nothing_and_force_sends_again() {
    let rig = Rig::new(PushProvider::Magnetite, 3, 4).await;
    let first = rig.push(request(PushProvider::Magnetite)).await.unwrap();
    assert_eq!(first.created, 3);
    let second = rig.push(request(PushProvider::Magnetite)).await.unwrap();
    assert_eq!(
        (second.requests_sent, second.created, second.skipped),
        (0, 0, 3)
    );
    assert_eq!(codes(&second.skips), vec!["already_pushed"; 3]);
    assert_eq!(second.push_id, first.push_id);
    assert_eq!(rig.fake.request_count(), 3);
    // Forced: sent again; Magnetite already has every email, and says so.
    let forced = rig
        .push(PushRequest {
            force: true,
            ..request(PushProvider::Magnetite)
        })
        .await
        .unwrap();
    assert_eq!(forced.requests_sent, 3);
    assert_eq!(codes(&forced.skips), vec!["duplicate"; 3]);
    assert_eq!(rig.fake.request_count(), 6);
    assert_eq!(
        rig.fake.repeats().len(),
        3,
        "the double send is visible at the fake"
    );
}

#[tokio::test]
async fn a_dry_run_sends_nothing_and_shows_exactly_what_a_push_sends() {
    for provider in ALL {
        let rig = Rig::new(provider, 3, 1).await;
        let dry = rig
            .push(PushRequest {
                dry_run: true,
                ..request(provider)
            })
            .await
            .unwrap();
        assert!(dry.dry_run);
        assert_eq!(rig.fake.request_count(), 0, "{provider}");
        if provider == PushProvider::Hubspot {
            // Search, upsert, link: the link is only sent once a company is known.
            let paths: Vec<&str> = dry
                .planned
                .iter()
                .map(|p| &p.url[rig.fake.url.len()..])
                .collect();
            assert_eq!(
                paths,
                [
                    "/crm/v3/objects/companies/search",
                    "/crm/v3/objects/contacts/batch/upsert",
                    "/crm/v4/associations/contacts/companies/batch/associate/default"
                ]
            );
        } else {
            assert_eq!(dry.planned.len(), units_for_3(provider));
        }
        rig.push(request(provider)).await.unwrap();
        let mut sent: Vec<Value> = rig
            .fake
            .requests()
            .into_iter()
            .map(|r| r.json().unwrap())
            .collect();
        let mut planned: Vec<Value> = dry
            .planned
            .iter()
            .filter(|p| !p.url.ends_with("/associate/default"))
            .map(|p| p.body.clone())
            .collect();
        if provider == PushProvider::Webhook {
            // Stamped when planned; the rest is identical (delivery ids included).
            for v in sent.iter_mut().chain(planned.iter_mut()) {
                v["created_at"] = Value::Null;
            }
        }
        let key = |v: &Value| v.to_string();
        sent.sort_by_key(key);
        planned.sort_by_key(key);
        assert_eq!(sent, planned, "{provider}");
        assert!(
            dry.planned
                .iter()
                .all(|p| p.method == "POST" && p.url.starts_with(&rig.fake.url))
        );
    }
}

#[tokio::test]
async fn a_push_stopped_by_a_401_resumes_without_duplicates() {
    let rig = Rig::new(PushProvider::Magnetite, 12, 4).await;
    rig.fake.script([Answer::Normal; 5]);
    rig.fake.set_default(Answer::Status(401));
    let e = rig
        .push(request(PushProvider::Magnetite))
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Authentication);
    assert!(
        e.message.contains("5 item(s) had been pushed"),
        "{}",
        e.message
    );
    assert_eq!(rig.fake.stored().len(), 5);
    assert!(rig.fake.request_count() < 12, "the push stopped early");

    rig.fake.set_default(Answer::Normal);
    let resumed = rig
        .push(request(PushProvider::Magnetite))
        .await
        .expect("resumed");
    assert_eq!(resumed.created, 7, "{resumed:?}");
    assert_eq!(codes(&resumed.skips), vec!["already_pushed"; 5]);
    assert_eq!(rig.fake.stored().len(), 12);
    assert!(
        rig.fake.repeats().is_empty(),
        "no lead was sent twice: {:?}",
        rig.fake.repeats()
    );
    assert_clean(&rig.fake);
}

// ---------------------------------------------------------------- 10,000 leads

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_leads_arrive_exactly_once_with_bounded_concurrency() {
    let started = Instant::now();
    let webhook = Fake::start(SECRET, fakes::webhook::router).await;
    let hubspot = Fake::start(KEY, fakes::hubspot::router).await;
    for f in [&webhook, &hubspot] {
        f.hold_requests(Duration::from_millis(5));
    }
    let mut config = config(PushProvider::Webhook, &webhook.url, false);
    config.hubspot = self::config(PushProvider::Hubspot, &hubspot.url, false).hubspot;
    let dir = tempfile::tempdir().unwrap();
    let engine = open(
        dir.path(),
        config,
        Secrets::fixed([("LEADLINE_WEBHOOK_SECRET", SECRET), ("HUBSPOT_TOKEN", KEY)]),
        4,
    )
    .await;
    let job = job(&engine, 10_000).await;
    let ran = started.elapsed();

    let t = Instant::now();
    let result = engine
        .push(&job, request(PushProvider::Webhook), None)
        .await
        .expect("webhook push");
    let webhook_time = t.elapsed();
    assert_eq!(result.created, 10_000);
    assert_clean(&webhook);
    let mut ids = fakes::webhook::received_items(&webhook.stored());
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!((n, ids.len()), (10_000, 10_000), "every lead exactly once");
    assert!(webhook.repeats().is_empty());
    assert!(
        webhook
            .requests()
            .iter()
            .all(|r| r.body.len() <= 256 * 1024)
    );
    assert!(
        webhook.peak_in_flight() <= 4,
        "peak {}",
        webhook.peak_in_flight()
    );

    let t = Instant::now();
    let result = engine
        .push(&job, request(PushProvider::Hubspot), None)
        .await
        .expect("hubspot push");
    let hubspot_time = t.elapsed();
    let n = with_email(&engine.all_leads(&job).await.unwrap());
    assert_eq!(result.created as usize, n, "{:?}", result.errors.first());
    assert_eq!(result.created + result.skipped, 10_000);
    assert_clean(&hubspot);
    assert_eq!(hubspot.stored().len(), n, "every contact exactly once");
    assert!(hubspot.repeats().is_empty());
    let upserts = hubspot
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/batch/upsert"))
        .count();
    assert_eq!(upserts, n.div_ceil(100));
    assert!(
        hubspot.peak_in_flight() <= 4,
        "peak {}",
        hubspot.peak_in_flight()
    );
    assert!(hubspot.peak_in_flight() >= 2, "requests did overlap");
    // Peak RSS of the whole test process (fakes included): meaningful when run alone.
    let hwm = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .unwrap_or_default();
    eprintln!(
        "{hwm}; 10,000 leads: job {ran:?}; webhook {} requests in {webhook_time:?} (peak in flight {}); hubspot {} requests in {hubspot_time:?} (peak in flight {})",
        webhook.request_count(),
        webhook.peak_in_flight(),
        hubspot.request_count(),
        hubspot.peak_in_flight()
    );
}
