//! The `?` overlay, generated from the key map: it lists exactly what the keys do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::popup;
use crate::tui::state::AppState;

pub fn lines(s: &AppState) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::styled(
            "Keys (from the key map; change them under [keys] in the config)",
            s.theme.title,
        ),
        Line::raw(""),
    ];
    for (action, _) in s.keymap.entries() {
        out.push(Line::from(vec![
            Span::styled(format!("{:<14}", s.keymap.label(*action)), s.theme.key),
            Span::raw(format!("{:<44}", action.description())),
            Span::styled(action.name(), s.theme.muted),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        "In the message box: Enter send · Alt-Enter newline · Esc leave",
        s.theme.muted,
    ));
    out.push(Line::styled(
        "In a filter: type · Enter keep · Esc clear",
        s.theme.muted,
    ));
    out
}

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState, scroll: u16) {
    let r = popup(frame, area, 78, area.height.saturating_sub(2));
    let block = super::pane_block(s, " Help · Esc close · j/k scroll ", true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines(s)).scroll((scroll, 0)), inner);
}
