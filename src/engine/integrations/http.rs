//! The HTTP client every integration uses: timeouts, a real User-Agent, response bodies capped in
//! size, and the shared retry rule ([`crate::net::retry`]) — on 429 wait `Retry-After` (doubling
//! it on the next 429), on 5xx or a dropped connection back off exponentially, at most
//! `max_attempts` tries.

use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::model::Error;
use crate::net::retry::Failure;
pub use crate::net::retry::{RetryPolicy, retry_after};

/// Response bodies beyond this are cut off: a provider answering with megabytes is broken, and
/// a push of 10,000 leads must not hold 10,000 large answers.
pub const MAX_BODY: usize = 1 << 20;

/// A provider's answer, body read (up to [`MAX_BODY`]).
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// Tries it took.
    pub attempts: u32,
}

impl HttpResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as text for an error message: control characters stripped, cut short.
    pub fn snippet(&self) -> String {
        let text = String::from_utf8_lossy(&self.body[..self.body.len().min(300)]);
        crate::text::sanitize_inline(&text)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The request never got an answer (after every retry).
#[derive(Debug, Clone, PartialEq)]
pub struct TransportError {
    pub message: String,
    pub attempts: u32,
}

pub fn client(timeout: Duration) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(timeout)
        .user_agent(concat!("leadline/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::internal(format!("cannot build the HTTP client: {e}")))
}

/// Sends the request `build` makes (called again for each try), retrying per `policy`. Returns
/// the last answer, whatever its status: callers map statuses to outcomes.
pub async fn send(
    build: impl Fn() -> reqwest::RequestBuilder,
    policy: &RetryPolicy,
) -> Result<HttpResponse, TransportError> {
    send_capped(build, policy, MAX_BODY).await
}

/// [`send`] for the rare answer that is legitimately larger than [`MAX_BODY`] (a provider's batch
/// results), still read up to a bound.
pub async fn send_capped(
    build: impl Fn() -> reqwest::RequestBuilder,
    policy: &RetryPolicy,
    max_body: usize,
) -> Result<HttpResponse, TransportError> {
    let mut tries = policy.start();
    loop {
        tries.begin();
        let failure = match build().send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let headers = resp.headers().clone();
                let failure = Failure::Status {
                    status,
                    retry_after: retry_after(&headers),
                };
                if let Some(wait) = tries.next(failure) {
                    drop(resp);
                    tokio::time::sleep(wait).await;
                    continue;
                }
                let body = read_capped(resp, max_body).await;
                return Ok(HttpResponse {
                    status,
                    headers,
                    body,
                    attempts: tries.made(),
                });
            }
            Err(e) => e,
        };
        match tries.next(Failure::Transport) {
            Some(wait) => tokio::time::sleep(wait).await,
            None => {
                return Err(TransportError {
                    message: describe(&failure),
                    attempts: tries.made(),
                });
            }
        }
    }
}

async fn read_capped(mut resp: reqwest::Response, max_body: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = resp.chunk().await {
        let room = max_body - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= max_body {
            break;
        }
    }
    body
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the request timed out".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        format!("the request failed: {e}")
    }
}
