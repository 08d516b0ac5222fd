//! Rate limits as the reference states them: per organisation (all its keys share one budget),
//! and failed authentication limited per client address — over real HTTP on loopback.

use crate::common;

use common::server::{serve, serve_with};
use leadline::model::OrgId;
use leadline::server::{Scope, ServerOptions, keys};
use reqwest::StatusCode;
use serde_json::Value;

async fn get(base: &str, key: &str) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    get_from(&reqwest::Client::new(), base, key).await
}

async fn get_from(
    client: &reqwest::Client,
    base: &str,
    key: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let resp = client
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
        leadline::engine::store::blocking(|| {
            keys::mint(
                s.engine.store(),
                &OrgId::from_db(org.into()),
                "k",
                &Scope::ALL,
                false,
                None,
            )
        })
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

/// The probe: 300 bad-key requests from one address. The first `limit` are 401s, every
/// later one a 429 in the envelope with `Retry-After`; a right key from that address is refused
/// too until the window resets (or a guess that hit would show), while another address is not.
#[tokio::test]
async fn failed_authentication_is_limited_per_address() {
    let s = serve(0).await;
    let limit = ServerOptions::default().failed_auth_per_minute as usize;
    inside_one_window().await;
    let mut statuses = Vec::new();
    let client = reqwest::Client::new();
    for i in 0..300 {
        let key = match i % 3 {
            0 => format!("sk_test_wrong{i}"),
            1 => format!("not-a-key-{i}"),
            _ => String::new(),
        };
        let (status, headers, body) = get_from(&client, &s.base, &key).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_429(&headers, &body);
        } else {
            assert_eq!(body["error"]["code"], "authentication_error", "{body}");
        }
        statuses.push(status);
    }
    assert!(
        statuses[..limit]
            .iter()
            .all(|s| *s == StatusCode::UNAUTHORIZED),
        "{statuses:?}"
    );
    assert!(
        statuses[limit..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let (status, headers, body) = get(&s.base, &s.key).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_429(&headers, &body);
    // Loopback is a /8: another address of it is another client.
    let elsewhere = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let (status, _, body) = get_from(&elsewhere, &s.base, &s.key).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "another address is not blocked: {body}"
    );
}

/// Valid keys never count as failures, however many requests they make.
#[tokio::test]
async fn successful_requests_do_not_count_as_failed_authentication() {
    let s = serve_with(
        0,
        ServerOptions {
            failed_auth_per_minute: 2,
            ..ServerOptions::default()
        },
    )
    .await;
    inside_one_window().await;
    for _ in 0..10 {
        assert_eq!(get(&s.base, &s.key).await.0, StatusCode::OK);
    }
    assert_eq!(
        get(&s.base, "sk_test_nope").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(get(&s.base, &s.key).await.0, StatusCode::OK);
}

/// Guesses sent all at once cannot slip past the count between its check and its increment.
#[tokio::test]
async fn a_concurrent_burst_of_bad_keys_gets_no_more_401s_than_the_limit() {
    let s = serve_with(
        0,
        ServerOptions {
            failed_auth_per_minute: 10,
            ..ServerOptions::default()
        },
    )
    .await;
    inside_one_window().await;
    let client = reqwest::Client::new();
    let burst = (0..120).map(|i| {
        let (client, base) = (client.clone(), s.base.clone());
        tokio::spawn(async move {
            get_from(&client, &base, &format!("sk_test_guess{i}"))
                .await
                .0
        })
    });
    let statuses = futures::future::join_all(burst).await;
    let count = |want: StatusCode| {
        statuses
            .iter()
            .filter(|s| *s.as_ref().unwrap() == want)
            .count()
    };
    assert_eq!(count(StatusCode::UNAUTHORIZED), 10, "{statuses:?}");
    assert_eq!(count(StatusCode::TOO_MANY_REQUESTS), 110, "{statuses:?}");
}
