//! A lead's detail view: every field with the source(s) it came from.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::leads::confidence_bar;
use super::pane_block;
use crate::engine::sources::grounding::{Strength, combined};
use crate::model::{Lead, SourceKind};
use crate::tui::keymap::Action;
use crate::tui::state::leads::detail_paths;
use crate::tui::state::{AppState, Pane};

/// A field's own score: the grounding rule's support from the sources that back it,
/// `1 − Π(1 − strength)` (README, "Confidence"). The lead's confidence also weighs conflicts and
/// counts the email twice, so it is not the mean of these. `None`: no source backs the field.
pub fn field_score(lead: &Lead, path: &str) -> Option<f64> {
    let verified = lead.fields.get("email_verified") == Some(&serde_json::Value::Bool(true));
    let strengths: Vec<Strength> = lead
        .sources_for(path)
        .map(|src| match src.kind {
            SourceKind::Web => Strength::Page,
            SourceKind::Dataset => Strength::Dataset,
            SourceKind::Provider if verified && path == "person.email" => Strength::VerifiedEmail,
            SourceKind::Provider => Strength::Provider,
            SourceKind::Synthetic => Strength::PatternGuess,
        })
        .collect();
    (!strengths.is_empty()).then(|| combined(strengths))
}

/// Lines of at most `width` cells, broken at spaces; a word longer than a line (a URL) is
/// split across lines rather than cut, so it shows whole. Hand-written: ratatui's own wrapping
/// cannot say how many lines it made, which scrolling to the selected field needs.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let w = |t: &str| Span::raw(t).width();
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let sep = usize::from(!line.is_empty());
        if w(&line) + sep + w(word) <= width {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            let mut buf = [0u8; 4];
            if w(&line) + w(c.encode_utf8(&mut buf)) > width {
                out.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

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
        let score = field_score(lead, path);
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
    fn wrapping_keeps_every_character_and_long_urls_whole() {
        let url = "https://example.com/a/very/long/path/that/is/wider/than/the/pane?q=1";
        let lines = wrap(&format!("see {url} now"), 20);
        assert!(
            lines.iter().all(|l| Span::raw(l.as_str()).width() <= 20),
            "{lines:?}"
        );
        let joined: String = lines.concat();
        assert!(joined.contains(&url.replace(' ', "")), "{lines:?}");
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("a b c", 3), ["a b", "c"]);
    }

    #[test]
    fn a_fields_score_is_the_support_of_its_own_sources() {
        let job = crate::tui::fixtures::job_id(1);
        let mut lead = crate::tui::fixtures::leads(&job, 1).remove(0);
        // One synthetic source: a pattern guess.
        let s = field_score(&lead, "company.name").unwrap();
        assert!((s - 0.30).abs() < 1e-9, "{s}");
        assert_eq!(field_score(&lead, "company.linkedin"), None);
        lead.sources[0].kind = SourceKind::Web;
        let mut second = lead.sources[0].clone();
        second.kind = SourceKind::Dataset;
        second.url = Some("https://registry.example/x".into());
        lead.sources.push(second);
        // A page and a dataset agree: 1 − 0.2 × 0.4.
        let s = field_score(&lead, "company.name").unwrap();
        assert!((s - 0.92).abs() < 1e-9, "{s}");
    }
}
