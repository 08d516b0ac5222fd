//! The leads table, virtualised: only the visible window of the filtered/sorted index becomes
//! rows, so 10,000 leads cost the same to draw as 40.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{pane_block, thousands};
use crate::model::Lead;
use crate::tui::keymap::Action;
use crate::tui::state::leads::{Column, cell};
use crate::tui::state::{AppState, Pane};

/// `███████░░░ 0.72`
pub fn confidence_bar(c: f64) -> String {
    let c = c.clamp(0.0, 1.0);
    let full = (c * 10.0).round() as usize;
    format!("{}{} {:.2}", "█".repeat(full), "░".repeat(10 - full), c)
}

/// The first column to show so `selected` fits in `width` (horizontal scroll).
pub fn first_visible_column(selected: usize, width: u16) -> usize {
    let mut first = selected.min(Column::ALL.len() - 1);
    let mut used = Column::ALL[first].width();
    while first > 0 && used + 1 + Column::ALL[first - 1].width() <= width {
        first -= 1;
        used += 1 + Column::ALL[first].width();
    }
    first
}

fn row_cells<'a>(l: &'a Lead, cols: &[Column]) -> Vec<Cell<'a>> {
    cols.iter()
        .map(|c| match c {
            Column::Confidence => Cell::from(confidence_bar(l.confidence)),
            c => Cell::from(cell(l, *c)),
        })
        .collect()
}

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let st = &s.leads;
    let focused = s.focus == Pane::Leads;
    let shown = st.view.len();
    // A snapshot loads one page; the job's own row count says how many there are in all.
    let total = st.total.or_else(|| {
        let rows = s.log.rows_captured;
        (st.job.is_some() && rows > st.leads.len() as u64).then_some(rows)
    });
    let count = match total {
        Some(t) if t > st.leads.len() as u64 => {
            format!("{} of {}", thousands(shown as u64), thousands(t))
        }
        _ if shown != st.leads.len() => format!(
            "{} of {}",
            thousands(shown as u64),
            thousands(st.leads.len() as u64)
        ),
        _ => thousands(shown as u64),
    };
    let block = pane_block(s, format!(" 5 Leads ({count}) "), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [bar, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);

    let mut info = vec![];
    if st.filter.active || !st.filter.text.is_empty() {
        let cursor = if st.filter.active { "▏" } else { "" };
        info.push(Span::styled("/", s.theme.key));
        info.push(Span::raw(format!("{}{cursor}  ", st.filter.text)));
    }
    if st.min_confidence() > 0.0 {
        info.push(Span::raw(format!(
            "confidence ≥ {:.1}  ",
            st.min_confidence()
        )));
    }
    if let Some(sort) = st.sort {
        info.push(Span::raw(format!(
            "sort {} {}  ",
            sort.column.header(),
            if sort.descending { "↓" } else { "↑" }
        )));
    }
    if info.is_empty() {
        let k = &s.keymap;
        info.push(Span::styled(
            format!(
                "{} filter · {} min confidence · {} sort · {} detail · {} copy · {} export",
                k.short_label(Action::Filter),
                k.short_label(Action::MinConfidence),
                k.short_label(Action::Sort),
                k.short_label(Action::Open),
                k.short_label(Action::Copy),
                k.short_label(Action::Export)
            ),
            s.theme.muted,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(info)), bar);

    if st.view.is_empty() {
        let text = if st.job.is_none() {
            "No job yet: leads appear here while a job runs."
        } else if !st.loaded {
            "Loading leads…"
        } else if st.leads.is_empty() {
            "No leads yet."
        } else {
            "No lead matches the filter."
        };
        frame.render_widget(Paragraph::new(text).style(s.theme.muted), table_area);
        return;
    }

    let first = first_visible_column(st.column, table_area.width);
    // Only the columns that fit at full width (horizontal scroll shows the rest); the last one
    // takes whatever room is left so the table never squeezes every column.
    let mut cols: Vec<Column> = Vec::new();
    let mut widths: Vec<Constraint> = Vec::new();
    let mut used = 0u16;
    for c in &Column::ALL[first..] {
        let room = table_area
            .width
            .saturating_sub(used + u16::from(!cols.is_empty()));
        if room == 0 || (room < c.width() && room < 6) {
            break;
        }
        used += c.width().min(room) + u16::from(!cols.is_empty());
        widths.push(Constraint::Length(c.width().min(room)));
        cols.push(*c);
    }
    let height = usize::from(table_area.height.saturating_sub(1)).max(1);
    // The window: keep the selection visible even if the terminal shrank since update ran.
    let selected = st.selected.min(shown - 1);
    let mut offset = st.offset.min(shown - 1);
    if selected < offset {
        offset = selected;
    } else if selected >= offset + height {
        offset = selected + 1 - height;
    }
    let end = (offset + height).min(shown);
    let header = Row::new(cols.iter().enumerate().map(|(i, c)| {
        let mut h = c.header().to_string();
        if let Some(sort) = st.sort.filter(|x| x.column == *c) {
            h.push(if sort.descending { '↓' } else { '↑' });
        }
        let style = if first + i == st.column && focused {
            s.theme.key
        } else {
            s.theme.title
        };
        Cell::from(h).style(style)
    }));
    let rows = st.view[offset..end].iter().enumerate().map(|(i, &idx)| {
        let row = Row::new(row_cells(&st.leads[idx as usize], &cols));
        if offset + i == selected {
            row.style(if focused {
                s.theme.selected
            } else {
                s.theme.title
            })
        } else {
            row
        }
    });
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table_area,
    );
}
