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
    confidence_bar_sized(c, 10)
}

/// A bar of `cells` cells, then the value.
pub fn confidence_bar_sized(c: f64, cells: usize) -> String {
    let c = c.clamp(0.0, 1.0);
    let full = (c * cells as f64).round() as usize;
    format!("{}{} {:.2}", "█".repeat(full), "░".repeat(cells - full), c)
}

/// Column widths that show every column in `width`, or `None` when even their minimums do not
/// fit (then the table scrolls horizontally). Room beyond the minimums goes to each column in
/// proportion to how much it would still like, up to its natural width.
pub fn fitted_widths(width: u16) -> Option<Vec<u16>> {
    let gaps = Column::ALL.len() as u16 - 1;
    let min: u16 = Column::ALL.iter().map(|c| c.min_width()).sum::<u16>() + gaps;
    if width < min {
        return None;
    }
    let wants: Vec<u16> = Column::ALL
        .iter()
        .map(|c| c.width() - c.min_width())
        .collect();
    let wanted: u16 = wants.iter().sum();
    let extra = (width - min).min(wanted);
    let mut out: Vec<u16> = Column::ALL
        .iter()
        .zip(&wants)
        .map(|(c, want)| {
            let share = u32::from(extra) * u32::from(*want) / u32::from(wanted.max(1));
            c.min_width() + share as u16
        })
        .collect();
    // What rounding left over, a cell at a time to the columns still short of their width.
    let mut left = extra - (out.iter().sum::<u16>() + gaps - min);
    while left > 0 {
        let before = left;
        for (w, c) in out.iter_mut().zip(Column::ALL) {
            if left > 0 && *w < c.width() {
                *w += 1;
                left -= 1;
            }
        }
        if left == before {
            break;
        }
    }
    Some(out)
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

fn row_cells<'a>(l: &'a Lead, cols: &[Column], bar: usize) -> Vec<Cell<'a>> {
    cols.iter()
        .map(|c| match c {
            Column::Confidence => Cell::from(confidence_bar_sized(l.confidence, bar)),
            c => Cell::from(cell(l, *c)),
        })
        .collect()
}

/// How many leads the title counts: shown of loaded of all, as far as each differs.
fn count_label(s: &AppState) -> String {
    let st = &s.leads;
    let shown = st.view.len();
    // A snapshot loads one page; the job's own row count says how many there are in all.
    let total = st.total.or_else(|| {
        let rows = s.log.rows_captured;
        (st.job.is_some() && rows > st.leads.len() as u64).then_some(rows)
    });
    match total {
        // Only a page is loaded: say so, rather than look like a filter.
        Some(t) if t > st.leads.len() as u64 && shown == st.leads.len() => {
            format!("first {} of {}", thousands(shown as u64), thousands(t))
        }
        Some(t) if t > st.leads.len() as u64 => format!(
            "{} of the first {} of {}",
            thousands(shown as u64),
            thousands(st.leads.len() as u64),
            thousands(t)
        ),
        _ if shown != st.leads.len() => format!(
            "{} of {}",
            thousands(shown as u64),
            thousands(st.leads.len() as u64)
        ),
        _ => thousands(shown as u64),
    }
}

/// The line above the table: the filter, minimum confidence and sort, else the key hints.
fn draw_info(frame: &mut Frame, area: Rect, s: &AppState) {
    let st = &s.leads;
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
    frame.render_widget(Paragraph::new(Line::from(info)), area);
}

pub fn draw(frame: &mut Frame, area: Rect, s: &AppState) {
    let st = &s.leads;
    let focused = s.focus == Pane::Leads;
    let shown = st.view.len();
    let count = count_label(s);
    let block = pane_block(s, format!(" 5 Leads ({count}) "), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [bar, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);

    draw_info(frame, bar, s);

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

    let fitted = fitted_widths(table_area.width);
    let first = if fitted.is_some() {
        0
    } else {
        first_visible_column(st.column, table_area.width)
    };
    // Every column when they fit; otherwise only those that fit at full width (horizontal
    // scroll shows the rest), the last one taking whatever room is left.
    let mut cols: Vec<Column> = Vec::new();
    let mut widths: Vec<Constraint> = Vec::new();
    let mut used = 0u16;
    if let Some(fitted) = &fitted {
        cols = Column::ALL.to_vec();
        widths = fitted.iter().map(|w| Constraint::Length(*w)).collect();
    }
    for c in Column::ALL[first..].iter().filter(|_| fitted.is_none()) {
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
    // The bar fills its column, less the space and the value.
    let bar = cols
        .iter()
        .position(|c| *c == Column::Confidence)
        .and_then(|i| match widths[i] {
            Constraint::Length(w) => Some(usize::from(w).saturating_sub(5).clamp(1, 10)),
            _ => None,
        })
        .unwrap_or(10);
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
        let row = Row::new(row_cells(&st.leads[idx as usize], &cols, bar));
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

#[cfg(test)]
mod width_tests {
    use super::*;

    #[test]
    fn every_column_fits_a_wide_pane_and_narrow_ones_scroll() {
        // The leads pane of a 140-column terminal is about 104 wide: all seven columns.
        let w = fitted_widths(104).expect("fits");
        assert_eq!(w.len(), Column::ALL.len());
        assert_eq!(w.iter().sum::<u16>() + 6, 104, "the whole width is used");
        for (c, w) in Column::ALL.iter().zip(&w) {
            assert!(*w >= c.min_width() && *w <= c.width(), "{c:?}: {w}");
        }
        // Room to spare: every column at its natural width, no more.
        let wide = fitted_widths(400).unwrap();
        assert!(Column::ALL.iter().zip(&wide).all(|(c, w)| *w == c.width()));
        assert_eq!(fitted_widths(60), None);
    }

    #[test]
    fn the_bar_scales_to_its_cells() {
        assert_eq!(confidence_bar_sized(0.5, 4), "██░░ 0.50");
        assert_eq!(confidence_bar(0.86), "█████████░ 0.86");
    }
}
