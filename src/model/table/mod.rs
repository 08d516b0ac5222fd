//! The leads table's data model, shared by the TUI (which draws it), the local engine (which
//! answers it in SQL over a flattened index) and the remote backend (which answers it in memory):
//! columns, the `/` query, sorting, and what one lead contributes to searching.

pub mod columns;
pub mod search;

use std::cmp::Ordering;

use crate::model::Lead;
use crate::text::sanitize_inline;

use columns::{Column, cell, number};
use search::Query;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

/// What the table shows of a job: the rows passing `query` and `min_confidence`, in `sort` order
/// (capture order without one; ties keep capture order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ViewSpec {
    pub query: Query,
    pub sort: Option<Sort>,
    pub min_confidence: f64,
    /// Also list the `fields` keys the job's leads have (the column picker's offer).
    pub field_keys: bool,
}

/// A job's view: lead ordinals (capture positions) in view order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeadView {
    pub ordinals: Vec<u32>,
    /// Every lead of the job, shown or not.
    pub total: u64,
    /// With `ViewSpec::field_keys`: first-seen order.
    pub field_keys: Option<Vec<String>>,
}

fn clean_opt(v: &mut Option<String>) {
    if let Some(s) = v {
        *s = sanitize_inline(s);
    }
}

/// Lead text comes from sources on the network or imported files: clean it once before it is
/// drawn or indexed.
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
pub fn haystack(l: &Lead) -> String {
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

/// The view over leads held in memory (sanitised, with their haystacks): indices into `leads`.
/// This is the reference the SQL translation is tested against.
pub fn view_in_memory(
    leads: &[Lead],
    haystacks: &[String],
    query: &Query,
    sort: Option<&Sort>,
    min_confidence: f64,
) -> Vec<u32> {
    let mut view: Vec<u32> = (0..leads.len() as u32)
        .filter(|&i| {
            let i = i as usize;
            leads[i].confidence >= min_confidence
                && (query.is_empty() || query.matches(&leads[i], &haystacks[i]))
        })
        .collect();
    let Some(sort) = sort else {
        return view;
    };
    let col = &sort.column;
    if col.numeric() {
        // Leads without a number sort last either way.
        let key = |i: u32| number(&leads[i as usize], col);
        view.sort_by(|&a, &b| match (key(a), key(b)) {
            (Some(x), Some(y)) => {
                let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
                if sort.descending { o.reverse() } else { o }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        });
        view
    } else {
        // Lower-cased once per lead, not once per comparison.
        let mut keyed: Vec<(String, u32)> = view
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
        keyed.into_iter().map(|(_, i)| i).collect()
    }
}
