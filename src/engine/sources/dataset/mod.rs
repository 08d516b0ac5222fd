//! Imported datasets: CSV or JSON files of companies and/or people, normalised into rows the live
//! runner can filter with an ICP. Every value a lead takes from a row is sourced to that row
//! (`dataset://<name>#row=<n>`, `n` the record number: the first data row is 1, in CSV and JSON
//! alike, however many lines a quoted cell spans).

pub mod columns;
pub mod decode;
pub mod normalise;
pub mod query;
pub mod roles;
pub mod stream;

use std::collections::HashSet;

use serde::Serialize;
use serde_json::{Map, Value};

use columns::Column;
use decode::RawTable;

/// One row, normalised. `None` means the file did not say.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Record {
    /// The 1-based record number (CSV data row or JSON item), header excluded.
    pub line: u64,
    pub company_name: Option<String>,
    pub domain: Option<String>,
    pub full_name: Option<String>,
    pub title: Option<String>,
    pub email: Option<String>,
    pub person_linkedin: Option<String>,
    pub company_linkedin: Option<String>,
    pub city: Option<String>,
    /// ISO alpha-2 when recognised (raw names that are not stay in `extra.country`).
    pub country: Option<String>,
    pub us_state: Option<String>,
    pub industry: Option<String>,
    /// The first industry slug the cell states.
    pub industry_slug: Option<String>,
    /// Every industry slug a multi-valued cell states ("AI, SaaS"), in cell order.
    #[serde(default)]
    pub industry_slugs: Vec<String>,
    pub employees: Option<String>,
    pub employees_min: Option<u32>,
    pub employees_max: Option<u32>,
    pub funding_stage: Option<String>,
    pub funding_slug: Option<String>,
    pub technologies: Vec<String>,
    pub description: Option<String>,
    pub extra: Map<String, Value>,
}

impl Record {
    /// Companies are one per domain; without a domain, one per folded name.
    pub fn company_key(&self) -> Option<String> {
        match (&self.domain, &self.company_name) {
            (Some(d), _) => Some(d.clone()),
            (None, Some(n)) => Some(format!("name:{}", normalise::fold(n))),
            (None, None) => None,
        }
    }
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

/// What `leadline import` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    pub name: String,
    pub file_name: String,
    /// Column header → lead path.
    pub mapping: Vec<(String, String)>,
    pub delimiter: Option<char>,
    pub rows_read: u64,
    pub imported: u64,
    pub duplicates: u64,
    pub bad_rows: Vec<BadRow>,
    /// True when an earlier dataset of the same name was replaced.
    pub replaced: bool,
    /// The known export the headers were recognised as ("Apollo", "HubSpot contacts"…).
    pub export: Option<String>,
    /// An earlier dataset with exactly these rows under another name (the same export saved as
    /// CSV and as JSON), replaced so the file counts as one source.
    pub same_rows_as: Option<String>,
}

fn clean(s: &str) -> Option<String> {
    // Control characters (other than the newlines a quoted cell may hold) never belong in a fact.
    let t: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Normalises a parsed table: (rows to import, bad rows, duplicates collapsed).
pub fn records(table: &RawTable, columns: &[Column]) -> (Vec<Record>, Vec<BadRow>, u64) {
    let mut bad: Vec<BadRow> = table
        .broken
        .iter()
        .map(|(line, reason)| BadRow {
            line: *line,
            reason: reason.clone(),
        })
        .collect();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut duplicates = 0;
    for row in &table.rows {
        match record(row.line, &row.cells, columns) {
            Ok(r) => {
                let mut key = r.clone();
                key.line = 0;
                if seen.insert(serde_json::to_string(&key).unwrap_or_default()) {
                    out.push(r);
                } else {
                    duplicates += 1;
                }
            }
            Err(reason) => bad.push(BadRow {
                line: row.line,
                reason,
            }),
        }
    }
    bad.sort_by_key(|b| b.line);
    (out, bad, duplicates)
}

pub(crate) fn record(line: u64, cells: &[String], columns: &[Column]) -> Result<Record, String> {
    let mut r = Record {
        line,
        ..Record::default()
    };
    let (mut first, mut last) = (None, None);
    for (col, cell) in columns.iter().zip(cells) {
        let Some(v) = clean(cell) else { continue };
        match col {
            Column::CompanyName => r.company_name = Some(v),
            Column::Domain => match normalise::domain(&v) {
                // A LinkedIn company page in a "company URL" column (Sales Navigator's
                // regularCompanyUrl) is the company's LinkedIn, not its domain.
                Some(d) if normalise::is_linkedin(&d) => {
                    r.company_linkedin.get_or_insert(v);
                }
                Some(d) => r.domain = Some(d),
                None => return Err(format!("'{v}' is not a domain")),
            },
            Column::FirstName => first = Some(v),
            Column::LastName => last = Some(v),
            Column::FullName => r.full_name = Some(v),
            Column::Title => r.title = Some(v),
            Column::Email => {
                r.email = Some(
                    normalise::email(&v).ok_or_else(|| format!("'{v}' is not an email address"))?,
                )
            }
            Column::PersonLinkedin => r.person_linkedin = Some(v),
            Column::CompanyLinkedin => r.company_linkedin = Some(v),
            Column::City => r.city = Some(v),
            Column::Country => match normalise::country(&v) {
                Some(iso) => r.country = Some(iso.to_string()),
                None => {
                    r.extra.insert("country".into(), Value::String(v));
                }
            },
            Column::UsState => match normalise::us_state(&v) {
                Some(code) => r.us_state = Some(code.to_string()),
                None => {
                    r.extra.insert("state".into(), Value::String(v));
                }
            },
            Column::Industry => {
                r.industry_slugs = normalise::industries(&v)
                    .into_iter()
                    .filter_map(|(_, slug)| slug.map(str::to_string))
                    .collect();
                r.industry_slug = r.industry_slugs.first().cloned();
                r.industry = Some(v);
            }
            Column::CompanyLocation => {
                let (city, state, country) = normalise::location(&v);
                if let (Some(c), None) = (city, &r.city) {
                    r.city = Some(c);
                }
                if let (Some(st), None) = (state, &r.us_state) {
                    r.us_state = Some(st.to_string());
                }
                match (country, &r.country) {
                    (Some(iso), None) => r.country = Some(iso.to_string()),
                    (None, None) => {
                        r.extra.insert("hq_location".into(), Value::String(v));
                    }
                    _ => {}
                }
            }
            Column::Ignore => {}
            Column::Employees => {
                if let Some((min, max)) = normalise::headcount(&v) {
                    r.employees_min = Some(min);
                    r.employees_max = max;
                }
                r.employees = Some(v);
            }
            Column::FundingStage => {
                r.funding_slug = normalise::funding_stage(&v).map(str::to_string);
                r.funding_stage = Some(v);
            }
            Column::Technologies => r.technologies = normalise::technologies(&v),
            Column::Description => r.description = Some(v),
            Column::Extra(k) => {
                r.extra.insert(k.clone(), Value::String(v));
            }
        }
    }
    if r.full_name.is_none() {
        r.full_name = match (first, last) {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            (Some(n), None) | (None, Some(n)) => Some(n),
            (None, None) => None,
        };
    }
    if r.company_key().is_none() {
        // A lead is about a company; a row that names none (an email alone could be a personal
        // address) cannot be placed, and guessing the company from it is not grounding.
        return Err("no company name or domain".into());
    }
    Ok(r)
}
