//! Plan rows.

use super::{Conn, Row, params};

use super::{from_json, to_json};
use crate::model::{Error, JobId, Plan, PlanId, ThreadId, Timestamp};

const COLUMNS: &str = "id, thread_id, job_id, title, steps, credits_estimate, icp, notes, replaces, created_at, not_understood";

type Raw = (Plan, String, String, String, String);

fn row(r: &Row<'_>) -> Result<Raw, Error> {
    Ok((
        Plan {
            id: PlanId::from_db(r.get(0)?),
            object: "plan".into(),
            thread_id: ThreadId::from_db(r.get(1)?),
            job_id: JobId::from_db(r.get(2)?),
            title: r.get(3)?,
            steps: Vec::new(),
            credits_estimate: r.get::<i64>(5)? as u32,
            icp: Default::default(),
            notes: Vec::new(),
            not_understood: Vec::new(),
            replaces: r.get::<Option<String>>(8)?.map(PlanId::from_db),
            created_at: Timestamp::from_millis(r.get(9)?),
        },
        r.get(4)?,
        r.get(6)?,
        r.get(7)?,
        r.get(10)?,
    ))
}

fn finish((mut p, steps, icp, notes, unread): Raw) -> Result<Plan, Error> {
    p.not_understood = from_json(&unread, "plan not_understood")?;
    p.steps = from_json(&steps, "plan steps")?;
    p.icp = from_json(&icp, "plan ICP")?;
    p.notes = from_json(&notes, "plan notes")?;
    Ok(p)
}

pub fn insert(c: &Conn<'_>, p: &Plan) -> Result<(), Error> {
    c.execute(
        &format!(
            "INSERT INTO plans ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        ),
        params![
            p.id,
            p.thread_id,
            p.job_id,
            p.title,
            to_json(&p.steps),
            i64::from(p.credits_estimate),
            to_json(&p.icp),
            to_json(&p.notes),
            p.replaces,
            p.created_at.millis(),
            to_json(&p.not_understood)
        ],
    )?;
    Ok(())
}

pub fn get(c: &Conn<'_>, id: &PlanId) -> Result<Plan, Error> {
    let found = c.query_opt(
        &format!("SELECT {COLUMNS} FROM plans WHERE id = ?1"),
        [id],
        row,
    )?;
    match found {
        Some(r) => finish(r),
        None => Err(Error::not_found("Plan", id).with_param("plan_id")),
    }
}
