//! Toasts: bottom-right of the body, newest last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use crate::tui::state::AppState;
use crate::tui::state::toast::Level;

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let width = area.width.saturating_sub(4).min(72);
    let n = s.toasts.items.len() as u16;
    if width < 8 || n == 0 || area.height < n + 2 {
        return;
    }
    for (i, t) in s.toasts.items.iter().enumerate() {
        let (glyph, style) = match t.level {
            Level::Info => ("i", s.theme.accent),
            Level::Warn => ("!", s.theme.warn),
            Level::Error => ("✗", s.theme.error),
        };
        let text = super::fit(&format!(" {glyph} {} ", t.text), usize::from(width));
        let w = (Line::raw(text.as_str()).width() as u16).min(width);
        let r = Rect {
            x: area.x + area.width - w - 1,
            y: area.y + area.height - 1 - (n - i as u16),
            width: w,
            height: 1,
        };
        frame.render_widget(Clear, r);
        frame.render_widget(Paragraph::new(text).style(style.patch(s.theme.status)), r);
    }
}
