//! Leadex webhooks (docs/api.md, "Webhooks"): an organisation's endpoints, the event catalogue,
//! the events the engine publishes ([`publish`]), and their signed deliveries with retries and a
//! delivery log ([`deliver`]).
//!
//! An endpoint is registered with a URL (https, or http to a loopback address for local
//! receivers) and the event types it wants (`["*"]` by default); its signing secret is returned
//! once, and again only by a rotation. Deliveries use the reference's envelope and headers.

mod deliver;
pub mod publish;

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

pub use deliver::DELIVERY_RETRY;
pub(crate) use deliver::Outbox;

use crate::engine::Engine;
use crate::engine::store::{self, webhooks::EndpointRow};
use crate::model::{Error, Timestamp};

/// The reference's event catalogue: (type, description).
pub const CATALOGUE: &[(&str, &str)] = &[
    ("thread.created", "A new thread was created."),
    (
        "thread.deleted",
        "A thread and its descendants were deleted.",
    ),
    (
        "message.created",
        "A new user or assistant message was appended.",
    ),
    (
        "plan.created",
        "A plan was drafted and attached to a pending job.",
    ),
    ("plan.rejected", "The planner declined the prompt."),
    ("job.approved", "A pending job was approved."),
    (
        "job.started",
        "The runner has begun executing the first step.",
    ),
    ("job.step.started", "A step moved from pending to running."),
    ("job.step.completed", "A step finished successfully."),
    ("job.step.failed", "A step halted with an error."),
    ("job.progress", "Throttled (every 10%) progress update."),
    ("job.succeeded", "Job completed; artifact is ready."),
    (
        "job.failed",
        "Job halted with an error; any partial artifact is attached.",
    ),
    (
        "job.stopped",
        "Job was stopped by the user or by a budget ceiling.",
    ),
    (
        "leads.delivered",
        "Leads were produced and are now queryable.",
    ),
    ("artifact.created", "A CSV artifact is ready to download."),
    ("integration.push.completed", "A CRM push finished."),
    ("integration.push.failed", "A CRM push errored out."),
    (
        "usage.budget.warning",
        "Organization crossed 80% of its monthly budget.",
    ),
    (
        "usage.budget.exceeded",
        "Budget ceiling was hit; new jobs are blocked.",
    ),
    ("api_key.rotated", "A key was rotated."),
];

/// Endpoints an organisation may register.
const MAX_ENDPOINTS: usize = 16;

/// An endpoint as the API shows it; `signing_secret` only in the answer to its registration.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    pub id: String,
    pub object: &'static str,
    pub url: String,
    pub events: Vec<String>,
    pub description: Option<String>,
    pub enabled: bool,
    pub created_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_secret: Option<String>,
}

/// How long a rotated-out secret still signs deliveries (a second `v1=`), so receivers can
/// switch to the new one without missing an event.
pub const ROTATION_GRACE: Duration = Duration::from_secs(24 * 3600);

/// The event type of a test delivery (`POST /v1/webhooks/{id}/test`). Not in the catalogue: no
/// endpoint subscribes to it, it is only ever sent on request.
pub const TEST_EVENT: &str = "webhook.test";

impl From<EndpointRow> for Endpoint {
    fn from(r: EndpointRow) -> Self {
        Self {
            id: r.id,
            object: "webhook_endpoint",
            url: r.url,
            events: r.events,
            description: r.description,
            enabled: r.enabled,
            created_at: r.created_at,
            signing_secret: None,
        }
    }
}

/// One delivery in the log.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub id: String,
    pub object: &'static str,
    pub webhook_id: Option<String>,
    pub event_id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    /// `pending` (being tried), `delivered` or `failed` (every try used).
    pub status: String,
    pub attempts: u32,
    pub response_status: Option<u16>,
    pub error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What `POST /v1/webhooks` takes.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEndpoint {
    pub url: String,
    #[serde(default)]
    pub events: Option<Vec<String>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
}

/// What `PATCH /v1/webhooks/{id}` takes: any of the fields of a registration. An empty
/// `description` clears it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointPatch {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub events: Option<Vec<String>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
}

impl From<store::webhooks::DeliveryRow> for Delivery {
    fn from(r: store::webhooks::DeliveryRow) -> Self {
        Self {
            id: r.id,
            object: "webhook_delivery",
            webhook_id: r.webhook_id,
            event_id: r.event_id,
            event_type: r.event_type,
            status: r.status,
            attempts: r.attempts,
            response_status: r.response_status,
            error: r.error,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// https anywhere; http only to this machine (a local receiver). No credentials in the URL.
pub fn check_url(raw: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::invalid(format!("url {why}")).with_param("url");
    let url = url::Url::parse(raw.trim()).map_err(|_| {
        bad("is not a valid URL; write it in full, e.g. https://example.com/hooks/leadex.")
    })?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(bad(
                "must start with https:// (http:// only to 127.0.0.1 or localhost).",
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "must not carry a user name or password; authenticate with the signature.",
        ));
    }
    Ok(url.to_string())
}

fn check_events(events: Option<Vec<String>>) -> Result<Vec<String>, Error> {
    let events = events.unwrap_or_else(|| vec!["*".into()]);
    if events.is_empty() {
        return Err(
            Error::invalid("events must name at least one event type, or \"*\" for all.")
                .with_param("events"),
        );
    }
    for e in &events {
        if e != "*" && !CATALOGUE.iter().any(|(t, _)| t == e) {
            return Err(Error::invalid(format!(
                "unknown event type `{}`; GET /v1/webhook_events lists them.",
                crate::text::sanitize_inline(e)
            ))
            .with_param("events"));
        }
    }
    Ok(events)
}

fn check_description(description: Option<String>) -> Result<Option<String>, Error> {
    let description = description
        .map(|d| crate::text::sanitize_inline(&d))
        .filter(|d| !d.trim().is_empty());
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 500)
    {
        return Err(
            Error::invalid("description is limited to 500 characters.").with_param("description")
        );
    }
    Ok(description)
}

fn secret() -> String {
    format!("whsec_{}", hex::encode(rand::random::<[u8; 24]>()))
}

impl Engine {
    /// Registers an endpoint; the answer carries its signing secret, shown this once.
    pub async fn register_webhook(&self, req: NewEndpoint) -> Result<Endpoint, Error> {
        let url = check_url(&req.url)?;
        let events = check_events(req.events)?;
        let description = check_description(req.description)?;
        let row = EndpointRow {
            id: format!("whk_{}", ulid::Ulid::generate()),
            url,
            events,
            description,
            enabled: req.enabled.unwrap_or(true),
            secret: secret(),
            created_at: Timestamp::now(),
            previous_secret: None,
            previous_secret_until: None,
        };
        let org = self.org.clone();
        let stored = row.clone();
        self.db(move |s| {
            s.write(|c| {
                if store::webhooks::list(c, &org)?.len() >= MAX_ENDPOINTS {
                    return Err(Error::invalid(format!(
                        "an organisation may register at most {MAX_ENDPOINTS} webhook endpoints; delete one first."
                    )));
                }
                store::webhooks::insert(c, &org, &stored)
            })
        })
        .await?;
        let secret = row.secret.clone();
        let mut endpoint = Endpoint::from(row);
        endpoint.signing_secret = Some(secret);
        Ok(endpoint)
    }

    pub async fn list_webhooks(&self) -> Result<Vec<Endpoint>, Error> {
        let org = self.org.clone();
        let rows = self
            .db(move |s| s.read(|c| store::webhooks::list(c, &org)))
            .await?;
        Ok(rows.into_iter().map(Endpoint::from).collect())
    }

    /// One endpoint of this organisation (another organisation's is `not_found`).
    pub async fn get_webhook(&self, id: &str) -> Result<Endpoint, Error> {
        self.endpoint_row(id).await.map(Endpoint::from)
    }

    async fn endpoint_row(&self, id: &str) -> Result<EndpointRow, Error> {
        let (org, key) = (self.org.clone(), id.to_string());
        self.db(move |s| s.read(|c| store::webhooks::get(c, &org, &key)))
            .await?
            .ok_or_else(|| Error::not_found("Webhook endpoint", &id).with_param("webhook_id"))
    }

    /// Changes an endpoint's url, events, description or enabled state, checked as at
    /// registration. Events already queued keep going to it (at its new url).
    pub async fn update_webhook(&self, id: &str, patch: EndpointPatch) -> Result<Endpoint, Error> {
        if patch.url.is_none()
            && patch.events.is_none()
            && patch.description.is_none()
            && patch.enabled.is_none()
        {
            return Err(Error::invalid(
                "nothing to change: send at least one of url, events, description, enabled.",
            ));
        }
        let url = patch.url.as_deref().map(check_url).transpose()?;
        let events = patch.events.map(|e| check_events(Some(e))).transpose()?;
        let description = patch.description.map(|d| check_description(Some(d)));
        let description = description.transpose()?;
        let (org, key) = (self.org.clone(), id.to_string());
        let row = self
            .db(move |s| {
                s.write(|c| {
                    let Some(mut row) = store::webhooks::get(c, &org, &key)? else {
                        return Ok(None);
                    };
                    if let Some(url) = url {
                        row.url = url;
                    }
                    if let Some(events) = events {
                        row.events = events;
                    }
                    if let Some(description) = description {
                        row.description = description;
                    }
                    if let Some(enabled) = patch.enabled {
                        row.enabled = enabled;
                    }
                    store::webhooks::update(c, &org, &row)?;
                    Ok(Some(row))
                })
            })
            .await?;
        row.map(Endpoint::from)
            .ok_or_else(|| Error::not_found("Webhook endpoint", &id).with_param("webhook_id"))
    }

    /// Gives an endpoint a new signing secret, returned this once. For the grace period
    /// (`integrations.secret_grace`, 24 h by default) deliveries carry a second `v1=` signed
    /// with the old secret, so a receiver may switch over at its own pace.
    pub async fn rotate_webhook_secret(&self, id: &str) -> Result<Endpoint, Error> {
        let grace = self.inner.options.integrations.secret_grace;
        let (org, key) = (self.org.clone(), id.to_string());
        let row = self
            .db(move |s| {
                s.write(|c| {
                    let Some(mut row) = store::webhooks::get(c, &org, &key)? else {
                        return Ok(None);
                    };
                    let now = Timestamp::now();
                    row.previous_secret = Some(std::mem::replace(&mut row.secret, secret()));
                    row.previous_secret_until = Some(Timestamp::from_millis(
                        now.millis()
                            .saturating_add(i64::try_from(grace.as_millis()).unwrap_or(i64::MAX)),
                    ));
                    store::webhooks::update(c, &org, &row)?;
                    Ok(Some(row))
                })
            })
            .await?
            .ok_or_else(|| Error::not_found("Webhook endpoint", &id).with_param("webhook_id"))?;
        let secret = row.secret.clone();
        let mut endpoint = Endpoint::from(row);
        endpoint.signing_secret = Some(secret);
        Ok(endpoint)
    }

    /// Sends a signed `webhook.test` event to the endpoint now (enabled or not), once, and
    /// answers with the logged delivery: the receiver's status, or what went wrong.
    pub async fn test_webhook(&self, id: &str) -> Result<Delivery, Error> {
        let endpoint = self.endpoint_row(id).await?;
        let event_id = format!("evt_{}", ulid::Ulid::generate());
        let object = serde_json::to_value(Endpoint::from(endpoint.clone()))
            .map_err(|e| Error::internal(format!("cannot encode an endpoint: {e}")))?;
        let body = serde_json::to_vec(&publish::envelope(
            &event_id,
            TEST_EVENT,
            self.livemode(),
            &object,
        ))
        .map_err(|e| Error::internal(format!("cannot encode a webhook event: {e}")))?;
        let now = Timestamp::now();
        let row = store::webhooks::DeliveryRow {
            id: format!("dlv_{}", ulid::Ulid::generate()),
            webhook_id: Some(endpoint.id.clone()),
            event_id,
            event_type: TEST_EVENT.into(),
            status: "pending".into(),
            attempts: 0,
            response_status: None,
            error: None,
            created_at: now,
            updated_at: now,
        };
        let (org, logged) = (self.org.clone(), row.clone());
        self.db(move |s| s.write(|c| store::webhooks::insert_delivery(c, &org, &logged)))
            .await?;
        let (status, error) = self.send_once(&endpoint, &row, &body).await;
        let row = deliver::settled_test(row, status, error);
        let settled = row.clone();
        self.db(move |s| s.write(|c| store::webhooks::settle_delivery(c, &settled, None)))
            .await?;
        Ok(Delivery::from(row))
    }

    /// Deletes an endpoint of this organisation (another organisation's is `not_found`).
    pub async fn delete_webhook(&self, id: &str) -> Result<(), Error> {
        let org = self.org.clone();
        let key = id.to_string();
        let gone = self
            .db(move |s| s.write(|c| store::webhooks::delete(c, &org, &key)))
            .await?;
        if gone {
            Ok(())
        } else {
            Err(Error::not_found("Webhook endpoint", &id).with_param("webhook_id"))
        }
    }

    /// The latest deliveries (newest first), of one endpoint when `webhook` is given.
    pub async fn webhook_deliveries(
        &self,
        webhook: Option<String>,
    ) -> Result<Vec<Delivery>, Error> {
        let org = self.org.clone();
        let rows = self
            .db(move |s| s.read(|c| store::webhooks::deliveries(c, &org, webhook.as_deref(), 100)))
            .await?;
        Ok(rows.into_iter().map(Delivery::from).collect())
    }
}

/// At a server's start-up: deliveries an older leadline left pending in memory are marked
/// failed (see [`store::webhooks::abandon_pending`]); queued ones are delivered as usual.
pub fn abandon_pending(store: &store::Store) -> Result<usize, Error> {
    store.write(|c| store::webhooks::abandon_pending(c, Timestamp::now()))
}

/// The catalogue as the API lists it.
pub fn catalogue() -> Value {
    let data: Vec<Value> = CATALOGUE
        .iter()
        .map(|(t, d)| serde_json::json!({"object": "webhook_event_type", "type": t, "description": d}))
        .collect();
    serde_json::json!({"object": "list", "data": data, "has_more": false})
}

/// A reference attempt waits at most 10 s for the receiver.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
