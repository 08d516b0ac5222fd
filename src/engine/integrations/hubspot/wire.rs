//! HubSpot's request and answer shapes: the endpoints, the search body, and matching a batch
//! answer's `results[]` and `errors[]` to the inputs that caused them (by `objectWriteTraceId`
//! or the echoed id property, never by position).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::super::support;
use super::super::{ItemKey, ItemOutcome};
use crate::engine::integrations::http::HttpResponse;

pub const SEARCH: &str = "/crm/v3/objects/companies/search";
pub const CREATE: &str = "/crm/v3/objects/companies/batch/create";
pub const UPDATE: &str = "/crm/v3/objects/companies/batch/update";
pub const UPSERT: &str = "/crm/v3/objects/contacts/batch/upsert";
/// Only with `company_match = "upsert"`: portals that made `domain` unique accept it.
pub const COMPANY_UPSERT: &str = "/crm/v3/objects/companies/batch/upsert";
pub const ASSOCIATE: &str = "/crm/v4/associations/contacts/companies/batch/associate/default";
/// Search pages read for one unit at most. A unit has at most 100 domains and a page holds 200
/// companies, so more pages mean a portal with many companies on one domain; the ones beyond
/// are not needed to pick one.
pub const SEARCH_PAGES: usize = 5;

/// Companies whose `domain` is one of `domains` (lowercased: HubSpot's `IN` compares lowercase).
pub fn search_body(domains: &[String], after: Option<&str>) -> Value {
    let mut body = json!({
        "filterGroups": [{"filters": [{
            "propertyName": "domain",
            "operator": "IN",
            "values": domains,
        }]}],
        "properties": ["domain"],
        "sorts": [{"propertyName": "hs_object_id", "direction": "ASCENDING"}],
        "limit": 200,
    });
    if let Some(after) = after {
        body["after"] = json!(after);
    }
    body
}

/// One page of a company search.
pub struct SearchPage {
    /// (lowercased domain, company id), in the order HubSpot gave them.
    pub found: Vec<(String, String)>,
    /// The next page's cursor.
    pub after: Option<String>,
}

/// One search page, or `None` when the answer has no `results` array.
pub fn search_page(answer: &Value) -> Option<SearchPage> {
    let mut found = Vec::new();
    for r in answer.get("results")?.as_array()? {
        let id = id_text(r.get("id"))?;
        let Some(domain) = r
            .get("properties")
            .and_then(|p| p.get("domain"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        found.push((norm(domain), id));
    }
    let after = answer
        .pointer("/paging/next/after")
        .and_then(|a| id_text(Some(a)));
    Some(SearchPage { found, after })
}

/// HubSpot ids are strings in v3 and numbers in v4 answers.
pub fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn norm(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

/// A 400 that names bad property values (`VALIDATION_ERROR`: `INVALID_EMAIL` and the like),
/// which HubSpot returns for a whole batch when one record is bad: worth splitting the batch.
/// A company create input (`{properties, objectWriteTraceId}`) as an upsert keyed by domain.
pub fn company_upsert_input(create: &Value) -> Value {
    let mut input = create.clone();
    input["idProperty"] = json!("domain");
    input["id"] = json!(echo_domain(create).unwrap_or_default());
    input
}

/// HubSpot's refusal to upsert by a property the portal does not keep unique ("Unable to
/// perform update/upsert by non-unique … property domain").
pub fn is_non_unique(resp: &HttpResponse) -> bool {
    resp.status == 400
        && resp
            .json()
            .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_string))
            .is_some_and(|m| m.contains("non-unique"))
}

pub fn is_validation(resp: &HttpResponse) -> bool {
    resp.status == 400
        && resp
            .json()
            .and_then(|v| {
                v.get("category")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .is_some_and(|c| c == "VALIDATION_ERROR")
}

/// One write input: the item it carries, the id its result echoes, and its JSON.
#[derive(Debug, Clone)]
pub struct Input {
    pub item: ItemKey,
    /// Normalised value of the id property the answer echoes (email, domain, record id).
    pub key: String,
    pub body: Value,
}

/// A batch answer matched to its inputs: the result object of each accepted input, and an
/// outcome for each one that failed or was not mentioned.
#[derive(Debug, Default)]
pub struct Matched {
    pub ok: Vec<(Input, Value)>,
    pub failed: Vec<(ItemKey, ItemOutcome)>,
}

/// Matches `answer` (200/201/207) to `inputs`; `None` when it has no `results` array.
/// `echo` reads, from a result, the id property it carries.
pub fn match_answer(
    inputs: &[Input],
    answer: &Value,
    echo: fn(&Value) -> Option<String>,
) -> Option<Matched> {
    let results = answer.get("results")?.as_array()?;
    let by_trace: HashMap<&str, usize> = inputs
        .iter()
        .enumerate()
        .map(|(i, x)| (x.item.0.as_str(), i))
        .collect();
    let by_key: HashMap<&str, usize> = inputs
        .iter()
        .enumerate()
        .map(|(i, x)| (x.key.as_str(), i))
        .collect();
    let find = |id: &str| {
        by_trace
            .get(id)
            .or_else(|| by_key.get(norm(id).as_str()))
            .copied()
    };
    let mut slot: Vec<Option<Result<Value, ItemOutcome>>> = vec![None; inputs.len()];
    for r in results {
        let idx = r
            .get("objectWriteTraceId")
            .and_then(Value::as_str)
            .and_then(|t| by_trace.get(t).copied())
            .or_else(|| echo(r).and_then(|k| find(&k)));
        if let Some(i) = idx {
            slot[i] = Some(Ok(r.clone()));
        }
    }
    for e in answer
        .get("errors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let msg = e
            .get("message")
            .and_then(Value::as_str)
            .map(|m| support::cut(&crate::text::sanitize_inline(m), 200))
            .unwrap_or_else(|| "no explanation given".into());
        for id in error_ids(e) {
            if let Some(i) = find(&id) {
                slot[i] = Some(Err(ItemOutcome::failed(
                    "rejected",
                    format!(
                        "HubSpot rejected it ({msg}); fix the lead or the mapping and push again."
                    ),
                )));
            }
        }
    }
    let mut matched = Matched::default();
    for (input, s) in inputs.iter().zip(slot) {
        match s {
            Some(Ok(r)) => matched.ok.push((input.clone(), r)),
            Some(Err(o)) => matched.failed.push((input.item.clone(), o)),
            None => matched.failed.push((
                input.item.clone(),
                ItemOutcome::failed(
                    "no_result",
                    "HubSpot's answer did not mention this record; push again to retry it.",
                ),
            )),
        }
    }
    Some(matched)
}

/// The inputs an error names: `context.ids`, `context.objectWriteTraceId` and a top-level
/// `objectWriteTraceId`.
fn error_ids(e: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for key in ["ids", "objectWriteTraceId"] {
        if let Some(list) = e
            .get("context")
            .and_then(|c| c.get(key))
            .and_then(Value::as_array)
        {
            ids.extend(list.iter().filter_map(|v| id_text(Some(v))));
        }
    }
    if let Some(t) = e.get("objectWriteTraceId").and_then(Value::as_str) {
        ids.push(t.to_string());
    }
    ids
}

/// `new: true` is a record the upsert created; otherwise it updated an existing one.
pub fn upsert_outcome(r: &Value) -> ItemOutcome {
    let external_id = id_text(r.get("id"));
    if r.get("new").and_then(Value::as_bool).unwrap_or(false) {
        ItemOutcome::Created { external_id }
    } else {
        ItemOutcome::Updated { external_id }
    }
}

/// The echoed id property of a contact (`email`) or company (`domain`) result.
pub fn echo_email(r: &Value) -> Option<String> {
    r.pointer("/properties/email")
        .and_then(Value::as_str)
        .map(norm)
}

pub fn echo_domain(r: &Value) -> Option<String> {
    r.pointer("/properties/domain")
        .and_then(Value::as_str)
        .map(norm)
}

pub fn echo_id(r: &Value) -> Option<String> {
    id_text(r.get("id"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(item: &str, key: &str) -> Input {
        Input {
            item: ItemKey(item.into()),
            key: key.into(),
            body: json!({}),
        }
    }

    #[test]
    fn results_are_matched_by_trace_id_or_echo_never_by_position() {
        let inputs = [
            input("lead_a", "a@x.io"),
            input("lead_b", "b@x.io"),
            input("lead_c", "c@x.io"),
        ];
        // Shuffled, one by trace id, one by echoed email, and an error naming the third.
        let answer = json!({
            "results": [
                {"id": "2", "properties": {"email": "B@x.io"}},
                {"id": "1", "objectWriteTraceId": "lead_a", "properties": {}},
            ],
            "errors": [{"message": "bad", "context": {"ids": ["c@x.io"]}}],
        });
        let m = match_answer(&inputs, &answer, echo_email).expect("results");
        let ok: Vec<(&str, String)> =
            m.ok.iter()
                .map(|(i, r)| (i.item.0.as_str(), echo_id(r).unwrap()))
                .collect();
        assert_eq!(
            ok,
            vec![("lead_a", "1".to_string()), ("lead_b", "2".to_string())]
        );
        assert_eq!(m.failed.len(), 1);
        assert_eq!(m.failed[0].0.0, "lead_c");
        assert!(matches!(&m.failed[0].1, ItemOutcome::Failed { code, .. } if code == "rejected"));
    }

    #[test]
    fn an_unmentioned_input_fails_and_a_bodyless_answer_is_none() {
        let inputs = [input("lead_a", "a@x.io")];
        let m = match_answer(&inputs, &json!({"results": [{"id": "9"}]}), echo_email).unwrap();
        assert!(m.ok.is_empty());
        assert!(matches!(&m.failed[0].1, ItemOutcome::Failed { code, .. } if code == "no_result"));
        assert!(match_answer(&inputs, &json!({"status": "COMPLETE"}), echo_email).is_none());
    }
}
