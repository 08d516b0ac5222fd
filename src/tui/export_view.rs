//! The leads table as the user sees it (filter, sort, shown columns) as a file or clipboard text:
//! CSV, JSON, XLSX for `e`, and CSV, Markdown, JSON for copying a row with `Y`.

use std::io::Write;
use std::path::Path;

use serde_json::{Map, Value};

use crate::model::requests::ExportFormat;
use crate::model::{Error, Lead};
use crate::text::csv_safe;

use super::state::leads::{ColumnSpec, LeadsState, cell};

/// Headers and rows of text, ready to render.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn row(l: &Lead, cols: &[ColumnSpec]) -> Vec<String> {
    cols.iter()
        .map(|c| cell(l, &c.column).into_owned())
        .collect()
}

fn headers(cols: &[ColumnSpec]) -> Vec<String> {
    cols.iter().map(|c| c.column.name().into_owned()).collect()
}

/// Every lead of the view, in its order, with the shown columns.
pub fn view_table(st: &LeadsState) -> ViewTable {
    ViewTable {
        headers: headers(&st.columns),
        rows: st
            .view
            .iter()
            .filter_map(|&i| st.lead(i))
            .map(|l| row(l, &st.columns))
            .collect(),
    }
}

/// The view's leads fetched from the backend a chunk at a time (paged mode: they are not all in
/// memory), rendered with the shown columns.
pub async fn fetch_view_table(
    backend: &dyn crate::backend::Backend,
    job: &crate::model::JobId,
    ordinals: &[u32],
    cols: &[ColumnSpec],
) -> Result<ViewTable, Error> {
    const CHUNK: usize = 1_000;
    let mut rows = Vec::with_capacity(ordinals.len());
    for chunk in ordinals.chunks(CHUNK) {
        for (_, mut l) in backend.leads_at(job, chunk.to_vec()).await? {
            crate::model::table::sanitize_lead(&mut l);
            rows.push(row(&l, cols));
        }
    }
    Ok(ViewTable {
        headers: headers(cols),
        rows,
    })
}

/// The marked leads in view order (else the selected one) with the shown columns.
pub fn row_table(st: &LeadsState, lead: &Lead) -> ViewTable {
    let rows = if st.marked.is_empty() {
        vec![row(lead, &st.columns)]
    } else {
        st.view
            .iter()
            .filter(|i| st.marked.contains(i))
            .filter_map(|&i| st.lead(i))
            .map(|l| row(l, &st.columns))
            .collect()
    };
    ViewTable {
        headers: headers(&st.columns),
        rows,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyFormat {
    Csv,
    Markdown,
    Json,
}

impl ViewTable {
    /// CSV with every cell neutralised against formula injection.
    pub fn csv(&self) -> Result<Vec<u8>, Error> {
        let err = |e: csv::Error| Error::internal(format!("could not write the CSV: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.headers).map_err(err)?;
        for r in &self.rows {
            w.write_record(r.iter().map(|c| csv_safe(c).into_owned()))
                .map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::internal(format!("could not finish the CSV: {e}")))
    }

    /// An array of objects keyed by column name, values as shown.
    pub fn json(&self) -> Result<Vec<u8>, Error> {
        let items: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let obj: Map<String, Value> = self
                    .headers
                    .iter()
                    .cloned()
                    .zip(r.iter().map(|c| Value::String(c.clone())))
                    .collect();
                Value::Object(obj)
            })
            .collect();
        serde_json::to_vec_pretty(&items)
            .map_err(|e| Error::internal(format!("could not render JSON: {e}")))
    }

    /// A Markdown table; `|` and line breaks in cells are escaped so the table holds.
    pub fn markdown(&self) -> String {
        let esc = |c: &str| c.replace('|', "\\|").replace(['\n', '\r'], " ");
        let mut out = format!("| {} |\n", self.headers.join(" | "));
        out.push_str(&format!("|{}\n", " --- |".repeat(self.headers.len())));
        for r in &self.rows {
            let cells: Vec<String> = r.iter().map(|c| esc(c)).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out
    }

    pub fn xlsx(&self) -> Result<Vec<u8>, Error> {
        use rust_xlsxwriter::{Format, Workbook};
        let xerr =
            |e: rust_xlsxwriter::XlsxError| Error::internal(format!("could not render XLSX: {e}"));
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Leads").map_err(xerr)?;
        let bold = Format::new().set_bold();
        for (i, h) in self.headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, i as u16, h, &bold)
                .map_err(xerr)?;
        }
        for (r, cells) in self.rows.iter().enumerate() {
            for (i, c) in cells.iter().enumerate() {
                // Strings as strings (never formulas): nothing to neutralise.
                sheet
                    .write_string(r as u32 + 1, i as u16, c)
                    .map_err(xerr)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(xerr)?;
        book.save_to_buffer().map_err(xerr)
    }

    pub fn render(&self, format: ExportFormat) -> Result<Vec<u8>, Error> {
        match format {
            ExportFormat::Csv => self.csv(),
            ExportFormat::Json => self.json(),
            ExportFormat::Xlsx => self.xlsx(),
        }
    }

    pub fn copy_text(&self, format: CopyFormat) -> Result<String, Error> {
        Ok(match format {
            CopyFormat::Csv => String::from_utf8_lossy(&self.csv()?).into_owned(),
            CopyFormat::Markdown => self.markdown(),
            CopyFormat::Json => String::from_utf8_lossy(&self.json()?).into_owned(),
        })
    }
}

/// The format a path's extension names, if any.
pub fn format_of(path: &str) -> Option<ExportFormat> {
    let ext = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(ExportFormat::Csv),
        "json" => Some(ExportFormat::Json),
        "xlsx" => Some(ExportFormat::Xlsx),
        _ => None,
    }
}

/// What writing found.
#[derive(Debug)]
pub enum Written {
    Done,
    /// The file is there and the user has not said to replace it.
    Exists,
}

/// Writes `bytes` to `path`: atomically (a temp file renamed into place), and when `overwrite`
/// is false, only if nothing is there (checked by the rename itself, so no race).
pub fn write(path: &Path, bytes: &[u8], overwrite: bool) -> Result<Written, Error> {
    if overwrite {
        crate::export::write_atomic(path, bytes)?;
        return Ok(Written::Done);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io =
        |e: std::io::Error| Error::internal(format!("could not write {}: {e}", path.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(Written::Done),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(Written::Exists),
        Err(e) => Err(io(e.error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> ViewTable {
        ViewTable {
            headers: vec!["company".into(), "email".into()],
            rows: vec![vec!["=HYPERLINK(\"x\")".into(), "a|b@c.io".into()]],
        }
    }

    #[test]
    fn csv_is_neutralised_markdown_escaped_json_keyed() {
        let t = table();
        let csv = String::from_utf8(t.csv().unwrap()).unwrap();
        assert!(csv.starts_with("company,email\n"), "{csv}");
        assert!(
            !csv.contains(",=HYPERLINK") && !csv.contains("\n=HYPERLINK"),
            "{csv}"
        );
        assert!(t.markdown().contains("a\\|b@c.io"));
        let v: Value = serde_json::from_slice(&t.json().unwrap()).unwrap();
        assert_eq!(v[0]["email"], "a|b@c.io");
    }

    #[test]
    fn writing_never_replaces_a_file_unless_told_to() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/x.csv");
        assert!(matches!(write(&path, b"one", false), Ok(Written::Done)));
        assert!(matches!(write(&path, b"two", false), Ok(Written::Exists)));
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert!(matches!(write(&path, b"two", true), Ok(Written::Done)));
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(format_of("a/b.XLSX"), Some(ExportFormat::Xlsx));
        assert_eq!(format_of("a/b.txt"), None);
    }
}
