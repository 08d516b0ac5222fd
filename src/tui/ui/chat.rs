//! The chat (centre): prompts, plan cards, result summaries, and the input box.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{pane_block, spinner};
use crate::model::{JobStatus, MessageKind, Role};
use crate::tui::keymap::Action;
use crate::tui::state::{AppState, Pane};

pub use super::wrap::wrap;

fn push_wrapped<'a>(
    lines: &mut Vec<Line<'a>>,
    prefix: &'a str,
    text: &str,
    width: usize,
    style: Style,
) {
    for l in wrap(text, width.saturating_sub(prefix.chars().count())) {
        lines.push(Line::from(vec![Span::styled(prefix, style), Span::raw(l)]));
    }
}

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let focused = matches!(s.focus, Pane::Chat);
    let input_lines = s.chat.input.lines().len().clamp(1, 6) as u16;
    let [history, input] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(input_lines + 2)]).areas(area);
    let title = match &s.chat.thread {
        Some(id) => s
            .threads
            .items
            .iter()
            .find(|t| &t.id == id)
            .map(|t| format!(" 2 Chat — {} ", t.title))
            .unwrap_or_else(|| " 2 Chat ".into()),
        None => " 2 Chat — new thread ".into(),
    };
    let block = pane_block(
        s,
        super::fit(&title, usize::from(area.width.saturating_sub(4))),
        focused && !s.chat.input_focused,
    );
    let inner = block.inner(history);
    frame.render_widget(block, history);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    if s.chat.messages.is_empty() {
        let text = if s.connection.is_down() || s.chat.thread.is_some() && !s.chat.loaded {
            super::loading_text(s)
        } else {
            format!(
                "Describe the audience you are looking for, e.g.\n\"50 fintech CTOs in France, Series A, hiring engineers\"\nPress {} to type, Enter to send.",
                s.keymap.short_label(Action::Input)
            )
        };
        for l in wrap(&text, width) {
            lines.push(Line::styled(l, s.theme.muted));
        }
    }
    for m in &s.chat.messages {
        let when = m.created_at.relative_to(s.now);
        let (who, style) = match (m.role, m.kind) {
            (Role::User, _) => ("you", s.theme.title),
            (Role::Assistant, MessageKind::Plan) => ("plan", s.theme.accent),
            (Role::Assistant, MessageKind::Result) => ("result", s.theme.ok),
            (Role::Assistant, MessageKind::Text) => ("leadline", s.theme.warn),
        };
        lines.push(Line::from(vec![
            Span::styled(who, style),
            Span::styled(format!(" · {when}"), s.theme.muted),
        ]));
        let bar = if m.role == Role::User { "  " } else { "┃ " };
        push_wrapped(&mut lines, bar, &m.content, width, style);
        if m.kind == MessageKind::Plan
            && let Some(p) = s
                .plan
                .plan
                .as_ref()
                .filter(|p| Some(&p.id) == m.plan_id.as_ref())
        {
            let status = s
                .log
                .job
                .as_ref()
                .filter(|j| Some(&j.id) == m.job_id.as_ref())
                .map(|j| j.status);
            let mut card = format!("{} steps · ~{} credits", p.steps.len(), p.credits_estimate);
            if let Some(st) = status {
                card.push_str(&format!(" · job {}", st.as_str()));
            }
            if status == Some(JobStatus::Pending) {
                card.push_str(&format!(
                    " · {} approve · {} replan · {} inspect",
                    s.keymap.short_label(Action::Approve),
                    s.keymap.short_label(Action::Replan),
                    s.keymap.short_label(Action::PanePlan)
                ));
            }
            push_wrapped(&mut lines, bar, &card, width, style);
        }
        lines.push(Line::raw(""));
    }
    if s.chat.sending {
        lines.push(Line::styled(
            format!("{} planning…", spinner(s)),
            s.theme.muted,
        ));
    }
    // Bottom-anchored: `scroll` counts lines up from the newest.
    let visible = usize::from(inner.height);
    let max_up = lines.len().saturating_sub(visible);
    let up = usize::from(s.chat.scroll).min(max_up);
    let top = lines.len().saturating_sub(visible + up);
    let shown: Vec<Line> = lines.into_iter().skip(top).take(visible).collect();
    frame.render_widget(Paragraph::new(shown), inner);
    draw_input(frame, input, s);
}

fn draw_input(frame: &mut Frame, area: Rect, s: &AppState) {
    let title = if s.chat.input_focused {
        " Message · Enter send · Alt-Enter newline · Esc leave ".to_string()
    } else {
        format!(
            " Message · {} to type ",
            s.keymap.short_label(Action::Input)
        )
    };
    let block = pane_block(
        s,
        super::fit(&title, usize::from(area.width.saturating_sub(2))),
        s.chat.input_focused,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if s.chat.input_focused {
        frame.render_widget(&s.chat.input, inner);
    } else {
        let text: Vec<Line> = s
            .chat
            .input
            .lines()
            .iter()
            .map(|l| Line::raw(l.as_str()))
            .collect();
        frame.render_widget(Paragraph::new(text).style(s.theme.muted), inner);
    }
}
