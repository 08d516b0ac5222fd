//! HubSpot CRM, as its published reference documents it and as real portals are reported to
//! behave:
//! - `POST /crm/v3/objects/companies/search`: `filterGroups[].filters[]` with `domain` `IN`
//!   values, `limit` ≤ 200, `after` paging; answers `{total, results[{id, properties}], paging}`.
//! - `POST /crm/v3/objects/{contacts|companies}/batch/upsert` with `{"inputs": [{"idProperty",
//!   "id", "properties", "objectWriteTraceId"?}]}`: contacts by `email`; companies by `domain`
//!   are refused with 400 ("Unable to perform update/upsert by non-unique … property domain"),
//!   as on any portal that did not make `domain` unique, unless the fake's portal did
//!   ([`unique_domain`]): then the company with that domain is updated, or one created.
//! - `POST /crm/v3/objects/companies/batch/create` (`inputs[{properties, objectWriteTraceId?}]`,
//!   answers 201) and `…/batch/update` (`inputs[{id, properties, objectWriteTraceId?}]`).
//! - `POST /crm/v4/associations/contacts/companies/batch/associate/default` with
//!   `inputs[{from: {id}, to: {id}}]`, answers `results[{fromObjectId, toObjectId, …}]` (numbers).
//!
//! 1–100 inputs a batch, property values strings, only properties the portal has, no id twice.
//! One invalid email fails the whole batch with 400 `VALIDATION_ERROR`/`INVALID_EMAIL`.
//! Results come back in reverse order (HubSpot does not keep input order). Scripted
//! [`Answer::Partial`] makes a write answer 207 with its first input failed; on a search or a
//! link it acts as `Normal`. Companies are stored as `companies:<id>`, contacts as
//! `contacts:<email>`, links in [`State::links`].

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};

use super::{Answer, State, error, lock, scripted};

pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/crm/v3/objects/companies/search", post(search))
        .route("/crm/v3/objects/{kind}/batch/{op}", post(batch))
        .route(
            "/crm/v4/associations/contacts/companies/batch/associate/default",
            post(associate),
        )
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

/// A company already in the portal (two calls with one domain make it non-unique).
pub fn seed_company(state: &State, domain: &str) -> String {
    let id = numeric_id(state);
    lock(&state.stored).insert(
        format!("companies:{id}"),
        json!({"id": id, "properties": {"domain": domain, "name": domain}}),
    );
    id
}

/// Makes the portal's company `domain` property unique: upserts by domain are accepted.
pub fn unique_domain(state: &State) {
    state
        .unique_domain
        .store(true, std::sync::atomic::Ordering::SeqCst);
}

/// The (contact id, company id) links made.
pub fn links(state: &State) -> Vec<(String, String)> {
    lock(&state.links).clone()
}

/// HubSpot record ids are numeric strings.
fn numeric_id(state: &State) -> String {
    let id = state.new_id("n");
    id.trim_start_matches("n_").to_string()
}

fn hubspot_error(status: u16, category: &str, message: &str) -> Response {
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        axum::Json(json!({
            "status": "error",
            "message": message,
            "correlationId": "c0ffee",
            "category": category,
        })),
    )
        .into_response()
}

/// Auth, the script and the JSON body every endpoint shares; `Err` is the answer to give.
fn open(
    state: &State,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(Answer, Value), Box<Response>> {
    state.record(path, headers, body);
    if let Some(r) = state.check_auth(headers) {
        return Err(Box::new(r));
    }
    let answer = state.next_answer();
    if let Some(r) = scripted(answer) {
        return Err(Box::new(r));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => Ok((answer, v)),
        Err(_) => {
            state.violation(format!("{path}: the body is not JSON"));
            Err(Box::new(hubspot_error(
                400,
                "VALIDATION_ERROR",
                "Invalid input JSON",
            )))
        }
    }
}

fn domain_of(record: &Value) -> Option<String> {
    record
        .pointer("/properties/domain")
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
}

async fn search(Extract(state): Extract<Arc<State>>, headers: HeaderMap, body: Bytes) -> Response {
    let _in_flight = state.enter().await;
    let (_, q) = match open(&state, "/crm/v3/objects/companies/search", &headers, &body) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let filters = q
        .pointer("/filterGroups/0/filters/0")
        .cloned()
        .unwrap_or_default();
    if filters["propertyName"] != "domain" || filters["operator"] != "IN" {
        state.violation(format!("search filter is not domain IN: {filters}"));
    }
    let values: Vec<String> = filters["values"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    if values.is_empty() || values.len() > 100 {
        state.violation(format!("{} IN values (1–100 allowed)", values.len()));
    }
    if values.iter().any(|v| *v != v.to_ascii_lowercase()) {
        state.violation("IN values must be lowercase");
    }
    let limit = q["limit"].as_u64().unwrap_or(10);
    if limit > 200 {
        state.violation(format!("search limit {limit} > 200"));
    }
    let after: usize = q["after"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let mut hits: Vec<Value> = lock(&state.stored)
        .iter()
        .filter(|(k, v)| {
            k.starts_with("companies:") && domain_of(v).is_some_and(|d| values.contains(&d))
        })
        .map(|(_, v)| v.clone())
        .collect();
    hits.sort_by_key(|v| v["id"].as_str().and_then(|i| i.parse::<u64>().ok()));
    let total = hits.len();
    let page: Vec<Value> = hits
        .into_iter()
        .skip(after)
        .take(limit as usize)
        .map(|v| json!({"id": v["id"], "properties": {"domain": domain_of(&v), "hs_object_id": v["id"]}, "archived": false}))
        .collect();
    let mut answer = json!({"total": total, "results": page});
    if after + (limit as usize) < total {
        answer["paging"] = json!({"next": {"after": (after + limit as usize).to_string()}});
    }
    axum::Json(answer).into_response()
}

/// Checks one input's properties; the first invalid email, if any.
fn check_properties(state: &State, kind: &str, props: &Map<String, Value>) -> Option<String> {
    let allowed = if kind == "contacts" {
        CONTACT_PROPERTIES
    } else {
        COMPANY_PROPERTIES
    };
    for (k, v) in props {
        if !allowed.contains(&k.as_str()) {
            state.violation(format!("{kind} property {k} does not exist in HubSpot"));
        }
        if !v.is_string() {
            state.violation(format!("{kind} property {k} is not a string: {v}"));
        }
    }
    let email = props.get("email").and_then(Value::as_str)?;
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    }) && !email.contains(char::is_whitespace)
        && email.matches('@').count() == 1;
    (!valid).then(|| email.to_string())
}

fn invalid_email(email: &str) -> Response {
    let detail = json!([{
        "isValid": false,
        "message": format!("Email address {email} is invalid"),
        "error": "INVALID_EMAIL",
        "name": "email",
    }]);
    hubspot_error(
        400,
        "VALIDATION_ERROR",
        &format!("Property values were not valid: {detail}"),
    )
}

async fn batch(
    Extract(state): Extract<Arc<State>>,
    Path((kind, op)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let _in_flight = state.enter().await;
    let path = format!("/crm/v3/objects/{kind}/batch/{op}");
    let (answer, top) = match open(&state, &path, &headers, &body) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    match (kind.as_str(), op.as_str()) {
        ("companies", "upsert")
            if !state
                .unique_domain
                .load(std::sync::atomic::Ordering::SeqCst) =>
        {
            return hubspot_error(
                400,
                "VALIDATION_ERROR",
                "Unable to perform update/upsert by non-unique property domain. Make the property unique or use the record ID.",
            );
        }
        ("contacts" | "companies", "upsert") | ("companies", "create" | "update") => {}
        _ => return error(404, "Unknown object type or operation"),
    }
    let Some(inputs) = top.get("inputs").and_then(Value::as_array) else {
        state.violation(format!("{path}: body.inputs is not an array"));
        return hubspot_error(400, "VALIDATION_ERROR", "inputs is required");
    };
    if inputs.is_empty() || inputs.len() > 100 {
        state.violation(format!(
            "{} inputs in one batch (1–100 allowed)",
            inputs.len()
        ));
        return hubspot_error(
            400,
            "VALIDATION_ERROR",
            "Batch size must be between 1 and 100",
        );
    }
    let mut ids = std::collections::HashSet::new();
    for input in inputs {
        let Some(props) = input.get("properties").and_then(Value::as_object) else {
            state.violation(format!("{path}: input without properties"));
            continue;
        };
        if let Some(email) = check_properties(&state, &kind, props) {
            return invalid_email(&email);
        }
        let id = input_id(&state, &kind, op.as_str(), input, props);
        if id.is_empty() {
            state.violation(format!("{path}: input without an id"));
        }
        if !ids.insert(id.clone()) {
            state.violation(format!("id {id} twice in one batch"));
            return hubspot_error(
                400,
                "VALIDATION_ERROR",
                "Duplicate IDs found in batch input",
            );
        }
    }
    let (results, errors) = write(&state, &kind, &op, inputs, answer == Answer::Partial);
    let status = if !errors.is_empty() {
        StatusCode::MULTI_STATUS
    } else if op == "create" {
        StatusCode::CREATED
    } else {
        StatusCode::OK
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

/// The id a batch input is written under, checking it carries what its operation needs.
fn input_id(
    state: &State,
    kind: &str,
    op: &str,
    input: &Value,
    props: &serde_json::Map<String, Value>,
) -> String {
    match op {
        "upsert" if kind == "companies" => {
            if input["idProperty"] != "domain" {
                state.violation(format!("companies idProperty is not domain: {input}"));
            }
            let id = input["id"]
                .as_str()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if domain_of(input) != Some(id.clone()) {
                state.violation(format!("properties.domain does not match id {id}"));
            }
            id
        }
        "upsert" => {
            if input["idProperty"] != "email" {
                state.violation(format!("contacts idProperty is not email: {input}"));
            }
            let id = input["id"]
                .as_str()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if props
                .get("email")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase)
                != Some(id.clone())
            {
                state.violation(format!("properties.email does not match id {id}"));
            }
            id
        }
        "update" => input["id"].as_str().unwrap_or_default().to_string(),
        _ => {
            if input.get("id").is_some() || input.get("idProperty").is_some() {
                state.violation(format!("create input carries an id: {input}"));
            }
            domain_of(input).unwrap_or_default()
        }
    }
}

/// Stores the inputs; results in reverse order, as HubSpot may answer them.
fn write(
    state: &State,
    kind: &str,
    op: &str,
    inputs: &[Value],
    fail_first: bool,
) -> (Vec<Value>, Vec<Value>) {
    let mut results = Vec::new();
    let mut errors = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let named = match op {
            "upsert" => input["id"]
                .as_str()
                .unwrap_or_default()
                .to_ascii_lowercase(),
            "update" => input["id"].as_str().unwrap_or_default().to_string(),
            _ => domain_of(input).unwrap_or_default(),
        };
        if fail_first && i == 0 {
            errors.push(json!({
                "status": "error",
                "category": "VALIDATION_ERROR",
                "message": format!("Property values were not valid: {named}"),
                "context": {"ids": [named]},
            }));
            continue;
        }
        let mut stored = lock(&state.stored);
        let (key, record_id, new) = match op {
            "upsert" if kind == "companies" => {
                let existing = stored
                    .iter()
                    .find(|(k, r)| {
                        k.starts_with("companies:") && domain_of(r).as_ref() == Some(&named)
                    })
                    .map(|(k, r)| (k.clone(), r["id"].as_str().unwrap_or_default().to_string()));
                match existing {
                    Some((key, id)) => (key, id, false),
                    None => {
                        let id = numeric_id(state);
                        (format!("companies:{id}"), id, true)
                    }
                }
            }
            "upsert" => {
                let key = format!("contacts:{named}");
                match stored.get(&key).and_then(|r| r["id"].as_str()) {
                    Some(existing) => (key, existing.to_string(), false),
                    None => (key, numeric_id(state), true),
                }
            }
            "update" => {
                let key = format!("companies:{named}");
                if !stored.contains_key(&key) {
                    drop(stored);
                    errors.push(json!({
                        "status": "error",
                        "category": "OBJECT_NOT_FOUND",
                        "message": format!("Object not found. objectId are usually numeric. {named}"),
                        "context": {"ids": [named]},
                    }));
                    continue;
                }
                (key, named.clone(), false)
            }
            _ => {
                let id = numeric_id(state);
                (format!("companies:{id}"), id, true)
            }
        };
        if !new {
            lock(&state.repeats).push(key.clone());
        }
        stored.insert(
            key,
            json!({"id": record_id, "properties": input["properties"]}),
        );
        let mut result = json!({
            "id": record_id,
            "archived": false,
            "properties": input["properties"],
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-01T00:00:00Z",
        });
        if op == "upsert" {
            result["new"] = json!(new);
        }
        results.push(result);
    }
    results.reverse();
    (results, errors)
}

async fn associate(
    Extract(state): Extract<Arc<State>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let _in_flight = state.enter().await;
    let path = "/crm/v4/associations/contacts/companies/batch/associate/default";
    let (_, top) = match open(&state, path, &headers, &body) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let inputs = top["inputs"].as_array().cloned().unwrap_or_default();
    if inputs.is_empty() || inputs.len() > 100 {
        state.violation(format!(
            "{} association inputs (1–100 allowed)",
            inputs.len()
        ));
    }
    let stored = lock(&state.stored).clone();
    let mut results = Vec::new();
    for input in &inputs {
        let from = input
            .pointer("/from/id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let to = input
            .pointer("/to/id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let contact = stored
            .iter()
            .any(|(k, r)| k.starts_with("contacts:") && r["id"] == from);
        if !contact || !stored.contains_key(&format!("companies:{to}")) {
            state.violation(format!("link between unknown records {from} → {to}"));
            continue;
        }
        lock(&state.links).push((from.to_string(), to.to_string()));
        // v4 answers ids as numbers.
        let number = |id: &str| id.parse::<u64>().ok();
        results.push(json!({
            "fromObjectTypeId": "0-1",
            "fromObjectId": number(from),
            "toObjectTypeId": "0-2",
            "toObjectId": number(to),
            "labels": [],
        }));
    }
    results.reverse();
    (
        StatusCode::CREATED,
        axum::Json(json!({"status": "COMPLETE", "results": results})),
    )
        .into_response()
}
