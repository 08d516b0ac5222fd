//! Idempotency-Key under failure: a client that gives up, a server that crashed mid-request,
//! replays by a key with fewer scopes, uncached refusals, and JSON bodies in another layout —
//! over real HTTP against the router on loopback.

use crate::common;

use std::time::Duration;

use common::server::{serve, serve_engine};
use leadline::engine::store::idempotency;
use leadline::model::{OrgId, Timestamp};
use leadline::server::{Scope, ServerOptions};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

fn post(base: &str, path: &str, key: &str, idem: &str, body: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(key)
        .header("idempotency-key", idem)
        .header("content-type", "application/json")
        .body(body.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_client_gave_up_settles_and_its_retry_replays() {
    // Paced so the synchronous search outlives the client's patience.
    let s = serve(60).await;
    let body = json!({"prompt": PROMPT, "max_rows": 10}).to_string();
    let gave_up = post(&s.base, "/search", &s.key, "slow-1", &body)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(gave_up.is_err(), "the client must time out for this test");
    let mut last = (StatusCode::CONFLICT, Value::Null, false);
    for _ in 0..300 {
        let resp = post(&s.base, "/search", &s.key, "slow-1", &body)
            .send()
            .await
            .unwrap();
        let replayed = resp.headers().contains_key("idempotent-replayed");
        last = (resp.status(), resp.json().await.unwrap(), replayed);
        if last.0 != StatusCode::CONFLICT {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(last.0, StatusCode::OK, "{}", last.1);
    assert!(last.2, "the retry replays the settled answer");
    assert_eq!(last.1["status"], "succeeded", "{}", last.1);
    let jobs: Value = reqwest::Client::new()
        .get(format!("{}/jobs", s.base))
        .bearer_auth(&s.key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        jobs["data"].as_array().unwrap().len(),
        1,
        "one job, not two"
    );
}

#[tokio::test]
async fn keys_left_in_flight_by_a_crash_are_released_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    {
        let engine =
            leadline::engine::Engine::open(leadline::engine::EngineOptions::new(dir.path()))
                .await
                .unwrap();
        let now = Timestamp::now();
        // What a server killed mid-request leaves behind: a claim never settled.
        engine
            .store()
            .write(|tx| idempotency::claim(tx, &OrgId::local(), "crash-1", b"x", now, now))
            .unwrap();
    }
    let path = dir.path().to_path_buf();
    let s = serve_engine(0, ServerOptions::default(), move |eo| {
        eo.data_dir = path;
    })
    .await;
    let resp = post(&s.base, "/threads", &s.key, "crash-1", r#"{"title":"t"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "{}",
        resp.text().await.unwrap()
    );
}

#[tokio::test]
async fn a_replay_rechecks_scope_and_refusals_are_not_cached() {
    let s = serve(0).await;
    let reader = common::server::key_of(&s, "org_local", &[Scope::Read]);
    let body = r#"{"title":"scoped"}"#;
    let refused = post(&s.base, "/threads", &reader, "scope-1", body)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let ran = post(&s.base, "/threads", &s.key, "scope-1", body)
        .send()
        .await
        .unwrap();
    assert_eq!(ran.status(), StatusCode::OK, "a 403 is not remembered");
    assert!(!ran.headers().contains_key("idempotent-replayed"));
    let replay = post(&s.base, "/threads", &reader, "scope-1", body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        replay.status(),
        StatusCode::FORBIDDEN,
        "a replay re-checks scope"
    );
    let again = post(&s.base, "/threads", &s.key, "scope-1", body)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
}

#[tokio::test]
async fn the_same_json_in_another_layout_is_the_same_request() {
    let s = serve(0).await;
    let first = post(
        &s.base,
        "/threads",
        &s.key,
        "layout-1",
        r#"{"title":"A","metadata":{"x":"1","y":"2"}}"#,
    )
    .send()
    .await
    .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let second = post(
        &s.base,
        "/threads",
        &s.key,
        "layout-1",
        "{\n  \"metadata\": { \"y\": \"2\", \"x\": \"1\" },\n  \"title\": \"A\"\n}",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    let third = post(&s.base, "/threads", &s.key, "layout-1", r#"{"title":"B"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        third.status(),
        StatusCode::CONFLICT,
        "another body is still refused"
    );
}
