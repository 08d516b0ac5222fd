//! Publishing an event of the catalogue: queued, in the transaction of the change it reports,
//! for every endpoint of the organisation that wants it (the outbox). The delivery worker
//! ([`super::deliver`]) of whichever process has the data dir open sends it, so an event is
//! delivered whoever caused it: `serve`, a CLI command, the TUI or a background worker.

use crate::engine::store::Conn;
use serde_json::{Value, json};

use crate::engine::store::{self, webhooks::Outgoing};
use crate::model::{Error, JobId, OrgId, Timestamp};

/// The reference's envelope: `{"id": "evt_…", "type", "created_at", "livemode", "data":
/// {"object"}}`.
pub fn envelope(event_id: &str, event_type: &str, livemode: bool, object: &Value) -> Value {
    json!({
        "id": event_id,
        "type": event_type,
        "created_at": Timestamp::now(),
        "livemode": livemode,
        "data": {"object": object},
    })
}

/// Queues `event_type` about `object` for the endpoints of `org` that want it (and `also`, the
/// endpoint a job's approval named). Nothing is built when no endpoint wants it.
pub fn publish(
    c: &Conn<'_>,
    org: &OrgId,
    livemode: bool,
    event_type: &str,
    object: &Value,
    also: Option<&str>,
) -> Result<(), Error> {
    debug_assert!(
        super::CATALOGUE.iter().any(|(t, _)| *t == event_type),
        "{event_type} is not in the catalogue"
    );
    let endpoints = store::webhooks::targets(c, org, event_type, also)?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let event_id = format!("evt_{}", ulid::Ulid::generate());
    let body = serde_json::to_string(&envelope(&event_id, event_type, livemode, object))
        .map_err(|e| Error::internal(format!("cannot encode a webhook event: {e}")))?;
    store::webhooks::enqueue(
        c,
        org,
        &endpoints,
        &Outgoing {
            event_id: &event_id,
            event_type,
            body: &body,
        },
        Timestamp::now(),
    )
}

/// A job's event: for the job's organisation, in the job's mode, also to the endpoint its
/// approval named with `webhook_url`.
pub fn publish_job(
    c: &Conn<'_>,
    job: &JobId,
    event_type: &str,
    object: &Value,
) -> Result<(), Error> {
    publish_job_with(c, job, event_type, |_| Ok(object.clone()))
}

/// A job's event whose object is the job as it now stands (`job.approved`, `job.progress`, how
/// it ended).
pub fn publish_job_state(c: &Conn<'_>, job: &JobId, event_type: &str) -> Result<(), Error> {
    publish_job_with(c, job, event_type, |j| {
        serde_json::to_value(j).map_err(|e| Error::internal(format!("cannot encode a job: {e}")))
    })
}

/// The job's event with the object `object` makes of the job; nothing is read or built beyond
/// the endpoint list when the organisation has no endpoint (the common case, on every step).
fn publish_job_with(
    c: &Conn<'_>,
    job: &JobId,
    event_type: &str,
    object: impl FnOnce(&crate::model::Job) -> Result<Value, Error>,
) -> Result<(), Error> {
    let org = store::jobs::org(c, job)?;
    if store::webhooks::list(c, &org)?.is_empty() {
        return Ok(());
    }
    let current = store::jobs::get(c, job)?;
    let also = store::webhooks::job_endpoint(c, job)?;
    let object = object(&current)?;
    publish(
        c,
        &org,
        current.livemode,
        event_type,
        &object,
        also.as_deref(),
    )
}

/// After a live job charged `charged` credits: `usage.budget.warning` when the organisation's
/// live credits this month (`since`) cross 80 % of the `included` allowance, and
/// `usage.budget.exceeded` when they reach it (new live jobs are then refused with
/// `insufficient_credits`). Each goes out once, from the job that crossed the line.
pub fn publish_budget(
    c: &Conn<'_>,
    job: &JobId,
    included: u64,
    charged: u64,
    since: Timestamp,
) -> Result<(), Error> {
    if included == 0 || charged == 0 {
        return Ok(());
    }
    let org = store::jobs::org(c, job)?;
    let used = store::jobs::credits_since(c, &org, since, true)?;
    let before = used.saturating_sub(charged);
    let object = json!({
        "object": "usage_budget",
        "period_start": since,
        "credits": {"included": included, "used": used, "remaining": included.saturating_sub(used)},
        "job_id": job,
    });
    let warn = |n: u64| n.saturating_mul(5) >= included.saturating_mul(4);
    if !warn(before) && warn(used) {
        publish(c, &org, true, "usage.budget.warning", &object, None)?;
    }
    if before < included && used >= included {
        publish(c, &org, true, "usage.budget.exceeded", &object, None)?;
    }
    Ok(())
}

/// The catalogue type of a step event (`{step_id, status, title}`).
pub fn step_event(status: &str) -> Option<&'static str> {
    match status {
        "started" => Some("job.step.started"),
        "completed" => Some("job.step.completed"),
        "failed" => Some("job.step.failed"),
        _ => None,
    }
}

/// The catalogue type of a job that ended with `status`.
pub fn end_event(status: crate::model::JobStatus) -> &'static str {
    use crate::model::JobStatus;
    match status {
        JobStatus::Succeeded => "job.succeeded",
        JobStatus::Stopped => "job.stopped",
        _ => "job.failed",
    }
}

/// `job.progress` is throttled to every 10 %: true when `percent` is in a later tenth than
/// `before`.
pub fn crosses_a_tenth(before: u32, percent: u32) -> bool {
    percent / 10 > before / 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_published_once_per_tenth() {
        assert!(!crosses_a_tenth(0, 9));
        assert!(crosses_a_tenth(9, 10));
        assert!(!crosses_a_tenth(10, 19));
        assert!(crosses_a_tenth(15, 35));
        assert!(!crosses_a_tenth(35, 35));
    }
}
