//! Job events, numbered per job from 1. A `result` event's leads live in the leads table (linked
//! by sequence number) and are put back into its data when read, so they are stored once.

use super::{Conn, params};
use serde_json::{Map, Value};

use super::{from_json, leads, to_json};
use crate::model::{Error, Event, EventId, EventKind, JobId, Timestamp};

/// The next sequence number (the write transaction makes this race-free).
pub fn next_seq(c: &Conn<'_>, job: &JobId) -> Result<u64, Error> {
    let last: i64 = c.query_row(
        "SELECT COALESCE(MAX(seq), 0) FROM events WHERE job_id = ?1",
        [job],
        |r| r.get(0),
    )?;
    Ok(last as u64 + 1)
}

pub fn append(
    c: &Conn<'_>,
    job: &JobId,
    kind: EventKind,
    data: &Value,
    now: Timestamp,
) -> Result<u64, Error> {
    let seq = next_seq(c, job)?;
    c.execute(
        "INSERT INTO events (job_id, seq, kind, data, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![job, seq as i64, kind.as_str(), to_json(data), now.millis()],
    )?;
    Ok(seq)
}

/// Events after `after` (all when `None`), oldest first, at most `limit`; `result` events carry
/// their leads when `with_leads`, only their counters otherwise.
pub fn list_after(
    c: &Conn<'_>,
    job: &JobId,
    after: Option<EventId>,
    limit: u32,
    with_leads: bool,
) -> Result<Vec<Event>, Error> {
    let after = after.map(|e| e.0).unwrap_or(0);
    let rows = c.query_map(
        "SELECT seq, kind, data, created_at FROM events WHERE job_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        params![job, after as i64, i64::from(limit)],
        |r| {
            Ok((
                r.get::<i64>(0)? as u64,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<i64>(3)?,
            ))
        },
    )?;
    let Some(upto) = rows.last().map(|r| r.0) else {
        return Ok(Vec::new());
    };
    // A log view needs a result event's counters, not its leads: skip reading them at all.
    let hydrated = if with_leads {
        leads::by_events(c, job, after, upto)?
    } else {
        Vec::new()
    };
    let mut delivered = hydrated.into_iter().peekable();
    let mut out = Vec::with_capacity(rows.len());
    for (seq, kind, data, created_at) in rows {
        let kind = EventKind::parse(&kind).ok_or_else(|| {
            Error::internal(format!("stored event {seq} has unknown type {kind:?}"))
        })?;
        let mut data: Value = from_json(&data, "event data")?;
        if kind == EventKind::Result && with_leads {
            let mut batch = Vec::new();
            while let Some((_, lead)) = delivered.next_if(|(s, _)| *s == seq) {
                batch.push(lead);
            }
            let mut with_leads = Map::new();
            with_leads.insert("leads".into(), Value::Array(batch));
            if let Value::Object(rest) = data {
                with_leads.extend(rest);
            }
            data = Value::Object(with_leads);
        }
        out.push(Event {
            id: EventId(seq),
            object: "event".into(),
            job_id: job.clone(),
            kind,
            data,
            created_at: Timestamp::from_millis(created_at),
        });
    }
    Ok(out)
}
