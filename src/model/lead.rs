//! The lead object: a company and (usually) a person, every field traced to its sources.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{JobId, LeadId, Timestamp};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Company {
    pub name: String,
    pub domain: Option<String>,
    pub linkedin: Option<String>,
    pub hq_city: Option<String>,
    /// Additive: ISO 3166-1 alpha-2.
    pub hq_country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub full_name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    /// Additive.
    pub linkedin: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A page on the open web.
    Web,
    /// A dataset the user imported.
    Dataset,
    /// An enrichment provider (Modern Leads, …).
    Provider,
    /// Test mode: generated, never a real fact.
    Synthetic,
}

/// A dotted field path (`company.name`, `person.email`, `fields.funding_amount`). Every lead's
/// sources repeat the same few paths, so they are interned: one allocation per distinct path per
/// process instead of one per source per lead (10,000 leads hold ~200,000 of them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(std::sync::Arc<str>);

impl FieldPath {
    pub fn new(path: &str) -> Self {
        use std::collections::HashSet;
        use std::sync::{Arc, Mutex};
        static PATHS: Mutex<Option<HashSet<Arc<str>>>> = Mutex::new(None);
        let mut guard = PATHS.lock().unwrap_or_else(|p| p.into_inner());
        let set = guard.get_or_insert_with(HashSet::new);
        // Bounded: paths come from a small vocabulary, but a file could invent many.
        if let Some(existing) = set.get(path) {
            return FieldPath(existing.clone());
        }
        let arc: Arc<str> = Arc::from(path);
        if set.len() < 4096 {
            set.insert(arc.clone());
        }
        FieldPath(arc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for FieldPath {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for FieldPath {
    fn from(s: &str) -> Self {
        FieldPath::new(s)
    }
}

impl From<String> for FieldPath {
    fn from(s: String) -> Self {
        FieldPath::new(&s)
    }
}

impl From<&String> for FieldPath {
    fn from(s: &String) -> Self {
        FieldPath::new(s)
    }
}

impl PartialEq<str> for FieldPath {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for FieldPath {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for FieldPath {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl Serialize for FieldPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for FieldPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = FieldPath;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field path")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<FieldPath, E> {
                Ok(FieldPath::new(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// Where a fact came from. `fields` (additive) names the lead fields this source backs, as dotted
/// paths (`company.name`, `person.email`, `fields.funding_amount`), so every field can be traced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub kind: SourceKind,
    pub url: Option<String>,
    pub retrieved_at: Timestamp,
    /// Additive: the dataset file, provider or generator name.
    pub name: Option<String>,
    /// Additive.
    #[serde(default)]
    pub fields: Vec<FieldPath>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    pub id: LeadId,
    pub object: String,
    pub job_id: JobId,
    pub company: Company,
    pub person: Option<Person>,
    pub fields: Map<String, Value>,
    pub sources: Vec<Source>,
    pub confidence: f64,
    /// Additive: false for synthetic leads.
    pub livemode: bool,
}

impl Lead {
    /// The sources that back one dotted field path.
    pub fn sources_for<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Source> + 'a {
        self.sources
            .iter()
            .filter(move |s| s.fields.iter().any(|f| f.as_str() == field))
    }

    /// A dotted path's value as display text (`company.domain`, `person.email`, `fields.x`).
    pub fn field_text(&self, path: &str) -> Option<String> {
        let (head, rest) = path.split_once('.')?;
        match head {
            "company" => match rest {
                "name" => Some(self.company.name.clone()),
                "domain" => self.company.domain.clone(),
                "linkedin" => self.company.linkedin.clone(),
                "hq_city" => self.company.hq_city.clone(),
                "hq_country" => self.company.hq_country.clone(),
                _ => None,
            },
            "person" => {
                let p = self.person.as_ref()?;
                match rest {
                    "full_name" => Some(p.full_name.clone()),
                    "title" => p.title.clone(),
                    "email" => p.email.clone(),
                    "linkedin" => p.linkedin.clone(),
                    _ => None,
                }
            }
            "fields" => self.fields.get(rest).map(value_text),
            _ => None,
        }
    }
}

/// A JSON value as a flat cell: strings bare, arrays joined with "; ".
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}
