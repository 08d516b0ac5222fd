//! HubSpot CRM v3 batch upsert: `POST /crm/v3/objects/{contacts|companies}/batch/upsert` with
//! `{"inputs": [{"idProperty", "id", "properties"}]}`, 1–100 inputs, property values strings,
//! only properties the portal has (HubSpot rejects unknown ones), no id twice in a batch.
//! Answers 200 with `results[]` (`id`, `new`, `properties`) or, scripted, 207 with `errors[]`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

use super::{Answer, State, error, scripted};

pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/crm/v3/objects/{kind}/batch/upsert", post(upsert))
        .with_state(state)
}

const CONTACT_PROPERTIES: &[&str] = &[
    "email",
    "firstname",
    "lastname",
    "jobtitle",
    "company",
    "website",
    "phone",
    "city",
    "country",
];
const COMPANY_PROPERTIES: &[&str] = &[
    "name",
    "domain",
    "website",
    "city",
    "country",
    "description",
    "numberofemployees",
    "linkedin_company_page",
];

fn hubspot_error(status: u16, message: &str) -> Response {
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        axum::Json(json!({
            "status": "error",
            "message": message,
            "correlationId": "c0ffee",
            "category": "VALIDATION_ERROR",
        })),
    )
        .into_response()
}

async fn upsert(
    Extract(state): Extract<Arc<State>>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let _in_flight = state.enter().await;
    state.record(
        &format!("/crm/v3/objects/{kind}/batch/upsert"),
        &headers,
        &body,
    );
    if let Some(r) = state.check_auth(&headers) {
        return r;
    }
    let (id_property, allowed) = match kind.as_str() {
        "contacts" => ("email", CONTACT_PROPERTIES),
        "companies" => ("domain", COMPANY_PROPERTIES),
        _ => return error(404, "Unknown object type"),
    };
    let Ok(top) = serde_json::from_slice::<Value>(&body) else {
        state.violation("the body is not JSON");
        return hubspot_error(400, "Invalid input JSON");
    };
    let Some(inputs) = top.get("inputs").and_then(Value::as_array) else {
        state.violation("body.inputs is not an array");
        return hubspot_error(400, "inputs is required");
    };
    if inputs.is_empty() || inputs.len() > 100 {
        state.violation(format!(
            "{} inputs in one batch (1–100 allowed)",
            inputs.len()
        ));
        return hubspot_error(400, "Batch size must be between 1 and 100");
    }
    let mut ids = std::collections::HashSet::new();
    for input in inputs {
        if input.get("idProperty").and_then(Value::as_str) != Some(id_property) {
            state.violation(format!(
                "{kind} input idProperty is not {id_property}: {input}"
            ));
        }
        let id = input.get("id").and_then(Value::as_str).unwrap_or_default();
        if id.is_empty() {
            state.violation(format!("{kind} input without an id"));
        }
        if !ids.insert(id.to_ascii_lowercase()) {
            state.violation(format!("id {id} twice in one batch"));
            return hubspot_error(400, "Duplicate IDs found in batch input");
        }
        let Some(props) = input.get("properties").and_then(Value::as_object) else {
            state.violation(format!("{kind} input without properties"));
            continue;
        };
        for (k, v) in props {
            if !allowed.contains(&k.as_str()) {
                state.violation(format!("{kind} property {k} does not exist in HubSpot"));
            }
            if !v.is_string() {
                state.violation(format!("{kind} property {k} is not a string: {v}"));
            }
        }
        if props
            .get(id_property)
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
            != Some(id.to_ascii_lowercase())
        {
            state.violation(format!(
                "{kind} properties.{id_property} does not match id {id}"
            ));
        }
    }

    let answer = state.next_answer();
    if let Some(r) = scripted(answer) {
        return r;
    }
    let failed_first = answer == Answer::Partial;
    let mut results = Vec::new();
    let mut errors = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let id = input["id"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if failed_first && i == 0 {
            errors.push(json!({
                "status": "error",
                "category": "VALIDATION_ERROR",
                "message": format!("Property values were not valid: {id_property} {id}"),
                "context": {"ids": [id]},
            }));
            continue;
        }
        let key = format!("{kind}:{id}");
        let mut stored = state.stored.lock().unwrap_or_else(|p| p.into_inner());
        let (record_id, new) = match stored.get(&key).and_then(|r| r["id"].as_str()) {
            Some(existing) => (existing.to_string(), false),
            None => (state.new_id(&kind), true),
        };
        if !new {
            state
                .repeats
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(key.clone());
        }
        stored.insert(
            key,
            json!({"id": record_id, "properties": input["properties"]}),
        );
        results.push(json!({
            "id": record_id,
            "new": new,
            "archived": false,
            "properties": input["properties"],
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-01T00:00:00Z",
        }));
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::MULTI_STATUS
    };
    let mut answer = json!({
        "status": "COMPLETE",
        "results": results,
        "startedAt": "2026-01-01T00:00:00Z",
        "completedAt": "2026-01-01T00:00:01Z",
    });
    if !errors.is_empty() {
        answer["numErrors"] = json!(errors.len());
        answer["errors"] = json!(errors);
    }
    (status, axum::Json(answer)).into_response()
}
