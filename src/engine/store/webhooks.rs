//! Webhook endpoints and their delivery log, per organisation (`src/engine/webhooks` decides
//! what is sent; this only stores it).

use super::{Conn, Dialect, Row, params};

use crate::model::{Error, JobId, OrgId, Timestamp};

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
    /// The secret a rotation replaced, still signing deliveries until `previous_secret_until`.
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<Timestamp>,
}

impl EndpointRow {
    /// The secrets that sign a delivery made at `now`: the current one, then the previous one
    /// while a rotation's grace period lasts.
    pub fn signing_secrets(&self, now: Timestamp) -> Vec<String> {
        let mut secrets = vec![self.secret.clone()];
        if let (Some(old), Some(until)) = (&self.previous_secret, self.previous_secret_until)
            && until > now
        {
            secrets.push(old.clone());
        }
        secrets
    }

    /// Whether the endpoint subscribes to `event_type`.
    pub fn wants(&self, event_type: &str) -> bool {
        self.events.iter().any(|e| e == "*" || e == event_type)
    }
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
    endpoint_at(r, 0)
}

/// An endpoint from the columns of [`ENDPOINT`] starting at `at`.
fn endpoint_at(r: &Row<'_>, at: usize) -> Result<EndpointRow, Error> {
    let events: String = r.get(at + 2)?;
    Ok(EndpointRow {
        id: r.get(at)?,
        url: r.get(at + 1)?,
        events: serde_json::from_str(&events).unwrap_or_default(),
        description: r.get(at + 3)?,
        enabled: r.get(at + 4)?,
        secret: r.get(at + 5)?,
        created_at: Timestamp::from_millis(r.get(at + 6)?),
        previous_secret: r.get(at + 7)?,
        previous_secret_until: r.get::<Option<i64>>(at + 8)?.map(Timestamp::from_millis),
    })
}

const ENDPOINT: &str = "id, url, events, description, enabled, secret, created_at, \
                        previous_secret, previous_secret_until";

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

/// The organisation's endpoint by id (another organisation's is `None`).
pub fn get(c: &Conn<'_>, org: &OrgId, id: &str) -> Result<Option<EndpointRow>, Error> {
    c.query_opt(
        &format!("SELECT {ENDPOINT} FROM webhooks WHERE org_id = ?1 AND id = ?2"),
        params![org.as_str(), id],
        endpoint,
    )
}

/// Writes an endpoint's url, events, description, enabled flag and secrets.
pub fn update(c: &Conn<'_>, org: &OrgId, e: &EndpointRow) -> Result<(), Error> {
    let events = serde_json::to_string(&e.events)
        .map_err(|err| Error::internal(format!("cannot encode webhook events: {err}")))?;
    c.execute(
        "UPDATE webhooks SET url = ?3, events = ?4, description = ?5, enabled = ?6, secret = ?7,
             previous_secret = ?8, previous_secret_until = ?9
         WHERE org_id = ?1 AND id = ?2",
        params![
            org.as_str(),
            e.id,
            e.url,
            events,
            e.description,
            e.enabled,
            e.secret,
            e.previous_secret,
            e.previous_secret_until.map(Timestamp::millis)
        ],
    )?;
    Ok(())
}

/// Deletes the organisation's endpoint; false when it has none by that id.
pub fn delete(c: &Conn<'_>, org: &OrgId, id: &str) -> Result<bool, Error> {
    Ok(c.execute(
        "DELETE FROM webhooks WHERE org_id = ?1 AND id = ?2",
        params![org.as_str(), id],
    )? > 0)
}

/// Logs a delivery without a body: one made at once by its caller (a test delivery), or (in
/// tests) what an older process left behind.
pub fn insert_delivery(c: &Conn<'_>, org: &OrgId, d: &DeliveryRow) -> Result<(), Error> {
    insert_with_body(c, org, d, None)
}

fn insert_with_body(
    c: &Conn<'_>,
    org: &OrgId,
    d: &DeliveryRow,
    body: Option<&str>,
) -> Result<(), Error> {
    c.execute(
        "INSERT INTO webhook_deliveries (id, org_id, webhook_id, event_id, event_type, status,
             attempts, response_status, error, created_at, updated_at, body, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?11)",
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
            d.updated_at.millis(),
            body
        ],
    )?;
    Ok(())
}

/// One event, ready to be queued: its id, type and signed-to-be body.
pub struct Outgoing<'a> {
    pub event_id: &'a str,
    pub event_type: &'a str,
    pub body: &'a str,
}

/// The endpoints of `org` an event of `event_type` goes to: every enabled one that subscribes
/// to it, and `also` (the endpoint a job's approval named) whatever it subscribes to.
pub fn targets(
    c: &Conn<'_>,
    org: &OrgId,
    event_type: &str,
    also: Option<&str>,
) -> Result<Vec<String>, Error> {
    Ok(list(c, org)?
        .into_iter()
        .filter(|e| also == Some(e.id.as_str()) || (e.enabled && e.wants(event_type)))
        .map(|e| e.id)
        .collect())
}

/// Queues `event` for each of `endpoints`, due at once. Runs inside the caller's transaction,
/// so an event is queued if and only if the change it reports is committed.
pub fn enqueue(
    c: &Conn<'_>,
    org: &OrgId,
    endpoints: &[String],
    event: &Outgoing<'_>,
    now: Timestamp,
) -> Result<(), Error> {
    for id in endpoints {
        let row = DeliveryRow {
            id: format!("dlv_{}", ulid::Ulid::generate()),
            webhook_id: Some(id.clone()),
            event_id: event.event_id.to_string(),
            event_type: event.event_type.to_string(),
            status: "pending".into(),
            attempts: 0,
            response_status: None,
            error: None,
            created_at: now,
            updated_at: now,
        };
        insert_with_body(c, org, &row, Some(event.body))?;
    }
    Ok(())
}

/// A delivery claimed for one attempt, with what it needs: the body and the endpoint.
#[derive(Debug, Clone)]
pub struct Due {
    pub row: DeliveryRow,
    pub body: String,
    pub endpoint: EndpointRow,
}

/// Claims up to `limit` deliveries that are due and not being tried by anyone (no lease, or an
/// expired one), leasing each until `lease_until` so no other process tries it meanwhile.
/// Deliveries whose endpoint was deleted end `failed` here.
pub fn claim_due(
    c: &Conn<'_>,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<Due>, Error> {
    let found = c.query_map(
        &format!(
            "SELECT d.id, d.webhook_id, d.event_id, d.event_type, d.status, d.attempts,
                d.response_status, d.error, d.created_at, d.updated_at, d.body, w.{}
         FROM webhook_deliveries d
         LEFT JOIN webhooks w ON w.id = d.webhook_id AND w.org_id = d.org_id
         WHERE d.status = 'pending' AND d.body IS NOT NULL AND d.next_attempt_at <= ?1
           AND (d.lease_until IS NULL OR d.lease_until <= ?1)
         ORDER BY d.next_attempt_at, d.seq LIMIT ?2",
            ENDPOINT.replace(", ", ", w.")
        ),
        params![now.millis(), limit],
        |r| {
            let row = delivery(r)?;
            let body: String = r.get(10)?;
            let has_endpoint: Option<String> = r.get(11)?;
            let endpoint = match has_endpoint {
                Some(_) => Some(endpoint_at(r, 11)?),
                None => None,
            };
            Ok((row, body, endpoint))
        },
    )?;
    let mut due = Vec::new();
    for (mut row, body, endpoint) in found {
        match endpoint {
            Some(endpoint) => {
                c.execute(
                    "UPDATE webhook_deliveries SET lease_until = ?2 WHERE id = ?1",
                    params![row.id, lease_until.millis()],
                )?;
                due.push(Due {
                    row,
                    body,
                    endpoint,
                });
            }
            None => {
                row.status = "failed".into();
                row.error = Some("the endpoint was deleted before this delivery was made".into());
                row.updated_at = now;
                settle_delivery(c, &row, None)?;
            }
        }
    }
    Ok(due)
}

/// When the next queued delivery falls due (of any organisation), if any is queued.
pub fn next_due(c: &Conn<'_>) -> Result<Option<Timestamp>, Error> {
    // A leased delivery falls due when its lease ends, if that is later. SQLite's two-argument
    // MAX is NULL when either is; PostgreSQL's GREATEST ignores a NULL.
    let later = match c.dialect() {
        Dialect::Sqlite => "COALESCE(MAX(next_attempt_at, lease_until), next_attempt_at)",
        Dialect::Postgres => "GREATEST(next_attempt_at, lease_until)",
    };
    let at: Option<i64> = c.query_row(
        &format!(
            "SELECT MIN({later})
             FROM webhook_deliveries WHERE status = 'pending' AND body IS NOT NULL"
        ),
        (),
        |r| r.get(0),
    )?;
    Ok(at.map(Timestamp::from_millis))
}

/// Records how a delivery's latest attempt went and releases its lease; a `pending` delivery
/// is tried again at `next_attempt_at`.
pub fn settle_delivery(
    c: &Conn<'_>,
    d: &DeliveryRow,
    next_attempt_at: Option<Timestamp>,
) -> Result<(), Error> {
    c.execute(
        "UPDATE webhook_deliveries SET status = ?2, attempts = ?3, response_status = ?4,
             error = ?5, updated_at = ?6, next_attempt_at = COALESCE(?7, next_attempt_at),
             lease_until = NULL
         WHERE id = ?1",
        params![
            d.id,
            d.status,
            d.attempts,
            d.response_status,
            d.error,
            d.updated_at.millis(),
            next_attempt_at.map(Timestamp::millis)
        ],
    )?;
    Ok(())
}

/// The endpoint a job's approval named with `webhook_url`, if any.
pub fn job_endpoint(c: &Conn<'_>, job: &JobId) -> Result<Option<String>, Error> {
    Ok(c.query_opt(
        "SELECT webhook_id FROM jobs WHERE id = ?1",
        [job.as_str()],
        |r| r.get::<Option<String>>(0),
    )?
    .flatten())
}

pub fn set_job_endpoint(c: &Conn<'_>, job: &JobId, webhook: &str) -> Result<(), Error> {
    c.execute(
        "UPDATE jobs SET webhook_id = ?2 WHERE id = ?1",
        params![job.as_str(), webhook],
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
        delivery,
    )
}

fn delivery(r: &Row<'_>) -> Result<DeliveryRow, Error> {
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
}

/// Deliveries left `pending` without a body (queued by a leadline from before the outbox, whose
/// retries lived in its memory) become `failed`, saying why, so the log never shows a delivery
/// waiting that nothing will make. Queued deliveries (with a body) are not touched: whichever
/// process opens the data dir next delivers them.
pub fn abandon_pending(c: &Conn<'_>, now: Timestamp) -> Result<usize, Error> {
    c.execute(
        "UPDATE webhook_deliveries SET status = 'failed', updated_at = ?1,
             error = 'the server stopped before this delivery was made; it is not retried'
         WHERE status = 'pending' AND body IS NULL",
        [now.millis()],
    )
}

/// Gives back the leases of deliveries this process claimed and will not finish (it is
/// exiting): the next process may try them at once instead of when the leases end. A delivery
/// already settled keeps its state.
pub fn release_leases(c: &Conn<'_>, ids: &[String]) -> Result<(), Error> {
    for id in ids {
        c.execute(
            "UPDATE webhook_deliveries SET lease_until = NULL WHERE id = ?1 AND status = 'pending'",
            [id],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::store::Store;

    #[test]
    fn a_released_lease_is_claimable_again_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let org = OrgId::local();
        s.write(|c| insert(c, &org, &endpoint("whk_1"))).unwrap();
        let t0 = Timestamp::from_millis(1_000_000);
        queue(&s, &org, 2, t0);
        let lease = Timestamp::from_millis(t0.millis() + 30_000);
        let first = s.write(|c| claim_due(c, t0, lease, 10)).unwrap();
        assert_eq!(first.len(), 2);
        // One was settled before the process gave up; the other is released.
        let mut done = first[0].row.clone();
        done.attempts = 1;
        done.status = "delivered".into();
        done.response_status = Some(200);
        s.write(|c| settle_delivery(c, &done, None)).unwrap();
        let ids: Vec<String> = first.iter().map(|d| d.row.id.clone()).collect();
        s.write(|c| release_leases(c, &ids)).unwrap();
        let again = s.write(|c| claim_due(c, t0, lease, 10)).unwrap();
        let again: Vec<&str> = again.iter().map(|d| d.row.id.as_str()).collect();
        assert_eq!(
            again,
            vec![first[1].row.id.as_str()],
            "only the unfinished one, at once"
        );
    }

    fn endpoint(id: &str) -> EndpointRow {
        EndpointRow {
            id: id.into(),
            url: "http://127.0.0.1:9/hook".into(),
            events: vec!["*".into()],
            description: None,
            enabled: true,
            secret: "whsec_a".into(),
            created_at: Timestamp::from_millis(1),
            previous_secret: None,
            previous_secret_until: None,
        }
    }

    fn queue(s: &Store, org: &OrgId, n: usize, now: Timestamp) {
        s.write(|c| {
            let targets = targets(c, org, "thread.created", None)?;
            for i in 0..n {
                let id = format!("evt_{i}");
                let event = Outgoing {
                    event_id: &id,
                    event_type: "thread.created",
                    body: "{}",
                };
                enqueue(c, org, &targets, &event, now)?;
            }
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn a_claimed_delivery_is_leased_and_claimable_again_only_when_the_lease_ends() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let org = OrgId::local();
        s.write(|c| insert(c, &org, &endpoint("whk_1"))).unwrap();
        let t0 = Timestamp::from_millis(1_000_000);
        queue(&s, &org, 2, t0);
        let lease = Timestamp::from_millis(t0.millis() + 30_000);
        let first = s.write(|c| claim_due(c, t0, lease, 10)).unwrap();
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].endpoint.id, "whk_1");
        // Another process looking meanwhile gets nothing: both are leased.
        let again = s.write(|c| claim_due(c, t0, lease, 10)).unwrap();
        assert!(again.is_empty());
        assert_eq!(s.read(next_due).unwrap(), Some(lease));
        // One is tried and scheduled for later; the other's process dies holding it.
        let mut row = first[0].row.clone();
        row.attempts = 1;
        row.response_status = Some(503);
        let later = Timestamp::from_millis(t0.millis() + 60_000);
        s.write(|c| settle_delivery(c, &row, Some(later))).unwrap();
        let after_lease = Timestamp::from_millis(lease.millis() + 1);
        let orphan = s
            .write(|c| {
                claim_due(
                    c,
                    after_lease,
                    Timestamp::from_millis(after_lease.millis() + 30_000),
                    10,
                )
            })
            .unwrap();
        assert_eq!(orphan.len(), 1);
        assert_eq!(orphan[0].row.id, first[1].row.id);
        let retry = s
            .write(|c| {
                claim_due(
                    c,
                    later,
                    Timestamp::from_millis(later.millis() + 30_000),
                    10,
                )
            })
            .unwrap();
        assert_eq!(retry.len(), 1);
        assert_eq!(
            (retry[0].row.id.as_str(), retry[0].row.attempts),
            (row.id.as_str(), 1)
        );
    }

    #[test]
    fn a_delivery_whose_endpoint_was_deleted_ends_failed_when_it_falls_due() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let org = OrgId::local();
        s.write(|c| insert(c, &org, &endpoint("whk_1"))).unwrap();
        let t0 = Timestamp::from_millis(1_000_000);
        queue(&s, &org, 1, t0);
        assert!(s.write(|c| delete(c, &org, "whk_1")).unwrap());
        let lease = Timestamp::from_millis(t0.millis() + 30_000);
        assert!(s.write(|c| claim_due(c, t0, lease, 10)).unwrap().is_empty());
        let log = s.read(|c| deliveries(c, &org, None, 10)).unwrap();
        assert_eq!(log[0].status, "failed");
        assert!(log[0].error.as_deref().unwrap().contains("deleted"));
        assert_eq!(s.read(next_due).unwrap(), None);
    }

    #[test]
    fn only_enabled_endpoints_that_subscribe_get_an_event_and_a_named_one_gets_all() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let org = OrgId::local();
        let mut jobs_only = endpoint("whk_jobs");
        jobs_only.events = vec!["job.succeeded".into()];
        let mut off = endpoint("whk_off");
        off.enabled = false;
        s.write(|c| {
            insert(c, &org, &endpoint("whk_all"))?;
            insert(c, &org, &jobs_only)?;
            insert(c, &org, &off)
        })
        .unwrap();
        let other = OrgId::parse("org_other").unwrap();
        s.write(|c| insert(c, &other, &endpoint("whk_theirs")))
            .unwrap();
        let got = s
            .read(|c| targets(c, &org, "thread.created", None))
            .unwrap();
        assert_eq!(got, vec!["whk_all".to_string()]);
        let got = s.read(|c| targets(c, &org, "job.succeeded", None)).unwrap();
        assert_eq!(got, vec!["whk_all".to_string(), "whk_jobs".to_string()]);
        let got = s
            .read(|c| targets(c, &org, "thread.created", Some("whk_off")))
            .unwrap();
        assert_eq!(got, vec!["whk_all".to_string(), "whk_off".to_string()]);
    }
}
