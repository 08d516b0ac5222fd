//! End to end, as the issue asks: a test-mode job pushed with `--allow-test-data` to each fake
//! provider by the real binary, pushed again (nothing sent twice), then dry runs (nothing sent);
//! and the same through `leadline serve`'s push route with the remote client.

use crate::common;
use crate::fakes;

use std::path::Path;

use leadline::backend::{Backend, RemoteBackend};
use leadline::config::{IntegrationsConfig, ProvidersConfig, WebhookConfig};
use leadline::engine::integrations::{IntegrationSettings, Secrets};
use leadline::model::push::{PushProvider, PushRequest};
use leadline::model::requests::{Approve, CreateThread, Hints, PostMessage};
use leadline::server::ServerOptions;
use serde_json::Value;

use fakes::Fake;

const KEY: &str = "e2e_key_0123456789";

async fn leadline(dir: &Path, config: &str, args: &[&str]) -> (bool, Value, String) {
    let config_path = dir.join("config.toml");
    std::fs::write(&config_path, config).unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_leadline"))
        .arg("--config")
        .arg(&config_path)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args)
        .env("E2E_KEY", KEY)
        .env_remove("LEADLINE_CONFIG")
        .output()
        .await
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.success(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn section(provider: PushProvider, url: &str) -> String {
    match provider {
        PushProvider::Magnetite => format!(
            "[integrations.magnetite]\nbase_url = \"{url}\"\napi_key_env = \"E2E_KEY\"\ncampaign_id = \"{}\"\n",
            fakes::magnetite::CAMPAIGN
        ),
        PushProvider::Autoreach => {
            format!("[integrations.autoreach]\nbase_url = \"{url}\"\napi_key_env = \"E2E_KEY\"\n")
        }
        PushProvider::Hubspot => {
            format!("[integrations.hubspot]\nbase_url = \"{url}\"\napi_key_env = \"E2E_KEY\"\n")
        }
        PushProvider::Webhook => format!(
            "[integrations.webhook]\nurl = \"{url}{}\"\nsecret_env = \"E2E_KEY\"\n",
            fakes::webhook::PATH
        ),
        PushProvider::File => unreachable!(),
    }
}

fn router(provider: PushProvider) -> fn(std::sync::Arc<fakes::State>) -> axum::Router {
    match provider {
        PushProvider::Magnetite => fakes::magnetite::router,
        PushProvider::Autoreach => fakes::autoreach::router,
        PushProvider::Hubspot => fakes::hubspot::router,
        PushProvider::Webhook => fakes::webhook::router,
        PushProvider::File => unreachable!(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_provider_gets_a_job_once_and_dry_runs_send_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, job, err) = leadline(
        dir.path(),
        "",
        &[
            "search",
            "Find Series A fintechs in France. Pull the VP Engineering.",
            "--max-rows",
            "30",
            "--format",
            "json",
        ],
    )
    .await;
    assert!(ok, "{err}");
    let job = job["id"].as_str().unwrap().to_string();

    for provider in [
        PushProvider::Magnetite,
        PushProvider::Autoreach,
        PushProvider::Hubspot,
        PushProvider::Webhook,
    ] {
        let fake = Fake::start(KEY, router(provider)).await;
        let config = section(provider, &fake.url);
        let name = provider.as_str();
        let push = |extra: &'static [&'static str]| {
            let mut args = vec!["push", job.as_str(), "--provider", name, "--format", "json"];
            args.extend_from_slice(extra);
            args
        };

        // Refused without --allow-test-data, and nothing reaches the provider.
        let (ok, _, err) = leadline(dir.path(), &config, &push(&[])).await;
        assert!(!ok && err.contains("--allow-test-data"), "{name}: {err}");
        assert_eq!(fake.request_count(), 0, "{name}");

        let (ok, first, err) = leadline(dir.path(), &config, &push(&["--allow-test-data"])).await;
        assert!(ok, "{name}: {err}");
        let created = first["created"].as_u64().unwrap() + first["updated"].as_u64().unwrap();
        assert!(created >= 20, "{name}: {first}");
        assert!(
            first["errors"].as_array().unwrap().is_empty(),
            "{name}: {first}"
        );
        let sent = fake.request_count();
        assert!(sent > 0, "{name}");
        assert!(
            fake.violations().is_empty(),
            "{name}: {:?}",
            fake.violations()
        );
        assert!(fake.repeats().is_empty(), "{name}: {:?}", fake.repeats());

        // Again: nothing is sent, everything reported as already pushed.
        let (ok, second, err) = leadline(dir.path(), &config, &push(&["--allow-test-data"])).await;
        assert!(ok, "{name}: {err}");
        assert_eq!(fake.request_count(), sent, "{name}: pushed twice");
        assert_eq!(second["created"], 0, "{name}: {second}");
        let already = second["skips"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["code"] == "already_pushed")
            .count() as u64;
        assert_eq!(already, created, "{name}: {second}");

        // Dry runs, plain and forced: the planned requests, nothing sent.
        let (ok, dry, err) = leadline(
            dir.path(),
            &config,
            &push(&["--allow-test-data", "--dry-run"]),
        )
        .await;
        assert!(ok, "{name}: {err}");
        assert_eq!(dry["dry_run"], true);
        assert!(
            dry["planned"].as_array().unwrap().is_empty(),
            "{name}: all sent already"
        );
        let (ok, forced, err) = leadline(
            dir.path(),
            &config,
            &push(&["--allow-test-data", "--dry-run", "--force"]),
        )
        .await;
        assert!(ok, "{name}: {err}");
        let planned = forced["planned"].as_array().unwrap();
        assert!(!planned.is_empty(), "{name}: {forced}");
        assert!(
            planned
                .iter()
                .all(|p| p["url"].as_str().unwrap().starts_with(&fake.url))
        );
        assert_eq!(
            fake.request_count(),
            sent,
            "{name}: a dry run sent something"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_push_route_pushes_once_for_a_remote_client() {
    let fake = Fake::start(KEY, fakes::webhook::router).await;
    let hook = format!("{}{}", fake.url, fakes::webhook::PATH);
    let served = common::server::serve_engine(0, ServerOptions::default(), move |eo| {
        let integrations = IntegrationsConfig {
            webhook: WebhookConfig {
                url: Some(hook),
                secret_env: Some("HOOK_SECRET".into()),
            },
            ..IntegrationsConfig::default()
        };
        eo.integrations = IntegrationSettings::new(integrations, ProvidersConfig::default())
            .with_secrets(Secrets::fixed([("HOOK_SECRET", KEY)]));
    })
    .await;
    let remote = RemoteBackend::new(&served.base, &served.key).unwrap();
    let list = remote.integrations().await.unwrap();
    let webhook = list.iter().find(|i| i.provider == "webhook").unwrap();
    assert!(webhook.connected, "{webhook:?}");
    assert!(
        !list
            .iter()
            .find(|i| i.provider == "hubspot")
            .unwrap()
            .connected
    );
    let thread = remote.create_thread(CreateThread::default()).await.unwrap();
    let posted = remote
        .post_message(
            &thread.id,
            PostMessage {
                content: "CTOs of US devtools companies".into(),
                hints: Some(Hints {
                    max_rows: Some(12),
                    preferred_sources: None,
                }),
                ..PostMessage::default()
            },
        )
        .await
        .unwrap();
    remote
        .approve(&posted.job.id, Approve::default())
        .await
        .unwrap();
    common::events_until_end(&served.engine, &posted.job.id).await;

    let mut request = PushRequest::new(PushProvider::Webhook);
    request.allow_test_data = true;
    let first = remote
        .push(&posted.job.id, request.clone(), None)
        .await
        .unwrap();
    assert_eq!(first.created, 12, "{first:?}");
    let sent = fake.request_count();
    assert!(sent >= 1);
    let second = remote.push(&posted.job.id, request, None).await.unwrap();
    assert_eq!((second.created, second.skipped), (0, 12));
    assert_eq!(fake.request_count(), sent);
    for r in fake.requests() {
        fakes::webhook::verify(&r.headers, &r.body, KEY).expect("signed with the server's secret");
    }
    let ids = fakes::webhook::received_items(&fake.stored());
    assert_eq!(ids.len(), 12);
}
