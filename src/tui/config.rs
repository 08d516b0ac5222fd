//! The TUI's slice of the config file (`[keys]`, `[theme]`) plus `NO_COLOR`.

pub use super::keymap::KeysConfig;
pub use super::theme::ThemeConfig;

#[derive(Debug, Clone, Default)]
pub struct TuiConfig {
    pub keys: KeysConfig,
    pub theme: ThemeConfig,
    /// From `NO_COLOR` (any non-empty value) or the config; the caller decides.
    pub no_color: bool,
}

impl TuiConfig {
    /// `NO_COLOR` per no-color.org: set and non-empty means no colour.
    pub fn no_color_from_env() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }
}
