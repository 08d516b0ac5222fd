//! The LLM planner: asks an OpenAI-compatible `/chat/completions` endpoint for the ICP under a
//! strict JSON schema, then normalises every value through the rule vocabularies, so an LLM plan
//! obeys the same contract as a rules plan. Any failure falls back to the rules, with a warning
//! in the log and a note on the plan.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::rules::{self, RulesPlanner, has_audience, read_value};
use super::vocab::{DEPARTMENTS, FUNDING_STAGES, REGION_CODES, countries, industries, us_states};
use super::{MAX_PROMPT_CHARS, PlanDraft, PlanRequest, Planner};
use crate::model::{Error, ErrorCode, Icp, Range};

#[derive(Clone)]
pub struct LlmPlannerConfig {
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    pub timeout: Duration,
}

// Hand-written so the API key can never reach a log line through `{:?}`.
impl fmt::Debug for LlmPlannerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmPlannerConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[derive(Debug)]
pub struct LlmPlanner {
    config: LlmPlannerConfig,
    /// `Err` holds why the HTTP client could not be built; every plan then falls back.
    client: Result<reqwest::Client, String>,
    rules: RulesPlanner,
}

/// Why the LLM could not be used; shown to the reviewer, so it never carries secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unavailable(String);

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn unavailable(reason: impl Into<String>) -> Unavailable {
    Unavailable(reason.into())
}

const SYSTEM_PROMPT: &str = "You turn a plain-English description of a B2B audience into an ideal customer \
profile (ICP) for lead research. Fill every field of the JSON schema. Use [] or null when the text says \
nothing about a field; never invent filters. industries: only the listed slugs. countries: ISO 3166-1 \
alpha-2 codes, only for countries named (a city or US state does not imply a country). regions: keep \
regions as regions (EU, EUROPE, DACH, NORDICS, BENELUX, NA, LATAM, APAC, SEA, MENA). us_states: USPS codes. \
funding_stages: 'Series B+' means series_b to series_e. employees is company headcount: 'N+' or 'at least N' \
→ min N; 'more than N' → min N+1; 'fewer than N' → max N-1; 'up to N' → max N; SMB → max 99; mid-market → \
100-999; enterprise → min 1000. team_size is per department ('20+ engineers' → engineering min 20). roles: \
people to contact, canonical titles (CEO, CTO, CFO, COO, CMO, CRO, CIO, CISO, CPO, CDO, 'VP Engineering', \
'Head of Growth', 'Director of IT', Founder), singular. hiring_for: open positions the company is hiring \
for, singular, title-cased. technologies: canonical product names. funded_within_days: days (weeks x7, \
months x30, years x365). max_rows: an explicit list size, at most 10000. excluded_sources: lower-case \
names of sources to skip.";

fn string_list(items: Option<&[&str]>) -> Value {
    match items {
        Some(values) => json!({"type": "array", "items": {"type": "string", "enum": values}}),
        None => json!({"type": "array", "items": {"type": "string"}}),
    }
}

/// The strict response schema. `team_size` is a list because strict schemas cannot have open
/// maps.
fn schema() -> Value {
    let slugs: Vec<&str> = industries::INDUSTRIES.iter().map(|(s, _)| *s).collect();
    let nullable_int = json!({"type": ["integer", "null"]});
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["industries", "countries", "regions", "cities", "us_states", "funding_stages", "employees",
            "team_size", "roles", "technologies", "hiring_for", "funded_within_days", "max_rows", "excluded_sources"],
        "properties": {
            "industries": string_list(Some(&slugs)),
            "countries": string_list(None),
            "regions": string_list(Some(REGION_CODES)),
            "cities": string_list(None),
            "us_states": string_list(None),
            "funding_stages": string_list(Some(FUNDING_STAGES)),
            "employees": {
                "type": "object", "additionalProperties": false, "required": ["min", "max"],
                "properties": {"min": nullable_int, "max": nullable_int}
            },
            "team_size": {
                "type": "array",
                "items": {
                    "type": "object", "additionalProperties": false, "required": ["department", "min", "max"],
                    "properties": {
                        "department": {"type": "string", "enum": DEPARTMENTS},
                        "min": nullable_int, "max": nullable_int
                    }
                }
            },
            "roles": string_list(None),
            "technologies": string_list(None),
            "hiring_for": string_list(None),
            "funded_within_days": nullable_int,
            "max_rows": nullable_int,
            "excluded_sources": string_list(None)
        }
    })
}

#[derive(Debug, Deserialize)]
struct ChatResponse {
    choices: Vec<Choice>,
}

#[derive(Debug, Deserialize)]
struct Choice {
    message: ChatMessage,
}

#[derive(Debug, Deserialize)]
struct ChatMessage {
    content: Option<String>,
    refusal: Option<String>,
}

#[derive(Debug, Deserialize)]
struct WireRange {
    min: Option<i64>,
    max: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct WireTeam {
    department: String,
    min: Option<i64>,
    max: Option<i64>,
}

/// The ICP as the schema asks for it; unknown or missing keys are a schema mismatch.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireIcp {
    industries: Vec<String>,
    countries: Vec<String>,
    regions: Vec<String>,
    cities: Vec<String>,
    us_states: Vec<String>,
    funding_stages: Vec<String>,
    employees: WireRange,
    team_size: Vec<WireTeam>,
    roles: Vec<String>,
    technologies: Vec<String>,
    hiring_for: Vec<String>,
    funded_within_days: Option<i64>,
    max_rows: Option<i64>,
    excluded_sources: Vec<String>,
}

fn push_all(list: &mut Vec<String>, values: impl IntoIterator<Item = String>) {
    for v in values {
        if !v.is_empty() && !list.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
            list.push(v);
        }
    }
}

fn count(v: Option<i64>) -> Option<u32> {
    v.filter(|n| *n >= 0)
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

fn range(min: Option<i64>, max: Option<i64>) -> Range {
    let (min, max) = (count(min), count(max));
    match (min, max) {
        (Some(a), Some(b)) if a > b => Range {
            min: Some(b),
            max: Some(a),
        },
        _ => Range { min, max },
    }
}

/// A role as the rules would read it ("VP of Engineering" → "VP Engineering"); `None` for words
/// the rules do not know as a title (the model's guess is never passed on).
fn canonical_role(s: &str) -> Option<String> {
    let read = rules::read_whole_value(s)?;
    read.roles.into_iter().chain(read.hiring_for).next()
}

/// What the model answered, normalised, and the values it gave that the vocabulary lacks.
struct Normalised {
    icp: Icp,
    not_understood: Vec<String>,
}

/// Reports a value the vocabulary lacks, shortened and without control characters.
fn report(unknown: &mut Vec<String>, field: &str, value: &str) {
    let v: String = value
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect();
    let entry = format!("{v} ({field})");
    if !v.is_empty() && !unknown.contains(&entry) {
        unknown.push(entry);
    }
}

/// Reads each of `values` with `read`; a value it finds nothing in is reported, not kept.
fn keep_known(
    values: &[String],
    field: &str,
    unknown: &mut Vec<String>,
    read: impl Fn(&str) -> Vec<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for s in values {
        let known = read(s);
        if known.is_empty() {
            report(unknown, field, s);
        }
        push_all(&mut out, known);
    }
    out
}

/// Runs every field of the model's answer through the rule vocabularies, as strictly as a
/// prompt: a value outside them is dropped and reported in `not_understood`.
fn normalise(w: WireIcp) -> Normalised {
    let mut icp = Icp::default();
    let mut unknown = Vec::new();
    let u = &mut unknown;
    let slug = |s: &str| s.trim().to_lowercase();
    let code = |s: &str| s.trim().to_uppercase();
    icp.industries = keep_known(&w.industries, "industry", u, |s| {
        let v = slug(s);
        if industries::INDUSTRIES.iter().any(|(i, _)| *i == v) {
            vec![v]
        } else {
            read_value(s).industries
        }
    });
    icp.countries = keep_known(&w.countries, "country", u, |s| {
        let c = code(s);
        if c.len() == 2 && countries::COUNTRIES.iter().any(|(k, _, _)| *k == c) {
            vec![c]
        } else {
            read_value(s).countries
        }
    });
    icp.regions = keep_known(&w.regions, "region", u, |s| {
        let c = code(s);
        if REGION_CODES.contains(&c.as_str()) {
            vec![c]
        } else {
            read_value(s).regions
        }
    });
    icp.cities = keep_known(&w.cities, "city", u, |s| {
        rules::read_whole_value(s)
            .map(|i| i.cities)
            .unwrap_or_default()
    });
    icp.us_states = keep_known(&w.us_states, "US state", u, |s| {
        let c = code(s);
        if us_states::US_STATES.iter().any(|(k, _)| *k == c) {
            vec![c]
        } else {
            read_value(s).us_states
        }
    });
    icp.funding_stages = keep_known(&w.funding_stages, "funding stage", u, |s| {
        let v = slug(s);
        if FUNDING_STAGES.contains(&v.as_str()) {
            vec![v]
        } else {
            read_value(s).funding_stages
        }
    });
    icp.employees = range(w.employees.min, w.employees.max);
    let mut team = BTreeMap::new();
    for t in &w.team_size {
        let dept = t.department.trim().to_lowercase();
        let r = range(t.min, t.max);
        if DEPARTMENTS.contains(&dept.as_str()) {
            if !r.is_open() {
                team.insert(dept, r);
            }
        } else {
            report(u, "team", &t.department);
        }
    }
    icp.team_size = team;
    icp.roles = keep_known(&w.roles, "role", u, |s| {
        canonical_role(s).into_iter().collect()
    });
    icp.hiring_for = keep_known(&w.hiring_for, "hiring for", u, |s| {
        canonical_role(s).into_iter().collect()
    });
    icp.technologies = keep_known(&w.technologies, "technology", u, |s| {
        read_value(&format!("using {s}")).technologies
    });
    icp.excluded_sources = keep_known(&w.excluded_sources, "source", u, |s| {
        read_value(&format!("skip {s}")).excluded_sources
    });
    icp.funded_within_days = count(w.funded_within_days).filter(|d| *d > 0);
    icp.max_rows = count(w.max_rows).map(|r| r.clamp(1, Icp::MAX_ROWS));
    Normalised {
        icp,
        not_understood: rules::bounded_unread(unknown),
    }
}

impl LlmPlanner {
    pub fn new(config: LlmPlannerConfig) -> Self {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| format!("the HTTP client could not start: {e}"));
        Self {
            config,
            client,
            rules: RulesPlanner::new(),
        }
    }

    async fn ask(&self, user: String) -> Result<Normalised, Unavailable> {
        let client = self.client.as_ref().map_err(|e| unavailable(e.clone()))?;
        let url = format!(
            "{}/chat/completions",
            self.config.base_url.trim_end_matches('/')
        );
        let body = json!({
            "model": self.config.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": user}
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "icp", "strict": true, "schema": schema()}
            }
        });
        let mut request = client.post(url).json(&body);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key);
        }
        let secs = self.config.timeout.as_secs_f64();
        let send = async {
            let response = request.send().await.map_err(|e| describe(&e, secs))?;
            let status = response.status();
            if !status.is_success() {
                return Err(unavailable(format!("it answered HTTP {}", status.as_u16())));
            }
            response
                .json::<ChatResponse>()
                .await
                .map_err(|e| describe(&e, secs))
        };
        // The client has its own timeout; this one also bounds a server that trickles bytes.
        let answer = tokio::time::timeout(self.config.timeout, send)
            .await
            .map_err(|_| unavailable(format!("it did not answer within {secs:.1}s")))??;
        let message = answer
            .choices
            .into_iter()
            .next()
            .map(|c| c.message)
            .ok_or_else(|| unavailable("it returned no answer"))?;
        if let Some(refusal) = message.refusal.filter(|r| !r.trim().is_empty()) {
            let short: String = refusal.chars().take(120).collect();
            return Err(unavailable(format!("the model refused: {short}")));
        }
        let content = message
            .content
            .ok_or_else(|| unavailable("it returned an empty answer"))?;
        let wire: WireIcp = serde_json::from_str(&content).map_err(|e| {
            unavailable(format!(
                "its answer did not match the ICP schema ({})",
                json_problem(&e)
            ))
        })?;
        Ok(normalise(wire))
    }

    fn fallback(
        &self,
        reason: &Unavailable,
        draft: Result<PlanDraft, Error>,
    ) -> Result<PlanDraft, Error> {
        tracing::warn!(reason = %reason, model = %self.config.model, "LLM planner unavailable; using the rule-based planner");
        let mut draft = draft?;
        draft.notes.push(format!("The LLM planner was unavailable ({reason}); this plan was drafted by the built-in rules."));
        Ok(draft)
    }
}

/// What was wrong with the model's JSON, in words a reviewer can read.
fn json_problem(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "invalid JSON",
        serde_json::error::Category::Data => "wrong fields",
        serde_json::error::Category::Io => "unreadable",
    }
}

fn describe(e: &reqwest::Error, secs: f64) -> Unavailable {
    if e.is_timeout() {
        unavailable(format!("it did not answer within {secs:.1}s"))
    } else if e.is_connect() {
        unavailable("it could not be reached")
    } else if e.is_decode() {
        unavailable("its response was not valid JSON")
    } else {
        unavailable("the request failed")
    }
}

fn user_message(request: &PlanRequest) -> String {
    if request.history.is_empty() {
        return request.prompt.clone();
    }
    let earlier = request
        .history
        .iter()
        .map(|h| format!("- {h}"))
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "Earlier messages in this thread (context only):\n{earlier}\n\nDescribe the ICP for this message:\n{}",
        request.prompt
    )
}

#[async_trait]
impl Planner for LlmPlanner {
    async fn plan(&self, request: &PlanRequest) -> Result<PlanDraft, Error> {
        if request.prompt.chars().count() > MAX_PROMPT_CHARS {
            return self.rules.plan_sync(request);
        }
        match self.ask(user_message(request)).await {
            Ok(Normalised {
                mut icp,
                not_understood,
            }) if has_audience(&icp) || request.has_attachments => {
                if let Some(hint) = request.max_rows_hint {
                    icp.max_rows = Some(hint.clamp(1, Icp::MAX_ROWS));
                }
                let mut draft = rules::draft(icp, request.has_attachments, Vec::new());
                draft.not_understood = not_understood;
                draft.lang = rules::i18n::translate(&request.prompt).lang;
                Ok(draft)
            }
            Ok(_) => self.fallback(
                &unavailable("it found no audience"),
                self.rules.plan_sync(request),
            ),
            Err(reason) => self.fallback(&reason, self.rules.plan_sync(request)),
        }
    }

    async fn replan(&self, previous: &Icp, feedback: &str) -> Result<PlanDraft, Error> {
        // Credit budgets are arithmetic over the cost table: the rules do that exactly.
        if feedback.to_lowercase().contains("credit") || feedback.chars().count() > MAX_PROMPT_CHARS
        {
            return self.rules.replan_sync(previous, feedback);
        }
        let current = serde_json::to_string(previous).unwrap_or_default();
        let user = format!(
            "Current ICP (JSON): {current}\n\nEdit it according to this feedback and return the complete edited ICP. \
             Keep everything the feedback does not change.\nFeedback: {feedback}"
        );
        match self.ask(user).await {
            Ok(Normalised {
                icp,
                not_understood,
            }) if has_audience(&icp) && icp != *previous => {
                // The model is held to the rules' promise: a replan never widens silently.
                if let Some(question) = rules::widened(previous, &icp, feedback) {
                    return Err(Error::new(ErrorCode::PlanRejected, question));
                }
                let mut draft = rules::draft(icp, false, Vec::new());
                draft.not_understood = not_understood;
                Ok(draft)
            }
            Ok(_) => self.fallback(
                &unavailable("it changed nothing"),
                self.rules.replan_sync(previous, feedback),
            ),
            Err(reason) => self.fallback(&reason, self.rules.replan_sync(previous, feedback)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(v: Value) -> WireIcp {
        serde_json::from_value(v).expect("wire icp")
    }

    #[test]
    fn answers_are_normalised_through_the_rule_vocabularies() {
        let n = normalise(wire(json!({
            "industries": ["fintech", "Developer Tools", "not-an-industry"],
            "countries": ["fr", "Germany", "Atlantis"],
            "regions": ["nordics", "Southeast Asia"],
            "cities": ["new york city", "tel aviv"],
            "us_states": ["ca", "Texas"],
            "funding_stages": ["series_b", "Series C"],
            "employees": {"min": 500, "max": 50},
            "team_size": [{"department": "engineering", "min": 20, "max": null}, {"department": "bogus", "min": 1, "max": 2}],
            "roles": ["VP of Engineering", "chief technology officer", "engineering managers"],
            "technologies": ["postgres", "k8s", "Segment", "SomeNewTool"],
            "hiring_for": ["ML engineers"],
            "funded_within_days": -5,
            "max_rows": 50000,
            "excluded_sources": ["Crunchbase", "LinkedIn Sales Navigator"]
        })));
        let icp = n.icp;
        assert_eq!(icp.industries, ["fintech", "devtools"]);
        assert_eq!(icp.countries, ["FR", "DE"]);
        assert_eq!(icp.regions, ["NORDICS", "SEA"]);
        assert_eq!(icp.cities, ["New York", "Tel Aviv"]);
        assert_eq!(icp.us_states, ["CA", "TX"]);
        assert_eq!(icp.funding_stages, ["series_b", "series_c"]);
        assert_eq!(
            icp.employees,
            Range {
                min: Some(50),
                max: Some(500)
            }
        );
        assert_eq!(icp.team_size.len(), 1);
        assert_eq!(icp.roles, ["VP Engineering", "CTO", "Engineering Manager"]);
        assert_eq!(icp.technologies, ["PostgreSQL", "Kubernetes", "Segment"]);
        assert_eq!(
            n.not_understood,
            [
                "not-an-industry (industry)",
                "Atlantis (country)",
                "bogus (team)",
                "SomeNewTool (technology)"
            ]
        );
        assert_eq!(icp.hiring_for, ["ML Engineer"]);
        assert_eq!(icp.funded_within_days, None);
        assert_eq!(icp.max_rows, Some(10_000));
        assert_eq!(icp.excluded_sources, ["crunchbase", "linkedin"]);
    }

    #[test]
    fn debug_output_hides_the_api_key() {
        let c = LlmPlannerConfig {
            base_url: "http://x".into(),
            model: "m".into(),
            api_key: Some("sk-secret-123".into()),
            timeout: Duration::from_secs(1),
        };
        assert!(!format!("{c:?}").contains("sk-secret-123"));
        assert!(!format!("{:?}", LlmPlanner::new(c)).contains("sk-secret-123"));
    }

    #[test]
    fn schema_requires_every_icp_key() {
        let s = schema();
        assert_eq!(s["required"].as_array().map(Vec::len), Some(14));
        assert_eq!(s["additionalProperties"], json!(false));
    }
}
