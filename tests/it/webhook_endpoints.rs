//! Managing a webhook endpoint over real HTTP: GET and PATCH (what it receives changes), rotating
//! its secret (two `v1=` signatures during the grace period, one after), sending a test
//! delivery, and another organisation's id answering 404 everywhere. Receivers are loopback
//! servers that verify every signature with the secret they were given.

use crate::fakes;
use crate::webhooks::{Shared, call, inbox_until, log_until, of_type, receiver, register, server};

use std::time::Duration;

use axum::http::HeaderMap;
use common::server::Served;
use leadline::model::OrgId;
use leadline::server::{Scope, keys};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common;

/// A receiver that verifies with `secret`.
async fn receiver_for(secret: &str) -> (String, Shared) {
    let (url, inbox) = receiver().await;
    inbox.lock().unwrap().secret = secret.to_string();
    (url, inbox)
}

async fn new_thread(s: &Served) -> String {
    let (status, t) = call(
        s,
        &s.key,
        Method::POST,
        "/threads",
        Some(json!({"title": "t"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{t}");
    t["id"].as_str().unwrap().to_string()
}

/// Called from the async tests: `store::blocking` keeps a PostgreSQL store's synchronous client
/// off the runtime's thread.
fn rival(s: &Served, name: &str, scopes: &[Scope], org: &OrgId) -> String {
    leadline::engine::store::blocking(|| {
        keys::mint(s.engine.store(), org, name, scopes, false, None)
            .unwrap()
            .secret
    })
}

async fn patch(s: &Served, id: &str, body: Value) -> (StatusCode, Value) {
    call(
        s,
        &s.key,
        Method::PATCH,
        &format!("/webhooks/{id}"),
        Some(body),
    )
    .await
}

fn thread_ids(events: &[Value]) -> Vec<String> {
    of_type(events, "thread.created")
        .iter()
        .map(|e| e["data"]["object"]["id"].as_str().unwrap().to_string())
        .collect()
}

#[expect(
    clippy::too_many_lines,
    reason = "one endpoint's life read top to bottom: read, retarget, filter, disable, move, refuse"
)]
#[tokio::test]
async fn patch_changes_what_an_endpoint_receives_and_is_checked_like_a_registration() {
    let s = server().await;
    // `a` is the endpoint under test; `barrier` gets every thread.created, so once it has one,
    // `a` has had every chance to get it too (both are queued in one transaction).
    let (url_probe, _) = receiver().await;
    let a = register(&s, json!({"url": url_probe, "events": ["job.approved"]})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let secret = a["signing_secret"].as_str().unwrap().to_string();
    let (url_a, inbox_a) = receiver_for(&secret).await;
    let barrier = register(&s, json!({"url": "http://127.0.0.1:9/x"})).await;
    let (url_b, inbox_b) = receiver_for(barrier["signing_secret"].as_str().unwrap()).await;
    let (status, b) = patch(
        &s,
        barrier["id"].as_str().unwrap(),
        json!({"url": url_b, "events": ["thread.created"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{b}");

    // GET shows the endpoint without its secret.
    let (status, got) = call(&s, &s.key, Method::GET, &format!("/webhooks/{id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["events"], json!(["job.approved"]));
    assert!(got.get("signing_secret").is_none(), "{got}");

    // New url and events: thread.created now goes to `a`'s receiver.
    let (status, changed) = patch(
        &s,
        &id,
        json!({"url": url_a, "events": ["thread.created"], "description": "threads"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(
        (
            &changed["url"],
            &changed["events"],
            &changed["description"],
            &changed["enabled"]
        ),
        (
            &json!(url_a),
            &json!(["thread.created"]),
            &json!("threads"),
            &json!(true)
        )
    );
    assert!(changed.get("signing_secret").is_none(), "{changed}");
    let first = new_thread(&s).await;
    inbox_until(&inbox_b, |e| thread_ids(e).contains(&first)).await;
    let got = inbox_until(&inbox_a, |e| thread_ids(e).contains(&first)).await;
    assert_eq!(got.len(), 1, "only what it subscribed to: {got:?}");

    // Disabled: nothing more arrives, though the barrier gets the next thread.
    let (status, off) = patch(&s, &id, json!({"enabled": false})).await;
    assert_eq!((status, &off["enabled"]), (StatusCode::OK, &json!(false)));
    let second = new_thread(&s).await;
    inbox_until(&inbox_b, |e| thread_ids(e).contains(&second)).await;
    log_until(&s, barrier["id"].as_str().unwrap(), |l| {
        l.iter().filter(|d| d["status"] == "delivered").count() == 2
    })
    .await;
    assert_eq!(inbox_a.lock().unwrap().received.len(), 1);
    let log = log_until(&s, &id, |_| true).await;
    assert_eq!(log.len(), 1, "no delivery queued while disabled: {log:?}");

    // Re-enabled with a filter that leaves threads out: still nothing.
    let (status, _) = patch(
        &s,
        &id,
        json!({"enabled": true, "events": ["job.succeeded"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let third = new_thread(&s).await;
    inbox_until(&inbox_b, |e| thread_ids(e).contains(&third)).await;
    assert_eq!(inbox_a.lock().unwrap().received.len(), 1);

    // Checked like a registration; a refused change changes nothing.
    for (body, param) in [
        (json!({"url": "http://hooks.example.com/x"}), Some("url")),
        (
            json!({"url": "https://u:p@hooks.example.com/x"}),
            Some("url"),
        ),
        (json!({"events": ["job.exploded"]}), Some("events")),
        (json!({"events": []}), Some("events")),
        (json!({"description": "x".repeat(501)}), Some("description")),
        (json!({"colour": "red"}), None),
        (json!({"enabled": "yes"}), None),
        (json!({}), None),
    ] {
        let (status, e) = patch(&s, &id, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {e}");
        if let Some(param) = param {
            assert_eq!(e["error"]["param"], param, "{body}: {e}");
        }
        assert!(!e["error"]["message"].as_str().unwrap().is_empty());
    }
    let (_, unchanged) = call(&s, &s.key, Method::GET, &format!("/webhooks/{id}"), None).await;
    assert_eq!(unchanged["url"], json!(url_a));
    assert_eq!(unchanged["events"], json!(["job.succeeded"]));

    // Another organisation's id is not found, whatever the method; a non-admin key is refused.
    let theirs = rival(
        &s,
        "rival",
        &Scope::ALL,
        &OrgId::parse("org_rival").unwrap(),
    );
    for (method, path, body) in [
        (Method::GET, format!("/webhooks/{id}"), None),
        (
            Method::PATCH,
            format!("/webhooks/{id}"),
            Some(json!({"enabled": false})),
        ),
        (Method::POST, format!("/webhooks/{id}/rotate"), None),
        (Method::POST, format!("/webhooks/{id}/test"), None),
        (Method::DELETE, format!("/webhooks/{id}"), None),
    ] {
        let (status, e) = call(&s, &theirs, method.clone(), &path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {e}");
        assert_eq!(e["error"]["param"], "webhook_id", "{e}");
    }
    let reader = rival(&s, "reader", &[Scope::Read, Scope::Run], &OrgId::local());
    let (status, _) = call(
        &s,
        &reader,
        Method::PATCH,
        &format!("/webhooks/{id}"),
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, still) = call(&s, &s.key, Method::GET, &format!("/webhooks/{id}"), None).await;
    assert_eq!(still["enabled"], true, "{still}");
    assert!(inbox_a.lock().unwrap().failures.is_empty());
}

/// The hex HMAC-SHA256 of `"{t}.{body}"`.
fn mac(secret: &str, t: &str, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut m = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    m.update(t.as_bytes());
    m.update(b".");
    m.update(body);
    hex::encode(m.finalize().into_bytes())
}

/// Registers a `thread.created` endpoint at a receiver, rotates its secret, creates a thread:
/// (old secret, new secret, the delivery's headers, its raw body).
async fn rotate_and_deliver(s: &Served) -> (String, String, HeaderMap, Vec<u8>) {
    let (url, inbox) = receiver().await;
    let e = register(s, json!({"url": url, "events": ["thread.created"]})).await;
    let id = e["id"].as_str().unwrap().to_string();
    let old = e["signing_secret"].as_str().unwrap().to_string();
    let (status, rotated) = call(
        s,
        &s.key,
        Method::POST,
        &format!("/webhooks/{id}/rotate"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let new = rotated["signing_secret"].as_str().unwrap().to_string();
    assert!(new.starts_with("whsec_") && new != old, "{rotated}");
    assert_eq!(rotated["id"], id.as_str());
    // Shown once: not by GET or the list.
    let (_, got) = call(s, &s.key, Method::GET, &format!("/webhooks/{id}"), None).await;
    assert!(got.get("signing_secret").is_none(), "{got}");
    inbox.lock().unwrap().secret = new.clone();
    new_thread(s).await;
    inbox_until(&inbox, |e| !e.is_empty()).await;
    let i = inbox.lock().unwrap();
    (old, new, i.received[0].0.clone(), i.bodies[0].to_vec())
}

#[tokio::test]
async fn a_rotated_secret_signs_next_to_the_old_one_during_the_grace_period_and_alone_after() {
    // The default grace period (24 h): both signatures, the new one first.
    let s = server().await;
    let (old, new, headers, body) = rotate_and_deliver(&s).await;
    let (t, v1s) = fakes::webhook::signatures(&headers).unwrap();
    assert_eq!(v1s.len(), 2, "{headers:?}");
    assert_eq!(v1s[0], mac(&new, &t, &body), "the new secret signs first");
    assert_eq!(v1s[1], mac(&old, &t, &body), "then the old one");
    // A receiver holding either secret accepts it; one holding neither does not.
    fakes::webhook::verify(&headers, &body, &new).unwrap();
    fakes::webhook::verify(&headers, &body, &old).unwrap();
    assert!(fakes::webhook::verify(&headers, &body, "whsec_other").is_err());

    // With the grace period over (none here), the old secret no longer suffices.
    let s = crate::webhooks::server_tuned(0, |eo| {
        eo.integrations.secret_grace = Duration::ZERO;
    })
    .await;
    let (old, new, headers, body) = rotate_and_deliver(&s).await;
    let (t, v1s) = fakes::webhook::signatures(&headers).unwrap();
    assert_eq!(v1s, vec![mac(&new, &t, &body)]);
    fakes::webhook::verify(&headers, &body, &new).unwrap();
    assert!(fakes::webhook::verify(&headers, &body, &old).is_err());
}

#[tokio::test]
async fn a_test_delivery_is_sent_at_once_answered_with_its_outcome_and_logged() {
    let s = server().await;
    let (url, inbox) = receiver().await;
    // Disabled endpoints can be tested too (before turning them on).
    let e = register(&s, json!({"url": url, "enabled": false})).await;
    let id = e["id"].as_str().unwrap().to_string();
    inbox.lock().unwrap().secret = e["signing_secret"].as_str().unwrap().to_string();

    let test = |s: &Served, id: String| {
        let (base, key) = (s.base.clone(), s.key.clone());
        async move {
            let resp = reqwest::Client::new()
                .post(format!("{base}/webhooks/{id}/test"))
                .bearer_auth(key)
                .send()
                .await
                .unwrap();
            (resp.status(), resp.json::<Value>().await.unwrap())
        }
    };
    let (status, d) = test(&s, id.clone()).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(
        (
            &d["object"],
            &d["type"],
            &d["status"],
            &d["attempts"],
            &d["response_status"]
        ),
        (
            &json!("webhook_delivery"),
            &json!("webhook.test"),
            &json!("delivered"),
            &json!(1),
            &json!(200)
        ),
        "{d}"
    );
    // It arrived, signed, in the envelope, before the answer.
    {
        let i = inbox.lock().unwrap();
        assert!(i.failures.is_empty(), "{:?}", i.failures);
        assert_eq!(i.received.len(), 1);
        let (headers, event) = &i.received[0];
        assert_eq!(event["type"], "webhook.test");
        assert_eq!(headers["leadex-event"], "webhook.test");
        assert_eq!(headers["leadex-delivery"], d["id"].as_str().unwrap());
        assert_eq!(event["id"], d["event_id"]);
        assert_eq!(event["data"]["object"]["id"], id.as_str());
        assert!(event["data"]["object"].get("signing_secret").is_none());
    }
    // A receiver answering 500: the answer says so, and nothing is retried.
    inbox.lock().unwrap().down = true;
    let (status, d) = test(&s, id.clone()).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(
        (&d["status"], &d["response_status"], &d["attempts"]),
        (&json!("failed"), &json!(500), &json!(1))
    );
    // Nothing listening: the error is named.
    let closed = format!("http://127.0.0.1:{}/hook", common::process::free_port());
    let (status, _) = patch_url(&s, &id, &closed).await;
    assert_eq!(status, StatusCode::OK);
    let (_, d) = test(&s, id.clone()).await;
    assert_eq!(d["status"], "failed", "{d}");
    assert_eq!(d["response_status"], Value::Null);
    assert!(!d["error"].as_str().unwrap_or("").is_empty(), "{d}");

    // All three are in the endpoint's log, newest first, as they ended.
    let log = log_until(&s, &id, |l| l.len() == 3).await;
    let statuses: Vec<&Value> = log.iter().map(|d| &d["status"]).collect();
    assert_eq!(
        statuses,
        [&json!("failed"), &json!("failed"), &json!("delivered")]
    );
    assert!(log.iter().all(|d| d["type"] == "webhook.test"));
    assert_eq!(inbox.lock().unwrap().received.len(), 2, "no retries");
}

async fn patch_url(s: &Served, id: &str, url: &str) -> (StatusCode, Value) {
    patch(s, id, json!({"url": url})).await
}
