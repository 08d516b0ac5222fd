//! The column picker: every column the leads can show, ticked when shown, in table order.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pane_block, popup};
use crate::tui::state::AppState;
use crate::tui::state::overlay::ColumnPicker;

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState, p: &ColumnPicker) {
    let h = (p.items.len() as u16 + 4)
        .min(area.height.saturating_sub(2))
        .max(6);
    let r = popup(frame, area, 64, h);
    let block = pane_block(s, " Columns · Enter apply and save · Esc cancel ", true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines = vec![Line::styled(
        "Space show/hide · J/K move · +/- width · ↑/↓ select",
        s.theme.muted,
    )];
    let visible = usize::from(inner.height.saturating_sub(1)).max(1);
    let skip = (p.selected + 1).saturating_sub(visible);
    for (i, (spec, on)) in p.items.iter().enumerate().skip(skip).take(visible) {
        let style = if i == p.selected {
            s.theme.selected
        } else {
            s.theme.text
        };
        lines.push(Line::from(vec![
            Span::styled(if *on { "[x] " } else { "[ ] " }, style),
            Span::styled(format!("{:<18}", spec.column.header()), style),
            Span::styled(format!("{:<22}", spec.column.name()), s.theme.muted),
            Span::styled(format!("width {}", spec.width), s.theme.muted),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
