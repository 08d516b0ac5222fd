//! A file's rows one at a time, for opening a large file with bounded memory: CSV and TSV are
//! read from disk record by record; JSON documents, spreadsheets and UTF-16 text are parsed whole
//! (they are documents, not streams) and then handed out the same way. Each row is mapped and
//! normalised as `import` does ([`super::record`]), and duplicates collapse by a hash of the
//! normalised row rather than by keeping every row.

use std::collections::HashSet;
use std::io::{BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::columns::{self, Override};
use super::decode::{self, RawTable, text};
use super::{BadRow, Record, record};
use crate::engine::import::MAX_IMPORT_BYTES;
use crate::model::Error;

/// What reading a file found (everything but the rows, which went to the caller).
#[derive(Debug, Clone, Default)]
pub struct FileSummary {
    pub file_name: String,
    pub delimiter: Option<char>,
    /// Column header → lead path.
    pub mapping: Vec<(String, String)>,
    pub export: Option<String>,
    pub bad_rows: Vec<BadRow>,
    pub duplicates: u64,
    pub rows_read: u64,
    /// Rows handed to the caller.
    pub records: u64,
    /// The distinct rows, independent of their order (hex).
    pub fingerprint: String,
    /// Per column (as `mapping`), the first non-blank value of the rows read.
    pub samples: Vec<String>,
}

enum Source {
    Csv {
        reader: csv::Reader<Box<dyn Read + Send>>,
        record: csv::ByteRecord,
        number: u64,
    },
    Whole(RawTable),
}

/// Opens `path`, returning its headers, delimiter and a row source.
fn open(path: &Path, file_name: &str) -> Result<(Vec<String>, Option<char>, Source), Error> {
    let cannot = |e: std::io::Error| {
        Error::invalid(format!("Cannot read {}: {e}", path.display())).with_param("file")
    };
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.len() > MAX_IMPORT_BYTES {
        return Err(Error::invalid(format!(
            "{} is {} MB; the limit is {} MB. Split the file.",
            path.display(),
            meta.len() / (1024 * 1024),
            MAX_IMPORT_BYTES / (1024 * 1024)
        )));
    }
    let mut head = Vec::with_capacity(64 * 1024);
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(cannot)?;
    let lower = file_name.to_lowercase();
    let first = head
        .strip_prefix(&[0xEF, 0xBB, 0xBF])
        .unwrap_or(&head)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let document = [
        ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".json", ".jsonl", ".ndjson",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
        || head.starts_with(b"PK\x03\x04")
        || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        || head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || matches!(first, Some(b'{' | b'['));
    if document {
        let bytes = std::fs::read(path).map_err(cannot)?;
        let table = decode::parse(&bytes, file_name)?;
        return Ok((table.headers.clone(), table.delimiter, Source::Whole(table)));
    }
    let body = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&head);
    let delimiter = decode::sniff(body);
    let mut file = BufReader::with_capacity(256 * 1024, std::fs::File::open(path).map_err(cannot)?);
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        let mut bom = [0u8; 3];
        file.read_exact(&mut bom).map_err(cannot)?;
    }
    let boxed: Box<dyn Read + Send> = Box::new(file);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(boxed);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| Error::invalid(format!("The file's header line cannot be read: {e}")))?
        .iter()
        .map(text)
        .collect();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(Error::invalid("The file has no header line."));
    }
    let source = Source::Csv {
        reader,
        record: csv::ByteRecord::new(),
        number: 0,
    };
    Ok((headers, Some(delimiter as char), source))
}

/// One item of a source: a row's cells, or a record the parser rejected.
enum Item {
    Row(u64, Vec<String>),
    Broken(u64, String),
}

impl Source {
    /// The next item; `None` at the end. Mirrors `decode::parse_csv` record by record.
    fn next(&mut self, width: usize) -> Option<Item> {
        match self {
            Source::Whole(t) => {
                if let Some((line, reason)) = t.broken.pop() {
                    return Some(Item::Broken(line, reason));
                }
                t.rows.pop().map(|r| Item::Row(r.line, r.cells))
            }
            Source::Csv {
                reader,
                record,
                number,
            } => loop {
                match reader.read_byte_record(record) {
                    Ok(false) => return None,
                    Ok(true) => {
                        *number += 1;
                        if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
                            continue;
                        }
                        if record.len() > width && record.iter().skip(width).any(|c| !c.is_empty())
                        {
                            let reason = format!("{} cells for {} columns", record.len(), width);
                            return Some(Item::Broken(*number, reason));
                        }
                        let mut cells: Vec<String> = record.iter().map(text).collect();
                        cells.resize(width, String::new());
                        return Some(Item::Row(*number, cells));
                    }
                    Err(e) => {
                        *number += 1;
                        if *number > 10_000_000 {
                            return None;
                        }
                        return Some(Item::Broken(*number, format!("unreadable CSV: {e}")));
                    }
                }
            },
        }
    }
}

/// Reads `path` with the import mapping (and the user's corrections), handing each distinct
/// mapped row to `each` in file order until it returns `false`. Blocking: call it off the async
/// threads.
pub fn read_rows(
    path: &Path,
    overrides: &[Override],
    mut each: impl FnMut(Record) -> Result<bool, Error>,
) -> Result<FileSummary, Error> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dataset".into());
    let (headers, delimiter, mut source) = open(path, &file_name)?;
    if let Source::Whole(t) = &mut source {
        // Handed out by popping: reverse once so they come in file order.
        t.rows.reverse();
        t.broken.reverse();
    }
    let mapped = columns::map_with(&headers, overrides)?;
    let mapping: Vec<(String, String)> = headers
        .iter()
        .zip(&mapped.columns)
        .map(|(h, c)| {
            (
                h.trim_start_matches('\u{feff}').trim().to_string(),
                c.path(),
            )
        })
        .collect();
    let mut summary = FileSummary {
        file_name,
        delimiter,
        mapping,
        export: mapped.export.clone(),
        samples: vec![String::new(); headers.len()],
        ..FileSummary::default()
    };
    // 128-bit hashes of the rows seen: 16 bytes a row rather than the row.
    let mut seen: HashSet<u128> = HashSet::new();
    // The sum of every distinct row's hash: the same rows in any order sum the same.
    let mut sum = [0u64; 4];
    while let Some(item) = source.next(headers.len()) {
        summary.rows_read += 1;
        let (line, cells) = match item {
            Item::Broken(line, reason) => {
                summary.bad_rows.push(BadRow { line, reason });
                continue;
            }
            Item::Row(line, cells) => (line, cells),
        };
        for (sample, cell) in summary.samples.iter_mut().zip(&cells) {
            if sample.is_empty() {
                *sample = cell.trim().chars().take(60).collect();
            }
        }
        let r = match record(line, &cells, &mapped.columns) {
            Ok(r) => r,
            Err(reason) => {
                summary.bad_rows.push(BadRow { line, reason });
                continue;
            }
        };
        let mut key = r.clone();
        key.line = 0;
        let digest = Sha256::digest(serde_json::to_vec(&key).unwrap_or_default());
        let mut word = [0u8; 16];
        word.copy_from_slice(&digest[..16]);
        if !seen.insert(u128::from_le_bytes(word)) {
            summary.duplicates += 1;
            continue;
        }
        for (i, s) in sum.iter_mut().enumerate() {
            let mut w = [0u8; 8];
            w.copy_from_slice(&digest[i * 8..i * 8 + 8]);
            *s = s.wrapping_add(u64::from_le_bytes(w));
        }
        summary.records += 1;
        if !each(r)? {
            break;
        }
    }
    summary.bad_rows.sort_by_key(|b| b.line);
    summary.fingerprint = sum.iter().map(|w| format!("{w:016x}")).collect();
    Ok(summary)
}
