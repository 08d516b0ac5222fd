//! A stopped job's SSE stream ends the way the reference specifies: on a `stopped` event (not a
//! `done` a client would read as success), and our own remote client still reads it as the end.

use crate::common;

use std::time::Duration;

use common::server::serve;
use serde_json::{Value, json};

const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

#[tokio::test]
async fn a_stopped_job_s_stream_ends_with_a_stopped_event() {
    // Paced so the job is still running when it is stopped.
    let s = serve(200).await;
    let http = reqwest::Client::new();
    let post = |path: String, body: Value| {
        http.post(format!("{}{path}", s.base))
            .bearer_auth(&s.key)
            .json(&body)
            .send()
    };
    let thread: Value = post("/threads".into(), json!({"title": "t"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let posted: Value = post(
        format!("/threads/{}/messages", thread["id"].as_str().unwrap()),
        json!({"content": PROMPT}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let job = posted["job"]["id"].as_str().unwrap().to_string();
    post(format!("/jobs/{job}/approve"), json!({}))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopped: Value = post(format!("/jobs/{job}/stop"), json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stopped["status"], "stopped", "{stopped}");

    let resp = http
        .get(format!("{}/jobs/{job}/stream", s.base))
        .bearer_auth(&s.key)
        .send()
        .await
        .unwrap();
    let text = tokio::time::timeout(Duration::from_secs(30), resp.text())
        .await
        .expect("the stream closes")
        .unwrap();
    let names: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("event:").map(str::trim))
        .collect();
    assert_eq!(names.last(), Some(&"stopped"), "{names:?}");
    assert!(!names.contains(&"done"), "{names:?}");
    let last_data = text
        .lines()
        .filter_map(|l| l.strip_prefix("data:").map(str::trim))
        .next_back()
        .unwrap();
    let data: Value = serde_json::from_str(last_data).unwrap();
    assert_eq!(data["status"], "stopped");

    // The remote client reads the `stopped` event as the end of the job.
    assert_eq!(
        leadline::model::EventKind::parse("stopped"),
        Some(leadline::model::EventKind::Done)
    );
}
