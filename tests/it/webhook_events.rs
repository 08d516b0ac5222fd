//! Every catalogue event the engine produces reaches the endpoints that subscribe to it, over
//! real HTTP to loopback receivers that verify each signature: a prompt (thread, messages, plan
//! or its rejection), a thread's deletion, a job's whole life, a stop, a push (completed and
//! failed), and jobs approved from the CLI (in the foreground and in a background worker) and in
//! the TUI (in tmux). A delivery a dead process left queued is made by the next process that
//! opens the data dir.

use crate::common;
use crate::fakes;
use crate::webhooks::{
    PROMPT, call, inbox_until, of_type, pending_job, receiver, register, server, server_tuned,
};

use std::time::Duration;

use leadline::config::{IntegrationsConfig, ProvidersConfig, WebhookConfig};
use leadline::engine::integrations::{IntegrationSettings, Secrets};
use leadline::engine::webhooks::{NewEndpoint, publish};
use leadline::engine::{Engine, EngineOptions};
use leadline::model::OrgId;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn types(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_string())
        .collect()
}

fn has(events: &[Value], event_type: &str) -> bool {
    events.iter().any(|e| e["type"] == event_type)
}

#[tokio::test]
async fn a_prompt_publishes_its_thread_messages_and_plan_or_rejection_and_a_delete_its_thread() {
    let s = server().await;
    let (url, inbox) = receiver().await;
    let e = register(&s, json!({"url": url})).await;
    inbox.lock().unwrap().secret = e["signing_secret"].as_str().unwrap().to_string();

    let (_, thread) = call(
        &s,
        &s.key,
        Method::POST,
        "/threads",
        Some(json!({"title": "t"})),
    )
    .await;
    let tid = thread["id"].as_str().unwrap().to_string();
    let (status, posted) = call(
        &s,
        &s.key,
        Method::POST,
        &format!("/threads/{tid}/messages"),
        Some(json!({"content": PROMPT})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    let (status, rejected) = call(
        &s,
        &s.key,
        Method::POST,
        &format!("/threads/{tid}/messages"),
        Some(json!({"content": "find leads"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{rejected}");
    assert_eq!(rejected["error"]["code"], "plan_rejected", "{rejected}");
    let (status, _) = call(&s, &s.key, Method::DELETE, &format!("/threads/{tid}"), None).await;
    assert_eq!(status, StatusCode::OK);

    let events = inbox_until(&inbox, |e| has(e, "thread.deleted") && e.len() >= 8).await;
    let created = of_type(&events, "thread.created");
    assert_eq!(created.len(), 1, "{:?}", types(&events));
    assert_eq!(created[0]["data"]["object"]["id"], tid.as_str());
    assert_eq!(created[0]["data"]["object"]["object"], "thread");

    // The prompt and the plan card, then the rejected prompt and the assistant's explanation.
    let messages = of_type(&events, "message.created");
    assert_eq!(messages.len(), 4, "{:?}", types(&events));
    let roles: Vec<&str> = messages
        .iter()
        .map(|m| m["data"]["object"]["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles.iter().filter(|r| **r == "user").count(),
        2,
        "{roles:?}"
    );
    assert!(
        messages
            .iter()
            .all(|m| m["data"]["object"]["thread_id"] == tid.as_str())
    );
    assert!(
        messages
            .iter()
            .any(|m| m["data"]["object"]["content"] == PROMPT)
    );

    let plans = of_type(&events, "plan.created");
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0]["data"]["object"]["id"], posted["plan"]["id"]);
    assert_eq!(plans[0]["data"]["object"]["object"], "plan");
    let refused = of_type(&events, "plan.rejected");
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0]["data"]["object"]["thread_id"], tid.as_str());
    assert!(
        !refused[0]["data"]["object"]["reason"]
            .as_str()
            .unwrap()
            .is_empty()
    );

    let deleted = of_type(&events, "thread.deleted");
    assert_eq!(
        deleted[0]["data"]["object"],
        json!({"id": tid, "object": "thread", "deleted": true})
    );
    // Nothing was approved, so no job event went out.
    assert!(
        !events
            .iter()
            .any(|e| e["type"].as_str().unwrap().starts_with("job."))
    );
}

/// The job's result message specifically: the thread's earlier messages are `message.created`
/// too, and the job's last deliveries go out concurrently, in no fixed order.
fn has_result_message(events: &[Value]) -> bool {
    of_type(events, "message.created")
        .iter()
        .any(|m| m["data"]["object"]["kind"] == "result")
}

#[tokio::test]
async fn an_approved_job_publishes_its_whole_life() {
    // Paced, so every lead is committed on its own and progress passes each tenth.
    let s = server_tuned(2, |_| {}).await;
    let (url, inbox) = receiver().await;
    let e = register(&s, json!({"url": url})).await;
    inbox.lock().unwrap().secret = e["signing_secret"].as_str().unwrap().to_string();
    let job = pending_job(&s).await;
    let (status, _) = call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{job}/approve"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let events = inbox_until(&inbox, |e| {
        has(e, "job.succeeded") && has(e, "artifact.created") && has_result_message(e)
    })
    .await;
    let (_, finished) = call(&s, &s.key, Method::GET, &format!("/jobs/{job}"), None).await;
    assert_eq!(finished["status"], "succeeded");
    for once in [
        "job.approved",
        "job.started",
        "artifact.created",
        "leads.delivered",
        "job.succeeded",
    ] {
        assert_eq!(
            of_type(&events, once).len(),
            1,
            "{once}: {:?}",
            types(&events)
        );
    }
    assert_eq!(
        of_type(&events, "job.approved")[0]["data"]["object"]["status"],
        "running"
    );
    assert_eq!(
        of_type(&events, "job.started")[0]["data"]["object"]["id"],
        job.as_str()
    );

    // Each step's start and end, with the step's id and the job's.
    let (_, plan) = call(
        &s,
        &s.key,
        Method::GET,
        &format!("/plans/{}", finished["plan_id"].as_str().unwrap()),
        None,
    )
    .await;
    let steps = plan["steps"].as_array().unwrap().len();
    for kind in ["job.step.started", "job.step.completed"] {
        let got = of_type(&events, kind);
        assert_eq!(got.len(), steps, "{kind}: {:?}", types(&events));
        assert!(
            got.iter()
                .all(|e| e["data"]["object"]["job_id"] == job.as_str()
                    && e["data"]["object"]["object"] == "job_step")
        );
    }
    assert!(of_type(&events, "job.step.failed").is_empty());

    // Progress every 10 %: at most one event per tenth, each in a later tenth.
    let mut tenths: Vec<u64> = of_type(&events, "job.progress")
        .iter()
        .map(|e| e["data"]["object"]["progress"]["percent"].as_u64().unwrap() / 10)
        .collect();
    assert!(!tenths.is_empty() && tenths.len() <= 10, "{tenths:?}");
    tenths.sort_unstable();
    let distinct = tenths.len();
    tenths.dedup();
    assert_eq!(tenths.len(), distinct, "one event per tenth: {tenths:?}");

    let artifact = &of_type(&events, "artifact.created")[0]["data"]["object"];
    assert_eq!(artifact["id"], finished["artifact"]["id"], "{artifact}");
    assert_eq!(artifact["rows"], finished["rows_captured"]);
    let delivered = &of_type(&events, "leads.delivered")[0]["data"]["object"];
    assert_eq!(
        (
            &delivered["job_id"],
            &delivered["rows"],
            &delivered["artifact_id"]
        ),
        (
            &json!(job),
            &finished["rows_captured"],
            &finished["artifact"]["id"]
        )
    );
    let done = &of_type(&events, "job.succeeded")[0]["data"]["object"];
    assert_eq!(
        (&done["id"], &done["status"]),
        (&json!(job), &json!("succeeded"))
    );
    assert_eq!(done["rows_captured"], finished["rows_captured"]);
    let result = of_type(&events, "message.created")
        .into_iter()
        .find(|m| m["data"]["object"]["kind"] == "result")
        .expect("the result message");
    assert_eq!(result["data"]["object"]["job_id"], job.as_str());
    // Every event went out once, each with its own event id.
    let ids: std::collections::HashSet<&Value> = events.iter().map(|e| &e["id"]).collect();
    assert_eq!(ids.len(), events.len());
}

#[tokio::test]
async fn a_job_stopped_before_or_while_it_runs_publishes_job_stopped() {
    let s = server_tuned(20, |_| {}).await;
    let (url, inbox) = receiver().await;
    let e = register(
        &s,
        json!({"url": url, "events": ["job.stopped", "job.step.started"]}),
    )
    .await;
    inbox.lock().unwrap().secret = e["signing_secret"].as_str().unwrap().to_string();

    let pending = pending_job(&s).await;
    let (status, j) = call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{pending}/stop"),
        None,
    )
    .await;
    assert_eq!((status, &j["status"]), (StatusCode::OK, &json!("stopped")));
    let events = inbox_until(&inbox, |e| has(e, "job.stopped")).await;
    assert_eq!(
        of_type(&events, "job.stopped")[0]["data"]["object"]["id"],
        pending.as_str()
    );

    let running = pending_job(&s).await;
    call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{running}/approve"),
        None,
    )
    .await;
    inbox_until(&inbox, |e| has(e, "job.step.started")).await;
    let (status, j) = call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{running}/stop"),
        None,
    )
    .await;
    assert_eq!(
        (status, &j["status"]),
        (StatusCode::OK, &json!("stopped")),
        "{j}"
    );
    let events = inbox_until(&inbox, |e| of_type(e, "job.stopped").len() == 2).await;
    let stopped = of_type(&events, "job.stopped");
    assert_eq!(stopped[1]["data"]["object"]["id"], running.as_str());
    assert_eq!(stopped[1]["data"]["object"]["status"], "stopped");
    assert!(!has(&events, "job.succeeded"), "{:?}", types(&events));
}

#[tokio::test]
async fn a_push_publishes_integration_push_completed_and_a_failed_one_integration_push_failed() {
    const SECRET: &str = "push-secret";
    let fake = fakes::Fake::start(SECRET, fakes::webhook::router).await;
    let push_url = format!("{}{}", fake.url, fakes::webhook::PATH);
    let s = server_tuned(0, |eo| {
        let deliveries = eo.integrations.deliveries;
        eo.integrations = IntegrationSettings::new(
            IntegrationsConfig {
                webhook: WebhookConfig {
                    url: Some(push_url),
                    secret_env: None,
                },
                ..IntegrationsConfig::default()
            },
            ProvidersConfig::default(),
        )
        .with_secrets(Secrets::fixed([("LEADLINE_WEBHOOK_SECRET", SECRET)]));
        eo.integrations.deliveries = deliveries;
    })
    .await;
    let (url, inbox) = receiver().await;
    let e = register(
        &s,
        json!({"url": url, "events": ["integration.push.completed", "integration.push.failed"]}),
    )
    .await;
    inbox.lock().unwrap().secret = e["signing_secret"].as_str().unwrap().to_string();
    let job = pending_job(&s).await;
    call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{job}/approve"),
        None,
    )
    .await;
    for _ in 0..200 {
        let (_, j) = call(&s, &s.key, Method::GET, &format!("/jobs/{job}"), None).await;
        if j["status"] == "succeeded" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let push = json!({"provider": "webhook", "allow_test_data": true});
    let (status, result) = call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{job}/push"),
        Some(push.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{result}");
    let events = inbox_until(&inbox, |e| has(e, "integration.push.completed")).await;
    let done = &of_type(&events, "integration.push.completed")[0]["data"]["object"];
    assert_eq!(done["job_id"], job.as_str());
    assert_eq!(done["provider"], "webhook");
    assert_eq!(done["created"], result["created"]);

    // The receiver now refuses the secret: the forced push stops, and says so.
    fake.set_default(fakes::Answer::Status(401));
    let forced = json!({"provider": "webhook", "allow_test_data": true, "force": true});
    let (status, e) = call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{job}/push"),
        Some(forced),
    )
    .await;
    assert!(
        status.is_client_error() || status.is_server_error(),
        "{status}: {e}"
    );
    let events = inbox_until(&inbox, |e| has(e, "integration.push.failed")).await;
    let failed = &of_type(&events, "integration.push.failed")[0]["data"]["object"];
    assert_eq!(failed["job_id"], job.as_str());
    assert_eq!(failed["error"]["code"], "authentication_error", "{failed}");
    assert_eq!(of_type(&events, "integration.push.completed").len(), 1);
}

/// Registers an endpoint for `org_local` in the data dir at `dir`, as an admin would through
/// `serve`, and closes the engine again: (its id, its secret).
async fn register_in(dir: &std::path::Path, url: &str) -> (String, String) {
    let engine = Engine::open(EngineOptions::new(dir)).await.unwrap();
    let e = engine
        .register_webhook(NewEndpoint {
            url: url.to_string(),
            ..NewEndpoint::default()
        })
        .await
        .unwrap();
    engine
        .shutdown(Duration::from_secs(1), leadline::engine::Halting::Stopped)
        .await;
    (e.id, e.signing_secret.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_approved_from_the_cli_deliver_to_the_organisation_s_endpoints() {
    let env = common::cli::CliEnv::new("");
    std::fs::create_dir_all(env.data()).unwrap();
    let (url, inbox) = receiver().await;
    let (_, secret) = register_in(&env.data(), &url).await;
    inbox.lock().unwrap().secret = secret;

    // In the foreground: `approve --wait` runs the job in the CLI process.
    let env = std::sync::Arc::new(env);
    let cli = env.clone();
    let job = tokio::task::spawn_blocking(move || {
        let plan = cli.ok_json(&["plan", PROMPT, "--format", "json"]);
        let job = plan["job_id"].as_str().unwrap().to_string();
        cli.ok_json(&["approve", &job, "--wait", "--format", "json"]);
        job
    })
    .await
    .unwrap();
    // The CLI has exited; only it could have delivered these.
    let events = inbox_until(&inbox, |e| {
        e.iter()
            .any(|e| e["type"] == "job.succeeded" && e["data"]["object"]["id"] == job.as_str())
    })
    .await;
    for t in [
        "plan.created",
        "job.approved",
        "job.started",
        "leads.delivered",
        "artifact.created",
    ] {
        assert!(has(&events, t), "{t}: {:?}", types(&events));
    }

    // In the background: the detached worker process runs it and delivers.
    let cli = env.clone();
    let background = tokio::task::spawn_blocking(move || {
        let plan = cli.ok_json(&["plan", PROMPT, "--format", "json"]);
        let job = plan["job_id"].as_str().unwrap().to_string();
        let approved = cli.ok_json(&["approve", &job, "--format", "json"]);
        assert_eq!(approved["status"], "running");
        job
    })
    .await
    .unwrap();
    inbox_until(&inbox, |e| {
        e.iter().any(|e| {
            e["type"] == "job.succeeded" && e["data"]["object"]["id"] == background.as_str()
        })
    })
    .await;
    assert!(inbox.lock().unwrap().failures.is_empty());
}

#[tokio::test]
async fn a_delivery_a_dead_process_left_queued_is_made_by_the_next_process() {
    let dir = tempfile::tempdir().unwrap();
    let (url, inbox) = receiver().await;
    let (id, secret) = register_in(dir.path(), &url).await;
    inbox.lock().unwrap().secret = secret;
    // What a process killed before it could deliver leaves: the event queued, nobody sending.
    let store = leadline::engine::store::Store::open(dir.path()).unwrap();
    store
        .write(|c| {
            publish::publish(
                c,
                &OrgId::local(),
                false,
                "thread.created",
                &json!({"id": "thr_left_behind", "object": "thread"}),
                None,
            )
        })
        .unwrap();
    drop(store);
    let engine = Engine::open(EngineOptions::new(dir.path())).await.unwrap();
    let events = inbox_until(&inbox, |e| !e.is_empty()).await;
    assert_eq!(events[0]["data"]["object"]["id"], "thr_left_behind");
    let mut log = Vec::new();
    for _ in 0..100 {
        log = engine.webhook_deliveries(Some(id.clone())).await.unwrap();
        if log.first().is_some_and(|d| d.status == "delivered") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].status.as_str(), log[0].attempts), ("delivered", 1));
}

#[test]
fn a_job_approved_in_the_tui_delivers_to_the_organisation_s_endpoints() {
    use crate::common::tmux::{have_tmux, start_with};
    if !have_tmux() {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let (url, inbox) = rt.block_on(receiver());
    let (_, secret) = rt.block_on(register_in(&data, &url));
    inbox.lock().unwrap().secret = secret;

    let s = start_with(dir.path(), "webhooks", "", "");
    s.wait_for("No threads yet", Duration::from_secs(20));
    s.plan_and_approve(PROMPT);
    s.wait_for("✓ succeeded", Duration::from_secs(60));
    let events = rt.block_on(inbox_until(&inbox, |e| has(e, "job.succeeded")));
    for t in [
        "thread.created",
        "plan.created",
        "job.approved",
        "artifact.created",
    ] {
        assert!(has(&events, t), "{t}: {:?}", types(&events));
    }
    s.keys(&["q"]);
}

/// `jobs` live jobs, one after the other (over the imported test datasets, each capped at
/// `max_credits`), in a fresh data dir whose live allowance is `included` credits, with an
/// endpoint at a receiver: the jobs, the events received once the last ended, and the error
/// approving one more gives (if it is refused).
async fn live_jobs_with_allowance(
    included: u64,
    jobs: usize,
    max_credits: Option<u32>,
) -> (
    Vec<leadline::model::Job>,
    Vec<Value>,
    Option<leadline::model::Error>,
) {
    use leadline::model::Icp;
    use leadline::model::requests::Approve;
    let dir = tempfile::tempdir().unwrap();
    let mut options = EngineOptions::new(dir.path());
    options.mode = leadline::engine::Mode::Live;
    options.credits_included = included;
    options.planner = std::sync::Arc::new(common::planner::FixedPlanner(Icp {
        industries: vec!["fintech".into()],
        countries: vec!["FR".into()],
        roles: vec!["VP Engineering".into()],
        max_rows: Some(10),
        ..Icp::default()
    }));
    let engine = Engine::open(options).await.unwrap();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/live");
    for (file, alias) in [
        ("companies.csv", None),
        ("people.csv", Some("crm")),
        ("companies.json", Some("extra")),
    ] {
        engine
            .import_dataset(&data.join(file), alias)
            .await
            .unwrap();
    }
    let (url, inbox) = receiver().await;
    let e = engine
        .register_webhook(NewEndpoint {
            url,
            events: Some(vec![
                "usage.budget.warning".into(),
                "usage.budget.exceeded".into(),
                "job.succeeded".into(),
            ]),
            ..NewEndpoint::default()
        })
        .await
        .unwrap();
    inbox.lock().unwrap().secret = e.signing_secret.unwrap();
    let prompt = "Fintechs in France, VP Engineering";
    let approve = || Approve {
        max_credits,
        webhook_url: None,
    };
    let mut finished = Vec::new();
    for _ in 0..jobs {
        let posted = common::post_with(&engine, prompt, None).await;
        engine.approve(&posted.job.id, approve()).await.unwrap();
        common::events_until_end(&engine, &posted.job.id).await;
        finished.push(engine.get_job(&posted.job.id).await.unwrap());
    }
    let one_more = common::post_with(&engine, prompt, None).await;
    let refused = engine.approve(&one_more.job.id, approve()).await.err();
    if refused.is_none() {
        engine.stop(&one_more.job.id).await.unwrap();
    }
    // Budget events are queued in the transaction that ends a job, with its job.succeeded; once
    // the last of those arrived, the shutdown's drain sends whatever else is due.
    inbox_until(&inbox, |e| of_type(e, "job.succeeded").len() >= jobs).await;
    engine
        .shutdown(Duration::from_secs(5), leadline::engine::Halting::Stopped)
        .await;
    let i = inbox.lock().unwrap();
    assert!(i.failures.is_empty(), "{:?}", i.failures);
    let events = i.received.iter().map(|(_, e)| e.clone()).collect();
    (finished, events, refused)
}

#[tokio::test]
async fn live_credits_crossing_80_percent_and_the_allowance_publish_the_budget_events_once() {
    use leadline::model::JobStatus;
    // A roomy allowance: no budget event.
    let (jobs, events, _) = live_jobs_with_allowance(5_000, 1, None).await;
    assert_eq!(jobs[0].status, JobStatus::Succeeded, "{:?}", jobs[0]);
    let c = u64::from(jobs[0].credits_used);
    assert!(c >= 2, "the test needs a job that costs credits: {c}");
    assert!(!has(&events, "usage.budget.warning") && !has(&events, "usage.budget.exceeded"));
    let cap = Some(u32::try_from(c).unwrap());

    // Two such jobs in an allowance of 2.5 jobs: the first stays under 80 %, the second
    // crosses it: one warning, from the second, and no ceiling.
    let included = c * 5 / 2;
    let (jobs, events, _) = live_jobs_with_allowance(included, 2, cap).await;
    assert!(
        jobs.iter().all(|j| u64::from(j.credits_used) == c),
        "{jobs:?}"
    );
    let warning = of_type(&events, "usage.budget.warning");
    assert_eq!(warning.len(), 1, "{:?}", types(&events));
    assert!(!has(&events, "usage.budget.exceeded"));
    let object = &warning[0]["data"]["object"];
    assert_eq!(object["credits"]["included"], included);
    assert_eq!(object["credits"]["used"], 2 * c);
    assert_eq!(object["job_id"], jobs[1].id.as_str());
    assert_eq!(warning[0]["livemode"], true);

    // An allowance of exactly two jobs: the second hits the ceiling (warning and exceeded) and
    // the next live job is refused.
    let (jobs, events, refused) = live_jobs_with_allowance(2 * c, 2, cap).await;
    assert!(
        jobs.iter().all(|j| u64::from(j.credits_used) == c),
        "{jobs:?}"
    );
    assert_eq!(of_type(&events, "usage.budget.warning").len(), 1);
    let exceeded = of_type(&events, "usage.budget.exceeded");
    assert_eq!(exceeded.len(), 1, "{:?}", types(&events));
    assert_eq!(exceeded[0]["data"]["object"]["job_id"], jobs[1].id.as_str());
    assert_eq!(exceeded[0]["data"]["object"]["credits"]["remaining"], 0);
    let refused = refused.expect("the ceiling blocks new live jobs");
    assert_eq!(
        refused.code,
        leadline::model::ErrorCode::InsufficientCredits,
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_job_halted_mid_step_publishes_job_step_failed_and_job_failed() {
    let s = server_tuned(20, |_| {}).await;
    let (url, inbox) = receiver().await;
    let e = register(
        &s,
        json!({"url": url, "events": ["job.step.started", "job.step.failed", "job.failed"]}),
    )
    .await;
    inbox.lock().unwrap().secret = e["signing_secret"].as_str().unwrap().to_string();
    let job = pending_job(&s).await;
    call(
        &s,
        &s.key,
        Method::POST,
        &format!("/jobs/{job}/approve"),
        None,
    )
    .await;
    inbox_until(&inbox, |e| has(e, "job.step.started")).await;
    // The server going away under the job: it fails as interrupted, in the step it was in.
    s.engine
        .shutdown(
            Duration::from_secs(3),
            leadline::engine::Halting::Interrupted,
        )
        .await;
    let events = inbox_until(&inbox, |e| {
        has(e, "job.failed") && has(e, "job.step.failed")
    })
    .await;
    let failed = of_type(&events, "job.step.failed");
    assert_eq!(failed.len(), 1, "{:?}", types(&events));
    let step = &failed[0]["data"]["object"];
    assert_eq!(
        (&step["job_id"], &step["status"]),
        (&json!(job), &json!("failed"))
    );
    assert!(
        step["error"].as_str().unwrap().contains("interrupted"),
        "{step}"
    );
    let started: Vec<&Value> = of_type(&events, "job.step.started")
        .iter()
        .map(|e| &e["data"]["object"]["step_id"])
        .collect();
    assert!(
        started.contains(&&step["step_id"]),
        "{step} not in {started:?}"
    );
    let done = &of_type(&events, "job.failed")[0]["data"]["object"];
    assert_eq!(
        (&done["id"], &done["status"]),
        (&json!(job), &json!("failed"))
    );
    assert_eq!(done["error"]["code"], "job_halted", "{done}");
}
