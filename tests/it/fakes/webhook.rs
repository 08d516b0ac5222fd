//! A webhook receiver that verifies deliveries exactly as the reference's Node snippet does
//! (docs/integrations.md, "Signed webhook"): split `Leadex-Signature` on `,` then `=`,
//! HMAC-SHA256 the string `"{t}.{raw body}"` with the secret, compare hex with `v1` in constant
//! time (any of the `v1` values: there are two during a secret rotation), and require `t`
//! within 300 s of now. It also holds deliveries to the 256 KB limit and
//! deduplicates them by `Leadex-Delivery`, as the reference tells receivers to.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::{State, error, scripted};

pub const PATH: &str = "/hooks/leads";

pub fn router(state: Arc<State>) -> Router {
    Router::new().route(PATH, post(deliver)).with_state(state)
}

/// The Node snippet's `verify(req, secret)`, in Rust, accepting any of the `v1=` values as the
/// reference says to during a secret rotation ("Multiple v1= values … accept either").
pub fn verify(headers: &HeaderMap, body: &[u8], secret: &str) -> Result<(), String> {
    let (t, v1s) = signatures(headers)?;
    if v1s.is_empty() {
        return Err("no v1= in the signature".into());
    }
    let signed = format!("{t}.{}", String::from_utf8_lossy(body));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|e| e.to_string())?;
    mac.update(signed.as_bytes());
    let want = hex::encode(mac.finalize().into_bytes());
    // timingSafeEqual throws on a length mismatch; either way it is not a match.
    let matches =
        |v1: &String| want.len() == v1.len() && bool::from(want.as_bytes().ct_eq(v1.as_bytes()));
    if !v1s.iter().any(matches) {
        return Err(format!("signature mismatch for t={t}"));
    }
    let t: f64 = t.parse().map_err(|_| "t is not a number")?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs_f64();
    if (now - t).abs() >= 300.0 {
        return Err(format!("stale timestamp {t}"));
    }
    Ok(())
}

/// `Leadex-Signature` split: its `t=` and every `v1=`, in order.
pub fn signatures(headers: &HeaderMap) -> Result<(String, Vec<String>), String> {
    let header = headers
        .get("leadex-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or("no Leadex-Signature header")?;
    let mut t = None;
    let mut v1s = Vec::new();
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = Some(v.to_string()),
            Some(("v1", v)) => v1s.push(v.to_string()),
            _ => {}
        }
    }
    Ok((t.ok_or("no t= in the signature")?, v1s))
}

async fn deliver(Extract(state): Extract<Arc<State>>, headers: HeaderMap, body: Bytes) -> Response {
    let _in_flight = state.enter().await;
    state.record(PATH, &headers, &body);
    if let Some(r) = state.check_json_type(&headers) {
        return r;
    }
    // The fake's `key` is the signing secret.
    if let Err(why) = verify(&headers, &body, &state.key) {
        return error(401, &format!("bad signature: {why}"));
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    if body.len() > 256 * 1024 {
        state.violation(format!("a {}-byte delivery is over 256 KB", body.len()));
        return error(413, "payload too large");
    }
    let Ok(event) = serde_json::from_slice::<Value>(&body) else {
        state.violation("the delivery is not JSON");
        return error(400, "Invalid JSON");
    };
    if header("leadex-event") != "leads.delivered" || event["type"] != "leads.delivered" {
        state.violation(format!(
            "event type {:?} / {}",
            header("leadex-event"),
            event["type"]
        ));
    }
    let signed_at = header("leadex-signature")
        .split(',')
        .find_map(|p| p.strip_prefix("t="))
        .unwrap_or("");
    if header("leadex-timestamp") != signed_at {
        state.violation("Leadex-Timestamp differs from the signature's t");
    }
    let delivery = header("leadex-delivery").to_string();
    if !delivery.starts_with("dlv_") {
        state.violation(format!("Leadex-Delivery {delivery:?} is not a dlv_ id"));
    }
    if !event["id"]
        .as_str()
        .is_some_and(|id| id.starts_with("evt_"))
    {
        state.violation(format!("the event id {} is not an evt_ id", event["id"]));
    }
    for key in ["job_id", "mode"] {
        if !event["data"]["object"][key].is_string() {
            state.violation(format!("data.{key} is not a string"));
        }
    }
    if !event["created_at"].is_string() {
        state.violation("created_at is not a string");
    }
    if let Some(r) = scripted(state.next_answer()) {
        return r;
    }
    // A redelivery of the same id is acknowledged and dropped (noted as a repeat). Only the item
    // ids are kept.
    let mut items = Vec::new();
    for kind in ["leads", "companies"] {
        for item in event["data"]["object"][kind]
            .as_array()
            .into_iter()
            .flatten()
        {
            items.push(item["id"].clone());
        }
    }
    state.store_once(&delivery, json!({ "items": items }));
    (StatusCode::OK, axum::Json(json!({"received": true}))).into_response()
}

/// Every lead id (and company id) the receiver accepted, across distinct deliveries.
pub fn received_items(stored: &HashMap<String, Value>) -> Vec<String> {
    stored
        .values()
        .flat_map(|d| d["items"].as_array().cloned().unwrap_or_default())
        .filter_map(|id| id.as_str().map(str::to_string))
        .collect()
}
