//! Header names → lead fields. The aliases are data (assets/import/aliases.toml, compiled in):
//! generic aliases for any file, plus one table per known export (HubSpot, Salesforce, Apollo,
//! Sales Navigator via PhantomBuster, Crunchbase, People Data Labs, Clay, Hunter, ZoomInfo),
//! recognised by signature headers, that says which columns are the person's and which the
//! company's. Unrecognised columns are kept as `fields.<column>` so nothing the file says is lost;
//! a user corrects a mapping with [`Override`]s (`import --map "HEADER=TARGET"`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::model::Error;

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
    /// "City, Region, Country" in one cell: split into the HQ's city and country.
    CompanyLocation,
    UsState,
    Industry,
    Employees,
    FundingStage,
    Technologies,
    Description,
    /// Kept as `fields.<key>`.
    Extra(String),
    /// Dropped (a user's `--map "Notes=ignore"`).
    Ignore,
}

/// Every named target with its column, in the order error messages list them.
const TARGETS: &[(&str, Column)] = &[
    ("company.name", Column::CompanyName),
    ("company.domain", Column::Domain),
    ("company.linkedin", Column::CompanyLinkedin),
    ("company.hq_city", Column::City),
    ("company.hq_country", Column::Country),
    ("company.hq_location", Column::CompanyLocation),
    ("fields.us_state", Column::UsState),
    ("fields.industry", Column::Industry),
    ("fields.employees", Column::Employees),
    ("fields.funding_stage", Column::FundingStage),
    ("fields.technologies", Column::Technologies),
    ("fields.description", Column::Description),
    ("person.first_name", Column::FirstName),
    ("person.last_name", Column::LastName),
    ("person.full_name", Column::FullName),
    ("person.title", Column::Title),
    ("person.email", Column::Email),
    ("person.linkedin", Column::PersonLinkedin),
    ("ignore", Column::Ignore),
];

impl Column {
    /// The dotted lead path a column fills (what the printed mapping shows, and what `--map`
    /// accepts).
    pub fn path(&self) -> String {
        match self {
            Column::Extra(k) => format!("fields.{k}"),
            other => TARGETS
                .iter()
                .find(|(_, c)| c == other)
                .map_or_else(String::new, |(p, _)| (*p).to_string()),
        }
    }

    /// A target name → its column: a listed target, or `fields.<name>` for any other field.
    pub fn from_target(raw: &str) -> Result<Column, Error> {
        let t = raw.trim().to_ascii_lowercase();
        if let Some((_, c)) = TARGETS.iter().find(|(p, _)| *p == t) {
            return Ok(c.clone());
        }
        if let Some(rest) = t.strip_prefix("fields.") {
            let key = slug(rest);
            if !key.is_empty() {
                return Ok(Column::Extra(key));
            }
        }
        Err(Error::invalid(format!(
            "'{}' is not a field to map a column to. Use one of: {}, or fields.<name> for any other field.",
            raw.trim(),
            target_names().join(", ")
        ))
        .with_param("map"))
    }

    fn is_person(&self) -> bool {
        matches!(
            self,
            Column::FirstName | Column::LastName | Column::FullName | Column::Title | Column::Email
        )
    }
}

/// The targets `--map` accepts, for help and error messages.
pub fn target_names() -> Vec<&'static str> {
    TARGETS.iter().map(|(p, _)| *p).collect()
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

/// A user's correction: the column headed `header` holds `column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub header: String,
    pub column: Column,
}

impl Override {
    /// `"Associated Company=company.name"`. The split is at the last `=`, so a header may
    /// contain one.
    pub fn parse(raw: &str) -> Result<Override, Error> {
        let Some((header, target)) = raw.rsplit_once('=') else {
            return Err(Error::invalid(format!(
                "--map '{}' needs the form \"HEADER=TARGET\", e.g. \"Associated Company=company.name\".",
                raw.trim()
            ))
            .with_param("map"));
        };
        if slug(header).is_empty() {
            return Err(Error::invalid(format!(
                "--map '{}' names no column before the '='.",
                raw.trim()
            ))
            .with_param("map"));
        }
        Ok(Override {
            header: header.trim().to_string(),
            column: Column::from_target(target)?,
        })
    }
}

impl std::fmt::Display for Override {
    /// The `--map` form, `HEADER=TARGET`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.header, self.column.path())
    }
}

#[derive(Debug, Deserialize)]
struct AliasFile {
    generic: BTreeMap<String, Vec<String>>,
    export: Vec<ExportFile>,
}

#[derive(Debug, Deserialize)]
struct ExportFile {
    name: String,
    label: String,
    signature: Vec<String>,
    min_signature: usize,
    columns: BTreeMap<String, String>,
}

/// A known export's own column table.
#[derive(Debug)]
pub struct Export {
    pub name: String,
    pub label: String,
    signature: Vec<String>,
    min_signature: usize,
    columns: Vec<(String, Column)>,
}

struct Aliases {
    generic: Vec<(String, Column)>,
    exports: Vec<Export>,
}

/// The bundled table. It ships inside the binary and a unit test loads it, so a bad target here
/// is a build defect: the panic names the entry.
static ALIASES: LazyLock<Aliases> = LazyLock::new(|| {
    let file: AliasFile =
        match toml::from_str(include_str!("../../../../assets/import/aliases.toml")) {
            Ok(f) => f,
            Err(e) => panic!("assets/import/aliases.toml is malformed: {e}"),
        };
    let column = |target: &str, at: &str| match Column::from_target(target) {
        Ok(c) => c,
        Err(e) => panic!("assets/import/aliases.toml, {at}: {}", e.message),
    };
    let mut generic = Vec::new();
    for (target, headers) in &file.generic {
        let c = column(target, "[generic]");
        generic.extend(headers.iter().map(|h| (slug(h), c.clone())));
    }
    let exports = file
        .export
        .into_iter()
        .map(|e| Export {
            columns: e
                .columns
                .iter()
                .map(|(h, t)| (slug(h), column(t, &e.name)))
                .collect(),
            signature: e.signature.iter().map(|s| slug(s)).collect(),
            name: e.name,
            label: e.label,
            min_signature: e.min_signature,
        })
        .collect();
    Aliases { generic, exports }
});

/// The known export these headers come from: the one with most signature headers present, if
/// it has at least its minimum (ties go to the first listed).
pub fn detect(slugs: &[String]) -> Option<&'static Export> {
    let mut best: Option<(&Export, usize)> = None;
    for e in &ALIASES.exports {
        let hits = e.signature.iter().filter(|s| slugs.contains(s)).count();
        if hits >= e.min_signature && best.is_none_or(|(_, b)| hits > b) {
            best = Some((e, hits));
        }
    }
    best.map(|(e, _)| e)
}

/// How a file's headers map: the export recognised (if any) and one column per header.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub export: Option<String>,
    pub columns: Vec<Column>,
}

/// Maps every header with no corrections.
pub fn map_headers(headers: &[String]) -> Vec<Column> {
    // With no overrides the only error (an override naming a missing header) cannot happen.
    map_with(headers, &[]).map_or_else(|_| Vec::new(), |m| m.columns)
}

/// Maps every header: the user's overrides, then the recognised export's table, then the
/// generic aliases. A bare `name`, `linkedin`, `location` or `summary` is the person's when the
/// file has person columns, else the company's.
pub fn map_with(headers: &[String], overrides: &[Override]) -> Result<Mapping, Error> {
    let slugs: Vec<String> = headers.iter().map(|h| slug(h)).collect();
    for o in overrides {
        if !slugs.contains(&slug(&o.header)) {
            return Err(Error::invalid(format!(
                "--map names the column '{}', which the file does not have. Its columns: {}.",
                o.header,
                headers
                    .iter()
                    .map(|h| h.trim_start_matches('\u{feff}').trim())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .with_param("map"));
        }
    }
    let export = detect(&slugs);
    let lookup = |s: &str| -> Option<Column> {
        export
            .and_then(|e| e.columns.iter().find(|(h, _)| h == s))
            .or_else(|| ALIASES.generic.iter().find(|(h, _)| h == s))
            .map(|(_, c)| c.clone())
    };
    let mut mapped: Vec<Option<Column>> = slugs.iter().map(|s| lookup(s)).collect();
    let personish = mapped.iter().flatten().any(Column::is_person);
    for (i, s) in slugs.iter().enumerate() {
        if mapped[i].is_some() {
            continue;
        }
        // Beside person columns these describe the person; in a list of companies, the company.
        mapped[i] = match (s.as_str(), personish) {
            ("name", true) => Some(Column::FullName),
            ("name", false) => Some(Column::CompanyName),
            ("linkedin" | "linkedin_url", true) => Some(Column::PersonLinkedin),
            ("linkedin" | "linkedin_url", false) => Some(Column::CompanyLinkedin),
            ("location", true) => Some(Column::Extra("person_location".into())),
            ("location", false) => Some(Column::CompanyLocation),
            ("summary", true) => Some(Column::Extra("person_summary".into())),
            ("summary", false) => Some(Column::Description),
            _ => None,
        };
    }
    let mut columns: Vec<Column> = mapped
        .into_iter()
        .zip(&slugs)
        .map(|(c, s)| c.unwrap_or_else(|| Column::Extra(s.clone())))
        .collect();
    let mut forced = vec![false; columns.len()];
    for o in overrides {
        let want = slug(&o.header);
        for (i, s) in slugs.iter().enumerate() {
            if *s == want {
                columns[i] = o.column.clone();
                forced[i] = true;
            }
        }
    }
    // A field filled by two columns keeps the user's choice, else the first; the others stay
    // as extras under their own names.
    let mut seen: Vec<Column> = columns
        .iter()
        .zip(&forced)
        .filter(|(c, f)| **f && !matches!(c, Column::Extra(_) | Column::Ignore))
        .map(|(c, _)| c.clone())
        .collect();
    for (i, c) in columns.iter_mut().enumerate() {
        if forced[i] || matches!(c, Column::Extra(_) | Column::Ignore) {
            continue;
        }
        if seen.contains(c) {
            *c = Column::Extra(slugs[i].clone());
        } else {
            seen.push(c.clone());
        }
    }
    Ok(Mapping {
        export: export.map(|e| e.label.clone()),
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_bundled_table_loads_and_every_export_is_recognised_by_its_signature() {
        assert!(ALIASES.exports.len() >= 10);
        for e in &ALIASES.exports {
            assert_eq!(
                detect(&e.signature).map(|d| d.name.as_str()),
                Some(e.name.as_str()),
                "{}'s full signature must pick it",
                e.name
            );
        }
    }

    #[test]
    fn aliases_map_and_unknown_columns_are_kept() {
        let cols = map_headers(&h(&[
            "\u{feff}Company Name",
            "Website",
            "First Name",
            "Job Title",
            "Notes",
        ]));
        assert_eq!(
            cols,
            vec![
                Column::CompanyName,
                Column::Domain,
                Column::FirstName,
                Column::Title,
                Column::Extra("notes".into())
            ]
        );
        assert_eq!(map_headers(&h(&["Name", "Domain"]))[0], Column::CompanyName);
        assert_eq!(
            map_headers(&h(&["Name", "Company", "Email"]))[0],
            Column::FullName
        );
        // A bare LinkedIn column is the company's in a list of companies, the person's otherwise.
        assert_eq!(
            map_headers(&h(&["Name", "LinkedIn"]))[1],
            Column::CompanyLinkedin
        );
        assert_eq!(
            map_headers(&h(&["Email", "LinkedIn"]))[1],
            Column::PersonLinkedin
        );
        // "Stage" alone is not funding.
        assert_eq!(
            map_headers(&h(&["Company", "Stage"]))[1],
            Column::Extra("stage".into())
        );
    }

    #[test]
    fn overrides_win_and_bad_targets_list_the_valid_ones() {
        let headers = h(&["Associated Company", "Email", "Notes"]);
        let o = Override::parse("Notes=company.name").unwrap();
        let m = map_with(&headers, &[o]).unwrap();
        assert_eq!(m.columns[2], Column::CompanyName);
        let e = Override::parse("Notes=company.nmae").unwrap_err();
        assert!(e.message.contains("company.hq_country"), "{}", e.message);
        assert!(e.message.contains("fields.<name>"), "{}", e.message);
        let e = Override::parse("no equals sign").unwrap_err();
        assert!(e.message.contains("HEADER=TARGET"), "{}", e.message);
        let e = map_with(&headers, &[Override::parse("Missing=ignore").unwrap()]).unwrap_err();
        assert!(e.message.contains("Associated Company"), "{}", e.message);
        assert_eq!(
            Column::from_target("fields.Deal Size").unwrap(),
            Column::Extra("deal_size".into())
        );
        for t in target_names() {
            assert_eq!(Column::from_target(t).unwrap().path(), t);
        }
    }
}
