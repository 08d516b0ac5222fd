//! Grounding: facts with their sources → lead values, merged sources and a confidence.
//!
//! The rule (README, "Confidence"):
//! - Each source has a strength: a verified email 0.95, a web page 0.80, a provider 0.70, an
//!   imported dataset 0.60, a pattern guess 0.30.
//! - A field's candidate value is supported by the distinct sources that state it; its support is
//!   `1 − Π(1 − strength)` over them, so agreement raises it (two datasets: 0.84; a page and a
//!   dataset: 0.92).
//! - Conflicting values: the best-supported wins (ties: the strongest single source, then the
//!   first seen); its score is lowered to `support × (1 − rival / 2)` where `rival` is the
//!   best losing support. Only the winner's sources back the field.
//! - A lead's confidence is the mean of its field scores, with `person.email` counted twice (the
//!   fact a user acts on), rounded to two decimals. A field with no source is not in the lead.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::{Source, SourceKind, Timestamp};

pub use crate::model::confidence::{Strength, combined, contested};

/// Where a fact was read: one source entry of the lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub kind: SourceKind,
    pub url: Option<String>,
    pub name: Option<String>,
    pub retrieved_at: Timestamp,
    pub strength: Strength,
}

impl Origin {
    /// Whether two origins are one source. Rows of one imported file are one source however
    /// many of them repeat a value (`dataset://crm#row=2` and `#row=9` are the same file): a
    /// file agreeing with itself is not corroboration.
    pub fn same_source(&self, other: &Origin) -> bool {
        fn file(o: &Origin) -> Option<&str> {
            (o.kind == SourceKind::Dataset)
                .then(|| o.url.as_deref().map(|u| u.split('#').next().unwrap_or(u)))
                .flatten()
        }
        match (file(self), file(other)) {
            (Some(a), Some(b)) => a == b,
            _ => self == other,
        }
    }
}

/// One statement: `path` (a dotted lead path) has `value`, per `origin`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub path: String,
    pub value: Value,
    pub origin: Origin,
}

/// A field's chosen value and how well it is supported.
#[derive(Debug, Clone, PartialEq)]
pub struct Chosen {
    pub value: Value,
    pub score: f64,
    pub conflicted: bool,
    /// Indexes into [`Merged::origins`].
    pub backers: Vec<usize>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged {
    pub fields: BTreeMap<String, Chosen>,
    pub origins: Vec<Origin>,
}

/// Paths whose value is a list built item by item (one fact per item).
pub const SET_PATHS: &[&str] = &[
    "fields.technologies",
    "fields.hiring_for",
    "fields.social_links",
    "fields.emails",
];

/// How two values are compared: text case- and space-insensitively, arrays as sets.
fn agreement_key(v: &Value) -> String {
    match v {
        Value::String(s) => super::dataset::normalise::fold(s),
        Value::Array(items) => {
            let mut keys: Vec<String> = items.iter().map(agreement_key).collect();
            keys.sort();
            keys.join("\u{1f}")
        }
        other => other.to_string(),
    }
}

fn support(origins: &[Origin], backers: &[usize]) -> f64 {
    combined(backers.iter().map(|&i| origins[i].strength))
}

/// One candidate value of a field: (agreement key, first spelling, backing origins).
type Candidate = (String, Value, Vec<usize>);

/// Merges facts field by field.
pub fn merge(facts: &[Fact]) -> Merged {
    let mut origins: Vec<Origin> = Vec::new();
    // path → [(agreement key, first value, backers)] in first-seen order.
    let mut by_path: BTreeMap<&str, Vec<Candidate>> = BTreeMap::new();
    for f in facts {
        let oi = match origins.iter().position(|o| o.same_source(&f.origin)) {
            Some(i) => i,
            None => {
                origins.push(f.origin.clone());
                origins.len() - 1
            }
        };
        let key = agreement_key(&f.value);
        let cands = by_path.entry(&f.path).or_default();
        match cands.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, backers)) => {
                if !backers.contains(&oi) {
                    backers.push(oi);
                }
            }
            None => cands.push((key, f.value.clone(), vec![oi])),
        }
    }
    let mut fields = BTreeMap::new();
    for (path, cands) in by_path {
        if SET_PATHS.contains(&path) {
            // Lists (technologies, open roles, links) gather every sourced item: no conflicts.
            let mut backers: Vec<usize> = Vec::new();
            for (_, _, b) in &cands {
                for o in b {
                    if !backers.contains(o) {
                        backers.push(*o);
                    }
                }
            }
            let score = cands
                .iter()
                .map(|(_, _, b)| support(&origins, b))
                .sum::<f64>()
                / cands.len() as f64;
            fields.insert(
                path.to_string(),
                Chosen {
                    value: Value::Array(cands.iter().map(|(_, v, _)| v.clone()).collect()),
                    score,
                    conflicted: false,
                    backers,
                },
            );
            continue;
        }
        let scored: Vec<(f64, Strength, usize)> = cands
            .iter()
            .enumerate()
            .map(|(i, (_, _, b))| {
                let best = b
                    .iter()
                    .map(|&o| origins[o].strength)
                    .max()
                    .unwrap_or(Strength::PatternGuess);
                (support(&origins, b), best, i)
            })
            .collect();
        let winner = scored
            .iter()
            .copied()
            .max_by(|a, b| {
                a.0.partial_cmp(&b.0)
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(a.1.cmp(&b.1))
                    .then(b.2.cmp(&a.2))
            })
            .unwrap_or((0.0, Strength::PatternGuess, 0));
        let rival = scored
            .iter()
            .filter(|s| s.2 != winner.2)
            .map(|s| s.0)
            .fold(0.0, f64::max);
        let (_, value, backers) = &cands[winner.2];
        fields.insert(
            path.to_string(),
            Chosen {
                value: value.clone(),
                score: contested(winner.0, rival),
                conflicted: scored.len() > 1,
                backers: backers.clone(),
            },
        );
    }
    Merged { fields, origins }
}

impl Merged {
    pub fn text(&self, path: &str) -> Option<String> {
        self.fields.get(path).and_then(|c| match &c.value {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => Some(other.to_string()),
        })
    }

    /// The lead's sources: one entry per origin that backs at least one of `paths`, listing the
    /// fields it backs.
    pub fn sources(&self, paths: &[&str]) -> Vec<Source> {
        let mut out: Vec<Source> = Vec::new();
        for (i, o) in self.origins.iter().enumerate() {
            let fields: Vec<String> = self
                .fields
                .iter()
                .filter(|(p, c)| paths.contains(&p.as_str()) && c.backers.contains(&i))
                .map(|(p, _)| p.clone())
                .collect();
            if !fields.is_empty() {
                out.push(Source {
                    kind: o.kind,
                    url: o.url.clone(),
                    retrieved_at: o.retrieved_at,
                    name: o.name.clone(),
                    fields: fields.into_iter().map(Into::into).collect(),
                });
            }
        }
        out
    }

    /// The confidence rule above, over `paths` that have a value.
    pub fn confidence(&self, paths: &[&str]) -> f64 {
        let (mut sum, mut n) = (0.0, 0.0);
        for p in paths {
            if let Some(c) = self.fields.get(*p) {
                let w = if *p == "person.email" { 2.0 } else { 1.0 };
                sum += c.score * w;
                n += w;
            }
        }
        if n == 0.0 {
            return 0.0;
        }
        ((sum / n) * 100.0).round() / 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn origin(strength: Strength, url: &str) -> Origin {
        Origin {
            kind: match strength {
                Strength::Page => SourceKind::Web,
                _ => SourceKind::Dataset,
            },
            url: Some(url.into()),
            name: None,
            retrieved_at: Timestamp::from_millis(0),
            strength,
        }
    }

    fn fact(path: &str, v: Value, o: &Origin) -> Fact {
        Fact {
            path: path.into(),
            value: v,
            origin: o.clone(),
        }
    }

    #[test]
    fn rows_of_one_file_are_one_source() {
        let rows: Vec<Origin> = [2, 5, 9]
            .iter()
            .map(|n| origin(Strength::Dataset, &format!("dataset://crm#row={n}")))
            .collect();
        let facts: Vec<Fact> = rows
            .iter()
            .map(|o| fact("company.name", json!("Acme"), o))
            .collect();
        let m = merge(&facts);
        assert_eq!(m.confidence(&["company.name"]), 0.6, "not 0.94");
        let sources = m.sources(&["company.name"]);
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].url.as_deref(), Some("dataset://crm#row=2"));
        // Another file (or a page) still corroborates.
        let other = origin(Strength::Dataset, "dataset://crm-2#row=2");
        let mut two = facts.clone();
        two.push(fact("company.name", json!("Acme"), &other));
        assert_eq!(merge(&two).confidence(&["company.name"]), 0.84);
    }

    #[test]
    fn agreement_raises_and_conflict_lowers_confidence() {
        let a = origin(Strength::Dataset, "dataset://a#row=2");
        let b = origin(Strength::Dataset, "dataset://b#row=9");
        let p = origin(Strength::Page, "https://acme.io/team");

        let one = merge(&[fact("person.title", json!("CTO"), &a)]);
        assert_eq!(one.confidence(&["person.title"]), 0.6);

        let agree = merge(&[
            fact("person.title", json!("CTO"), &a),
            fact("person.title", json!("cto "), &b),
        ]);
        assert_eq!(agree.confidence(&["person.title"]), 0.84);
        assert_eq!(agree.fields["person.title"].backers, vec![0, 1]);
        assert_eq!(agree.sources(&["person.title"]).len(), 2);

        // The page outweighs one dataset: it wins, lowered by the rival's 0.6 → 0.8 × 0.7.
        let conflict = merge(&[
            fact("person.title", json!("VP Engineering"), &a),
            fact("person.title", json!("CTO"), &p),
        ]);
        assert_eq!(conflict.fields["person.title"].value, json!("CTO"));
        assert!(conflict.fields["person.title"].conflicted);
        assert_eq!(conflict.confidence(&["person.title"]), 0.56);
        // Only the winner's source backs the field.
        let s = conflict.sources(&["person.title"]);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].url.as_deref(), Some("https://acme.io/team"));

        // Two datasets agreeing beat one page: 0.84 vs 0.8.
        let two_vs_one = merge(&[
            fact("company.hq_city", json!("Paris"), &a),
            fact("company.hq_city", json!("Lyon"), &p),
            fact("company.hq_city", json!("Paris"), &b),
        ]);
        assert_eq!(two_vs_one.fields["company.hq_city"].value, json!("Paris"));
    }

    #[test]
    fn email_counts_twice_and_missing_fields_do_not_count() {
        let v = origin(Strength::VerifiedEmail, "smtp://acme.io");
        let d = origin(Strength::Dataset, "dataset://a#row=2");
        let m = merge(&[
            fact("person.email", json!("ana@acme.io"), &v),
            fact("person.full_name", json!("Ana"), &d),
        ]);
        // (0.95 × 2 + 0.6) / 3 = 0.8333…
        assert_eq!(
            m.confidence(&["person.email", "person.full_name", "person.title"]),
            0.83
        );
        assert_eq!(m.confidence(&["person.title"]), 0.0);
    }
}
