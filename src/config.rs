//! Configuration: the file (`--config`, `$LEADLINE_CONFIG`, or the XDG config dir), then flags.
//! Every key is documented in `config.example.toml`; unknown keys are errors, so a typo is
//! reported with its line and column instead of being silently ignored.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub backend: BackendConfig,
    pub engine: EngineConfig,
    pub planner: PlannerConfig,
    pub integrations: IntegrationsConfig,
    pub providers: ProvidersConfig,
    pub server: ServerConfig,
    /// TUI key bindings (`action = "key"`).
    pub keys: crate::tui::keymap::KeysConfig,
    /// TUI colours.
    pub theme: crate::tui::theme::ThemeConfig,
    /// TUI leads table columns.
    pub tui: crate::tui::config::TuiSection,
}

/// `[backend] kind`: the same type the backends report, so the config and the status bar agree.
pub use crate::backend::BackendKind;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackendConfig {
    pub kind: BackendKind,
    /// The remote server's base URL, ending in `/v1`.
    pub url: Option<String>,
    /// The environment variable holding the remote API key.
    pub api_key_env: String,
}

impl Default for BackendConfig {
    fn default() -> Self {
        Self {
            kind: BackendKind::Local,
            url: None,
            api_key_env: "LEADEX_API_KEY".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModeConfig {
    #[default]
    Test,
    Live,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EngineConfig {
    pub mode: ModeConfig,
    /// Milliseconds before each captured lead. Unset: 120 in the TUI (a demo you can watch),
    /// 0 in headless commands (scripts want results, not theatre).
    pub pace_ms: Option<u64>,
    /// Test mode's generator seed.
    pub seed: u64,
    /// Credits included per month in live mode.
    pub credits_included: u64,
    /// Live mode: also read each company's own website (home, team, careers, contact pages).
    pub web: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            mode: ModeConfig::Test,
            pace_ms: None,
            seed: 7,
            credits_included: 5_000,
            web: false,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlannerKind {
    #[default]
    Rules,
    Llm,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlannerConfig {
    pub kind: PlannerKind,
    /// An OpenAI-compatible endpoint, e.g. `http://127.0.0.1:11434/v1`.
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub api_key_env: Option<String>,
    pub timeout_ms: u64,
}

impl Default for PlannerConfig {
    fn default() -> Self {
        Self {
            kind: PlannerKind::Rules,
            base_url: None,
            model: None,
            api_key_env: None,
            timeout_ms: 20_000,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceConfig {
    pub base_url: Option<String>,
    pub api_key_env: Option<String>,
    pub campaign_id: Option<String>,
    pub workflow_id: Option<String>,
}

/// `[integrations.hubspot]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HubSpotConfig {
    pub base_url: Option<String>,
    pub api_key_env: Option<String>,
    /// How companies are matched to the portal's records.
    pub company_match: CompanyMatch,
}

/// How a HubSpot push matches companies by domain.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CompanyMatch {
    /// Search the portal by domain, then update the record found by id or create one: works on
    /// every portal (HubSpot's `domain` is not a unique property unless a portal makes it so).
    #[default]
    Search,
    /// Batch upsert with `idProperty=domain`: one request instead of two, for portals that
    /// made `domain` unique (others refuse it).
    Upsert,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhookConfig {
    pub url: Option<String>,
    pub secret_env: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IntegrationsConfig {
    pub magnetite: ServiceConfig,
    pub autoreach: ServiceConfig,
    pub hubspot: HubSpotConfig,
    pub webhook: WebhookConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Requests per minute per organisation (all its keys share them).
    pub rate_limit_per_minute: u32,
    /// Failed authentications per minute per client address before it gets 429s.
    pub failed_auth_per_minute: u32,
    /// The URL clients reach the server at (for signed download links); default http://ADDR.
    pub public_url: Option<String>,
    /// A PostgreSQL database for `serve` and `api-keys` (postgres://user@host:port/db), so
    /// several servers share it; unset: the SQLite file in the data dir.
    pub database_url: Option<String>,
    /// The environment variable holding the database password (never the file).
    pub database_password_env: Option<String>,
    /// On PostgreSQL, how long a running job's lease lasts without its server's heartbeat: a
    /// server killed mid-job has its jobs ended as interrupted by another this long after.
    pub job_lease_seconds: u64,
    /// On PostgreSQL, the connections each server keeps open (1–64): at most this many of its
    /// store calls run at once. Mind the database's `max_connections` across all servers.
    pub database_pool: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            rate_limit_per_minute: 600,
            failed_auth_per_minute: 30,
            public_url: None,
            database_url: None,
            database_password_env: None,
            job_lease_seconds: 10,
            database_pool: crate::engine::Database::DEFAULT_POOL,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProvidersConfig {
    pub modernleads: ServiceConfig,
}

/// Where the config came from (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    File(PathBuf),
    Defaults,
}

impl Config {
    /// `--config`, else `$LEADLINE_CONFIG`, else `<XDG config>/leadline/config.toml` if present.
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<(Config, ConfigSource)> {
        let from_env = std::env::var_os("LEADLINE_CONFIG")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        if let Some(path) = explicit.map(Path::to_path_buf).or(from_env) {
            if !path.is_file() {
                bail!(
                    "config file {} does not exist (named by --config or LEADLINE_CONFIG)",
                    path.display()
                );
            }
            return Ok((Self::from_file(&path)?, ConfigSource::File(path)));
        }
        if let Some(dirs) = project_dirs() {
            let path = dirs.config_dir().join("config.toml");
            if path.is_file() {
                return Ok((Self::from_file(&path)?, ConfigSource::File(path)));
            }
        }
        Ok((Config::default(), ConfigSource::Defaults))
    }

    pub fn from_file(path: &Path) -> anyhow::Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        Self::parse(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))
    }

    /// Parses TOML; errors read `line:col: message`.
    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e: toml::de::Error| {
            let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            format!("{line}:{col}: {}", e.message())
        })
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "leadline")
}

/// `--data-dir`, else the XDG data dir, else `./.leadline-data`.
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .or_else(|| project_dirs().map(|d| d.data_dir().to_path_buf()))
        .unwrap_or_else(|| PathBuf::from(".leadline-data"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_example_config_parses_and_means_the_defaults() {
        let text = include_str!("../config.example.toml");
        let config = Config::parse(text).expect("config.example.toml must parse");
        assert_eq!(config.engine.seed, 7);
        assert_eq!(config.backend.api_key_env, "LEADEX_API_KEY");
    }

    #[test]
    fn the_example_config_documents_every_tui_binding_and_colour() {
        // The TUI's own example (checked against its action table) must appear verbatim.
        let text = include_str!("../config.example.toml");
        assert!(text.contains(crate::tui::config::EXAMPLE.trim()));
    }

    #[test]
    fn malformed_config_reports_line_and_column() {
        let err = Config::parse("[engine]\nseed = 7\npace_ms = \"fast\"\n").unwrap_err();
        assert!(err.starts_with("3:11:"), "{err}");
        let err = Config::parse("[engine]\nsede = 7\n").unwrap_err();
        assert!(err.starts_with("2:1:") && err.contains("sede"), "{err}");
        let err = Config::parse("[engine\n").unwrap_err();
        assert!(err.starts_with("1:"), "{err}");
    }
}
