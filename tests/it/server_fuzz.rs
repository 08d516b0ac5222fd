//! Fuzz-style: every route of the API gets random methods, ids, query strings, headers and bodies
//! from a seeded RNG, over real HTTP on loopback. Whatever arrives, the server must never answer
//! 5xx, every answer carries its request id, and every refusal is the error envelope with the
//! status its code stands for. The count is bounded; `LEADLINE_FUZZ_SEED` and
//! `LEADLINE_FUZZ_CASES` replay or widen a run, and a failure prints the seed and the case.

use crate::common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use common::server::{Served, call, key_of, plan_job, serve_engine};
use leadline::engine::integrations::{IntegrationSettings, Secrets};
use leadline::model::OrgId;
use leadline::server::{Scope, ServerOptions, keys};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value, json};

const ROUTES: &[(&str, &str)] = &[
    ("POST", "/threads"),
    ("GET", "/threads"),
    ("GET", "/threads/{thread}"),
    ("PATCH", "/threads/{thread}"),
    ("DELETE", "/threads/{thread}"),
    ("POST", "/threads/{thread}/messages"),
    ("GET", "/threads/{thread}/messages"),
    ("GET", "/plans/{plan}"),
    ("POST", "/plans/{plan}/replan"),
    ("GET", "/jobs"),
    ("GET", "/jobs/{job}"),
    ("POST", "/jobs/{job}/approve"),
    ("POST", "/jobs/{job}/stop"),
    ("GET", "/jobs/{job}/logs"),
    ("GET", "/jobs/{job}/stream"),
    ("GET", "/jobs/{job}/leads"),
    ("GET", "/jobs/{job}/summary"),
    ("POST", "/jobs/{job}/push"),
    ("GET", "/jobs/{job}/push"),
    ("POST", "/jobs/{job}/enrich"),
    ("GET", "/integrations"),
    ("GET", "/artifacts/{artifact}"),
    ("GET", "/artifacts/{artifact}/download"),
    ("POST", "/search"),
    ("GET", "/usage"),
    ("GET", "/me"),
    ("GET", "/api-keys"),
    ("POST", "/api-keys"),
    ("DELETE", "/api-keys/{key}"),
    ("GET", "/{junk}"),
];

const FIELDS: &[&str] = &[
    "content",
    "attachments",
    "hints",
    "auto_approve",
    "title",
    "metadata",
    "feedback",
    "max_credits",
    "webhook_url",
    "provider",
    "mode",
    "list_id",
    "mapping",
    "dry_run",
    "force",
    "allow_test_data",
    "verify",
    "lookup",
    "qualify",
    "prompt",
    "max_rows",
    "wait",
    "format",
    "name",
    "scopes",
    "expires_at",
    "kind",
    "url",
    "preferred_sources",
];

const QUERY: &[&str] = &[
    "limit",
    "cursor",
    "order",
    "status",
    "thread_id",
    "created_after",
    "created_before",
    "min_confidence",
    "has_field",
    "format",
    "expires",
    "signature",
    "force",
    "leads",
    "q",
    "has_job_status",
    "last_event_id",
];

const HOSTILE: &[&str] = &[
    "",
    " ",
    "null",
    "0",
    "-1",
    "1e309",
    "NaN",
    "true",
    "c_-1",
    "c_+1",
    "job_",
    "evt_-3",
    "\u{1b}]52;c;QUFB\u{7}",
    "\u{1b}[2J\u{1b}[H",
    "\u{202e}gnp.exe",
    "\u{200b}\u{feff}",
    "'; DROP TABLE jobs; --",
    "../../etc/passwd",
    "..",
    "%00",
    "%ZZ",
    "\0",
    "𝕏🦀",
    "{}",
    "<script>alert(1)</script>",
    "running,bogus",
    "2026-13-40",
    "sk_test_",
    "org_local",
];

/// The only URLs a body may carry: loopback or unusable, so nothing leaves the machine.
fn urls(attach: &str) -> Vec<String> {
    vec![
        format!("{attach}/leads.csv"),
        format!("{attach}/missing.csv"),
        "http://127.0.0.1:1/x.csv".into(),
        "file:///etc/passwd".into(),
        "ftp://127.0.0.1/x".into(),
        "not a url".into(),
        "http://[::1]:1/".into(),
    ]
}

struct World {
    s: Served,
    attach: String,
    /// (slot, candidate values): real ids of ours, of another organisation, and junk.
    ids: BTreeMap<&'static str, Vec<String>>,
    /// (label, bearer): ours with every scope, read-only, another organisation's, bad ones.
    auth: Vec<(&'static str, Option<String>)>,
}

fn hostile(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..6) {
        0 => "a".repeat(rng.random_range(200..20_000)),
        1 => (0..rng.random_range(0..24))
            .map(|_| char::from(rng.random_range(0x20u8..0x7f)))
            .collect(),
        2 => (0..rng.random_range(1..8))
            .filter_map(|_| char::from_u32(rng.random_range(0..0x3_0000)))
            .collect(),
        _ => (*HOSTILE.choose(rng).unwrap()).to_string(),
    }
}

fn number(rng: &mut ChaCha8Rng) -> Value {
    match rng.random_range(0..5) {
        0 => json!(rng.random_range(-3..12_000)),
        1 => json!(i64::MIN),
        2 => json!(u64::MAX),
        3 => json!(rng.random::<f64>() * 1e6 - 5e5),
        _ => json!(rng.random_range(0..3)),
    }
}

fn value(rng: &mut ChaCha8Rng, w: &World, depth: u32) -> Value {
    match rng.random_range(0..if depth > 3 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.random::<bool>()),
        2 => number(rng),
        3 => json!(hostile(rng)),
        4 => json!(urls(&w.attach).choose(rng).unwrap()),
        5 => Value::Array(
            (0..rng.random_range(0..4))
                .map(|_| value(rng, w, depth + 1))
                .collect(),
        ),
        _ => object(rng, w, depth + 1),
    }
}

fn object(rng: &mut ChaCha8Rng, w: &World, depth: u32) -> Value {
    let mut map = Map::new();
    for _ in 0..rng.random_range(0..6) {
        let key = if rng.random_bool(0.85) {
            (*FIELDS.choose(rng).unwrap()).to_string()
        } else {
            hostile(rng)
        };
        map.insert(key, value(rng, w, depth));
    }
    Value::Object(map)
}

/// A body that a route would accept, so mutations reach past the first field check.
fn plausible(rng: &mut ChaCha8Rng, w: &World) -> Value {
    let url = urls(&w.attach).choose(rng).unwrap().clone();
    let mut v = json!({
        "content": "50 Series A fintechs in France, VP Engineering",
        "prompt": "20 fintechs in Spain",
        "max_rows": rng.random_range(0..30),
        "hints": {"max_rows": rng.random_range(0..30)},
        "attachments": [{"kind": *["csv", "url_list", "pdf"].choose(rng).unwrap(), "url": url}],
        "feedback": "only Spain",
        "provider": *["hubspot", "webhook", "magnetite", "autoreach", "file", "modernleads", "x"]
            .choose(rng).unwrap(),
        "dry_run": rng.random::<bool>(),
        "name": "fuzz",
        "scopes": ["read"],
        "wait": *["sync", "async", "later"].choose(rng).unwrap(),
        "expires_at": *["2999-01-01T00:00:00Z", "2001-01-01T00:00:00Z", "soon"].choose(rng).unwrap(),
    });
    if let Value::Object(map) = &mut v {
        let keys: Vec<String> = map.keys().cloned().collect();
        for k in keys {
            if rng.random_bool(0.4) {
                map.remove(&k);
            } else if rng.random_bool(0.15) {
                map.insert(k, value(rng, w, 2));
            }
        }
    }
    v
}

fn body(rng: &mut ChaCha8Rng, w: &World) -> Option<Vec<u8>> {
    Some(match rng.random_range(0..10) {
        0 => return None,
        1 => {
            let n = rng.random_range(0..64);
            (0..n).map(|_| rng.random::<u8>()).collect()
        }
        2 => {
            let mut raw = serde_json::to_vec(&object(rng, w, 0)).unwrap();
            raw.truncate(rng.random_range(0..raw.len().max(1)));
            raw
        }
        3 => {
            let depth = rng.random_range(100..5_000);
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
        }
        4 | 5 => serde_json::to_vec(&value(rng, w, 0)).unwrap(),
        _ => serde_json::to_vec(&plausible(rng, w)).unwrap(),
    })
}

/// Every byte outside `[A-Za-z0-9_-]` percent-encoded, so any string is one path segment.
fn segment(raw: &str) -> String {
    raw.bytes().fold(String::new(), |mut out, b| {
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}

fn path(rng: &mut ChaCha8Rng, w: &World, template: &str) -> String {
    let mut out = template.to_string();
    for (slot, candidates) in &w.ids {
        let marker = format!("{{{slot}}}");
        if out.contains(&marker) {
            let id = if rng.random_bool(0.8) {
                candidates.choose(rng).unwrap().clone()
            } else {
                hostile(rng)
            };
            out = out.replace(&marker, &segment(&id));
        }
    }
    out
}

fn query(rng: &mut ChaCha8Rng, w: &World) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for _ in 0..rng.random_range(0..4) {
        let name = *QUERY.choose(rng).unwrap();
        let v = match rng.random_range(0..4) {
            0 => w
                .ids
                .values()
                .flatten()
                .collect::<Vec<_>>()
                .choose(rng)
                .unwrap()
                .to_string(),
            1 => rng.random_range(-2..200).to_string(),
            _ => hostile(rng),
        };
        q.append_pair(name, &v);
    }
    q.finish()
}

fn method(rng: &mut ChaCha8Rng, own: &str) -> Method {
    if rng.random_bool(0.75) {
        return Method::from_bytes(own.as_bytes()).unwrap();
    }
    let any = [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "FROB",
    ];
    Method::from_bytes(any.choose(rng).unwrap().as_bytes()).unwrap()
}

/// Adds `name: value` when the value is a legal header (the client refuses the rest).
fn header(req: reqwest::RequestBuilder, name: &str, value: &str) -> reqwest::RequestBuilder {
    match reqwest::header::HeaderValue::from_str(value) {
        Ok(v) => req.header(name, v),
        Err(_) => req,
    }
}

fn request(
    rng: &mut ChaCha8Rng,
    w: &World,
    client: &reqwest::Client,
) -> (String, reqwest::RequestBuilder) {
    let (own, template) = ROUTES.choose(rng).unwrap();
    let method = method(rng, own);
    let (path, query) = (path(rng, w, template), query(rng, w));
    let url = format!("{}{path}?{query}", w.s.base);
    let mut req = client.request(method.clone(), &url);
    let (who, bearer) = w.auth.choose(rng).unwrap();
    if let Some(b) = bearer {
        req = header(req, "authorization", b);
    }
    let mut seen = format!("{method} {path}?{query} as {who}");
    for (name, chance) in [
        ("idempotency-key", 0.2),
        ("x-request-id", 0.2),
        ("last-event-id", 0.1),
        ("content-type", 0.2),
        ("accept", 0.3),
    ] {
        if rng.random_bool(chance) {
            let v = match name {
                "accept" => (*["application/json", "text/csv", "*/*"].choose(rng).unwrap()).into(),
                "idempotency-key" if rng.random_bool(0.7) => {
                    format!("idem-{}", rng.random_range(0..40))
                }
                _ => hostile(rng),
            };
            let _ = write!(seen, ", {name}: {:.60}", v.escape_debug());
            req = header(req, name, &v);
        }
    }
    if let Some(b) = body(rng, w) {
        let _ = write!(
            seen,
            ", body {:.200}",
            String::from_utf8_lossy(&b).escape_debug()
        );
        req = req.body(b);
    }
    (seen, req)
}

fn expected_status(code: &str) -> Option<u16> {
    Some(match code {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "insufficient_credits" => 402,
        "permission_error" => 403,
        "not_found" => 404,
        "conflict" => 409,
        "plan_rejected" => 422,
        "rate_limit_error" => 429,
        _ => return None,
    })
}

/// The checks every answer must pass; `Err` says which failed.
async fn check(resp: reqwest::Response, head: bool) -> Result<StatusCode, String> {
    let status = resp.status();
    if status.is_server_error() {
        let text = resp.text().await.unwrap_or_default();
        return Err(format!("{status}: {text:.400}"));
    }
    let request_id = resp
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .ok_or_else(|| format!("{status} without x-request-id"))?;
    let streaming = resp
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if status.is_success() || status.is_redirection() || head || streaming {
        return Ok(status);
    }
    let text = tokio::time::timeout(Duration::from_secs(20), resp.text())
        .await
        .map_err(|_| format!("{status}: body never ended"))?
        .map_err(|e| format!("{status}: body failed: {e}"))?;
    let body: Value =
        serde_json::from_str(&text).map_err(|_| format!("{status} not JSON: {text:.300}"))?;
    let e = &body["error"];
    let code = e["code"]
        .as_str()
        .ok_or(format!("{status} no code: {body}"))?;
    let fits = expected_status(code) == Some(status.as_u16())
        || (code == "invalid_request_error" && matches!(status.as_u16(), 405 | 413));
    if !fits
        || e["message"].as_str().is_none_or(str::is_empty)
        || e["request_id"].as_str() != Some(request_id.as_str())
        || !e.as_object().is_some_and(|o| o.contains_key("param"))
    {
        return Err(format!(
            "{status} bad envelope (request id {request_id}): {body}"
        ));
    }
    Ok(status)
}

async fn attachment_server() -> String {
    use axum::routing::get;
    let app = axum::Router::new().route(
        "/leads.csv",
        get(|| async { "domain,name\nacme-fuzz.example,Acme\n\u{1b}[2J.example,Esc\n" }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

async fn world() -> World {
    let options = ServerOptions {
        rate_limit_per_minute: 1_000_000,
        failed_auth_per_minute: 1_000_000,
        ..ServerOptions::default()
    };
    // No provider has a secret, whatever this machine's environment holds: nothing leaves it.
    let s = serve_engine(0, options, |eo| {
        eo.integrations =
            IntegrationSettings::default()
                .with_secrets(Secrets::fixed(Vec::<(String, String)>::new()));
        eo.attachments = leadline::engine::attachments::Access::WebOnly;
    })
    .await;
    let reader = key_of(&s, "org_local", &[Scope::Read]);
    let rival = key_of(&s, "org_rival", &Scope::ALL);
    let (job, plan) = plan_job(&s, &s.key).await;
    let (rival_job, rival_plan) = plan_job(&s, &rival).await;
    let done = common::finished_job(&s.engine, 15).await;
    let (_, _, done_v) = call(&s, &s.key, Method::GET, &format!("/jobs/{done}"), None).await;
    let (_, _, job_v) = call(&s, &s.key, Method::GET, &format!("/jobs/{job}"), None).await;
    let (_, _, rival_v) = call(&s, &rival, Method::GET, &format!("/jobs/{rival_job}"), None).await;
    // A key the run may revoke; the reader stays, so scope refusals keep coming.
    let spare = leadline::engine::store::blocking(|| {
        keys::mint(
            s.engine.store(),
            &OrgId::local(),
            "spare",
            &[Scope::Run],
            false,
            None,
        )
    })
    .unwrap()
    .key
    .id;
    let text = |v: &Value, f: &str| v[f].as_str().unwrap_or("thr_none").to_string();
    let ids = BTreeMap::from([
        (
            "thread",
            vec![
                text(&job_v, "thread_id"),
                text(&done_v, "thread_id"),
                text(&rival_v, "thread_id"),
                job.clone(),
            ],
        ),
        (
            "plan",
            vec![
                plan,
                text(&done_v, "plan_id"),
                rival_plan,
                "pln_01ARZ3NDEKTSV4RRFFQ69G5FAV".into(),
            ],
        ),
        (
            "job",
            vec![
                job,
                done.to_string(),
                rival_job,
                "job_01ARZ3NDEKTSV4RRFFQ69G5FAV".into(),
            ],
        ),
        (
            "artifact",
            vec![
                done_v["artifact"]["id"].as_str().unwrap().to_string(),
                "art_01ARZ3NDEKTSV4RRFFQ69G5FAV".into(),
            ],
        ),
        ("key", vec![spare, "key_nope".into()]),
        ("junk", vec!["v2".into(), "v1".into(), "".into()]),
    ]);
    let owner = ("owner", Some(format!("Bearer {}", s.key)));
    let auth = vec![
        owner.clone(),
        owner.clone(),
        owner.clone(),
        owner.clone(),
        owner.clone(),
        owner,
        ("reader", Some(format!("Bearer {reader}"))),
        ("reader", Some(format!("Bearer {reader}"))),
        ("rival", Some(format!("Bearer {rival}"))),
        (
            "bad",
            Some("Bearer sk_test_0000000000000000000000000000000000000000".into()),
        ),
        ("basic", Some("Basic Zm9vOmJhcg==".into())),
        ("none", None),
    ];
    World {
        attach: attachment_server().await,
        s,
        ids,
        auth,
    }
}

#[tokio::test]
async fn random_requests_to_every_route_never_get_a_5xx_or_a_bare_error() {
    let seed: u64 = std::env::var("LEADLINE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let cases: usize = std::env::var("LEADLINE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_500);
    let w = world().await;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let mut seen: BTreeMap<u16, usize> = BTreeMap::new();
    for case in 0..cases {
        let (what, req) = request(&mut rng, &w, &client);
        let head = what.starts_with("HEAD ");
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("seed {seed} case {case}: {what}: no answer: {e}"));
        match check(resp, head).await {
            Ok(status) => *seen.entry(status.as_u16()).or_default() += 1,
            Err(why) => panic!("seed {seed} case {case}: {what}\n  -> {why}"),
        }
    }
    eprintln!("fuzz seed {seed}, {cases} requests, statuses {seen:?}");
    // A run that only ever met one kind of refusal would prove little.
    for status in [200, 400, 401, 403, 404, 405, 409] {
        assert!(seen.contains_key(&status), "no {status} in {seen:?}");
    }
    let (status, _, _) = call(&w.s, &w.s.key, Method::GET, "/me", None).await;
    assert_eq!(status, StatusCode::OK, "the server still answers");
    let check = leadline::engine::store::blocking(|| w.s.engine.store().integrity_check()).unwrap();
    assert_eq!(check, "ok");
}
