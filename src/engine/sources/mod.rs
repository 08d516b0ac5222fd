//! Research sources: where leads come from. Test mode uses the synthetic generator; live mode
//! uses imported datasets and (when enabled) the open web, every fact grounded in its source.

pub mod dataset;
pub mod grounding;
pub mod synthetic;
pub mod web;

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
