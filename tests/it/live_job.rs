//! A live-mode job over imported datasets, end to end through the real engine: only companies
//! whose sourced facts prove the ICP, only people whose titles match the roles, every field
//! traced to the rows that state it, confidence by the documented rule.

use std::sync::Arc;

use async_trait::async_trait;
use leadline::engine::planner::{PlanDraft, PlanRequest, Planner};
use leadline::engine::{Engine, EngineOptions, Mode};
use leadline::model::{Error, Icp, Intent, JobStatus, Lead, SourceKind};

use crate::common::planner::{FixedPlanner, step};

fn data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/live")
        .join(name)
}

async fn live_engine(dir: &std::path::Path, icp: Icp) -> Engine {
    let mut options = EngineOptions::new(dir);
    options.mode = Mode::Live;
    options.planner = Arc::new(FixedPlanner(icp));
    Engine::open(options).await.unwrap()
}

async fn run(engine: &Engine) -> (leadline::model::Job, Vec<Lead>, Vec<String>) {
    let (_, job, events) =
        crate::common::run_to_end(engine, "Fintechs in France, VP Engineering").await;
    let logs = events
        .iter()
        .filter_map(|e| e.data["message"].as_str().map(str::to_string))
        .collect();
    let leads = engine.all_leads(&job.id).await.unwrap();
    (job, leads, logs)
}

fn fintech_fr(roles: &[&str]) -> Icp {
    Icp {
        industries: vec!["fintech".into()],
        countries: vec!["FR".into()],
        roles: roles.iter().map(|r| r.to_string()).collect(),
        max_rows: Some(10),
        ..Icp::default()
    }
}

async fn import_all(engine: &Engine) {
    engine
        .import_dataset(&data("companies.csv"), None)
        .await
        .unwrap();
    engine
        .import_dataset(&data("people.csv"), Some("crm"))
        .await
        .unwrap();
    engine
        .import_dataset(&data("companies.json"), Some("extra"))
        .await
        .unwrap();
}

fn source_urls(lead: &Lead, path: &str) -> Vec<String> {
    let mut urls: Vec<String> = lead
        .sources_for(path)
        .filter_map(|s| s.url.clone())
        .collect();
    urls.sort();
    urls
}

#[expect(
    clippy::too_many_lines,
    reason = "one scenario read top to bottom: the datasets, the job, then every property of its leads"
)]
#[tokio::test]
async fn a_live_job_returns_only_grounded_people_at_companies_that_prove_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let engine = live_engine(dir.path(), fintech_fr(&["VP Engineering"])).await;
    import_all(&engine).await;
    let (job, leads, logs) = run(&engine).await;
    assert_eq!(job.status, JobStatus::Succeeded, "{job:?}");
    assert!(job.livemode);

    // Pennylane and Swan qualify; Alan (insurance), Mystery (no
    // industry stated), Zürich Pay (CH) do not; Eve's row at Qonto had a bad email and was skipped.
    let people: Vec<(String, String)> = leads
        .iter()
        .map(|l| {
            let p = l.person.as_ref().unwrap();
            (p.full_name.clone(), l.company.name.clone())
        })
        .collect();
    assert_eq!(
        people,
        vec![
            ("Ana Lopez".to_string(), "Pennylane".to_string()),
            ("Lea Martin".to_string(), "Swan".to_string())
        ]
    );
    assert!(
        logs.iter().any(|l| l.contains("Found 4 companies")),
        "{logs:?}"
    );

    let ana = &leads[0];
    assert!(ana.livemode);
    assert!(ana.sources.iter().all(|s| s.kind == SourceKind::Dataset));
    assert_eq!(
        ana.person.as_ref().unwrap().email.as_deref(),
        Some("ana@pennylane.com")
    );
    assert_eq!(
        ana.person.as_ref().unwrap().linkedin,
        None,
        "no source, no value"
    );
    assert_eq!(ana.company.linkedin, None);
    // Marc's row (same company, same file) states the company too, but one file is one source:
    // the crm file backs the name once (rows are record numbers).
    assert_eq!(
        source_urls(ana, "company.name"),
        vec!["dataset://companies#row=2", "dataset://crm#row=1"]
    );
    assert_eq!(
        source_urls(ana, "person.email"),
        vec!["dataset://crm#row=1"]
    );
    // Paris (two files) beats Lyon (Marc's row, the crm file alone): the winner keeps only its
    // own sources.
    assert_eq!(ana.company.hq_city.as_deref(), Some("Paris"));
    assert_eq!(
        source_urls(ana, "company.hq_city"),
        vec!["dataset://companies#row=2", "dataset://crm#row=1"]
    );
    assert_eq!(ana.fields["industry"], "fintech");
    assert_eq!(ana.fields["funding_stage"], "series_a");
    assert_eq!(
        ana.fields["technologies"],
        serde_json::json!(["Ruby", "PostgreSQL"])
    );
    // name and domain from two files 1−.4²=.84, city .84×(1−.6/2)=.588, nine single-source
    // fields at .6 with the email twice: (0.84 + 0.84 + 0.588 + 0.6 × 10) / 13 = 0.636 → 0.64.
    assert_eq!(ana.confidence, 0.64);
    for s in &ana.sources {
        assert_eq!(
            s.name.as_deref(),
            Some(if s.url.as_deref().unwrap().contains("crm") {
                "people.csv"
            } else {
                "companies.csv"
            })
        );
        assert!(!s.fields.is_empty());
    }
    // Every value in the lead is backed by at least one source.
    for path in [
        "company.name",
        "company.domain",
        "company.hq_city",
        "company.hq_country",
        "person.full_name",
        "person.title",
        "person.email",
    ] {
        assert!(
            ana.sources_for(path).next().is_some(),
            "{path} has no source"
        );
    }
    for key in ana.fields.keys() {
        assert!(
            ana.sources_for(&format!("fields.{key}")).next().is_some(),
            "{key}"
        );
    }

    // Swan: three datasets agree on its name; the JSON adds its stack.
    let lea = &leads[1];
    assert_eq!(
        source_urls(lea, "company.name"),
        vec![
            "dataset://companies#row=7",
            "dataset://crm#row=4",
            "dataset://extra#row=1"
        ]
    );
    assert_eq!(lea.fields["employees"], 80);
    assert_eq!(
        lea.fields["technologies"],
        serde_json::json!(["Node.js", "AWS"])
    );
    assert_eq!(
        lea.person.as_ref().unwrap().title.as_deref(),
        Some("Vice President, Engineering")
    );
    assert_eq!(lea.confidence, 0.72);
}

#[tokio::test]
async fn company_only_plans_and_strict_filters() {
    let dir = tempfile::tempdir().unwrap();
    let mut icp = fintech_fr(&[]);
    icp.employees.min = Some(50);
    icp.employees.max = Some(1000);
    let engine = live_engine(dir.path(), icp).await;
    import_all(&engine).await;
    let (job, leads, _) = run(&engine).await;
    assert_eq!(job.status, JobStatus::Succeeded);
    // Qonto (1,400) is too big; Pennylane's 51–200 and Société Fintech's 120 fit; Swan's 80 fits.
    let names: Vec<&str> = leads.iter().map(|l| l.company.name.as_str()).collect();
    assert_eq!(names, vec!["Pennylane", "Swan", "Société Fintech"]);
    assert!(leads.iter().all(|l| l.person.is_none()));
    assert_eq!(job.rows_captured, 3);
}

#[tokio::test]
async fn live_mode_without_datasets_fails_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let engine = live_engine(dir.path(), fintech_fr(&[])).await;
    let (job, leads, _) = run(&engine).await;
    assert_eq!(job.status, JobStatus::Failed);
    assert!(leads.is_empty());
    let error = job.error.expect("an error");
    assert!(
        error.message.contains("leadline import"),
        "{}",
        error.message
    );
}

/// What the planner drafts for a message with an attached list: enrich steps, no discovery.
struct EnrichOnlyPlanner(Icp);

#[async_trait]
impl Planner for EnrichOnlyPlanner {
    async fn plan(&self, _r: &PlanRequest) -> Result<PlanDraft, Error> {
        Ok(PlanDraft {
            title: "Enrich".into(),
            icp: self.0.clone(),
            steps: vec![step(1, Intent::Enrich, &[]), step(2, Intent::Verify, &[])],
            credits_estimate: 5,
            notes: vec![],
            not_understood: Vec::new(),
            lang: None,
        })
    }
    async fn replan(&self, _p: &Icp, _f: &str) -> Result<PlanDraft, Error> {
        Err(Error::internal("not used"))
    }
}

#[tokio::test]
async fn an_enrich_only_plan_captures_companies_once_in_live_mode() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = EngineOptions::new(dir.path());
    options.mode = Mode::Live;
    options.planner = Arc::new(EnrichOnlyPlanner(fintech_fr(&[])));
    let engine = Engine::open(options).await.unwrap();
    import_all(&engine).await;
    let (job, leads, logs) = run(&engine).await;
    assert_eq!(job.status, JobStatus::Succeeded, "{job:?}");
    let names: Vec<&str> = leads.iter().map(|l| l.company.name.as_str()).collect();
    assert_eq!(names, vec!["Qonto", "Pennylane", "Swan", "Société Fintech"]);
    assert!(logs.iter().any(|l| l.contains("unverified")), "{logs:?}");
}
