//! The thread list (left): status of the last job, title, relative time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::{fit, pane_block, status_glyph, status_style};
use crate::tui::state::{AppState, Pane};

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let focused = s.focus == Pane::Threads;
    let count = if s.threads.has_more {
        format!("{}+", s.threads.items.len())
    } else {
        s.threads.items.len().to_string()
    };
    let block = pane_block(s, format!(" 1 Threads ({count}) "), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let filter_h = u16::from(s.threads.filter.active || !s.threads.filter.text.is_empty());
    let [filter_area, list_area] =
        Layout::vertical([Constraint::Length(filter_h), Constraint::Fill(1)]).areas(inner);
    if filter_h > 0 {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("/", s.theme.key),
                Span::raw(if s.threads.filter.active {
                    s.threads.filter.display()
                } else {
                    s.threads.filter.text.clone()
                }),
            ])),
            filter_area,
        );
    }
    if s.threads.items.is_empty() {
        let text = if !s.threads.loaded && s.connection.is_down() {
            // The chat pane and the status bar say why and when it retries.
            "✗ Disconnected".to_string()
        } else if !s.threads.loaded {
            "Loading…".to_string()
        } else if !s.threads.filter.text.is_empty() {
            "No thread matches.".to_string()
        } else {
            format!(
                "No threads yet.\nPress {} to start one.",
                s.keymap.short_label(crate::tui::keymap::Action::NewThread)
            )
        };
        let style = if s.connection.is_down() {
            s.theme.error
        } else {
            s.theme.muted
        };
        frame.render_widget(Paragraph::new(text).style(style), list_area);
        return;
    }
    let width = usize::from(list_area.width);
    let items: Vec<ListItem> = s
        .threads
        .items
        .iter()
        .map(|t| {
            let when = t.updated_at.relative_to(s.now);
            let title_w = width.saturating_sub(when.chars().count() + 3);
            let title = fit(&t.title, title_w);
            let pad = width.saturating_sub(2 + Span::raw(&title).width() + when.chars().count());
            ListItem::new(Line::from(vec![
                Span::styled(
                    status_glyph(t.last_job_status),
                    status_style(s, t.last_job_status),
                ),
                Span::raw(" "),
                Span::styled(title, s.theme.text),
                Span::raw(" ".repeat(pad)),
                Span::styled(when, s.theme.muted),
            ]))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(s.threads.selected));
    let list = List::new(items).highlight_style(if focused {
        s.theme.selected
    } else {
        s.theme.title
    });
    frame.render_stateful_widget(list, list_area, &mut state);
}
