//! HubSpot CRM v3, pushed the way real portals accept it (docs/integrations.md, "HubSpot").
//!
//! One unit is a chunk of at most [`BATCH`] leads and runs up to four requests, in order:
//! 1. `POST /crm/v3/objects/companies/search` for the unit's company domains (`IN` filter). A
//!    portal's `domain` is not a unique property, so upserting by it is refused ("Unable to
//!    perform update/upsert by non-unique … property domain"); companies are found first.
//! 2. Companies found go to `POST …/companies/batch/update` by id; the rest to
//!    `POST …/companies/batch/create`. (A dry run shows all of them in the create request.)
//! 3. Contacts go to `POST …/contacts/batch/upsert` keyed by `email`, which HubSpot keeps unique.
//! 4. Each contact whose company is known is linked with
//!    `POST /crm/v4/associations/contacts/companies/batch/associate/default`. In a dry run its
//!    `from`/`to` ids show the contact's email and the company's domain: HubSpot's ids are only
//!    known once the records exist.
//!
//! With `company_match = "upsert"` under `[integrations.hubspot]` (for portals that made
//! `domain` unique), steps 1 and 2 are one `POST …/companies/batch/upsert` with
//! `idProperty=domain`; a portal that refuses it stops the push with what to change.
//!
//! Every write input carries `objectWriteTraceId` (the item key). Results are matched to inputs
//! by it or by the id property they echo, never by position: HubSpot does not keep order. One
//! invalid value (HubSpot answers 400 `VALIDATION_ERROR`, e.g. `INVALID_EMAIL`, for the whole
//! batch) splits the batch in halves until the bad record is alone; the good ones are stored and
//! the bad one reported. A 207 fails only the inputs its `errors[]` name, and only those are sent
//! again by the next push.
//!
//! Only HubSpot's default properties are written: an unknown property fails the whole batch, and
//! enumerations such as `industry` reject free text, so those are left out.

mod send;
mod wire;

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use serde_json::{Map, Value, json};
use tokio::sync::Mutex;

use super::support::{self, Service, put};
use super::{ItemKey, Planned, PushContext, PushTarget, Secrets, Unit, UnitResult};
use crate::config::{CompanyMatch, HubSpotConfig};
use crate::model::push::{PlannedRequest, PushProvider};
use crate::model::{Error, Lead};

pub const DEFAULT_BASE_URL: &str = "https://api.hubapi.com";
pub const DEFAULT_KEY_ENV: &str = "HUBSPOT_TOKEN";
const SECTION: &str = "integrations.hubspot";
/// HubSpot's limit on inputs per batch request (and on `IN` values in one search filter).
pub const BATCH: usize = 100;

pub struct HubSpot {
    base_url: String,
    endpoint: support::Endpoint,
    /// Company ids by lowercased domain, as found or created during this push. Held across the
    /// company step of a unit so two units never both create one company (the search index lags
    /// behind writes, so a second search would not see the first unit's company).
    companies: Mutex<HashMap<String, String>>,
    company_match: CompanyMatch,
}

impl HubSpot {
    pub fn from_config(config: &HubSpotConfig, secrets: &Secrets) -> Result<Self, Error> {
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
            companies: Mutex::new(HashMap::new()),
            company_match: config.company_match,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// One unit's requests (module comment), for a chunk of at most [`BATCH`] leads.
    fn unit(&self, rows: &[Row]) -> Unit {
        let mut domains = Vec::new();
        let mut seen = HashSet::new();
        for d in rows.iter().filter_map(|r| r.domain.as_ref()) {
            if seen.insert(d.clone()) {
                domains.push(d.clone());
            }
        }
        let companies: Vec<&(ItemKey, Value)> =
            rows.iter().filter_map(|r| r.company.as_ref()).collect();
        let contacts: Vec<&(ItemKey, Value)> =
            rows.iter().filter_map(|r| r.contact.as_ref()).collect();
        // `from` is the contact's email (its id once upserted) or its stored HubSpot id.
        let links: Vec<(ItemKey, Value)> = rows
            .iter()
            .filter_map(|r| {
                let domain = r.domain.as_ref()?;
                let (item, from) = match (&r.contact, &r.stored_contact) {
                    (Some((item, input)), _) => (item.clone(), input["id"].clone()),
                    (None, Some(id)) => (ItemKey(String::new()), json!(id)),
                    (None, None) => return None,
                };
                Some((item, json!({"from": {"id": from}, "to": {"id": domain}})))
            })
            .collect();
        let items: Vec<ItemKey> = companies
            .iter()
            .chain(&contacts)
            .map(|(i, _)| i.clone())
            .collect();
        let request = |path: &str, items: Vec<&ItemKey>, body: Value| PlannedRequest {
            method: "POST".into(),
            url: self.url(path),
            items: items.into_iter().map(|i| i.0.clone()).collect(),
            body,
        };
        let inputs = |list: &[&(ItemKey, Value)]| json!({"inputs": list.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>()});
        let mut requests = Vec::new();
        let upsert = self.company_match == CompanyMatch::Upsert;
        if !domains.is_empty() && !upsert {
            requests.push(request(
                wire::SEARCH,
                items.iter().collect(),
                wire::search_body(&domains, None),
            ));
        }
        if !companies.is_empty() && upsert {
            let keyed: Vec<Value> = companies
                .iter()
                .map(|(_, v)| wire::company_upsert_input(v))
                .collect();
            requests.push(request(
                wire::COMPANY_UPSERT,
                companies.iter().map(|(i, _)| i).collect(),
                json!({ "inputs": keyed }),
            ));
        } else if !companies.is_empty() {
            requests.push(request(
                wire::CREATE,
                companies.iter().map(|(i, _)| i).collect(),
                inputs(&companies),
            ));
        }
        if !contacts.is_empty() {
            requests.push(request(
                wire::UPSERT,
                contacts.iter().map(|(i, _)| i).collect(),
                inputs(&contacts),
            ));
        }
        if !links.is_empty() {
            requests.push(request(
                wire::ASSOCIATE,
                links
                    .iter()
                    .map(|(i, _)| i)
                    .filter(|i| !i.0.is_empty())
                    .collect(),
                json!({"inputs": links.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>()}),
            ));
        }
        let mut requests = requests.into_iter();
        // `rows` is never empty, so there is at least a write.
        let first = requests.next().unwrap_or_else(|| PlannedRequest {
            method: "POST".into(),
            url: self.url(wire::UPSERT),
            items: Vec::new(),
            body: json!({"inputs": []}),
        });
        Unit {
            items,
            request: first,
            also: requests.collect(),
        }
    }
}

/// One lead's share of a unit: its contact input, its company input (only on the first lead of
/// that company), and the domain its contact is linked to.
struct Row {
    contact: Option<(ItemKey, Value)>,
    company: Option<(ItemKey, Value)>,
    domain: Option<String>,
    /// The HubSpot id of this lead's contact, stored by an earlier push, when only its company
    /// goes now.
    stored_contact: Option<String>,
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
        let mut emails = HashSet::new();
        let mut companies = HashSet::new();
        let mut rows = Vec::new();
        for lead in leads {
            let contact = if ctx.mode.includes_contacts() {
                contact_input(ctx, lead, &mut emails, &mut planned)
            } else {
                None
            };
            let company = if ctx.mode.includes_companies() {
                company_input(ctx, lead, &mut companies, &mut planned)
            } else {
                None
            };
            // A contact an earlier push stored whose company goes now (it failed then) is
            // linked to it by the id HubSpot gave the contact, without sending the contact again.
            let stored_contact = if contact.is_none()
                && ctx.mode == crate::model::push::PushMode::Both
                && !ctx.sent.contains_key(&ItemKey::company(lead))
            {
                ctx.sent.get(&ItemKey::contact(lead)).cloned().flatten()
            } else {
                None
            };
            let link_only = stored_contact.is_some() && support::domain(lead).is_some();
            if contact.is_none() && company.is_none() && !link_only {
                continue;
            }
            rows.push(Row {
                domain: support::domain(lead),
                contact,
                company,
                stored_contact,
            });
        }
        for chunk in rows.chunks(BATCH) {
            planned.units.push(self.unit(chunk));
        }
        Ok(planned)
    }

    async fn send(&self, unit: &Unit) -> UnitResult {
        self.run(unit).await
    }
}

/// The contact's upsert input, or why it has none (recorded in `planned.skipped`).
fn contact_input(
    ctx: &PushContext<'_>,
    lead: &Lead,
    emails: &mut HashSet<String>,
    planned: &mut Planned,
) -> Option<(ItemKey, Value)> {
    let item = ItemKey::contact(lead);
    if ctx.sent.contains_key(&item) {
        return None;
    }
    let props = contact_properties(ctx, lead);
    let Some(email) = support::text(&props, "email") else {
        planned.skipped.push((
            item,
            "missing_email".into(),
            "HubSpot contacts are upserted by email and this lead has none. Find it with an enrichment lookup (Modern Leads), or map a field that holds it with --mapping.".into(),
        ));
        return None;
    };
    // Two inputs with one id in a batch make HubSpot reject the batch.
    if !emails.insert(email.to_ascii_lowercase()) {
        planned.skipped.push((
            item,
            "duplicate_email".into(),
            format!("another lead of this job has the email {email}; HubSpot keeps one contact per email."),
        ));
        return None;
    }
    let input = json!({
        "idProperty": "email",
        "id": email,
        "properties": props,
        "objectWriteTraceId": item.0,
    });
    Some((item, input))
}

/// The company's create input (the first time this push meets the company), or why it has none.
fn company_input(
    ctx: &PushContext<'_>,
    lead: &Lead,
    seen: &mut HashSet<ItemKey>,
    planned: &mut Planned,
) -> Option<(ItemKey, Value)> {
    let item = ItemKey::company(lead);
    if !seen.insert(item.clone()) || ctx.sent.contains_key(&item) {
        return None;
    }
    let props = company_properties(ctx, lead);
    if support::text(&props, "domain").is_none() {
        planned.skipped.push((
            item,
            "missing_domain".into(),
            format!(
                "HubSpot companies are matched by domain and {} has none.",
                crate::text::sanitize_inline(&lead.company.name)
            ),
        ));
        return None;
    }
    let input = json!({"properties": props, "objectWriteTraceId": item.0});
    Some((item, input))
}
