//! The mouse: click to focus and select, wheel to scroll.

use super::*;
use crate::tui::layout;

/// Click to focus and select, wheel to scroll. Hit-testing uses the same layout as drawing.
pub(super) fn on_mouse(s: &mut AppState, m: MouseEvent) -> Effects {
    if s.overlay.is_some() || s.chat.input_focused && !matches!(m.kind, MouseEventKind::Down(_)) {
        return vec![];
    }
    let Some(a) = layout::areas(Rect::new(0, 0, s.size.0, s.size.1)) else {
        return vec![];
    };
    let at = Position::new(m.column, m.row);
    let pane_at = if a.threads.contains(at) {
        Some(Pane::Threads)
    } else if a.content.contains(at) {
        Some(layout::shown_pane(s))
    } else {
        None
    };
    match m.kind {
        MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
            let Some(p) = pane_at else { return vec![] };
            s.focus = p;
            let step = if p == Pane::Threads || p == Pane::Leads {
                1
            } else {
                3
            };
            move_selection(
                s,
                if m.kind == MouseEventKind::ScrollUp {
                    -step
                } else {
                    step
                },
            )
        }
        MouseEventKind::Down(MouseButton::Left) => {
            s.chat.input_focused = false;
            if a.tabs.contains(at) {
                return match layout::tab_at(a.tabs, m.column) {
                    Some(p) => focus(s, p),
                    None => vec![],
                };
            }
            match pane_at {
                Some(Pane::Threads) => {
                    s.focus = Pane::Threads;
                    // Inside the border (and the filter line when shown); the list keeps the
                    // selection on screen by scrolling just enough, as ratatui's List does.
                    let filter =
                        u16::from(s.threads.filter.active || !s.threads.filter.text.is_empty());
                    let top = a.threads.y + 1 + filter;
                    let h = usize::from(a.threads.height.saturating_sub(2 + filter)).max(1);
                    let offset = s.threads.selected.saturating_sub(h - 1);
                    if m.row >= top {
                        let i = offset + usize::from(m.row - top);
                        if i < s.threads.items.len() && i != s.threads.selected {
                            s.threads.selected = i;
                            return select_thread(s);
                        }
                    }
                    vec![]
                }
                Some(Pane::Leads) if s.leads.detail.is_none() => {
                    s.focus = Pane::Leads;
                    // Border, filter line and header sit above the first row.
                    let top = a.content.y + 3;
                    if m.row >= top && !s.leads.view.is_empty() {
                        let i = s.leads.offset + usize::from(m.row - top);
                        if i < s.leads.view.len() {
                            s.leads.selected = i;
                        }
                    }
                    vec![]
                }
                Some(Pane::Chat) => {
                    s.focus = Pane::Chat;
                    // The message box is the bottom of the chat pane.
                    let input_h = s.chat.input.lines().len().clamp(1, 6) as u16 + 2;
                    if m.row >= a.content.y + a.content.height.saturating_sub(input_h) {
                        s.chat.input_focused = true;
                    }
                    vec![]
                }
                Some(p) => focus(s, p),
                None => vec![],
            }
        }
        _ => vec![],
    }
}
