//! Dataset rows → grounded companies and people for a live job: rows grouped by company
//! (domain, else name), every value a fact sourced to its row, the merged company checked
//! strictly against the ICP (a filter the facts cannot prove excludes the company).

use std::collections::HashMap;

use serde_json::{Value, json};

use super::Record;
use super::normalise::{self, fold};
use super::roles::title_matches;
use crate::engine::sources::LeadDraft;
use crate::engine::sources::grounding::{self, Fact, Merged, Origin, Strength};
use crate::engine::store::datasets::{SourcedRecord, wanted_countries};
use crate::model::{Company, Icp, Person, SourceKind, Timestamp};

/// One company with every fact the datasets hold about it and its people.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyFacts {
    pub key: String,
    pub facts: Vec<Fact>,
    /// Each person's own facts (name, title, email, linkedin), deduplicated by email, then name.
    pub people: Vec<Vec<Fact>>,
}

pub const COMPANY_PATHS: &[&str] = &[
    "company.name",
    "company.domain",
    "company.linkedin",
    "company.hq_city",
    "company.hq_country",
];
pub const PERSON_PATHS: &[&str] = &[
    "person.full_name",
    "person.title",
    "person.email",
    "person.linkedin",
];

fn origin(r: &SourcedRecord) -> Origin {
    Origin {
        kind: SourceKind::Dataset,
        url: Some(r.url()),
        name: Some(r.file_name.clone()),
        retrieved_at: Timestamp::from_millis(r.imported_at),
        strength: Strength::Dataset,
    }
}

fn push(out: &mut Vec<Fact>, path: &str, value: Option<Value>, o: &Origin) {
    if let Some(value) = value {
        out.push(Fact {
            path: path.to_string(),
            value,
            origin: o.clone(),
        });
    }
}

fn s(v: &Option<String>) -> Option<Value> {
    v.as_ref().map(|s| Value::String(s.clone()))
}

/// The industry as the source states it: its slug when the cell is one known industry, its raw
/// text when it is none, and for a multi-valued cell a list of each item's slug (or raw text).
fn industry_value(x: &Record) -> Option<Value> {
    let raw = x.industry.as_deref()?;
    let items = normalise::industries(raw);
    match items.as_slice() {
        [] => None,
        [(text, slug)] => Some(Value::String(
            slug.map_or_else(|| text.clone(), str::to_string),
        )),
        many => Some(Value::Array(
            many.iter()
                .map(|(text, slug)| json!(slug.map_or_else(|| text.clone(), str::to_string)))
                .collect(),
        )),
    }
}

fn company_facts(r: &SourcedRecord, out: &mut Vec<Fact>) {
    let o = origin(r);
    let x = &r.record;
    // A row without a company name is known by its domain: the name is that same fact.
    push(
        out,
        "company.name",
        s(&x.company_name).or_else(|| s(&x.domain)),
        &o,
    );
    push(out, "company.domain", s(&x.domain), &o);
    push(out, "company.linkedin", s(&x.company_linkedin), &o);
    push(out, "company.hq_city", s(&x.city), &o);
    push(out, "company.hq_country", s(&x.country), &o);
    push(out, "fields.us_state", s(&x.us_state), &o);
    push(out, "fields.industry", industry_value(x), &o);
    let employees = match (x.employees_min, x.employees_max) {
        (Some(a), Some(b)) if a == b => Some(json!(a)),
        _ => s(&x.employees),
    };
    push(out, "fields.employees", employees, &o);
    push(
        out,
        "fields.funding_stage",
        s(&x.funding_slug).or_else(|| s(&x.funding_stage)),
        &o,
    );
    for t in &x.technologies {
        push(out, "fields.technologies", Some(json!(t)), &o);
    }
    push(out, "fields.description", s(&x.description), &o);
    if x.full_name.is_none() {
        for (k, v) in &x.extra {
            push(out, &format!("fields.{k}"), Some(v.clone()), &o);
        }
    }
}

fn person_facts(r: &SourcedRecord) -> Vec<Fact> {
    let o = origin(r);
    let x = &r.record;
    let mut out = Vec::new();
    push(&mut out, "person.full_name", s(&x.full_name), &o);
    push(&mut out, "person.title", s(&x.title), &o);
    push(&mut out, "person.email", s(&x.email), &o);
    push(&mut out, "person.linkedin", s(&x.person_linkedin), &o);
    for (k, v) in &x.extra {
        push(&mut out, &format!("fields.{k}"), Some(v.clone()), &o);
    }
    out
}

/// The lead one row states by itself (a row of a file opened as a job): its company, its
/// person if it names one, every value sourced to that row.
pub fn row_draft(r: &SourcedRecord) -> LeadDraft {
    let mut company = Vec::new();
    company_facts(r, &mut company);
    let person = r.record.full_name.is_some().then(|| person_facts(r));
    draft(&company, person.as_deref(), &[])
}

/// Groups rows (in import order) into companies.
pub fn companies(rows: &[SourcedRecord]) -> Vec<CompanyFacts> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<CompanyFacts> = Vec::new();
    // Per company: person key → index in `people`.
    let mut people_index: Vec<HashMap<String, usize>> = Vec::new();
    // Companies are deduplicated by domain: a row naming a company without its domain joins
    // the company another row pairs that name with a domain.
    let mut domain_of: HashMap<String, String> = HashMap::new();
    for r in rows {
        if let (Some(n), Some(d)) = (&r.record.company_name, &r.record.domain) {
            domain_of.entry(fold(n)).or_insert_with(|| d.clone());
        }
    }
    for r in rows {
        let Some(key) = r.record.company_key() else {
            continue;
        };
        let key = match (&r.record.domain, &r.record.company_name) {
            (None, Some(n)) => domain_of.get(&fold(n)).cloned().unwrap_or(key),
            _ => key,
        };
        let ci = *index.entry(key.clone()).or_insert_with(|| {
            out.push(CompanyFacts {
                key,
                facts: Vec::new(),
                people: Vec::new(),
            });
            people_index.push(HashMap::new());
            out.len() - 1
        });
        company_facts(r, &mut out[ci].facts);
        if let Some(name) = &r.record.full_name {
            let pkeys = [
                r.record.email.clone().map(|e| format!("email:{e}")),
                Some(format!("name:{}", fold(name))),
            ];
            let found = pkeys
                .iter()
                .flatten()
                .find_map(|k| people_index[ci].get(k).copied());
            let pi = match found {
                Some(pi) => pi,
                None => {
                    out[ci].people.push(Vec::new());
                    out[ci].people.len() - 1
                }
            };
            for k in pkeys.into_iter().flatten() {
                people_index[ci].entry(k).or_insert(pi);
            }
            let facts = person_facts(r);
            out[ci].people[pi].extend(facts);
        }
    }
    out
}

/// Whether the merged company's facts prove every ICP filter the datasets can speak to.
pub fn matches(icp: &Icp, m: &Merged) -> bool {
    // A multi-valued field (industries) matches when any of its items does.
    let values = |p: &str| -> Vec<String> {
        match m.fields.get(p).map(|c| &c.value) {
            Some(Value::Array(items)) => {
                items.iter().filter_map(|v| v.as_str().map(fold)).collect()
            }
            _ => m.text(p).map(|t| fold(&t)).into_iter().collect(),
        }
    };
    let one_of = |p: &str, wanted: &[String]| {
        wanted.is_empty()
            || values(p)
                .iter()
                .any(|v| wanted.iter().any(|w| fold(w) == *v))
    };
    if !one_of("fields.industry", &icp.industries)
        || !one_of("company.hq_country", &wanted_countries(icp))
        || !one_of("company.hq_city", &icp.cities)
        || !one_of("fields.us_state", &icp.us_states)
        || !one_of("fields.funding_stage", &icp.funding_stages)
    {
        return false;
    }
    if !icp.employees.is_open() {
        let Some((lo, hi)) = m
            .text("fields.employees")
            .and_then(|t| normalise::headcount(&t))
        else {
            return false;
        };
        let lo_ok = icp.employees.min.is_none_or(|min| lo >= min);
        let hi_ok = match (icp.employees.max, hi) {
            (None, _) => true,
            (Some(max), Some(hi)) => hi <= max,
            (Some(_), None) => false,
        };
        if !lo_ok || !hi_ok {
            return false;
        }
    }
    if !icp.technologies.is_empty() {
        let have: Vec<String> = match m.fields.get("fields.technologies").map(|c| &c.value) {
            Some(Value::Array(items)) => {
                items.iter().filter_map(|v| v.as_str().map(fold)).collect()
            }
            _ => Vec::new(),
        };
        if !icp.technologies.iter().any(|t| have.contains(&fold(t))) {
            return false;
        }
    }
    true
}

/// The lead for a company (and a person), from its merged facts: only sourced fields appear.
pub fn draft(company: &[Fact], person: Option<&[Fact]>, extra: &[Fact]) -> LeadDraft {
    let mut facts: Vec<Fact> = company.to_vec();
    if let Some(p) = person {
        facts.extend_from_slice(p);
    }
    facts.extend_from_slice(extra);
    let m = grounding::merge(&facts);
    let mut paths: Vec<&str> = COMPANY_PATHS.to_vec();
    if person.is_some() {
        paths.extend_from_slice(PERSON_PATHS);
    }
    let field_paths: Vec<&str> = m
        .fields
        .keys()
        .map(String::as_str)
        .filter(|p| p.starts_with("fields."))
        .collect();
    paths.extend(field_paths.iter().copied());
    let company = Company {
        name: m.text("company.name").unwrap_or_default(),
        domain: m.text("company.domain"),
        linkedin: m.text("company.linkedin"),
        hq_city: m.text("company.hq_city"),
        hq_country: m.text("company.hq_country"),
    };
    let person = person.and_then(|_| {
        Some(Person {
            full_name: m.text("person.full_name")?,
            title: m.text("person.title"),
            email: m.text("person.email"),
            linkedin: m.text("person.linkedin"),
        })
    });
    let mut fields = serde_json::Map::new();
    for p in &field_paths {
        if let Some(c) = m.fields.get(*p) {
            fields.insert(p.trim_start_matches("fields.").to_string(), c.value.clone());
        }
    }
    LeadDraft {
        confidence: m.confidence(&paths),
        sources: m.sources(&paths),
        company,
        person,
        fields,
    }
}

/// The people at a company whose merged title matches `role`.
pub fn people_for_role<'a>(c: &'a CompanyFacts, role: &str) -> Vec<&'a [Fact]> {
    c.people
        .iter()
        .filter(|p| {
            grounding::merge(p)
                .text("person.title")
                .is_some_and(|t| title_matches(&t, role))
        })
        .map(Vec::as_slice)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sources::dataset::Record;

    fn row(
        line: u64,
        name: Option<&str>,
        domain: Option<&str>,
        person: Option<(&str, &str)>,
    ) -> SourcedRecord {
        SourcedRecord {
            dataset: "d".into(),
            file_name: "d.csv".into(),
            imported_at: 0,
            record: Record {
                line,
                company_name: name.map(str::to_string),
                domain: domain.map(str::to_string),
                full_name: person.map(|p| p.0.to_string()),
                email: person.map(|p| p.1.to_string()).filter(|e| !e.is_empty()),
                ..Record::default()
            },
        }
    }

    #[test]
    fn companies_by_domain_people_by_email_then_name() {
        let rows = vec![
            row(2, Some("Acme"), Some("acme.io"), None),
            row(3, Some("ACME "), None, Some(("Ana Lopez", "ana@acme.io"))),
            row(
                4,
                Some("Acme Inc"),
                Some("acme.io"),
                Some(("Ana López", "ana@acme.io")),
            ),
            row(5, Some("Acme"), Some("acme.io"), Some(("Bo Li", ""))),
            row(6, Some("Acme"), Some("acme.io"), Some(("bo  li", ""))),
            row(7, Some("Other"), None, None),
        ];
        let c = companies(&rows);
        let keys: Vec<&str> = c.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, vec!["acme.io", "name:other"]);
        // Ana (same email, two spellings) is one person; Bo (same name, no email) is one.
        assert_eq!(c[0].people.len(), 2);
        let m = grounding::merge(&c[0].facts);
        // "Acme" (rows 2, 3, 5, 6) beats "Acme Inc" (row 4) and keeps only its own rows.
        assert_eq!(m.text("company.name").as_deref(), Some("Acme"));
        assert!(m.fields["company.name"].conflicted);
    }
}
