//! The push dialog: provider picker, dry-run preview, progress and result.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph, Wrap};

use super::{fit, pane_block, popup, spinner};
use crate::model::push::{IntegrationProgress, PushItemIssue, PushProvider, PushResult};
use crate::text::sanitize_inline as clean;
use crate::tui::state::AppState;
use crate::tui::state::overlay::{PushFlow, PushStage};

const WIDTH: u16 = 84;

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState, flow: &PushFlow) {
    let title = match &flow.stage {
        PushStage::Pick => {
            " Push leads · ↑/↓ provider · m mode · t test data · Enter preview · Esc "
        }
        PushStage::Previewing => " Push leads · dry run… ",
        PushStage::Preview(_) => " Push leads · dry run · Enter push · b back · Esc cancel ",
        PushStage::Pushing(_) => " Push leads · pushing · Esc hide (it keeps going) ",
        PushStage::Done(_) => " Push leads · done · Enter close ",
        PushStage::Failed(_) => " Push leads · failed · b back · Esc close ",
    };
    let block = pane_block(s, title, true);
    // Lines are cut to the inner width, so the dialog can be sized to them.
    let width = usize::from(WIDTH.min(area.width).saturating_sub(2));
    let t = &s.theme;
    let mut lines: Vec<Line> = Vec::new();
    match &flow.stage {
        PushStage::Pick => pick(&mut lines, s, flow, width),
        PushStage::Previewing => {
            lines.push(Line::raw(format!(
                "{} Planning the push to {}…",
                spinner(s),
                flow.provider()
            )));
        }
        PushStage::Preview(r) => preview(&mut lines, s, r, width),
        PushStage::Pushing(p) => {
            pushing(frame, area, s, flow, p, block);
            return;
        }
        PushStage::Done(r) => done(&mut lines, s, r, width),
        PushStage::Failed(message) => {
            lines.push(Line::styled("The push did not go through:", t.error));
            for chunk in wrap_text(&clean(message), width) {
                lines.push(Line::raw(chunk));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "b goes back to the providers; nothing recorded as sent will be sent twice.",
                t.muted,
            ));
        }
    }
    // Rows after wrapping (a little generous: wrapping at spaces can take an extra row).
    let rows: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(width.max(1)).max(1))
        .sum();
    let r = popup(frame, area, WIDTH, rows as u16 + 2);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn pick(lines: &mut Vec<Line<'static>>, s: &AppState, flow: &PushFlow, width: usize) {
    let t = &s.theme;
    lines.push(Line::styled(
        format!("Push the leads of {}", flow.job),
        t.title,
    ));
    lines.push(Line::raw(""));
    for (i, p) in PushProvider::ALL.iter().enumerate() {
        let marker = if i == flow.selected { "›" } else { " " };
        let style = if i == flow.selected {
            t.selected
        } else {
            t.text
        };
        let known = flow
            .status
            .as_ref()
            .and_then(|list| list.iter().find(|st| st.provider == p.as_str()));
        let (mark, mark_style) = match known {
            Some(st) if st.connected => ("✓ ", t.ok),
            Some(_) => ("· ", t.muted),
            None => ("  ", t.muted),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{marker} "), style),
            Span::styled(mark, mark_style),
            Span::styled(format!("{:<11}", p.as_str()), style),
            Span::styled(p.describe(), t.muted),
        ]));
    }
    // The selected provider's status in words when it cannot be used yet.
    let selected = flow.provider();
    if let Some(st) = flow
        .status
        .as_ref()
        .and_then(|list| list.iter().find(|st| st.provider == selected.as_str()))
        && !st.connected
    {
        lines.push(Line::raw(""));
        for chunk in wrap_text(&clean(&st.detail), width) {
            lines.push(Line::styled(chunk, t.warn));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("m", t.key),
        Span::raw(format!(" mode: {}    ", flow.mode)),
        Span::styled("t", t.key),
        Span::raw(format!(
            " test-mode leads to real services: {}",
            if flow.allow_test_data {
                "allowed"
            } else {
                "refused"
            }
        )),
    ]));
    if flow.provider() == PushProvider::File {
        lines.push(Line::styled(
            format!("writes {}", flow.request(false).list_id.unwrap_or_default()),
            t.muted,
        ));
    }
    lines.push(Line::styled(
        "Enter runs a dry run first: nothing is sent until you confirm.",
        t.muted,
    ));
}

/// The progress of a push: a line and a gauge of the requests answered.
fn pushing(
    frame: &mut Frame,
    area: Rect,
    s: &AppState,
    flow: &PushFlow,
    p: &IntegrationProgress,
    block: ratatui::widgets::Block,
) {
    let t = &s.theme;
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::raw(format!(
        "{} Pushing to {}: {} of {} requests answered",
        spinner(s),
        flow.provider(),
        p.done,
        p.total
    )));
    lines.push(Line::raw(""));
    lines.push(Line::raw(""));
    let r = popup(frame, area, WIDTH, lines.len() as u16 + 2);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines), inner);
    let ratio = if p.total == 0 {
        0.0
    } else {
        p.done as f64 / p.total as f64
    };
    if inner.height >= 3 {
        let gauge = Rect {
            y: inner.y + 2,
            height: 1,
            ..inner
        };
        frame.render_widget(
            Gauge::default()
                .gauge_style(t.accent)
                .ratio(ratio.clamp(0.0, 1.0)),
            gauge,
        );
    }
}

fn counts(r: &PushResult) -> String {
    format!(
        "{} created · {} updated · {} skipped · {} errors",
        r.created,
        r.updated,
        r.skipped,
        r.errors.len()
    )
}

fn preview(lines: &mut Vec<Line<'static>>, s: &AppState, r: &PushResult, width: usize) {
    let t = &s.theme;
    let items: usize = r.planned.iter().map(|p| p.items.len()).sum();
    lines.push(Line::styled(
        format!(
            "Dry run to {} ({}): {} request(s), {items} item(s), {} skipped. Nothing sent yet.",
            r.provider,
            r.mode,
            r.planned.len(),
            r.skipped
        ),
        t.title,
    ));
    if let Some(list) = r.list_url.as_deref().or(r.list_id.as_deref()) {
        lines.push(Line::styled(
            fit(&format!("to {}", clean(list)), width),
            t.muted,
        ));
    }
    lines.push(Line::raw(""));
    for p in r.planned.iter().take(3) {
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", p.method), t.key),
            Span::raw(fit(&clean(&p.url), width.saturating_sub(8))),
        ]));
        let body = serde_json::to_string(&p.body).unwrap_or_default();
        lines.push(Line::styled(fit(&clean(&body), width), t.muted));
    }
    if r.planned.len() > 3 {
        lines.push(Line::styled(
            format!("… {} more requests", r.planned.len() - 3),
            t.muted,
        ));
    }
    issues(lines, s, "skip", &r.skips, width, 4);
    if r.planned.is_empty() {
        lines.push(Line::styled(
            "Nothing to send. Enter records nothing new; Esc closes.",
            t.warn,
        ));
    }
}

fn done(lines: &mut Vec<Line<'static>>, s: &AppState, r: &PushResult, width: usize) {
    let t = &s.theme;
    let style = if r.errors.is_empty() { t.ok } else { t.warn };
    lines.push(Line::styled(
        format!("Pushed to {} ({}): {}", r.provider, r.mode, counts(r)),
        style,
    ));
    if let Some(list) = r.list_url.as_deref().or(r.list_id.as_deref()) {
        lines.push(Line::styled(
            fit(&format!("list: {}", clean(list)), width),
            t.muted,
        ));
    }
    lines.push(Line::raw(format!(
        "{} request(s) sent · push {}",
        r.requests_sent, r.push_id
    )));
    lines.push(Line::raw(""));
    issues(lines, s, "error", &r.errors, width, 8);
    issues(lines, s, "skip", &r.skips, width, 4);
    if !r.errors.is_empty() {
        lines.push(Line::styled(
            "Push again (p) to retry only what failed.",
            t.muted,
        ));
    }
}

fn issues(
    lines: &mut Vec<Line<'static>>,
    s: &AppState,
    label: &str,
    list: &[PushItemIssue],
    width: usize,
    max: usize,
) {
    let style = if label == "error" {
        s.theme.error
    } else {
        s.theme.muted
    };
    for i in list.iter().take(max) {
        let text = format!(
            "{label} {} · {} · {}",
            clean(&i.item),
            clean(&i.code),
            clean(&i.message)
        );
        lines.push(Line::styled(fit(&text, width), style));
    }
    if list.len() > max {
        lines.push(Line::styled(
            format!("… {} more {label}s", list.len() - max),
            style,
        ));
    }
}

/// Splits text into lines of at most `width` characters at spaces, so the dialog's height is
/// known before drawing.
fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut out = vec![String::new()];
    for word in text.split(' ') {
        let last = out.last_mut().map(|l| l.chars().count()).unwrap_or(0);
        if last > 0 && last + 1 + word.chars().count() > width {
            out.push(String::new());
        }
        if let Some(line) = out.last_mut() {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    out
}
