//! Colours, from `[theme]` in the config file. With `NO_COLOR` (or `no_color = true`) every style
//! keeps only modifiers (bold, reverse), so selection and focus stay visible without colour.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// `[theme]`: named colours ("red", "lightblue", "#ff8800", or an ANSI index "208").
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    pub accent: Option<String>,
    pub text: Option<String>,
    pub muted: Option<String>,
    pub border: Option<String>,
    pub border_focused: Option<String>,
    pub selection_bg: Option<String>,
    pub ok: Option<String>,
    pub warn: Option<String>,
    pub error: Option<String>,
    pub status_bg: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Theme {
    pub no_color: bool,
    pub text: Style,
    pub muted: Style,
    pub accent: Style,
    pub title: Style,
    pub border: Style,
    pub border_focused: Style,
    pub selected: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub status: Style,
    pub key: Style,
    /// The leads table's cell cursor (and its column's header): set off from the selected row.
    pub cursor: Style,
    /// Text a search matched.
    pub highlight: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Self::new(&ThemeConfig::default(), false).unwrap_or_else(|_| Self::plain())
    }
}

fn colour(raw: &Option<String>, default: Color, field: &str) -> Result<Color, String> {
    match raw {
        None => Ok(default),
        Some(s) => {
            Color::from_str(s.trim()).map_err(|_| format!("[theme] {field}: `{s}` is not a colour"))
        }
    }
}

impl Theme {
    pub fn new(cfg: &ThemeConfig, no_color: bool) -> Result<Self, String> {
        // Validate even when colours are off, so a typo is reported either way.
        let accent = colour(&cfg.accent, Color::Cyan, "accent")?;
        let text = colour(&cfg.text, Color::Reset, "text")?;
        let muted = colour(&cfg.muted, Color::DarkGray, "muted")?;
        let border = colour(&cfg.border, Color::DarkGray, "border")?;
        let border_focused = colour(&cfg.border_focused, Color::Cyan, "border_focused")?;
        let selection_bg = colour(&cfg.selection_bg, Color::Blue, "selection_bg")?;
        let ok = colour(&cfg.ok, Color::Green, "ok")?;
        let warn = colour(&cfg.warn, Color::Yellow, "warn")?;
        let error = colour(&cfg.error, Color::Red, "error")?;
        let status_bg = colour(&cfg.status_bg, Color::Black, "status_bg")?;
        if no_color {
            return Ok(Self::plain());
        }
        Ok(Self {
            no_color: false,
            text: Style::new().fg(text),
            muted: Style::new().fg(muted),
            accent: Style::new().fg(accent),
            title: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            border: Style::new().fg(border),
            border_focused: Style::new().fg(border_focused),
            selected: Style::new().bg(selection_bg).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(ok),
            warn: Style::new().fg(warn),
            error: Style::new().fg(error).add_modifier(Modifier::BOLD),
            status: Style::new().bg(status_bg),
            key: Style::new().fg(accent).add_modifier(Modifier::BOLD),
            cursor: Style::new()
                .fg(Color::Black)
                .bg(accent)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            highlight: Style::new()
                .fg(Color::Black)
                .bg(warn)
                .add_modifier(Modifier::BOLD),
        })
    }

    /// No colours at all: modifiers carry focus and selection.
    pub fn plain() -> Self {
        let s = Style::new();
        Self {
            no_color: true,
            text: s,
            muted: s,
            accent: s,
            title: s.add_modifier(Modifier::BOLD),
            border: s,
            border_focused: s.add_modifier(Modifier::BOLD),
            selected: s.add_modifier(Modifier::REVERSED),
            ok: s,
            warn: s,
            error: s.add_modifier(Modifier::BOLD),
            status: s,
            key: s.add_modifier(Modifier::BOLD),
            // Un-reversed in the reversed row, underlined: visible with no colour at all.
            cursor: s
                .remove_modifier(Modifier::REVERSED)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            highlight: s.add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_colours_parse_and_typos_are_reported() {
        let cfg: ThemeConfig =
            toml::from_str("accent = \"#ff8800\"\nerror = \"lightred\"").unwrap();
        assert!(Theme::new(&cfg, false).is_ok());
        let bad: ThemeConfig = toml::from_str("accent = \"reddish\"").unwrap();
        assert!(Theme::new(&bad, true).unwrap_err().contains("accent"));
        assert!(toml::from_str::<ThemeConfig>("acent = \"red\"").is_err());
        assert!(Theme::new(&ThemeConfig::default(), true).unwrap().no_color);
    }
}
