//! Request limits in fixed one-minute windows (per organisation; failed authentication per
//! client address), with the reference's `X-RateLimit-*` headers. On SQLite (one process) counts
//! live in memory, so a restart starts fresh windows; on PostgreSQL they live in the database
//! (`rate_windows`), so every server sharing it enforces one budget. Hand-written: a window counter is a few lines, and the crates
//! that do this well (governor) do not expose the remaining/reset numbers these headers need.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue};

pub struct RateLimiter {
    limit: u32,
    windows: Mutex<HashMap<String, (u64, u32)>>,
    /// Counting in the database instead (keys under this limiter's namespace).
    shared: Option<(crate::engine::Engine, &'static str)>,
}

pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Unix seconds when the window resets.
    pub reset: u64,
    pub retry_after: u64,
}

impl Decision {
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        for (name, value) in [
            ("x-ratelimit-limit", self.limit.to_string()),
            ("x-ratelimit-remaining", self.remaining.to_string()),
            ("x-ratelimit-reset", self.reset.to_string()),
        ] {
            if let Ok(v) = HeaderValue::from_str(&value) {
                headers.insert(name, v);
            }
        }
    }
}

impl RateLimiter {
    pub fn new(limit: u32) -> Self {
        Self {
            limit: limit.max(1),
            windows: Mutex::new(HashMap::new()),
            shared: None,
        }
    }

    /// A limiter counting in the engine's database when that is PostgreSQL (several servers),
    /// in memory otherwise. `namespace` keeps two limiters' keys apart.
    pub fn for_engine(limit: u32, engine: &crate::engine::Engine, namespace: &'static str) -> Self {
        let mut l = Self::new(limit);
        if engine.store().dialect() == crate::engine::store::Dialect::Postgres {
            l.shared = Some((engine.clone(), namespace));
        }
        l
    }

    /// Counts one request for `key`, wherever this limiter counts.
    pub async fn check(&self, key: &str) -> Decision {
        self.decide_shared(key, true).await
    }

    /// Whether `key` would be refused now, counting nothing, wherever this limiter counts.
    pub async fn peek(&self, key: &str) -> Decision {
        self.decide_shared(key, false).await
    }

    async fn decide_shared(&self, key: &str, count: bool) -> Decision {
        let Some((engine, namespace)) = &self.shared else {
            return self.decide(key, unix_now(), count);
        };
        let now = unix_now();
        let window = now / 60;
        let (engine, name) = (engine.clone(), format!("{namespace}:{key}"));
        let counted = tokio::task::spawn_blocking(move || {
            let store = engine.store();
            let w = window as i64;
            if count {
                store.write_unordered(|c| crate::engine::store::rate_windows::hit(c, &name, w))
            } else {
                store.read(|c| crate::engine::store::rate_windows::peek(c, &name, w))
            }
        })
        .await;
        match counted {
            Ok(Ok(n)) => {
                let n = u32::try_from(n).unwrap_or(u32::MAX);
                // Counting includes this request; peeking asks whether one more would pass.
                let allowed = if count {
                    n <= self.limit
                } else {
                    n < self.limit
                };
                let reset = (window + 1) * 60;
                Decision {
                    allowed,
                    limit: self.limit,
                    remaining: self.limit.saturating_sub(n),
                    reset,
                    retry_after: reset.saturating_sub(now).max(1),
                }
            }
            failed => {
                // The database is unreachable or failing: limit in memory meanwhile rather than
                // refuse everything (the request itself will meet the same database).
                tracing::warn!(?failed, "shared rate limit unavailable; counting in memory");
                self.decide(key, now, count)
            }
        }
    }

    #[cfg(test)]
    fn check_at(&self, key: &str, now: u64) -> Decision {
        self.decide(key, now, true)
    }

    fn decide(&self, key: &str, now: u64, count: bool) -> Decision {
        let window = now / 60;
        let reset = (window + 1) * 60;
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > 10_000 {
            windows.retain(|_, (w, _)| *w == window);
        }
        let entry = windows.entry(key.to_string()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        let allowed = entry.1 < self.limit;
        if allowed && count {
            entry.1 += 1;
        }
        Decision {
            allowed,
            limit: self.limit,
            remaining: self.limit - entry.1.min(self.limit),
            reset,
            retry_after: reset.saturating_sub(now).max(1),
        }
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key_per_minute_and_resets() {
        let l = RateLimiter::new(2);
        assert!(l.check_at("a", 120).allowed);
        let second = l.check_at("a", 130);
        assert!(second.allowed && second.remaining == 0);
        let third = l.check_at("a", 150);
        assert!(!third.allowed);
        assert_eq!(third.retry_after, 30);
        assert_eq!(third.reset, 180);
        assert!(l.check_at("b", 150).allowed, "keys are limited separately");
        assert!(l.check_at("a", 181).allowed, "a new window");
    }
}
