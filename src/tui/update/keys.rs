//! Keys: overlays first, then the message box, then an active filter, then the key map.

use super::*;

pub(super) fn on_key(s: &mut AppState, key: KeyEvent) -> Effects {
    // Ctrl-C leaves from anywhere, even from the input box.
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return dispatch(s, Action::Quit);
    }
    if s.overlay.is_some() {
        return on_overlay_key(s, key);
    }
    if s.chat.input_focused {
        return on_input_key(s, key);
    }
    if let Some(fx) = on_filter_key(s, &key) {
        return fx;
    }
    match s.keymap.action_for(&key) {
        Some(action) => dispatch(s, action),
        None => vec![],
    }
}

/// Pasted text goes where typing would: a dialog's line, an active filter, else the message box
/// (focused for it, as a chat client does). Control characters other than newlines and tabs are
/// dropped; one-line inputs get newlines as spaces.
pub(super) fn on_paste(s: &mut AppState, text: &str) -> Effects {
    let multi: String = text
        .replace("\r\n", "\n")
        // Terminals (and tmux) deliver pasted line ends as CR.
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    let line: String = multi
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    match s.overlay.as_mut() {
        Some(Overlay::Prompt(p)) => {
            p.input.text.push_str(&line);
            p.error = None;
            return vec![];
        }
        Some(Overlay::Palette(p)) => {
            p.input.text.push_str(&line);
            p.selected = 0;
            return vec![];
        }
        Some(_) => return vec![],
        None => {}
    }
    if !s.chat.input_focused {
        match s.focus {
            Pane::Threads if s.threads.filter.active => {
                s.threads.filter.text.push_str(&line);
                return vec![list_threads(s)];
            }
            Pane::Leads if s.leads.filter.active => {
                s.leads.filter.text.push_str(&line);
                s.leads.set_query();
                s.leads.scroll_into_view(s.table_height());
                return vec![];
            }
            _ => {}
        }
        s.chat.input_focused = true;
        s.focus = Pane::Chat;
    }
    s.chat.input.insert_str(multi);
    vec![]
}

fn on_input_key(s: &mut AppState, key: KeyEvent) -> Effects {
    match key.code {
        KeyCode::Esc => {
            s.chat.input_focused = false;
            vec![]
        }
        KeyCode::Enter if key.modifiers.contains(KeyModifiers::ALT) => {
            s.chat.input.insert_newline();
            vec![]
        }
        KeyCode::Enter => send(s),
        _ => {
            s.chat.input.input(key);
            vec![]
        }
    }
}

fn send(s: &mut AppState) -> Effects {
    let content = s.chat.input_text();
    if content.trim().is_empty() {
        toast(s, Level::Warn, "Type what you are looking for first");
        return vec![];
    }
    if s.chat.sending {
        toast(s, Level::Warn, "Still planning the previous prompt…");
        return vec![];
    }
    s.chat.sending = true;
    s.chat.in_flight = Some(content.clone());
    s.chat.clear_input();
    s.chat.input_focused = false;
    let thread = s.chat.thread.clone();
    vec![request(s, Slot::Action, Request::Post { thread, content })]
}

/// Keys for an active `/` filter; `None` when no filter is being typed or the key is not for it.
fn on_filter_key(s: &mut AppState, key: &KeyEvent) -> Option<Effects> {
    match s.focus {
        Pane::Threads if s.threads.filter.active => match s.threads.filter.handle(key) {
            InputOutcome::Ignored => None,
            InputOutcome::Changed => Some(vec![list_threads(s)]),
            InputOutcome::Submit => {
                s.threads.filter.active = false;
                Some(vec![])
            }
            InputOutcome::Cancel => {
                s.threads.filter = LineInput::default();
                Some(vec![list_threads(s)])
            }
        },
        Pane::Leads if s.leads.filter.active => {
            match s.leads.filter.handle(key) {
                InputOutcome::Ignored => return None,
                InputOutcome::Changed => {}
                InputOutcome::Submit => s.leads.filter.active = false,
                InputOutcome::Cancel => s.leads.filter = LineInput::default(),
            }
            s.leads.set_query();
            s.leads.scroll_into_view(s.table_height());
            Some(vec![])
        }
        _ => None,
    }
}

/// The palette's text split into the command and its argument (`sort confidence`).
pub fn palette_split(query: &str) -> (String, String) {
    let q = query.trim_start();
    match q.split_once(char::is_whitespace) {
        Some((name, arg)) => (name.to_lowercase(), arg.trim().to_string()),
        None => (q.trim().to_lowercase(), String::new()),
    }
}

/// Palette entries matching the typed text, in key-map order. With an argument typed, only
/// commands whose name starts with the first word are offered.
pub fn palette_matches(query: &str) -> Vec<Action> {
    let (q, arg) = palette_split(query);
    Action::ALL
        .iter()
        .copied()
        .filter(|a| *a != Action::Palette)
        .filter(|a| {
            if !arg.is_empty() {
                return a.name().starts_with(&q);
            }
            q.is_empty() || a.name().contains(&q) || a.description().to_lowercase().contains(&q)
        })
        .collect()
}
