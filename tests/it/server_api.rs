//! The API on the wire: auth, scopes, organisations, the envelope, idempotency, rate limits,
//! request ids and SSE — against the real router on loopback with a plain HTTP client.

use crate::common;

use std::time::Duration;

use common::server::{PROMPT, Served, assert_envelope, call, plan_job, serve, serve_with};
use leadline::model::OrgId;
use leadline::server::{Scope, ServerOptions, keys};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn missing_invalid_and_revoked_keys_are_401_with_the_envelope() {
    let s = serve(0).await;
    let resp = http()
        .get(format!("{}/threads", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers().contains_key("x-request-id"));
    assert_envelope(&resp.json().await.unwrap(), "authentication_error");

    let (status, _, body) = call(
        &s,
        "sk_test_not_a_real_key",
        reqwest::Method::GET,
        "/threads",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_envelope(&body, "authentication_error");

    let minted = leadline::engine::store::blocking(|| {
        keys::mint(
            s.engine.store(),
            &OrgId::local(),
            "temp",
            &[Scope::Read],
            false,
            None,
        )
    })
    .unwrap();
    let (status, _, _) = call(&s, &minted.secret, reqwest::Method::GET, "/threads", None).await;
    assert_eq!(status, StatusCode::OK);
    leadline::engine::store::blocking(|| {
        keys::revoke(s.engine.store(), &OrgId::local(), &minted.key.id)
    })
    .unwrap();
    let (status, _, body) = call(&s, &minted.secret, reqwest::Method::GET, "/threads", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
    // The secret is stored only as a hash.
    let hashes: Vec<Vec<u8>> = leadline::engine::store::blocking(|| {
        s.engine
            .store()
            .read(|c| c.query_map("SELECT hash FROM api_keys", (), |r| r.get(0)))
    })
    .unwrap();
    assert!(!hashes.is_empty());
    let secret = minted.secret.as_bytes();
    assert!(
        hashes
            .iter()
            .all(|h| !h.windows(secret.len()).any(|w| w == secret))
    );
}

#[tokio::test]
async fn a_key_without_the_scope_gets_403() {
    let s = serve(0).await;
    let reader = common::server::key_of(&s, "org_local", &[Scope::Read]);
    let (status, _, body) = call(
        &s,
        &reader,
        reqwest::Method::POST,
        "/threads",
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_envelope(&body, "permission_error");
    let (status, _, body) = call(&s, &reader, reqwest::Method::GET, "/api-keys", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _, _) = call(&s, &reader, reqwest::Method::GET, "/threads", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn another_organisation_gets_404_for_everything() {
    let s = serve(0).await;
    let other = common::server::key_of(&s, "org_rival", &Scope::ALL);
    let (job, plan) = plan_job(&s, &s.key).await;
    for (method, path) in [
        (reqwest::Method::GET, format!("/jobs/{job}")),
        (reqwest::Method::GET, format!("/plans/{plan}")),
        (reqwest::Method::POST, format!("/jobs/{job}/approve")),
        (reqwest::Method::GET, format!("/jobs/{job}/leads")),
        (reqwest::Method::GET, format!("/jobs/{job}/stream")),
    ] {
        let (status, _, body) = call(&s, &other, method.clone(), &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert_envelope(&body, "not_found");
    }
    let (_, _, list) = call(&s, &other, reqwest::Method::GET, "/jobs", None).await;
    assert_eq!(list["data"], json!([]));
    let (_, _, mine) = call(&s, &s.key, reqwest::Method::GET, "/jobs", None).await;
    assert_eq!(mine["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn illegal_transitions_are_409_and_bad_input_400_or_422() {
    let s = serve(0).await;
    let (job, _) = plan_job(&s, &s.key).await;
    let (status, _, _) = call(
        &s,
        &s.key,
        reqwest::Method::POST,
        &format!("/jobs/{job}/approve"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, body) = call(
        &s,
        &s.key,
        reqwest::Method::POST,
        &format!("/jobs/{job}/approve"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_envelope(&body, "conflict");

    let (_, _, thread) = call(
        &s,
        &s.key,
        reqwest::Method::POST,
        "/threads",
        Some(json!({"title": "x", "unknown_field": 1})),
    )
    .await;
    let tid = thread["id"].as_str().expect("unknown fields are ignored");
    let (status, _, body) = call(
        &s,
        &s.key,
        reqwest::Method::POST,
        &format!("/threads/{tid}/messages"),
        Some(json!({"content": "hello"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_envelope(&body, "plan_rejected");
    let resp = http()
        .post(format!("{}/threads/{tid}/messages", s.base))
        .bearer_auth(&s.key)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_envelope(&resp.json().await.unwrap(), "invalid_request_error");
    let (status, _, body) =
        call(&s, &s.key, reqwest::Method::GET, "/threads?limit=500", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["param"], "limit");
    let (status, _, body) = call(&s, &s.key, reqwest::Method::GET, "/nowhere", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn idempotency_keys_replay_the_first_answer_and_refuse_another_body() {
    let s = serve(0).await;
    let post = |key: &'static str, title: &'static str| {
        http()
            .post(format!("{}/threads", s.base))
            .bearer_auth(&s.key)
            .header("idempotency-key", key)
            .json(&json!({"title": title}))
            .send()
    };
    let first: Value = post("k-1", "Once").await.unwrap().json().await.unwrap();
    let again = post("k-1", "Once").await.unwrap();
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(first, again, "the same response, not a second thread");
    let (_, _, list) = call(&s, &s.key, reqwest::Method::GET, "/threads", None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    let other = post("k-1", "Twice").await.unwrap();
    assert_eq!(other.status(), StatusCode::CONFLICT);
    assert_envelope(&other.json().await.unwrap(), "conflict");
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_and_headers() {
    let s = serve_with(
        0,
        ServerOptions {
            rate_limit_per_minute: 3,
            ..ServerOptions::default()
        },
    )
    .await;
    for remaining in [2, 1, 0] {
        let (status, headers, _) = call(&s, &s.key, reqwest::Method::GET, "/threads", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["x-ratelimit-limit"], "3");
        assert_eq!(
            headers["x-ratelimit-remaining"],
            remaining.to_string().as_str()
        );
        assert!(headers.contains_key("x-ratelimit-reset"));
    }
    let (status, headers, body) = call(&s, &s.key, reqwest::Method::GET, "/threads", None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert_envelope(&body, "rate_limit_error");
}

#[tokio::test]
async fn request_ids_are_echoed_and_put_in_errors() {
    let s = serve(0).await;
    let resp = http()
        .get(format!("{}/jobs/job_01HXA4Z2M8V5WC9T7R1K", s.base))
        .bearer_auth(&s.key)
        .header("x-request-id", "trace-42")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["x-request-id"], "trace-42");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["request_id"], "trace-42");
}

async fn sse_events(
    s: &Served,
    job: &str,
    last_event_id: Option<&str>,
) -> Vec<(String, String, Value)> {
    let mut req = http()
        .get(format!("{}/jobs/{job}/stream", s.base))
        .bearer_auth(&s.key);
    if let Some(id) = last_event_id {
        req = req.header("last-event-id", id);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let text = tokio::time::timeout(Duration::from_secs(60), resp.text())
        .await
        .expect("the stream closes")
        .unwrap();
    text.split("\n\n")
        .filter_map(|block| {
            let field = |name: &str| {
                block.lines().find_map(|l| {
                    l.strip_prefix(&format!("{name}: "))
                        .or_else(|| l.strip_prefix(&format!("{name}:")))
                })
            };
            Some((
                field("id")?.to_string(),
                field("event")?.to_string(),
                serde_json::from_str(field("data")?).ok()?,
            ))
        })
        .collect()
}

#[tokio::test]
async fn sse_streams_ids_resumes_from_last_event_id_and_serves_many_subscribers() {
    let s = serve(2).await;
    let (job, _) = plan_job(&s, &s.key).await;
    call(
        &s,
        &s.key,
        reqwest::Method::POST,
        &format!("/jobs/{job}/approve"),
        Some(json!({"max_credits": 1000})),
    )
    .await;
    let subscribers = futures::future::join_all((0..5).map(|_| sse_events(&s, &job, None))).await;
    let first = &subscribers[0];
    assert!(first.len() > 5);
    for other in &subscribers[1..] {
        assert_eq!(other, first, "every subscriber gets every event");
    }
    let ids: Vec<u64> = first
        .iter()
        .map(|(id, _, _)| id.trim_start_matches("evt_").parse().unwrap())
        .collect();
    assert_eq!(ids, (1..=ids.len() as u64).collect::<Vec<_>>());
    assert_eq!(first.last().unwrap().1, "done");
    // After the end: a replay, and from Last-Event-ID exactly the rest.
    assert_eq!(&sse_events(&s, &job, None).await, first);
    let k = first.len() / 2;
    let rest = sse_events(&s, &job, Some(&first[k - 1].0)).await;
    assert_eq!(rest, first[k..].to_vec());
}

#[tokio::test]
async fn artifacts_mint_signed_downloads_and_search_runs_end_to_end() {
    let s = serve(0).await;
    let (status, _, job) = call(
        &s,
        &s.key,
        reqwest::Method::POST,
        "/search",
        Some(json!({"prompt": PROMPT, "max_rows": 25})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(job["leads"].as_array().unwrap().len(), 25);
    let art = job["artifact"]["id"].as_str().unwrap();
    let record: Value = http()
        .get(format!("{}/artifacts/{art}", s.base))
        .bearer_auth(&s.key)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(record["rows"], 25);
    let url = record["download_url"].as_str().unwrap();
    let csv = http().get(url).send().await.unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert_eq!(csv.text().await.unwrap().lines().count(), 26);
    let tampered = url.replace("format=csv", "format=json");
    assert_eq!(
        http().get(tampered).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let (status, _, body) = call(
        &s,
        &s.key,
        reqwest::Method::POST,
        "/search",
        Some(json!({"prompt": PROMPT, "max_rows": 5000})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["param"], "max_rows");
}

#[tokio::test]
async fn an_idle_stream_carries_ping_heartbeats() {
    let s = serve_with(
        0,
        ServerOptions {
            heartbeat: Duration::from_millis(100),
            ..ServerOptions::default()
        },
    )
    .await;
    // A pending job has no events yet: its stream stays open and idle.
    let (job, _) = plan_job(&s, &s.key).await;
    let mut resp = http()
        .get(format!("{}/jobs/{job}/stream", s.base))
        .bearer_auth(&s.key)
        .send()
        .await
        .unwrap();
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !seen.contains(":ping") && !seen.contains(": ping") {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk())
            .await
            .expect("a heartbeat within 5 s")
            .unwrap()
            .expect("open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        !seen.contains("event:"),
        "only comments on an idle stream: {seen}"
    );
}
