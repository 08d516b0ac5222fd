//! HubSpot: CRM v3 batch upsert (`POST /crm/v3/objects/{contacts|companies}/batch/upsert`,
//! at most [`BATCH`] inputs a request). Contacts are keyed by `email`, companies by `domain`, so
//! pushing the same lead again updates the record instead of duplicating it.
//!
//! Only HubSpot's default properties are written: an unknown property fails the whole batch, and
//! enumerations such as `industry` reject free text, so those are left out.
//!
//! Answers (checked against HubSpot's published reference): 200/201 with `results[]`, each with
//! `id`, `new` (true: created) and `properties`; 207 (multi-status) adds `errors[]`, each with a
//! `message` and `context.ids` naming the inputs it concerns. Results are matched to inputs by
//! their id property; an input the answer does not mention is reported as failed.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use serde_json::{Map, Value, json};

use super::support::{self, Service, put};
use super::{ItemKey, ItemOutcome, Planned, PushContext, PushTarget, Secrets, Unit, UnitResult};
use crate::config::ServiceConfig;
use crate::model::push::{PlannedRequest, PushProvider};
use crate::model::{Error, Lead};

pub const DEFAULT_BASE_URL: &str = "https://api.hubapi.com";
pub const DEFAULT_KEY_ENV: &str = "HUBSPOT_TOKEN";
const SECTION: &str = "integrations.hubspot";
/// HubSpot's limit on inputs per batch request.
pub const BATCH: usize = 100;

pub struct HubSpot {
    base_url: String,
    endpoint: support::Endpoint,
}

impl HubSpot {
    pub fn from_config(config: &ServiceConfig, secrets: &Secrets) -> Result<Self, Error> {
        let (key_env, key) = support::secret(
            secrets,
            config.api_key_env.as_deref(),
            DEFAULT_KEY_ENV,
            "HubSpot",
            SECTION,
            "HubSpot private app access token (Settings → Integrations → Private Apps, with crm.objects.contacts.write and crm.objects.companies.write)",
            "api_key_env",
        )?;
        Ok(Self {
            base_url: support::base(config.base_url.as_deref(), DEFAULT_BASE_URL),
            endpoint: support::Endpoint::new(
                key,
                Service {
                name: "HubSpot",
                key_env,
                credential: "access token",
                billing_hint: "Check the HubSpot account's subscription and API limits, then push again: what was sent is not sent twice.",
                not_found_hint: "Check base_url under [integrations.hubspot]: the CRM v3 batch upsert endpoint was not found there.".into(),
            },
            )?,
        })
    }

    fn batches(&self, kind: &str, ready: Vec<(ItemKey, Value)>, planned: &mut Planned) {
        let url = format!("{}/crm/v3/objects/{kind}/batch/upsert", self.base_url);
        for chunk in ready.chunks(BATCH) {
            planned.units.push(Unit {
                items: chunk.iter().map(|(i, _)| i.clone()).collect(),
                request: PlannedRequest {
                    method: "POST".into(),
                    url: url.clone(),
                    items: chunk.iter().map(|(i, _)| i.0.clone()).collect(),
                    body: json!({
                        "inputs": chunk.iter().map(|(_, input)| input.clone()).collect::<Vec<_>>()
                    }),
                },
            });
        }
    }
}

fn contact_properties(ctx: &PushContext<'_>, lead: &Lead) -> Map<String, Value> {
    let mut p = Map::new();
    put(
        &mut p,
        "email",
        support::email(lead).map(|e| e.to_ascii_lowercase()),
    );
    if let Some(person) = &lead.person {
        let (first, last) = support::split_name(&person.full_name);
        put(&mut p, "firstname", first);
        put(&mut p, "lastname", last);
        put(&mut p, "jobtitle", person.title.as_deref());
    }
    put(&mut p, "company", Some(lead.company.name.as_str()));
    put(&mut p, "website", support::website(lead));
    support::apply_mapping(&mut p, ctx.mapping, lead);
    p
}

fn company_properties(ctx: &PushContext<'_>, lead: &Lead) -> Map<String, Value> {
    let mut p = Map::new();
    put(&mut p, "name", Some(lead.company.name.as_str()));
    put(&mut p, "domain", support::domain(lead));
    put(&mut p, "website", support::website(lead));
    put(&mut p, "city", lead.company.hq_city.as_deref());
    put(&mut p, "country", lead.company.hq_country.as_deref());
    put(&mut p, "description", support::field(lead, "description"));
    // HubSpot property values are strings, numbers included.
    put(
        &mut p,
        "numberofemployees",
        support::employees(lead).map(|n| n.to_string()),
    );
    put(
        &mut p,
        "linkedin_company_page",
        lead.company.linkedin.as_deref(),
    );
    support::apply_mapping(&mut p, ctx.mapping, lead);
    p
}

#[async_trait]
impl PushTarget for HubSpot {
    fn provider(&self) -> PushProvider {
        PushProvider::Hubspot
    }

    fn plan(&self, ctx: &PushContext<'_>, leads: &[Lead]) -> Result<Planned, Error> {
        support::check_mapping(ctx.mapping)?;
        let mut planned = Planned::default();
        if ctx.mode.includes_contacts() {
            let mut emails = HashSet::new();
            let mut ready = Vec::new();
            for lead in leads {
                let item = ItemKey::contact(lead);
                let props = contact_properties(ctx, lead);
                let Some(email) = support::text(&props, "email") else {
                    planned.skipped.push((
                        item,
                        "missing_email".into(),
                        "HubSpot contacts are upserted by email and this lead has none. Find it with an enrichment lookup (Modern Leads), or map a field that holds it with --mapping.".into(),
                    ));
                    continue;
                };
                // Two inputs with one id in a batch make HubSpot reject the batch.
                if !emails.insert(email.to_ascii_lowercase()) {
                    planned.skipped.push((
                        item,
                        "duplicate_email".into(),
                        format!("another lead of this job has the email {email}; HubSpot keeps one contact per email."),
                    ));
                    continue;
                }
                ready.push((
                    item,
                    json!({"idProperty": "email", "id": email, "properties": props}),
                ));
            }
            self.batches("contacts", ready, &mut planned);
        }
        if ctx.mode.includes_companies() {
            let mut seen = HashSet::new();
            let mut ready = Vec::new();
            for lead in leads {
                let item = ItemKey::company(lead);
                if !seen.insert(item.clone()) {
                    continue;
                }
                let props = company_properties(ctx, lead);
                let Some(domain) = support::text(&props, "domain") else {
                    planned.skipped.push((
                        item,
                        "missing_domain".into(),
                        format!(
                            "HubSpot companies are upserted by domain and {} has none.",
                            crate::text::sanitize_inline(&lead.company.name)
                        ),
                    ));
                    continue;
                };
                ready.push((
                    item,
                    json!({"idProperty": "domain", "id": domain, "properties": props}),
                ));
            }
            self.batches("companies", ready, &mut planned);
        }
        Ok(planned)
    }

    async fn send(&self, unit: &Unit) -> UnitResult {
        self.endpoint
            .send(unit, |resp| outcomes(unit, resp.json()?))
            .await
    }
}

/// Per-input outcomes of a batch upsert answer (shape in the module comment).
fn outcomes(unit: &Unit, answer: Value) -> Option<UnitResult> {
    let inputs = unit.request.body.get("inputs")?.as_array()?;
    let norm = |s: &str| s.trim().to_ascii_lowercase();
    let mut found: HashMap<String, ItemOutcome> = HashMap::new();
    let results = answer.get("results")?.as_array()?;
    let mut unmatched = 0;
    for r in results {
        // Contacts echo `email`, companies `domain`: the id property each batch was keyed by.
        let key = ["email", "domain"].iter().find_map(|k| {
            r.get("properties")
                .and_then(|p| p.get(*k))
                .and_then(Value::as_str)
        });
        match key {
            Some(k) => {
                found.insert(norm(k), result_outcome(r));
            }
            None => unmatched += 1,
        }
    }
    let mut errors = 0;
    if let Some(errs) = answer.get("errors") {
        for e in errs.as_array()? {
            errors += 1;
            let msg = e
                .get("message")
                .and_then(Value::as_str)
                .map(|m| support::cut(&crate::text::sanitize_inline(m), 200))
                .unwrap_or_else(|| "no explanation given".into());
            let ids = e
                .get("context")
                .and_then(|c| c.get("ids"))
                .and_then(Value::as_array);
            for id in ids.into_iter().flatten().filter_map(Value::as_str) {
                found.insert(
                    norm(id),
                    ItemOutcome::failed(
                        "rejected",
                        format!("HubSpot rejected it ({msg}); fix the lead or the mapping and push again."),
                    ),
                );
            }
        }
    }
    // Results that do not echo their id property can only be matched by position, and only when
    // the answer covers every input without errors.
    let positional = unmatched > 0 && errors == 0 && results.len() == inputs.len();
    let outcomes = unit
        .items
        .iter()
        .zip(inputs)
        .enumerate()
        .map(|(i, (item, input))| {
            let id = input.get("id").and_then(Value::as_str).map(norm);
            let outcome = id
                .and_then(|id| found.remove(&id))
                .or_else(|| positional.then(|| result_outcome(&results[i])));
            let outcome = outcome.unwrap_or_else(|| {
                ItemOutcome::failed(
                    "no_result",
                    "HubSpot's answer did not mention this record; push again to retry it.",
                )
            });
            (item.clone(), outcome)
        })
        .collect();
    Some(UnitResult {
        outcomes,
        fatal: None,
    })
}

/// `new: true` is a record the upsert created; otherwise it updated an existing one.
fn result_outcome(r: &Value) -> ItemOutcome {
    let external_id = r.get("id").and_then(Value::as_str).map(str::to_string);
    if r.get("new").and_then(Value::as_bool).unwrap_or(false) {
        ItemOutcome::Created { external_id }
    } else {
        ItemOutcome::Updated { external_id }
    }
}
