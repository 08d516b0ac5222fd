//! Modal layers: the command palette, confirmations, prompts, the push picker and the export
//! format chooser. Dispatches to the right one; help has its own file.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{pane_block, popup};
use crate::tui::state::AppState;
use crate::tui::state::overlay::{ExportDialog, Overlay};
use crate::tui::update::palette_matches;

pub fn draw_overlay(frame: &mut Frame, area: Rect, s: &AppState) {
    let Some(overlay) = &s.overlay else { return };
    match overlay {
        Overlay::Help { scroll, search } => super::help::draw(frame, area, s, *scroll, search),
        Overlay::Palette(p) => {
            let matches = palette_matches(&p.input.text);
            let r = popup(
                frame,
                area,
                64,
                (matches.len() as u16 + 4)
                    .min(area.height.saturating_sub(4))
                    .max(5),
            );
            let block = pane_block(s, " Command palette · ↑/↓ · Enter run · Esc close ", true);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let mut lines = vec![Line::from(vec![
                Span::styled(": ", s.theme.key),
                Span::raw(p.input.display()),
            ])];
            let visible = usize::from(inner.height.saturating_sub(1));
            let skip = (p.selected + 1).saturating_sub(visible);
            for (i, a) in matches.iter().enumerate().skip(skip).take(visible) {
                let style = if i == p.selected {
                    s.theme.selected
                } else {
                    s.theme.text
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{:<20}", a.name()), style),
                    Span::styled(format!("{:<10}", s.keymap.short_label(*a)), s.theme.key),
                    Span::styled(a.description(), s.theme.muted),
                ]));
            }
            if matches.is_empty() {
                lines.push(Line::styled("no command matches", s.theme.muted));
            }
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Overlay::Confirm(c) => {
            let r = popup(frame, area, 60, 8);
            let block = pane_block(s, format!(" {} ", c.title), true);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let lines = vec![
                Line::raw(c.body.clone()),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("y", s.theme.key),
                    Span::raw(" yes   "),
                    Span::styled("n", s.theme.key),
                    Span::raw("/"),
                    Span::styled("Esc", s.theme.key),
                    Span::raw(" no"),
                ]),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
        Overlay::Prompt(p) => {
            let r = popup(frame, area, 70, 7);
            let block = pane_block(s, format!(" {} ", p.title), true);
            let inner = block.inner(r);
            frame.render_widget(block, r);
            let mut lines = vec![
                Line::from(vec![
                    Span::styled("› ", s.theme.key),
                    Span::raw(p.input.display()),
                ]),
                Line::styled(p.hint.clone(), s.theme.muted),
            ];
            if let Some(e) = &p.error {
                lines.push(Line::styled(e.clone(), s.theme.error));
            }
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        }
        Overlay::Push(flow) => super::push::draw(frame, area, s, flow),
        Overlay::Export(d) => draw_export(frame, area, s, d),
        Overlay::CopyRow(_) => draw_copy_row(frame, area, s),
        Overlay::Columns(p) => super::columns::draw(frame, area, s, p),
        Overlay::Mapping(d) => super::mapping::draw(frame, area, s, d),
    }
}

fn draw_copy_row(frame: &mut Frame, area: Rect, s: &AppState) {
    let r = popup(frame, area, 56, 5);
    let block = pane_block(s, " Copy the row ", true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let line = Line::from(vec![
        Span::styled("c", s.theme.key),
        Span::raw(" CSV   "),
        Span::styled("m", s.theme.key),
        Span::raw(" Markdown   "),
        Span::styled("j", s.theme.key),
        Span::raw(" JSON   "),
        Span::styled("Esc", s.theme.key),
        Span::raw(" cancel"),
    ]);
    let lines = vec![
        Line::raw("The selected row with the shown columns, via OSC 52:"),
        line,
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_export(frame: &mut Frame, area: Rect, s: &AppState, d: &ExportDialog) {
    let what = if d.all {
        format!(
            "all {} leads, every column",
            super::thousands(s.leads.total.unwrap_or(s.leads.count()))
        )
    } else {
        format!(
            "the {} rows shown, {} columns, filter and sort applied",
            super::thousands(s.leads.view.len() as u64),
            s.leads.columns.len()
        )
    };
    // As tall as its text once wrapped, so a long path never pushes the answer (an error, or
    // "exists: Enter replaces it") out of sight.
    let width = area.width.clamp(20, 100);
    let text_width = usize::from(width.saturating_sub(2)).max(1);
    let wrapped = |text: &str| super::wrap::wrap(text, text_width);
    let path = wrapped(&format!("› {}", d.path.display()));
    let help =
        wrapped("Enter write · Tab view/all · .csv .json .xlsx picks the format · Esc cancel");
    let error = d.error.as_deref().map(wrapped).unwrap_or_default();
    let writes = wrapped(&format!("Writes {what}"));
    let height = (path.len() + writes.len() + help.len() + error.len() + 2) as u16;
    let r = popup(frame, area, width, height);
    let block = pane_block(s, " Export leads ", true);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines: Vec<Line> = Vec::new();
    for (i, l) in path.into_iter().enumerate() {
        lines.push(match l.strip_prefix("› ").filter(|_| i == 0) {
            Some(rest) => Line::from(vec![
                Span::styled("› ", s.theme.key),
                Span::raw(rest.to_string()),
            ]),
            None => Line::raw(l),
        });
    }
    lines.extend(writes.into_iter().map(|l| Line::styled(l, s.theme.title)));
    lines.extend(help.into_iter().map(|l| Line::styled(l, s.theme.muted)));
    lines.extend(error.into_iter().map(|l| Line::styled(l, s.theme.warn)));
    frame.render_widget(Paragraph::new(lines), inner);
}
