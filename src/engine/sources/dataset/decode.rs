//! File bytes → rows of text cells with their line numbers: CSV (delimiter sniffed, BOM
//! stripped, quoted newlines, each cell UTF-8 or else Windows-1252) or a JSON array of objects.

use crate::model::Error;

/// One data row: where it starts in the file (1-based line, or item number for JSON) and its
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
    let looks_json = file_name.to_lowercase().ends_with(".json") || first == Some(&b'[');
    if looks_json {
        parse_json(bytes)
    } else {
        parse_csv(bytes)
    }
}

/// The delimiter used most on the header line, outside quotes.
fn sniff(bytes: &[u8]) -> u8 {
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
    // Physical line numbers (what an editor shows), counted from byte offsets: the csv crate's
    // own count does not include newlines inside quoted cells.
    let (mut counted_to, mut line_at) = (0usize, 1u64);
    let mut line_of = |byte: u64| -> u64 {
        let mut byte = (byte as usize).min(bytes.len());
        // After a CRLF the reader's record offset points at the `\n`: skip the terminator.
        while byte < bytes.len() && (bytes[byte] == b'\r' || bytes[byte] == b'\n') {
            byte += 1;
        }
        if byte >= counted_to {
            line_at += bytes[counted_to..byte]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            counted_to = byte;
        }
        line_at
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| line_of(p.byte()));
                if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                if record.len() > headers.len()
                    && record.iter().skip(headers.len()).any(|c| !c.is_empty())
                {
                    broken.push((
                        line,
                        format!("{} cells for {} columns", record.len(), headers.len()),
                    ));
                    continue;
                }
                let mut cells: Vec<String> = record.iter().map(text).collect();
                cells.resize(headers.len(), String::new());
                rows.push(RawRow { line, cells });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(p.byte()));
                broken.push((line, format!("unreadable CSV: {e}")));
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
    let mut headers: Vec<String> = Vec::new();
    for item in &items {
        if let serde_json::Value::Object(o) = item {
            for k in o.keys() {
                if !headers.contains(k) {
                    headers.push(k.clone());
                }
            }
        }
    }
    let mut rows = Vec::new();
    let mut broken = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let line = i as u64 + 1;
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
    Ok(RawTable {
        headers,
        rows,
        broken,
        delimiter: None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn line_numbers_count_newlines_inside_quoted_cells() {
        let t = super::parse(b"a;b\r\n1;\"x\ny\"\r\n2;z\r\n3;w\r\n", "f.csv").unwrap();
        let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 4, 5]);
    }
}
