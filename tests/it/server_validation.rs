//! API validation (#12 item 7) over real HTTP: who may call is settled before what the body
//! says, every bad parameter is a 400 naming it, and every refusal axum itself would make
//! (405, 413, malformed JSON, bad path ids) comes back in the error envelope.

use crate::common;

use common::server::{PROMPT, Served, assert_envelope, call, key_of, plan_job, serve};
use leadline::server::Scope;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn assert_400(status: StatusCode, body: &Value, param: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_envelope(body, "invalid_request_error");
    assert_eq!(body["error"]["param"], param, "{body}");
}

/// Every write that takes a body and names an object in its path, with a body that would be a
/// 400 from its owner.
fn writes(job: &str, plan: &str, thread: &str) -> Vec<(String, Value)> {
    vec![
        (format!("/jobs/{job}/enrich"), json!({})),
        (format!("/jobs/{job}/push"), json!({})),
        (
            format!("/jobs/{job}/approve"),
            json!({"max_credits": "lots"}),
        ),
        (format!("/plans/{plan}/replan"), json!({})),
        (format!("/threads/{thread}/messages"), json!({})),
        (format!("/threads/{thread}"), json!({"title": 7})),
    ]
}

#[tokio::test]
async fn scope_and_ownership_are_checked_before_the_body() {
    let s = serve(0).await;
    let (job, plan) = plan_job(&s, &s.key).await;
    let (_, _, jobv) = call(&s, &s.key, Method::GET, &format!("/jobs/{job}"), None).await;
    let thread = jobv["thread_id"].as_str().unwrap().to_string();
    let reader = key_of(&s, "org_local", &[Scope::Read]);
    let rival = key_of(&s, "org_rival", &Scope::ALL);
    for (path, body) in writes(&job, &plan, &thread) {
        let method = if path.starts_with("/threads/") && !path.ends_with("messages") {
            Method::PATCH
        } else {
            Method::POST
        };
        let (status, _, answer) =
            call(&s, &reader, method.clone(), &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "read key, {path}: {answer}");
        assert_envelope(&answer, "permission_error");
        let (status, _, answer) = call(&s, &rival, method.clone(), &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "other org, {path}: {answer}");
        assert_envelope(&answer, "not_found");
        // The owner, with the same body, learns what is wrong with it.
        let (status, _, answer) = call(&s, &s.key, method, &path, Some(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "owner, {path}: {answer}");
        assert_envelope(&answer, "invalid_request_error");
    }
    // Bodies with no object in the path: the scope still comes first.
    for (path, body) in [
        ("/search", json!({"prompt": 5})),
        ("/threads", json!({"title": []})),
        ("/api-keys", json!({"scopes": "all"})),
    ] {
        let (status, _, answer) = call(&s, &reader, Method::POST, path, Some(body)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {answer}");
    }
}

async fn created_at(s: &Served, job: &str) -> String {
    let (_, _, v) = call(s, &s.key, Method::GET, &format!("/jobs/{job}"), None).await;
    v["created_at"].as_str().unwrap().to_string()
}

fn ids(page: &Value) -> Vec<&str> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn created_after_and_before_filter_jobs_and_a_bad_one_is_a_400() {
    let s = serve(0).await;
    let (first, _) = plan_job(&s, &s.key).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let (second, _) = plan_job(&s, &s.key).await;
    let (t1, t2) = (created_at(&s, &first).await, created_at(&s, &second).await);
    assert!(t1 < t2, "{t1} {t2}");
    let get = |q: String| {
        let s = &s;
        async move { call(s, &s.key, Method::GET, &format!("/jobs?{q}"), None).await }
    };
    let (status, _, page) = get(format!("created_after={t1}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(ids(&page), [second.as_str()]);
    let (_, _, page) = get(format!("created_before={t2}")).await;
    assert_eq!(ids(&page), [first.as_str()]);
    let (_, _, page) = get("created_after=2000-01-01".into()).await;
    assert_eq!(ids(&page).len(), 2, "a bare date is midnight UTC");
    let (_, _, page) = get("created_after=2999-01-01T00:00:00%2B02:00".into()).await;
    assert_eq!(ids(&page).len(), 0, "an offset is honoured");
    for (param, raw) in [
        ("created_after", "notadate"),
        ("created_before", "2026-13-40"),
        ("created_after", "1745231000"),
        ("created_before", "%1B%5D52%3Bc%3Bx%07"),
    ] {
        let (status, _, body) = get(format!("{param}={raw}")).await;
        assert_400(status, &body, param);
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("ISO 8601"), "{message}");
        assert!(!message.contains('\u{1b}'), "echoed raw: {message:?}");
    }
}

#[tokio::test]
async fn a_cursor_this_server_did_not_issue_is_a_400() {
    let s = serve(0).await;
    let (job, _) = plan_job(&s, &s.key).await;
    plan_job(&s, &s.key).await;
    let (_, _, page) = call(&s, &s.key, Method::GET, "/jobs?limit=1", None).await;
    let next = page["next_cursor"].as_str().unwrap().to_string();
    let (status, _, more) = call(
        &s,
        &s.key,
        Method::GET,
        &format!("/jobs?limit=1&cursor={next}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "a real cursor still pages: {more}");
    assert_eq!(more["data"].as_array().unwrap().len(), 1);
    for path in ["/jobs", "/threads", &format!("/jobs/{job}/leads")] {
        for bad in [
            "c_-1",
            "c_%2B1",
            "c_",
            "c_00a",
            "c_A",
            "abc",
            "c_ffffffffffffffffff",
        ] {
            let sep = if path.contains('?') { '&' } else { '?' };
            let (status, _, body) = call(
                &s,
                &s.key,
                Method::GET,
                &format!("{path}{sep}cursor={bad}"),
                None,
            )
            .await;
            assert_400(status, &body, "cursor");
        }
    }
}

#[tokio::test]
async fn a_row_hint_outside_1_to_10000_is_a_400_and_one_inside_is_planned() {
    let s = serve(0).await;
    let (_, _, thread) = call(&s, &s.key, Method::POST, "/threads", Some(json!({}))).await;
    let path = format!("/threads/{}/messages", thread["id"].as_str().unwrap());
    for n in [0, 10_001] {
        let body = json!({"content": PROMPT, "hints": {"max_rows": n}});
        let (status, _, answer) = call(&s, &s.key, Method::POST, &path, Some(body)).await;
        assert_400(status, &answer, "hints.max_rows");
    }
    let (_, _, messages) = call(&s, &s.key, Method::GET, &path, None).await;
    assert_eq!(
        messages["data"],
        json!([]),
        "a refused message is not stored"
    );
    let body = json!({"content": PROMPT, "hints": {"max_rows": 7}});
    let (status, _, posted) = call(&s, &s.key, Method::POST, &path, Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{posted}");
    assert_eq!(posted["plan"]["icp"]["max_rows"], 7, "{}", posted["plan"]);
}

#[tokio::test]
async fn search_without_a_prompt_is_a_400_in_the_envelope() {
    let s = serve(0).await;
    for body in [json!({}), json!({"max_rows": 5}), json!({"prompt": null})] {
        let (status, _, answer) = call(&s, &s.key, Method::POST, "/search", Some(body)).await;
        assert_400(status, &answer, "prompt");
    }
    let (status, _, answer) = call(&s, &s.key, Method::POST, "/search", None).await;
    assert_400(status, &answer, "prompt");
    let (status, _, answer) = call(
        &s,
        &s.key,
        Method::POST,
        "/search",
        Some(json!({"prompt": PROMPT, "max_rows": 0})),
    )
    .await;
    assert_400(status, &answer, "max_rows");
}

#[tokio::test]
async fn a_method_a_path_does_not_take_is_a_405_in_the_envelope_with_allow() {
    let s = serve(0).await;
    for (method, path, allowed) in [
        (Method::DELETE, "/jobs", "GET"),
        (Method::GET, "/search", "POST"),
        (Method::PUT, "/threads", "POST"),
        (
            Method::PATCH,
            "/jobs/job_01ARZ3NDEKTSV4RRFFQ69G5FAV/approve",
            "POST",
        ),
    ] {
        let (status, headers, body) = call(&s, &s.key, method.clone(), path, None).await;
        assert_eq!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {body}"
        );
        assert_envelope(&body, "invalid_request_error");
        let allow = headers["allow"].to_str().unwrap();
        assert!(allow.contains(allowed), "{method} {path}: Allow {allow}");
        assert!(headers.contains_key("x-request-id"));
    }
    // An unknown path stays a 404, whatever the method.
    let (status, _, body) = call(&s, &s.key, Method::DELETE, "/nothing-here", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_envelope(&body, "not_found");
}

#[tokio::test]
async fn a_key_that_has_already_expired_cannot_be_minted() {
    let s = serve(0).await;
    for at in [
        "2020-01-01T00:00:00Z",
        &leadline::model::Timestamp::now().to_string(),
    ] {
        let body = json!({"name": "late", "expires_at": at});
        let (status, _, answer) = call(&s, &s.key, Method::POST, "/api-keys", Some(body)).await;
        assert_400(status, &answer, "expires_at");
    }
    let (_, _, list) = call(&s, &s.key, Method::GET, "/api-keys", None).await;
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        1,
        "nothing was minted: {list}"
    );
    let body = json!({"name": "soon", "expires_at": "2999-01-01T00:00:00Z"});
    let (status, _, minted) = call(&s, &s.key, Method::POST, "/api-keys", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{minted}");
    let (status, _, _) = call(
        &s,
        minted["secret"].as_str().unwrap(),
        Method::GET,
        "/me",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

/// What axum would otherwise answer in plain text: all of it is the envelope.
#[tokio::test]
async fn every_framework_rejection_is_the_envelope() {
    let s = serve(0).await;
    let (job, _) = plan_job(&s, &s.key).await;
    let client = reqwest::Client::new();
    let send = |method: Method, path: String, body: Vec<u8>| {
        client
            .request(method, format!("{}{path}", s.base))
            .bearer_auth(&s.key)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let cases: Vec<(Method, String, Vec<u8>, StatusCode)> = vec![
        (
            Method::POST,
            "/threads".into(),
            b"{".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            "/threads".into(),
            b"[1,2]".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            "/threads".into(),
            vec![0xff, 0xfe],
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            format!("/jobs/{job}/approve"),
            b"nul".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            "/jobs/not-a-job".into(),
            Vec::new(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            "/jobs/job_%FF".into(),
            Vec::new(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            "/threads".into(),
            vec![b' '; 3 * 1024 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
    ];
    for (method, path, body, expected) in cases {
        let resp = send(method.clone(), path.clone(), body).await.unwrap();
        let status = resp.status();
        let answer: Value = resp.json().await.unwrap_or(Value::Null);
        assert_eq!(status, expected, "{method} {path}: {answer}");
        assert_envelope(&answer, "invalid_request_error");
    }
}

#[tokio::test]
async fn yes_no_parameters_take_true_or_false_only() {
    let s = serve(0).await;
    let (job, _) = plan_job(&s, &s.key).await;
    let (_, _, jobv) = call(&s, &s.key, Method::GET, &format!("/jobs/{job}"), None).await;
    let thread = jobv["thread_id"].as_str().unwrap();
    let (status, _, body) = call(
        &s,
        &s.key,
        Method::DELETE,
        &format!("/threads/{thread}?force=ture"),
        None,
    )
    .await;
    assert_400(status, &body, "force");
    let (status, _, body) = call(
        &s,
        &s.key,
        Method::GET,
        &format!("/jobs/{job}/logs?leads=nope"),
        None,
    )
    .await;
    assert_400(status, &body, "leads");
    let (status, _, body) = call(
        &s,
        &s.key,
        Method::GET,
        &format!("/jobs/{job}/logs?leads=false"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, body) = call(
        &s,
        &s.key,
        Method::DELETE,
        &format!("/threads/{thread}?force=false"),
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a pending job does not block a delete: {body}"
    );
}
