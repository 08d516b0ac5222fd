//! Which columns of the leads table are on screen, at which widths. Shared by drawing and by
//! `update` (which keeps the sideways scroll offset), so both agree on what is visible.
//!
//! Every column shows when their narrowest useful widths fit; otherwise the first column stays
//! put and the rest scroll sideways, keeping the cell cursor's column in view. Room left over
//! goes to the shown columns in proportion to how much wider they would like to be.

use super::columns::ColumnSpec;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableLayout {
    /// (index into the specs, width), left to right; the frozen first column first.
    pub cols: Vec<(usize, u16)>,
    /// The first column after the frozen one.
    pub first: usize,
    /// Columns are hidden to the left of `first` / to the right of the last shown.
    pub more_left: bool,
    pub more_right: bool,
}

/// Gaps between `n` columns.
fn gaps(n: usize) -> u16 {
    n.saturating_sub(1) as u16
}

fn min_sum(specs: &[ColumnSpec], idx: impl Iterator<Item = usize>) -> u16 {
    idx.map(|i| specs[i].min_width()).sum()
}

pub fn fit(specs: &[ColumnSpec], width: u16, cursor: usize, offset: usize) -> TableLayout {
    let n = specs.len();
    if n == 0 || width == 0 {
        return TableLayout::default();
    }
    if min_sum(specs, 0..n) + gaps(n) <= width {
        let idx: Vec<usize> = (0..n).collect();
        return TableLayout {
            cols: grow(specs, &idx, width),
            first: 1,
            more_left: false,
            more_right: false,
        };
    }
    if n == 1 {
        return TableLayout {
            cols: vec![(0, width)],
            first: 1,
            more_left: false,
            more_right: false,
        };
    }
    let cursor = cursor.min(n - 1);
    // Whether the frozen column and first..=last fit, with a cell for the `›` marker when
    // columns remain to the right.
    let fits = |first: usize, last: usize| {
        let marker = u16::from(last < n - 1);
        specs[0].min_width() + min_sum(specs, first..=last) + gaps(last - first + 2) + marker
            <= width
    };
    let mut first = offset.clamp(1, n - 1);
    if cursor >= 1 && cursor < first {
        first = cursor;
    }
    while first < cursor && !fits(first, cursor) {
        first += 1;
    }
    let mut last = first.max(cursor.max(1)).min(n - 1);
    while last + 1 < n && fits(first, last + 1) {
        last += 1;
    }
    // Scrolled to the end with room to spare: bring columns back in from the left.
    while last == n - 1 && first > 1 && fits(first - 1, last) {
        first -= 1;
    }
    let mut idx = vec![0];
    if fits(first, last) {
        idx.extend(first..=last);
    } else {
        // Not even the frozen column and the cursor's fit at their narrowest: show what can be.
        idx.push(first);
    }
    let more_right = last < n - 1;
    let room = width.saturating_sub(u16::from(more_right));
    TableLayout {
        cols: grow(specs, &idx, room),
        first,
        more_left: first > 1,
        more_right,
    }
}

/// Widths for the columns `idx` in `width`: each at least its minimum (as room allows), the rest
/// shared out towards each one's chosen width.
fn grow(specs: &[ColumnSpec], idx: &[usize], width: u16) -> Vec<(usize, u16)> {
    let avail = width.saturating_sub(gaps(idx.len()));
    let mins: u16 = min_sum(specs, idx.iter().copied());
    let mut out: Vec<(usize, u16)> = Vec::with_capacity(idx.len());
    if mins > avail {
        // Too narrow for the minimums: left to right until the room runs out.
        let mut left = avail;
        for &i in idx {
            let w = specs[i].min_width().min(left);
            out.push((i, w));
            left = left.saturating_sub(w);
        }
        return out;
    }
    let wants: Vec<u16> = idx
        .iter()
        .map(|&i| specs[i].width - specs[i].min_width())
        .collect();
    let wanted: u32 = wants.iter().map(|w| u32::from(*w)).sum();
    let extra = u32::from(avail - mins).min(wanted);
    let mut given = 0u32;
    for (&i, want) in idx.iter().zip(&wants) {
        let share = extra * u32::from(*want) / wanted.max(1);
        given += share;
        out.push((i, specs[i].min_width() + share as u16));
    }
    // What rounding left over, a cell at a time to the columns still short of their width.
    let mut left = extra - given;
    while left > 0 {
        let before = left;
        for (i, w) in out.iter_mut() {
            if left > 0 && *w < specs[*i].width {
                *w += 1;
                left -= 1;
            }
        }
        if left == before {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::state::columns::{Column, default_columns};

    fn total(l: &TableLayout) -> u16 {
        l.cols.iter().map(|(_, w)| w).sum::<u16>() + gaps(l.cols.len()) + u16::from(l.more_right)
    }

    fn shown(l: &TableLayout, specs: &[ColumnSpec]) -> Vec<Column> {
        l.cols
            .iter()
            .map(|(i, _)| specs[*i].column.clone())
            .collect()
    }

    #[test]
    fn few_columns_all_fit_and_use_the_room_up_to_their_width() {
        let specs = default_columns()[..6].to_vec();
        let l = fit(&specs, 130, 0, 1);
        assert_eq!(l.cols.len(), 6);
        assert!(!l.more_left && !l.more_right);
        assert!(l.cols.iter().all(|(i, w)| *w == specs[*i].width), "{l:?}");
        let l = fit(&specs, 73, 0, 1);
        assert_eq!(l.cols.len(), 6, "squeezed, not scrolled: {l:?}");
        assert_eq!(total(&l), 73, "the whole width is used");
    }

    #[test]
    fn email_and_confidence_stay_visible_in_a_100_column_terminal() {
        // A 100-column terminal leaves the leads table 73 cells.
        let specs = default_columns();
        let l = fit(&specs, 73, 0, 1);
        let cols = shown(&l, &specs);
        assert!(cols.contains(&Column::Email) && cols.contains(&Column::Confidence));
        assert!(l.more_right && !l.more_left);
        assert!(total(&l) <= 73);
    }

    #[test]
    fn scrolling_right_keeps_the_first_column_and_the_cursor_in_view() {
        let specs = default_columns();
        let last = specs.len() - 1;
        let l = fit(&specs, 93, last, 1);
        assert_eq!(l.cols[0].0, 0, "the first column is frozen");
        assert_eq!(l.cols.last().map(|c| c.0), Some(last));
        assert!(l.more_left && !l.more_right);
        assert!(total(&l) <= 93);
        // Moving back left from there scrolls only once the cursor leaves the window.
        let back = fit(&specs, 93, l.first + 1, l.first);
        assert_eq!(back.first, l.first);
        let back = fit(&specs, 93, 2, l.first);
        assert_eq!(back.first, 2);
        // A terminal too small for the minimums still draws something, within the width.
        let tiny = fit(&specs, 20, 5, 1);
        assert!(total(&tiny) <= 20, "{tiny:?}");
    }
}
