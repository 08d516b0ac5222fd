//! Pushes (reference: `POST /v1/jobs/{id}/push`) and enrichments: a job's leads sent to an
//! outreach tool or CRM, or improved by an enrichment provider.
//!
//! The push response keeps the reference's fields (`push_id`, `provider`, `created`, `updated`,
//! `skipped`, `errors`, `list_id`, `list_url`) and adds what a reviewer needs: the job, the mode,
//! whether it was a dry run, the planned requests of a dry run and the reason for every skip.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{EnrichmentId, Error, ErrorCode, Job, JobId, JobStatus, Lead, PushId, Timestamp};

/// Where leads can be pushed.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum PushProvider {
    Magnetite,
    Autoreach,
    Hubspot,
    Webhook,
    File,
}

impl PushProvider {
    /// Every provider, in the order pickers list them.
    pub const ALL: &'static [PushProvider] = <Self as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// One line for pickers and help.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Magnetite => "add each contact to a Magnetite campaign",
            Self::Autoreach => "create AutoReach leads, or add them to a workflow",
            Self::Hubspot => "upsert HubSpot contacts and companies (by email / domain)",
            Self::Webhook => "POST the leads as signed JSON to a URL",
            Self::File => "write the leads to a CSV, JSON or XLSX file",
        }
    }

    /// Providers outside this machine: test-mode leads need `allow_test_data` to reach them.
    pub fn is_external(self) -> bool {
        self != Self::File
    }
}

impl fmt::Display for PushProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PushProvider {
    type Err = Error;
    fn from_str(raw: &str) -> Result<Self, Error> {
        let wanted = raw.trim().to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == wanted)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "`{}` is not a push provider; use one of magnetite, autoreach, hubspot, webhook, file.",
                    crate::text::sanitize_inline(raw)
                ))
                .with_param("provider")
            })
    }
}

/// What a push sends: people, their companies, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushMode {
    #[default]
    Contacts,
    Companies,
    Both,
}

impl PushMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contacts => "contacts",
            Self::Companies => "companies",
            Self::Both => "both",
        }
    }

    pub fn includes_contacts(self) -> bool {
        matches!(self, Self::Contacts | Self::Both)
    }

    pub fn includes_companies(self) -> bool {
        matches!(self, Self::Companies | Self::Both)
    }
}

impl fmt::Display for PushMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PushMode {
    type Err = Error;
    fn from_str(raw: &str) -> Result<Self, Error> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "contacts" => Ok(Self::Contacts),
            "companies" => Ok(Self::Companies),
            "both" => Ok(Self::Both),
            _ => Err(Error::invalid(format!(
                "`{}` is not a push mode; use contacts, companies or both.",
                crate::text::sanitize_inline(raw)
            ))
            .with_param("mode")),
        }
    }
}

/// `POST /v1/jobs/{id}/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub provider: PushProvider,
    #[serde(default)]
    pub mode: PushMode,
    /// A provider list, campaign or workflow; overrides the configured default. For `file`, the
    /// path to write (its extension picks the format).
    #[serde(default)]
    pub list_id: Option<String>,
    /// Column overrides: `{"provider_field": "lead.path"}` (reference: `mapping`).
    #[serde(default)]
    pub mapping: Option<serde_json::Map<String, Value>>,
    #[serde(default)]
    pub dry_run: bool,
    /// Additive: send again what an earlier push of (job, provider, mode) already sent.
    #[serde(default)]
    pub force: bool,
    /// Additive: let test-mode (synthetic) leads reach an external provider.
    #[serde(default)]
    pub allow_test_data: bool,
}

impl PushRequest {
    pub fn new(provider: PushProvider) -> Self {
        Self {
            provider,
            mode: PushMode::default(),
            list_id: None,
            mapping: None,
            dry_run: false,
            force: false,
            allow_test_data: false,
        }
    }
}

/// One item that was skipped or failed, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushItemIssue {
    /// `lead_…` for a contact, `company:<domain or name>` for a company.
    pub item: String,
    /// A short machine code (`missing_email`, `already_pushed`, `http_400`, …).
    pub code: String,
    pub message: String,
}

/// One request a push sends (or, in a dry run, would send).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedRequest {
    pub method: String,
    pub url: String,
    /// The items it carries (see [`PushItemIssue::item`]).
    pub items: Vec<String>,
    pub body: Value,
}

/// The result of a push (reference shape plus additive fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResult {
    pub push_id: PushId,
    pub object: String,
    pub job_id: JobId,
    pub provider: PushProvider,
    pub mode: PushMode,
    pub dry_run: bool,
    pub created: u64,
    pub updated: u64,
    pub skipped: u64,
    pub errors: Vec<PushItemIssue>,
    pub list_id: Option<String>,
    pub list_url: Option<String>,
    /// Why each skipped item was skipped.
    #[serde(default)]
    pub skips: Vec<PushItemIssue>,
    /// A dry run's requests; empty for a real push.
    #[serde(default)]
    pub planned: Vec<PlannedRequest>,
    /// How many requests were sent (0 for a dry run).
    #[serde(default)]
    pub requests_sent: u64,
    pub created_at: Timestamp,
}

/// Enrichment providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrichProvider {
    Modernleads,
}

impl EnrichProvider {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Modernleads => "modernleads",
        }
    }
}

impl fmt::Display for EnrichProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EnrichProvider {
    type Err = Error;
    fn from_str(raw: &str) -> Result<Self, Error> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "modernleads" | "modern-leads" | "modern_leads" => Ok(Self::Modernleads),
            _ => Err(Error::invalid(format!(
                "`{}` is not an enrichment provider; use modernleads.",
                crate::text::sanitize_inline(raw)
            ))
            .with_param("provider")),
        }
    }
}

/// `POST /v1/jobs/{id}/enrich` (additive endpoint). With none of the three set, `verify` is
/// assumed: it is the cheapest and the one a push most needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrichRequest {
    pub provider: EnrichProvider,
    /// Verify each lead's email (`/v1/verify/email`, or `/v1/batch/verify` for many).
    #[serde(default)]
    pub verify: bool,
    /// Find missing emails (`/v1/lookup`, or `/v1/batch/enrich` for many).
    #[serde(default)]
    pub lookup: bool,
    /// Score each company against the ICP (`/v1/qualify`).
    #[serde(default)]
    pub qualify: bool,
}

impl EnrichRequest {
    pub fn new(provider: EnrichProvider) -> Self {
        Self {
            provider,
            verify: false,
            lookup: false,
            qualify: false,
        }
    }

    /// The request with its default applied.
    pub fn normalised(mut self) -> Self {
        if !(self.verify || self.lookup || self.qualify) {
            self.verify = true;
        }
        self
    }
}

/// What an enrichment did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrichResult {
    pub enrichment_id: EnrichmentId,
    pub object: String,
    pub job_id: JobId,
    pub provider: EnrichProvider,
    /// Leads whose fields or confidence changed.
    pub leads_updated: u64,
    pub emails_verified: u64,
    /// Emails the provider judged undeliverable.
    pub emails_invalid: u64,
    pub emails_found: u64,
    pub companies_qualified: u64,
    pub skipped: u64,
    pub errors: Vec<PushItemIssue>,
    /// Credits the provider reported charging (0 with an `ml_test_` key).
    pub provider_credits: f64,
    pub requests_sent: u64,
    pub created_at: Timestamp,
}

/// How far a push or enrichment has got, for progress bars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IntegrationProgress {
    /// Requests answered.
    pub done: u64,
    /// Requests to send.
    pub total: u64,
}

/// Where a running push or enrichment reports progress (the latest value wins).
pub type ProgressSender = tokio::sync::watch::Sender<IntegrationProgress>;

/// Whether a provider can be used (reference: `GET /v1/integrations`, "connected").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationStatus {
    pub object: String,
    pub provider: String,
    pub connected: bool,
    /// What it pushes to, or (not connected) which keys to set.
    pub detail: String,
}
/// One item a push carries: a person (by lead) or a company (by domain, else name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemKey(pub String);

impl ItemKey {
    pub fn contact(lead: &Lead) -> Self {
        Self(lead.id.to_string())
    }

    /// Companies are keyed by lowercased domain, else by lowercased name.
    pub fn company(lead: &Lead) -> Self {
        let key = match lead.company.domain.as_deref().filter(|d| !d.is_empty()) {
            Some(domain) => domain.trim().to_ascii_lowercase(),
            None => lead.company.name.trim().to_lowercase(),
        };
        Self(format!("company:{key}"))
    }
}

/// Only finished jobs are pushed, and test-mode leads reach an external provider only when asked.
pub fn check_pushable(job: &Job, leads: &[Lead], request: &PushRequest) -> Result<(), Error> {
    if !matches!(job.status, JobStatus::Succeeded | JobStatus::Stopped) {
        return Err(Error::conflict(format!(
            "job {} is {}; only a succeeded or stopped job's leads can be pushed.",
            job.id,
            job.status.as_str()
        )));
    }
    if request.provider.is_external()
        && !request.allow_test_data
        && leads.iter().any(|l| !l.livemode)
    {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "job {} holds test-mode (synthetic) leads; {} is a real service, so they are refused. Push them anyway with --allow-test-data (API: \"allow_test_data\": true), or run the search in live mode.",
                job.id, request.provider
            ),
        )
        .with_param("allow_test_data"));
    }
    Ok(())
}
