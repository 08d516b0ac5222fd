//! Rate limits as the reference states them: per organisation (all its keys share one budget),
//! and failed authentication limited per client address — over real HTTP on loopback.

use crate::common;

use common::server::{serve, serve_with};
use leadline::model::OrgId;
use leadline::server::{Scope, ServerOptions, keys};
use reqwest::StatusCode;
use serde_json::Value;

async fn get(base: &str, key: &str) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let resp = reqwest::Client::new()
        .get(format!("{base}/threads"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.json().await.unwrap_or(Value::Null))
}

/// Limits count in whole-minute windows: start well inside one so the counts cannot reset midway.
async fn inside_one_window() {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        % 60.0;
    if secs > 55.0 {
        tokio::time::sleep(std::time::Duration::from_secs_f64(60.5 - secs)).await;
    }
}

fn assert_429(headers: &reqwest::header::HeaderMap, body: &Value) {
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(body["error"]["code"], "rate_limit_error", "{body}");
    assert!(body["error"]["request_id"].as_str().is_some(), "{body}");
}

#[tokio::test]
async fn an_organisations_keys_share_one_budget_and_other_organisations_are_apart() {
    let s = serve_with(
        0,
        ServerOptions {
            rate_limit_per_minute: 3,
            ..ServerOptions::default()
        },
    )
    .await;
    inside_one_window().await;
    let mint = |org: &str| {
        keys::mint(
            s.engine.store(),
            &OrgId::from_db(org.into()),
            "k",
            &Scope::ALL,
            false,
            None,
        )
        .unwrap()
        .secret
    };
    let second = mint(OrgId::local().as_str());
    let other_org = mint("org_other");
    for key in [&s.key, &second, &s.key] {
        assert_eq!(get(&s.base, key).await.0, StatusCode::OK);
    }
    let (status, headers, body) = get(&s.base, &second).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "a fresh key of the same organisation"
    );
    assert_429(&headers, &body);
    assert_eq!(get(&s.base, &other_org).await.0, StatusCode::OK);
}

#[tokio::test]
async fn failed_authentication_is_limited_per_address() {
    let s = serve(0).await;
    let limit = ServerOptions::default().failed_auth_per_minute as usize;
    inside_one_window().await;
    let mut statuses = Vec::new();
    for i in 0..limit + 10 {
        let (status, headers, body) = get(&s.base, &format!("sk_test_wrong{i}")).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_429(&headers, &body);
        }
        statuses.push(status);
    }
    assert!(
        statuses[..limit]
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED)
    );
    assert!(
        statuses[limit..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // Until the window resets, a right guess must not show as a 200 either.
    let (status, headers, body) = get(&s.base, &s.key).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_429(&headers, &body);
}
