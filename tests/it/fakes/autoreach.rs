//! AutoReach: `POST /api/leads` (one lead) and `POST /api/workflows/{id}/leads` with
//! `{"leads": [...]}` (docs/integrations.md, "AutoReach"). AutoReach leaves a lead's fields open;
//! this fake holds leadline to the object its `autoreach` module documents (email required,
//! names and types fixed) and keeps one lead per email. Scripted [`Answer::Partial`], a workflow
//! batch rejects its first lead in `errors[]` and takes the rest.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};

use super::{Answer, State, check_type, error, only_keys, scripted};

pub const WORKFLOW: &str = "wf_7";

pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/api/leads", post(create_lead))
        .route("/api/workflows/{workflow}/leads", post(add_to_workflow))
        .with_state(state)
}

const FIELDS: &[(&str, &str)] = &[
    ("email", "string"),
    ("name", "string"),
    ("firstName", "string"),
    ("lastName", "string"),
    ("title", "string"),
    ("company", "string"),
    ("domain", "string"),
    ("website", "string"),
    ("linkedinUrl", "string"),
    ("companyLinkedinUrl", "string"),
    ("city", "string"),
    ("country", "string"),
    ("industry", "string"),
    ("employeeCount", "number"),
    ("source", "string"),
    ("externalId", "string"),
    ("customFields", "object"),
];

/// Checks one lead object; false when it cannot be stored (no email).
fn check_lead(state: &State, lead: &Map<String, Value>) -> bool {
    let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
    only_keys(state, lead, &names, "lead");
    for (name, ty) in FIELDS {
        check_type(state, lead, name, ty, "lead");
    }
    if !lead.get("email").is_some_and(Value::is_string) {
        state.violation("lead without an email");
        return false;
    }
    true
}

fn email(lead: &Map<String, Value>) -> String {
    lead.get("email")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase()
}

async fn create_lead(
    Extract(state): Extract<Arc<State>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let _in_flight = state.enter().await;
    state.record("/api/leads", &headers, &body);
    if let Some(r) = state.check_auth(&headers) {
        return r;
    }
    let Ok(Value::Object(lead)) = serde_json::from_slice::<Value>(&body) else {
        state.violation("the body is not a JSON object");
        return error(400, "Invalid JSON");
    };
    if !check_lead(&state, &lead) {
        return error(400, "email is required");
    }
    if let Some(r) = scripted(state.next_answer()) {
        return r;
    }
    let id = state.new_id("lead");
    if !state.store_once(&email(&lead), Value::Object(lead.clone())) {
        return (
            StatusCode::CONFLICT,
            axum::Json(
                json!({"error": "duplicate", "message": "A lead with this email already exists"}),
            ),
        )
            .into_response();
    }
    let mut answer = lead;
    answer.insert("id".into(), id.into());
    answer.insert("status".into(), "new".into());
    (StatusCode::CREATED, axum::Json(Value::Object(answer))).into_response()
}

async fn add_to_workflow(
    Extract(state): Extract<Arc<State>>,
    Path(workflow): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let _in_flight = state.enter().await;
    state.record(&format!("/api/workflows/{workflow}/leads"), &headers, &body);
    if let Some(r) = state.check_auth(&headers) {
        return r;
    }
    if workflow != WORKFLOW {
        return error(404, "Workflow not found");
    }
    let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(&body) else {
        state.violation("the body is not a JSON object");
        return error(400, "Invalid JSON");
    };
    only_keys(&state, &top, &["leads"], "body");
    let Some(leads) = top.get("leads").and_then(Value::as_array) else {
        state.violation("body.leads is not an array");
        return error(400, "leads must be an array");
    };
    if leads.is_empty() || leads.len() > 100 {
        state.violation(format!("{} leads in one workflow request", leads.len()));
    }
    for l in leads {
        match l.as_object() {
            Some(o) if check_lead(&state, o) => {}
            _ => return error(400, "every lead needs an email"),
        }
    }
    let answer = state.next_answer();
    if let Some(r) = scripted(answer) {
        return r;
    }
    let mut added = Vec::new();
    let mut duplicates = Vec::new();
    let mut errors = Vec::new();
    for (i, l) in leads.iter().filter_map(Value::as_object).enumerate() {
        let e = email(l);
        if answer == Answer::Partial && i == 0 {
            errors.push(json!({"email": e, "message": "Email domain does not accept mail"}));
            continue;
        }
        if state.store_once(&e, Value::Object(l.clone())) {
            added.push(json!({"id": state.new_id("lead"), "email": e}));
        } else {
            duplicates.push(Value::String(e));
        }
    }
    axum::Json(
        json!({"workflowId": workflow, "leads": added, "duplicates": duplicates, "errors": errors}),
    )
    .into_response()
}
