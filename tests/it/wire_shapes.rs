//! The objects the engine produces carry exactly the reference's keys (plus the documented
//! additive ones), with nullable fields present as `null`, ids with their prefixes and timestamps
//! in ISO-8601 UTC with milliseconds.

use crate::common;

use common::*;
use leadline::model::PageParams;
use serde_json::Value;

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}

fn assert_keys(v: &Value, reference: &[&str], additive: &[&str]) {
    let mut want: Vec<String> = reference
        .iter()
        .chain(additive)
        .map(|s| s.to_string())
        .collect();
    want.sort();
    assert_eq!(keys(v), want, "{v}");
}

fn assert_timestamp(v: &Value) {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{v} is not a timestamp string"));
    assert_eq!(s.len(), 24, "{s}");
    assert!(s.ends_with('Z') && s.as_bytes()[19] == b'.', "{s}");
}

#[expect(
    clippy::too_many_lines,
    reason = "one walk through every object of the API, each checked against its reference shape"
)]
#[tokio::test]
async fn every_object_has_the_reference_shape() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path(), 0).await;
    let (posted, job, events) = run_to_end(&engine, FRENCH_FINTECH).await;

    let thread =
        serde_json::to_value(engine.get_thread(&posted.message.thread_id).await.unwrap()).unwrap();
    assert_keys(
        &thread,
        &[
            "id",
            "object",
            "title",
            "created_at",
            "updated_at",
            "message_count",
            "last_job_id",
            "metadata",
        ],
        &["last_job_status"],
    );
    assert!(thread["id"].as_str().unwrap().starts_with("thr_"));
    assert_timestamp(&thread["created_at"]);

    let message = serde_json::to_value(&posted.message).unwrap();
    assert_keys(
        &message,
        &[
            "id",
            "object",
            "thread_id",
            "role",
            "kind",
            "content",
            "plan_id",
            "job_id",
            "created_at",
        ],
        &[],
    );
    assert!(message["plan_id"].is_null() && message["job_id"].is_null());
    assert_eq!(message["role"], "user");
    assert_eq!(message["kind"], "text");

    let plan = serde_json::to_value(&posted.plan).unwrap();
    assert_keys(
        &plan,
        &[
            "id",
            "object",
            "job_id",
            "title",
            "steps",
            "credits_estimate",
            "created_at",
        ],
        &["icp", "thread_id", "notes", "not_understood", "replaces"],
    );
    let step = &plan["steps"][0];
    assert_keys(
        step,
        &["id", "title", "intent", "task", "expected_columns"],
        &["roles"],
    );
    assert_eq!(step["id"], "stp_1");

    let job = serde_json::to_value(&job).unwrap();
    assert_keys(
        &job,
        &[
            "id",
            "object",
            "thread_id",
            "plan_id",
            "status",
            "progress",
            "started_at",
            "finished_at",
            "credits_used",
            "artifact",
            "summary",
            "error",
            "metadata",
        ],
        &[
            "livemode",
            "created_at",
            "rows_captured",
            "max_credits",
            "superseded_by",
        ],
    );
    assert_keys(&job["progress"], &["step", "total", "percent"], &[]);
    assert_keys(&job["artifact"], &["id", "rows", "bytes"], &[]);
    assert!(job["error"].is_null());
    assert_timestamp(&job["finished_at"]);

    let artifact_id =
        leadline::model::ArtifactId::parse(job["artifact"]["id"].as_str().unwrap()).unwrap();
    let artifact = serde_json::to_value(engine.get_artifact(&artifact_id).await.unwrap()).unwrap();
    assert_keys(
        &artifact,
        &[
            "id",
            "object",
            "job_id",
            "format",
            "rows",
            "bytes",
            "columns",
            "download_url",
            "expires_at",
            "created_at",
        ],
        &["partial"],
    );
    assert!(
        artifact["download_url"]
            .as_str()
            .unwrap()
            .starts_with("file://")
    );

    let page = engine
        .list_leads(&posted.job.id, Default::default())
        .await
        .unwrap();
    let page = serde_json::to_value(&page).unwrap();
    assert_keys(&page, &["data", "has_more", "next_cursor", "total"], &[]);
    let lead = &page["data"][0];
    assert_keys(
        lead,
        &[
            "id",
            "object",
            "job_id",
            "company",
            "person",
            "fields",
            "sources",
            "confidence",
        ],
        &["livemode"],
    );
    assert_keys(
        &lead["company"],
        &["name", "domain", "linkedin", "hq_city"],
        &["hq_country"],
    );
    assert_keys(
        &lead["person"],
        &["full_name", "title", "email"],
        &["linkedin"],
    );
    assert_keys(
        &lead["sources"][0],
        &["kind", "url", "retrieved_at"],
        &["name", "fields"],
    );
    assert!(lead["id"].as_str().unwrap().starts_with("lead_"));

    let event = serde_json::to_value(&events[0]).unwrap();
    assert_keys(
        &event,
        &["id", "type", "data", "created_at"],
        &["object", "job_id"],
    );
    assert_eq!(event["id"], "evt_1");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    for kind in &kinds {
        assert!(
            ["log", "step", "result", "artifact", "error", "done"].contains(kind),
            "{kind}"
        );
    }
    let artifact_event = events
        .iter()
        .find(|e| e.kind.as_str() == "artifact")
        .unwrap();
    assert_keys(&artifact_event.data, &["artifact_id", "rows", "bytes"], &[]);

    let messages = engine
        .list_messages(&posted.message.thread_id, PageParams::default())
        .await
        .unwrap();
    let card = serde_json::to_value(&messages.data[1]).unwrap();
    assert_eq!(card["kind"], "plan");
    assert_eq!(card["plan_id"], plan["id"]);
}
