//! A whole job's export written as its leads arrive, for jobs too large to hold: the same
//! content as [`render`](super::render) gives for the same leads (same columns, CSV cells
//! neutralised, compact JSON of whole leads, XLSX with confidence as a number), written into a
//! temp file beside the destination and moved into place at the end.

use std::io::Write;
use std::path::Path;

use super::{csv_error, row};
use crate::model::requests::ExportFormat;
use crate::model::{Error, Lead};
use crate::text::csv_safe;

/// What writing a file found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Done,
    /// The file is there and the user has not said to replace it.
    Exists,
}

/// Moves a finished temp file to `path`: over an existing file only when `overwrite`; otherwise
/// the rename itself refuses (no check-then-write race) and the temp file is removed.
pub fn persist(
    tmp: tempfile::NamedTempFile,
    path: &Path,
    overwrite: bool,
) -> Result<Written, Error> {
    let io =
        |e: std::io::Error| Error::internal(format!("could not write {}: {e}", path.display()));
    tmp.as_file().sync_all().map_err(io)?;
    if overwrite {
        tmp.persist(path).map_err(|e| io(e.error))?;
        return Ok(Written::Done);
    }
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(Written::Done),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(Written::Exists),
        Err(e) => Err(io(e.error)),
    }
}

/// A temp file in `path`'s directory (made if missing).
pub fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile, Error> {
    let io =
        |e: std::io::Error| Error::internal(format!("could not write {}: {e}", path.display()));
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    tempfile::NamedTempFile::new_in(dir).map_err(io)
}

/// Writes `bytes` to `path` through a temp file beside it: atomically, and not over an existing
/// file unless `overwrite` (the rename itself refuses, so there is no race).
pub fn write_bytes(path: &Path, bytes: &[u8], overwrite: bool) -> Result<Written, Error> {
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes)
        .map_err(|e| Error::internal(format!("could not write {}: {e}", path.display())))?;
    persist(tmp, path, overwrite)
}

/// Writes `leads` (in order) to `path` in `format` with these `columns`; returns what writing
/// found and the leads written.
pub fn leads_to_file(
    path: &Path,
    format: ExportFormat,
    columns: &[String],
    leads: &mut dyn Iterator<Item = Result<Lead, Error>>,
    overwrite: bool,
) -> Result<(Written, u64), Error> {
    // Asked before the work, so a large export is not written only to be refused; the rename
    // at the end still refuses a file that appeared meanwhile.
    if !overwrite && path.exists() {
        return Ok((Written::Exists, 0));
    }
    let mut sink = RowSink::create(path, format, columns.to_vec())?;
    let confidence = columns.iter().position(|c| c == "confidence");
    for lead in leads {
        let lead = lead?;
        let cells = row(&lead, columns);
        let number = confidence.map(|i| (i, lead.confidence));
        sink.push(&cells, number, |out| serde_json::to_writer(out, &lead))?;
    }
    let rows = sink.rows;
    Ok((sink.finish(overwrite)?, rows))
}

/// A file written a row at a time into a temp file beside its destination and moved into place
/// at the end: CSV (cells neutralised), a compact JSON array, or XLSX through rust_xlsxwriter's
/// constant-memory sheet (each finished row goes to a temp file of its own; the workbook is
/// assembled when saved). Shared by the whole-job export and the TUI's view export.
pub struct RowSink {
    path: std::path::PathBuf,
    tmp: tempfile::NamedTempFile,
    kind: SinkKind,
    pub rows: u64,
}

enum SinkKind {
    Csv(Box<csv::Writer<std::io::BufWriter<std::fs::File>>>),
    Json(std::io::BufWriter<std::fs::File>),
    Xlsx(Box<rust_xlsxwriter::Workbook>),
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::internal(format!("could not render XLSX: {e}"))
}

impl RowSink {
    pub fn create(path: &Path, format: ExportFormat, headers: Vec<String>) -> Result<Self, Error> {
        let io =
            |e: std::io::Error| Error::internal(format!("could not write {}: {e}", path.display()));
        let tmp = temp_beside(path)?;
        let file = || tmp.reopen().map(std::io::BufWriter::new).map_err(io);
        let kind = match format {
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(file()?);
                w.write_record(&headers).map_err(csv_error)?;
                SinkKind::Csv(Box::new(w))
            }
            ExportFormat::Json => {
                let mut out = file()?;
                out.write_all(b"[").map_err(io)?;
                SinkKind::Json(out)
            }
            ExportFormat::Xlsx => {
                use rust_xlsxwriter::{Format, Workbook};
                let mut book = Workbook::new();
                let sheet = book
                    .add_worksheet_with_constant_memory()
                    .map_err(xlsx_error)?;
                sheet.set_name("Leads").map_err(xlsx_error)?;
                let bold = Format::new().set_bold();
                for (i, h) in headers.iter().enumerate() {
                    sheet
                        .write_string_with_format(0, i as u16, h, &bold)
                        .map_err(xlsx_error)?;
                }
                sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
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

    /// One row: its `cells` (CSV, XLSX), the cell at `number`'s index written as that number in
    /// XLSX, and what `json` writes as the row's JSON item.
    pub fn push<S: AsRef<str>>(
        &mut self,
        cells: &[S],
        number: Option<(usize, f64)>,
        json: impl FnOnce(&mut dyn Write) -> serde_json::Result<()>,
    ) -> Result<(), Error> {
        match &mut self.kind {
            SinkKind::Csv(w) => {
                for cell in cells {
                    w.write_field(csv_safe(cell.as_ref()).as_bytes())
                        .map_err(csv_error)?;
                }
                w.write_record(None::<&[u8]>).map_err(csv_error)?;
            }
            SinkKind::Json(out) => {
                if self.rows > 0 {
                    out.write_all(b",")
                        .map_err(|e| Error::internal(format!("could not write the JSON: {e}")))?;
                }
                json(out).map_err(|e| Error::internal(format!("could not render JSON: {e}")))?;
            }
            SinkKind::Xlsx(book) => {
                let sheet = book.worksheet_from_index(0).map_err(xlsx_error)?;
                let r = u32::try_from(self.rows + 1)
                    .map_err(|_| Error::invalid("Too many rows for one XLSX sheet."))?;
                for (i, cell) in cells.iter().enumerate() {
                    match number {
                        Some((at, n)) if at == i => sheet.write_number(r, i as u16, n),
                        // Strings as strings (never formulas): nothing to neutralise.
                        _ => sheet.write_string(r, i as u16, cell.as_ref()),
                    }
                    .map_err(xlsx_error)?;
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
            SinkKind::Json(mut out) => {
                out.write_all(b"]").map_err(io)?;
                out.into_inner().map_err(|e| io(e.into_error()))?;
            }
            SinkKind::Xlsx(mut book) => {
                book.save(self.tmp.path()).map_err(xlsx_error)?;
            }
        }
        persist(self.tmp, &path, overwrite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Company, JobId, LeadId, Person};

    fn leads(n: usize) -> Vec<Lead> {
        (0..n)
            .map(|i| {
                let mut fields = serde_json::Map::new();
                fields.insert("employees".into(), serde_json::json!(i * 10));
                if i % 3 == 0 {
                    fields.insert("tech \"stack\"".into(), serde_json::json!(["rust", "=1+1"]));
                }
                Lead {
                    id: LeadId::from_db(format!("lead_{i:04}")),
                    object: "lead".into(),
                    job_id: JobId::from_db("job_1".into()),
                    company: Company {
                        name: format!("=cmd|' /C calc'!A{i}"),
                        domain: Some(format!("c{i}.io")),
                        ..Company::default()
                    },
                    person: Some(Person {
                        full_name: format!("Ada {i}"),
                        email: Some(format!("ada{i}@c{i}.io")),
                        ..Person::default()
                    }),
                    fields,
                    confidence: 0.5 + (i % 5) as f64 / 10.0,
                    ..crate::tui::fixtures::lead(&JobId::from_db("job_1".into()), i)
                }
            })
            .collect()
    }

    fn streamed(dir: &Path, name: &str, format: ExportFormat, leads: &[Lead]) -> Vec<u8> {
        let path = dir.join(name);
        let columns = super::super::columns(leads);
        let mut it = leads.iter().cloned().map(Ok);
        let (written, rows) = leads_to_file(&path, format, &columns, &mut it, false).unwrap();
        assert_eq!((written, rows), (Written::Done, leads.len() as u64));
        std::fs::read(path).unwrap()
    }

    /// Streaming gives the bytes rendering gives (CSV, JSON) and the same cells (XLSX).
    #[test]
    fn a_streamed_export_equals_the_rendered_one() {
        let dir = tempfile::tempdir().unwrap();
        for n in [0, 1, 250] {
            let l = leads(n);
            for format in [ExportFormat::Csv, ExportFormat::Json] {
                let name = format!("{n}.{}", format.extension());
                assert_eq!(
                    streamed(dir.path(), &name, format, &l),
                    super::super::render(&l, format).unwrap(),
                    "{name}"
                );
            }
            let name = format!("{n}.xlsx");
            let path = dir.path().join(&name);
            streamed(dir.path(), &name, ExportFormat::Xlsx, &l);
            let rendered = dir.path().join(format!("{n}-rendered.xlsx"));
            std::fs::write(&rendered, super::super::render_xlsx(&l).unwrap()).unwrap();
            use calamine::{Reader, Xlsx, open_workbook};
            let cells = |p: &Path| {
                let mut book: Xlsx<_> = open_workbook(p).unwrap();
                let range = book.worksheet_range("Leads").unwrap();
                range
                    .rows()
                    .map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            };
            assert_eq!(cells(&path), cells(&rendered), "{name}");
        }
    }

    #[test]
    fn a_streamed_export_never_replaces_a_file_unless_told_to() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, "mine").unwrap();
        let l = leads(3);
        let columns = super::super::columns(&l);
        let mut it = l.iter().cloned().map(Ok);
        let (w, _) = leads_to_file(&path, ExportFormat::Csv, &columns, &mut it, false).unwrap();
        assert_eq!(w, Written::Exists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        let mut it = l.iter().cloned().map(Ok);
        let (w, _) = leads_to_file(&path, ExportFormat::Csv, &columns, &mut it, true).unwrap();
        assert_eq!(w, Written::Done);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            super::super::render_csv(&l).unwrap()
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }
}
