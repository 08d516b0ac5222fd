//! Lead rows. Each lead is stored whole (JSON) next to the columns that filters need, and with
//! the sequence number of the `result` event that delivered it: the lead and its event are written
//! in the same transaction, so an event in the log always has its leads.

use super::{Conn, Dialect, params};

use super::paging::{KeysetQuery, Paging};
use super::{from_json, to_json};
use crate::model::requests::LeadQuery;
use crate::model::{Error, JobId, Lead, Order, Page};

pub fn insert_batch(
    c: &Conn<'_>,
    job: &JobId,
    leads: &[Lead],
    first_ordinal: u64,
    event_seq: u64,
) -> Result<(), Error> {
    for (i, lead) in leads.iter().enumerate() {
        c.execute(
            "INSERT INTO leads (id, job_id, ordinal, event_seq, confidence, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
            lead.id,
            job,
            (first_ordinal + i as u64) as i64,
            event_seq as i64,
            lead.confidence,
            to_json(lead)
            ],
        )?;
        let ordinal = (first_ordinal + i as u64) as i64;
        super::lead_index::insert(c, job, ordinal, lead)?;
    }
    Ok(())
}

pub fn count(c: &Conn<'_>, job: &JobId) -> Result<u64, Error> {
    Ok(
        c.query_row("SELECT count(*) FROM leads WHERE job_id = ?1", [job], |r| {
            r.get::<i64>(0)
        })? as u64,
    )
}

/// `person.email` → `$.person.email`, accepting only plain dotted names.
fn json_path(field: &str) -> Result<String, Error> {
    let ok = !field.is_empty()
        && field.split('.').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
    if !ok {
        return Err(Error::invalid(format!(
            "has_field `{}` is not a field path; use names like person.email or fields.funding_amount.",
            crate::text::sanitize_inline(field)
        ))
        .with_param("has_field"));
    }
    Ok(format!("$.{field}"))
}

pub fn list(c: &Conn<'_>, job: &JobId, q: &LeadQuery) -> Result<Page<Lead>, Error> {
    let mut query = KeysetQuery::new(
        "SELECT ordinal, data FROM leads WHERE job_id = ?",
        vec![Box::new(job.as_str().to_string())],
        "ordinal",
        &q.page,
        Paging {
            default_limit: 50,
            max_limit: 100,
            order: Order::Asc,
        },
    )?;
    if let Some(min) = q.min_confidence {
        if !(0.0..=1.0).contains(&min) {
            return Err(Error::invalid(format!(
                "min_confidence must be between 0 and 1; got {min}."
            ))
            .with_param("min_confidence"));
        }
        query.filter("confidence >= ?", min);
    }
    for field in &q.has_field {
        let path = json_path(field)?;
        match c.dialect() {
            Dialect::Sqlite => query.filter("json_extract(data, ?) IS NOT NULL", path),
            // `#>>` gives SQL NULL for a JSON null too, as json_extract does.
            Dialect::Postgres => query.filter(
                "(CAST(data AS jsonb) #>> string_to_array(?, '.')) IS NOT NULL",
                path.trim_start_matches("$.").to_string(),
            ),
        }
    }
    query.fetch(
        c,
        |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
        |(_, raw)| from_json::<Lead>(&raw, "lead"),
    )
}

pub fn all(c: &Conn<'_>, job: &JobId) -> Result<Vec<Lead>, Error> {
    c.query_map(
        "SELECT data FROM leads WHERE job_id = ?1 ORDER BY ordinal",
        [job],
        |r| from_json::<Lead>(&r.get::<String>(0)?, "lead"),
    )
}

/// Every lead of a job in capture order, one at a time (a large job is never all in memory).
/// The `fields` keys of a job's leads in first-seen order (an export's middle columns), read
/// from the stored JSON without building the leads. PostgreSQL reads the leads instead.
pub fn field_keys(conn: &Conn<'_>, job: &JobId) -> Result<Vec<String>, Error> {
    let Some(c) = conn.as_sqlite() else {
        return Ok(crate::export::field_keys(&all(conn, job)?));
    };
    // json_each's `id` grows with the position in the text: within a lead, its keys' order.
    let mut stmt = c.prepare_cached(
        "SELECT j.key FROM leads, json_each(leads.data, '$.fields') AS j
         WHERE leads.job_id = ?1
         GROUP BY j.key ORDER BY min(leads.ordinal * 1000000 + j.id)",
    )?;
    let keys = stmt
        .query_map([job.as_str()], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(keys)
}

pub fn stream<T>(
    conn: &Conn<'_>,
    job: &JobId,
    f: impl FnOnce(&mut dyn Iterator<Item = Result<Lead, Error>>) -> Result<T, Error>,
) -> Result<T, Error> {
    // Files are opened into the local SQLite store only; elsewhere the job is read whole.
    let Some(c) = conn.as_sqlite() else {
        return f(&mut all(conn, job)?.into_iter().map(Ok));
    };
    let mut stmt = c.prepare_cached("SELECT data FROM leads WHERE job_id = ?1 ORDER BY ordinal")?;
    let mut rows = stmt
        .query_map([job.as_str()], |r| r.get::<_, String>(0))?
        .map(|raw| from_json::<Lead>(&raw?, "lead"));
    f(&mut rows)
}

/// Leads delivered by events with sequence numbers in `(after, upto]`, grouped by event, as JSON
/// values (events carry them as data; parsing into `Lead` and back would be wasted work).
pub fn by_events(
    c: &Conn<'_>,
    job: &JobId,
    after: u64,
    upto: u64,
) -> Result<Vec<(u64, serde_json::Value)>, Error> {
    c.query_map(
        "SELECT event_seq, data FROM leads WHERE job_id = ?1 AND event_seq > ?2 AND event_seq <= ?3
         ORDER BY event_seq, ordinal",
        params![job, after as i64, upto as i64],
        |r| {
            Ok((
                r.get::<i64>(0)? as u64,
                from_json::<serde_json::Value>(&r.get::<String>(1)?, "lead")?,
            ))
        },
    )
}

/// Rewrites leads in place (an enrichment's new fields, sources and confidence), keeping their
/// order and the event that delivered them.
pub fn update_batch(c: &Conn<'_>, leads: &[Lead]) -> Result<(), Error> {
    for lead in leads {
        c.execute(
            "UPDATE leads SET confidence = ?2, data = ?3 WHERE id = ?1",
            params![lead.id, lead.confidence, to_json(lead)],
        )?;
        super::lead_index::reindex(c, lead)?;
    }
    Ok(())
}
