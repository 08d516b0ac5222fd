//! The mapping dialog: each header of the opened file, the lead field it fills, a sample value.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pane_block, popup};
use crate::text::sanitize_inline;
use crate::tui::state::AppState;
use crate::tui::state::mapping::MappingDialog;

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState, d: &MappingDialog) {
    let h = (d.rows.len() as u16 + 4)
        .min(area.height.saturating_sub(2))
        .max(6);
    let r = popup(frame, area, 100, h);
    let title = format!(
        " Mapping of {} · Enter open again · Esc cancel ",
        sanitize_inline(&d.file_name)
    );
    let block = pane_block(s, title, true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines = vec![Line::styled(
        "↑/↓ column · ←/→ change what it fills (ignore drops it) · * changed",
        s.theme.muted,
    )];
    let visible = usize::from(inner.height.saturating_sub(1)).max(1);
    let skip = (d.selected + 1).saturating_sub(visible);
    for (i, row) in d.rows.iter().enumerate().skip(skip).take(visible) {
        let style = if i == d.selected {
            s.theme.selected
        } else {
            s.theme.text
        };
        let mark = if row.target != row.initial {
            "* "
        } else {
            "  "
        };
        let header: String = sanitize_inline(&row.header).chars().take(28).collect();
        let sample: String = sanitize_inline(&row.sample).chars().take(36).collect();
        lines.push(Line::from(vec![
            Span::styled(mark, s.theme.key),
            Span::styled(format!("{header:<28} → "), style),
            Span::styled(format!("{:<26}", row.target), style),
            Span::styled(sample, s.theme.muted),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
