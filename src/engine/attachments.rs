//! Message attachments (reference: `attachments: [{kind, url}]`, kinds `csv` — a seed list to
//! enrich — and `url_list`): fetched and parsed when the message is posted, so a bad attachment
//! is refused before anything is stored, and kept with the job so the runner enriches exactly
//! the companies listed instead of discovering new ones.
//!
//! A CSV goes through the same decoding and column aliases as `leadline import` (BOM, delimiters,
//! Windows-1252, `website`/`company`/`email` … headers), so a CRM export works as a seed list.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::import::dataset_name;
use super::sources::dataset::{self, Record, columns, decode, normalise};
use crate::model::requests::Attachment;
use crate::model::{Error, Timestamp};

/// The largest attachment read (the reference's seed lists are small; 10 MB is generous).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Companies one message can seed.
pub const MAX_COMPANIES: usize = 10_000;

/// One attachment, parsed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loaded {
    /// A dataset-style name (`seeds`), used in source URLs: `dataset://seeds#row=3`.
    pub name: String,
    pub file_name: String,
    pub url: String,
    pub loaded_at: Timestamp,
    pub records: Vec<Record>,
}

impl Loaded {
    /// Distinct company keys, in list order.
    pub fn company_keys(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.records
            .iter()
            .filter_map(Record::company_key)
            .filter(|k| seen.insert(k.clone()))
            .collect()
    }
}

/// Where attachments may be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The user's own machine: `file://` URLs and plain paths too.
    Local,
    /// A server: only `http(s)://` (reading server files a client names would be a hole).
    WebOnly,
}

/// Fetches and parses every attachment; the first bad one is the error.
pub async fn load(list: &[Attachment], access: Access) -> Result<Vec<Loaded>, Error> {
    let mut out = Vec::with_capacity(list.len());
    for (i, a) in list.iter().enumerate() {
        let param = format!("attachments[{i}]");
        let kind = a.kind.trim().to_ascii_lowercase();
        if kind != "csv" && kind != "url_list" {
            return Err(Error::invalid(format!(
                "attachment kind `{}` is not supported: use csv (a list of companies to enrich) or url_list.",
                crate::text::sanitize_inline(&a.kind)
            ))
            .with_param(param));
        }
        let (bytes, file_name) = fetch(&a.url, access, &param).await?;
        let records = if kind == "csv" {
            parse_csv(&bytes, &file_name, &param)?
        } else {
            parse_url_list(&bytes)
        };
        let loaded = Loaded {
            name: dataset_name(file_name.rsplit_once('.').map_or(&file_name, |(s, _)| s)),
            file_name,
            url: a.url.clone(),
            loaded_at: Timestamp::now(),
            records,
        };
        let companies = loaded.company_keys().len();
        if companies == 0 {
            return Err(Error::invalid(format!(
                "attachment {} lists no company: it needs a domain/website or company name column (or, for url_list, one URL per line).",
                crate::text::sanitize_inline(&loaded.file_name)
            ))
            .with_param(param));
        }
        if companies > MAX_COMPANIES {
            return Err(Error::invalid(format!(
                "attachment {} lists {companies} companies; one message can enrich at most {MAX_COMPANIES}. Split the list.",
                crate::text::sanitize_inline(&loaded.file_name)
            ))
            .with_param(param));
        }
        out.push(loaded);
    }
    Ok(out)
}

async fn fetch(url: &str, access: Access, param: &str) -> Result<(Vec<u8>, String), Error> {
    let raw = url.trim();
    let file_name = |path: &str| {
        path.rsplit('/')
            .find(|s| !s.is_empty())
            .map(|s| s.split(['?', '#']).next().unwrap_or(s).to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "attachment.csv".into())
    };
    if raw.starts_with("https://") || raw.starts_with("http://") {
        let client = super::integrations::http::client(Duration::from_secs(20))?;
        let fail = |what: String| {
            Error::invalid(format!(
                "attachment {} could not be fetched: {what}.",
                crate::text::sanitize_inline(raw)
            ))
            .with_param(param.to_string())
        };
        let mut resp = client
            .get(raw)
            .send()
            .await
            .map_err(|e| fail(e.to_string()))?;
        if !resp.status().is_success() {
            return Err(fail(format!("the server answered {}", resp.status())));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| fail(e.to_string()))? {
            if body.len() + chunk.len() > MAX_BYTES {
                return Err(fail(format!("it is larger than {} MB", MAX_BYTES >> 20)));
            }
            body.extend_from_slice(&chunk);
        }
        return Ok((body, file_name(raw)));
    }
    let path = match raw.strip_prefix("file://") {
        Some(p) => p,
        None if raw.contains("://") => {
            return Err(Error::invalid(format!(
                "attachment URL {} is not http(s) or a file.",
                crate::text::sanitize_inline(raw)
            ))
            .with_param(param.to_string()));
        }
        None => raw,
    };
    if access == Access::WebOnly {
        return Err(Error::invalid(
            "attachments sent to a server must be http(s) URLs it can fetch; files on the server's disk are not readable.",
        )
        .with_param(param.to_string()));
    }
    let path = std::path::PathBuf::from(path);
    let name = file_name(&path.to_string_lossy());
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        let meta = std::fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if meta.len() > MAX_BYTES as u64 {
            return Err(format!(
                "{} is larger than {} MB",
                path.display(),
                MAX_BYTES >> 20
            ));
        }
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    })
    .await
    .map_err(|e| Error::internal(format!("reading an attachment failed: {e}")))?
    .map_err(|e| {
        Error::invalid(format!("attachment cannot be read: {e}")).with_param(param.to_string())
    })?;
    Ok((bytes, name))
}

fn parse_csv(bytes: &[u8], file_name: &str, param: &str) -> Result<Vec<Record>, Error> {
    let table = decode::parse(bytes, file_name).map_err(|e| e.with_param(param.to_string()))?;
    let cols = columns::map_headers(&table.headers);
    let (records, _bad, _dupes) = dataset::records(&table, &cols);
    if !records.is_empty() {
        return Ok(records);
    }
    // A headerless list of domains: the "header" is the first domain.
    Ok(parse_url_list(bytes))
}

/// One URL or domain per line (commas and semicolons split too); lines that are not host names
/// are ignored.
fn parse_url_list(bytes: &[u8]) -> Vec<Record> {
    let text = decode::text(bytes);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for cell in line.split([',', ';', '\t']) {
            if let Some(domain) = normalise::domain(cell.trim().trim_matches('"')) {
                out.push(Record {
                    line: i as u64 + 1,
                    domain: Some(domain),
                    ..Record::default()
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crm_export_keeps_its_columns_and_lists_companies_once() {
        let csv = "\u{feff}Company;Website;Full name;Title\nAcme;https://www.acme.io/;Ana Ruiz;CTO\nAcme;acme.io;Bo Li;VP Sales\nGlobex;globex.com;;\n";
        let records = parse_csv(csv.as_bytes(), "crm.csv", "attachments[0]").unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].domain.as_deref(), Some("acme.io"));
        assert_eq!(records[0].full_name.as_deref(), Some("Ana Ruiz"));
        let loaded = Loaded {
            name: "crm".into(),
            file_name: "crm.csv".into(),
            url: "file:///tmp/crm.csv".into(),
            loaded_at: Timestamp::from_millis(0),
            records,
        };
        assert_eq!(loaded.company_keys(), ["acme.io", "globex.com"]);
    }

    #[test]
    fn a_bare_list_of_domains_or_urls_works_with_or_without_a_header() {
        let records = parse_csv(
            b"stripe.com\nhttps://linear.app/about\nnot a domain\n",
            "d.csv",
            "a",
        )
        .unwrap();
        let domains: Vec<_> = records.iter().filter_map(|r| r.domain.clone()).collect();
        assert_eq!(domains, ["stripe.com", "linear.app"]);
    }
}
