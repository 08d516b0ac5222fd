//! Below the minimum size: say so plainly instead of drawing a broken layout.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::widgets::{Paragraph, Wrap};

use super::{MIN_HEIGHT, MIN_WIDTH};
use crate::tui::state::AppState;

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let text = format!(
        "terminal too small (need {MIN_WIDTH}×{MIN_HEIGHT})\nnow {}×{} · q quits",
        area.width, area.height
    );
    // Centre vertically when there is room; at 1×1 this is just the first character.
    let lines = 2u16;
    let y = area.y + area.height.saturating_sub(lines) / 2;
    let r = Rect {
        x: area.x,
        y,
        width: area.width,
        height: area.height - (y - area.y),
    };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .style(s.theme.warn),
        r,
    );
}
