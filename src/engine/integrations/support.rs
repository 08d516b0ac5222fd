//! What the HTTP push targets share: finding the key, turning a provider's answer into item
//! outcomes (one status rule for all of them, so a 401 means the same thing everywhere), and the
//! small lead-to-field helpers their request bodies are built from.

use std::time::Duration;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::http::{self, HttpResponse, RetryPolicy, TransportError};
use super::{ItemOutcome, Unit, UnitResult};
use crate::model::{Error, ErrorCode, Lead};

/// A provider's answers are small; a push that waits longer than this on one is better retried.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Provider messages shown to the user are cut to this many characters.
const MESSAGE_CHARS: usize = 200;

/// Who is being talked to, for messages: the provider's name and where its key lives.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: &'static str,
    /// The environment variable the key was read from (named in 401/403 messages, never the key).
    pub key_env: String,
    /// What the variable holds ("API key", "signing secret"), for 401/403 messages.
    pub credential: &'static str,
    /// Where to top up credits or upgrade the plan, for a 402.
    pub billing_hint: &'static str,
    /// What a 404 most likely means for this provider.
    pub not_found_hint: String,
}

/// The variable the config names (else `default_var`) and its value, or an error telling the
/// user which variable to set. `section` is the config section where another variable name can
/// be given with `config_key`.
pub fn secret(
    secrets: &super::Secrets,
    configured: Option<&str>,
    default_var: &str,
    provider: &str,
    section: &str,
    what: &str,
    config_key: &str,
) -> Result<(String, String), Error> {
    let var = configured
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or(default_var)
        .to_string();
    match secrets.get(&var) {
        Some(value) => Ok((var, value)),
        None => Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "{provider} is not configured: set the environment variable {var} to your {what} (or name another variable with {config_key} under [{section}] in the config file)."
            ),
        )
        .with_param("provider")),
    }
}

/// The base URL without a trailing slash, so paths can be appended with `/`.
pub fn base(configured: Option<&str>, default: &str) -> String {
    configured
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .unwrap_or(default)
        .trim_end_matches('/')
        .to_string()
}

/// A campaign/workflow id as one URL path segment (ids are opaque; a `/` must not change the path).
pub fn url_segment(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// A stable key for one request's content: the same body sent again (a retry, or a resumed push)
/// carries the same key, so a provider that honours `Idempotency-Key` stores it once.
pub fn idempotency_key(url: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(url.as_bytes());
    h.update([0]);
    h.update(body);
    format!("leadline-{}", hex::encode(&h.finalize()[..16]))
}

/// POSTs `body` as JSON with a bearer key, retrying per `policy`.
pub async fn post_json(
    client: &reqwest::Client,
    url: &str,
    key: &str,
    body: &Value,
    policy: &RetryPolicy,
) -> Result<HttpResponse, TransportError> {
    let bytes = match serde_json::to_vec(body) {
        Ok(b) => b,
        Err(e) => {
            return Err(TransportError {
                message: format!("the request body could not be encoded: {e}"),
                attempts: 0,
            });
        }
    };
    let idem = idempotency_key(url, &bytes);
    http::send(
        || {
            client
                .post(url)
                .bearer_auth(key)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header("Idempotency-Key", &idem)
                .body(bytes.clone())
        },
        policy,
    )
    .await
}

/// The provider's own explanation from an error body (`message`, `error.message`, `error`,
/// HubSpot's `errors[0].message`), else the raw body, made safe to print and cut short.
pub fn provider_message(resp: &HttpResponse) -> String {
    let from_json = resp.json().and_then(|v| {
        let pick = |v: &Value| v.as_str().map(str::to_string);
        pick(&v["message"])
            .or_else(|| pick(&v["error"]["message"]))
            .or_else(|| pick(&v["error"]))
            .or_else(|| pick(&v["errors"][0]["message"]))
    });
    let text = match from_json {
        Some(t) => crate::text::sanitize_inline(&t),
        None => resp.snippet(),
    };
    let text = text.trim();
    if text.is_empty() {
        return "no explanation given".into();
    }
    cut(text, MESSAGE_CHARS)
}

pub fn cut(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let mut s: String = text.chars().take(chars).collect();
    s.push('…');
    s
}

/// The failure every item gets when a 2xx answer cannot be read.
pub fn malformed(service: &Service, resp: &HttpResponse) -> ItemOutcome {
    ItemOutcome::failed(
        "malformed_response",
        format!(
            "{} answered {} with a body leadline could not read ({}); the item may or may not have been stored: check it in {} before pushing again.",
            service.name,
            resp.status,
            cut(&resp.snippet(), 80),
            service.name
        ),
    )
}

/// How a bearer-key JSON provider is reached: what its targets share.
pub struct Endpoint {
    pub key: String,
    pub client: reqwest::Client,
    pub policy: RetryPolicy,
    pub service: Service,
}

impl Endpoint {
    /// The default client and retry rule for `service`, with `key`.
    pub fn new(key: String, service: Service) -> Result<Self, Error> {
        Ok(Self {
            key,
            client: super::http::client(REQUEST_TIMEOUT)?,
            policy: RetryPolicy::default(),
            service,
        })
    }

    /// POSTs the unit's body (retrying per the policy) and maps the answer with `success`.
    pub async fn send(
        &self,
        unit: &Unit,
        success: impl FnOnce(&HttpResponse) -> Option<UnitResult>,
    ) -> UnitResult {
        let sent = post_json(
            &self.client,
            &unit.request.url,
            &self.key,
            &unit.request.body,
            &self.policy,
        )
        .await;
        answer(&self.service, unit, sent, success)
    }
}

/// Maps one answer (after retries) to outcomes. `success` reads a 2xx body; `None` from it means
/// the body was not what the provider promised.
pub fn answer(
    service: &Service,
    unit: &Unit,
    sent: Result<HttpResponse, TransportError>,
    success: impl FnOnce(&HttpResponse) -> Option<UnitResult>,
) -> UnitResult {
    let resp = match sent {
        Ok(resp) => resp,
        Err(e) => {
            return UnitResult::all(
                unit,
                ItemOutcome::failed(
                    "unreachable",
                    format!(
                        "{} could not be reached ({}, {} tries); check the network and the configured base_url, then push again.",
                        service.name, e.message, e.attempts
                    ),
                ),
            );
        }
    };
    let name = service.name;
    let status = resp.status;
    match status {
        200..=299 => {
            success(&resp).unwrap_or_else(|| UnitResult::all(unit, malformed(service, &resp)))
        }
        401..=404 => UnitResult::fatal(unit, fatal_error(service, &resp)),
        409 => UnitResult::all(
            unit,
            ItemOutcome::Skipped {
                code: "duplicate".into(),
                message: format!("{name} already has it ({}).", provider_message(&resp)),
            },
        ),
        400 | 422 => UnitResult::all(
            unit,
            ItemOutcome::failed(
                format!("http_{status}"),
                format!(
                    "{name} rejected it ({status}: {}); fix the lead or the mapping and push again.",
                    provider_message(&resp)
                ),
            ),
        ),
        429 => UnitResult::all(
            unit,
            ItemOutcome::failed(
                "rate_limited",
                format!(
                    "{name} kept answering 429 (rate limited) after {} tries; wait a minute and push again: only what was not sent goes out.",
                    resp.attempts
                ),
            ),
        ),
        500..=599 => UnitResult::all(
            unit,
            ItemOutcome::failed(
                "http_5xx",
                format!(
                    "{name} had a server error ({status}) on each of {} tries; push again later: only what was not sent goes out.",
                    resp.attempts
                ),
            ),
        ),
        _ => UnitResult::all(
            unit,
            ItemOutcome::failed(
                format!("http_{status}"),
                format!(
                    "{name} answered {status} ({}); push again, and if it persists check the configured base_url.",
                    provider_message(&resp)
                ),
            ),
        ),
    }
}

/// The error that stops a push on a 401, 402, 403 or 404: no further request can succeed.
fn fatal_error(service: &Service, resp: &HttpResponse) -> Error {
    let name = service.name;
    match resp.status {
        401 => Error::new(
            ErrorCode::Authentication,
            format!(
                "{name} rejected the {} (401: {}). Check the {} in the environment variable {}: it may be mistyped, revoked or for another account.",
                service.credential,
                provider_message(resp),
                service.credential,
                service.key_env
            ),
        ),
        403 => Error::new(
            ErrorCode::Permission,
            format!(
                "{name} refused the request (403: {}). The {} in the environment variable {} lacks the permission (scope) to add these records; grant it or use another one.",
                provider_message(resp),
                service.credential,
                service.key_env
            ),
        ),
        402 => Error::new(
            ErrorCode::InsufficientCredits,
            format!(
                "{name} says the account is out of credits (402: {}). {}",
                provider_message(resp),
                service.billing_hint
            ),
        ),
        // 404
        _ => Error::new(
            ErrorCode::NotFound,
            format!(
                "{name} answered 404 ({}). {}",
                provider_message(resp),
                service.not_found_hint
            ),
        ),
    }
}

/// The text of `path` for a mapping value: `lead.person.email` or `person.email`.
fn mapped_text(lead: &Lead, path: &str) -> Option<String> {
    let path = path.strip_prefix("lead.").unwrap_or(path);
    lead.field_text(path).filter(|v| !v.trim().is_empty())
}

/// Applies `{"providerField": "lead.path"}` overrides to a request object. A dotted provider
/// field (`company.industry`) sets a nested value. A path with no value on this lead leaves the
/// field as built.
pub fn apply_mapping(
    target: &mut Map<String, Value>,
    mapping: Option<&Map<String, Value>>,
    lead: &Lead,
) {
    let Some(mapping) = mapping else { return };
    for (field, path) in mapping {
        let Some(path) = path.as_str() else { continue };
        let Some(value) = mapped_text(lead, path) else {
            continue;
        };
        let mut obj = &mut *target;
        let mut parts = field.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                obj.insert(part.to_string(), Value::String(value));
                break;
            }
            let next = obj
                .entry(part.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !next.is_object() {
                *next = Value::Object(Map::new());
            }
            match next.as_object_mut() {
                Some(o) => obj = o,
                None => break,
            }
        }
    }
}

/// Rejects a mapping that is not `{"field": "path"}` before anything is sent.
/// For providers that take people only: other modes are refused, saying what to do.
pub fn contacts_only(provider: &str, mode: crate::model::push::PushMode) -> Result<(), Error> {
    if mode == crate::model::push::PushMode::Contacts {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "{provider} takes contacts (people with an email), not companies; push with --mode contacts instead of {mode}."
    ))
    .with_param("mode"))
}

/// The list, campaign or workflow a push names (`--list-id`), else the configured one.
pub fn list_or(list_id: Option<&str>, configured: &Option<String>) -> Option<String> {
    list_id
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .or_else(|| configured.clone())
}

pub fn check_mapping(mapping: Option<&Map<String, Value>>) -> Result<(), Error> {
    let Some(mapping) = mapping else {
        return Ok(());
    };
    for (field, path) in mapping {
        if !path.is_string() || field.trim().is_empty() {
            return Err(Error::invalid(format!(
                "mapping `{}` must name a lead field path as a string, e.g. {{\"title\": \"person.title\"}}.",
                crate::text::sanitize_inline(field)
            ))
            .with_param("mapping"));
        }
    }
    Ok(())
}

/// Inserts `value` when it is present and not blank.
pub fn put(obj: &mut Map<String, Value>, key: &str, value: Option<impl Into<String>>) {
    if let Some(v) = value.map(Into::into) {
        let v = v.trim().to_string();
        if !v.is_empty() {
            obj.insert(key.to_string(), Value::String(v));
        }
    }
}

pub fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// First name and the rest; a single word is a first name.
pub fn split_name(full: &str) -> (Option<String>, Option<String>) {
    let full = full.trim();
    match full.split_once(char::is_whitespace) {
        Some((first, rest)) => (Some(first.to_string()), Some(rest.trim().to_string())),
        None if !full.is_empty() => (Some(full.to_string()), None),
        None => (None, None),
    }
}

pub fn email(lead: &Lead) -> Option<String> {
    lead.person
        .as_ref()
        .and_then(|p| p.email.as_deref())
        .map(str::trim)
        .filter(|e| e.contains('@'))
        .map(str::to_string)
}

pub fn domain(lead: &Lead) -> Option<String> {
    lead.company
        .domain
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_ascii_lowercase)
}

pub fn website(lead: &Lead) -> Option<String> {
    if let Some(w) = lead.fields.get("website").and_then(Value::as_str) {
        return Some(w.to_string());
    }
    domain(lead).map(|d| format!("https://{d}"))
}

/// A lead field as text (`industry`, `description`, …).
pub fn field(lead: &Lead, key: &str) -> Option<String> {
    match lead.fields.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list field (`technologies`, `hiring_for`): an array, or a string split on `;`/`,`
/// (imported datasets carry lists as cells).
pub fn list(lead: &Lead, key: &str) -> Vec<String> {
    match lead.fields.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) => s
            .split([';', ','])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// The headcount as a number, from `employees` (a number, or a numeric string like "1,200").
pub fn employees(lead: &Lead) -> Option<u64> {
    match lead.fields.get("employees")? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.replace([',', '_', ' '], "").parse().ok(),
        _ => None,
    }
}

/// `series_a` → `Series A`; values already in words pass through.
pub fn words(slug: &str) -> String {
    slug.split(['_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn has_word(title: &str, words: &[&str]) -> bool {
    title
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

/// The seniority a title states plainly (`VP`, `Head`, `C-Level`, …), if it does.
pub fn seniority(title: &str) -> Option<&'static str> {
    let t = title.to_ascii_lowercase();
    if t.contains("vice president") || has_word(title, &["vp", "svp", "evp"]) {
        Some("VP")
    } else if t.starts_with("chief")
        || has_word(title, &["ceo", "cto", "cfo", "coo", "cmo", "cro", "cpo"])
    {
        Some("C-Level")
    } else if has_word(title, &["founder", "cofounder", "co-founder"]) {
        Some("Founder")
    } else if t.starts_with("head ") || t.contains("head of") {
        Some("Head")
    } else if has_word(title, &["director"]) {
        Some("Director")
    } else if has_word(title, &["manager", "lead"]) {
        Some("Manager")
    } else {
        None
    }
}

/// The department a title names, if it names one.
pub fn department(title: &str) -> Option<&'static str> {
    const TABLE: &[(&[&str], &str)] = &[
        (
            &[
                "engineering",
                "eng",
                "engineer",
                "cto",
                "developer",
                "devops",
                "platform",
                "infrastructure",
                "data",
            ],
            "Engineering",
        ),
        (&["sales", "cro", "revenue", "account", "business"], "Sales"),
        (
            &["marketing", "cmo", "growth", "brand", "demand"],
            "Marketing",
        ),
        (&["product", "cpo", "design"], "Product"),
        (&["finance", "cfo", "accounting"], "Finance"),
        (&["people", "hr", "talent", "recruiting"], "People"),
        (&["operations", "coo", "ops"], "Operations"),
        (&["security", "ciso"], "Security"),
    ];
    TABLE
        .iter()
        .find(|(words, _)| has_word(title, words))
        .map(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_give_seniority_and_department_only_when_stated() {
        assert_eq!(seniority("VP Engineering"), Some("VP"));
        assert_eq!(department("VP Engineering"), Some("Engineering"));
        assert_eq!(seniority("Head of Growth"), Some("Head"));
        assert_eq!(department("Head of Growth"), Some("Marketing"));
        assert_eq!(seniority("CTO"), Some("C-Level"));
        assert_eq!(seniority("Staff accountant"), None);
        assert_eq!(department("Office dog"), None);
    }

    #[test]
    fn slugs_become_words_and_names_split_once() {
        assert_eq!(words("series_a"), "Series A");
        assert_eq!(words("Seed"), "Seed");
        assert_eq!(
            split_name("Ada  de la Cruz"),
            (Some("Ada".into()), Some("de la Cruz".into()))
        );
        assert_eq!(split_name("Cher"), (Some("Cher".into()), None));
    }

    #[test]
    fn idempotency_keys_follow_content() {
        let a = idempotency_key("https://x/a", b"{}");
        assert_eq!(a, idempotency_key("https://x/a", b"{}"));
        assert_ne!(a, idempotency_key("https://x/a", b"{\"a\":1}"));
    }
}
