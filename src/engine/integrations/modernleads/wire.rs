//! Modern Leads' request and response bodies, field names and types as in the reference.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LookupRequest {
    pub first_name: String,
    pub last_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linkedin_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct LookupResponse {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    pub status: String,
    #[serde(default)]
    pub verified: bool,
    #[serde(default)]
    pub credits_charged: f64,
    #[serde(default)]
    pub cached_hit: bool,
    #[serde(default)]
    pub alt_emails: Vec<String>,
    #[serde(default)]
    pub alt_phones: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct VerifyRequest<'a> {
    pub(super) email: &'a str,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct VerifyResponse {
    pub email: String,
    pub status: String,
    #[serde(default)]
    pub verified: bool,
    #[serde(default)]
    pub deliverable: Option<bool>,
    #[serde(default)]
    pub cached: bool,
    #[serde(default)]
    pub credits_charged: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QualifyRequest {
    pub domain: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employees: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct QualifyResponse {
    pub fit_score: f64,
    pub fit_label: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub credits_charged: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct BatchVerifyRequest<'a> {
    pub(super) emails: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct BatchEnrichRequest<'a> {
    pub(super) rows: &'a [LookupRequest],
    pub(super) find_phones: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) name: Option<&'a str>,
}

/// The answer to a batch submission.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BatchCreated {
    pub batch_id: String,
    pub status: String,
    #[serde(default)]
    pub total_rows: Option<u64>,
    #[serde(default)]
    pub total_emails: Option<u64>,
    #[serde(default)]
    pub status_url: Option<String>,
    #[serde(default)]
    pub download_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BatchStatus {
    pub batch_id: String,
    #[serde(default)]
    pub kind: Option<String>,
    pub status: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub total_rows: Option<u64>,
    #[serde(default)]
    pub processed_rows: Option<u64>,
    #[serde(default)]
    pub found_count: Option<u64>,
    #[serde(default)]
    pub not_found_count: Option<u64>,
    #[serde(default)]
    pub download_url: Option<String>,
    /// Not in the reference's example; counted when a server sends it.
    #[serde(default)]
    pub credits_charged: Option<f64>,
}

impl BatchStatus {
    pub fn is_finished(&self) -> bool {
        matches!(self.status.as_str(), "completed" | "failed")
    }
}

/// One result row. The reference shows the enrich batch's row; a verify batch's row is not
/// shown, so every field is optional and a verify row is read by `email`, `status`, `verified`
/// and `deliverable` like the single endpoint's answer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BatchRow {
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub linkedin_url: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub verified: Option<bool>,
    #[serde(default)]
    pub deliverable: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BatchResults {
    pub batch_id: String,
    pub results: Vec<BatchRow>,
    #[serde(default)]
    pub credits_charged: Option<f64>,
}

/// The provider's error envelope.
#[derive(Debug, Clone, Default, Deserialize)]
pub(super) struct Envelope {
    #[serde(default)]
    pub(super) error: Option<String>,
    #[serde(default)]
    pub(super) code: Option<String>,
    #[serde(default)]
    pub(super) message: Option<String>,
    #[serde(default)]
    pub(super) cta_url: Option<String>,
}
