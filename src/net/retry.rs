//! The one retry policy every outgoing HTTP call follows, and the one `Retry-After` parser.
//!
//! Which answers retry: 429 and 5xx, and a request that got no answer at all (refused, reset,
//! timed out). A 429 waits what its `Retry-After` says (delta-seconds or an HTTP-date), and a
//! further 429 on the same call waits at least double the previous wait — AutoReach's documented
//! rule, which the default policy is. Everything else backs off exponentially from
//! [`RetryPolicy::backoff`]. No wait exceeds [`RetryPolicy::max_wait`], and with
//! [`RetryPolicy::jitter`] each wait grows by up to a quarter at random, so many clients told to
//! wait the same time do not all come back at once (Modern Leads asks for it).

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// A `Retry-After` beyond this is treated as this: a server asking for more is broken, and the
/// policy's own cap is lower anyway.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

/// How hard one call tries. Providers parameterise it; [`Default`] is AutoReach's documented
/// rule (3 tries, wait `Retry-After`, double it on the next 429).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Tries in all, including the first.
    pub max_attempts: u32,
    /// The wait before the first retry after a 5xx or a transport error; doubles after each.
    pub backoff: Duration,
    /// No single wait is longer than this, whatever `Retry-After` says.
    pub max_wait: Duration,
    /// Add up to 25 % random jitter to each wait.
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

/// Why a try failed, as far as retrying cares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Failure {
    /// An HTTP answer, with its `Retry-After` if it had one.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No answer: the connection failed or timed out.
    Transport,
}

impl RetryPolicy {
    /// Whether an answer with this status is worth another try.
    pub fn retries(status: u16) -> bool {
        status == 429 || (500..600).contains(&status)
    }

    /// The wait before retry number `retry` (1-based), given the answer's `Retry-After` and the
    /// previous wait: a 429's `Retry-After` the first time, doubled on each further 429.
    pub fn wait(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        previous: Option<Duration>,
    ) -> Duration {
        let base = match (retry_after, previous) {
            (Some(ra), Some(prev)) => ra.max(prev.saturating_mul(2)),
            (Some(ra), None) => ra,
            (None, _) => self
                .backoff
                .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1))),
        };
        let base = base.min(self.max_wait);
        if self.jitter && !base.is_zero() {
            let extra = rand::random_range(0.0..0.25);
            base + base.mul_f64(extra)
        } else {
            base
        }
    }

    /// The state of one call's tries under this policy.
    pub fn start(&self) -> Attempts {
        Attempts {
            policy: *self,
            made: 0,
            previous_429: None,
        }
    }
}

/// One call's tries: counts them and says how long to wait before the next, or that there is
/// none left.
#[derive(Debug, Clone)]
pub struct Attempts {
    policy: RetryPolicy,
    made: u32,
    previous_429: Option<Duration>,
}

impl Attempts {
    /// Records a try. Call it once before each send.
    pub fn begin(&mut self) -> u32 {
        self.made += 1;
        self.made
    }

    /// Tries made so far.
    pub fn made(&self) -> u32 {
        self.made
    }

    /// Whether the try just made was the last one allowed.
    pub fn exhausted(&self) -> bool {
        self.made >= self.policy.max_attempts.max(1)
    }

    /// The wait before the next try after `failure`, or `None` when it should not be retried
    /// (a status that never retries, or no tries left).
    pub fn next(&mut self, failure: Failure) -> Option<Duration> {
        if self.exhausted() {
            return None;
        }
        let wait = match failure {
            Failure::Status { status, .. } if !RetryPolicy::retries(status) => return None,
            Failure::Status {
                status: 429,
                retry_after,
            } => {
                // A 429 without `Retry-After` still waits at least the base backoff.
                let ra = retry_after.or(Some(self.policy.backoff));
                let wait = self.policy.wait(self.made, ra, self.previous_429);
                self.previous_429 = Some(wait);
                wait
            }
            Failure::Status { .. } | Failure::Transport => self.policy.wait(self.made, None, None),
        };
        Some(wait)
    }
}

/// The `Retry-After` of an answer, if it has a readable one.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(raw, SystemTime::now())
}

/// `Retry-After` as delta-seconds (`120`; a fraction is accepted) or an HTTP-date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, measured from `now`; a date past is no wait), capped at
/// [`MAX_RETRY_AFTER`]. Anything else — negative, not a number, not a date — is `None`.
pub fn parse_retry_after(raw: &str, now: SystemTime) -> Option<Duration> {
    let raw = raw.trim();
    if raw.starts_with(|c: char| c.is_ascii_digit()) {
        if !raw.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        let secs: f64 = raw.parse().ok()?;
        if !secs.is_finite() || secs < 0.0 {
            return None;
        }
        return Some(Duration::from_secs_f64(
            secs.min(MAX_RETRY_AFTER.as_secs_f64()),
        ));
    }
    let at = httpdate::parse_http_date(raw).ok()?;
    let wait = at.duration_since(now).unwrap_or(Duration::ZERO);
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn retry_after_reads_delta_seconds() {
        let now = SystemTime::now();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
    }

    #[test]
    fn retry_after_reads_http_dates_relative_to_now() {
        // 1445412480 is Wed, 21 Oct 2015 07:28:00 GMT.
        let date = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(
            parse_retry_after(date, at(1_445_412_480 - 30)),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after(date, at(1_445_412_480 + 30)),
            Some(Duration::ZERO),
            "a date already past means no wait"
        );
        // The obsolete RFC 850 form is still an HTTP-date.
        assert_eq!(
            parse_retry_after("Wednesday, 21-Oct-15 07:28:10 GMT", at(1_445_412_480)),
            Some(Duration::from_secs(10))
        );
    }

    #[test]
    fn retry_after_refuses_garbage_and_negatives() {
        let now = SystemTime::now();
        for raw in [
            "",
            "soon",
            "-5",
            "-0.5",
            "NaN",
            "inf",
            "12abc",
            "Wed, 99 Foo 2015",
        ] {
            assert_eq!(parse_retry_after(raw, now), None, "{raw:?}");
        }
    }

    #[test]
    fn retry_after_caps_huge_values() {
        let now = at(0);
        assert_eq!(parse_retry_after("99999999999", now), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("1e300", now), None, "not delta-seconds");
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now),
            Some(MAX_RETRY_AFTER)
        );
    }

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

    #[test]
    fn attempts_follow_the_autoreach_rule_and_stop_after_three_tries() {
        let mut a = RetryPolicy::default().start();
        let limited = |secs| Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        };
        a.begin();
        assert_eq!(a.next(limited(2)), Some(Duration::from_secs(2)));
        a.begin();
        assert_eq!(a.next(limited(2)), Some(Duration::from_secs(4)), "doubled");
        a.begin();
        assert_eq!(a.next(limited(2)), None, "3 tries in all");
        assert_eq!(a.made(), 3);
    }

    #[test]
    fn only_429_5xx_and_transport_failures_retry() {
        let mut a = RetryPolicy::default().start();
        a.begin();
        let status = |status| Failure::Status {
            status,
            retry_after: None,
        };
        for s in [400, 401, 403, 404, 409, 422] {
            assert_eq!(a.next(status(s)), None, "{s}");
        }
        assert_eq!(a.next(status(503)), Some(Duration::from_millis(500)));
        assert_eq!(a.next(Failure::Transport), Some(Duration::from_millis(500)));
        assert_eq!(
            a.next(status(429)),
            Some(Duration::from_millis(500)),
            "a 429 without Retry-After waits the base backoff"
        );
    }
}
