//! The HTTP client every integration uses: timeouts, a real User-Agent, response bodies capped in
//! size, and one retry rule written down once — on 429 wait `Retry-After` (doubling it on the next
//! 429), on 5xx or a dropped connection back off exponentially, at most `max_attempts` tries.

use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::model::Error;

/// Response bodies beyond this are cut off: a provider answering with megabytes is broken, and
/// a push of 10,000 leads must not hold 10,000 large answers.
pub const MAX_BODY: usize = 1 << 20;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Tries in all, including the first.
    pub max_attempts: u32,
    /// The wait before the first retry after a 5xx or a transport error; doubles after each.
    pub backoff: Duration,
    /// No single wait is longer than this, whatever `Retry-After` says.
    pub max_wait: Duration,
    /// Add up to 25 % random jitter to each wait (Modern Leads asks for it).
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(60),
            jitter: false,
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1-based), given the answer's `Retry-After` and the
    /// previous wait: a 429's `Retry-After` the first time, doubled on each further 429.
    pub fn wait(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        previous: Option<Duration>,
    ) -> Duration {
        let base = match (retry_after, previous) {
            (Some(ra), Some(prev)) => ra.max(prev * 2),
            (Some(ra), None) => ra,
            (None, _) => self.backoff * 2u32.saturating_pow(retry.saturating_sub(1)),
        };
        let base = base.min(self.max_wait);
        if self.jitter && !base.is_zero() {
            let extra = rand::random_range(0.0..0.25);
            base + base.mul_f64(extra)
        } else {
            base
        }
    }
}

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

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs and treated as absent).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let raw = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = raw.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
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
    let mut previous_wait: Option<Duration> = None;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let last = attempt >= policy.max_attempts.max(1);
        match build().send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let headers = resp.headers().clone();
                let retryable = status == 429 || status >= 500;
                if retryable && !last {
                    let ra = if status == 429 {
                        retry_after(&headers).or(Some(policy.backoff))
                    } else {
                        None
                    };
                    let ra_prev = if status == 429 { previous_wait } else { None };
                    let wait = policy.wait(attempt, ra, ra_prev);
                    previous_wait = Some(wait);
                    drop(resp);
                    tokio::time::sleep(wait).await;
                    continue;
                }
                let body = read_capped(resp, max_body).await;
                return Ok(HttpResponse {
                    status,
                    headers,
                    body,
                    attempts: attempt,
                });
            }
            Err(e) => {
                if last {
                    return Err(TransportError {
                        message: describe(&e),
                        attempts: attempt,
                    });
                }
                let wait = policy.wait(attempt, None, None);
                tokio::time::sleep(wait).await;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_429_waits_retry_after_then_doubles() {
        let p = RetryPolicy::default();
        let first = p.wait(1, Some(Duration::from_secs(2)), None);
        assert_eq!(first, Duration::from_secs(2));
        let second = p.wait(2, Some(Duration::from_secs(2)), Some(first));
        assert_eq!(second, Duration::from_secs(4));
    }

    #[test]
    fn server_errors_back_off_exponentially_and_waits_are_capped() {
        let p = RetryPolicy {
            max_wait: Duration::from_secs(3),
            ..RetryPolicy::default()
        };
        assert_eq!(p.wait(1, None, None), Duration::from_millis(500));
        assert_eq!(p.wait(2, None, None), Duration::from_secs(1));
        assert_eq!(
            p.wait(1, Some(Duration::from_secs(100)), None),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn jitter_adds_at_most_a_quarter() {
        let p = RetryPolicy {
            jitter: true,
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            let w = p.wait(1, Some(Duration::from_secs(4)), None);
            assert!(
                w >= Duration::from_secs(4) && w < Duration::from_secs(5),
                "{w:?}"
            );
        }
    }
}
