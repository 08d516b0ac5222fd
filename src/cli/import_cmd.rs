//! `leadline import FILE [--name NAME] [--map "HEADER=TARGET"]…`: the column mapping and bad
//! rows go to stderr (a person reads them), the report to stdout.

use std::path::Path;

use super::Failure;
use super::args::Format;
use super::output;
use crate::engine::Engine;
use crate::engine::sources::dataset::BadRow;
use crate::engine::sources::dataset::columns::Override;
use crate::model::Error;
use crate::text::sanitize_inline;

pub(super) async fn import(
    engine: &Engine,
    file: &Path,
    name: Option<&str>,
    map: &[String],
    format: Format,
) -> Result<(), Failure> {
    let overrides = map
        .iter()
        .map(|m| Override::parse(m))
        .collect::<Result<Vec<_>, Error>>()?;
    let report = engine.import_dataset_mapped(file, name, &overrides).await?;
    print_mapping(
        &report.file_name,
        report.export.as_deref(),
        &report.mapping,
        &report.bad_rows,
    );
    if let Some(twin) = &report.same_rows_as {
        eprintln!(
            "  dataset {} held exactly these rows (the same export in another format): replaced, so it counts as one source",
            sanitize_inline(twin)
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

/// The mapping a person checks (and corrects with `--map`), and the rows skipped, on stderr.
pub(super) fn print_mapping(
    file_name: &str,
    export: Option<&str>,
    mapping: &[(String, String)],
    bad_rows: &[BadRow],
) {
    use std::fmt::Write as _;
    // One write to the terminal, not one per padded cell (stderr is unbuffered): `open` prints
    // this just before its first frame.
    let mut out = String::new();
    let name = sanitize_inline(file_name);
    let _ = match export {
        Some(e) => writeln!(
            out,
            "Column mapping for {name} (recognised as an export of {e}; correct it with --map \"HEADER=TARGET\"):"
        ),
        None => writeln!(
            out,
            "Column mapping for {name} (correct it with --map \"HEADER=TARGET\"):"
        ),
    };
    for (column, path) in mapping {
        let _ = writeln!(
            out,
            "  {:<28} → {}",
            sanitize_inline(column),
            sanitize_inline(path)
        );
    }
    for bad in bad_rows {
        let _ = writeln!(
            out,
            "  skipped record {}: {}",
            bad.line,
            sanitize_inline(&bad.reason)
        );
    }
    eprint!("{out}");
}

/// Rows the TUI shows from the file itself while it is stored.
const PREVIEW_ROWS: usize = 200;

/// `leadline open FILE` with the TUI: reads the first rows (printing the mapping, which a bad
/// `--map` or an unreadable file fails on before the TUI starts) and hands the TUI the task that
/// stores the whole file.
pub(super) async fn open_in_background(
    engine: &Engine,
    file: &Path,
    map: &[String],
) -> Result<crate::tui::Opening, Failure> {
    let overrides = map
        .iter()
        .map(|m| Override::parse(m))
        .collect::<Result<Vec<_>, Error>>()?;
    let (head, preview) = engine.preview_file(file, &overrides, PREVIEW_ROWS).await?;
    print_mapping(&head.file_name, head.export.as_deref(), &head.mapping, &[]);
    let (engine, path) = (engine.clone(), file.to_path_buf());
    let task = Box::pin(async move { engine.open_file(&path, &overrides).await.map(|o| o.job) });
    Ok(crate::tui::Opening {
        file_name: head.file_name,
        preview,
        task,
    })
}

/// `leadline open FILE`: the file's rows as a job of kind `import`. Prints the mapping (stderr)
/// and the job (stdout in `--no-tui` mode); returns the job for the TUI to open on.
pub(super) async fn open(
    engine: &Engine,
    file: &Path,
    map: &[String],
    format: Format,
) -> Result<crate::model::Job, Failure> {
    let overrides = map
        .iter()
        .map(|m| Override::parse(m))
        .collect::<Result<Vec<_>, Error>>()?;
    let opened = engine.open_file(file, &overrides).await?;
    let r = &opened.read;
    print_mapping(&r.file_name, r.export.as_deref(), &r.mapping, &r.bad_rows);
    if opened.reopened {
        eprintln!(
            "  {} was opened before with the same rows and mapping: reopening job {}",
            sanitize_inline(&r.file_name),
            opened.job.id
        );
    }
    match format {
        Format::Json => output::json(&opened.job)?,
        Format::Text | Format::Csv => output::text(&format!(
            "Opened {} as job {}: {} leads ({} bad rows skipped).\n",
            sanitize_inline(&r.file_name),
            opened.job.id,
            opened.job.rows_captured,
            r.bad_rows.len()
        ))?,
    }
    Ok(opened.job)
}
