//! `leadline import`: a CSV, TSV, JSON, JSONL or spreadsheet file → a named dataset in the store (one transaction), plus
//! listing and full-text search over what was imported.

use std::path::Path;

use super::Engine;
use super::sources::dataset::columns::Override;
use super::sources::dataset::{self, ImportReport, columns, decode};
use super::store::datasets as ds;
use crate::model::{Error, Timestamp};

/// The largest file `import` reads (a bigger list should be split).
pub const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;

/// `Q3 leads (final).csv` → `q3-leads-final`: dataset names appear in source URLs.
pub fn dataset_name(raw: &str) -> String {
    let s: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A file read and mapped, before it is stored.
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub file_name: String,
    pub delimiter: Option<char>,
    /// Column header → lead path.
    pub mapping: Vec<(String, String)>,
    pub export: Option<String>,
    pub records: Vec<dataset::Record>,
    pub bad_rows: Vec<dataset::BadRow>,
    pub duplicates: u64,
    pub rows_read: u64,
}

/// Reads, parses and maps a file (CSV, TSV, JSON, JSONL, XLSX…). Blocking: call it off the
/// async threads.
pub fn read_file(path: &Path, overrides: &[Override]) -> Result<ReadFile, Error> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dataset".into());
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::invalid(format!("Cannot read {}: {e}", path.display())).with_param("file")
    })?;
    if meta.len() > MAX_IMPORT_BYTES {
        return Err(Error::invalid(format!(
            "{} is {} MB; the limit is {} MB. Split the file.",
            path.display(),
            meta.len() / (1024 * 1024),
            MAX_IMPORT_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Error::invalid(format!("Cannot read {}: {e}", path.display())).with_param("file")
    })?;
    let table = decode::parse(&bytes, &file_name)?;
    let mapped = columns::map_with(&table.headers, overrides)?;
    let mapping: Vec<(String, String)> = table
        .headers
        .iter()
        .zip(&mapped.columns)
        .map(|(h, c)| {
            (
                h.trim_start_matches('\u{feff}').trim().to_string(),
                c.path(),
            )
        })
        .collect();
    let (records, bad_rows, duplicates) = dataset::records(&table, &mapped.columns);
    let rows_read = (table.rows.len() + table.broken.len()) as u64;
    Ok(ReadFile {
        file_name,
        delimiter: table.delimiter,
        mapping,
        export: mapped.export,
        records,
        bad_rows,
        duplicates,
        rows_read,
    })
}

impl Engine {
    /// Imports `path` as dataset `name` (default: the file name without extension), replacing an
    /// earlier dataset of that name. Bad rows are reported and skipped; the rest land together.
    pub async fn import_dataset(
        &self,
        path: &Path,
        name: Option<&str>,
    ) -> Result<ImportReport, Error> {
        self.import_dataset_mapped(path, name, &[]).await
    }

    /// [`Engine::import_dataset`] with the user's mapping corrections (`--map`).
    pub async fn import_dataset_mapped(
        &self,
        path: &Path,
        name: Option<&str>,
        overrides: &[Override],
    ) -> Result<ImportReport, Error> {
        let stem = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "dataset".into());
        let name = dataset_name(name.unwrap_or(&stem));
        if name.is_empty() {
            return Err(
                Error::invalid("A dataset name needs at least one letter or digit.")
                    .with_param("name"),
            );
        }
        let (path, overrides) = (path.to_path_buf(), overrides.to_vec());
        // Reading and parsing run off the async threads and outside the store's lock; only the
        // insert holds it, in one transaction.
        let read = tokio::task::spawn_blocking(move || read_file(&path, &overrides))
            .await
            .map_err(|e| Error::internal(format!("the import task failed: {e}")))??;
        let org = self.org.clone();
        self.db(move |s| {
            let mapping_json = serde_json::to_string(&read.mapping).unwrap_or_else(|_| "[]".into());
            let fingerprint = ds::fingerprint(&read.records);
            let replaced = s.write(|tx| {
                ds::insert(
                    tx,
                    &org,
                    &ds::NewDataset {
                        name: &name,
                        file_name: &read.file_name,
                        mapping: &mapping_json,
                        fingerprint: &fingerprint,
                        records: &read.records,
                        now: Timestamp::now().millis(),
                    },
                )
            })?;
            Ok(ImportReport {
                name,
                file_name: read.file_name,
                mapping: read.mapping,
                delimiter: read.delimiter,
                rows_read: read.rows_read,
                imported: read.records.len() as u64,
                duplicates: read.duplicates,
                bad_rows: read.bad_rows,
                replaced: replaced.same_name,
                export: read.export,
                same_rows_as: replaced.same_rows,
            })
        })
        .await
    }

    /// The datasets of this organisation, in import order.
    pub async fn list_datasets(&self) -> Result<Vec<ds::DatasetInfo>, Error> {
        let org = self.org.clone();
        self.db(move |s| s.read(|c| ds::list(c, &org))).await
    }

    /// Full-text search over imported rows (every word must match), best first.
    pub async fn search_datasets(
        &self,
        query: &str,
        limit: u32,
    ) -> Result<Vec<ds::SourcedRecord>, Error> {
        let org = self.org.clone();
        let query = query.to_string();
        self.db(move |s| s.read(|c| ds::search(c, &org, &query, limit.clamp(1, 1000))))
            .await
    }
}
