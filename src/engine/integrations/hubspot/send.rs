//! Running one HubSpot unit: find the companies, update or create them, upsert the contacts,
//! link each contact to its company (the order and the reasons are in the module comment of
//! `hubspot`).

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::super::support;
use super::super::{ItemKey, ItemOutcome, Unit, UnitResult};
use super::HubSpot;
use super::wire::{self, Input, Matched};
use crate::model::Error;
use crate::model::push::PlannedRequest;

/// What a step ends with: each item's outcome, and the error that stops the push, if any.
#[derive(Default)]
struct Steps {
    outcomes: Vec<(ItemKey, ItemOutcome)>,
    fatal: Option<Error>,
}

impl Steps {
    fn finish(self) -> UnitResult {
        UnitResult {
            outcomes: self.outcomes,
            fatal: self.fatal,
        }
    }
}

/// A unit of `items` with no request of its own: the shared status rules map a failed step's
/// answer onto exactly the items of that step.
fn bare(items: Vec<ItemKey>) -> Unit {
    Unit {
        items,
        request: PlannedRequest {
            method: "POST".into(),
            url: String::new(),
            items: Vec::new(),
            body: Value::Null,
        },
        also: Vec::new(),
    }
}

fn inputs_of(r: &PlannedRequest) -> Vec<Value> {
    r.body
        .get("inputs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn trace(input: &Value) -> ItemKey {
    ItemKey(
        input
            .get("objectWriteTraceId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    )
}

/// What a portal's refusal to upsert companies by domain means, and what to do.
fn non_unique(resp: &crate::engine::integrations::http::HttpResponse) -> Error {
    Error::new(
        crate::model::ErrorCode::Integration,
        format!(
            "HubSpot refused to upsert companies by domain (400: {}): this portal's domain property is not unique. Set company_match = \"search\" under [integrations.hubspot] (the default: find each company by domain, then update it or create it), or make domain a unique property in HubSpot.",
            support::provider_message(resp)
        ),
    )
}

impl HubSpot {
    pub(super) async fn run(&self, unit: &Unit) -> UnitResult {
        let requests: Vec<&PlannedRequest> =
            std::iter::once(&unit.request).chain(&unit.also).collect();
        let find = |path: &str| requests.iter().find(|r| r.url.ends_with(path)).copied();
        let mut steps = Steps::default();
        {
            let mut known = self.companies.lock().await;
            if let Some(search) = find(wire::SEARCH) {
                let wanted: Vec<String> = search
                    .body
                    .pointer("/filterGroups/0/filters/0/values")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter(|d| !known.contains_key(*d))
                    .map(str::to_string)
                    .collect();
                if !wanted.is_empty() {
                    match self.search(&wanted, &unit.items).await {
                        Ok(found) => known.extend(found),
                        Err(failed) => return failed,
                    }
                }
            }
            if let Some(upsert) = find(wire::COMPANY_UPSERT) {
                self.companies_upsert_step(upsert, &mut known, &mut steps)
                    .await;
                if steps.fatal.is_some() {
                    return steps.finish();
                }
            }
            if let Some(create) = find(wire::CREATE) {
                self.companies_step(create, &mut known, &mut steps).await;
                if steps.fatal.is_some() {
                    return steps.finish();
                }
            }
        }
        let mut contacts = HashMap::new();
        if let Some(upsert) = find(wire::UPSERT) {
            self.contacts_step(upsert, &mut contacts, &mut steps).await;
            if steps.fatal.is_some() {
                return steps.finish();
            }
        }
        if let Some(links) = find(wire::ASSOCIATE) {
            self.associate(links, &contacts, &mut steps).await;
        }
        steps.finish()
    }

    /// Upserts the contacts by email; their ids go to `contacts` (by email) for the links.
    async fn contacts_step(
        &self,
        upsert: &PlannedRequest,
        contacts: &mut HashMap<String, (ItemKey, String)>,
        steps: &mut Steps,
    ) {
        let inputs: Vec<Input> = inputs_of(upsert)
            .into_iter()
            .map(|body| Input {
                item: trace(&body),
                key: body
                    .get("id")
                    .and_then(Value::as_str)
                    .map(wire::norm)
                    .unwrap_or_default(),
                body,
            })
            .collect();
        let written = self
            .write(wire::UPSERT, inputs, wire::echo_email, steps)
            .await;
        for (input, result) in written {
            let outcome = wire::upsert_outcome(&result);
            if let Some(id) = wire::id_text(result.get("id")) {
                contacts.insert(input.key.clone(), (input.item.clone(), id));
            }
            steps.outcomes.push((input.item, outcome));
        }
    }

    /// Company ids by domain for `domains`, the oldest record where a domain has several (the
    /// search is sorted by id). A failed search fails every item of the unit.
    async fn search(
        &self,
        domains: &[String],
        items: &[ItemKey],
    ) -> Result<HashMap<String, String>, UnitResult> {
        let ep = &self.endpoint;
        let url = self.url(wire::SEARCH);
        let mut found = HashMap::new();
        let mut after: Option<String> = None;
        for _ in 0..wire::SEARCH_PAGES {
            let body = wire::search_body(domains, after.as_deref());
            let sent = support::post_json(&ep.client, &url, &ep.key, &body, &ep.policy).await;
            let mut page = None;
            let failed = support::answer(&ep.service, &bare(items.to_vec()), sent, |resp| {
                page = wire::search_page(&resp.json()?);
                page.as_ref().map(|_| UnitResult::default())
            });
            let Some(page) = page else {
                return Err(failed);
            };
            for (domain, id) in page.found {
                found.entry(domain).or_insert(id);
            }
            match page.after {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        Ok(found)
    }

    /// Companies the search found are updated by id, the others created; created ones join
    /// `known` so later units link to them instead of creating them again.
    async fn companies_step(
        &self,
        create: &PlannedRequest,
        known: &mut HashMap<String, String>,
        steps: &mut Steps,
    ) {
        let mut updates = Vec::new();
        let mut creates = Vec::new();
        for body in inputs_of(create) {
            let item = trace(&body);
            let domain = wire::echo_domain(&body).unwrap_or_default();
            match known.get(&domain) {
                Some(id) => updates.push(Input {
                    item: item.clone(),
                    key: id.clone(),
                    body: json!({"id": id, "properties": body["properties"], "objectWriteTraceId": item.0}),
                }),
                None => creates.push(Input {
                    item,
                    key: domain,
                    body,
                }),
            }
        }
        for (input, r) in self
            .write(wire::UPDATE, updates, wire::echo_id, steps)
            .await
        {
            let external_id = wire::id_text(r.get("id"));
            steps
                .outcomes
                .push((input.item, ItemOutcome::Updated { external_id }));
        }
        if steps.fatal.is_some() {
            return;
        }
        for (input, r) in self
            .write(wire::CREATE, creates, wire::echo_domain, steps)
            .await
        {
            let external_id = wire::id_text(r.get("id"));
            if let Some(id) = &external_id {
                known.insert(input.key.clone(), id.clone());
            }
            steps
                .outcomes
                .push((input.item, ItemOutcome::Created { external_id }));
        }
    }

    /// `company_match = "upsert"`: the companies upserted by domain in one batch; their ids
    /// join `known` for the links.
    async fn companies_upsert_step(
        &self,
        upsert: &PlannedRequest,
        known: &mut HashMap<String, String>,
        steps: &mut Steps,
    ) {
        let inputs: Vec<Input> = inputs_of(upsert)
            .into_iter()
            .map(|body| Input {
                item: trace(&body),
                key: wire::echo_domain(&body).unwrap_or_default(),
                body,
            })
            .collect();
        let written = self
            .write(wire::COMPANY_UPSERT, inputs, wire::echo_domain, steps)
            .await;
        for (input, result) in written {
            let outcome = wire::upsert_outcome(&result);
            if let Some(id) = wire::id_text(result.get("id")) {
                known.insert(input.key.clone(), id);
            }
            steps.outcomes.push((input.item, outcome));
        }
    }

    /// Sends `inputs` to `path` as one batch; a batch-wide `VALIDATION_ERROR` (one bad value
    /// fails them all) is split in halves until the bad inputs are alone. Returns the accepted
    /// inputs with their results; failures go to `steps`.
    async fn write(
        &self,
        path: &str,
        inputs: Vec<Input>,
        echo: fn(&Value) -> Option<String>,
        steps: &mut Steps,
    ) -> Vec<(Input, Value)> {
        let ep = &self.endpoint;
        let url = self.url(path);
        let mut accepted = Vec::new();
        // A stack, not recursion: at most 2n - 1 requests for n inputs.
        let mut parts = if inputs.is_empty() {
            Vec::new()
        } else {
            vec![inputs]
        };
        while let Some(mut part) = parts.pop() {
            if steps.fatal.is_some() {
                break;
            }
            let body = json!({"inputs": part.iter().map(|i| &i.body).collect::<Vec<_>>()});
            let sent = support::post_json(&ep.client, &url, &ep.key, &body, &ep.policy).await;
            if let Ok(resp) = &sent
                && wire::is_non_unique(resp)
            {
                // No split or retry helps: the portal refuses the whole way of matching.
                steps.fatal.get_or_insert(non_unique(resp));
                break;
            }
            if let Ok(resp) = &sent
                && part.len() > 1
                && wire::is_validation(resp)
            {
                let back = part.split_off(part.len() / 2);
                parts.push(back);
                parts.push(part);
                continue;
            }
            let items: Vec<ItemKey> = part.iter().map(|i| i.item.clone()).collect();
            let mut matched: Option<Matched> = None;
            let failed = support::answer(&ep.service, &bare(items), sent, |resp| {
                matched = wire::match_answer(&part, &resp.json()?, echo);
                matched.as_ref().map(|_| UnitResult::default())
            });
            match matched {
                Some(m) => {
                    accepted.extend(m.ok);
                    steps.outcomes.extend(m.failed);
                }
                None => {
                    steps.outcomes.extend(failed.outcomes);
                    if let Some(e) = failed.fatal {
                        steps.fatal.get_or_insert(e);
                    }
                }
            }
        }
        accepted
    }

    /// Links each upserted contact to its company, if the company is known. A contact whose
    /// link failed is reported failed, so the next push upserts it again (a no-op) and links it.
    async fn associate(
        &self,
        planned: &PlannedRequest,
        contacts: &HashMap<String, (ItemKey, String)>,
        steps: &mut Steps,
    ) {
        let known = self.companies.lock().await.clone();
        let mut links = Vec::new();
        for link in inputs_of(planned) {
            let from = link
                .pointer("/from/id")
                .and_then(Value::as_str)
                .map(wire::norm);
            let domain = link
                .pointer("/to/id")
                .and_then(Value::as_str)
                .map(wire::norm);
            let Some(company) = domain.and_then(|d| known.get(&d)) else {
                continue;
            };
            // An email is a contact upserted just now; anything else is the HubSpot id an
            // earlier push stored (its item is not in this unit, so it has no outcome to change).
            let contact = match from {
                Some(f) if f.contains('@') => contacts.get(&f).cloned(),
                Some(id) => Some((ItemKey(String::new()), id)),
                None => None,
            };
            let Some((item, contact)) = contact else {
                continue;
            };
            links.push((item, contact, company.clone()));
        }
        if links.is_empty() {
            return;
        }
        let ep = &self.endpoint;
        let body = json!({"inputs": links.iter().map(|(_, from, to)| json!({"from": {"id": from}, "to": {"id": to}})).collect::<Vec<_>>()});
        let sent = support::post_json(
            &ep.client,
            &self.url(wire::ASSOCIATE),
            &ep.key,
            &body,
            &ep.policy,
        )
        .await;
        let items: Vec<ItemKey> = links.iter().map(|(i, _, _)| i.clone()).collect();
        let mut linked: Option<HashSet<String>> = None;
        let failed = support::answer(&ep.service, &bare(items), sent, |resp| {
            let answer = resp.json()?;
            let from = answer
                .get("results")?
                .as_array()?
                .iter()
                .filter_map(|r| wire::id_text(r.get("fromObjectId")))
                .collect();
            linked = Some(from);
            Some(UnitResult::default())
        });
        let why: HashMap<ItemKey, ItemOutcome> = failed.outcomes.into_iter().collect();
        for (item, contact, _) in &links {
            if linked.as_ref().is_some_and(|l| l.contains(contact)) {
                continue;
            }
            let reason = match why.get(item) {
                Some(ItemOutcome::Failed { message, .. }) => message.clone(),
                _ => "HubSpot's answer did not confirm the link".into(),
            };
            let outcome = ItemOutcome::failed(
                "association_failed",
                format!("the contact was stored but not linked to its company: {reason}"),
            );
            if let Some(slot) = steps.outcomes.iter_mut().find(|(i, _)| i == item) {
                slot.1 = outcome;
            }
        }
        if let Some(e) = failed.fatal {
            steps.fatal.get_or_insert(e);
        }
    }
}
