//! The leads table's columns: every lead field can be one, in the order and at the width the
//! user chose (`[tui] columns` in the config, edited with the column picker).

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use crate::model::lead::value_text;
use crate::model::{Lead, Person};

/// One column of the leads table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Column {
    Company,
    Domain,
    City,
    Country,
    CompanyLinkedin,
    Person,
    Title,
    Email,
    PersonLinkedin,
    Confidence,
    Sources,
    /// A key of the lead's `fields` (industry, employees, funding_stage, …).
    Field(Arc<str>),
}

/// `fields.*` keys the engine and the enrichers write, offered in the picker even before a lead
/// has them, with the header each gets.
const KNOWN_FIELDS: [(&str, &str); 6] = [
    ("industry", "Industry"),
    ("employees", "Employees"),
    ("funding_stage", "Stage"),
    ("funding_amount", "Funding"),
    ("seniority", "Seniority"),
    ("email_status", "Email status"),
];

const BUILTIN: [Column; 11] = [
    Column::Company,
    Column::Domain,
    Column::City,
    Column::Country,
    Column::CompanyLinkedin,
    Column::Person,
    Column::Title,
    Column::Email,
    Column::PersonLinkedin,
    Column::Confidence,
    Column::Sources,
];

impl Column {
    pub fn field(key: &str) -> Self {
        Self::Field(Arc::from(key))
    }

    /// Every column a lead always has plus the well-known `fields.*` ones, in picker order.
    pub fn catalogue() -> Vec<Column> {
        let mut out = BUILTIN.to_vec();
        out.extend(KNOWN_FIELDS.iter().map(|(k, _)| Column::field(k)));
        out
    }

    /// The name in `[tui] columns` and in `column:value` searches.
    pub fn name(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::Company => "company",
            Self::Domain => "domain",
            Self::City => "city",
            Self::Country => "country",
            Self::CompanyLinkedin => "company_linkedin",
            Self::Person => "person",
            Self::Title => "title",
            Self::Email => "email",
            Self::PersonLinkedin => "linkedin",
            Self::Confidence => "confidence",
            Self::Sources => "sources",
            Self::Field(k) if KNOWN_FIELDS.iter().any(|(key, _)| *key == &**k) => {
                return Cow::Owned(k.to_string());
            }
            Self::Field(k) => return Cow::Owned(format!("fields.{k}")),
        })
    }

    /// A column by name or common alias; `fields.KEY` and bare keys name a `fields` entry. Bare
    /// names that are neither built in nor well known are only columns if `known_field` says so.
    pub fn parse(raw: &str, known_field: impl Fn(&str) -> bool) -> Option<Self> {
        let name = raw.trim().to_ascii_lowercase();
        let col = match name.as_str() {
            "company" | "company_name" | "company.name" => Self::Company,
            "domain" | "company.domain" | "website" => Self::Domain,
            "city" | "hq_city" | "company.hq_city" => Self::City,
            "country" | "hq_country" | "company.hq_country" => Self::Country,
            "company_linkedin" | "company.linkedin" => Self::CompanyLinkedin,
            "person" | "name" | "person_name" | "person.full_name" | "contact" => Self::Person,
            "title" | "person.title" | "job_title" => Self::Title,
            "email" | "person.email" => Self::Email,
            "linkedin" | "person_linkedin" | "person.linkedin" => Self::PersonLinkedin,
            "confidence" | "conf" | "score" => Self::Confidence,
            "sources" | "src" | "source_count" => Self::Sources,
            "stage" => Self::field("funding_stage"),
            "funding" => Self::field("funding_amount"),
            other => {
                let key = other.strip_prefix("fields.").unwrap_or(other);
                let well_known = KNOWN_FIELDS.iter().any(|(k, _)| *k == key);
                // A name with control characters would be drawn in the header: never a column.
                if key.is_empty()
                    || key.chars().any(char::is_control)
                    || !(other.starts_with("fields.") || well_known || known_field(key))
                {
                    return None;
                }
                Self::field(key)
            }
        };
        Some(col)
    }

    pub fn header(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Self::Company => "Company",
            Self::Domain => "Domain",
            Self::City => "City",
            Self::Country => "Country",
            Self::CompanyLinkedin => "Company LinkedIn",
            Self::Person => "Person",
            Self::Title => "Title",
            Self::Email => "Email",
            Self::PersonLinkedin => "LinkedIn",
            Self::Confidence => "Confidence",
            Self::Sources => "Src",
            Self::Field(k) => match KNOWN_FIELDS.iter().find(|(key, _)| **key == **k) {
                Some((_, h)) => h,
                None => return Cow::Owned(k.to_string()),
            },
        })
    }

    /// The width a column gets when there is room (the user can change it in the picker).
    pub fn default_width(&self) -> u16 {
        match self {
            Self::Company | Self::Title => 24,
            Self::Domain => 22,
            Self::City => 14,
            Self::Country => 8,
            Self::CompanyLinkedin | Self::PersonLinkedin => 32,
            Self::Person => 20,
            Self::Email => 30,
            Self::Confidence => 17,
            Self::Sources => 4,
            Self::Field(k) => match &**k {
                "employees" => 9,
                "funding_stage" | "funding_amount" => 10,
                "email_status" => 12,
                _ => 16,
            },
        }
    }

    /// The narrowest the column is still useful at: the table squeezes columns towards this
    /// before it scrolls sideways.
    pub fn min_width(&self) -> u16 {
        match self {
            Self::Email => 18,
            Self::Confidence => 10,
            Self::Sources => 3,
            Self::Country => 7,
            Self::Field(_) => 8,
            _ => 12,
        }
    }

    /// Whether the column holds a number (sorted numerically, highest first).
    pub fn numeric(&self) -> bool {
        match self {
            Self::Confidence | Self::Sources => true,
            Self::Field(k) => matches!(&**k, "employees" | "funding_amount"),
            _ => false,
        }
    }
}

/// A shown column and its width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    pub column: Column,
    pub width: u16,
}

impl ColumnSpec {
    pub fn new(column: Column) -> Self {
        let width = column.default_width();
        Self { column, width }
    }

    /// What squeezing may take the column down to (never wider than the user made it).
    pub fn min_width(&self) -> u16 {
        self.column.min_width().min(self.width)
    }

    /// `name` or `name:width` as written in `[tui] columns`.
    pub fn config_entry(&self) -> String {
        if self.width == self.column.default_width() {
            self.column.name().into_owned()
        } else {
            format!("{}:{}", self.column.name(), self.width)
        }
    }

    pub fn parse_entry(raw: &str) -> Result<Self, String> {
        let (name, width) = match raw.rsplit_once(':') {
            Some((n, w)) => {
                let w: u16 = w.trim().parse().map_err(|_| {
                    format!("[tui] columns: `{raw}`: the width after `:` must be a number")
                })?;
                (n, Some(w.clamp(MIN_WIDTH, MAX_WIDTH)))
            }
            None => (raw, None),
        };
        let column = Column::parse(name, |_| false).ok_or_else(|| {
            format!(
                "[tui] columns: `{raw}` is not a column (try company, domain, city, country, \
                 industry, employees, funding_stage, funding_amount, person, title, seniority, \
                 email, email_status, linkedin, confidence, sources or fields.KEY)"
            )
        })?;
        let mut spec = Self::new(column);
        if let Some(w) = width {
            spec.width = w;
        }
        Ok(spec)
    }
}

/// Bounds of a column's width in the picker.
pub const MIN_WIDTH: u16 = 3;
pub const MAX_WIDTH: u16 = 80;

/// The columns shown until the user picks others: the ones an SDR acts on first, so Email and
/// Confidence stay on screen down to a 100-column terminal; the rest are a scroll away.
pub fn default_columns() -> Vec<ColumnSpec> {
    [
        Column::Company,
        Column::Person,
        Column::Title,
        Column::Email,
        Column::Confidence,
        Column::Sources,
        Column::Domain,
        Column::Country,
        Column::City,
        Column::field("industry"),
        Column::field("employees"),
        Column::field("funding_stage"),
        Column::field("funding_amount"),
        Column::field("seniority"),
        Column::field("email_status"),
        Column::PersonLinkedin,
    ]
    .into_iter()
    .map(ColumnSpec::new)
    .collect()
}

/// `[tui] columns` entries as specs; an empty list means the defaults.
pub fn from_config(entries: &[String]) -> Result<Vec<ColumnSpec>, String> {
    if entries.is_empty() {
        return Ok(default_columns());
    }
    let mut out: Vec<ColumnSpec> = Vec::with_capacity(entries.len());
    for e in entries {
        let spec = ColumnSpec::parse_entry(e)?;
        if out.iter().any(|s| s.column == spec.column) {
            return Err(format!("[tui] columns: `{e}` is listed twice"));
        }
        out.push(spec);
    }
    Ok(out)
}

fn person_field(p: &Option<Person>, f: impl Fn(&Person) -> Option<&str>) -> &str {
    p.as_ref().and_then(f).unwrap_or("")
}

/// A lead's value in a column, as shown.
pub fn cell<'a>(l: &'a Lead, col: &Column) -> Cow<'a, str> {
    match col {
        Column::Company => l.company.name.as_str().into(),
        Column::Domain => l.company.domain.as_deref().unwrap_or("").into(),
        Column::City => l.company.hq_city.as_deref().unwrap_or("").into(),
        Column::Country => l.company.hq_country.as_deref().unwrap_or("").into(),
        Column::CompanyLinkedin => l.company.linkedin.as_deref().unwrap_or("").into(),
        Column::Person => person_field(&l.person, |p| Some(p.full_name.as_str())).into(),
        Column::Title => person_field(&l.person, |p| p.title.as_deref()).into(),
        Column::Email => person_field(&l.person, |p| p.email.as_deref()).into(),
        Column::PersonLinkedin => person_field(&l.person, |p| p.linkedin.as_deref()).into(),
        Column::Confidence => format!("{:.2}", l.confidence).into(),
        Column::Sources => l.sources.len().to_string().into(),
        Column::Field(k) => match l.fields.get(&**k) {
            Some(Value::String(s)) => s.as_str().into(),
            Some(v) => value_text(v).into(),
            None => "".into(),
        },
    }
}

/// A lead's value in a column as a number, for typed filters and numeric sorts.
pub fn number(l: &Lead, col: &Column) -> Option<f64> {
    match col {
        Column::Confidence => Some(l.confidence),
        Column::Sources => Some(l.sources.len() as f64),
        Column::Field(k) => match l.fields.get(&**k)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => parse_number(s),
            _ => None,
        },
        other => parse_number(&cell(l, other)),
    }
}

/// `12`, `0.8`, `1,200`, `€12M`, `$3.5k`, `50+`: a number with an optional currency sign,
/// thousands separators and a k/M/B suffix. Anything else is not a number.
pub fn parse_number(raw: &str) -> Option<f64> {
    let t = raw
        .trim()
        .trim_start_matches(['€', '$', '£', '¥'])
        .trim_end_matches('+')
        .replace([',', '_', ' '], "");
    let (digits, scale) = match t.chars().last()? {
        'k' | 'K' => (&t[..t.len() - 1], 1e3),
        'm' | 'M' => (&t[..t.len() - 1], 1e6),
        'b' | 'B' => (&t[..t.len() - 1], 1e9),
        _ => (t.as_str(), 1.0),
    };
    let n: f64 = digits.parse().ok()?;
    n.is_finite().then_some(n * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_entries_round_trip_and_bad_ones_say_what_to_write() {
        let specs = from_config(&["email:40".into(), "industry".into(), "fields.hq".into()])
            .expect("valid");
        assert_eq!(specs[0].column, Column::Email);
        assert_eq!(specs[0].width, 40);
        assert_eq!(specs[1].column, Column::field("industry"));
        assert_eq!(specs[2].column, Column::field("hq"));
        let entries: Vec<String> = specs.iter().map(ColumnSpec::config_entry).collect();
        assert_eq!(entries, ["email:40", "industry", "fields.hq"]);
        assert!(
            from_config(&["emial".into()]).is_err(),
            "a typo is not a field"
        );
        assert_eq!(from_config(&[]).unwrap(), default_columns());
        let e = from_config(&["email:wide".into()]).unwrap_err();
        assert!(e.contains("must be a number"), "{e}");
        let e = from_config(&["email".into(), "person.email".into()]).unwrap_err();
        assert!(e.contains("twice"), "{e}");
    }

    #[test]
    fn numbers_read_currency_separators_and_suffixes() {
        assert_eq!(parse_number("€12M"), Some(12e6));
        assert_eq!(parse_number("1,200"), Some(1200.0));
        assert_eq!(parse_number("$3.5k"), Some(3500.0));
        assert_eq!(parse_number("50+"), Some(50.0));
        assert_eq!(parse_number("Series A"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("inf"), None);
    }
}
