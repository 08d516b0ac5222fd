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
/// memory) and written straight to `path` as they arrive, so memory stays flat however many
/// rows the view holds. Returns what writing found and the rows written.
pub async fn export_paged(
    backend: &dyn crate::backend::Backend,
    job: &crate::model::JobId,
    ordinals: &[u32],
    cols: &[ColumnSpec],
    target: (&Path, ExportFormat, bool),
) -> Result<(Written, usize), Error> {
    // Small enough that a chunk of whole leads and its rows stay well under a megabyte.
    const CHUNK: usize = 250;
    let (path, format, overwrite) = target;
    let blocking =
        |e: tokio::task::JoinError| Error::internal(format!("the export task failed: {e}"));
    let (p, h) = (path.to_path_buf(), headers(cols));
    let mut sink = tokio::task::spawn_blocking(move || RowSink::create(&p, format, h))
        .await
        .map_err(blocking)??;
    for chunk in ordinals.chunks(CHUNK) {
        let rows: Vec<Vec<String>> = backend
            .leads_at(job, chunk.to_vec())
            .await?
            .into_iter()
            .map(|(_, mut l)| {
                crate::model::table::sanitize_lead(&mut l);
                row(&l, cols)
            })
            .collect();
        // File writes off the async threads: the draw loop shares them.
        sink = tokio::task::spawn_blocking(move || {
            for r in rows {
                sink.push(r)?;
            }
            Ok::<_, Error>(sink)
        })
        .await
        .map_err(blocking)??;
    }
    let rows = sink.rows;
    let written = tokio::task::spawn_blocking(move || sink.finish(overwrite))
        .await
        .map_err(blocking)??;
    Ok((written, rows))
}

/// A file written a row at a time into a temp file beside its destination, moved into place at
/// the end (never over an existing file unless told to), as [`write`] does with whole bytes.
pub struct RowSink {
    path: std::path::PathBuf,
    tmp: tempfile::NamedTempFile,
    kind: SinkKind,
    pub rows: usize,
}

enum SinkKind {
    Csv(Box<csv::Writer<std::io::BufWriter<std::fs::File>>>),
    Json {
        out: std::io::BufWriter<std::fs::File>,
        headers: Vec<String>,
    },
    /// rust_xlsxwriter's constant-memory worksheet streams each finished row to its own temp
    /// file; the workbook is assembled when saved.
    Xlsx(Box<rust_xlsxwriter::Workbook>),
}

impl RowSink {
    pub fn create(path: &Path, format: ExportFormat, headers: Vec<String>) -> Result<Self, Error> {
        let io =
            |e: std::io::Error| Error::internal(format!("could not write {}: {e}", path.display()));
        let xerr =
            |e: rust_xlsxwriter::XlsxError| Error::internal(format!("could not render XLSX: {e}"));
        let tmp = crate::export::stream::temp_beside(path)?;
        let file = || tmp.reopen().map(std::io::BufWriter::new).map_err(io);
        let kind = match format {
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(file()?);
                w.write_record(&headers)
                    .map_err(|e| Error::internal(format!("could not write the CSV: {e}")))?;
                SinkKind::Csv(Box::new(w))
            }
            ExportFormat::Json => {
                let mut out = file()?;
                out.write_all(b"[").map_err(io)?;
                SinkKind::Json { out, headers }
            }
            ExportFormat::Xlsx => {
                use rust_xlsxwriter::{Format, Workbook};
                let mut book = Workbook::new();
                let sheet = book.add_worksheet_with_constant_memory().map_err(xerr)?;
                sheet.set_name("Leads").map_err(xerr)?;
                let bold = Format::new().set_bold();
                for (i, h) in headers.iter().enumerate() {
                    sheet
                        .write_string_with_format(0, i as u16, h, &bold)
                        .map_err(xerr)?;
                }
                sheet.set_freeze_panes(1, 0).map_err(xerr)?;
                SinkKind::Xlsx(Box::new(book))
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            tmp,
            kind,
            rows: 0,
        })
    }

    pub fn push(&mut self, cells: Vec<String>) -> Result<(), Error> {
        let io = |e: std::io::Error| Error::internal(format!("could not write the export: {e}"));
        match &mut self.kind {
            SinkKind::Csv(w) => w
                .write_record(cells.iter().map(|c| csv_safe(c).into_owned()))
                .map_err(|e| Error::internal(format!("could not write the CSV: {e}")))?,
            SinkKind::Json { out, headers } => {
                let obj: Map<String, Value> = headers
                    .iter()
                    .cloned()
                    .zip(cells.into_iter().map(Value::String))
                    .collect();
                out.write_all(if self.rows == 0 { b"\n  " } else { b",\n  " })
                    .map_err(io)?;
                serde_json::to_writer(&mut *out, &obj)
                    .map_err(|e| Error::internal(format!("could not render JSON: {e}")))?;
            }
            SinkKind::Xlsx(book) => {
                let xerr = |e: rust_xlsxwriter::XlsxError| {
                    Error::internal(format!("could not render XLSX: {e}"))
                };
                let sheet = book.worksheet_from_index(0).map_err(xerr)?;
                let r = u32::try_from(self.rows + 1)
                    .map_err(|_| Error::invalid("Too many rows for one XLSX sheet."))?;
                for (i, c) in cells.iter().enumerate() {
                    // Strings as strings (never formulas): nothing to neutralise.
                    sheet.write_string(r, i as u16, c).map_err(xerr)?;
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Completes the file and moves it to its path.
    pub fn finish(self, overwrite: bool) -> Result<Written, Error> {
        let path = self.path;
        let io =
            |e: std::io::Error| Error::internal(format!("could not write {}: {e}", path.display()));
        match self.kind {
            SinkKind::Csv(w) => {
                let out = w
                    .into_inner()
                    .map_err(|e| Error::internal(format!("could not finish the CSV: {e}")))?;
                out.into_inner().map_err(|e| io(e.into_error()))?;
            }
            SinkKind::Json { mut out, .. } => {
                out.write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })
                    .map_err(io)?;
                out.into_inner().map_err(|e| io(e.into_error()))?;
            }
            SinkKind::Xlsx(mut book) => {
                book.save(self.tmp.path())
                    .map_err(|e| Error::internal(format!("could not render XLSX: {e}")))?;
            }
        }
        crate::export::stream::persist(self.tmp, &path, overwrite)
    }
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

pub use crate::export::Written;

/// Writes `bytes` to `path`: atomically (a temp file renamed into place), and when `overwrite`
/// is false, only if nothing is there (checked by the rename itself, so no race).
pub fn write(path: &Path, bytes: &[u8], overwrite: bool) -> Result<Written, Error> {
    let io =
        |e: std::io::Error| Error::internal(format!("could not write {}: {e}", path.display()));
    let mut tmp = crate::export::stream::temp_beside(path)?;
    tmp.write_all(bytes).map_err(io)?;
    crate::export::stream::persist(tmp, path, overwrite)
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

    fn stream(path: &Path, format: ExportFormat, rows: usize, overwrite: bool) -> Written {
        let mut sink =
            RowSink::create(path, format, vec!["company".into(), "email".into()]).expect("sink");
        for i in 0..rows {
            sink.push(vec![format!("=cmd|' /C calc'!A{i}"), format!("p{i}@x.io")])
                .expect("row");
        }
        assert_eq!(sink.rows, rows);
        sink.finish(overwrite).expect("finish")
    }

    #[test]
    fn streamed_exports_hold_every_row_in_each_format() {
        let dir = tempfile::tempdir().unwrap();
        let csv_path = dir.path().join("v.csv");
        assert!(matches!(
            stream(&csv_path, ExportFormat::Csv, 2_500, false),
            Written::Done
        ));
        let mut r = csv::Reader::from_path(&csv_path).unwrap();
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2_500);
        assert_eq!(&rows[2_499][1], "p2499@x.io");
        assert!(
            rows.iter().all(|r| !r[0].starts_with('=')),
            "formulas neutralised"
        );

        let json_path = dir.path().join("v.json");
        stream(&json_path, ExportFormat::Json, 3, false);
        let v: Value = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
        assert_eq!(v.as_array().map(Vec::len), Some(3));
        assert_eq!(v[2]["email"], "p2@x.io");
        let empty = dir.path().join("none.json");
        stream(&empty, ExportFormat::Json, 0, false);
        let v: Value = serde_json::from_slice(&std::fs::read(&empty).unwrap()).unwrap();
        assert_eq!(v, serde_json::json!([]));

        let xlsx_path = dir.path().join("v.xlsx");
        stream(&xlsx_path, ExportFormat::Xlsx, 1_200, false);
        use calamine::{Reader, Xlsx, open_workbook};
        let mut book: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
        let sheet = book.worksheet_range("Leads").unwrap();
        assert_eq!(sheet.height(), 1_201, "a header and every row");
        assert_eq!(
            sheet.get((1_200, 1)).map(ToString::to_string),
            Some("p1199@x.io".into())
        );

        // Never over an existing file unless told to; the temp file goes away either way.
        assert!(matches!(
            stream(&csv_path, ExportFormat::Csv, 1, false),
            Written::Exists
        ));
        assert_eq!(
            csv::Reader::from_path(&csv_path).unwrap().records().count(),
            2_500
        );
        assert!(matches!(
            stream(&csv_path, ExportFormat::Csv, 1, true),
            Written::Done
        ));
        assert_eq!(
            csv::Reader::from_path(&csv_path).unwrap().records().count(),
            1
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 4, "only the four exports: {left:?}");
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
