//! The generic webhook: the leads (or their companies) POSTed as JSON to a URL, signed the way
//! the reference signs its own deliveries (docs/integrations.md, "Signed webhook"), so a
//! receiver written for Leadex webhooks verifies these unchanged.
//!
//! Body: the reference's event envelope, `{"id": "evt_…", "type": "leads.delivered",
//! "created_at": …, "livemode": …, "data": {"object": {"object": "lead_delivery", "job_id",
//! "mode", "chunk", "leads": [lead objects], "companies": [company objects]}}}` (`leads` in
//! contacts/both mode, `companies` in companies/both mode), split into chunks so no body exceeds
//! the reference's 256 KB delivery limit. Headers: `Leadex-Event`, `Leadex-Delivery` (`dlv_…`,
//! the same for the same chunk of the same job every time, like the event id, so a receiver can
//! drop a redelivery), `Leadex-Timestamp` and `Leadex-Signature: t=<ts>,v1=<hex HMAC-SHA256 of
//! "{t}.{body}">`, signed afresh on each try so a retry after a long `Retry-After` is still
//! fresh for the receiver's 5-minute window.

use std::collections::HashSet;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::http::{self, RetryPolicy};
use super::support::{self, Service};
use super::{ItemKey, ItemOutcome, Planned, PushContext, PushTarget, Secrets, Unit, UnitResult};
use crate::config::WebhookConfig;
use crate::model::push::{PlannedRequest, PushProvider};
use crate::model::{Error, ErrorCode, Lead, Timestamp};

pub const DEFAULT_SECRET_ENV: &str = "LEADLINE_WEBHOOK_SECRET";
/// From the reference's catalogue: "Leads were produced and are now queryable" — what a
/// receiver of pushed leads is told.
pub const EVENT: &str = "leads.delivered";
/// The reference's maximum delivery body.
pub const MAX_BODY: usize = 256 * 1024;
/// Room left for the envelope around the items (ids, times, keys): well under a kilobyte.
const ENVELOPE: usize = 1024;
const SECTION: &str = "integrations.webhook";

pub struct Webhook {
    url: String,
    secret: String,
    client: reqwest::Client,
    policy: RetryPolicy,
    service: Service,
}

impl Webhook {
    pub fn from_config(config: &WebhookConfig, secrets: &Secrets) -> Result<Self, Error> {
        let Some(url) = config
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            return Err(super::not_configured(
                "The webhook",
                SECTION,
                &["url"],
                &format!(
                    ", and put the signing secret in the environment variable {}",
                    config.secret_env.as_deref().unwrap_or(DEFAULT_SECRET_ENV)
                ),
            ));
        };
        // The URL is not echoed: its query string may carry a token.
        let parsed = url::Url::parse(url).map_err(|_| {
            Error::invalid(format!(
                "the webhook url under [{SECTION}] is not a valid URL; write it in full, e.g. https://example.com/hooks/leads."
            ))
            .with_param("provider")
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::invalid(format!(
                "the webhook url under [{SECTION}] must start with https:// (or http://)."
            ))
            .with_param("provider"));
        }
        let (secret_env, secret) = support::secret(
            secrets,
            config.secret_env.as_deref(),
            DEFAULT_SECRET_ENV,
            "The webhook",
            SECTION,
            "signing secret (the receiver verifies Leadex-Signature with it)",
            "secret_env",
        )?;
        Ok(Self {
            url: url.to_string(),
            secret,
            client: http::client(support::REQUEST_TIMEOUT)?,
            policy: RetryPolicy::default(),
            service: Service {
                name: "The webhook receiver",
                key_env: secret_env,
                credential: "signing secret",
                billing_hint: "Check the receiving service's account, then push again: what was sent is not sent twice.",
                not_found_hint: format!("Check url under [{SECTION}]: nothing answers there."),
            },
        })
    }

    /// The hex HMAC-SHA256 of `"{t}.{body}"` with `secret`: one `v1=` value.
    pub fn mac_hex(secret: &str, timestamp: i64, body: &[u8]) -> String {
        hex::encode(mac(secret, timestamp, body))
    }

    /// `t=<ts>,v1=<hex hmac>` over `"{t}.{body}"`.
    pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
        format!(
            "t={timestamp},v1={}",
            hex::encode(mac(secret, timestamp, body))
        )
    }
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length, so this cannot fail; an empty MAC would fail verification
    // loudly rather than panic.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return Vec::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// A company as the webhook carries it: the lead's company, its company-level fields, and the
/// sources that back them (a person's sources are left out).
fn company_object(item: &ItemKey, lead: &Lead) -> Value {
    let sources: Vec<_> = lead
        .sources
        .iter()
        .filter(|s| !s.fields.iter().any(|f| f.starts_with("person.")))
        .collect();
    json!({
        "object": "company",
        "id": item.0,
        "name": lead.company.name,
        "domain": lead.company.domain,
        "linkedin": lead.company.linkedin,
        "hq_city": lead.company.hq_city,
        "hq_country": lead.company.hq_country,
        "fields": lead.fields,
        "sources": sources,
        "livemode": lead.livemode,
    })
}

/// A delivery id that depends only on the job, mode, and the chunk's items, so the same chunk
/// resent (a resumed push) carries the same id.
fn delivery_id(ctx: &PushContext<'_>, index: usize, items: &[ItemKey]) -> String {
    let mut h = Sha256::new();
    h.update(ctx.job.id.to_string().as_bytes());
    h.update(b"\0");
    h.update(ctx.mode.as_str().as_bytes());
    h.update(b"\0");
    h.update(index.to_string().as_bytes());
    for i in items {
        h.update(b"\0");
        h.update(i.0.as_bytes());
    }
    hex::encode(&h.finalize()[..13])
}

struct Chunk {
    items: Vec<ItemKey>,
    leads: Vec<Value>,
    companies: Vec<Value>,
    bytes: usize,
}

impl Chunk {
    fn new() -> Self {
        Self {
            items: Vec::new(),
            leads: Vec::new(),
            companies: Vec::new(),
            bytes: 0,
        }
    }
}

#[async_trait]
impl PushTarget for Webhook {
    fn provider(&self) -> PushProvider {
        PushProvider::Webhook
    }

    fn plan(&self, ctx: &PushContext<'_>, leads: &[Lead]) -> Result<Planned, Error> {
        // Entries in order: (item, is_company, object, encoded size).
        let mut entries: Vec<(ItemKey, bool, Value, usize)> = Vec::new();
        let mut encode = |item: ItemKey, company: bool, value: Value| -> Result<(), Error> {
            let size = serde_json::to_vec(&value)
                .map_err(|e| Error::internal(format!("cannot encode a webhook item: {e}")))?
                .len();
            entries.push((item, company, value, size));
            Ok(())
        };
        if ctx.mode.includes_contacts() {
            for lead in leads {
                let value = serde_json::to_value(lead)
                    .map_err(|e| Error::internal(format!("cannot encode a lead: {e}")))?;
                encode(ItemKey::contact(lead), false, value)?;
            }
        }
        if ctx.mode.includes_companies() {
            let mut seen = HashSet::new();
            for lead in leads {
                let item = ItemKey::company(lead);
                if seen.insert(item.clone()) {
                    let value = company_object(&item, lead);
                    encode(item, true, value)?;
                }
            }
        }

        let mut planned = Planned::default();
        let budget = MAX_BODY - ENVELOPE;
        let mut chunks = vec![Chunk::new()];
        for (item, company, value, size) in entries {
            // Each item costs its encoding plus a separating comma.
            let cost = size + 1;
            if cost > budget {
                planned.skipped.push((
                    item,
                    "too_large".into(),
                    format!(
                        "this item alone encodes to {size} bytes, over the {} KB a webhook delivery may carry.",
                        MAX_BODY / 1024
                    ),
                ));
                continue;
            }
            let fits = chunks.last().is_some_and(|c| c.bytes + cost <= budget);
            if !fits {
                chunks.push(Chunk::new());
            }
            if let Some(chunk) = chunks.last_mut() {
                chunk.bytes += cost;
                chunk.items.push(item);
                if company {
                    chunk.companies.push(value);
                } else {
                    chunk.leads.push(value);
                }
            }
        }
        let created_at = serde_json::to_value(Timestamp::now())
            .map_err(|e| Error::internal(format!("cannot encode a time: {e}")))?;
        for (index, chunk) in chunks
            .into_iter()
            .filter(|c| !c.items.is_empty())
            .enumerate()
        {
            let id = delivery_id(ctx, index, &chunk.items);
            let mut data = Map::new();
            data.insert("object".into(), "lead_delivery".into());
            data.insert("job_id".into(), ctx.job.id.to_string().into());
            data.insert("mode".into(), ctx.mode.as_str().into());
            data.insert("chunk".into(), index.into());
            if ctx.mode.includes_contacts() {
                data.insert("leads".into(), chunk.leads.into());
            }
            if ctx.mode.includes_companies() {
                data.insert("companies".into(), chunk.companies.into());
            }
            planned.units.push(Unit {
                request: PlannedRequest {
                    method: "POST".into(),
                    url: self.url.clone(),
                    items: chunk.items.iter().map(|i| i.0.clone()).collect(),
                    body: json!({
                        "id": format!("evt_{id}"),
                        "type": EVENT,
                        "created_at": created_at,
                        "livemode": ctx.job.livemode,
                        "data": {"object": data},
                    }),
                },
                items: chunk.items,
                also: Vec::new(),
            });
        }
        Ok(planned)
    }

    async fn send(&self, unit: &Unit) -> UnitResult {
        let body = match serde_json::to_vec(&unit.request.body) {
            Ok(b) => b,
            Err(e) => {
                return UnitResult::fatal(
                    unit,
                    Error::new(
                        ErrorCode::Internal,
                        format!("cannot encode the delivery: {e}"),
                    ),
                );
            }
        };
        let delivery = unit
            .request
            .body
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .replacen("evt_", "dlv_", 1);
        let sent = http::send(
            || {
                let t = chrono::Utc::now().timestamp();
                self.client
                    .post(&self.url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .header("Leadex-Event", EVENT)
                    .header("Leadex-Delivery", &delivery)
                    .header("Leadex-Timestamp", t.to_string())
                    .header(
                        "Leadex-Signature",
                        Webhook::signature(&self.secret, t, &body),
                    )
                    .body(body.clone())
            },
            &self.policy,
        )
        .await;
        // Any 2xx means the receiver took the whole delivery; its body means nothing.
        support::answer(&self.service, unit, sent, |_| {
            Some(UnitResult::all(
                unit,
                ItemOutcome::Created { external_id: None },
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_dot_body() {
        // Independently: HMAC-SHA256("secret", "1700000000.{}").
        let sig = Webhook::signature("secret", 1_700_000_000, b"{}");
        let mut m = Hmac::<Sha256>::new_from_slice(b"secret").expect("any key length");
        m.update(b"1700000000.{}");
        let want = hex::encode(m.finalize().into_bytes());
        assert_eq!(sig, format!("t=1700000000,v1={want}"));
    }
}
