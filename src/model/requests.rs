//! Request bodies and query parameters of the API, shared by the engine, the backends and the
//! server so every entry point validates the same way. Unknown fields are ignored.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Job, JobStatus, Message, PageParams, Plan, ThreadId, Timestamp};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateThread {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ThreadPatch {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub metadata: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub kind: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hints {
    #[serde(default)]
    pub max_rows: Option<u32>,
    #[serde(default)]
    pub preferred_sources: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PostMessage {
    pub content: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub hints: Option<Hints>,
    #[serde(default)]
    pub auto_approve: bool,
}

/// What posting a message (or replanning) returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostedMessage {
    pub message: Message,
    pub plan: Plan,
    pub job: Job,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replan {
    pub feedback: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approve {
    #[serde(default)]
    pub max_credits: Option<u32>,
    #[serde(default)]
    pub webhook_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThreadQuery {
    pub page: PageParams,
    /// Title search (case-insensitive substring).
    pub q: Option<String>,
    pub has_job_status: Option<JobStatus>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobQuery {
    pub page: PageParams,
    /// Any of these statuses; empty means all.
    pub status: Vec<JobStatus>,
    pub thread_id: Option<ThreadId>,
    /// Jobs created strictly after / before these instants.
    pub created_after: Option<Timestamp>,
    pub created_before: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadQuery {
    pub page: PageParams,
    pub min_confidence: Option<f64>,
    /// Dotted paths that must be present (`person.email`, `fields.funding_amount`).
    pub has_field: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }
}
