//! `M` on an opened file's job: how each header of the file maps (target and a sample value),
//! with the target of any header changeable to another known target or `ignore`; applying
//! re-opens the file with those corrections (the same `Override`s as `open --map`).

use std::path::PathBuf;

use crate::engine::sources::dataset::columns::{Column, Override, target_names};
use crate::engine::sources::dataset::stream::FileSummary;
use crate::model::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingRow {
    pub header: String,
    pub target: String,
    pub sample: String,
    /// The target the dialog opened with.
    pub initial: String,
}

#[derive(Debug)]
pub struct MappingDialog {
    pub file: PathBuf,
    pub file_name: String,
    pub rows: Vec<MappingRow>,
    pub selected: usize,
    /// Headers the job was already opened with a correction for (kept on re-opening).
    pub prior: Vec<String>,
}

impl MappingDialog {
    pub fn new(file: PathBuf, summary: FileSummary, prior: &[String]) -> Self {
        let rows = summary
            .mapping
            .into_iter()
            .zip(
                summary
                    .samples
                    .into_iter()
                    .chain(std::iter::repeat(String::new())),
            )
            .map(|((header, target), sample)| MappingRow {
                header,
                initial: target.clone(),
                target,
                sample,
            })
            .collect();
        let prior = prior
            .iter()
            .filter_map(|m| Override::parse(m).ok().map(|o| o.header))
            .collect();
        Self {
            file,
            file_name: summary.file_name,
            rows,
            selected: 0,
            prior,
        }
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }

    /// The selected header's next (or previous) target: the known targets, then the one it
    /// opened with when that is another `fields.*`.
    pub fn cycle(&mut self, delta: isize) {
        let Some(row) = self.rows.get_mut(self.selected) else {
            return;
        };
        let mut choices: Vec<String> = target_names().iter().map(|t| t.to_string()).collect();
        if !choices.contains(&row.initial) {
            choices.push(row.initial.clone());
        }
        let at = choices.iter().position(|c| *c == row.target).unwrap_or(0) as isize;
        let n = choices.len() as isize;
        row.target = choices[((at + delta).rem_euclid(n)) as usize].clone();
    }

    pub fn changed(&self) -> usize {
        self.rows.iter().filter(|r| r.target != r.initial).count()
    }

    /// The corrections to open the file with: every changed header, and the earlier ones.
    pub fn overrides(&self) -> Result<Vec<Override>, Error> {
        self.rows
            .iter()
            .filter(|r| {
                r.target != r.initial
                    || self.prior.iter().any(|p| p.eq_ignore_ascii_case(&r.header))
            })
            .map(|r| {
                Ok(Override {
                    header: r.header.clone(),
                    column: Column::from_target(&r.target)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> FileSummary {
        FileSummary {
            file_name: "hubspot.csv".into(),
            mapping: vec![
                (
                    "Associated Company".into(),
                    "fields.associated_company".into(),
                ),
                ("Email".into(), "person.email".into()),
            ],
            samples: vec!["Quillbyte".into(), "t@q.io".into()],
            ..FileSummary::default()
        }
    }

    #[test]
    fn cycling_reaches_every_target_and_back_and_only_changes_become_overrides() {
        let mut d = MappingDialog::new("h.csv".into(), summary(), &["Email=person.email".into()]);
        assert_eq!(d.rows[0].sample, "Quillbyte");
        let n = target_names().len() + 1;
        for _ in 0..n {
            d.cycle(1);
        }
        assert_eq!(d.rows[0].target, "fields.associated_company", "a full turn");
        assert_eq!(d.changed(), 0);
        // Back one from the file's own `fields.*` target is `ignore`; the first is company.name.
        d.cycle(1);
        assert_eq!(d.rows[0].target, "company.name");
        let o = d.overrides().unwrap();
        let shown: Vec<String> = o.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            ["Associated Company=company.name", "Email=person.email"]
        );
        d.move_by(5);
        assert_eq!(d.selected, 1);
    }
}
