//! Key bindings as data. One table (`actions!` below) defines every action: its config name, its
//! default keys and its description. The same table drives key handling, the `?` help overlay,
//! the status-bar hints, the `:` palette and the `[keys]` config section, so they cannot drift.

use std::collections::HashMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

/// A key binding from the config file: one key string or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeySpec {
    One(String),
    Many(Vec<String>),
}

impl KeySpec {
    fn strings(&self) -> Vec<&str> {
        match self {
            Self::One(s) => vec![s.as_str()],
            Self::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

macro_rules! actions {
    ($( $variant:ident, $name:ident, [$($key:literal),*], $desc:literal; )*) => {
        /// Everything a key can ask for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),* }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            /// The snake_case name used in `[keys]` and the palette.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => stringify!($name)),* }
            }

            pub fn description(self) -> &'static str {
                match self { $(Action::$variant => $desc),* }
            }

            fn default_keys(self) -> &'static [&'static str] {
                match self { $(Action::$variant => &[$($key),*]),* }
            }
        }

        /// `[keys]` in the config file: action name → key string or list of key strings.
        /// User bindings replace the defaults of that action; other actions keep theirs.
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct KeysConfig {
            $( #[serde(default)] pub $name: Option<KeySpec>, )*
        }

        impl KeysConfig {
            fn get(&self, action: Action) -> Option<&KeySpec> {
                match action { $(Action::$variant => self.$name.as_ref()),* }
            }
        }
    };
}

actions! {
    Quit, quit, ["q", "ctrl-c"], "Quit (asks when a job is running)";
    Help, help, ["?"], "Show or hide this help";
    Palette, palette, [":"], "Command palette";
    NextPane, next_pane, ["tab"], "Next pane";
    PrevPane, prev_pane, ["shift-tab"], "Previous pane";
    PaneThreads, pane_threads, ["1"], "Go to threads";
    PaneChat, pane_chat, ["2"], "Go to chat";
    PanePlan, pane_plan, ["3"], "Go to plan inspector";
    PaneLog, pane_log, ["4"], "Go to job log";
    PaneLeads, pane_leads, ["5"], "Go to leads";
    Up, up, ["k", "up"], "Move up";
    Down, down, ["j", "down"], "Move down";
    Top, top, ["g", "home"], "Go to top";
    Bottom, bottom, ["G", "end"], "Go to bottom";
    PageUp, page_up, ["pgup", "ctrl-b"], "Page up";
    PageDown, page_down, ["pgdn", "ctrl-f"], "Page down";
    HalfPageUp, half_page_up, ["ctrl-u"], "Half a page up";
    HalfPageDown, half_page_down, ["ctrl-d"], "Half a page down";
    Left, left, ["h", "left"], "Previous column / scroll left";
    Right, right, ["l", "right"], "Next column / scroll right";
    Open, open, ["enter"], "Open / select";
    Back, back, ["esc"], "Back / close";
    Filter, filter, ["/"], "Filter the list";
    NewThread, new_thread, ["n"], "New thread (focus the input); leads with a search: next match";
    PrevMatch, prev_match, ["N"], "Leads with a search: previous match";
    Rename, rename, ["R"], "Rename the thread";
    Delete, delete, ["d"], "Delete the thread";
    Input, input, ["i"], "Type a message";
    Approve, approve, ["a"], "Approve the plan (credit ceiling optional)";
    Stop, stop, ["s"], "Stop the running job";
    Replan, replan, ["r"], "Replan with feedback";
    Push, push, ["p"], "Push leads to a CRM / outreach tool";
    Export, export, ["e"], "Export the leads as shown (CSV / JSON / XLSX)";
    Enrich, enrich, ["E"], "Enrich leads (Modern Leads)";
    Sort, sort, ["o"], "Sort by the selected column (again: reverse)";
    MinConfidence, min_confidence, ["c"], "Cycle the minimum confidence";
    Copy, copy, ["y"], "Copy the selected cell (OSC 52)";
    CopyRow, copy_row, ["Y"], "Copy the marked rows (else the selected one) as CSV / Markdown / JSON";
    Mark, mark, ["v"], "Leads: mark / unmark the row for copying";
    Columns, columns, ["C"], "Leads: pick, order and size the columns";
    Mapping, mapping, ["M"], "Opened file: correct its column mapping and open it again";
    OpenUrl, open_url, ["x"], "Open the selected source URL";
    Follow, follow, ["f"], "Toggle follow mode in the job log";
}

/// A key with its modifiers, normalised so `R` and `shift-r` are the same chord.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl KeyChord {
    pub fn from_event(ev: &KeyEvent) -> Self {
        Self::normalised(ev.code, ev.modifiers)
    }

    fn normalised(code: KeyCode, mods: KeyModifiers) -> Self {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            // Terminals report Shift-Tab as BackTab, with or without SHIFT.
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Char(c) => {
                // The case of the character already says whether shift was held.
                mods.remove(KeyModifiers::SHIFT);
                if c.is_ascii_alphabetic() && mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            other => other,
        };
        Self { code, mods }
    }

    /// Parses `"ctrl-r"`, `"shift-tab"`, `"alt-enter"`, `"G"`, `"pgdn"`, `"f5"`, `"space"`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let mut mods = KeyModifiers::NONE;
        let mut rest = raw;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            if rest.len() == len {
                break; // "ctrl-" alone: treat "-" as the key below
            }
            mods |= m;
            rest = &rest[len..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            "space" => KeyCode::Char(' '),
            f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse::<u8>().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        let c = if mods.contains(KeyModifiers::SHIFT) {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        };
                        KeyCode::Char(c)
                    }
                    _ => {
                        return Err(format!(
                            "`{raw}` is not a key (try \"a\", \"ctrl-r\", \"shift-tab\", \"pgdn\")"
                        ));
                    }
                }
            }
        };
        Ok(Self::normalised(code, mods))
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// The resolved bindings: defaults with the user's `[keys]` merged over them.
#[derive(Debug, Clone)]
pub struct Keymap {
    by_chord: HashMap<KeyChord, Action>,
    /// Every action's keys, in table order (for help, hints and the palette).
    by_action: Vec<(Action, Vec<KeyChord>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        // The defaults are a compile-time table; they are covered by a test.
        Self::from_config(&KeysConfig::default()).unwrap_or_else(|_| Self {
            by_chord: HashMap::new(),
            by_action: Vec::new(),
        })
    }
}

impl Keymap {
    pub fn from_config(config: &KeysConfig) -> Result<Self, String> {
        let mut by_action = Vec::with_capacity(Action::ALL.len());
        for &action in Action::ALL {
            let chords = match config.get(action) {
                Some(spec) => spec
                    .strings()
                    .into_iter()
                    .map(|s| {
                        KeyChord::parse(s).map_err(|e| format!("[keys] {}: {e}", action.name()))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                None => action
                    .default_keys()
                    .iter()
                    .map(|s| KeyChord::parse(s))
                    .collect::<Result<Vec<_>, _>>()?,
            };
            by_action.push((action, chords));
        }
        // User bindings win over defaults bound to the same key: insert defaults first.
        let mut by_chord = HashMap::new();
        for user_pass in [false, true] {
            for (action, chords) in &by_action {
                if config.get(*action).is_some() == user_pass {
                    for chord in chords {
                        by_chord.insert(*chord, *action);
                    }
                }
            }
        }
        // A default key taken over by a user binding no longer belongs to its old action.
        for (action, chords) in &mut by_action {
            chords.retain(|c| by_chord.get(c) == Some(action));
        }
        Ok(Self {
            by_chord,
            by_action,
        })
    }

    pub fn action_for(&self, ev: &KeyEvent) -> Option<Action> {
        self.by_chord.get(&KeyChord::from_event(ev)).copied()
    }

    pub fn keys_for(&self, action: Action) -> &[KeyChord] {
        self.by_action
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, c)| c.as_slice())
            .unwrap_or(&[])
    }

    /// "k/↑" — every key of an action, for help and hints.
    pub fn label(&self, action: Action) -> String {
        let keys = self.keys_for(action);
        if keys.is_empty() {
            return "—".to_string();
        }
        keys.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The first key of an action, for compact hints.
    pub fn short_label(&self, action: Action) -> String {
        self.keys_for(action)
            .first()
            .map(ToString::to_string)
            .unwrap_or_else(|| "—".into())
    }

    pub fn entries(&self) -> &[(Action, Vec<KeyChord>)] {
        &self.by_action
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn every_default_binding_parses_and_no_two_actions_share_a_key() {
        let map = Keymap::from_config(&KeysConfig::default()).expect("defaults parse");
        let mut seen = HashMap::new();
        for &a in Action::ALL {
            assert!(!map.keys_for(a).is_empty(), "{a:?} has no key");
            for k in map.keys_for(a) {
                assert!(seen.insert(*k, a).is_none(), "{k} bound twice");
            }
        }
    }

    #[test]
    fn chords_parse_and_match_terminal_events() {
        let map = Keymap::default();
        assert_eq!(
            map.action_for(&key(KeyCode::Char('R'), KeyModifiers::SHIFT)),
            Some(Action::Rename)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevPane)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(KeyChord::parse("ctrl-r").unwrap().to_string(), "Ctrl-r");
        assert_eq!(KeyChord::parse("shift-tab").unwrap().code, KeyCode::BackTab);
        assert_eq!(KeyChord::parse("f5").unwrap().code, KeyCode::F(5));
        assert!(KeyChord::parse("ctrl-nope").is_err());
    }

    #[test]
    fn user_bindings_merge_over_defaults_and_take_keys_away() {
        let cfg: KeysConfig =
            toml::from_str("approve = \"ctrl-a\"\nstop = [\"a\", \"S\"]").unwrap();
        let map = Keymap::from_config(&cfg).unwrap();
        assert_eq!(
            map.action_for(&key(KeyCode::Char('a'), KeyModifiers::CONTROL)),
            Some(Action::Approve)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('a'), KeyModifiers::NONE)),
            Some(Action::Stop)
        );
        assert_eq!(
            map.action_for(&key(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert!(
            toml::from_str::<KeysConfig>("aprove = \"a\"").is_err(),
            "unknown actions are rejected"
        );
        let bad: KeysConfig = toml::from_str("quit = \"ctrl-\u{e9}x\"").unwrap();
        assert!(Keymap::from_config(&bad).is_err());
    }
}
