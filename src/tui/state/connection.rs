//! Whether the backend answers: a remote server that is down or refuses the key shows one
//! persistent disconnected state (naming the host and why) and is retried with backoff, instead
//! of leaving "Loading…" on screen forever.

use crate::model::{Error, ErrorCode, Timestamp};

/// The first retry waits this long; each failed retry doubles it, up to [`MAX_RETRY_MS`].
pub const FIRST_RETRY_MS: i64 = 1_000;
pub const MAX_RETRY_MS: i64 = 30_000;

#[derive(Debug, Clone, Default, PartialEq)]
pub enum Connection {
    /// Nothing answered yet.
    #[default]
    Unknown,
    Up,
    Down(Down),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Down {
    /// What to show: the reason in plain words, with what to do about it.
    pub reason: String,
    /// Failed attempts so far (the first failure is 1).
    pub attempt: u32,
    /// When to try again; `None` while a retry is in flight.
    pub retry_at: Option<Timestamp>,
}

/// Errors that mean "the server cannot be used at all", as opposed to one request failing.
pub fn is_connection_error(e: &Error) -> bool {
    matches!(e.code, ErrorCode::Unavailable | ErrorCode::Authentication)
}

/// What the disconnected screen says about `e`.
pub fn reason(e: &Error) -> String {
    let message = crate::text::sanitize_inline(&e.message);
    match e.code {
        ErrorCode::Authentication => format!(
            "401 bad key — set LEADEX_API_KEY (or the variable [backend] api_key_env names): {message}"
        ),
        _ => format!("{}: {message}", e.code),
    }
}

fn backoff_ms(attempt: u32) -> i64 {
    FIRST_RETRY_MS
        .saturating_mul(1 << attempt.saturating_sub(1).min(10))
        .min(MAX_RETRY_MS)
}

impl Connection {
    pub fn is_down(&self) -> bool {
        matches!(self, Self::Down(_))
    }

    /// A request failed with a connection error at `now`. Several requests of one round fail
    /// together: only the first of them counts an attempt and schedules the retry.
    pub fn failed(&mut self, e: &Error, now: Timestamp) {
        let reason = reason(e);
        match self {
            Self::Down(d) if d.retry_at.is_some() => d.reason = reason,
            Self::Down(d) => {
                d.attempt += 1;
                d.reason = reason;
                d.retry_at = Some(Timestamp::from_millis(now.millis() + backoff_ms(d.attempt)));
            }
            _ => {
                *self = Self::Down(Down {
                    reason,
                    attempt: 1,
                    retry_at: Some(Timestamp::from_millis(now.millis() + backoff_ms(1))),
                })
            }
        }
    }

    /// Whether it is time to retry; if so the retry counts as in flight.
    pub fn retry_due(&mut self, now: Timestamp) -> bool {
        match self {
            Self::Down(d) if d.retry_at.is_some_and(|at| at <= now) => {
                d.retry_at = None;
                true
            }
            _ => false,
        }
    }

    /// Whole seconds until the next retry (0 while one is in flight).
    pub fn retry_in_secs(&self, now: Timestamp) -> Option<i64> {
        match self {
            Self::Down(d) => Some(
                d.retry_at
                    .map_or(0, |at| ((at.millis() - now.millis()).max(0) + 999) / 1000),
            ),
            _ => None,
        }
    }
}

/// `http://127.0.0.1:8787/v1` → `127.0.0.1:8787`: what the status bar names (never a key).
pub fn host_of(location: &str) -> String {
    match url::Url::parse(location) {
        Ok(u) => match (u.host_str(), u.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => crate::text::sanitize_inline(location),
        },
        Err(_) => crate::text::sanitize_inline(location),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_doubling_up_to_a_cap() {
        let ms: Vec<i64> = (1..=8).map(backoff_ms).collect();
        assert_eq!(
            ms,
            [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
        );
    }

    #[test]
    fn hosts_are_named_without_path_or_credentials() {
        assert_eq!(host_of("http://127.0.0.1:8787/v1"), "127.0.0.1:8787");
        assert_eq!(host_of("https://user:pw@leads.example/v1"), "leads.example");
    }
}
