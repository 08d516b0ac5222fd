//! Where each part of the screen is: computed once here and used by both drawing (`ui`) and
//! mouse hit-testing (`update`), so a click lands on what was drawn and `update` never reads `ui`.

use ratatui::layout::{Constraint, Layout, Rect};

use super::state::{AppState, Pane};

/// Below this the layout cannot show a usable table; the too-small screen says so.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// The parts of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub body: Rect,
    pub status: Rect,
    pub threads: Rect,
    pub tabs: Rect,
    pub content: Rect,
}

/// The layout for a terminal area; `None` below the minimum size.
pub fn areas(area: Rect) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [body, status] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let threads_w = (body.width / 4).clamp(22, 36);
    let [threads, right] =
        Layout::horizontal([Constraint::Length(threads_w), Constraint::Fill(1)]).areas(body);
    let [tabs, content] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(right);
    Some(Areas {
        body,
        status,
        threads,
        tabs,
        content,
    })
}

/// A pane's label in the tab bar (`i` counts from 0).
pub fn tab_label(i: usize, p: Pane) -> String {
    format!(" {} {} ", i + 1, p.title())
}

/// The pane whose tab label covers column `x` of the tab bar.
pub fn tab_at(tabs: Rect, x: u16) -> Option<Pane> {
    let mut left = tabs.x;
    for (i, p) in Pane::ALL.iter().enumerate() {
        let w = tab_label(i, *p).chars().count() as u16;
        if x >= left && x < left + w {
            return Some(*p);
        }
        left += w;
    }
    None
}

/// The pane in the main area: the chat stands in while the thread list has focus.
pub fn shown_pane(s: &AppState) -> Pane {
    match s.focus {
        Pane::Threads => Pane::Chat,
        p => p,
    }
}
