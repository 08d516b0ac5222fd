//! The LLM planner against a real HTTP fake on 127.0.0.1: good answers are used (after
//! normalisation), and every kind of failure falls back to the rules with a visible note.

use std::time::Duration;

use leadline::engine::planner::{LlmPlanner, LlmPlannerConfig, PlanRequest, Planner};
use leadline::model::{ErrorCode, Icp};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

const KEY: &str = "sk-test-not-a-real-key";
const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

/// What the fake does with the one request it receives.
enum Reply {
    Json(Value),
    Status(u16, &'static str),
    Raw(&'static str),
    Sleep(Duration),
}

struct Seen {
    head: String,
    body: Value,
}

/// Serves exactly one request, then reports what it saw.
async fn fake(reply: Reply) -> (String, oneshot::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = oneshot::channel();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        let (head, body) = loop {
            let Ok(n) = socket.read(&mut chunk).await else {
                return;
            };
            if n == 0 {
                return;
            }
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_string();
            if let Some(split) = text.find("\r\n\r\n") {
                let head = text[..split].to_string();
                let len = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().to_string())
                    })
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                if buf.len() >= split + 4 + len {
                    let body =
                        String::from_utf8_lossy(&buf[split + 4..split + 4 + len]).to_string();
                    break (head, body);
                }
            }
        };
        let _ = tx.send(Seen {
            head,
            body: serde_json::from_str(&body).unwrap_or(Value::Null),
        });
        let (status, reason, payload) = match reply {
            Reply::Json(v) => (200, "OK", v.to_string()),
            Reply::Status(code, reason) => (
                code,
                reason,
                "{\"error\":{\"message\":\"boom\"}}".to_string(),
            ),
            Reply::Raw(s) => (200, "OK", s.to_string()),
            Reply::Sleep(d) => {
                tokio::time::sleep(d).await;
                (200, "OK", "{}".to_string())
            }
        };
        let response = format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{payload}",
            payload.len()
        );
        let _ = socket.write_all(response.as_bytes()).await;
        let _ = socket.shutdown().await;
    });
    (format!("http://{addr}/v1"), rx)
}

fn planner(base_url: String, timeout: Duration) -> LlmPlanner {
    LlmPlanner::new(LlmPlannerConfig {
        base_url,
        model: "test-model".into(),
        api_key: Some(KEY.into()),
        timeout,
    })
}

fn completion(content: &str) -> Value {
    json!({"id": "c1", "object": "chat.completion", "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content, "refusal": null}}
    ]})
}

fn good_icp() -> Value {
    json!({
        "industries": ["fintech"], "countries": ["FR"], "regions": [], "cities": [], "us_states": [],
        "funding_stages": ["series_a"], "employees": {"min": null, "max": null},
        "team_size": [{"department": "engineering", "min": 20, "max": null}],
        "roles": ["VP of Engineering", "Head of Growth"], "technologies": [], "hiring_for": [],
        "funded_within_days": null, "max_rows": null, "excluded_sources": []
    })
}

fn request() -> PlanRequest {
    PlanRequest {
        prompt: PROMPT.into(),
        ..PlanRequest::default()
    }
}

fn assert_fell_back(draft: &leadline::engine::planner::PlanDraft, why: &str) {
    assert_eq!(draft.notes.len(), 1, "{:?}", draft.notes);
    let note = &draft.notes[0];
    assert!(
        note.starts_with("The LLM planner was unavailable ("),
        "{note}"
    );
    assert!(
        note.ends_with("this plan was drafted by the built-in rules."),
        "{note}"
    );
    assert!(note.contains(why), "{note} should mention {why}");
    assert!(!note.contains(KEY));
    // The rules' reading of the prompt.
    assert_eq!(draft.icp.roles, ["VP Engineering", "Head of Growth"]);
    assert_eq!(draft.icp.countries, ["FR"]);
}

#[tokio::test]
async fn a_good_answer_is_used_and_the_request_is_well_formed() {
    let (url, seen) = fake(Reply::Json(completion(&good_icp().to_string()))).await;
    let draft = planner(url, Duration::from_secs(5))
        .plan(&request())
        .await
        .expect("plan");
    let seen = seen.await.expect("request seen");

    assert!(
        seen.head.starts_with("POST /v1/chat/completions "),
        "{}",
        seen.head
    );
    let auth = seen
        .head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
        .expect("auth header");
    assert_eq!(
        auth.split_once(':').map(|(_, v)| v.trim()),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(seen.body["model"], "test-model");
    let messages = seen.body["messages"].as_array().expect("messages");
    assert!(
        messages
            .iter()
            .any(|m| m["role"] == "user"
                && m["content"].as_str().is_some_and(|c| c.contains(PROMPT)))
    );
    assert_eq!(seen.body["response_format"]["type"], "json_schema");
    assert_eq!(seen.body["response_format"]["json_schema"]["strict"], true);
    assert_eq!(
        seen.body["response_format"]["json_schema"]["schema"]["required"]
            .as_array()
            .map(Vec::len),
        Some(14)
    );

    assert!(draft.notes.is_empty(), "{:?}", draft.notes);
    let expected = Icp {
        industries: vec!["fintech".into()],
        countries: vec!["FR".into()],
        funding_stages: vec!["series_a".into()],
        team_size: [(
            "engineering".to_string(),
            leadline::model::Range {
                min: Some(20),
                max: None,
            },
        )]
        .into(),
        roles: vec!["VP Engineering".into(), "Head of Growth".into()],
        ..Icp::default()
    };
    assert_eq!(draft.icp, expected);
    assert!(draft.steps.len() <= 12 && draft.credits_estimate > 0);
}

#[tokio::test]
async fn invalid_json_falls_back_to_rules() {
    let (url, _seen) = fake(Reply::Json(completion("{\"industries\": [\"fintech\""))).await;
    let draft = planner(url, Duration::from_secs(5))
        .plan(&request())
        .await
        .expect("plan");
    assert_fell_back(&draft, "invalid JSON");
}

#[tokio::test]
async fn a_schema_mismatch_falls_back_to_rules() {
    let (url, _seen) = fake(Reply::Json(completion("{\"audience\": \"fintechs\"}"))).await;
    let draft = planner(url, Duration::from_secs(5))
        .plan(&request())
        .await
        .expect("plan");
    assert_fell_back(&draft, "did not match the ICP schema");
}

#[tokio::test]
async fn a_non_json_body_falls_back_to_rules() {
    let (url, _seen) = fake(Reply::Raw("<html>gateway</html>")).await;
    let draft = planner(url, Duration::from_secs(5))
        .plan(&request())
        .await
        .expect("plan");
    assert_fell_back(&draft, "not valid JSON");
}

#[tokio::test]
async fn an_http_500_falls_back_to_rules() {
    let (url, _seen) = fake(Reply::Status(500, "Internal Server Error")).await;
    let draft = planner(url, Duration::from_secs(5))
        .plan(&request())
        .await
        .expect("plan");
    assert_fell_back(&draft, "HTTP 500");
}

#[tokio::test]
async fn a_slow_answer_times_out_and_falls_back_to_rules() {
    let (url, _seen) = fake(Reply::Sleep(Duration::from_secs(3))).await;
    let started = std::time::Instant::now();
    let draft = planner(url, Duration::from_millis(300))
        .plan(&request())
        .await
        .expect("plan");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert_fell_back(&draft, "did not answer within");
}

#[tokio::test]
async fn a_refusal_falls_back_to_rules() {
    let refusal = json!({"choices": [{"index": 0, "finish_reason": "stop",
        "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}}]});
    let (url, _seen) = fake(Reply::Json(refusal)).await;
    let draft = planner(url, Duration::from_secs(5))
        .plan(&request())
        .await
        .expect("plan");
    assert_fell_back(&draft, "refused");
}

#[tokio::test]
async fn an_unreachable_server_falls_back_and_a_prompt_without_audience_is_still_rejected() {
    // Bind and drop, so the port is (almost certainly) closed.
    let port = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let p = planner(format!("http://127.0.0.1:{port}"), Duration::from_secs(2));
    let draft = p.plan(&request()).await.expect("plan");
    assert_fell_back(&draft, "could not be reached");
    let err = p
        .plan(&PlanRequest {
            prompt: "hello".into(),
            ..PlanRequest::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::PlanRejected);
}

#[tokio::test]
async fn replan_uses_the_model_answer() {
    let mut edited = good_icp();
    edited["roles"] = json!(["VP Engineering"]);
    let (url, seen) = fake(Reply::Json(completion(&edited.to_string()))).await;
    let previous = Icp {
        industries: vec!["fintech".into()],
        countries: vec!["FR".into()],
        roles: vec!["VP Engineering".into(), "Head of Growth".into()],
        ..Icp::default()
    };
    let draft = planner(url, Duration::from_secs(5))
        .replan(&previous, "only VP Eng")
        .await
        .expect("replan");
    let seen = seen.await.expect("seen");
    let user = seen.body["messages"][1]["content"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        user.contains("only VP Eng") && user.contains("Head of Growth"),
        "{user}"
    );
    assert_eq!(draft.icp.roles, ["VP Engineering"]);
    assert!(draft.notes.is_empty());
}

/// #13 item 7: the model is held to the vocabulary like a prompt is. An invented role, a city,
/// technology and source nobody knows are dropped and reported in `not_understood`, never
/// passed on to a job.
#[tokio::test]
async fn values_outside_the_vocabulary_are_dropped_and_reported() {
    let mut answer = good_icp();
    answer["roles"] = json!([
        "Blorp Wrangler Manager",
        "Head of Growth",
        "\u{1b}[2Jblorp wrangler"
    ]);
    answer["cities"] = json!(["Atlantis City", "Paris"]);
    answer["technologies"] = json!(["Shopify", "HyperFrobnicator"]);
    answer["excluded_sources"] = json!(["linkedin", "my cousin's blog"]);
    answer["hiring_for"] = json!(["ML engineers", "unicorn wranglers"]);
    let (url, _seen) = fake(Reply::Json(completion(&answer.to_string()))).await;
    let draft = planner(url, Duration::from_secs(5))
        .plan(&request())
        .await
        .expect("plan");
    assert_eq!(draft.icp.roles, ["Head of Growth"]);
    assert_eq!(draft.icp.cities, ["Paris"]);
    assert_eq!(draft.icp.technologies, ["Shopify"]);
    assert_eq!(draft.icp.excluded_sources, ["linkedin"]);
    assert_eq!(draft.icp.hiring_for, ["ML Engineer"]);
    assert_eq!(
        draft.not_understood,
        [
            "Atlantis City (city)",
            "Blorp Wrangler Manager (role)",
            "[2Jblorp wrangler (role)",
            "unicorn wranglers (hiring for)",
            "HyperFrobnicator (technology)",
            "my cousin's blog (source)",
        ]
    );
    assert!(draft.notes.is_empty(), "the model's answer was used");
}

/// #13 item 5 holds for the model too: an answer that empties the places is a question.
#[tokio::test]
async fn a_model_replan_that_widens_is_a_question() {
    let mut edited = good_icp();
    edited["countries"] = json!([]);
    let (url, _seen) = fake(Reply::Json(completion(&edited.to_string()))).await;
    let previous = Icp {
        industries: vec!["fintech".into()],
        countries: vec!["FR".into()],
        roles: vec!["VP Engineering".into()],
        ..Icp::default()
    };
    let err = planner(url, Duration::from_secs(5))
        .replan(&previous, "drop France")
        .await
        .expect_err("widening is asked about");
    assert_eq!(err.code, ErrorCode::PlanRejected);
    assert!(err.message.contains("worldwide"), "{}", err.message);
}

/// A model that answers with hundreds of invented values gets a bounded report.
#[tokio::test]
async fn a_flood_of_invented_values_is_reported_in_bounded_form() {
    let mut answer = good_icp();
    let junk: Vec<String> = (0..500)
        .map(|i| format!("Wrangler{i} {}", "x".repeat(200)))
        .collect();
    answer["technologies"] = json!(junk);
    let (url, _seen) = fake(Reply::Json(completion(&answer.to_string()))).await;
    let draft = planner(url, Duration::from_secs(5))
        .plan(&request())
        .await
        .expect("plan");
    assert!(draft.icp.technologies.is_empty());
    assert_eq!(draft.not_understood.len(), 21, "{:?}", draft.not_understood);
    assert_eq!(draft.not_understood[20], "\u{2026} and 480 more");
    assert!(draft.not_understood.iter().all(|s| s.chars().count() <= 61));
}
