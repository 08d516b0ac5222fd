//! Magnetite: `POST /api/campaigns/{campaign}/leads` (docs/integrations.md, "Magnetite"). Requires
//! `companyName`, `contactName`, `email`; checks every documented field's name and type; keeps one
//! lead per email per campaign and answers 409 for a repeat.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

use super::{Answer, State, check_type, error, only_keys, scripted};

pub const CAMPAIGN: &str = "cmp_42";

pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/api/campaigns/{campaign}/leads", post(add_lead))
        .with_state(state)
}

const TOP: &[(&str, &str)] = &[
    ("companyName", "string"),
    ("contactName", "string"),
    ("email", "string"),
    ("domain", "string"),
    ("title", "string"),
    ("phone", "string"),
    ("linkedInUrl", "string"),
    ("companyLinkedInUrl", "string"),
    ("notes", "string"),
    ("extraContext", "object"),
    ("company", "object"),
    ("contact", "object"),
    ("researchData", "object"),
    ("customData", "object"),
];

const COMPANY: &[(&str, &str)] = &[
    ("description", "string"),
    ("website", "string"),
    ("linkedinUrl", "string"),
    ("industry", "string"),
    ("subIndustry", "string"),
    ("employeeCount", "number"),
    ("employeeRange", "string"),
    ("revenue", "number"),
    ("revenueRange", "string"),
    ("foundedYear", "number"),
    ("fundingStage", "string"),
    ("headquarters", "string"),
    ("country", "string"),
    ("region", "string"),
    ("companyType", "string"),
    ("technologies", "string[]"),
    ("techCategories", "string[]"),
    ("signals", "object"),
];

const CONTACT: &[(&str, &str)] = &[
    ("bio", "string"),
    ("photoUrl", "string"),
    ("seniority", "string"),
    ("department", "string"),
    ("city", "string"),
    ("state", "string"),
    ("country", "string"),
    ("timezone", "string"),
];

fn check_object(
    state: &State,
    obj: &serde_json::Map<String, Value>,
    fields: &[(&str, &str)],
    ctx: &str,
) {
    let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
    only_keys(state, obj, &names, ctx);
    for (name, ty) in fields {
        check_type(state, obj, name, ty, ctx);
    }
}

async fn add_lead(
    Extract(state): Extract<Arc<State>>,
    Path(campaign): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let _in_flight = state.enter().await;
    state.record(&format!("/api/campaigns/{campaign}/leads"), &headers, &body);
    if let Some(r) = state.check_auth(&headers) {
        return r;
    }
    if campaign != CAMPAIGN {
        return error(404, "Campaign not found");
    }
    let Ok(Value::Object(lead)) = serde_json::from_slice::<Value>(&body) else {
        state.violation("the body is not a JSON object");
        return error(400, "Invalid JSON");
    };
    check_object(&state, &lead, TOP, "lead");
    for (key, fields) in [("company", COMPANY), ("contact", CONTACT)] {
        if let Some(Value::Object(o)) = lead.get(key) {
            check_object(&state, o, fields, key);
        }
    }
    if let Some(Value::Object(h)) = lead
        .get("company")
        .and_then(|c| c.get("signals"))
        .and_then(|s| s.get("hiringSignals"))
    {
        check_type(&state, h, "isHiring", "boolean", "hiringSignals");
        check_type(&state, h, "openRoles", "number", "hiringSignals");
        check_type(&state, h, "departments", "string[]", "hiringSignals");
    }
    for required in ["companyName", "contactName", "email"] {
        let present = lead
            .get(required)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty());
        if !present {
            state.violation(format!("required field {required} missing"));
            return error(400, &format!("{required} is required"));
        }
    }

    match state.next_answer() {
        Answer::Normal | Answer::Partial => {}
        other => return scripted(other).unwrap_or_else(|| error(500, "unscripted")),
    }
    let email = lead["email"]
        .as_str()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let id = state.new_id("prs");
    if !state.store_once(&email, Value::Object(lead.clone())) {
        return error(
            409,
            "A lead with this email already exists in this campaign",
        );
    }
    (
        StatusCode::CREATED,
        axum::Json(json!({
            "success": true,
            "prospectId": id,
            "status": "queued",
            "message": "Lead added to campaign and queued for outreach",
        })),
    )
        .into_response()
}
