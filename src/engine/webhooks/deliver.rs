//! Signed deliveries: the reference's envelope (`{"id": "evt_…", "type", "created_at",
//! "livemode", "data": {"object"}}`) and headers (`Leadex-Event`, `Leadex-Delivery: dlv_…`,
//! `Leadex-Timestamp`, `Leadex-Signature: t=<ts>,v1=<hex HMAC-SHA256 of "{ts}.{body}">`, signed
//! afresh on each try). Any answer but a 2xx, or none within 10 s, is tried again after the
//! shared backoff ([`crate::net::retry`]) until the policy's tries are used; every delivery is
//! logged with its attempts and last answer.

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};

use super::{ATTEMPT_TIMEOUT, check_url};
use crate::engine::Engine;
use crate::engine::integrations::webhook::Webhook;
use crate::engine::store::{self, webhooks::DeliveryRow};
use crate::model::{Error, EventKind, Job, Timestamp};
use crate::net::retry::RetryPolicy;

/// The reference retries for a day (5 s, 30 s, 2 min … 24 h, 9 tries); exponential from 5 s,
/// capped at 6 h, 9 tries comes close with the shared policy.
pub const DELIVERY_RETRY: RetryPolicy = RetryPolicy {
    max_attempts: 9,
    backoff: Duration::from_secs(5),
    max_wait: Duration::from_secs(6 * 3600),
    jitter: true,
};

/// Where one event goes.
#[derive(Debug, Clone)]
struct Target {
    webhook_id: String,
    url: String,
    secret: String,
    events: Vec<String>,
    /// The job's own `webhook_url`: every event of the job, whatever the endpoint subscribes to.
    job_only: bool,
}

impl Target {
    fn wants(&self, event: &str) -> bool {
        self.job_only || self.events.iter().any(|e| e == "*" || e == event)
    }
}

/// The endpoints a job's events go to, found before the job is approved (so a bad
/// `webhook_url` refuses the approval instead of being ignored).
#[derive(Debug, Default)]
pub struct JobWebhooks {
    targets: Vec<Target>,
}

impl Engine {
    /// The organisation's enabled endpoints, plus the one registered at `webhook_url`. A
    /// `webhook_url` must be a registered endpoint: its signing secret is what receivers verify,
    /// and only an admin key can register one.
    pub async fn job_webhooks(&self, webhook_url: Option<&str>) -> Result<JobWebhooks, Error> {
        let wanted = webhook_url
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(check_url)
            .transpose()
            .map_err(|e| e.with_param("webhook_url"))?;
        let org = self.org.clone();
        let rows = self
            .db(move |s| s.read(|c| store::webhooks::list(c, &org)))
            .await?;
        let mut targets = Vec::new();
        let mut matched = false;
        for r in rows {
            let job_only = wanted.as_deref() == Some(r.url.as_str());
            matched |= job_only;
            if r.enabled || job_only {
                targets.push(Target {
                    webhook_id: r.id,
                    url: r.url,
                    secret: r.secret,
                    events: r.events,
                    job_only,
                });
            }
        }
        if wanted.is_some() && !matched {
            return Err(Error::invalid(
                "webhook_url is not a registered endpoint: register it with POST /v1/webhooks (it returns the signing secret its deliveries carry), then approve with it.",
            )
            .with_param("webhook_url"));
        }
        Ok(JobWebhooks { targets })
    }

    /// Delivers `job`'s events from now on: `job.approved`, each step's start and end,
    /// `artifact.created`, and how it ended (`job.succeeded`, `job.failed` or `job.stopped`).
    pub fn watch_job(&self, hooks: JobWebhooks, job: &Job) {
        if hooks.targets.is_empty() {
            return;
        }
        let engine = self.clone();
        let job = job.clone();
        tokio::spawn(async move {
            let object = serde_json::to_value(&job).unwrap_or(Value::Null);
            engine
                .emit(&hooks.targets, "job.approved", object, job.livemode)
                .await;
            let Ok(mut events) = engine.subscribe(&job.id, None).await else {
                return;
            };
            while let Some(Ok(e)) = events.next().await {
                let status = e.data.get("status").and_then(Value::as_str).unwrap_or("");
                let kind = match (e.kind, status) {
                    (EventKind::Step, "started") => "job.step.started",
                    (EventKind::Step, "completed") => "job.step.completed",
                    (EventKind::Step, "failed") => "job.step.failed",
                    (EventKind::Artifact, _) => "artifact.created",
                    (EventKind::Done, "stopped") => "job.stopped",
                    (EventKind::Done, _) => "job.succeeded",
                    (EventKind::Error, _) => "job.failed",
                    _ => continue,
                };
                // Terminal events carry the finished job; the others what the stream carried.
                let object = if e.kind.is_terminal() {
                    match engine.get_job(&job.id).await {
                        Ok(j) => serde_json::to_value(&j).unwrap_or(Value::Null),
                        Err(_) => e.data.clone(),
                    }
                } else {
                    e.data.clone()
                };
                engine
                    .emit(&hooks.targets, kind, object, job.livemode)
                    .await;
                if e.kind.is_terminal() {
                    break;
                }
            }
        });
    }

    /// One event to every target that wants it: logged as pending, then sent in its own task.
    async fn emit(&self, targets: &[Target], kind: &str, object: Value, livemode: bool) {
        let event_id = format!("evt_{}", ulid::Ulid::generate());
        let body = json!({
            "id": event_id,
            "type": kind,
            "created_at": Timestamp::now(),
            "livemode": livemode,
            "data": {"object": object},
        });
        let Ok(body) = serde_json::to_vec(&body) else {
            return;
        };
        for t in targets.iter().filter(|t| t.wants(kind)) {
            let now = Timestamp::now();
            let row = DeliveryRow {
                id: format!("dlv_{}", ulid::Ulid::generate()),
                webhook_id: Some(t.webhook_id.clone()),
                event_id: event_id.clone(),
                event_type: kind.to_string(),
                status: "pending".into(),
                attempts: 0,
                response_status: None,
                error: None,
                created_at: now,
                updated_at: now,
            };
            let (org, logged) = (self.org.clone(), row.clone());
            if let Err(e) = self
                .db(move |s| s.write(|c| store::webhooks::insert_delivery(c, &org, &logged)))
                .await
            {
                tracing::warn!("webhook delivery not logged: {}", e.message);
                continue;
            }
            let engine = self.clone();
            let (target, body) = (t.clone(), body.clone());
            tokio::spawn(async move { engine.deliver(&target, row, &body).await });
        }
    }

    /// Tries one delivery until a 2xx or the policy's last try, logging each attempt.
    async fn deliver(&self, t: &Target, mut row: DeliveryRow, body: &[u8]) {
        let policy = self.inner.options.integrations.deliveries;
        let client = match crate::engine::integrations::http::client(ATTEMPT_TIMEOUT) {
            Ok(c) => c,
            Err(e) => {
                row.error = Some(e.message);
                row.status = "failed".into();
                self.settle(row).await;
                return;
            }
        };
        let mut previous = None;
        loop {
            row.attempts += 1;
            let ts = chrono::Utc::now().timestamp();
            let sent = client
                .post(&t.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header("Leadex-Event", &row.event_type)
                .header("Leadex-Delivery", &row.id)
                .header("Leadex-Timestamp", ts.to_string())
                .header("Leadex-Signature", Webhook::signature(&t.secret, ts, body))
                .body(body.to_vec())
                .send()
                .await;
            let (status, error) = match sent {
                Ok(resp) => (Some(resp.status().as_u16()), None),
                Err(e) => (
                    None,
                    Some(crate::text::sanitize_inline(&e.without_url().to_string())),
                ),
            };
            row.response_status = status;
            row.error = error;
            row.updated_at = Timestamp::now();
            if status.is_some_and(|s| (200..300).contains(&s)) {
                row.status = "delivered".into();
                self.settle(row).await;
                return;
            }
            if row.attempts >= policy.max_attempts {
                row.status = "failed".into();
                self.settle(row).await;
                return;
            }
            self.settle(row.clone()).await;
            let wait = policy.wait(row.attempts, None, previous);
            previous = Some(wait);
            tokio::time::sleep(wait).await;
        }
    }

    async fn settle(&self, row: DeliveryRow) {
        if let Err(e) = self
            .db(move |s| s.write(|c| store::webhooks::settle_delivery(c, &row)))
            .await
        {
            tracing::warn!("webhook delivery log not updated: {}", e.message);
        }
    }
}
