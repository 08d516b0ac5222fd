//! Magnetite (docs/integrations.md, "Magnetite"): each contact is added to a campaign with
//! `POST /api/campaigns/{campaign}/leads`, one request per lead. Magnetite scores and researches
//! what it is given, so the body carries everything leadline knows about the lead — company
//! enrichment, contact hints, the facts with their sources — not just the three required fields.

use async_trait::async_trait;
use serde_json::{Map, Value, json};

use super::support::{self, Service, put};
use super::{ItemKey, ItemOutcome, Planned, PushContext, PushTarget, Secrets, Unit, UnitResult};
use crate::config::ServiceConfig;
use crate::model::push::{PlannedRequest, PushProvider};
use crate::model::{Error, Lead};

pub const DEFAULT_BASE_URL: &str = "https://magnetite.ai";
pub const DEFAULT_KEY_ENV: &str = "MAGNETITE_API_KEY";
const SECTION: &str = "integrations.magnetite";

pub struct Magnetite {
    base_url: String,
    endpoint: support::Endpoint,
    campaign_id: Option<String>,
}

impl Magnetite {
    pub fn from_config(config: &ServiceConfig, secrets: &Secrets) -> Result<Self, Error> {
        let (key_env, key) = support::secret(
            secrets,
            config.api_key_env.as_deref(),
            DEFAULT_KEY_ENV,
            "Magnetite",
            SECTION,
            "Magnetite API key (Magnetite → Settings → API Keys)",
            "api_key_env",
        )?;
        Ok(Self {
            base_url: support::base(config.base_url.as_deref(), DEFAULT_BASE_URL),
            campaign_id: config
                .campaign_id
                .clone()
                .filter(|c| !c.trim().is_empty()),
            endpoint: support::Endpoint::new(
                key,
                Service {
                name: "Magnetite",
                key_env,
                credential: "API key",
                billing_hint: "Add credits or upgrade the plan in the Magnetite dashboard, then push again: what was sent is not sent twice.",
                not_found_hint: "The campaign does not exist for this key: check campaign_id under [integrations.magnetite] (or --list-id) and base_url.".into(),
            },
            )?,
        })
    }

    /// The request body for one lead, or why it cannot be sent (code, message).
    fn body(&self, ctx: &PushContext<'_>, lead: &Lead) -> Result<Value, (String, String)> {
        let mut body = Map::new();
        let person = lead.person.as_ref();
        put(&mut body, "companyName", Some(lead.company.name.as_str()));
        put(
            &mut body,
            "contactName",
            person.map(|p| p.full_name.as_str()),
        );
        put(&mut body, "email", support::email(lead));
        put(&mut body, "domain", support::domain(lead));
        put(&mut body, "title", person.and_then(|p| p.title.as_deref()));
        put(
            &mut body,
            "linkedInUrl",
            person.and_then(|p| p.linkedin.as_deref()),
        );
        put(
            &mut body,
            "companyLinkedInUrl",
            lead.company.linkedin.as_deref(),
        );
        put(
            &mut body,
            "notes",
            Some(format!(
                "Found by leadline (job {}, confidence {:.2}, {} source{}).",
                lead.job_id,
                lead.confidence,
                lead.sources.len(),
                if lead.sources.len() == 1 { "" } else { "s" }
            )),
        );
        let company = company(lead);
        if !company.is_empty() {
            body.insert("company".into(), Value::Object(company));
        }
        let contact = contact(lead);
        if !contact.is_empty() {
            body.insert("contact".into(), Value::Object(contact));
        }
        let facts = facts(lead);
        if !facts.is_empty() {
            body.insert("researchData".into(), json!({ "facts": facts }));
        }
        let mut extra = Map::new();
        extra.insert("leadlineJobId".into(), lead.job_id.to_string().into());
        extra.insert("confidence".into(), json!(lead.confidence));
        put(&mut extra, "search", Some(ctx.title));
        put(&mut extra, "jobSummary", ctx.job.summary.as_deref());
        body.insert("extraContext".into(), Value::Object(extra));
        body.insert(
            "customData".into(),
            json!({
                "leadSource": "leadline",
                "leadlineLeadId": lead.id.to_string(),
                "leadlineJobId": lead.job_id.to_string(),
                "livemode": lead.livemode,
            }),
        );
        support::apply_mapping(&mut body, ctx.mapping, lead);

        // Checked after the mapping, which may supply a field the lead lacks under its own name.
        for (field, code, what) in [
            ("companyName", "missing_company_name", "a company name"),
            (
                "contactName",
                "missing_contact_name",
                "a contact name (a person)",
            ),
            ("email", "missing_email", "an email address"),
        ] {
            if support::text(&body, field).is_none() {
                return Err((
                    code.into(),
                    format!(
                        "Magnetite needs {what} ({field}); this lead has none. Find it with an enrichment lookup (Modern Leads), or map a field that holds it with --mapping."
                    ),
                ));
            }
        }
        Ok(Value::Object(body))
    }
}

/// Magnetite's `company` enrichment object from the lead's company and fields.
fn company(lead: &Lead) -> Map<String, Value> {
    let mut c = Map::new();
    put(&mut c, "description", support::field(lead, "description"));
    put(&mut c, "website", support::website(lead));
    put(&mut c, "linkedinUrl", lead.company.linkedin.as_deref());
    put(
        &mut c,
        "industry",
        support::field(lead, "industry").map(|i| support::words(&i)),
    );
    if let Some(n) = support::employees(lead) {
        c.insert("employeeCount".into(), n.into());
    }
    let stage = support::field(lead, "funding_stage").map(|s| support::words(&s));
    put(&mut c, "fundingStage", stage.clone());
    let hq = [
        lead.company.hq_city.as_deref(),
        lead.company.hq_country.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    put(&mut c, "headquarters", Some(hq));
    // ISO 3166-1 alpha-2, as the lead holds it: leadline has no country-name table to translate.
    put(&mut c, "country", lead.company.hq_country.as_deref());
    let tech = support::list(lead, "technologies");
    if !tech.is_empty() {
        c.insert("technologies".into(), tech.into());
    }

    let mut signals = Map::new();
    let hiring = support::list(lead, "hiring_for");
    if !hiring.is_empty() {
        let mut departments: Vec<&str> = hiring
            .iter()
            .filter_map(|r| support::department(r))
            .collect();
        departments.sort_unstable();
        departments.dedup();
        let mut h = Map::new();
        h.insert("isHiring".into(), true.into());
        h.insert("openRoles".into(), hiring.len().into());
        h.insert("roles".into(), hiring.into());
        if !departments.is_empty() {
            h.insert("departments".into(), departments.into());
        }
        signals.insert("hiringSignals".into(), Value::Object(h));
    }
    if let Some(date) = support::field(lead, "funded_at") {
        let mut f = Map::new();
        put(&mut f, "date", Some(date));
        put(&mut f, "round", stage);
        // The amount stays text ("€12M"): Magnetite's `amount` is a plain number in an unknown
        // currency, and guessing one would be worse than leaving it out.
        put(&mut f, "amountText", support::field(lead, "funding_amount"));
        signals.insert("recentFunding".into(), Value::Object(f));
    }
    if !signals.is_empty() {
        c.insert("signals".into(), Value::Object(signals));
    }
    c
}

/// Magnetite's `contact` object: only what the title states. The person's city is unknown
/// (the company's HQ is not where the person lives), so no location is sent.
fn contact(lead: &Lead) -> Map<String, Value> {
    let mut c = Map::new();
    if let Some(title) = lead.person.as_ref().and_then(|p| p.title.as_deref()) {
        put(&mut c, "seniority", support::seniority(title));
        put(&mut c, "department", support::department(title));
    }
    c
}

/// Every sourced field with its value and the URLs behind it, so Magnetite's research (and the
/// user reading it) can check where each fact came from.
fn facts(lead: &Lead) -> Vec<Value> {
    let mut paths: Vec<&str> = lead
        .sources
        .iter()
        .flat_map(|s| s.fields.iter().map(|f| f.as_str()))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|path| {
            let value = lead.field_text(path).filter(|v| !v.is_empty())?;
            let mut urls: Vec<&str> = lead
                .sources_for(path)
                .filter_map(|s| s.url.as_deref())
                .collect();
            urls.dedup();
            let mut fact = Map::new();
            fact.insert("field".into(), path.into());
            fact.insert("value".into(), value.into());
            if !urls.is_empty() {
                fact.insert("sources".into(), urls.into());
            }
            Some(Value::Object(fact))
        })
        .collect()
}

#[async_trait]
impl PushTarget for Magnetite {
    fn provider(&self) -> PushProvider {
        PushProvider::Magnetite
    }

    fn plan(&self, ctx: &PushContext<'_>, leads: &[Lead]) -> Result<Planned, Error> {
        support::contacts_only("Magnetite", ctx.mode)?;
        support::check_mapping(ctx.mapping)?;
        let campaign = support::list_or(ctx.list_id, &self.campaign_id).ok_or_else(|| {
            super::not_configured(
                "Magnetite",
                SECTION,
                &["campaign_id"],
                " (or pass the campaign with --list-id)",
            )
        })?;
        let url = format!(
            "{}/api/campaigns/{}/leads",
            self.base_url,
            support::url_segment(&campaign)
        );
        let mut planned = Planned {
            list_id: Some(campaign),
            ..Planned::default()
        };
        for lead in leads {
            let item = ItemKey::contact(lead);
            match self.body(ctx, lead) {
                Ok(body) => planned.units.push(Unit {
                    request: PlannedRequest {
                        method: "POST".into(),
                        url: url.clone(),
                        items: vec![item.0.clone()],
                        body,
                    },
                    items: vec![item],
                }),
                Err((code, message)) => planned.skipped.push((item, code, message)),
            }
        }
        Ok(planned)
    }

    async fn send(&self, unit: &Unit) -> UnitResult {
        self.endpoint
            .send(unit, |resp| {
                // {"success": true, "prospectId": "…", "status": "queued", …}
                let v = resp.json()?;
                if v.get("success").and_then(Value::as_bool) != Some(true) {
                    return None;
                }
                let id = v
                    .get("prospectId")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                Some(UnitResult::all(
                    unit,
                    ItemOutcome::Created { external_id: id },
                ))
            })
            .await
    }
}
