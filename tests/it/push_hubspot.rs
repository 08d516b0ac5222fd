//! HubSpot as real portals behave (docs/integrations.md, "HubSpot"), against the loopback fake:
//! non-unique domains, a batch-wide INVALID_EMAIL, results out of order, 207 retries, and the
//! contact–company links.

use crate::common;
use crate::fakes;

use std::collections::HashSet;

use leadline::config::{CompanyMatch, HubSpotConfig, IntegrationsConfig, ProvidersConfig};
use leadline::engine::integrations::{
    IntegrationSettings, ItemKey, ItemOutcome, PushContext, Secrets,
};
use leadline::engine::{Engine, EngineOptions};
use leadline::model::push::{PushMode, PushProvider, PushRequest};
use leadline::model::{JobId, Lead};
use serde_json::Value;

use fakes::{Answer, Fake};

const KEY: &str = "pat-na1-fake-token";

fn settings(url: &str, company_match: CompanyMatch) -> IntegrationSettings {
    let config = IntegrationsConfig {
        hubspot: HubSpotConfig {
            base_url: Some(url.to_string()),
            api_key_env: None,
            company_match,
        },
        ..IntegrationsConfig::default()
    };
    IntegrationSettings::new(config, ProvidersConfig::default())
        .with_secrets(Secrets::fixed([("HUBSPOT_TOKEN", KEY)]))
}

async fn rig(rows: u32) -> (Fake, Engine, JobId, tempfile::TempDir) {
    rig_matching(rows, CompanyMatch::Search).await
}

async fn rig_matching(
    rows: u32,
    company_match: CompanyMatch,
) -> (Fake, Engine, JobId, tempfile::TempDir) {
    let fake = Fake::start(KEY, fakes::hubspot::router).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut integrations = settings(&fake.url, company_match);
    integrations.concurrency = 1;
    let engine = Engine::open(EngineOptions {
        integrations,
        ..EngineOptions::new(dir.path())
    })
    .await
    .expect("engine opens");
    let job = common::finished_job(&engine, rows).await;
    (fake, engine, job, dir)
}

fn both() -> PushRequest {
    PushRequest {
        mode: PushMode::Both,
        allow_test_data: true,
        ..PushRequest::new(PushProvider::Hubspot)
    }
}

fn paths(fake: &Fake) -> Vec<String> {
    fake.requests().into_iter().map(|r| r.path).collect()
}

fn assert_clean(fake: &Fake) {
    assert!(fake.violations().is_empty(), "{:?}", fake.violations());
}

fn with_email(leads: &[Lead]) -> Vec<&Lead> {
    leads
        .iter()
        .filter(|l| l.person.as_ref().and_then(|p| p.email.as_ref()).is_some())
        .collect()
}

#[tokio::test]
async fn a_company_already_in_the_portal_is_updated_by_id_even_when_its_domain_is_not_unique() {
    let (fake, engine, job, _dir) = rig(6).await;
    let leads = engine.all_leads(&job).await.unwrap();
    let domain = leads[0]
        .company
        .domain
        .clone()
        .expect("test leads have domains");
    // Two records with one domain: upserting by domain is refused on such a portal.
    let oldest = fakes::hubspot::seed_company(&fake.state, &domain);
    let _newer = fakes::hubspot::seed_company(&fake.state, &domain);

    let result = engine.push(&job, both(), None).await.expect("push");
    assert_clean(&fake);
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    assert!(
        paths(&fake)
            .iter()
            .all(|p| !p.starts_with("/crm/v3/objects/companies/batch/upsert")),
        "{:?}",
        paths(&fake)
    );
    let update = fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/companies/batch/update"))
        .expect("the known company is updated");
    let inputs = update.json().unwrap()["inputs"].clone();
    assert_eq!(inputs.as_array().unwrap().len(), 1);
    assert_eq!(
        inputs[0]["id"],
        oldest.as_str(),
        "the oldest record of the domain"
    );
    let companies: HashSet<ItemKey> = leads.iter().map(ItemKey::company).collect();
    assert_eq!(result.updated as usize, 1, "{result:?}");
    assert_eq!(
        result.created as usize,
        with_email(&leads).len() + companies.len() - 1
    );
    // Every contact is linked to its company; those of the known one to the oldest record.
    let links = fakes::hubspot::links(&fake.state);
    assert_eq!(links.len(), with_email(&leads).len());
    let stored = fake.stored();
    for lead in with_email(&leads) {
        let email = lead
            .person
            .as_ref()
            .unwrap()
            .email
            .as_ref()
            .unwrap()
            .to_ascii_lowercase();
        let contact = stored[&format!("contacts:{email}")]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (_, company) = links.iter().find(|(c, _)| *c == contact).expect("linked");
        let company_domain = stored[&format!("companies:{company}")]["properties"]["domain"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(Some(company_domain), lead.company.domain.clone());
        if lead.company.domain.as_deref() == Some(domain.as_str()) {
            assert_eq!(*company, oldest);
        }
    }

    // Pushed again with --force: no company is created twice.
    let before = stored
        .keys()
        .filter(|k| k.starts_with("companies:"))
        .count();
    let again = engine
        .push(
            &job,
            PushRequest {
                force: true,
                ..both()
            },
            None,
        )
        .await
        .expect("forced push");
    assert_eq!(again.created, 0, "{again:?}");
    assert_eq!(
        fake.stored()
            .keys()
            .filter(|k| k.starts_with("companies:"))
            .count(),
        before
    );
}

#[tokio::test]
async fn one_invalid_email_is_split_out_and_the_rest_of_the_batch_is_stored() {
    let (fake, engine, job, _dir) = rig(40).await;
    let mut leads = engine.all_leads(&job).await.unwrap();
    leads.retain(|l| l.person.as_ref().and_then(|p| p.email.as_ref()).is_some());
    let bad = 17.min(leads.len() - 1);
    leads[bad].person.as_mut().unwrap().email = Some("ada@@example".into());
    let target = leadline::engine::integrations::target(
        &settings(&fake.url, CompanyMatch::Search),
        PushProvider::Hubspot,
    )
    .unwrap();
    let job_row = engine.get_job(&job).await.unwrap();
    let ctx = PushContext {
        job: &job_row,
        title: "t",
        mode: PushMode::Contacts,
        list_id: None,
        mapping: None,
        sent: &std::collections::HashMap::new(),
    };
    let planned = target.plan(&ctx, &leads).unwrap();
    assert_eq!(planned.units.len(), 1);
    let answer = target.send(&planned.units[0]).await;
    assert!(answer.fatal.is_none());
    assert_clean(&fake);
    let failed: Vec<_> = answer
        .outcomes
        .iter()
        .filter(|(_, o)| matches!(o, ItemOutcome::Failed { .. }))
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, ItemKey::contact(&leads[bad]));
    let ItemOutcome::Failed { code, message } = &failed[0].1 else {
        unreachable!()
    };
    assert_eq!(code, "http_400");
    assert!(message.contains("INVALID_EMAIL"), "{message}");
    let n = leads.len();
    let stored = fake.stored();
    assert_eq!(
        stored.keys().filter(|k| k.starts_with("contacts:")).count(),
        n - 1
    );
    // Halving finds one bad record in about 2·log2(n) requests, not n.
    let upserts = paths(&fake)
        .iter()
        .filter(|p| p.ends_with("/batch/upsert"))
        .count();
    assert!(
        upserts <= 2 * (usize::BITS - n.leading_zeros()) as usize + 1,
        "{upserts} upserts for {n}"
    );
    // Results came back reversed and still every outcome names the right record.
    for (item, outcome) in &answer.outcomes {
        if let ItemOutcome::Created {
            external_id: Some(id),
        } = outcome
        {
            let lead = leads.iter().find(|l| ItemKey::contact(l) == *item).unwrap();
            let email = lead
                .person
                .as_ref()
                .unwrap()
                .email
                .as_ref()
                .unwrap()
                .to_ascii_lowercase();
            assert_eq!(
                stored[&format!("contacts:{email}")]["id"].as_str(),
                Some(id.as_str())
            );
        }
    }
}

#[tokio::test]
async fn after_a_207_the_retry_resends_only_what_failed_even_in_both_mode() {
    let (fake, engine, job, _dir) = rig(8).await;
    // The search answers normally; the company create answers 207 with its first input failed.
    fake.script([Answer::Normal, Answer::Partial]);
    let first = engine.push(&job, both(), None).await.expect("push");
    assert_eq!(first.errors.len(), 1, "{first:?}");
    assert_eq!(first.errors[0].code, "rejected");
    let failed = first.errors[0].item.clone();
    assert!(failed.starts_with("company:"), "{failed}");
    let before = fake.requests().len();

    let second = engine.push(&job, both(), None).await.expect("push again");
    assert!(second.errors.is_empty(), "{second:?}");
    assert_eq!((second.created, second.updated), (1, 0), "{second:?}");
    let resent: Vec<Value> = fake.requests()[before..]
        .iter()
        .filter(|r| r.path.starts_with("/crm/v3/objects/") && r.path.contains("/batch/"))
        .map(|r| r.json().unwrap())
        .collect();
    assert_eq!(
        resent.len(),
        1,
        "only the company create goes again: {resent:?}"
    );
    assert_eq!(resent[0]["inputs"].as_array().unwrap().len(), 1);
    assert_eq!(
        resent[0]["inputs"][0]["objectWriteTraceId"],
        failed.as_str()
    );
    assert!(fake.repeats().is_empty(), "{:?}", fake.repeats());
    // The contacts of the company that failed were stored unlinked by the first push; the
    // retry links them by the ids HubSpot gave them, so now every contact has its company.
    let leads = engine.all_leads(&job).await.unwrap();
    assert_eq!(
        fakes::hubspot::links(&fake.state).len(),
        with_email(&leads).len()
    );
    assert_clean(&fake);
}

#[tokio::test]
async fn upsert_matching_writes_companies_by_domain_on_a_portal_that_made_domain_unique() {
    let (fake, engine, job, _dir) = rig_matching(6, CompanyMatch::Upsert).await;
    fakes::hubspot::unique_domain(&fake.state);
    let leads = engine.all_leads(&job).await.unwrap();
    let domain = leads[0]
        .company
        .domain
        .clone()
        .expect("test leads have domains");
    let known = fakes::hubspot::seed_company(&fake.state, &domain);

    let result = engine.push(&job, both(), None).await.expect("push");
    assert_clean(&fake);
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let paths = paths(&fake);
    // No search and no create/update: one upsert of the companies, keyed by domain.
    assert!(
        paths.iter().all(|p| !p.ends_with("/companies/search")
            && !p.ends_with("/companies/batch/create")
            && !p.ends_with("/companies/batch/update")),
        "{paths:?}"
    );
    let upsert = fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/companies/batch/upsert"))
        .expect("companies are upserted");
    let inputs = upsert.json().unwrap()["inputs"].clone();
    let companies: HashSet<ItemKey> = leads.iter().map(ItemKey::company).collect();
    assert_eq!(inputs.as_array().unwrap().len(), companies.len());
    assert!(
        inputs
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["idProperty"] == "domain" && i["id"] == i["properties"]["domain"]),
        "{inputs}"
    );
    // The company already there is updated in place (its id kept), the others created.
    assert_eq!(result.updated as usize, 1, "{result:?}");
    assert_eq!(
        result.created as usize,
        with_email(&leads).len() + companies.len() - 1
    );
    let stored = fake.stored();
    assert_eq!(
        stored[&format!("companies:{known}")]["properties"]["domain"],
        domain.as_str()
    );
    // Contacts are linked to the companies the upsert answered with.
    let links = fakes::hubspot::links(&fake.state);
    assert_eq!(links.len(), with_email(&leads).len());
    assert!(
        links.iter().any(|(_, company)| *company == known),
        "{links:?}"
    );
}

#[tokio::test]
async fn upsert_matching_on_a_portal_without_a_unique_domain_stops_and_says_to_switch_to_search() {
    let (fake, engine, job, dir) = rig_matching(6, CompanyMatch::Upsert).await;
    let e = engine
        .push(&job, both(), None)
        .await
        .expect_err("the portal refuses upserts by domain");
    assert_eq!(e.code, leadline::model::ErrorCode::Integration, "{e:?}");
    for needed in [
        "non-unique",
        "company_match = \"search\"",
        "[integrations.hubspot]",
        "unique property",
    ] {
        assert!(e.message.contains(needed), "{needed}: {}", e.message);
    }
    // One refused request and nothing after it: no split into halves, no contacts sent.
    let paths = paths(&fake);
    assert_eq!(
        paths,
        vec!["/crm/v3/objects/companies/batch/upsert".to_string()]
    );
    assert!(fake.stored().is_empty());

    // Switched to search (the default), the same job's push goes through on the same portal.
    let searching = HubSpotConfig {
        base_url: Some(fake.url.clone()),
        api_key_env: None,
        company_match: CompanyMatch::Search,
    };
    let settings = IntegrationSettings::new(
        IntegrationsConfig {
            hubspot: searching,
            ..IntegrationsConfig::default()
        },
        ProvidersConfig::default(),
    )
    .with_secrets(Secrets::fixed([("HUBSPOT_TOKEN", KEY)]));
    drop(engine);
    let engine = Engine::open(EngineOptions {
        integrations: settings,
        ..EngineOptions::new(dir.path())
    })
    .await
    .expect("engine reopens");
    let result = engine.push(&job, both(), None).await.expect("push");
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    assert!(result.created > 0, "{result:?}");
    assert_clean(&fake);
}

#[test]
fn company_match_is_read_from_the_config_and_a_wrong_value_is_named() {
    let parsed: IntegrationsConfig =
        toml::from_str("[hubspot]\ncompany_match = \"upsert\"\n").expect("parses");
    assert_eq!(parsed.hubspot.company_match, CompanyMatch::Upsert);
    let default: IntegrationsConfig = toml::from_str("[hubspot]\n").expect("parses");
    assert_eq!(default.hubspot.company_match, CompanyMatch::Search);
    let e = toml::from_str::<IntegrationsConfig>("[hubspot]\ncompany_match = \"domain\"\n")
        .expect_err("unknown value");
    let text = e.to_string();
    assert!(
        text.contains("search") && text.contains("upsert") && text.contains("domain"),
        "{text}"
    );
}
