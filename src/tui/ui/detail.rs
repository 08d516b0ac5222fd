//! A lead's detail view: every field with the source(s) it came from.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::leads::confidence_bar;
use super::pane_block;
use crate::model::SourceKind;
use crate::tui::keymap::Action;
use crate::tui::state::leads::detail_paths;
use crate::tui::state::{AppState, Pane};

fn kind(k: SourceKind) -> &'static str {
    match k {
        SourceKind::Web => "web",
        SourceKind::Dataset => "dataset",
        SourceKind::Provider => "provider",
        SourceKind::Synthetic => "synthetic",
    }
}

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let Some(d) = &s.leads.detail else { return };
    let Some(lead) = s.leads.leads.get(d.lead) else {
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
        Line::raw(""),
    ];
    let mut selected_line = 0;
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
        lines.push(Line::from(vec![
            Span::styled(
                format!("{path:<22} "),
                if i == d.selected {
                    style
                } else {
                    s.theme.muted
                },
            ),
            Span::styled(
                if value.is_empty() {
                    "—".to_string()
                } else {
                    value
                },
                style,
            ),
        ]));
        let mut any = false;
        for src in lead.sources_for(path) {
            any = true;
            let mut parts = vec![kind(src.kind).to_string()];
            if let Some(n) = &src.name {
                parts.push(n.clone());
            }
            parts.push(format!("retrieved {}", src.retrieved_at));
            if let Some(u) = &src.url {
                parts.push(u.clone());
            }
            lines.push(Line::styled(
                format!("    ↳ {}", parts.join(" · ")),
                s.theme.muted,
            ));
        }
        if !any && !lead.field_text(path).unwrap_or_default().is_empty() {
            lines.push(Line::styled("    ↳ no source recorded", s.theme.warn));
        }
    }
    let h = usize::from(inner.height).max(1);
    let scroll = (selected_line + 2).saturating_sub(h);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll.min(usize::from(u16::MAX)) as u16, 0)),
        inner,
    );
}
