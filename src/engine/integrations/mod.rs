//! Integrations: pushing a job's leads to outreach tools and CRMs, and enriching them with a
//! provider. Each push target turns leads into requests ([`PushTarget::plan`], pure, so a dry
//! run shows exactly what would be sent) and sends one request at a time
//! ([`PushTarget::send`]); the engine ([`push`]) records every item's outcome in the store, which
//! makes pushes idempotent on (job, provider, mode) and lets an interrupted push resume.

pub mod autoreach;
pub mod enrich;
pub mod file;
pub mod http;
pub mod hubspot;
pub mod magnetite;
pub mod modernleads;
pub mod push;
pub mod support;
pub mod webhook;

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;

use crate::config::{IntegrationsConfig, ProvidersConfig};
pub use crate::model::push::ItemKey;
use crate::model::push::{PlannedRequest, PushMode, PushProvider};
use crate::model::{Error, ErrorCode, Job, Lead};

/// Where secrets come from: environment variables named in the config. Tests hand in a map so
/// they never touch the process environment.
#[derive(Clone, Default)]
pub enum Secrets {
    #[default]
    Environment,
    Fixed(Arc<HashMap<String, String>>),
}

impl Secrets {
    pub fn fixed(pairs: impl IntoIterator<Item = (impl Into<String>, impl Into<String>)>) -> Self {
        Self::Fixed(Arc::new(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        ))
    }

    /// The variable's value, if set and not empty.
    pub fn get(&self, var: &str) -> Option<String> {
        match self {
            Self::Environment => std::env::var(var).ok(),
            Self::Fixed(map) => map.get(var).cloned(),
        }
        .filter(|v| !v.trim().is_empty())
    }
}

impl std::fmt::Debug for Secrets {
    // Never print values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Environment => f.write_str("Secrets::Environment"),
            Self::Fixed(map) => write!(f, "Secrets::Fixed({} names)", map.len()),
        }
    }
}

/// The integration settings an engine runs with: the config's sections plus where secrets live.
#[derive(Debug, Clone)]
pub struct IntegrationSettings {
    pub integrations: IntegrationsConfig,
    pub providers: ProvidersConfig,
    pub secrets: Secrets,
    /// Requests a push keeps in flight at once.
    pub concurrency: usize,
    /// Modern Leads' pacing and batch polling (the provider's published limits by default).
    pub modernleads: modernleads::Tuning,
    /// How hard a Leadex webhook delivery tries (`crate::engine::webhooks`).
    pub deliveries: crate::net::retry::RetryPolicy,
    /// How long a rotated-out webhook secret still signs deliveries.
    pub secret_grace: std::time::Duration,
}

impl Default for IntegrationSettings {
    fn default() -> Self {
        Self::new(IntegrationsConfig::default(), ProvidersConfig::default())
    }
}

impl IntegrationSettings {
    pub fn new(integrations: IntegrationsConfig, providers: ProvidersConfig) -> Self {
        Self {
            integrations,
            providers,
            secrets: Secrets::Environment,
            concurrency: DEFAULT_CONCURRENCY,
            modernleads: modernleads::Tuning::default(),
            deliveries: crate::engine::webhooks::DELIVERY_RETRY,
            secret_grace: crate::engine::webhooks::ROTATION_GRACE,
        }
    }

    pub fn with_secrets(mut self, secrets: Secrets) -> Self {
        self.secrets = secrets;
        self
    }
}

/// Enough to keep a provider busy without tripping its rate limits.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// A `not configured` error naming the exact keys to set.
pub fn not_configured(provider: &str, section: &str, keys: &[&str], hint: &str) -> Error {
    Error::new(
        ErrorCode::InvalidRequest,
        format!(
            "{provider} is not configured: set {} under [{section}] in the config file{hint}.",
            keys.join(", ")
        ),
    )
    .with_param("provider")
}

/// One request to a provider and the items it carries.
#[derive(Debug, Clone)]
pub struct Unit {
    pub items: Vec<ItemKey>,
    pub request: PlannedRequest,
    /// Further requests the unit makes after `request`, in order (HubSpot's search, write and
    /// link steps); a dry run lists them too.
    pub also: Vec<PlannedRequest>,
}

/// Everything a push would do: its requests, and the items it cannot send (with why).
#[derive(Debug, Default)]
pub struct Planned {
    pub units: Vec<Unit>,
    /// (item, code, message)
    pub skipped: Vec<(ItemKey, String, String)>,
    pub list_id: Option<String>,
    pub list_url: Option<String>,
}

/// What happened to one item.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemOutcome {
    Created {
        external_id: Option<String>,
    },
    Updated {
        external_id: Option<String>,
    },
    /// The provider declined it for a reason that will not change on retry (a duplicate it
    /// already had, say).
    Skipped {
        code: String,
        message: String,
    },
    /// It failed; the next push tries it again.
    Failed {
        code: String,
        message: String,
    },
}

impl ItemOutcome {
    pub fn failed(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Failed {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The result of sending one unit.
#[derive(Debug, Default)]
pub struct UnitResult {
    pub outcomes: Vec<(ItemKey, ItemOutcome)>,
    /// An error that makes every further request pointless (bad credentials, no credits): the
    /// push stops, and what was not sent is left for the next push.
    pub fatal: Option<Error>,
}

impl UnitResult {
    /// Every item of the unit with the same outcome.
    pub fn all(unit: &Unit, outcome: ItemOutcome) -> Self {
        Self {
            outcomes: unit
                .items
                .iter()
                .map(|i| (i.clone(), outcome.clone()))
                .collect(),
            fatal: None,
        }
    }

    pub fn fatal(unit: &Unit, error: Error) -> Self {
        let mut r = Self::all(unit, ItemOutcome::failed("aborted", error.message.clone()));
        r.fatal = Some(error);
        r
    }
}

/// What a push target needs to know about the push.
#[derive(Debug, Clone)]
pub struct PushContext<'a> {
    pub job: &'a Job,
    /// The thread's title (a new list is named after it).
    pub title: &'a str,
    pub mode: PushMode,
    /// The request's list/campaign/workflow (or path, for `file`), else the configured default.
    pub list_id: Option<&'a str>,
    pub mapping: Option<&'a serde_json::Map<String, Value>>,
    /// Items an earlier push of the same (job, provider, mode) delivered, with the provider's
    /// id for them when it gave one: a target that packs several items into one request leaves
    /// them out, so a retry resends only what failed (HubSpot still links such a contact to a
    /// company sent now).
    pub sent: &'a HashMap<ItemKey, Option<String>>,
}

/// A provider leads can be pushed to.
#[async_trait]
pub trait PushTarget: Send + Sync {
    fn provider(&self) -> PushProvider;

    /// Turns leads into requests without sending anything. Items the provider cannot take
    /// (a contact without an email, for a provider that requires one) go to `skipped`.
    fn plan(&self, ctx: &PushContext<'_>, leads: &[Lead]) -> Result<Planned, Error>;

    /// Sends one unit (retrying as the provider's rules allow) and reports each item.
    async fn send(&self, unit: &Unit) -> UnitResult;
}

/// The configured target for an HTTP provider, or an error naming the keys to set. (`file` is
/// not a request-per-item target: [`push`] writes it in one go.)
pub fn target(
    settings: &IntegrationSettings,
    provider: PushProvider,
) -> Result<Box<dyn PushTarget>, Error> {
    let i = &settings.integrations;
    let s = &settings.secrets;
    Ok(match provider {
        PushProvider::Magnetite => Box::new(magnetite::Magnetite::from_config(&i.magnetite, s)?),
        PushProvider::Autoreach => Box::new(autoreach::AutoReach::from_config(&i.autoreach, s)?),
        PushProvider::Hubspot => Box::new(hubspot::HubSpot::from_config(&i.hubspot, s)?),
        PushProvider::Webhook => Box::new(webhook::Webhook::from_config(&i.webhook, s)?),
        PushProvider::File => {
            return Err(Error::internal(
                "the file provider writes directly; it has no HTTP target",
            ));
        }
    })
}
