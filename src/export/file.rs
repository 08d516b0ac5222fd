//! The `file` provider: the job's leads (or its companies) written to a CSV, JSON or XLSX file.
//! A file is rewritten whole each time, so it has no per-item ledger: pushing twice gives the same
//! file, never a file with rows missing.

use std::path::{Path, PathBuf};

use crate::export as artifacts;
use crate::model::push::{ItemKey, PlannedRequest, PushMode};
use crate::model::requests::ExportFormat;
use crate::model::{Error, Lead};

/// The path and format a file push writes, from `list_id` (the path).
pub fn destination(list_id: Option<&str>) -> Result<(PathBuf, ExportFormat), Error> {
    let Some(raw) = list_id.map(str::trim).filter(|p| !p.is_empty()) else {
        return Err(Error::invalid(
            "the file provider needs a path: pass --list-id leads.csv (or .json, .xlsx).",
        )
        .with_param("list_id"));
    };
    let path = PathBuf::from(raw);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .and_then(ExportFormat::parse)
        .ok_or_else(|| {
            Error::invalid(format!(
                "cannot tell the format of {}: name the file .csv, .json or .xlsx.",
                crate::text::sanitize_inline(raw)
            ))
            .with_param("list_id")
        })?;
    Ok((path, ext))
}

/// The rows a file push writes: every lead, or one row per company (its first lead, without the
/// person) in `companies` mode.
pub fn rows(leads: &[Lead], mode: PushMode) -> (Vec<Lead>, Vec<ItemKey>) {
    if mode == PushMode::Companies {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut keys = Vec::new();
        for lead in leads {
            let key = ItemKey::company(lead);
            if seen.insert(key.clone()) {
                let mut company_only = lead.clone();
                company_only.person = None;
                company_only
                    .sources
                    .retain(|s| !s.fields.iter().any(|f| f.starts_with("person.")));
                out.push(company_only);
                keys.push(key);
            }
        }
        (out, keys)
    } else {
        let keys = leads.iter().map(ItemKey::contact).collect();
        (leads.to_vec(), keys)
    }
}

/// What a dry run shows: one write.
pub fn planned(path: &Path, format: ExportFormat, keys: &[ItemKey]) -> PlannedRequest {
    PlannedRequest {
        method: "WRITE".into(),
        url: format!("file://{}", absolute(path).display()),
        items: keys.iter().map(|k| k.0.clone()).collect(),
        body: serde_json::json!({ "format": format.extension(), "rows": keys.len() }),
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Renders and writes the file atomically (a temp file renamed over the target), so a reader
/// never sees half a file and an interrupted push leaves the previous one intact.
pub fn write(path: &Path, format: ExportFormat, rows: &[Lead]) -> Result<(), Error> {
    let bytes = artifacts::render(rows, format)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let fail = |what: &str, e: std::io::Error| {
        Error::invalid(format!(
            "cannot {what} {}: {e}. Choose a path in a writable directory.",
            path.display()
        ))
        .with_param("list_id")
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "leads".into());
    let tmp = dir.join(format!(".{name}.leadline-tmp"));
    std::fs::write(&tmp, &bytes).map_err(|e| fail("write", e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail("replace", e)
    })
}

/// A whole file push (or its dry run), with no ledger: the caller records it if it keeps one.
/// Blocking: run it off the async threads.
pub fn push(
    job: &crate::model::JobId,
    leads: &[Lead],
    request: &crate::model::push::PushRequest,
) -> Result<crate::model::push::PushResult, Error> {
    use crate::model::push::{PushProvider, PushResult};
    let (path, format) = destination(request.list_id.as_deref())?;
    let (rows, keys) = rows(leads, request.mode);
    let planned = planned(&path, format, &keys);
    let mut result = PushResult {
        push_id: crate::model::PushId::generate(),
        object: "push".into(),
        job_id: job.clone(),
        provider: PushProvider::File,
        mode: request.mode,
        dry_run: request.dry_run,
        created: 0,
        updated: 0,
        skipped: 0,
        errors: Vec::new(),
        list_id: Some(path.display().to_string()),
        list_url: Some(planned.url.clone()),
        skips: Vec::new(),
        planned: Vec::new(),
        requests_sent: 0,
        created_at: crate::model::Timestamp::now(),
    };
    if request.dry_run {
        result.planned.push(planned);
        return Ok(result);
    }
    let existed = path.exists();
    write(&path, format, &rows)?;
    let count = rows.len() as u64;
    if existed {
        result.updated = count;
    } else {
        result.created = count;
    }
    result.requests_sent = 1;
    Ok(result)
}
