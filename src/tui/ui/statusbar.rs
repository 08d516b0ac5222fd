//! The status bar: backend, TEST/LIVE, credits, connection, spinner, and key hints generated
//! from the key map (so they show the user's own bindings).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{spinner, thousands};
use crate::backend::BackendKind;
use crate::tui::keymap::Action;
use crate::tui::state::connection::host_of;
use crate::tui::state::joblog::ConnState;
use crate::tui::state::{AppState, Pane};

/// The hints for a pane, most useful first; the bar shows as many as fit.
pub fn hints(s: &AppState) -> &'static [Action] {
    if s.chat.input_focused {
        return &[];
    }
    match s.focus {
        Pane::Threads => &[
            Action::Help,
            Action::NewThread,
            Action::Filter,
            Action::Rename,
            Action::Delete,
            Action::Quit,
        ],
        Pane::Chat => &[
            Action::Help,
            Action::Input,
            Action::Approve,
            Action::Replan,
            Action::Quit,
        ],
        Pane::Plan => &[
            Action::Help,
            Action::Approve,
            Action::Replan,
            Action::Stop,
            Action::Quit,
        ],
        Pane::Log => &[
            Action::Help,
            Action::Stop,
            Action::Follow,
            Action::PaneLeads,
            Action::Quit,
        ],
        Pane::Leads if s.leads.detail.is_some() => {
            &[Action::Help, Action::Back, Action::Copy, Action::OpenUrl]
        }
        Pane::Leads => &[
            Action::Help,
            Action::Filter,
            Action::Sort,
            Action::Open,
            Action::Export,
            Action::Push,
        ],
    }
}

fn hint_word(a: Action) -> &'static str {
    match a {
        Action::Help => "help",
        Action::NewThread => "new",
        Action::Filter => "filter",
        Action::Rename => "rename",
        Action::Delete => "delete",
        Action::Quit => "quit",
        Action::Input => "type",
        Action::Approve => "approve",
        Action::Replan => "replan",
        Action::Stop => "stop",
        Action::Follow => "follow",
        Action::PaneLeads => "leads",
        Action::Back => "back",
        Action::Copy => "copy",
        Action::OpenUrl => "open",
        Action::Sort => "sort",
        Action::Open => "detail",
        Action::Export => "export",
        Action::Push => "push",
        _ => a.name(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let t = &s.theme;
    let mut left = vec![
        Span::styled(
            match s.backend.kind {
                BackendKind::Local => " LOCAL ".to_string(),
                // The host only: the location is a URL and never carries the key.
                BackendKind::Remote => format!(" REMOTE {} ", host_of(&s.backend.location)),
            },
            t.title,
        ),
        if s.backend.livemode {
            Span::styled(" LIVE ", t.error)
        } else {
            Span::styled(" TEST ", t.ok)
        },
    ];
    if let Some(u) = &s.usage {
        left.push(Span::raw(format!(
            " {} credits ",
            thousands(u.credits.remaining)
        )));
    }
    if let Some(secs) = s.connection.retry_in_secs(s.now) {
        left.push(Span::styled(
            if secs > 0 {
                format!(" ✗ disconnected · retry in {secs}s ")
            } else {
                " ✗ disconnected · retrying ".to_string()
            },
            t.error,
        ));
    }
    match s.log.conn {
        ConnState::Live => left.push(Span::styled(" ● streaming ", t.accent)),
        ConnState::Reconnecting { attempt } => left.push(Span::styled(
            format!(" ↻ reconnecting ({attempt}) "),
            t.warn,
        )),
        ConnState::Idle => {}
    }
    if let Some(file) = &s.importing {
        left.push(Span::styled(
            if s.leads.paged {
                format!(
                    " {} opening {} ",
                    spinner(s),
                    crate::text::sanitize_inline(file)
                )
            } else {
                format!(
                    " {} opening {} · first {} rows shown ",
                    spinner(s),
                    crate::text::sanitize_inline(file),
                    thousands(s.leads.count())
                )
            },
            t.warn,
        ));
    }
    if s.requests.pending > 0 || s.chat.sending {
        left.push(Span::styled(format!(" {} ", spinner(s)), t.accent));
    }
    if s.chat.input_focused {
        left.push(Span::styled(
            " Enter send · Alt-Enter newline · Esc leave input ",
            t.muted,
        ));
    }
    let used: usize = left.iter().map(|sp| sp.width()).sum();
    let mut right: Vec<Span> = Vec::new();
    let mut right_w = 0;
    for &a in hints(s) {
        let key = s.keymap.short_label(a);
        let w = key.chars().count() + hint_word(a).len() + 3;
        if used + right_w + w > usize::from(area.width) {
            break;
        }
        right_w += w;
        right.push(Span::styled(key, t.key));
        right.push(Span::styled(format!(" {}  ", hint_word(a)), t.muted));
    }
    let pad = usize::from(area.width).saturating_sub(used + right_w);
    left.push(Span::raw(" ".repeat(pad)));
    left.extend(right);
    frame.render_widget(Paragraph::new(Line::from(left)).style(t.status), area);
}
