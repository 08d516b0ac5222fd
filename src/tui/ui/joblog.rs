//! The job log: status line, progress gauge, steps and scrolling log lines (follow mode).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

use super::{duration, pane_block, spinner, status_glyph, status_style, thousands};
use crate::tui::state::joblog::{ConnState, StepStatus};
use crate::tui::state::{AppState, Pane};

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let follow = if s.log.follow { " · follow" } else { "" };
    let block = pane_block(s, format!(" 4 Job log{follow} "), s.focus == Pane::Log);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(job) = &s.log.job else {
        frame.render_widget(
            Paragraph::new("No job yet: approve a plan to start one.").style(s.theme.muted),
            inner,
        );
        return;
    };
    let steps_h = (s.log.steps.len() as u16).min(inner.height / 3);
    let [head, gauge, steps, log] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(steps_h),
        Constraint::Fill(1),
    ])
    .areas(inner);

    draw_head(frame, head, s, job);
    draw_gauge(frame, gauge, s);
    draw_steps(frame, steps, s, steps_h);
    draw_lines(frame, log, s);
}

/// Status, rows, credits, elapsed time, stream state and the job id.
fn draw_head(frame: &mut Frame, area: Rect, s: &AppState, job: &crate::model::Job) {
    let mut spans = vec![
        Span::styled(
            format!("{} {}", status_glyph(Some(job.status)), job.status.as_str()),
            status_style(s, Some(job.status)),
        ),
        Span::raw(format!(
            " · {} rows · {} credits",
            thousands(s.log.rows_captured),
            thousands(u64::from(s.log.credits_used))
        )),
    ];
    if let Some(ms) = s.log.elapsed_ms(s.now) {
        spans.push(Span::raw(format!(" · {}", duration(ms))));
    }
    match s.log.conn {
        ConnState::Live => spans.push(Span::styled(
            format!(" · {} live", spinner(s)),
            s.theme.accent,
        )),
        ConnState::Reconnecting { attempt } => spans.push(Span::styled(
            format!(" · reconnecting (attempt {attempt})"),
            s.theme.warn,
        )),
        ConnState::Idle => {}
    }
    spans.push(Span::styled(format!(" · {}", job.id), s.theme.muted));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_gauge(frame: &mut Frame, area: Rect, s: &AppState) {
    let p = s.log.progress;
    let pct = p.percent.min(100);
    let label = if p.total > 0 {
        format!("step {}/{} · {pct}%", p.step, p.total)
    } else {
        format!("{pct}%")
    };
    frame.render_widget(
        Gauge::default()
            .gauge_style(s.theme.accent)
            .percent(pct as u16)
            .label(label),
        area,
    );
}

fn draw_steps(frame: &mut Frame, area: Rect, s: &AppState, steps_h: u16) {
    let step_lines: Vec<Line> = s
        .log
        .steps
        .iter()
        .map(|st| {
            let (g, style) = match st.status {
                StepStatus::Pending => ("·", s.theme.muted),
                // A job that stopped, failed or was interrupted mid-step: that step no longer runs.
                StepStatus::Started if !s.log.is_running() => ("■", s.theme.warn),
                StepStatus::Started => (spinner(s), s.theme.accent),
                StepStatus::Completed => ("✓", s.theme.ok),
                StepStatus::Failed => ("✗", s.theme.error),
            };
            Line::from(vec![
                Span::styled(format!(" {g} "), style),
                Span::raw(st.title.clone()),
            ])
        })
        .collect();
    // Keep the active step in view when there are more steps than rows.
    let active = s
        .log
        .steps
        .iter()
        .rposition(|st| st.status != StepStatus::Pending)
        .unwrap_or(0);
    let skip = (active + 1).saturating_sub(usize::from(steps_h));
    frame.render_widget(
        Paragraph::new(step_lines.into_iter().skip(skip).collect::<Vec<_>>()),
        area,
    );
}

/// The log lines: the newest in follow mode, else from the scroll position.
fn draw_lines(frame: &mut Frame, area: Rect, s: &AppState) {
    let h = usize::from(area.height);
    let n = s.log.lines.len();
    let start = if s.log.follow {
        n.saturating_sub(h)
    } else {
        s.log.scroll.min(n.saturating_sub(1))
    };
    let lines: Vec<Line> = s.log.lines[start.min(n)..(start + h).min(n)]
        .iter()
        .map(|l| {
            let style = match l.level.as_str() {
                "error" => s.theme.error,
                "warn" | "warning" => s.theme.warn,
                "done" | "artifact" => s.theme.ok,
                "step" => s.theme.accent,
                _ => s.theme.text,
            };
            Line::from(vec![
                Span::styled(format!("{:>8} ", fmt_clock(l.at)), s.theme.muted),
                Span::styled(format!("{:<5} ", l.level), style),
                Span::raw(l.message.clone()),
            ])
        })
        .collect();
    if lines.is_empty() {
        frame.render_widget(
            Paragraph::new("No log lines yet.").style(s.theme.muted),
            area,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), area);
    }
}

/// `HH:MM:SS` of a timestamp (UTC).
fn fmt_clock(t: crate::model::Timestamp) -> String {
    let secs = t.millis().div_euclid(1000).rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}
