//! The leads table: every loaded lead, plus a filtered and sorted index over them. Only the
//! index changes on sort/filter; drawing reads a window of it (virtualised).

use std::cmp::Ordering;

use crate::model::{JobId, Lead, Person};
use crate::text::sanitize_inline;

use super::input::LineInput;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Company,
    Domain,
    Person,
    Title,
    Email,
    Confidence,
    Sources,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Self::Company,
        Self::Domain,
        Self::Person,
        Self::Title,
        Self::Email,
        Self::Confidence,
        Self::Sources,
    ];

    pub fn header(self) -> &'static str {
        match self {
            Self::Company => "Company",
            Self::Domain => "Domain",
            Self::Person => "Person",
            Self::Title => "Title",
            Self::Email => "Email",
            Self::Confidence => "Confidence",
            Self::Sources => "Src",
        }
    }

    /// The narrowest the column is still useful at: when every column fits at this, the table
    /// shows them all (no horizontal scroll), sharing the room out towards [`Column::width`].
    pub fn min_width(self) -> u16 {
        match self {
            Self::Company | Self::Domain | Self::Person | Self::Title => 14,
            Self::Email => 18,
            Self::Confidence => 10,
            Self::Sources => 3,
        }
    }

    pub fn width(self) -> u16 {
        match self {
            Self::Company => 24,
            Self::Domain => 22,
            Self::Person => 20,
            Self::Title => 24,
            Self::Email => 30,
            Self::Confidence => 17,
            Self::Sources => 4,
        }
    }
}

/// The minimum-confidence steps `c` cycles through.
pub const MIN_CONFIDENCE_STEPS: [f64; 4] = [0.0, 0.5, 0.7, 0.9];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

#[derive(Debug, Default)]
pub struct LeadsState {
    pub job: Option<JobId>,
    /// Sanitised once on arrival.
    pub leads: Vec<Lead>,
    /// Lower-cased text of each lead for the `/` filter, parallel to `leads`.
    haystack: Vec<String>,
    /// Indices into `leads` after filtering and sorting.
    pub view: Vec<u32>,
    pub selected: usize,
    pub offset: usize,
    pub column: usize,
    pub sort: Option<Sort>,
    pub filter: LineInput,
    pub min_conf_step: usize,
    pub detail: Option<DetailState>,
    /// The total the backend reported, when only a page was loaded.
    pub total: Option<u64>,
    pub loaded: bool,
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

fn person_field(p: &Option<Person>, f: impl Fn(&Person) -> Option<&str>) -> &str {
    p.as_ref().and_then(f).unwrap_or("")
}

pub fn cell(l: &Lead, col: Column) -> std::borrow::Cow<'_, str> {
    match col {
        Column::Company => l.company.name.as_str().into(),
        Column::Domain => l.company.domain.as_deref().unwrap_or("").into(),
        Column::Person => person_field(&l.person, |p| Some(p.full_name.as_str())).into(),
        Column::Title => person_field(&l.person, |p| p.title.as_deref()).into(),
        Column::Email => person_field(&l.person, |p| p.email.as_deref()).into(),
        Column::Confidence => format!("{:.2}", l.confidence).into(),
        Column::Sources => l.sources.len().to_string().into(),
    }
}

impl LeadsState {
    /// Starts over for another job.
    pub fn reset(&mut self, job: Option<JobId>) {
        let filter = std::mem::take(&mut self.filter);
        let min_conf_step = self.min_conf_step;
        let sort = self.sort;
        *self = Self {
            job,
            filter,
            min_conf_step,
            sort,
            ..Self::default()
        };
    }

    pub fn set(&mut self, leads: Vec<Lead>, total: Option<u64>) {
        self.leads.clear();
        self.haystack.clear();
        self.total = total;
        self.loaded = true;
        self.append(leads);
    }

    pub fn append(&mut self, leads: Vec<Lead>) {
        self.loaded = true;
        self.leads.reserve(leads.len());
        for mut l in leads {
            sanitize_lead(&mut l);
            self.haystack.push(
                Column::ALL[..5]
                    .iter()
                    .map(|c| cell(&l, *c).to_lowercase())
                    .collect::<Vec<_>>()
                    .join("\u{1f}"),
            );
            self.leads.push(l);
        }
        self.rebuild();
    }

    pub fn min_confidence(&self) -> f64 {
        MIN_CONFIDENCE_STEPS[self.min_conf_step % MIN_CONFIDENCE_STEPS.len()]
    }

    /// Recomputes the view after data, filter or sort changed, keeping the selected lead.
    pub fn rebuild(&mut self) {
        let keep = self.view.get(self.selected).copied();
        let needle = self.filter.text.to_lowercase();
        let min = self.min_confidence();
        self.view = (0..self.leads.len() as u32)
            .filter(|&i| {
                let i = i as usize;
                self.leads[i].confidence >= min
                    && (needle.is_empty() || self.haystack[i].contains(&needle))
            })
            .collect();
        if let Some(sort) = self.sort {
            let leads = &self.leads;
            self.view.sort_by(|&a, &b| {
                let (a, b) = (&leads[a as usize], &leads[b as usize]);
                let ord = match sort.column {
                    Column::Confidence => a
                        .confidence
                        .partial_cmp(&b.confidence)
                        .unwrap_or(Ordering::Equal),
                    Column::Sources => a.sources.len().cmp(&b.sources.len()),
                    c => cell(a, c).to_lowercase().cmp(&cell(b, c).to_lowercase()),
                };
                if sort.descending { ord.reverse() } else { ord }
            });
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
        let column = Column::ALL[self.column.min(Column::ALL.len() - 1)];
        self.sort = match self.sort {
            Some(s) if s.column == column && !s.descending => Some(Sort {
                column,
                descending: true,
            }),
            Some(s) if s.column == column => None,
            // Numbers read best highest first; text A→Z.
            _ => Some(Sort {
                column,
                descending: matches!(column, Column::Confidence | Column::Sources),
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
