//! The leads table as the user sees it (filter, sort, shown columns) as a file or clipboard text:
//! CSV, JSON, XLSX for `e`, and CSV, Markdown, JSON for copying a row with `Y`.

use std::path::Path;

use serde_json::{Map, Value};

use crate::export::stream::RowSink;
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
    let mut sink = tokio::task::spawn_blocking(move || {
        RowSink::create(&p, format, h.clone()).map(|sink| (sink, h))
    })
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
            let (mut out, headers) = sink;
            for r in rows {
                push_view_row(&mut out, &headers, &r)?;
            }
            Ok::<_, Error>((out, headers))
        })
        .await
        .map_err(blocking)??;
    }
    let (out, _) = sink;
    let rows = out.rows as usize;
    let written = tokio::task::spawn_blocking(move || out.finish(overwrite))
        .await
        .map_err(blocking)??;
    Ok((written, rows))
}

/// One row of the view: its cells, and as JSON an object of them keyed by column name.
fn push_view_row(sink: &mut RowSink, headers: &[String], cells: &[String]) -> Result<(), Error> {
    sink.push(cells, None, |out| {
        let obj: Map<String, Value> = headers
            .iter()
            .cloned()
            .zip(cells.iter().cloned().map(Value::String))
            .collect();
        serde_json::to_writer(out, &obj)
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

pub use crate::export::Written;

/// Writes `bytes` to `path` (see [`crate::export::stream::write_bytes`]).
pub use crate::export::stream::write_bytes as write;

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
        let headers = vec!["company".to_string(), "email".to_string()];
        let mut sink = RowSink::create(path, format, headers.clone()).expect("sink");
        for i in 0..rows {
            let cells = [format!("=cmd|' /C calc'!A{i}"), format!("p{i}@x.io")];
            push_view_row(&mut sink, &headers, &cells).expect("row");
        }
        assert_eq!(sink.rows, rows as u64);
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
