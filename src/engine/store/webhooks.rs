//! Webhook endpoints and their delivery log, per organisation (`src/engine/webhooks` decides
//! what is sent; this only stores it).

use super::{Conn, Row, params};

use crate::model::{Error, OrgId, Timestamp};

/// One endpoint as stored. `events` is the JSON array of subscribed types (`["*"]` for all).
#[derive(Debug, Clone)]
pub struct EndpointRow {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    pub description: Option<String>,
    pub enabled: bool,
    pub secret: String,
    pub created_at: Timestamp,
}

/// One delivery of one event to one URL.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    pub id: String,
    pub webhook_id: Option<String>,
    pub event_id: String,
    pub event_type: String,
    pub status: String,
    pub attempts: u32,
    pub response_status: Option<u16>,
    pub error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

fn endpoint(r: &Row<'_>) -> Result<EndpointRow, Error> {
    let events: String = r.get(2)?;
    Ok(EndpointRow {
        id: r.get(0)?,
        url: r.get(1)?,
        events: serde_json::from_str(&events).unwrap_or_default(),
        description: r.get(3)?,
        enabled: r.get(4)?,
        secret: r.get(5)?,
        created_at: Timestamp::from_millis(r.get(6)?),
    })
}

const ENDPOINT: &str = "id, url, events, description, enabled, secret, created_at";

pub fn insert(c: &Conn<'_>, org: &OrgId, e: &EndpointRow) -> Result<(), Error> {
    let events = serde_json::to_string(&e.events)
        .map_err(|err| Error::internal(format!("cannot encode webhook events: {err}")))?;
    c.execute(
        "INSERT INTO webhooks (id, org_id, url, events, description, enabled, secret, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            e.id,
            org.as_str(),
            e.url,
            events,
            e.description,
            e.enabled,
            e.secret,
            e.created_at.millis()
        ],
    )?;
    Ok(())
}

/// The organisation's endpoints, oldest first.
pub fn list(c: &Conn<'_>, org: &OrgId) -> Result<Vec<EndpointRow>, Error> {
    c.query_map(
        &format!("SELECT {ENDPOINT} FROM webhooks WHERE org_id = ?1 ORDER BY seq"),
        [org.as_str()],
        endpoint,
    )
}

/// Deletes the organisation's endpoint; false when it has none by that id.
pub fn delete(c: &Conn<'_>, org: &OrgId, id: &str) -> Result<bool, Error> {
    Ok(c.execute(
        "DELETE FROM webhooks WHERE org_id = ?1 AND id = ?2",
        params![org.as_str(), id],
    )? > 0)
}

pub fn insert_delivery(c: &Conn<'_>, org: &OrgId, d: &DeliveryRow) -> Result<(), Error> {
    c.execute(
        "INSERT INTO webhook_deliveries (id, org_id, webhook_id, event_id, event_type, status,
             attempts, response_status, error, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            d.id,
            org.as_str(),
            d.webhook_id,
            d.event_id,
            d.event_type,
            d.status,
            d.attempts,
            d.response_status,
            d.error,
            d.created_at.millis(),
            d.updated_at.millis()
        ],
    )?;
    Ok(())
}

/// Records how a delivery ended (or its latest attempt).
pub fn settle_delivery(c: &Conn<'_>, d: &DeliveryRow) -> Result<(), Error> {
    c.execute(
        "UPDATE webhook_deliveries SET status = ?2, attempts = ?3, response_status = ?4,
             error = ?5, updated_at = ?6 WHERE id = ?1",
        params![
            d.id,
            d.status,
            d.attempts,
            d.response_status,
            d.error,
            d.updated_at.millis()
        ],
    )?;
    Ok(())
}

/// The organisation's latest deliveries (newest first), of one endpoint when `webhook` is given.
pub fn deliveries(
    c: &Conn<'_>,
    org: &OrgId,
    webhook: Option<&str>,
    limit: u32,
) -> Result<Vec<DeliveryRow>, Error> {
    c.query_map(
        "SELECT id, webhook_id, event_id, event_type, status, attempts, response_status, error,
                created_at, updated_at
         FROM webhook_deliveries
         WHERE org_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR webhook_id = ?2)
         ORDER BY seq DESC LIMIT ?3",
        params![org.as_str(), webhook, limit],
        |r| {
            Ok(DeliveryRow {
                id: r.get(0)?,
                webhook_id: r.get(1)?,
                event_id: r.get(2)?,
                event_type: r.get(3)?,
                status: r.get(4)?,
                attempts: r.get(5)?,
                response_status: r.get(6)?,
                error: r.get(7)?,
                created_at: Timestamp::from_millis(r.get(8)?),
                updated_at: Timestamp::from_millis(r.get(9)?),
            })
        },
    )
}

/// Deliveries a stopped process left `pending` (their retries lived in its memory) become
/// `failed`, saying why, so the log never shows a delivery waiting that nothing will make.
pub fn abandon_pending(c: &Conn<'_>, now: Timestamp) -> Result<usize, Error> {
    c.execute(
        "UPDATE webhook_deliveries SET status = 'failed', updated_at = ?1,
             error = 'the server stopped before this delivery was made; it is not retried'
         WHERE status = 'pending'",
        [now.millis()],
    )
}
