//! The leads table, virtualised: only the visible window of the filtered/sorted index becomes
//! rows, so 10,000 leads cost the same to draw as 40.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{fit, pane_block, thousands};
use crate::model::Lead;
use crate::tui::keymap::Action;
use crate::tui::state::leads::{Column, cell};
use crate::tui::state::table;
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

/// How many leads the title counts: shown of loaded of all, as far as each differs.
fn count_label(s: &AppState) -> String {
    let st = &s.leads;
    let shown = st.view.len();
    // A snapshot loads one page; the job's own row count says how many there are in all.
    let total = st.total.or_else(|| {
        let rows = s.log.rows_captured;
        (st.job.is_some() && rows > st.count()).then_some(rows)
    });
    match total {
        // Only a page is loaded: say so, rather than look like a filter.
        Some(t) if t > st.count() && shown as u64 == st.count() => {
            format!("first {} of {}", thousands(shown as u64), thousands(t))
        }
        Some(t) if t > st.count() => format!(
            "{} of the first {} of {}",
            thousands(shown as u64),
            thousands(st.count()),
            thousands(t)
        ),
        _ if shown as u64 != st.count() => {
            format!("{} of {}", thousands(shown as u64), thousands(st.count()))
        }
        _ => thousands(shown as u64),
    }
}

/// The line above the table: the filter, minimum confidence and sort, else the key hints.
fn draw_info(frame: &mut Frame, area: Rect, s: &AppState) {
    let st = &s.leads;
    let mut info = vec![];
    if st.filter.active || !st.filter.text.is_empty() {
        info.push(Span::styled("/", s.theme.key));
        let text = if st.filter.active {
            st.filter.display()
        } else {
            st.filter.text.clone()
        };
        info.push(Span::raw(format!("{text}  ")));
        if !st.view.is_empty() {
            // Where n/N have got to.
            info.push(Span::styled(
                format!(
                    "row {} of {}  ",
                    st.selected.min(st.view.len() - 1) + 1,
                    st.view.len()
                ),
                s.theme.muted,
            ));
        }
    }
    if st.view_pending && st.loaded {
        // The store is computing the new view; the rows shown are the previous one's.
        info.push(Span::styled("updating…  ", s.theme.warn));
    }
    if st.min_confidence() > 0.0 {
        info.push(Span::raw(format!(
            "confidence ≥ {:.1}  ",
            st.min_confidence()
        )));
    }
    if !st.marked.is_empty() {
        info.push(Span::styled(
            format!("{} marked (Y copies)  ", st.marked.len()),
            s.theme.key,
        ));
    }
    for note in &st.query.notes {
        info.push(Span::styled(format!("({note})  "), s.theme.warn));
    }
    if let Some(sort) = &st.sort {
        info.push(Span::raw(format!(
            "sort {} {}  ",
            sort.column.header(),
            if sort.descending { "▼" } else { "▲" }
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

/// A cell's text cut to `width` with `…`, the search's match in it highlighted.
fn text_cell<'a>(s: &AppState, lead: &Lead, col: &Column, text: &str, width: u16) -> Line<'a> {
    let shown = fit(text, usize::from(width));
    let Some((a, b)) = s.leads.query.highlight(col, lead, &shown) else {
        return Line::raw(shown);
    };
    // The cut may have split the match: clamp to what is shown.
    let (a, b) = (a.min(shown.len()), b.min(shown.len()));
    Line::from(vec![
        Span::raw(shown[..a].to_string()),
        Span::styled(shown[a..b].to_string(), s.theme.highlight),
        Span::raw(shown[b..].to_string()),
    ])
}

fn header_cell<'a>(s: &AppState, col: &Column, at_cursor: bool, width: u16) -> Cell<'a> {
    let arrow = match s.leads.sort.as_ref().filter(|x| &x.column == col) {
        Some(sort) if sort.descending => "▼",
        Some(_) => "▲",
        None => "",
    };
    // Brackets as well as the style: the cursor's column shows even where styles do not. The
    // name is cut first so the sort arrow always shows.
    let marks = usize::from(at_cursor) * 2 + usize::from(!arrow.is_empty());
    let name = fit(&col.header(), usize::from(width).saturating_sub(marks));
    if at_cursor {
        Cell::from(format!("[{name}{arrow}]")).style(s.theme.cursor)
    } else {
        Cell::from(format!("{name}{arrow}")).style(s.theme.title)
    }
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
        } else if st.count() == 0 {
            "No leads yet."
        } else {
            "No lead matches the filter."
        };
        frame.render_widget(Paragraph::new(text).style(s.theme.muted), table_area);
        return;
    }

    let layout = table::fit(&st.columns, table_area.width, st.column, st.col_offset);
    let cursor = st.column.min(st.columns.len().saturating_sub(1));
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
    let header = Row::new(
        layout
            .cols
            .iter()
            .map(|&(i, w)| header_cell(s, &st.columns[i].column, focused && i == cursor, w)),
    );
    let rows = st.view[offset..end].iter().enumerate().map(|(r, &idx)| {
        let is_selected = offset + r == selected;
        let Some(lead) = st.lead(idx) else {
            // Paged and its page not here yet: a placeholder until it is.
            let cells = layout.cols.iter().map(|_| Cell::from("…"));
            return Row::new(cells).style(s.theme.muted);
        };
        let cells = layout.cols.iter().map(|&(i, w)| {
            let col = &st.columns[i].column;
            let cell = if *col == Column::Confidence {
                let bar = usize::from(w).saturating_sub(5).clamp(1, 10);
                let text = confidence_bar_sized(lead.confidence, bar);
                let c = Cell::from(fit(&text, usize::from(w)));
                if st.query.highlight(col, lead, &text).is_some() {
                    c.style(s.theme.highlight)
                } else {
                    c
                }
            } else {
                Cell::from(text_cell(s, lead, col, &cell(lead, col), w))
            };
            if is_selected && focused && i == cursor {
                cell.style(s.theme.cursor)
            } else {
                cell
            }
        });
        let row = Row::new(cells);
        match (is_selected, focused) {
            (true, true) => row.style(s.theme.selected),
            (true, false) => row.style(s.theme.title),
            _ if st.marked.contains(&idx) => row.style(s.theme.key),
            _ => row,
        }
    });
    let widths = layout.cols.iter().map(|&(_, w)| Constraint::Length(w));
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table_area,
    );
    // Off-screen markers on the header line: `‹` in the gap after the frozen column, `›` at the
    // right edge.
    let buf = frame.buffer_mut();
    if layout.more_left
        && let Some(&(_, w0)) = layout.cols.first()
        && w0 < table_area.width
    {
        buf.set_string(table_area.x + w0, table_area.y, "‹", s.theme.key);
    }
    if layout.more_right {
        let x = table_area.right().saturating_sub(1);
        buf.set_string(x, table_area.y, "›", s.theme.key);
    }
}

#[cfg(test)]
mod width_tests {
    use super::*;

    #[test]
    fn the_bar_scales_to_its_cells() {
        assert_eq!(confidence_bar_sized(0.5, 4), "██░░ 0.50");
        assert_eq!(confidence_bar(0.86), "█████████░ 0.86");
    }
}
