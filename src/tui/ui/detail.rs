//! A lead's detail view: every field with the source(s) it came from.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::leads::confidence_bar;
use super::pane_block;
use crate::model::{Lead, SourceKind};
use crate::tui::keymap::Action;
use crate::tui::state::leads::detail_paths;
use crate::tui::state::{AppState, Pane};

pub use super::wrap::wrap;

fn kind(k: SourceKind) -> &'static str {
    match k {
        SourceKind::Web => "web",
        SourceKind::Dataset => "dataset",
        SourceKind::Provider => "provider",
        SourceKind::Synthetic => "synthetic",
    }
}

/// The sources behind one field, one wrapped line or more each, under the field.
fn source_lines(lead: &Lead, path: &str, width: usize, s: &AppState) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for src in lead.sources_for(path) {
        let mut parts = vec![kind(src.kind).to_string()];
        if let Some(n) = &src.name {
            parts.push(n.clone());
        }
        parts.push(format!("retrieved {}", src.retrieved_at));
        if let Some(u) = &src.url {
            parts.push(u.clone());
        }
        for (n, chunk) in wrap(&parts.join(" · "), width).into_iter().enumerate() {
            let lead_in = if n == 0 { "    ↳ " } else { "      " };
            lines.push(Line::styled(format!("{lead_in}{chunk}"), s.theme.muted));
        }
    }
    if lines.is_empty() && !lead.field_text(path).unwrap_or_default().is_empty() {
        lines.push(Line::styled("    ↳ no source recorded", s.theme.warn));
    }
    lines
}

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let Some(d) = &s.leads.detail else { return };
    let Some(lead) = s.leads.lead(d.lead as u32) else {
        return;
    };
    let k = &s.keymap;
    let title = format!(
        " Lead — {} · {} back · {} copy · {} open URL ",
        lead.company.name,
        k.short_label(Action::Back),
        k.short_label(Action::Copy),
        k.short_label(Action::OpenUrl)
    );
    let block = pane_block(
        s,
        super::fit(&title, usize::from(area.width.saturating_sub(2))),
        s.focus == Pane::Leads,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![
        Line::from(vec![
            Span::styled("confidence     ", s.theme.muted),
            Span::raw(confidence_bar(lead.confidence)),
            Span::styled(
                if lead.livemode {
                    "  live"
                } else {
                    "  test data (synthetic)"
                },
                s.theme.muted,
            ),
        ]),
        Line::styled(
            "field                  score value (score: support of the field's own sources)",
            s.theme.muted,
        ),
    ];
    let mut selected_line = 0;
    // path (22) + space + score (4) + space, then the value.
    let indent = 28;
    let value_w = usize::from(inner.width).saturating_sub(indent).max(8);
    let source_w = usize::from(inner.width).saturating_sub(6).max(8);
    for (i, path) in detail_paths(lead).iter().enumerate() {
        let value = lead.field_text(path).unwrap_or_default();
        if i == d.selected {
            selected_line = lines.len();
        }
        let style = if i == d.selected {
            s.theme.selected
        } else {
            s.theme.text
        };
        let score = lead.field_score(path);
        let score_text = score.map_or("   —".to_string(), |v| format!("{v:>4.2}"));
        let shown = if value.is_empty() {
            "—".to_string()
        } else {
            value
        };
        for (n, chunk) in wrap(&shown, value_w).into_iter().enumerate() {
            let head = if n == 0 {
                vec![
                    Span::styled(
                        format!("{path:<22} "),
                        if i == d.selected {
                            style
                        } else {
                            s.theme.muted
                        },
                    ),
                    Span::styled(format!("{score_text} "), s.theme.accent),
                ]
            } else {
                vec![Span::raw(" ".repeat(indent))]
            };
            let mut spans = head;
            spans.push(Span::styled(chunk, style));
            lines.push(Line::from(spans));
        }
        lines.extend(source_lines(lead, path, source_w, s));
    }
    let h = usize::from(inner.height).max(1);
    let scroll = (selected_line + 2).saturating_sub(h);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll.min(usize::from(u16::MAX)) as u16, 0)),
        inner,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fields_score_is_the_support_of_its_own_sources() {
        let job = crate::tui::fixtures::job_id(1);
        let mut lead = crate::tui::fixtures::leads(&job, 1).remove(0);
        // One synthetic source: a pattern guess.
        let s = lead.field_score("company.name").unwrap();
        assert!((s - 0.30).abs() < 1e-9, "{s}");
        assert_eq!(lead.field_score("company.linkedin"), None);
        lead.sources[0].kind = SourceKind::Web;
        let mut second = lead.sources[0].clone();
        second.kind = SourceKind::Dataset;
        second.url = Some("https://registry.example/x".into());
        lead.sources.push(second);
        // A page and a dataset agree: 1 − 0.2 × 0.4.
        let s = lead.field_score("company.name").unwrap();
        assert!((s - 0.92).abs() < 1e-9, "{s}");
    }
}
