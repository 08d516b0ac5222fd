//! Message attachments (reference: "Enrich a list of domains"): a CSV or URL list attached to a
//! prompt makes the plan enrich those companies instead of discovering new ones — in test mode
//! (generated people at the listed companies) and in live mode (whatever the datasets and the
//! list itself prove about them).

use crate::common;

use leadline::engine::attachments::Access;
use leadline::engine::{Engine, EngineOptions, Mode};
use leadline::model::requests::{Approve, Attachment, CreateThread, PostMessage, PostedMessage};
use leadline::model::{ErrorCode, Intent, JobStatus, Lead, SourceKind};

const PROMPT: &str = "For each company in the attached CSV, pull the CTO and the VP of Sales.";

fn attachment(kind: &str, url: String) -> Attachment {
    Attachment {
        kind: kind.into(),
        url,
    }
}

async fn post_with(
    engine: &Engine,
    prompt: &str,
    attachments: Vec<Attachment>,
) -> Result<PostedMessage, leadline::model::Error> {
    let thread = engine.create_thread(CreateThread::default()).await.unwrap();
    engine
        .post_message(
            &thread.id,
            PostMessage {
                content: prompt.into(),
                attachments,
                ..PostMessage::default()
            },
        )
        .await
}

async fn run(engine: &Engine, posted: &PostedMessage) -> Vec<Lead> {
    engine
        .approve(&posted.job.id, Approve::default())
        .await
        .unwrap();
    common::events_until_end(engine, &posted.job.id).await;
    let job = engine.get_job(&posted.job.id).await.unwrap();
    assert_eq!(job.status, JobStatus::Succeeded, "{job:?}");
    engine.all_leads(&posted.job.id).await.unwrap()
}

fn seeds_csv(dir: &std::path::Path) -> String {
    let path = dir.join("seeds.csv");
    // A CRM export: BOM, semicolons, a duplicate company, a company without a domain.
    std::fs::write(
        &path,
        "\u{feff}Company;Website\nAcme Robotics;https://www.acme-robotics.io/\nGlobex;globex.com\nacme robotics;acme-robotics.io\nInitech;\n",
    )
    .unwrap();
    format!("file://{}", path.display())
}

fn domains(leads: &[Lead]) -> Vec<String> {
    let mut d: Vec<String> = leads
        .iter()
        .map(|l| l.company.domain.clone().unwrap_or_default())
        .collect();
    d.sort();
    d.dedup();
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_seed_list_is_enriched_not_discovered_and_survives_a_replan() {
    let dir = tempfile::tempdir().unwrap();
    let engine = common::engine(dir.path(), 0).await;
    let posted = post_with(
        &engine,
        PROMPT,
        vec![attachment("csv", seeds_csv(dir.path()))],
    )
    .await
    .unwrap();
    assert!(
        posted
            .plan
            .steps
            .iter()
            .all(|s| s.intent != Intent::Discover),
        "{:?}",
        posted.plan.steps
    );
    assert_eq!(posted.plan.steps[0].intent, Intent::Enrich);
    let leads = run(&engine, &posted).await;
    // Three companies (the duplicate folded), two roles each.
    assert_eq!(
        leads.len(),
        6,
        "{:#?}",
        leads.iter().map(|l| &l.company).collect::<Vec<_>>()
    );
    let names: std::collections::BTreeSet<_> =
        leads.iter().map(|l| l.company.name.as_str()).collect();
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["Acme Robotics", "Globex", "Initech"]
    );
    assert!(domains(&leads).contains(&"acme-robotics.io".to_string()));
    assert!(domains(&leads).contains(&"globex.com".to_string()));
    for l in leads.iter().filter(|l| l.company.name == "Globex") {
        let email = l
            .person
            .as_ref()
            .and_then(|p| p.email.clone())
            .unwrap_or_default();
        assert!(
            email.is_empty() || email.ends_with("@globex.com"),
            "{email}"
        );
    }

    // Replanning keeps the list: still only these companies.
    let replanned = engine
        .replan(&posted.plan.id, "only the CTO")
        .await
        .unwrap();
    let leads = run(&engine, &replanned).await;
    assert_eq!(leads.len(), 3);
    assert_eq!(domains(&leads).len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_url_list_is_fetched_over_http() {
    use axum::routing::get;
    let app = axum::Router::new().route(
        "/lists/accounts.txt",
        get(|| async { "https://stripe.com/\nlinear.app\n\nnot a domain\n" }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    let engine = common::engine(dir.path(), 0).await;
    let url = format!("http://{addr}/lists/accounts.txt");
    let posted = post_with(
        &engine,
        "Pull the CTO of each of these companies",
        vec![attachment("url_list", url)],
    )
    .await
    .unwrap();
    let leads = run(&engine, &posted).await;
    assert_eq!(domains(&leads), ["linear.app", "stripe.com"]);
    assert!(leads.iter().any(|l| l.company.name == "Stripe"));

    let missing = format!("http://{addr}/lists/missing.txt");
    let e = post_with(&engine, PROMPT, vec![attachment("csv", missing)])
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidRequest);
    assert!(e.message.contains("404"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_attachments_are_refused_before_anything_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let engine = common::engine(dir.path(), 0).await;
    let thread = engine.create_thread(CreateThread::default()).await.unwrap();
    let no_company = dir.path().join("scores.csv");
    std::fs::write(&no_company, "score,notes\n1,hello\n").unwrap();
    let cases = [
        (attachment("pdf", seeds_csv(dir.path())), "not supported"),
        (
            attachment(
                "csv",
                format!("file://{}", dir.path().join("nope.csv").display()),
            ),
            "cannot be read",
        ),
        (
            attachment("csv", format!("file://{}", no_company.display())),
            "lists no company",
        ),
        (
            attachment("csv", "ftp://example.com/x.csv".into()),
            "not http(s)",
        ),
    ];
    for (a, want) in cases {
        let e = engine
            .post_message(
                &thread.id,
                PostMessage {
                    content: PROMPT.into(),
                    attachments: vec![a],
                    ..PostMessage::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        assert_eq!(e.param.as_deref(), Some("attachments[0]"));
        assert!(e.message.contains(want), "{want}: {e}");
    }
    let messages = engine
        .list_messages(&thread.id, Default::default())
        .await
        .unwrap();
    assert!(messages.data.is_empty(), "nothing stored");

    // A server reads only what it can fetch over the web.
    let dir2 = tempfile::tempdir().unwrap();
    let mut options = EngineOptions::new(dir2.path());
    options.attachments = Access::WebOnly;
    let server = Engine::open(options).await.unwrap();
    let e = post_with(
        &server,
        PROMPT,
        vec![attachment("csv", seeds_csv(dir.path()))],
    )
    .await
    .unwrap_err();
    assert!(e.message.contains("http(s)"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_mode_enriches_the_list_from_datasets_and_the_list_itself() {
    let dir = tempfile::tempdir().unwrap();
    let mut options = EngineOptions::new(dir.path());
    options.mode = Mode::Live;
    let engine = Engine::open(options).await.unwrap();
    let people = dir.path().join("people.csv");
    std::fs::write(
        &people,
        "company,domain,name,title,email,country\n\
         Acme Robotics,acme-robotics.io,Ana Ruiz,Chief Technology Officer,ana@acme-robotics.io,US\n\
         Acme Robotics,acme-robotics.io,Bo Li,Office Manager,bo@acme-robotics.io,US\n\
         Umbrella,umbrella.com,Cy Dee,CTO,cy@umbrella.com,US\n",
    )
    .unwrap();
    engine.import_dataset(&people, Some("crm")).await.unwrap();

    let list = dir.path().join("accounts.csv");
    std::fs::write(&list, "domain\nacme-robotics.io\nnewco.dev\n").unwrap();
    let posted = post_with(
        &engine,
        "For each company in the attached CSV, pull the CTO.",
        vec![attachment("csv", format!("file://{}", list.display()))],
    )
    .await
    .unwrap();
    let leads = run(&engine, &posted).await;
    // Umbrella is in the dataset but not on the list; newco.dev has no CTO anywhere.
    assert_eq!(leads.len(), 1, "{leads:#?}");
    let lead = &leads[0];
    assert_eq!(lead.person.as_ref().unwrap().full_name, "Ana Ruiz");
    assert!(lead.livemode);
    let domain_sources: Vec<_> = lead.sources_for("company.domain").collect();
    assert!(
        domain_sources
            .iter()
            .any(|s| s.url.as_deref() == Some("dataset://attachment-accounts#row=2")),
        "the list itself backs the domain: {domain_sources:#?}"
    );
    assert!(
        domain_sources.iter().any(|s| s.kind == SourceKind::Dataset
            && s.url
                .as_deref()
                .is_some_and(|u| u.starts_with("dataset://crm"))),
        "{domain_sources:#?}"
    );
}

#[test]
fn the_cli_attaches_a_local_list_with_attach() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("targets.txt");
    std::fs::write(&list, "vercel.com\nhttps://www.figma.com\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_leadline"))
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args([
            "search",
            "Pull the CTO of each company on the list",
            "--attach",
        ])
        .arg(&list)
        .args(["--format", "json"])
        .env_remove("LEADLINE_CONFIG")
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let job: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<String> = job["leads"]
        .as_array()
        .expect("search prints the leads")
        .iter()
        .map(|l| l["company"]["domain"].as_str().unwrap().to_string())
        .collect();
    got.sort();
    assert_eq!(got, ["figma.com", "vercel.com"]);
}
