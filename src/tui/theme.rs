//! Colours, from `[theme]` in the config file: a built-in theme (`name`, from assets/themes/,
//! compiled in) with any colour overridden one by one. With `NO_COLOR` (or `no_color = true`)
//! every style keeps only modifiers (bold, reverse), so selection and focus stay visible without
//! colour.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The built-in themes: name and its file under assets/themes/. The first is the default.
const BUILT_IN: &[(&str, &str)] = &[
    (
        "terminal",
        include_str!("../../assets/themes/terminal.toml"),
    ),
    ("dark", include_str!("../../assets/themes/dark.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../assets/themes/high-contrast.toml"),
    ),
];

/// The names `[theme] name` accepts.
pub fn built_in_names() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(name, _)| *name)
}

/// `[theme]`: a built-in theme's `name` and colours overriding it ("red", "lightblue",
/// "#ff8800", or an ANSI index "208").
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    /// One of [`built_in_names`]; `terminal` when unset.
    pub name: Option<String>,
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

impl ThemeConfig {
    /// This config's colours laid over its built-in theme's.
    fn resolved(&self) -> Result<ThemeConfig, String> {
        let name = self.name.as_deref().unwrap_or(BUILT_IN[0].0);
        let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) else {
            let names: Vec<&str> = built_in_names().collect();
            return Err(format!(
                "[theme] name: `{name}` is not a built-in theme; use one of {}",
                names.join(", ")
            ));
        };
        // The files are compiled in and checked by a test, so a parse failure is a build defect.
        let base: ThemeConfig = toml::from_str(text)
            .map_err(|e| format!("built-in theme `{name}` does not parse: {e}"))?;
        let pick = |own: &Option<String>, base: Option<String>| own.clone().or(base);
        Ok(ThemeConfig {
            name: Some(name.to_string()),
            accent: pick(&self.accent, base.accent),
            text: pick(&self.text, base.text),
            muted: pick(&self.muted, base.muted),
            border: pick(&self.border, base.border),
            border_focused: pick(&self.border_focused, base.border_focused),
            selection_bg: pick(&self.selection_bg, base.selection_bg),
            ok: pick(&self.ok, base.ok),
            warn: pick(&self.warn, base.warn),
            error: pick(&self.error, base.error),
            status_bg: pick(&self.status_bg, base.status_bg),
        })
    }
}

impl Theme {
    pub fn new(cfg: &ThemeConfig, no_color: bool) -> Result<Self, String> {
        let cfg = &cfg.resolved()?;
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

    #[test]
    fn every_built_in_theme_sets_every_colour_and_builds() {
        for (name, text) in BUILT_IN {
            let cfg: ThemeConfig = toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let all = [
                &cfg.accent,
                &cfg.text,
                &cfg.muted,
                &cfg.border,
                &cfg.border_focused,
                &cfg.selection_bg,
                &cfg.ok,
                &cfg.warn,
                &cfg.error,
                &cfg.status_bg,
            ];
            assert!(
                all.iter().all(|c| c.is_some()),
                "{name} leaves a colour unset"
            );
            assert!(
                cfg.name.is_none(),
                "{name}: a theme file does not name itself"
            );
            let chosen = ThemeConfig {
                name: Some(name.to_string()),
                ..ThemeConfig::default()
            };
            let theme = Theme::new(&chosen, false).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                theme.accent.fg,
                Color::from_str(cfg.accent.as_deref().unwrap()).ok()
            );
        }
    }

    #[test]
    fn a_named_theme_takes_overrides_and_an_unknown_name_lists_the_choices() {
        let cfg: ThemeConfig = toml::from_str("name = \"light\"\naccent = \"red\"").unwrap();
        let theme = Theme::new(&cfg, false).unwrap();
        assert_eq!(theme.accent.fg, Some(Color::Red));
        // The rest is light's, not the default's.
        assert_eq!(theme.text.fg, Color::from_str("#1c1c1c").ok());
        let unset = Theme::new(&ThemeConfig::default(), false).unwrap();
        assert_eq!(
            unset.accent.fg,
            Some(Color::Cyan),
            "the default stays the terminal's"
        );
        let bad: ThemeConfig = toml::from_str("name = \"solarized\"").unwrap();
        let err = Theme::new(&bad, false).unwrap_err();
        assert!(
            err.contains("solarized") && err.contains("high-contrast"),
            "{err}"
        );
    }
}
