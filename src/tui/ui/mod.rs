//! Drawing: reads `AppState`, never mutates it, never awaits. One file per pane.

pub mod chat;
pub mod columns;
pub mod detail;
pub mod help;
pub mod joblog;
pub mod leads;
pub mod mapping;
pub mod palette;
pub mod plan;
pub mod push;
pub mod statusbar;
pub mod threads;
pub mod toast;
pub mod too_small;
pub mod wrap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use crate::model::JobStatus;

use super::layout::tab_label;
pub use super::layout::{Areas, MIN_HEIGHT, MIN_WIDTH, areas, shown_pane, tab_at};
use super::state::{AppState, Pane};

pub fn draw(frame: &mut Frame, s: &AppState) {
    let area = frame.area();
    let Some(Areas {
        body,
        status,
        threads: left,
        tabs,
        content,
    }) = areas(area)
    else {
        too_small::draw(frame, area, s);
        return;
    };
    threads::draw(frame, left, s);
    draw_tabs(frame, tabs, s);
    match shown_pane(s) {
        Pane::Threads | Pane::Chat => chat::draw(frame, content, s),
        Pane::Plan => plan::draw(frame, content, s),
        Pane::Log => joblog::draw(frame, content, s),
        Pane::Leads if s.leads.detail.is_some() => detail::draw(frame, content, s),
        Pane::Leads => leads::draw(frame, content, s),
    }
    statusbar::draw(frame, status, s);
    toast::draw(frame, body, s);
    palette::draw_overlay(frame, area, s);
}

fn draw_tabs(frame: &mut Frame, area: Rect, s: &AppState) {
    let shown = shown_pane(s);
    let mut spans = Vec::new();
    for (i, p) in Pane::ALL.iter().enumerate() {
        let style = if *p == shown && s.focus != Pane::Threads {
            s.theme.selected
        } else if *p == shown {
            s.theme.title
        } else {
            s.theme.muted
        };
        spans.push(Span::styled(tab_label(i, *p), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A pane's frame: rounded, highlighted when focused.
pub fn pane_block<'a>(s: &AppState, title: impl Into<Line<'a>>, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(if focused {
            s.theme.border_focused
        } else {
            s.theme.border
        })
        .title(title)
}

pub fn status_glyph(status: Option<JobStatus>) -> &'static str {
    match status {
        None => " ",
        Some(JobStatus::Pending) => "◌",
        Some(JobStatus::Running) => "●",
        Some(JobStatus::Succeeded) => "✓",
        Some(JobStatus::Failed) => "✗",
        Some(JobStatus::Stopped) => "■",
    }
}

pub fn status_style(s: &AppState, status: Option<JobStatus>) -> Style {
    match status {
        Some(JobStatus::Running) => s.theme.accent,
        Some(JobStatus::Succeeded) => s.theme.ok,
        Some(JobStatus::Failed) => s.theme.error,
        Some(JobStatus::Stopped | JobStatus::Pending) => s.theme.warn,
        None => s.theme.muted,
    }
}

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(s: &AppState) -> &'static str {
    SPINNER[(s.tick % SPINNER.len() as u64) as usize]
}

/// A centred popup of at most `w`×`h`, cleared.
pub fn popup(frame: &mut Frame, area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, r);
    r
}

/// Cuts `text` to `width` display columns, with an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    if Span::raw(text).width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let w = Span::raw(&*c.encode_utf8(&mut buf)).width();
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// What a pane waiting for its first answer says: "Loading…", or why nothing comes (the
/// server is down or refuses the key) and when it is tried again.
pub fn loading_text(s: &AppState) -> String {
    let crate::tui::state::connection::Connection::Down(d) = &s.connection else {
        return "Loading…".to_string();
    };
    let host = crate::tui::state::connection::host_of(&s.backend.location);
    let when = match s.connection.retry_in_secs(s.now) {
        Some(secs) if secs > 0 => format!("retrying in {secs}s"),
        _ => "retrying now".to_string(),
    };
    format!(
        "Disconnected from {host}\n{}\n{when} (attempt {})",
        d.reason, d.attempt
    )
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `83_000` ms → `1m 23s`.
pub fn duration(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    match secs {
        0..=59 => format!("{}.{}s", secs, (ms.max(0) % 1000) / 100),
        60..=3599 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, (secs % 3600) / 60),
    }
}
