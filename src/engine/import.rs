//! `leadline import`: a CSV or JSON file → a named dataset in the store (one transaction), plus
//! listing and full-text search over what was imported.

use std::path::Path;

use super::Engine;
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

impl Engine {
    /// Imports `path` as dataset `name` (default: the file name without extension), replacing an
    /// earlier dataset of that name. Bad rows are reported and skipped; the rest land together.
    pub async fn import_dataset(
        &self,
        path: &Path,
        name: Option<&str>,
    ) -> Result<ImportReport, Error> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "dataset".into());
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
        let path = path.to_path_buf();
        // Reading and parsing run off the async threads and outside the store's lock; only the
        // insert holds it, in one transaction.
        let parsed = tokio::task::spawn_blocking(move || -> Result<_, Error> {
            let meta = std::fs::metadata(&path).map_err(|e| {
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
            let bytes = std::fs::read(&path).map_err(|e| {
                Error::invalid(format!("Cannot read {}: {e}", path.display())).with_param("file")
            })?;
            let table = decode::parse(&bytes, &file_name)?;
            let cols = columns::map_headers(&table.headers);
            let mapping: Vec<(String, String)> = table
                .headers
                .iter()
                .zip(&cols)
                .map(|(h, c)| {
                    (
                        h.trim_start_matches('\u{feff}').trim().to_string(),
                        c.path(),
                    )
                })
                .collect();
            let (records, bad_rows, duplicates) = dataset::records(&table, &cols);
            let rows_read = (table.rows.len() + table.broken.len()) as u64;
            Ok((
                file_name,
                table.delimiter,
                mapping,
                records,
                bad_rows,
                duplicates,
                rows_read,
            ))
        })
        .await
        .map_err(|e| Error::internal(format!("the import task failed: {e}")))??;
        let (file_name, delimiter, mapping, records, bad_rows, duplicates, rows_read) = parsed;
        let org = self.org.clone();
        self.db(move |s| {
            let mapping_json = serde_json::to_string(&mapping).unwrap_or_else(|_| "[]".into());
            let replaced = s.write(|tx| {
                ds::insert(
                    tx,
                    &org,
                    &name,
                    &file_name,
                    &mapping_json,
                    &records,
                    Timestamp::now().millis(),
                )
            })?;
            Ok(ImportReport {
                name,
                file_name,
                mapping,
                delimiter,
                rows_read,
                imported: records.len() as u64,
                duplicates,
                bad_rows,
                replaced,
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
