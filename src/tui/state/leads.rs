//! The leads table: every loaded lead, plus a filtered and sorted index over them. Only the
//! index changes on sort/filter; drawing reads a window of it (virtualised).

use std::cmp::Ordering;
use std::sync::Arc;

use crate::model::{JobId, Lead};
use crate::text::sanitize_inline;

pub use super::columns::{Column, ColumnSpec, cell, default_columns, number};
use super::input::LineInput;
use super::search::{self, Query};

/// The minimum-confidence steps `c` cycles through.
pub const MIN_CONFIDENCE_STEPS: [f64; 4] = [0.0, 0.5, 0.7, 0.9];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

#[derive(Debug, Default)]
pub struct DetailState {
    /// Index into `LeadsState::leads`.
    pub lead: usize,
    pub selected: usize,
}

#[derive(Debug)]
pub struct LeadsState {
    pub job: Option<JobId>,
    /// Sanitised once on arrival.
    pub leads: Vec<Lead>,
    /// Lower-cased text of every field of each lead for the `/` search, parallel to `leads`.
    haystack: Vec<String>,
    /// `fields` keys seen in the loaded leads, first-seen order (columns the picker offers).
    pub field_keys: Vec<Arc<str>>,
    /// Indices into `leads` after filtering and sorting.
    pub view: Vec<u32>,
    pub selected: usize,
    pub offset: usize,
    /// The shown columns, in order; the first stays put while the others scroll sideways.
    pub columns: Vec<ColumnSpec>,
    /// The cell cursor's column: an index into `columns`.
    pub column: usize,
    /// The first column after the frozen one, when the table scrolls sideways.
    pub col_offset: usize,
    pub sort: Option<Sort>,
    pub filter: LineInput,
    /// `filter` parsed.
    pub query: Query,
    pub min_conf_step: usize,
    pub detail: Option<DetailState>,
    /// The total the backend reported, when only a page was loaded.
    pub total: Option<u64>,
    pub loaded: bool,
    /// Leads marked with `v` (indices into `leads`), copied together with `Y`.
    pub marked: std::collections::BTreeSet<u32>,
    /// An export sent and not yet answered: reopened if the file turns out to exist.
    pub export_pending: Option<super::overlay::ExportDialog>,
}

impl Default for LeadsState {
    fn default() -> Self {
        Self {
            job: None,
            leads: Vec::new(),
            haystack: Vec::new(),
            field_keys: Vec::new(),
            view: Vec::new(),
            selected: 0,
            offset: 0,
            columns: default_columns(),
            column: 0,
            col_offset: 1,
            sort: None,
            filter: LineInput::default(),
            query: Query::default(),
            min_conf_step: 0,
            detail: None,
            total: None,
            loaded: false,
            export_pending: None,
            marked: Default::default(),
        }
    }
}

fn clean_opt(v: &mut Option<String>) {
    if let Some(s) = v {
        *s = sanitize_inline(s);
    }
}

/// Lead text comes from sources on the network or imported files: clean it once here.
pub fn sanitize_lead(l: &mut Lead) {
    l.company.name = sanitize_inline(&l.company.name);
    clean_opt(&mut l.company.domain);
    clean_opt(&mut l.company.linkedin);
    clean_opt(&mut l.company.hq_city);
    clean_opt(&mut l.company.hq_country);
    if let Some(p) = &mut l.person {
        p.full_name = sanitize_inline(&p.full_name);
        clean_opt(&mut p.title);
        clean_opt(&mut p.email);
        clean_opt(&mut p.linkedin);
    }
    l.fields = std::mem::take(&mut l.fields)
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (
                sanitize_inline(&k),
                serde_json::Value::String(sanitize_inline(&s)),
            ),
            other => (sanitize_inline(&k), other),
        })
        .collect();
    for s in &mut l.sources {
        clean_opt(&mut s.url);
        clean_opt(&mut s.name);
    }
    if !l.confidence.is_finite() {
        l.confidence = 0.0;
    }
}

/// Everything a lead says, lower-cased, for searching across all fields.
fn haystack(l: &Lead) -> String {
    let mut out = String::with_capacity(256);
    let mut push = |v: &str| {
        if !v.is_empty() {
            out.push_str(&v.to_lowercase());
            out.push('\u{1f}');
        }
    };
    let c = &l.company;
    push(&c.name);
    for v in [&c.domain, &c.hq_city, &c.hq_country, &c.linkedin] {
        push(v.as_deref().unwrap_or(""));
    }
    if let Some(p) = &l.person {
        push(&p.full_name);
        for v in [&p.title, &p.email, &p.linkedin] {
            push(v.as_deref().unwrap_or(""));
        }
    }
    for v in l.fields.values() {
        push(&crate::model::lead::value_text(v));
    }
    out
}

impl LeadsState {
    /// Starts over for another job.
    pub fn reset(&mut self, job: Option<JobId>) {
        let filter = std::mem::take(&mut self.filter);
        let query = std::mem::take(&mut self.query);
        let columns = std::mem::take(&mut self.columns);
        let min_conf_step = self.min_conf_step;
        let sort = self.sort.take();
        let column = self.column;
        *self = Self {
            job,
            filter,
            query,
            columns,
            column,
            min_conf_step,
            sort,
            ..Self::default()
        };
    }

    pub fn set(&mut self, leads: Vec<Lead>, total: Option<u64>) {
        self.leads.clear();
        self.haystack.clear();
        self.field_keys.clear();
        // Marks are positions in the old list.
        self.marked.clear();
        self.total = total;
        self.loaded = true;
        self.append(leads);
    }

    pub fn append(&mut self, leads: Vec<Lead>) {
        self.loaded = true;
        self.leads.reserve(leads.len());
        for mut l in leads {
            sanitize_lead(&mut l);
            self.haystack.push(haystack(&l));
            for k in l.fields.keys() {
                if !self.field_keys.iter().any(|f| **f == **k) {
                    self.field_keys.push(Arc::from(k.as_str()));
                }
            }
            self.leads.push(l);
        }
        self.rebuild();
    }

    /// Parses the filter text again (after it changed) and rebuilds the view.
    pub fn set_query(&mut self) {
        let keys = &self.field_keys;
        self.query = search::parse(&self.filter.text, |k| {
            keys.iter().any(|f| f.eq_ignore_ascii_case(k))
        });
        self.rebuild();
    }

    /// Moves the cell cursor to the next (or previous) cell the search matches, row by row,
    /// wrapping around; `false` when no shown column of any row matches.
    pub fn next_match(&mut self, forward: bool) -> bool {
        let (rows, cols) = (self.view.len(), self.columns.len());
        if self.query.is_empty() || rows == 0 || cols == 0 {
            return false;
        }
        let cells = rows * cols;
        let here = self.selected.min(rows - 1) * cols + self.column.min(cols - 1);
        for step in 1..=cells {
            let at = if forward {
                (here + step) % cells
            } else {
                (here + cells - step % cells) % cells
            };
            let (r, c) = (at / cols, at % cols);
            let lead = &self.leads[self.view[r] as usize];
            let col = &self.columns[c].column;
            if self.query.highlight(col, lead, &cell(lead, col)).is_some() {
                self.selected = r;
                self.column = c;
                return true;
            }
        }
        false
    }

    /// The column under the cell cursor.
    pub fn current_column(&self) -> Option<&Column> {
        self.columns
            .get(self.column.min(self.columns.len().saturating_sub(1)))
            .map(|c| &c.column)
    }

    pub fn min_confidence(&self) -> f64 {
        MIN_CONFIDENCE_STEPS[self.min_conf_step % MIN_CONFIDENCE_STEPS.len()]
    }

    /// Recomputes the view after data, filter or sort changed, keeping the selected lead.
    pub fn rebuild(&mut self) {
        let keep = self.view.get(self.selected).copied();
        let min = self.min_confidence();
        let query = &self.query;
        self.view = (0..self.leads.len() as u32)
            .filter(|&i| {
                let i = i as usize;
                self.leads[i].confidence >= min
                    && (query.is_empty() || query.matches(&self.leads[i], &self.haystack[i]))
            })
            .collect();
        if let Some(sort) = &self.sort {
            let leads = &self.leads;
            let col = &sort.column;
            if col.numeric() {
                // Leads without a number sort last either way.
                let key = |i: u32| number(&leads[i as usize], col);
                self.view.sort_by(|&a, &b| match (key(a), key(b)) {
                    (Some(x), Some(y)) => {
                        let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
                        if sort.descending { o.reverse() } else { o }
                    }
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                });
            } else {
                // Lower-cased once per lead, not once per comparison.
                let mut keyed: Vec<(String, u32)> = self
                    .view
                    .iter()
                    .map(|&i| (cell(&leads[i as usize], col).to_lowercase(), i))
                    .collect();
                keyed.sort_by(|a, b| {
                    let o = match (a.0.is_empty(), b.0.is_empty()) {
                        (false, true) => return Ordering::Less,
                        (true, false) => return Ordering::Greater,
                        _ => a.0.cmp(&b.0),
                    };
                    if sort.descending { o.reverse() } else { o }
                });
                self.view = keyed.into_iter().map(|(_, i)| i).collect();
            }
        }
        self.selected = keep
            .and_then(|k| self.view.iter().position(|&i| i == k))
            .unwrap_or(self.selected)
            .min(self.view.len().saturating_sub(1));
    }

    pub fn selected_lead(&self) -> Option<(usize, &Lead)> {
        let i = *self.view.get(self.selected)? as usize;
        Some((i, &self.leads[i]))
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let last = self.view.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }

    /// Keeps the selection within a window of `height` rows starting at `offset`.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(self.view.len().saturating_sub(1));
    }

    pub fn toggle_sort(&mut self) {
        let Some(column) = self.current_column().cloned() else {
            return;
        };
        let numeric = column.numeric();
        self.sort = match self.sort.take() {
            // Second press reverses, third turns the sort off.
            Some(s) if s.column == column && s.descending == numeric => Some(Sort {
                column,
                descending: !numeric,
            }),
            Some(s) if s.column == column => None,
            // Numbers read best highest first; text A→Z.
            _ => Some(Sort {
                column,
                descending: numeric,
            }),
        };
        self.rebuild();
    }
}

/// The dotted paths the detail view lists, in order; `fields.*` follow.
pub const DETAIL_PATHS: [&str; 9] = [
    "company.name",
    "company.domain",
    "company.linkedin",
    "company.hq_city",
    "company.hq_country",
    "person.full_name",
    "person.title",
    "person.email",
    "person.linkedin",
];

/// Every path of a lead shown in the detail view.
pub fn detail_paths(l: &Lead) -> Vec<String> {
    let mut out: Vec<String> = DETAIL_PATHS.iter().map(|s| s.to_string()).collect();
    out.extend(l.fields.keys().map(|k| format!("fields.{k}")));
    out
}
