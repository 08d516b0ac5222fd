//! Lead rows. Each lead is stored whole (JSON) next to the columns that filters need, and with
//! the sequence number of the `result` event that delivered it: the lead and its event are written
//! in the same transaction, so an event in the log always has its leads.

use rusqlite::{Connection, params};

use super::{from_json, to_json};
use crate::model::list::{decode_cursor, encode_cursor};
use crate::model::requests::LeadQuery;
use crate::model::{Error, JobId, Lead, Order, Page};

pub fn insert_batch(
    c: &Connection,
    job: &JobId,
    leads: &[Lead],
    first_ordinal: u64,
    event_seq: u64,
) -> Result<(), Error> {
    let mut stmt = c.prepare_cached(
        "INSERT INTO leads (id, job_id, ordinal, event_seq, confidence, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, lead) in leads.iter().enumerate() {
        stmt.execute(params![
            lead.id,
            job,
            (first_ordinal + i as u64) as i64,
            event_seq as i64,
            lead.confidence,
            to_json(lead)
        ])?;
    }
    Ok(())
}

pub fn count(c: &Connection, job: &JobId) -> Result<u64, Error> {
    Ok(
        c.query_row("SELECT count(*) FROM leads WHERE job_id = ?1", [job], |r| {
            r.get::<_, i64>(0)
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

pub fn list(c: &Connection, job: &JobId, q: &LeadQuery) -> Result<Page<Lead>, Error> {
    let limit = q.page.limit_or(50, 100)?;
    let order = q.page.order.unwrap_or(Order::Asc);
    let cursor = q.page.cursor.as_deref().map(decode_cursor).transpose()?;
    let (cmp, dir) = match order {
        Order::Asc => (">", "ASC"),
        Order::Desc => ("<", "DESC"),
    };
    let mut sql = String::from("SELECT ordinal, data FROM leads WHERE job_id = ?");
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = vec![Box::new(job.as_str().to_string())];
    if let Some(cursor) = cursor {
        sql.push_str(&format!(" AND ordinal {cmp} ?"));
        args.push(Box::new(cursor));
    }
    if let Some(min) = q.min_confidence {
        if !(0.0..=1.0).contains(&min) {
            return Err(Error::invalid(format!(
                "min_confidence must be between 0 and 1; got {min}."
            ))
            .with_param("min_confidence"));
        }
        sql.push_str(" AND confidence >= ?");
        args.push(Box::new(min));
    }
    for field in &q.has_field {
        sql.push_str(" AND json_extract(data, ?) IS NOT NULL");
        args.push(Box::new(json_path(field)?));
    }
    sql.push_str(&format!(" ORDER BY ordinal {dir} LIMIT ?"));
    args.push(Box::new(i64::from(limit) + 1));
    let mut stmt = c.prepare(&sql)?;
    let mut rows = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if has_more {
        rows.last().map(|r| encode_cursor(r.0))
    } else {
        None
    };
    let data = rows
        .iter()
        .map(|(_, raw)| from_json::<Lead>(raw, "lead"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        data,
        has_more,
        next_cursor,
        total: None,
    })
}

pub fn all(c: &Connection, job: &JobId) -> Result<Vec<Lead>, Error> {
    let mut stmt = c.prepare_cached("SELECT data FROM leads WHERE job_id = ?1 ORDER BY ordinal")?;
    let raws = stmt.query_map([job], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for raw in raws {
        out.push(from_json::<Lead>(&raw?, "lead")?);
    }
    Ok(out)
}

/// Leads delivered by events with sequence numbers in `(after, upto]`, grouped by event, as JSON
/// values (events carry them as data; parsing into `Lead` and back would be wasted work).
pub fn by_events(
    c: &Connection,
    job: &JobId,
    after: u64,
    upto: u64,
) -> Result<Vec<(u64, serde_json::Value)>, Error> {
    let mut stmt = c.prepare_cached(
        "SELECT event_seq, data FROM leads WHERE job_id = ?1 AND event_seq > ?2 AND event_seq <= ?3
         ORDER BY event_seq, ordinal",
    )?;
    let rows = stmt.query_map(params![job, after as i64, upto as i64], |r| {
        Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, raw) = row?;
        out.push((seq, from_json::<serde_json::Value>(&raw, "lead")?));
    }
    Ok(out)
}

/// Rewrites leads in place (an enrichment's new fields, sources and confidence), keeping their
/// order and the event that delivered them.
pub fn update_batch(c: &Connection, leads: &[Lead]) -> Result<(), Error> {
    let mut stmt = c.prepare_cached("UPDATE leads SET confidence = ?2, data = ?3 WHERE id = ?1")?;
    for lead in leads {
        stmt.execute(params![lead.id, lead.confidence, to_json(lead)])?;
    }
    Ok(())
}
