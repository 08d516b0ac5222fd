//! The plan inspector: title, the ICP as readable filters, the steps, the credit estimate.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pane_block, thousands};
use crate::model::{Icp, JobStatus, Range};
use crate::tui::keymap::Action;
use crate::tui::state::{AppState, Pane};

fn range_text(r: &Range) -> Option<String> {
    match (r.min, r.max) {
        (None, None) => None,
        (Some(a), None) => Some(format!("{a}+")),
        (None, Some(b)) => Some(format!("up to {b}")),
        (Some(a), Some(b)) if a == b => Some(a.to_string()),
        (Some(a), Some(b)) => Some(format!("{a}–{b}")),
    }
}

/// The ICP as (label, value) rows, only the filters that are set.
pub fn icp_rows(icp: &Icp) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    let mut list = |label: &'static str, v: &[String]| {
        if !v.is_empty() {
            rows.push((label, v.join(", ")));
        }
    };
    list("Industries", &icp.industries);
    list("Countries", &icp.countries);
    list("Regions", &icp.regions);
    list("Cities", &icp.cities);
    list("US states", &icp.us_states);
    list("Funding", &icp.funding_stages);
    list("Roles", &icp.roles);
    list("Technologies", &icp.technologies);
    list("Hiring for", &icp.hiring_for);
    list("Excluded", &icp.excluded_sources);
    if let Some(e) = range_text(&icp.employees) {
        rows.push(("Employees", e));
    }
    if !icp.team_size.is_empty() {
        let teams: Vec<String> = icp
            .team_size
            .iter()
            .filter_map(|(d, r)| range_text(r).map(|t| format!("{d} {t}")))
            .collect();
        if !teams.is_empty() {
            rows.push(("Team size", teams.join(", ")));
        }
    }
    if let Some(d) = icp.funded_within_days {
        rows.push(("Funded within", format!("{d} days")));
    }
    rows.push(("Max rows", icp.target_rows().to_string()));
    rows
}

/// The filters a replan changed, as (label, old, new); "—" where a filter was not set.
pub fn icp_diff(old: &Icp, new: &Icp) -> Vec<(&'static str, String, String)> {
    let (before, after) = (icp_rows(old), icp_rows(new));
    let find = |rows: &[(&'static str, String)], label: &str| {
        rows.iter()
            .find(|(l, _)| *l == label)
            .map_or_else(|| "\u{2014}".to_string(), |(_, v)| v.clone())
    };
    let mut labels: Vec<&'static str> = after.iter().map(|(l, _)| *l).collect();
    let gone: Vec<&'static str> = before
        .iter()
        .map(|(l, _)| *l)
        .filter(|l| !labels.contains(l))
        .collect();
    labels.extend(gone);
    labels
        .into_iter()
        .filter_map(|l| {
            let (o, n) = (find(&before, l), find(&after, l));
            (o != n).then_some((l, o, n))
        })
        .collect()
}

/// "Changes" (old → new) for a replanned plan and "Not understood: …" for spans the planner
/// could not use.
fn review_lines(s: &AppState, p: &crate::model::Plan, lines: &mut Vec<Line<'static>>) {
    if let Some(old) = &s.plan.previous_icp {
        let diff = icp_diff(old, &p.icp);
        if !diff.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled("Changes (old \u{2192} new)", s.theme.title));
            for (label, o, n) in diff {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {label:<14}"), s.theme.muted),
                    Span::raw(o),
                    Span::styled(" \u{2192} ", s.theme.muted),
                    Span::styled(n, s.theme.accent),
                ]));
            }
        }
    }
    if !p.not_understood.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled("Not understood: ", s.theme.title),
            Span::raw(p.not_understood.join(", ")),
        ]));
    }
}

/// Where a step's text starts, under its title.
const STEP_INDENT: usize = 7;

/// `text` after the styled `prefix`, word-wrapped to `width` with every further line indented by
/// `indent` columns, so a long step or audience value stays in its column instead of running back
/// to the pane's edge as ratatui's own wrapping would (it has no hanging indent).
fn hanging(
    prefix: Vec<Span<'static>>,
    text: &str,
    style: Style,
    indent: usize,
    width: u16,
) -> Vec<Line<'static>> {
    let first = prefix.iter().map(Span::width).sum::<usize>();
    // Too narrow to indent usefully: let the text run on, ratatui wraps it.
    let width = usize::from(width);
    if width < indent.max(first) + 8 {
        let mut spans = prefix;
        spans.push(Span::styled(text.to_string(), style));
        return vec![Line::from(spans)];
    }
    let (lead, rest) = (" ".repeat(first), " ".repeat(indent));
    let options = textwrap::Options::new(width)
        .initial_indent(&lead)
        .subsequent_indent(&rest);
    let mut prefix = Some(prefix);
    textwrap::wrap(text, options)
        .into_iter()
        .map(|piece| match prefix.take() {
            Some(mut spans) => {
                spans.push(Span::styled(tail(&piece, first), style));
                Line::from(spans)
            }
            None => Line::from(vec![
                Span::raw(rest.clone()),
                Span::styled(tail(&piece, indent), style),
            ]),
        })
        .collect()
}

/// A wrapped line without the indent textwrap put in front of it (ASCII spaces, so a byte
/// offset); an empty text comes back without any indent.
fn tail(piece: &str, indent: usize) -> String {
    piece.get(indent..).unwrap_or_default().to_string()
}

/// Each step: number, intent and title, then its task and expected columns under it.
fn step_lines(s: &AppState, p: &crate::model::Plan, width: u16, lines: &mut Vec<Line<'static>>) {
    for (i, step) in p.steps.iter().enumerate() {
        let number = Span::raw(format!("  {}. ", i + 1));
        let intent = Span::styled(format!("[{}] ", step.intent.as_str()), s.theme.accent);
        lines.extend(hanging(
            vec![number, intent],
            &step.title,
            s.theme.text,
            STEP_INDENT,
            width,
        ));
        let pad = Span::raw(" ".repeat(STEP_INDENT));
        lines.extend(hanging(
            vec![pad],
            &step.task,
            Style::default(),
            STEP_INDENT,
            width,
        ));
        if !step.expected_columns.is_empty() {
            let arrow = Span::styled(format!("{:STEP_INDENT$}→ ", ""), s.theme.muted);
            lines.extend(hanging(
                vec![arrow],
                &step.expected_columns.join(", "),
                s.theme.muted,
                STEP_INDENT + 2,
                width,
            ));
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let block = pane_block(s, " 3 Plan ", s.focus == Pane::Plan);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(p) = &s.plan.plan else {
        let text = if s.log.job.is_some() {
            "Loading the plan…"
        } else {
            "No plan yet: describe an audience in the chat."
        };
        frame.render_widget(Paragraph::new(text).style(s.theme.muted), inner);
        return;
    };
    let mut lines: Vec<Line> = vec![Line::styled(p.title.clone(), s.theme.title)];
    let status = s
        .log
        .job
        .as_ref()
        .filter(|j| j.plan_id == p.id)
        .map(|j| j.status);
    let mut credits = vec![
        Span::raw("Estimate "),
        Span::styled(
            format!("{} credits", thousands(u64::from(p.credits_estimate))),
            s.theme.accent,
        ),
    ];
    if let Some(u) = &s.usage {
        credits.push(Span::raw(format!(
            " · balance {} credits",
            thousands(u.credits.remaining)
        )));
        if !s.backend.livemode {
            credits.push(Span::styled(" · test mode: free", s.theme.muted));
        }
    }
    if let Some(st) = status {
        credits.push(Span::raw(format!(" · job {}", st.as_str())));
    }
    lines.push(Line::from(credits));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Audience", s.theme.title));
    let width = inner.width;
    for (label, value) in icp_rows(&p.icp) {
        let label = Span::styled(format!("  {label:<14}"), s.theme.muted);
        lines.extend(hanging(vec![label], &value, Style::default(), 16, width));
    }
    review_lines(s, p, &mut lines);
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("Steps ({})", p.steps.len()),
        s.theme.title,
    ));
    step_lines(s, p, width, &mut lines);
    if !p.notes.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Notes", s.theme.title));
        for n in &p.notes {
            lines.extend(hanging(
                vec![Span::raw("  • ")],
                n,
                Style::default(),
                4,
                width,
            ));
        }
    }
    if status == Some(JobStatus::Pending) {
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::styled(s.keymap.short_label(Action::Approve), s.theme.key),
            Span::raw(" approve (optional credit ceiling)  "),
            Span::styled(s.keymap.short_label(Action::Replan), s.theme.key),
            Span::raw(" replan with feedback  "),
            Span::styled(s.keymap.short_label(Action::Stop), s.theme.key),
            Span::raw(" decline"),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((s.plan.scroll, 0)),
        inner,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn hanging_lines_fit_and_keep_their_indent() {
        let task = "Search fintech companies in FR at Series A with 20+ engineers and a \
                    hiring page that names a backend role";
        let lines = hanging(vec![Span::raw("  1. ")], task, Style::default(), 7, 40);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(text(&lines[0]).starts_with("  1. Search"));
        for l in &lines {
            assert!(l.width() <= 40, "{:?}", text(l));
        }
        for l in &lines[1..] {
            let t = text(l);
            assert!(
                t.starts_with("       ") && !t[7..].starts_with(' '),
                "{t:?}"
            );
        }
        let words: Vec<String> = lines
            .iter()
            .flat_map(|l| {
                text(l)
                    .split_whitespace()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(words.join(" "), format!("1. {task}").replace("  ", " "));
        // Nothing to wrap, or no room to indent: no panic, the prefix stays.
        assert_eq!(
            text(&hanging(vec![Span::raw("  • ")], "", Style::default(), 4, 40)[0]),
            "  • "
        );
        assert_eq!(
            hanging(vec![Span::raw("  • ")], task, Style::default(), 4, 6).len(),
            1
        );
    }
}
