//! What the action keys do in the leads table: the cell cursor, sort, search matches, copying,
//! marking, the column picker and opening a field's source.

use super::*;

/// Left/right scroll the leads table a column at a time; elsewhere they do nothing.
pub(super) fn scroll_columns(s: &mut AppState, delta: isize) -> Effects {
    if s.focus == Pane::Leads && s.leads.detail.is_none() {
        let last = s.leads.columns.len().saturating_sub(1);
        s.leads.column = if delta < 0 {
            s.leads.column.saturating_sub(1)
        } else {
            (s.leads.column + 1).min(last)
        };
        s.leads.col_offset = s.table_layout().first;
    }
    vec![]
}

/// The leads table has a search whose matches `n`/`N` step through (as in less).
pub(super) fn searching_leads(s: &AppState) -> bool {
    s.focus == Pane::Leads && s.leads.detail.is_none() && !s.leads.query.is_empty()
}

pub(super) fn next_match(s: &mut AppState, forward: bool) -> Effects {
    if !searching_leads(s) {
        toast(s, Level::Info, "Search the leads table with / first");
        return vec![];
    }
    if s.leads.next_match(forward) {
        s.leads.scroll_into_view(s.table_height());
        s.leads.col_offset = s.table_layout().first;
    } else {
        toast(s, Level::Info, "No match in the shown columns");
    }
    vec![]
}

pub(super) fn sort(s: &mut AppState) -> Effects {
    if s.focus == Pane::Leads {
        s.leads.toggle_sort();
        s.leads.scroll_into_view(s.table_height());
    }
    vec![]
}

pub(super) fn min_confidence(s: &mut AppState) -> Effects {
    if s.focus == Pane::Leads {
        s.leads.min_conf_step = (s.leads.min_conf_step + 1) % MIN_CONFIDENCE_STEPS.len();
        s.leads.rebuild();
        s.leads.scroll_into_view(s.table_height());
    }
    vec![]
}

pub(super) fn detail_selection(s: &AppState) -> Option<(&crate::model::Lead, String)> {
    let d = s.leads.detail.as_ref()?;
    let lead = s.leads.lead(d.lead as u32)?;
    let path = detail_paths(lead).into_iter().nth(d.selected)?;
    Some((lead, path))
}

pub(super) fn copy(s: &mut AppState) -> Effects {
    if s.focus != Pane::Leads {
        return vec![];
    }
    let text = if s.leads.detail.is_some() {
        detail_selection(s).and_then(|(l, path)| l.field_text(&path))
    } else {
        let col = s.leads.current_column();
        s.leads
            .selected_lead()
            .zip(col)
            .map(|((_, l), col)| cell(l, col).into_owned())
    };
    match text.filter(|t| !t.is_empty()) {
        Some(t) => {
            toast(
                s,
                Level::Info,
                format!("Copied {} chars", t.chars().count()),
            );
            vec![Effect::Copy(t)]
        }
        None => {
            toast(s, Level::Warn, "Nothing to copy here");
            vec![]
        }
    }
}

pub(super) fn copy_row(s: &mut AppState) -> Effects {
    if s.focus != Pane::Leads {
        return vec![];
    }
    let table = s.leads.selected_lead().map(|(_, l)| row_table(&s.leads, l));
    match table {
        Some(t) => s.overlay = Some(Overlay::CopyRow(t)),
        None => toast(s, Level::Warn, "No lead selected to copy"),
    }
    vec![]
}

pub(super) fn mark(s: &mut AppState) -> Effects {
    if s.focus != Pane::Leads || s.leads.detail.is_some() {
        return vec![];
    }
    if let Some(&i) = s.leads.view.get(s.leads.selected) {
        if !s.leads.marked.remove(&i) {
            s.leads.marked.insert(i);
        }
        // Marking walks down, so a run of rows is v v v.
        s.leads.move_by(1);
        s.leads.scroll_into_view(s.table_height());
    }
    vec![]
}

pub(super) fn columns(s: &mut AppState) -> Effects {
    s.focus = Pane::Leads;
    s.overlay = Some(Overlay::Columns(ColumnPicker::new(
        &s.leads.columns,
        &s.leads.field_keys,
    )));
    vec![]
}

pub(super) fn open_url(s: &mut AppState) -> Effects {
    if s.focus != Pane::Leads {
        return vec![];
    }
    let url = if s.leads.detail.is_some() {
        detail_selection(s)
            .and_then(|(l, path)| l.sources_for(&path).find_map(|src| src.url.clone()))
    } else {
        s.leads
            .selected_lead()
            .and_then(|(_, l)| l.sources.iter().find_map(|src| src.url.clone()))
    };
    match url {
        Some(u) if is_web_url(&u) => {
            toast(s, Level::Info, format!("Opening {u}"));
            vec![Effect::OpenUrl(u)]
        }
        Some(u) => {
            toast(
                s,
                Level::Warn,
                format!("Not opening {u}: only http(s) links are opened"),
            );
            vec![]
        }
        None => {
            toast(s, Level::Warn, "No source URL for this field");
            vec![]
        }
    }
}
