//! The remote client against a loopback fake that misbehaves on purpose: retries with the same
//! Idempotency-Key, Retry-After honoured, and malformed answers turned into clear errors.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use leadline::backend::remote::RetryPolicy;
use leadline::backend::{Backend, RemoteBackend};
use leadline::model::requests::CreateThread;
use leadline::model::{ErrorCode, JobId};

#[derive(Default)]
struct Seen {
    keys: Vec<Option<String>>,
    auth: Vec<Option<String>>,
}

type Shared = Arc<Mutex<Seen>>;

const THREAD: &str = r#"{"id":"thr_01HXA4Z2M8V5WC9T7R1K","object":"thread","title":"t","created_at":"2026-04-21T10:11:32.200Z","updated_at":"2026-04-21T10:11:32.200Z","message_count":0,"last_job_id":null,"metadata":{},"last_job_status":null}"#;

async fn flaky(State(seen): State<Shared>, headers: HeaderMap) -> impl IntoResponse {
    let mut s = seen.lock().unwrap();
    s.keys.push(
        headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    );
    s.auth.push(
        headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    );
    match s.keys.len() {
        1 => (
            StatusCode::SERVICE_UNAVAILABLE,
            HeaderMap::new(),
            "{}".to_string(),
        ),
        2 => {
            let mut h = HeaderMap::new();
            h.insert("retry-after", "1".parse().unwrap());
            (StatusCode::TOO_MANY_REQUESTS, h, r#"{"error":{"code":"rate_limit_error","message":"slow down","param":null,"request_id":"req_1"}}"#.to_string())
        }
        _ => (StatusCode::OK, HeaderMap::new(), THREAD.to_string()),
    }
}

async fn fake(seen: Shared) -> String {
    let app = Router::new()
        .route("/v1/threads", post(flaky))
        .route("/v1/jobs/{id}", get(|| async { (StatusCode::OK, r#"{"id": 42, "object": "job"}"#) }))
        .route("/v1/usage", get(|| async { (StatusCode::BAD_GATEWAY, "<html>proxy error</html>") }))
        .route("/v1/plans/{id}", get(|| async { (StatusCode::FORBIDDEN, r#"{"error":{"code":"permission_error","message":"needs run","param":null,"request_id":"req_9"}}"#) }))
        .with_state(seen);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/v1")
}

fn client(base: &str) -> RemoteBackend {
    RemoteBackend::new(base, "sk_test_secretsecretsecret1234")
        .unwrap()
        .with_retry(RetryPolicy {
            attempts: 4,
            base: Duration::from_millis(50),
            max_delay: Duration::from_secs(5),
        })
}

#[tokio::test]
async fn a_write_is_retried_with_one_idempotency_key_and_waits_for_retry_after() {
    let seen: Shared = Arc::default();
    let base = fake(seen.clone()).await;
    let started = Instant::now();
    let thread = client(&base)
        .create_thread(CreateThread::default())
        .await
        .unwrap();
    assert_eq!(thread.title, "t");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was honoured"
    );
    let s = seen.lock().unwrap();
    assert_eq!(s.keys.len(), 3, "503, then 429, then success");
    assert!(s.keys[0].is_some());
    assert!(
        s.keys.iter().all(|k| k == &s.keys[0]),
        "every retry reuses the key: {:?}",
        s.keys
    );
    assert!(
        s.auth
            .iter()
            .all(|a| a.as_deref() == Some("Bearer sk_test_secretsecretsecret1234"))
    );
}

#[tokio::test]
async fn malformed_and_enveloped_errors_become_clear_errors() {
    let base = fake(Arc::default()).await;
    let c = client(&base);
    let e = c
        .get_job(&JobId::parse("job_01HXA4Z2M8V5WC9T7R1K").unwrap())
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Internal);
    assert!(
        e.message.contains("GET /jobs/job_01HXA4Z2M8V5WC9T7R1K"),
        "{}",
        e.message
    );
    let e = c.usage().await.unwrap_err();
    assert!(
        e.message.contains("GET /usage") && e.message.contains("502"),
        "{}",
        e.message
    );
    let e = c
        .get_plan(&leadline::model::PlanId::parse("pln_01HXA4Z2M8V5WC9T7R1K").unwrap())
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Permission);
    assert_eq!(e.request_id.as_deref(), Some("req_9"));
}

#[tokio::test]
async fn an_unreachable_server_is_a_clear_unavailable_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = client(&format!("http://127.0.0.1:{port}"));
    let e = c.usage().await.unwrap_err();
    assert_eq!(e.code, ErrorCode::Unavailable);
    assert!(e.message.contains("leadline serve"), "{}", e.message);
    assert!(
        format!("{c:?}").contains("sk_test_…1234") && !format!("{c:?}").contains("secretsecret"),
        "the key is masked in debug output"
    );
}
