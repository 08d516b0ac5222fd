//! The `?` overlay, generated from the key map: it lists exactly what the keys do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::popup;
use crate::tui::state::AppState;
use crate::tui::state::input::LineInput;

/// Keys that belong to one dialog or input rather than to the key map: (keys, what they do).
pub const CONTEXT_KEYS: &[(&str, &str)] = &[
    ("Enter", "Message box: send"),
    ("Alt-Enter", "Message box: new line"),
    (
        "Esc",
        "Message box / filter / dialog: leave, clear or cancel",
    ),
    (
        "←/→ Home/End",
        "One-line inputs: move the caret (also Ctrl-a / Ctrl-e)",
    ),
    (
        "Backspace/Del",
        "One-line inputs: delete before / at the caret; Ctrl-u clears",
    ),
    ("/ word", "Leads search: a word anywhere in the lead"),
    (
        "/ col:value",
        "Leads search: within one column (city:lyon, title:\"head of\")",
    ),
    (
        "/ col>n",
        "Leads search: typed filter (confidence>0.8, country=FR, employees>=50, !=, <, <=)",
    ),
    (
        "Tab",
        "Export dialog: the view (filter, sort, columns) or all leads",
    ),
    (
        "Enter",
        "Export dialog: write (again to replace an existing file)",
    ),
    ("c / m / j", "Copy-row dialog: CSV / Markdown / JSON"),
    ("Space", "Column picker: show or hide the column"),
    ("J / K", "Column picker: move the column down / up"),
    ("+ / -", "Column picker: widen / narrow the column"),
    ("Enter", "Column picker: apply and save to [tui] columns"),
    ("y / n", "Confirmations: yes / no"),
    ("/", "Help: search these keys"),
];

fn matches(query: &str, parts: &[&str]) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty() || parts.iter().any(|p| p.to_lowercase().contains(&q))
}

/// Every key, from the key map then the dialogs', keeping only those matching `query`.
pub fn lines(s: &AppState, query: &str) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::styled(
            "Keys (from the key map; change them under [keys] in the config)",
            s.theme.title,
        ),
        Line::raw(""),
    ];
    for (action, _) in s.keymap.entries() {
        let label = s.keymap.label(*action);
        if !matches(query, &[&label, action.description(), action.name()]) {
            continue;
        }
        out.push(Line::from(vec![
            Span::styled(format!("{label:<14}"), s.theme.key),
            Span::raw(format!("{:<44}", action.description())),
            Span::styled(action.name(), s.theme.muted),
        ]));
    }
    out.push(Line::raw(""));
    for (keys, what) in CONTEXT_KEYS {
        if matches(query, &[keys, what]) {
            out.push(Line::from(vec![
                Span::styled(format!("{keys:<14}"), s.theme.key),
                Span::raw(*what),
            ]));
        }
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState, scroll: u16, search: &LineInput) {
    let r = popup(frame, area, 96, area.height.saturating_sub(2));
    let block = super::pane_block(s, " Help · / search · j/k scroll · Esc close ", true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut all = Vec::new();
    if search.active || !search.text.is_empty() {
        all.push(Line::from(vec![
            Span::styled("/", s.theme.key),
            Span::raw(if search.active {
                search.display()
            } else {
                search.text.clone()
            }),
        ]));
    }
    all.extend(lines(s, &search.text));
    frame.render_widget(Paragraph::new(all).scroll((scroll, 0)), inner);
}
