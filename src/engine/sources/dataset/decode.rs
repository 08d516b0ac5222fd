//! File bytes → rows of text cells with their line numbers: CSV (delimiter sniffed, BOM
//! stripped, quoted newlines, each cell UTF-8 or else Windows-1252) or a JSON array of objects.

use crate::model::Error;

/// One data row: its record number (1-based, header excluded; the item number for JSON) and its
/// cells aligned with the headers.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub line: u64,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    pub headers: Vec<String>,
    pub rows: Vec<RawRow>,
    /// Rows the parser itself rejected: (line, reason).
    pub broken: Vec<(u64, String)>,
    pub delimiter: Option<char>,
}

/// A cell's bytes as text: UTF-8 when valid, else Windows-1252 (a superset of Latin-1 for the
/// printable range), so a file mixing both still reads right cell by cell.
pub fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

pub fn parse(bytes: &[u8], file_name: &str) -> Result<RawTable, Error> {
    let lower = file_name.to_lowercase();
    let spreadsheet = [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"]
        .iter()
        .any(|e| lower.ends_with(e));
    // Zip (xlsx, ods) and OLE (xls) containers are never text.
    if spreadsheet
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
    {
        return parse_spreadsheet(bytes);
    }
    // UTF-16 files (Excel's "Unicode text") are re-encoded whole; UTF-8 BOMs are dropped.
    let owned;
    let bytes = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        owned = enc
            .decode_with_bom_removal(bytes)
            .0
            .into_owned()
            .into_bytes();
        &owned[..]
    } else {
        bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)
    };
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || first == Some(&b'{') {
        parse_json_lines(bytes)
    } else if lower.ends_with(".json") || first == Some(&b'[') {
        parse_json(bytes)
    } else {
        parse_csv(bytes)
    }
}

/// The first worksheet of a workbook (XLSX, XLS, ODS, via calamine): its first non-empty row is
/// the header; rows are numbered from the one after it, as in a CSV.
fn parse_spreadsheet(bytes: &[u8]) -> Result<RawTable, Error> {
    use calamine::Reader;
    let unreadable =
        |e: &dyn std::fmt::Display| Error::invalid(format!("The spreadsheet cannot be read: {e}"));
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| unreadable(&e))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| Error::invalid("The spreadsheet has no worksheet."))?
        .map_err(|e| unreadable(&e))?;
    let cell = |d: &calamine::Data| match d {
        calamine::Data::Error(_) => String::new(),
        other => other.to_string(),
    };
    let mut rows_iter = range
        .rows()
        .skip_while(|r| r.iter().all(|c| cell(c).trim().is_empty()));
    let headers: Vec<String> = rows_iter
        .next()
        .map(|r| r.iter().map(cell).collect())
        .unwrap_or_default();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(Error::invalid("The spreadsheet has no header row."));
    }
    let mut rows = Vec::new();
    for (i, r) in rows_iter.enumerate() {
        let mut cells: Vec<String> = r.iter().map(cell).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        cells.resize(headers.len(), String::new());
        rows.push(RawRow {
            line: i as u64 + 1,
            cells,
        });
    }
    Ok(RawTable {
        headers,
        rows,
        broken: Vec::new(),
        delimiter: None,
    })
}

/// The delimiter used most on the header line, outside quotes.
pub(crate) fn sniff(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    let candidates = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &b in bytes.iter().take(64 * 1024) {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = candidates.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], 4 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        candidates[best]
    }
}

fn parse_csv(bytes: &[u8]) -> Result<RawTable, Error> {
    let delimiter = sniff(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| Error::invalid(format!("The file's header line cannot be read: {e}")))?
        .iter()
        .map(text)
        .collect();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(Error::invalid("The file has no header line."));
    }
    let mut rows = Vec::new();
    let mut broken = Vec::new();
    let mut record = csv::ByteRecord::new();
    // Rows are numbered by record (the first data row is 1), as JSON items are: a quoted cell
    // spanning lines does not shift the numbers after it.
    let mut number = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                number += 1;
                if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                if record.len() > headers.len()
                    && record.iter().skip(headers.len()).any(|c| !c.is_empty())
                {
                    broken.push((
                        number,
                        format!("{} cells for {} columns", record.len(), headers.len()),
                    ));
                    continue;
                }
                let mut cells: Vec<String> = record.iter().map(text).collect();
                cells.resize(headers.len(), String::new());
                rows.push(RawRow {
                    line: number,
                    cells,
                });
            }
            Err(e) => {
                number += 1;
                broken.push((number, format!("unreadable CSV: {e}")));
                // The reader resynchronises at the next record; a bounded loop either way.
                if rows.len() + broken.len() > 10_000_000 {
                    break;
                }
            }
        }
    }
    Ok(RawTable {
        headers,
        rows,
        broken,
        delimiter: Some(delimiter as char),
    })
}

fn parse_json(bytes: &[u8]) -> Result<RawTable, Error> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::invalid(format!("The file is not valid JSON: {e}")))?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(mut o) => match o.remove("data").or_else(|| o.remove("rows")) {
            Some(serde_json::Value::Array(items)) => items,
            _ => {
                return Err(Error::invalid(
                    "A JSON dataset must be an array of objects.",
                ));
            }
        },
        _ => {
            return Err(Error::invalid(
                "A JSON dataset must be an array of objects.",
            ));
        }
    };
    Ok(table_of(
        items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i as u64 + 1, v)),
        Vec::new(),
    ))
}

/// One JSON object per line (JSONL / NDJSON). A `{"data": [...]}` wrapper is read as a JSON
/// dataset instead. A line that is not JSON is a bad row; blank lines are skipped.
fn parse_json_lines(bytes: &[u8]) -> Result<RawTable, Error> {
    if let Ok(v @ serde_json::Value::Object(_)) = serde_json::from_slice::<serde_json::Value>(bytes)
    {
        if v.get("data")
            .or_else(|| v.get("rows"))
            .is_some_and(|d| d.is_array())
        {
            return parse_json(bytes);
        }
        // One (possibly pretty-printed) object: one row.
        return Ok(table_of(std::iter::once((1, v)), Vec::new()));
    }
    let mut items = Vec::new();
    let mut broken = Vec::new();
    let mut number = 0u64;
    for line in bytes.split(|b| *b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        number += 1;
        match serde_json::from_slice::<serde_json::Value>(line) {
            Ok(v) => items.push((number, v)),
            Err(e) => broken.push((number, format!("not valid JSON: {e}"))),
        }
    }
    Ok(table_of(items.into_iter(), broken))
}

/// Numbered JSON items → a table whose headers are every key seen, in first-seen order.
fn table_of(
    items: impl Iterator<Item = (u64, serde_json::Value)>,
    mut broken: Vec<(u64, String)>,
) -> RawTable {
    let items: Vec<(u64, serde_json::Value)> = items.collect();
    let mut headers: Vec<String> = Vec::new();
    for (_, item) in &items {
        if let serde_json::Value::Object(o) = item {
            for k in o.keys() {
                if !headers.contains(k) {
                    headers.push(k.clone());
                }
            }
        }
    }
    let mut rows = Vec::new();
    for (line, item) in &items {
        let line = *line;
        let serde_json::Value::Object(o) = item else {
            broken.push((line, "not an object".to_string()));
            continue;
        };
        let cells = headers
            .iter()
            .map(|h| match o.get(h) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                Some(other) => other.to_string(),
            })
            .collect();
        rows.push(RawRow { line, cells });
    }
    broken.sort_by_key(|b| b.0);
    RawTable {
        headers,
        rows,
        broken,
        delimiter: None,
    }
}
#[cfg(test)]
mod tests {
    #[test]
    fn broken_spreadsheets_and_json_lines_say_what_is_wrong() {
        let e = super::parse(b"Company,Website\nAcme,acme.io\n", "leads.xlsx").unwrap_err();
        assert!(
            e.message.contains("spreadsheet cannot be read"),
            "{}",
            e.message
        );
        let t = super::parse(
            b"{\"company\":\"Acme\"}\n\n[1]\n{oops\n{\"company\":\"B\"}\n",
            "x.jsonl",
        )
        .unwrap();
        let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 4]);
        let broken: Vec<u64> = t.broken.iter().map(|b| b.0).collect();
        assert_eq!(broken, vec![2, 3]);
    }

    #[test]
    fn rows_are_numbered_by_record_not_by_line() {
        let t = super::parse(b"a;b\r\n1;\"x\ny\"\r\n2;z\r\n3;w\r\n", "f.csv").unwrap();
        let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 3]);
        let j = super::parse(br#"[{"a":"x\ny"},{"a":"z"}]"#, "f.json").unwrap();
        let items: Vec<u64> = j.rows.iter().map(|r| r.line).collect();
        assert_eq!(items, vec![1, 2]);
    }
}
