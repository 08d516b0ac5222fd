//! AutoReach (docs/integrations.md, "AutoReach"): contacts become AutoReach leads — one
//! `POST /api/leads` each, or, with a workflow (`workflow_id` in the config, or the push's
//! `list_id`), `POST /api/workflows/{id}/leads` with `{"leads": [...]}` in batches of
//! [`BATCH`]. On 429 the shared retry rule waits `Retry-After`, doubles it on the next 429, and
//! gives up after 3 attempts, exactly as the reference asks.
//!
//! The reference does not specify a lead's fields, so leadline sends this object (camelCase,
//! like the rest of the API; only fields with a value):
//!
//! ```json
//! {
//!   "email": "ada@acme.com",          // required: outreach needs it
//!   "name": "Ada Lovelace", "firstName": "Ada", "lastName": "Lovelace",
//!   "title": "VP Engineering",
//!   "company": "Acme", "domain": "acme.com", "website": "https://acme.com",
//!   "linkedinUrl": "…", "companyLinkedinUrl": "…",
//!   "city": "Paris", "country": "FR",    // the company's HQ
//!   "industry": "Fintech", "employeeCount": 120,
//!   "source": "leadline", "externalId": "lead_…",
//!   "customFields": { "leadlineJobId": "job_…", "confidence": 0.87, "fundingStage": "Series A",
//!                     "technologies": ["…"], "hiringFor": ["…"], "livemode": false }
//! }
//! ```
//!
//! Answers: a single create answers with the lead (`id`, or `lead.id` / `data.id`). A workflow
//! batch is read as `{"leads": [{"id", "email"}], "duplicates": ["email"], "errors": [{"email",
//! "message"}]}` where every part is optional: an email the answer does not mention was accepted
//! (the request as a whole was a 2xx).

use std::collections::HashMap;

use async_trait::async_trait;
use serde_json::{Map, Value, json};

use super::support::{self, Service, put};
use super::{ItemKey, ItemOutcome, Planned, PushContext, PushTarget, Secrets, Unit, UnitResult};
use crate::config::ServiceConfig;
use crate::model::push::{PlannedRequest, PushProvider};
use crate::model::{Error, Lead};

pub const DEFAULT_BASE_URL: &str = "https://api.autoreach.work";
pub const DEFAULT_KEY_ENV: &str = "AUTOREACH_API_KEY";
const SECTION: &str = "integrations.autoreach";
/// Leads per workflow request: big enough to make 10,000 leads 100 requests, small enough to
/// keep each body well under typical API limits.
pub const BATCH: usize = 100;

pub struct AutoReach {
    base_url: String,
    endpoint: support::Endpoint,
    workflow_id: Option<String>,
}

impl AutoReach {
    pub fn from_config(config: &ServiceConfig, secrets: &Secrets) -> Result<Self, Error> {
        let (key_env, key) = support::secret(
            secrets,
            config.api_key_env.as_deref(),
            DEFAULT_KEY_ENV,
            "AutoReach",
            SECTION,
            "AutoReach API key (AutoReach → Settings → API Keys)",
            "api_key_env",
        )?;
        Ok(Self {
            base_url: support::base(config.base_url.as_deref(), DEFAULT_BASE_URL),
            workflow_id: config.workflow_id.clone().filter(|w| !w.trim().is_empty()),
            endpoint: support::Endpoint::new(
                key,
                Service {
                name: "AutoReach",
                key_env,
                credential: "API key",
                billing_hint: "API calls use AutoReach credits: top up or upgrade the plan in AutoReach (Settings → Billing), then push again: what was sent is not sent twice.",
                not_found_hint: "The workflow does not exist for this key: check workflow_id under [integrations.autoreach] (or --list-id) and base_url.".into(),
            },
            )?,
        })
    }
}

/// The lead object described in the module comment, or why the lead cannot be sent.
fn lead_object(ctx: &PushContext<'_>, lead: &Lead) -> Result<Map<String, Value>, (String, String)> {
    let mut o = Map::new();
    let person = lead.person.as_ref();
    put(&mut o, "email", support::email(lead));
    if let Some(p) = person {
        put(&mut o, "name", Some(p.full_name.as_str()));
        let (first, last) = support::split_name(&p.full_name);
        put(&mut o, "firstName", first);
        put(&mut o, "lastName", last);
        put(&mut o, "title", p.title.as_deref());
        put(&mut o, "linkedinUrl", p.linkedin.as_deref());
    }
    put(&mut o, "company", Some(lead.company.name.as_str()));
    put(&mut o, "domain", support::domain(lead));
    put(&mut o, "website", support::website(lead));
    put(
        &mut o,
        "companyLinkedinUrl",
        lead.company.linkedin.as_deref(),
    );
    put(&mut o, "city", lead.company.hq_city.as_deref());
    put(&mut o, "country", lead.company.hq_country.as_deref());
    put(
        &mut o,
        "industry",
        support::field(lead, "industry").map(|i| support::words(&i)),
    );
    if let Some(n) = support::employees(lead) {
        o.insert("employeeCount".into(), n.into());
    }
    o.insert("source".into(), "leadline".into());
    o.insert("externalId".into(), lead.id.to_string().into());
    let mut custom = Map::new();
    custom.insert("leadlineJobId".into(), lead.job_id.to_string().into());
    custom.insert("confidence".into(), json!(lead.confidence));
    custom.insert("livemode".into(), lead.livemode.into());
    put(
        &mut custom,
        "fundingStage",
        support::field(lead, "funding_stage").map(|s| support::words(&s)),
    );
    for (key, name) in [
        ("technologies", "technologies"),
        ("hiring_for", "hiringFor"),
    ] {
        let items = support::list(lead, key);
        if !items.is_empty() {
            custom.insert(name.into(), items.into());
        }
    }
    o.insert("customFields".into(), Value::Object(custom));
    support::apply_mapping(&mut o, ctx.mapping, lead);
    if support::text(&o, "email").is_none() {
        return Err((
            "missing_email".into(),
            "AutoReach reaches leads by email and this lead has none. Find it with an enrichment lookup (Modern Leads), or map a field that holds it with --mapping.".into(),
        ));
    }
    Ok(o)
}

#[async_trait]
impl PushTarget for AutoReach {
    fn provider(&self) -> PushProvider {
        PushProvider::Autoreach
    }

    fn plan(&self, ctx: &PushContext<'_>, leads: &[Lead]) -> Result<Planned, Error> {
        support::contacts_only("AutoReach", ctx.mode)?;
        support::check_mapping(ctx.mapping)?;
        let workflow = support::list_or(ctx.list_id, &self.workflow_id);
        let mut planned = Planned {
            list_id: workflow.clone(),
            ..Planned::default()
        };
        let mut ready = Vec::new();
        for lead in leads {
            let item = ItemKey::contact(lead);
            match lead_object(ctx, lead) {
                Ok(o) => ready.push((item, Value::Object(o))),
                Err((code, message)) => planned.skipped.push((item, code, message)),
            }
        }
        match workflow {
            None => {
                let url = format!("{}/api/leads", self.base_url);
                for (item, body) in ready {
                    planned.units.push(Unit {
                        request: PlannedRequest {
                            method: "POST".into(),
                            url: url.clone(),
                            items: vec![item.0.clone()],
                            body,
                        },
                        items: vec![item],
                    });
                }
            }
            Some(id) => {
                let url = format!(
                    "{}/api/workflows/{}/leads",
                    self.base_url,
                    support::url_segment(&id)
                );
                let mut ready = ready.into_iter().peekable();
                while ready.peek().is_some() {
                    let (items, bodies): (Vec<ItemKey>, Vec<Value>) =
                        ready.by_ref().take(BATCH).unzip();
                    planned.units.push(Unit {
                        request: PlannedRequest {
                            method: "POST".into(),
                            url: url.clone(),
                            items: items.iter().map(|i| i.0.clone()).collect(),
                            body: json!({ "leads": bodies }),
                        },
                        items,
                    });
                }
            }
        }
        Ok(planned)
    }

    async fn send(&self, unit: &Unit) -> UnitResult {
        let batch = unit.request.body.get("leads").is_some();
        self.endpoint
            .send(unit, |resp| {
                let v = resp.json()?;
                let v = v.as_object()?;
                if batch {
                    batch_outcomes(unit, v)
                } else {
                    let id = [
                        &v.get("id"),
                        &v.get("lead").and_then(|l| l.get("id")),
                        &v.get("data").and_then(|d| d.get("id")),
                    ]
                    .into_iter()
                    .flatten()
                    .find_map(|id| match id {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    });
                    Some(UnitResult::all(
                        unit,
                        ItemOutcome::Created { external_id: id },
                    ))
                }
            })
            .await
    }
}

/// Per-item outcomes of a workflow batch answer (shape in the module comment).
fn batch_outcomes(unit: &Unit, v: &Map<String, Value>) -> Option<UnitResult> {
    let sent = unit.request.body.get("leads")?.as_array()?;
    let lower = |s: &str| s.trim().to_ascii_lowercase();
    let mut by_email: HashMap<String, ItemOutcome> = HashMap::new();
    if let Some(leads) = v.get("leads") {
        for l in leads.as_array()? {
            let Some(email) = l.get("email").and_then(Value::as_str) else {
                continue;
            };
            let id = l.get("id").and_then(Value::as_str).map(str::to_string);
            by_email.insert(lower(email), ItemOutcome::Created { external_id: id });
        }
    }
    if let Some(dups) = v.get("duplicates") {
        for d in dups.as_array()? {
            if let Some(email) = d.as_str() {
                by_email.insert(
                    lower(email),
                    ItemOutcome::Skipped {
                        code: "duplicate".into(),
                        message: "AutoReach already has a lead with this email.".into(),
                    },
                );
            }
        }
    }
    if let Some(errors) = v.get("errors") {
        for e in errors.as_array()? {
            let Some(email) = e.get("email").and_then(Value::as_str) else {
                continue;
            };
            let msg = e
                .get("message")
                .and_then(Value::as_str)
                .map(|m| support::cut(&crate::text::sanitize_inline(m), 200))
                .unwrap_or_else(|| "no explanation given".into());
            by_email.insert(
                lower(email),
                ItemOutcome::failed(
                    "rejected",
                    format!("AutoReach rejected it ({msg}); fix the lead and push again."),
                ),
            );
        }
    }
    let outcomes = unit
        .items
        .iter()
        .zip(sent)
        .map(|(item, body)| {
            let email = body.get("email").and_then(Value::as_str).map(lower);
            let outcome = email
                .and_then(|e| by_email.remove(&e))
                .unwrap_or(ItemOutcome::Created { external_id: None });
            (item.clone(), outcome)
        })
        .collect();
    Some(UnitResult {
        outcomes,
        fatal: None,
    })
}
