//! The delivery worker: every process that opens the data dir runs one. It claims queued
//! deliveries that are due (leasing each, so two processes never try one at once), sends each
//! signed in the reference's headers (`Leadex-Event`, `Leadex-Delivery: dlv_…`,
//! `Leadex-Timestamp`, `Leadex-Signature: t=<ts>,v1=<hex HMAC-SHA256 of "{ts}.{body}">`, with a
//! second `v1=` during a secret rotation's grace period, signed afresh on each try), and
//! records the answer. Any answer but a 2xx, or none within 10 s, is tried again after the
//! shared backoff ([`crate::net::retry`]) until the policy's tries are used. A delivery waiting
//! for its next try is in the store, not in memory: whichever process has the data dir open
//! when it falls due makes it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::Notify;

use super::ATTEMPT_TIMEOUT;
use crate::engine::integrations::webhook::Webhook;
use crate::engine::store::{
    self,
    webhooks::{DeliveryRow, Due, EndpointRow},
};
use crate::engine::{Engine, Inner};
use crate::model::Timestamp;
use crate::net::retry::RetryPolicy;

/// The reference retries for a day (5 s, 30 s, 2 min … 24 h, 9 tries); exponential from 5 s,
/// capped at 6 h, 9 tries comes close with the shared policy.
pub const DELIVERY_RETRY: RetryPolicy = RetryPolicy {
    max_attempts: 9,
    backoff: Duration::from_secs(5),
    max_wait: Duration::from_secs(6 * 3600),
    jitter: true,
};

/// How long a claimed delivery is ours: the attempt's 10 s timeout with room to record it. A
/// process that dies mid-attempt holds it no longer than this.
const LEASE: Duration = Duration::from_secs(30);
/// The longest the worker sleeps without looking: deliveries queued by another process (a
/// background worker, a CLI command next to a server) are noticed within this.
const POLL: Duration = Duration::from_secs(1);
/// Deliveries claimed per look.
const CLAIM: u32 = 32;

/// One count of work in flight, from `start` until dropped (whatever path leaves the claim,
/// a cancellation included).
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn start(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Self(count)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The worker's shared state (in the engine's `Inner`).
#[derive(Default)]
pub(crate) struct Outbox {
    wake: Notify,
    /// Claims being made (their rows are leased, but not yet in `claimed`).
    claiming: AtomicUsize,
    /// The deliveries this process has claimed and not yet settled: its tries in flight (their
    /// leases are given back if the process leaves first).
    claimed: std::sync::Mutex<std::collections::HashSet<String>>,
    client: OnceLock<reqwest::Client>,
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn later(t: Timestamp, d: Duration) -> Timestamp {
    Timestamp::from_millis(t.millis().saturating_add(millis(d)))
}

/// `t=<ts>` and one `v1=` per secret (the current one first).
fn signature(secrets: &[String], ts: i64, body: &[u8]) -> String {
    let mut header = format!("t={ts}");
    for secret in secrets {
        header.push_str(",v1=");
        header.push_str(&Webhook::mac_hex(secret, ts, body));
    }
    header
}

impl Engine {
    /// Starts this process's delivery worker. It holds the engine weakly: it ends when the last
    /// handle is dropped (or the runtime stops).
    pub(crate) fn start_delivery_worker(&self) {
        let weak = Arc::downgrade(&self.inner);
        let outbox = self.inner.outbox.clone();
        tokio::spawn(async move {
            loop {
                let wait = {
                    let Some(inner) = weak.upgrade() else { return };
                    Engine::worker_handle(inner).delivery_pass().await
                };
                tokio::select! {
                    () = outbox.wake.notified() => {}
                    () = tokio::time::sleep(wait) => {}
                }
            }
        });
    }

    fn worker_handle(inner: Arc<Inner>) -> Engine {
        let mode = inner.options.mode;
        Engine {
            inner,
            org: crate::model::OrgId::local(),
            mode,
            mode_bound: false,
        }
    }

    fn outbox_claimed<T>(&self, f: impl FnOnce(&mut std::collections::HashSet<String>) -> T) -> T {
        let mut claimed = self
            .inner
            .outbox
            .claimed
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        f(&mut claimed)
    }

    /// Tells the worker to look now (something was queued, or a try is due).
    pub(crate) fn wake_deliveries(&self) {
        self.inner.outbox.wake.notify_one();
    }

    /// Claims what is due and starts sending it; returns how long to sleep before looking again.
    async fn delivery_pass(&self) -> Duration {
        for _ in 0..4 {
            let now = Timestamp::now();
            let next = match self.db(|s| s.read(store::webhooks::next_due)).await {
                Ok(next) => next,
                Err(e) => {
                    tracing::warn!("webhook outbox not readable: {}", e.message);
                    return POLL;
                }
            };
            match next {
                None => return POLL,
                Some(at) if at > now => {
                    let ms = u64::try_from(at.millis() - now.millis()).unwrap_or(0);
                    return Duration::from_millis(ms).min(POLL);
                }
                Some(_) => {}
            }
            let lease = later(now, LEASE);
            // Counted from before the claim until its rows are in `claimed`: a drain that
            // looked in between would see nothing due (the claimed rows are leased) and nothing
            // in flight, and let the process exit with those deliveries claimed and never tried.
            let _claiming = InFlight::start(&self.inner.outbox.claiming);
            let claimed = self
                .db(move |s| s.write(|c| store::webhooks::claim_due(c, now, lease, CLAIM)))
                .await;
            match claimed {
                Ok(due) => {
                    for d in due {
                        self.outbox_claimed(|c| c.insert(d.row.id.clone()));
                        let engine = self.clone();
                        tokio::spawn(async move {
                            let id = d.row.id.clone();
                            engine.attempt(d).await;
                            engine.outbox_claimed(|c| c.remove(&id));
                        });
                    }
                }
                Err(e) => {
                    tracing::warn!("webhook deliveries not claimed: {}", e.message);
                    return POLL;
                }
            }
        }
        Duration::ZERO
    }

    /// One try of a claimed delivery, and what follows from its answer.
    async fn attempt(&self, due: Due) {
        let policy = self.inner.options.integrations.deliveries;
        let Due {
            mut row,
            body,
            endpoint,
        } = due;
        let (status, error) = self.send_once(&endpoint, &row, body.as_bytes()).await;
        row.attempts += 1;
        row.response_status = status;
        row.error = error;
        row.updated_at = Timestamp::now();
        let next = if status.is_some_and(|s| (200..300).contains(&s)) {
            row.status = "delivered".into();
            None
        } else if row.attempts >= policy.max_attempts {
            row.status = "failed".into();
            None
        } else {
            Some(later(row.updated_at, policy.wait(row.attempts, None, None)))
        };
        let retry = next.is_some();
        if let Err(e) = self
            .db(move |s| s.write(|c| store::webhooks::settle_delivery(c, &row, next)))
            .await
        {
            tracing::warn!("webhook delivery log not updated: {}", e.message);
        }
        if retry {
            self.wake_deliveries();
        }
    }

    /// Sends one signed delivery: the answer's status, or what went wrong.
    pub(super) async fn send_once(
        &self,
        endpoint: &EndpointRow,
        row: &DeliveryRow,
        body: &[u8],
    ) -> (Option<u16>, Option<String>) {
        let client = match self.inner.outbox.client.get() {
            Some(c) => c.clone(),
            None => match crate::engine::integrations::http::client(ATTEMPT_TIMEOUT) {
                Ok(c) => self.inner.outbox.client.get_or_init(|| c).clone(),
                Err(e) => return (None, Some(e.message)),
            },
        };
        let ts = chrono::Utc::now().timestamp();
        let secrets = endpoint.signing_secrets(Timestamp::now());
        let sent = client
            .post(&endpoint.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("Leadex-Event", &row.event_type)
            .header("Leadex-Delivery", &row.id)
            .header("Leadex-Timestamp", ts.to_string())
            .header("Leadex-Signature", signature(&secrets, ts, body))
            .body(body.to_vec())
            .send()
            .await;
        match sent {
            Ok(resp) => (Some(resp.status().as_u16()), None),
            Err(e) => (
                None,
                Some(crate::text::sanitize_inline(&e.without_url().to_string())),
            ),
        }
    }

    /// Waits (up to `timeout`) until nothing this process could deliver now is left: no try in
    /// flight, no queued delivery due. Deliveries waiting for a later retry stay queued for the
    /// next process that opens the data dir.
    pub async fn drain_deliveries(&self, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let busy = self.inner.outbox.claiming.load(Ordering::SeqCst) > 0
                || self.outbox_claimed(|c| !c.is_empty());
            let due = matches!(
                self.db(|s| s.read(store::webhooks::next_due)).await,
                Ok(Some(at)) if at <= Timestamp::now()
            );
            if !busy && !due {
                return;
            }
            if tokio::time::Instant::now() >= deadline {
                // Tries still running will not finish here: the next process takes them over
                // now rather than when their leases run out.
                let ids: Vec<String> = self.outbox_claimed(|c| c.iter().cloned().collect());
                if !ids.is_empty() {
                    let _ = self
                        .db(move |s| s.write(|c| store::webhooks::release_leases(c, &ids)))
                        .await;
                }
                return;
            }
            self.wake_deliveries();
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// The outcome of a test delivery, logged like any other.
pub(super) fn settled_test(
    mut row: DeliveryRow,
    status: Option<u16>,
    error: Option<String>,
) -> DeliveryRow {
    row.attempts = 1;
    row.response_status = status;
    row.error = error;
    row.updated_at = Timestamp::now();
    row.status = if status.is_some_and(|s| (200..300).contains(&s)) {
        "delivered".into()
    } else {
        "failed".into()
    };
    row
}
