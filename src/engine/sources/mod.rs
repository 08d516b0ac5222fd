//! Research sources: where leads come from. Test mode uses the synthetic generator; live sources
//! (datasets, the open web, providers) arrive with the live-research issue.

pub mod synthetic;

use serde_json::{Map, Value};

use crate::model::{Company, Person, Source};

/// A lead before the runner gives it an id and a job.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadDraft {
    pub company: Company,
    pub person: Option<Person>,
    pub fields: Map<String, Value>,
    pub sources: Vec<Source>,
    pub confidence: f64,
}
