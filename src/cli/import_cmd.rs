//! `leadline import FILE [--name NAME]`: the column mapping and bad rows go to stderr (a person
//! reads them), the report to stdout.

use std::path::Path;

use super::Failure;
use super::args::Format;
use super::output;
use crate::engine::Engine;
use crate::model::Error;
use crate::text::sanitize_inline;

pub(super) async fn import(
    engine: &Engine,
    file: &Path,
    name: Option<&str>,
    format: Format,
) -> Result<(), Failure> {
    let report = engine.import_dataset(file, name).await?;
    eprintln!("Column mapping for {}:", sanitize_inline(&report.file_name));
    for (column, path) in &report.mapping {
        eprintln!("  {:<28} → {}", sanitize_inline(column), path);
    }
    for bad in &report.bad_rows {
        eprintln!(
            "  skipped line {}: {}",
            bad.line,
            sanitize_inline(&bad.reason)
        );
    }
    match format {
        Format::Json => output::json(&report)?,
        Format::Text | Format::Csv => output::text(&format!(
            "Imported {} rows into dataset {} ({} duplicates collapsed, {} bad rows skipped{}).\n",
            report.imported,
            report.name,
            report.duplicates,
            report.bad_rows.len(),
            if report.replaced {
                "; replaced the earlier import"
            } else {
                ""
            }
        ))?,
    }
    if report.imported == 0 {
        return Err(Error::invalid(format!(
            "No rows of {} could be imported.",
            sanitize_inline(&report.file_name)
        ))
        .into());
    }
    Ok(())
}
