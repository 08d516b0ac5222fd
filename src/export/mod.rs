//! Rendering a job's leads as files (CSV, JSON, XLSX) and writing them atomically — shared by
//! the engine (artifacts, exports) and the remote backend (exports and file pushes rendered on
//! this machine), so the same leads give the same bytes either way.
//!
//! CSV is one row per lead. Every cell goes through [`csv_safe`](crate::text::csv_safe), so a
//! value such as `=HYPERLINK(…)` scraped from a page can never run as a spreadsheet formula.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use crate::model::lead::value_text;
use crate::model::requests::ExportFormat;
use crate::model::{Error, Lead, Source, SourceKind};
use crate::text::csv_safe;

pub mod file;
pub mod stream;

pub use stream::Written;

/// The fixed leading columns, then the lead's `fields` (in first-seen order), then provenance.
const HEAD: [&str; 9] = [
    "company_name",
    "domain",
    "hq_city",
    "hq_country",
    "company_linkedin",
    "person_name",
    "title",
    "email",
    "person_linkedin",
];
const TAIL: [&str; 3] = ["confidence", "source_count", "sources"];

pub fn columns(leads: &[Lead]) -> Vec<String> {
    columns_with(&field_keys(leads))
}

/// The leads' `fields` keys, in first-seen order.
pub fn field_keys(leads: &[Lead]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for lead in leads {
        for key in lead.fields.keys() {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
    }
    keys
}

fn source_label(s: &Source) -> &str {
    match (&s.url, &s.name) {
        (Some(url), _) => url,
        (None, Some(name)) => name,
        (None, None) => match s.kind {
            SourceKind::Web => "web",
            SourceKind::Dataset => "dataset",
            SourceKind::Provider => "provider",
            SourceKind::Synthetic => "synthetic",
        },
    }
}

fn row<'a>(lead: &'a Lead, columns: &[String]) -> Vec<Cow<'a, str>> {
    let c = &lead.company;
    let p = lead.person.as_ref();
    let opt = |v: Option<&'a String>| -> Cow<'a, str> {
        v.map(|s| Cow::Borrowed(s.as_str())).unwrap_or_default()
    };
    columns
        .iter()
        .map(|col| match col.as_str() {
            "company_name" => Cow::Borrowed(c.name.as_str()),
            "domain" => opt(c.domain.as_ref()),
            "hq_city" => opt(c.hq_city.as_ref()),
            "hq_country" => opt(c.hq_country.as_ref()),
            "company_linkedin" => opt(c.linkedin.as_ref()),
            "person_name" => p
                .map(|p| Cow::Borrowed(p.full_name.as_str()))
                .unwrap_or_default(),
            "title" => opt(p.and_then(|p| p.title.as_ref())),
            "email" => opt(p.and_then(|p| p.email.as_ref())),
            "person_linkedin" => opt(p.and_then(|p| p.linkedin.as_ref())),
            "confidence" => Cow::Owned(format!("{:.2}", lead.confidence)),
            "source_count" => Cow::Owned(lead.sources.len().to_string()),
            "sources" => Cow::Owned(
                lead.sources
                    .iter()
                    .map(source_label)
                    .collect::<Vec<_>>()
                    .join(" | "),
            ),
            field => match lead.fields.get(field) {
                Some(serde_json::Value::String(s)) => Cow::Borrowed(s.as_str()),
                Some(v) => Cow::Owned(value_text(v)),
                None => Cow::Borrowed(""),
            },
        })
        .collect()
}

pub fn render_csv(leads: &[Lead]) -> Result<Vec<u8>, Error> {
    let columns = columns(leads);
    let mut w = csv::Writer::from_writer(Vec::with_capacity(leads.len() * 256 + 256));
    w.write_record(&columns).map_err(csv_error)?;
    for lead in leads {
        for cell in row(lead, &columns) {
            w.write_field(csv_safe(&cell).as_bytes())
                .map_err(csv_error)?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_error)?;
    }
    w.into_inner()
        .map_err(|e| Error::internal(format!("could not finish the CSV: {e}")))
}

/// The columns of leads whose `fields` keys (first-seen order) are already known.
pub fn columns_with(keys: &[String]) -> Vec<String> {
    HEAD.iter()
        .map(|s| s.to_string())
        .chain(keys.iter().cloned())
        .chain(TAIL.iter().map(|s| s.to_string()))
        .collect()
}

/// [`render_csv`] and [`render_json`] for leads arriving one at a time (a large opened file read
/// back from the store), written to `csv` and `json` as they come: same bytes, bounded memory.
pub fn write_streaming(
    csv_out: impl Write,
    mut json_out: impl Write,
    columns: &[String],
    leads: impl Iterator<Item = Result<Lead, Error>>,
) -> Result<u64, Error> {
    let io = |e: std::io::Error| Error::internal(format!("could not write the artifact: {e}"));
    let mut w = csv::Writer::from_writer(csv_out);
    w.write_record(columns).map_err(csv_error)?;
    json_out.write_all(b"[").map_err(io)?;
    let mut rows = 0u64;
    for lead in leads {
        let lead = lead?;
        for cell in row(&lead, columns) {
            w.write_field(csv_safe(&cell).as_bytes())
                .map_err(csv_error)?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_error)?;
        if rows > 0 {
            json_out.write_all(b",").map_err(io)?;
        }
        serde_json::to_writer(&mut json_out, &lead)
            .map_err(|e| Error::internal(format!("could not render JSON: {e}")))?;
        rows += 1;
    }
    json_out.write_all(b"]").map_err(io)?;
    w.flush().map_err(io)?;
    json_out.flush().map_err(io)?;
    Ok(rows)
}

fn csv_error(e: csv::Error) -> Error {
    Error::internal(format!("could not write the CSV: {e}"))
}

pub fn render_json(leads: &[Lead]) -> Result<Vec<u8>, Error> {
    // Compact: a 10,000-lead array is half the size, and JSON consumers do not need the indent.
    serde_json::to_vec(leads).map_err(|e| Error::internal(format!("could not render JSON: {e}")))
}

pub fn render_xlsx(leads: &[Lead]) -> Result<Vec<u8>, Error> {
    use rust_xlsxwriter::{Format, Workbook};
    let xerr =
        |e: rust_xlsxwriter::XlsxError| Error::internal(format!("could not render XLSX: {e}"));
    let columns = columns(leads);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Leads").map_err(xerr)?;
    let bold = Format::new().set_bold();
    for (i, col) in columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, i as u16, col, &bold)
            .map_err(xerr)?;
    }
    for (r, lead) in leads.iter().enumerate() {
        for (i, cell) in row(lead, &columns).iter().enumerate() {
            let cell: &str = cell;
            let (r, i) = (r as u32 + 1, i as u16);
            if columns[i as usize] == "confidence" {
                sheet.write_number(r, i, lead.confidence).map_err(xerr)?;
            } else {
                // Strings are written as strings (never formulas), so no neutralising is needed.
                sheet.write_string(r, i, cell).map_err(xerr)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xerr)?;
    book.save_to_buffer().map_err(xerr)
}

pub fn render(leads: &[Lead], format: ExportFormat) -> Result<Vec<u8>, Error> {
    match format {
        ExportFormat::Csv => render_csv(leads),
        ExportFormat::Json => render_json(leads),
        ExportFormat::Xlsx => render_xlsx(leads),
    }
}

/// Writes `bytes` to `path` atomically: a temp file in the same directory, fsynced, renamed over.
/// A crash leaves either the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let io =
        |e: std::io::Error| Error::internal(format!("could not write {}: {e}", path.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Company, JobId, LeadId, Person, Timestamp};

    fn lead(company: &str, email: &str) -> Lead {
        Lead {
            id: LeadId::generate(),
            object: "lead".into(),
            job_id: JobId::generate(),
            company: Company {
                name: company.into(),
                domain: Some("acme.io".into()),
                ..Company::default()
            },
            person: Some(Person {
                full_name: "Ada Lovelace".into(),
                email: Some(email.into()),
                ..Person::default()
            }),
            fields:
                serde_json::json!({"funding_amount": "€12M", "technologies": ["Snowflake", "dbt"]})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            sources: vec![Source {
                kind: SourceKind::Web,
                url: Some("https://acme.io/team".into()),
                retrieved_at: Timestamp::from_millis(0),
                name: None,
                fields: vec!["company.name".into()],
            }],
            confidence: 0.876,
            livemode: true,
        }
    }

    #[test]
    fn csv_has_fixed_then_field_then_provenance_columns() {
        let out = String::from_utf8(render_csv(&[lead("Acme", "ada@acme.io")]).unwrap()).unwrap();
        let mut lines = out.lines();
        assert_eq!(
            lines.next().unwrap(),
            "company_name,domain,hq_city,hq_country,company_linkedin,person_name,title,email,person_linkedin,funding_amount,technologies,confidence,source_count,sources"
        );
        assert_eq!(
            lines.next().unwrap(),
            "Acme,acme.io,,,,Ada Lovelace,,ada@acme.io,,€12M,Snowflake; dbt,0.88,1,https://acme.io/team"
        );
    }

    #[test]
    fn csv_neutralises_formula_cells_from_any_column() {
        let bad = lead("=HYPERLINK(\"http://evil\",\"x\")", "@SUM(A1)@x.io");
        let out = String::from_utf8(render_csv(&[bad]).unwrap()).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let rec = reader.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "'=HYPERLINK(\"http://evil\",\"x\")");
        assert_eq!(&rec[7], "'@SUM(A1)@x.io");
    }

    #[test]
    fn xlsx_renders_a_zip_workbook() {
        let bytes = render_xlsx(&[lead("Acme", "ada@acme.io")]).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }

    #[test]
    fn atomic_write_replaces_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.csv");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
    }
}
