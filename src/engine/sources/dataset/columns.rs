//! Header names → lead fields, by common aliases. Unrecognised columns are kept as
//! `fields.<column>` so nothing the file says is lost.

use serde::Serialize;

/// What one column of the file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "key")]
pub enum Column {
    CompanyName,
    Domain,
    FirstName,
    LastName,
    FullName,
    Title,
    Email,
    PersonLinkedin,
    CompanyLinkedin,
    City,
    Country,
    UsState,
    Industry,
    Employees,
    FundingStage,
    Technologies,
    Description,
    /// Kept as `fields.<key>`.
    Extra(String),
}

impl Column {
    /// The dotted lead path a column fills (what the printed mapping shows).
    pub fn path(&self) -> String {
        match self {
            Column::CompanyName => "company.name".into(),
            Column::Domain => "company.domain".into(),
            Column::FirstName => "person.full_name (first)".into(),
            Column::LastName => "person.full_name (last)".into(),
            Column::FullName => "person.full_name".into(),
            Column::Title => "person.title".into(),
            Column::Email => "person.email".into(),
            Column::PersonLinkedin => "person.linkedin".into(),
            Column::CompanyLinkedin => "company.linkedin".into(),
            Column::City => "company.hq_city".into(),
            Column::Country => "company.hq_country".into(),
            Column::UsState => "fields.us_state".into(),
            Column::Industry => "fields.industry".into(),
            Column::Employees => "fields.employees".into(),
            Column::FundingStage => "fields.funding_stage".into(),
            Column::Technologies => "fields.technologies".into(),
            Column::Description => "fields.description".into(),
            Column::Extra(k) => format!("fields.{k}"),
        }
    }
}

/// `"Company Name "` → `company_name`.
pub fn slug(header: &str) -> String {
    let s: String = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    s.split('_')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Column slugs and the field they name.
type Alias = (&'static [&'static str], fn() -> Column);

const ALIASES: &[Alias] = &[
    (
        &[
            "company",
            "company_name",
            "companyname",
            "organization",
            "organisation",
            "organization_name",
            "account",
            "account_name",
            "employer",
            "business_name",
        ],
        || Column::CompanyName,
    ),
    (
        &[
            "website",
            "url",
            "domain",
            "company_domain",
            "company_website",
            "company_url",
            "homepage",
            "web",
            "site",
        ],
        || Column::Domain,
    ),
    (&["first_name", "firstname", "first", "given_name"], || {
        Column::FirstName
    }),
    (
        &["last_name", "lastname", "last", "surname", "family_name"],
        || Column::LastName,
    ),
    (
        &[
            "full_name",
            "fullname",
            "contact",
            "contact_name",
            "person",
            "person_name",
        ],
        || Column::FullName,
    ),
    (
        &[
            "title",
            "job_title",
            "jobtitle",
            "position",
            "role",
            "designation",
        ],
        || Column::Title,
    ),
    (
        &[
            "email",
            "email_address",
            "e_mail",
            "work_email",
            "business_email",
            "mail",
        ],
        || Column::Email,
    ),
    (
        &[
            "linkedin",
            "linkedin_url",
            "person_linkedin",
            "linkedin_profile",
            "contact_linkedin",
        ],
        || Column::PersonLinkedin,
    ),
    (
        &[
            "company_linkedin",
            "company_linkedin_url",
            "organization_linkedin",
        ],
        || Column::CompanyLinkedin,
    ),
    (
        &[
            "city",
            "hq_city",
            "headquarters_city",
            "company_city",
            "town",
        ],
        || Column::City,
    ),
    (
        &[
            "country",
            "hq_country",
            "country_code",
            "headquarters_country",
            "company_country",
        ],
        || Column::Country,
    ),
    (&["state", "us_state", "hq_state", "province"], || {
        Column::UsState
    }),
    (&["industry", "industries", "sector", "vertical"], || {
        Column::Industry
    }),
    (
        &[
            "employees",
            "headcount",
            "employee_count",
            "num_employees",
            "number_of_employees",
            "company_size",
            "size",
            "staff_count",
        ],
        || Column::Employees,
    ),
    (
        &[
            "funding_stage",
            "stage",
            "funding",
            "last_funding_stage",
            "funding_round",
            "last_round",
            "round",
        ],
        || Column::FundingStage,
    ),
    (
        &[
            "technologies",
            "technology",
            "tech",
            "tech_stack",
            "stack",
            "tools",
        ],
        || Column::Technologies,
    ),
    (
        &["description", "about", "summary", "company_description"],
        || Column::Description,
    ),
];

/// Maps every header. A bare `name` is a person's name when the file has other person columns,
/// else the company's (a list of companies usually calls its first column "Name").
pub fn map_headers(headers: &[String]) -> Vec<Column> {
    let slugs: Vec<String> = headers.iter().map(|h| slug(h)).collect();
    let mut mapped: Vec<Column> = slugs
        .iter()
        .map(|s| {
            ALIASES
                .iter()
                .find(|(names, _)| names.contains(&s.as_str()))
                .map(|(_, make)| make())
                .unwrap_or_else(|| Column::Extra(s.clone()))
        })
        .collect();
    let has = |c: &Column, m: &[Column]| m.contains(c);
    let personish = [
        Column::FirstName,
        Column::LastName,
        Column::Email,
        Column::Title,
    ]
    .iter()
    .any(|c| has(c, &mapped));
    let has_company = has(&Column::CompanyName, &mapped);
    for (i, s) in slugs.iter().enumerate() {
        if s == "name" {
            mapped[i] = if personish && has_company {
                Column::FullName
            } else if personish || has_company {
                // `name` beside a company column is the person; beside person columns but no
                // company column it is ambiguous, so the person reading is kept (safer to lose a
                // company name than to put a person's name on a company).
                Column::FullName
            } else {
                Column::CompanyName
            };
        }
    }
    // A column mapped twice keeps the first; later duplicates stay as extras.
    let mut seen: Vec<Column> = Vec::new();
    for (i, c) in mapped.iter_mut().enumerate() {
        if !matches!(c, Column::Extra(_)) {
            if seen.contains(c) {
                *c = Column::Extra(slugs[i].clone());
            } else {
                seen.push(c.clone());
            }
        }
    }
    mapped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_map_and_unknown_columns_are_kept() {
        let h: Vec<String> = [
            "\u{feff}Company Name",
            "Website",
            "First Name",
            "Job Title",
            "Notes",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            map_headers(&h),
            vec![
                Column::CompanyName,
                Column::Domain,
                Column::FirstName,
                Column::Title,
                Column::Extra("notes".into())
            ]
        );
        let companies: Vec<String> = vec!["Name".into(), "Domain".into()];
        assert_eq!(map_headers(&companies)[0], Column::CompanyName);
        let people: Vec<String> = vec!["Name".into(), "Company".into(), "Email".into()];
        assert_eq!(map_headers(&people)[0], Column::FullName);
    }
}
