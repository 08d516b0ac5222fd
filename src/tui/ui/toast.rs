//! Toasts: bottom-right of the body, newest last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use crate::tui::state::AppState;
use crate::tui::state::toast::Level;

/// Lines a toast may take: long errors (with their request id) wrap instead of being cut.
const MAX_LINES: usize = 8;

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let width = area.width.saturating_sub(4).min(72);
    if width < 8 || s.toasts.items.is_empty() {
        return;
    }
    // Newest at the bottom, stacked upwards while there is room.
    let mut bottom = area.y + area.height.saturating_sub(1);
    for t in s.toasts.items.iter().rev() {
        let (glyph, style) = match t.level {
            Level::Info => ("i", s.theme.accent),
            Level::Warn => ("!", s.theme.warn),
            Level::Error => ("✗", s.theme.error),
        };
        let mut lines = super::chat::wrap(&format!("{glyph} {}", t.text), usize::from(width - 2));
        if lines.len() > MAX_LINES {
            lines.truncate(MAX_LINES);
            if let Some(last) = lines.last_mut() {
                *last = super::fit(&format!("{last}…"), usize::from(width - 2));
            }
        }
        let h = lines.len() as u16;
        let w = lines
            .iter()
            .map(|l| Line::raw(l.as_str()).width() as u16)
            .max()
            .unwrap_or(0)
            + 2;
        if bottom < area.y + h {
            break;
        }
        let r = Rect {
            x: area.x + area.width - w - 1,
            y: bottom - h,
            width: w,
            height: h,
        };
        bottom -= h;
        frame.render_widget(Clear, r);
        let text: Vec<Line> = lines
            .into_iter()
            .map(|l| Line::raw(format!(" {l} ")))
            .collect();
        frame.render_widget(Paragraph::new(text).style(style.patch(s.theme.status)), r);
    }
}
