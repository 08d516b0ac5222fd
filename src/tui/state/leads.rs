//! The leads table: a filtered and sorted list of lead keys (the view), and the leads to draw.
//! Two sources: in memory (a running job's streamed leads, a remote job, a snapshot's first
//! page), where keys index `leads`; or paged (a finished local job), where keys are the leads'
//! ordinals, the view comes from the backend's SQL and only leads around the viewport are held
//! (`cache`). Drawing reads a window of the view either way (virtualised) and never waits: a row
//! not fetched yet is drawn as a placeholder while `update` asks for its page.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

pub use super::columns::{Column, ColumnSpec, cell, default_columns, number};
use super::input::LineInput;
use super::search::{self, Query};
use crate::model::table::{LeadView, ViewSpec, view_in_memory};
pub use crate::model::table::{Sort, haystack, sanitize_lead};
use crate::model::{JobId, Lead, Timestamp};

/// The minimum-confidence steps `c` cycles through.
pub const MIN_CONFIDENCE_STEPS: [f64; 4] = [0.0, 0.5, 0.7, 0.9];

/// Leads held around the viewport in paged mode, at most (marked ones are kept beyond it).
pub const CACHE_CAP: usize = 2_000;

#[derive(Debug, Default)]
pub struct DetailState {
    /// The lead's key (see [`LeadsState::lead`]).
    pub lead: usize,
    pub selected: usize,
}

/// The first wait before a failed page is asked for again, and the longest.
pub const PAGE_RETRY_FIRST_MS: i64 = 500;
pub const PAGE_RETRY_MAX_MS: i64 = 10_000;

#[derive(Debug)]
pub struct LeadsState {
    pub job: Option<JobId>,
    /// Sanitised once on arrival.
    pub leads: Vec<Lead>,
    /// Lower-cased text of every field of each lead for the `/` search, parallel to `leads`.
    haystack: Vec<String>,
    /// `fields` keys seen in the loaded leads, first-seen order (columns the picker offers).
    pub field_keys: Vec<Arc<str>>,
    /// Keys of the leads after filtering and sorting.
    pub view: Vec<u32>,
    /// Paged mode: the view and the leads come from the backend, a page at a time.
    pub paged: bool,
    /// Paged mode: leads by ordinal, sanitised, around the viewport.
    pub cache: HashMap<u32, Lead>,
    /// Paged mode: asked for and not arrived yet.
    pub fetching: HashSet<u32>,
    /// After failed page requests: pages are not asked for again before this time; the count
    /// of failures in a row sets how long that is (doubling, capped at [`PAGE_RETRY_MAX_MS`]).
    pub page_retry: Option<(Timestamp, u32)>,
    /// Paged mode: the filter or sort changed and the backend has not been asked yet.
    pub view_stale: bool,
    /// Paged mode: a view was asked for and has not arrived yet.
    pub view_pending: bool,
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
    /// Leads marked with `v` (keys), copied together with `Y`.
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
            paged: false,
            cache: HashMap::new(),
            fetching: HashSet::new(),
            page_retry: None,
            view_stale: false,
            view_pending: false,
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
        self.paged = false;
        self.cache.clear();
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
        self.paged = false;
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
            let Some(lead) = self.lead(self.view[r]) else {
                // Paged and not fetched yet: the view only holds matching rows, so the row
                // is a match; its page arrives once it is on screen.
                self.selected = r;
                return true;
            };
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

    /// Recomputes the view after data, filter or sort changed, keeping the selected lead. In
    /// paged mode the backend computes it: the view is marked stale for `update` to ask.
    pub fn rebuild(&mut self) {
        if self.paged {
            self.view_stale = true;
            return;
        }
        let keep = self.view.get(self.selected).copied();
        self.view = view_in_memory(
            &self.leads,
            &self.haystack,
            &self.query,
            self.sort.as_ref(),
            self.min_confidence(),
        );
        self.keep_selection(keep);
    }

    /// The selected lead stays selected wherever the new view puts it; when the view no longer
    /// has it (a filter left it out), the selection goes to the first row, as a new search does
    /// in `less`, rather than to whatever row now sits at the old position.
    fn keep_selection(&mut self, keep: Option<u32>) {
        self.selected = keep
            .and_then(|k| self.view.iter().position(|&i| i == k))
            .unwrap_or(0)
            .min(self.view.len().saturating_sub(1));
        self.offset = self.offset.min(self.view.len().saturating_sub(1));
    }

    /// The lead with this key: an index into `leads`, or in paged mode an ordinal (`None` until
    /// its page arrives).
    pub fn lead(&self, key: u32) -> Option<&Lead> {
        if self.paged {
            self.cache.get(&key)
        } else {
            self.leads.get(key as usize)
        }
    }

    /// How many leads the job has (loaded or not).
    pub fn count(&self) -> u64 {
        if self.paged {
            self.total.unwrap_or(0)
        } else {
            self.leads.len() as u64
        }
    }

    /// Switches to paged mode for the current job: the first view is to be asked for.
    pub fn start_paged(&mut self) {
        self.paged = true;
        self.leads.clear();
        self.haystack.clear();
        self.cache.clear();
        self.fetching.clear();
        self.page_retry = None;
        self.view.clear();
        self.marked.clear();
        self.loaded = false;
        self.view_stale = true;
    }

    /// What to ask the backend for (paged mode), marking it asked.
    pub fn take_view_request(&mut self) -> Option<ViewSpec> {
        if !self.paged || !self.view_stale || self.job.is_none() {
            return None;
        }
        self.view_stale = false;
        self.view_pending = true;
        Some(ViewSpec {
            query: self.query.clone(),
            sort: self.sort.clone(),
            min_confidence: self.min_confidence(),
            field_keys: !self.loaded,
        })
    }

    /// A view arrived (paged mode).
    pub fn set_view(&mut self, view: LeadView) {
        let keep = self.view.get(self.selected).copied();
        self.view_pending = false;
        self.view = view.ordinals;
        self.total = Some(view.total);
        if let Some(keys) = view.field_keys {
            self.field_keys = keys.iter().map(|k| Arc::from(k.as_str())).collect();
        }
        self.loaded = true;
        self.keep_selection(keep);
    }

    /// The keys to fetch so the rows on screen (and a screen either side) can be drawn, marking
    /// them asked; empty when they are all here or asked for.
    pub fn wanted(&mut self, height: usize, now: Timestamp) -> Vec<u32> {
        if !self.paged || self.view.is_empty() {
            return Vec::new();
        }
        if self
            .page_retry
            .is_some_and(|(at, _)| now.millis() < at.millis())
        {
            return Vec::new();
        }
        let height = height.max(1);
        let visible = self.offset..(self.offset + height).min(self.view.len());
        let missing = |st: &Self, k: &u32| !st.cache.contains_key(k) && !st.fetching.contains(k);
        if !self.view[visible].iter().any(|k| missing(self, k)) {
            return Vec::new();
        }
        let from = self.offset.saturating_sub(height);
        let to = (self.offset + 2 * height).min(self.view.len());
        let keys: Vec<u32> = self.view[from..to]
            .iter()
            .copied()
            .filter(|k| missing(self, k))
            .collect();
        self.fetching.extend(keys.iter().copied());
        keys
    }

    /// A page arrived (paged mode): keep it, and drop leads far from the viewport.
    pub fn fill(&mut self, leads: Vec<(u32, Lead)>, height: usize) {
        self.page_retry = None;
        for (k, mut l) in leads {
            self.fetching.remove(&k);
            sanitize_lead(&mut l);
            self.cache.insert(k, l);
        }
        if self.cache.len() <= CACHE_CAP {
            return;
        }
        let from = self.offset.saturating_sub(2 * height);
        let to = (self.offset + 3 * height).min(self.view.len());
        let near: HashSet<u32> = self.view[from.min(to)..to].iter().copied().collect();
        let marked = &self.marked;
        self.cache
            .retain(|k, _| near.contains(k) || marked.contains(k));
    }

    /// A page could not be fetched: ask again when it is next needed, but not before a delay
    /// that doubles with each failure in a row (a store that keeps failing is not hammered on
    /// every tick). Returns the failures in a row.
    pub fn unfetch(&mut self, keys: &[u32], now: Timestamp) -> u32 {
        for k in keys {
            self.fetching.remove(k);
        }
        let failures = self.page_retry.map_or(0, |(_, n)| n) + 1;
        let delay = (PAGE_RETRY_FIRST_MS << (failures - 1).min(10)).min(PAGE_RETRY_MAX_MS);
        self.page_retry = Some((Timestamp::from_millis(now.millis() + delay), failures));
        failures
    }

    pub fn selected_lead(&self) -> Option<(usize, &Lead)> {
        let i = *self.view.get(self.selected)?;
        Some((i as usize, self.lead(i)?))
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
        // A full screen whenever the view has one: a view that shrank under a scrolled table
        // must not leave one row at the top and blank space below.
        self.offset = self.offset.min(self.view.len().saturating_sub(height));
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
