//! The TUI's slice of the config file (`[keys]`, `[theme]`, `[tui]`) plus `NO_COLOR`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use super::keymap::KeysConfig;
pub use super::theme::ThemeConfig;

#[derive(Debug, Clone, Default)]
pub struct TuiConfig {
    pub keys: KeysConfig,
    pub theme: ThemeConfig,
    /// From `NO_COLOR` (any non-empty value) or the config; the caller decides.
    pub no_color: bool,
    /// Start on this job's leads table (`leadline open FILE`): its thread is the newest, so the
    /// first thread listing selects it; focus starts on the leads.
    pub open_job: Option<crate::model::JobId>,
    /// `[tui]`: the leads table's columns.
    pub tui: TuiSection,
    /// Where the column picker saves `[tui] columns`; `None`: only for this session.
    pub config_file: Option<PathBuf>,
    /// Where `e` proposes to write exports (the data dir's `exports/`).
    pub export_dir: Option<PathBuf>,
}

/// `[tui]` in the config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TuiSection {
    /// The leads table's columns in order, `name` or `name:width`; empty: the defaults.
    pub columns: Vec<String>,
}

/// Writes `[tui] columns = [...]` into the config file at `path`, creating it if need be and
/// keeping every other line, comment and key as it was (toml_edit edits the document in place).
pub fn save_columns(path: &Path, entries: &[String]) -> Result<(), String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("could not read {}: {e}", path.display())),
    };
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| {
        format!(
            "{} is not valid TOML, not saving the columns: {e}",
            path.display()
        )
    })?;
    let mut list = toml_edit::Array::new();
    for e in entries {
        list.push(e.as_str());
    }
    let tui = doc
        .entry("tui")
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
    let Some(tui) = tui.as_table_like_mut() else {
        return Err(format!("{}: `tui` is not a table", path.display()));
    };
    tui.insert("columns", toml_edit::value(list));
    crate::export::write_atomic(path, doc.to_string().as_bytes()).map_err(|e| e.message)
}

impl TuiConfig {
    /// `NO_COLOR` per no-color.org: set and non-empty means no colour.
    pub fn no_color_from_env() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }
}

/// The `[keys]` and `[theme]` sections for `config.example.toml`, with every key documented.
/// A test parses it and checks it lists every action with its default keys.
pub const EXAMPLE: &str = r##"# ── TUI key bindings ───────────────────────────────────────────────────────────────────────
# action = "key" or ["key", "key"]. A binding here replaces that action's default keys; actions
# left out keep theirs; a key you take over is removed from the action that had it.
# Keys: a single character ("a", "G" = shift-g, "?", "/"), "ctrl-r", "alt-x", "shift-tab", "enter",
# "esc", "tab", "up", "down", "left", "right", "home", "end", "pgup", "pgdn", "backspace", "delete",
# "space", "f1" … "f12". The ? help overlay and the status-bar hints show your bindings.
[keys]
quit = ["q", "ctrl-c"]        # quit (asks first while a job is running)
help = "?"                    # show / hide the help overlay
palette = ":"                 # command palette: run any action by name
next_pane = "tab"             # next pane
prev_pane = "shift-tab"       # previous pane
pane_threads = "1"            # go to the thread list
pane_chat = "2"               # go to the chat
pane_plan = "3"               # go to the plan inspector
pane_log = "4"                # go to the job log
pane_leads = "5"              # go to the leads table
up = ["k", "up"]              # move up / scroll up
down = ["j", "down"]          # move down / scroll down
top = ["g", "home"]           # go to the top
bottom = ["G", "end"]         # go to the bottom (in the job log: resume follow mode)
page_up = ["pgup", "ctrl-b"]  # page up
page_down = ["pgdn", "ctrl-f"] # page down
half_page_up = "ctrl-u"       # half a page up
half_page_down = "ctrl-d"     # half a page down
left = ["h", "left"]          # leads: previous column (scrolls horizontally)
right = ["l", "right"]        # leads: next column (scrolls horizontally)
open = "enter"                # open: thread → chat, chat → message box, lead → detail view
back = "esc"                  # back: close the detail view, clear a filter
filter = "/"                  # filter the thread list or the leads table
new_thread = "n"              # new thread (the cursor goes to the message box); leads with a search: next match
prev_match = "N"              # leads with a search: previous match
rename = "R"                  # rename the thread
delete = "d"                  # delete the thread (confirm; a running job is stopped first)
input = "i"                   # type in the message box (Enter sends, Alt-Enter newline, Esc leaves)
approve = "a"                 # approve the current plan, with an optional credit ceiling
stop = "s"                    # stop the running job (confirm) / decline a pending plan
replan = "r"                  # replan with feedback
push = "p"                    # push leads: provider picker → dry run → confirm → result
export = "e"                  # export the leads as shown (or all) to CSV / JSON / XLSX; the path is editable
enrich = "E"                  # enrich the leads with Modern Leads (verify emails)
sort = "o"                    # leads: sort by the selected column (again: reverse, third: off)
min_confidence = "c"          # leads: cycle the minimum confidence (0, 0.5, 0.7, 0.9)
copy = "y"                    # leads: copy the selected cell or field (OSC 52, works over SSH)
copy_row = "Y"                # leads: copy the marked rows (else the selected one) as CSV / Markdown / JSON
mark = "v"                    # leads: mark / unmark the row for copying
columns = "C"                 # leads: column picker (show/hide, reorder, widen/narrow; saved in [tui])
mapping = "M"                 # opened file: correct its column mapping and open it again
open_url = "x"                # leads: open the selected field's source URL in the browser
follow = "f"                  # job log: toggle follow mode

# ── TUI leads table ────────────────────────────────────────────────────────────────────────
# The columns in order, "name" or "name:width"; the first stays put when the table scrolls
# sideways. Names: company domain city country company_linkedin person title email linkedin
# confidence sources industry employees funding_stage funding_amount seniority email_status, or
# fields.KEY for any other lead field. The column picker (C) writes this list back here.
[tui]
columns = []                  # empty: the defaults (Email and Confidence visible down to 100 columns)

# ── TUI colours: a built-in theme, and overrides ────────────────────────────────────────────
# A colour name (black red green yellow blue magenta cyan gray darkgray lightred lightgreen
# lightyellow lightblue lightmagenta lightcyan white reset), "#rrggbb", or an ANSI index "0"–"255".
# NO_COLOR=1 in the environment turns colours off (focus and selection stay visible).
[theme]
name = "terminal"             # built-in (assets/themes/): terminal, dark, light, high-contrast
# Any colour set here overrides the theme's; the values shown are the terminal theme's.
# accent = "cyan"               # titles, keys, progress, live indicators
# text = "reset"                # body text (reset = the terminal's own colour)
# muted = "darkgray"            # secondary text: times, hints, sources
# border = "darkgray"           # pane borders
# border_focused = "cyan"       # the focused pane's border
# selection_bg = "blue"         # background of the selected row
# ok = "green"                  # succeeded, TEST badge
# warn = "yellow"               # warnings, pending / stopped jobs
# error = "red"                 # errors, failed jobs, LIVE badge
# status_bg = "black"           # status bar and toasts background
"##;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{Action, Keymap};
    use crate::tui::theme::Theme;

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Example {
        keys: KeysConfig,
        theme: ThemeConfig,
        tui: TuiSection,
    }

    #[test]
    fn the_example_parses_lists_every_action_and_matches_the_defaults() {
        let ex: Example = toml::from_str(EXAMPLE).expect("the example parses");
        let from_example = Keymap::from_config(&ex.keys).expect("its keys are valid");
        let defaults = Keymap::default();
        for &a in Action::ALL {
            assert!(
                EXAMPLE.contains(&format!("\n{} =", a.name())),
                "{} is not documented",
                a.name()
            );
            assert_eq!(
                from_example.keys_for(a),
                defaults.keys_for(a),
                "{}",
                a.name()
            );
        }
        Theme::new(&ex.theme, false).expect("its colours are valid");
        assert!(ex.tui.columns.is_empty());
    }

    #[test]
    fn saving_columns_keeps_the_users_comments_and_other_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "# my settings\n[engine]\nseed = 9 # lucky\n\n[tui]\n# columns I like\ncolumns = [\"email\"]\n",
        )
        .unwrap();
        save_columns(&path, &["company".into(), "email:40".into()]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("# my settings") && text.contains("seed = 9 # lucky"),
            "{text}"
        );
        assert!(
            text.contains("columns = [\"company\", \"email:40\"]"),
            "{text}"
        );
        let cfg = crate::config::Config::parse(&text).expect("still a valid config");
        assert_eq!(cfg.tui.columns, ["company", "email:40"]);
        // No file yet: one is created with just the section.
        let fresh = dir.path().join("new/config.toml");
        save_columns(&fresh, &["title".into()]).unwrap();
        assert!(std::fs::read_to_string(&fresh).unwrap().contains("[tui]"));
        // A file that is not TOML is left alone.
        std::fs::write(&path, "not = [toml").unwrap();
        assert!(save_columns(&path, &["title".into()]).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "not = [toml");
    }
}
