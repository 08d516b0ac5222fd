//! Test and live keys of one organisation see only their own mode's jobs: the other mode's job,
//! its plan, leads, stream and actions are 404s, like another organisation's — over real HTTP.

use crate::common;

use common::server::serve;
use leadline::model::OrgId;
use leadline::server::{Scope, keys};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

async fn call(
    base: &str,
    key: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{base}{path}"))
        .bearer_auth(key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_key_of_the_other_mode_cannot_see_or_act_on_a_job() {
    let s = serve(0).await;
    let live = leadline::engine::store::blocking(|| {
        keys::mint(
            s.engine.store(),
            &OrgId::local(),
            "live",
            &Scope::ALL,
            true,
            None,
        )
    })
    .unwrap()
    .secret;
    // The shared server key is a test key: its job is a test-mode job.
    let (_, thread) = call(&s.base, &s.key, Method::POST, "/threads", Some(json!({}))).await;
    let (status, posted) = call(
        &s.base,
        &s.key,
        Method::POST,
        &format!("/threads/{}/messages", thread["id"].as_str().unwrap()),
        Some(json!({"content": PROMPT})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    let job = posted["job"]["id"].as_str().unwrap().to_string();
    let plan = posted["plan"]["id"].as_str().unwrap().to_string();
    let (status, _) = call(&s.base, &s.key, Method::GET, &format!("/jobs/{job}"), None).await;
    assert_eq!(status, StatusCode::OK, "its own mode sees it");
    for (method, path) in [
        (Method::GET, format!("/jobs/{job}")),
        (Method::GET, format!("/jobs/{job}/leads")),
        (Method::GET, format!("/jobs/{job}/logs")),
        (Method::GET, format!("/jobs/{job}/summary")),
        (Method::GET, format!("/plans/{plan}")),
        (Method::POST, format!("/jobs/{job}/approve")),
        (Method::POST, format!("/jobs/{job}/stop")),
    ] {
        let (status, body) = call(&s.base, &live, method.clone(), &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert_eq!(body["error"]["code"], "not_found", "{body}");
    }
    let (_, list) = call(&s.base, &live, Method::GET, "/jobs", None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0, "{list}");
    let (_, list) = call(&s.base, &s.key, Method::GET, "/jobs", None).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
    let (_, job_now) = call(&s.base, &s.key, Method::GET, &format!("/jobs/{job}"), None).await;
    assert_eq!(
        job_now["status"], "pending",
        "the live key's approve did nothing"
    );
}
