//! How the CLI prints: JSON in the reference shapes, CSV for data, and plain text for people.
//! Every string from the store passes through `sanitize_inline` before reaching a terminal.

use std::io::Write;

use serde::Serialize;

use crate::model::{Job, Lead, Page, Plan, Thread, Timestamp};
use crate::text::sanitize_inline as clean;

pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    // Rendered first, so a closed stdout surfaces as a plain `io::Error` (see `broken_pipe`).
    let mut rendered = serde_json::to_vec_pretty(value)?;
    rendered.push(b'\n');
    bytes(&rendered)?;
    Ok(())
}

/// Text for stdout. Unlike `print!`, a closed pipe is an error to handle, not a panic.
pub fn text(s: &str) -> std::io::Result<()> {
    bytes(s.as_bytes())
}

pub fn bytes(b: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(b)?;
    out.flush()
}

/// Whether a failure is stdout's reader going away (`leadline export … | head`): the reader has
/// all it wanted, so the command ends quietly rather than reporting an error.
pub fn broken_pipe(e: &anyhow::Error) -> bool {
    let pipe = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    e.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(pipe)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if pipe(io)))
    })
}

pub fn plan(plan: &Plan, job: &Job) -> String {
    let mut s = format!(
        "Plan {}  (job {}, {})\n",
        plan.id,
        job.id,
        job.status.as_str()
    );
    s += &format!("  {}\n\n", clean(&plan.title));
    for (label, value) in plan.icp.filters() {
        s += &format!("  {label:<14} {}\n", clean(&value));
    }
    if !plan.not_understood.is_empty() {
        let spans: Vec<String> = plan.not_understood.iter().map(|w| clean(w)).collect();
        s += &format!("  Not understood: {}\n", spans.join(", "));
    }
    s += "\n";
    for (i, step) in plan.steps.iter().enumerate() {
        s += &format!(
            "  {}. [{}] {}\n",
            i + 1,
            step.intent.as_str(),
            clean(&step.title)
        );
        s += &format!("     {}\n", clean(&step.task));
        if !step.expected_columns.is_empty() {
            s += &format!("     columns: {}\n", step.expected_columns.join(", "));
        }
    }
    s += &format!("\n  Estimate: {} credits\n", plan.credits_estimate);
    for note in &plan.notes {
        s += &format!("  Note: {}\n", clean(note));
    }
    s += &format!("\nApprove with: leadline approve {} --wait\n", job.id);
    s
}

pub fn job(job: &Job) -> String {
    let mut s = format!("Job {}  {}\n", job.id, job.status.as_str());
    s += &format!(
        "  progress  step {}/{}, {}%\n  rows      {}\n  credits   {}{}\n",
        job.progress.step,
        job.progress.total,
        job.progress.percent,
        job.rows_captured,
        job.credits_used,
        job.max_credits
            .map(|m| format!(" (ceiling {m})"))
            .unwrap_or_default()
    );
    if let Some(summary) = &job.summary {
        s += &format!("  summary   {}\n", clean(summary));
    }
    if let Some(e) = &job.error {
        s += &format!("  error     {}: {}\n", e.code, clean(&e.message));
    }
    if let Some(a) = &job.artifact {
        s += &format!(
            "  artifact  {} ({} rows, {} bytes)\n",
            a.id, a.rows, a.bytes
        );
    }
    s
}

fn cut(s: &str, width: usize) -> String {
    let s = clean(s);
    if s.chars().count() <= width {
        format!("{s:<width$}")
    } else {
        let head: String = s.chars().take(width.saturating_sub(1)).collect();
        format!("{head}…")
    }
}

fn more(has_more: bool, next: &Option<String>) -> String {
    match (has_more, next) {
        (true, Some(c)) => format!("… more: --cursor {c}\n"),
        _ => String::new(),
    }
}

pub fn threads(page: &Page<Thread>, now: Timestamp) -> String {
    let mut s = String::new();
    for t in &page.data {
        let title = if t.title.is_empty() {
            "(untitled)"
        } else {
            &t.title
        };
        s += &format!(
            "{}  {}  {:<10} {:>9}\n",
            t.id,
            cut(title, 40),
            t.last_job_status.map(|s| s.as_str()).unwrap_or("-"),
            t.updated_at.relative_to(now)
        );
    }
    if page.data.is_empty() {
        s += "No threads yet. Start one with: leadline plan \"<audience>\"\n";
    }
    s + &more(page.has_more, &page.next_cursor)
}

pub fn jobs(page: &Page<Job>, now: Timestamp) -> String {
    let mut s = String::new();
    for j in &page.data {
        s += &format!(
            "{}  {:<10} {:>6} rows {:>6} credits  {:>9}  {}\n",
            j.id,
            j.status.as_str(),
            j.rows_captured,
            j.credits_used,
            j.created_at.relative_to(now),
            cut(j.summary.as_deref().unwrap_or(""), 50)
        );
    }
    if page.data.is_empty() {
        s += "No jobs.\n";
    }
    s + &more(page.has_more, &page.next_cursor)
}

pub fn leads(page: &Page<Lead>) -> String {
    let mut s = format!(
        "{:<24} {:<22} {:<22} {:<26} {:<30} {}\n",
        "COMPANY", "DOMAIN", "PERSON", "TITLE", "EMAIL", "CONF"
    );
    for l in &page.data {
        let p = l.person.as_ref();
        s += &format!(
            "{} {} {} {} {} {:.2}\n",
            cut(&l.company.name, 24),
            cut(l.company.domain.as_deref().unwrap_or(""), 22),
            cut(p.map(|p| p.full_name.as_str()).unwrap_or(""), 22),
            cut(p.and_then(|p| p.title.as_deref()).unwrap_or(""), 26),
            cut(p.and_then(|p| p.email.as_deref()).unwrap_or(""), 30),
            l.confidence
        );
    }
    s + &more(page.has_more, &page.next_cursor)
}

/// Threads or jobs as CSV rows (formula-neutralised like every CSV we write).
pub fn csv_rows(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(std::io::stdout().lock());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.iter().map(|c| crate::text::csv_safe(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

/// A push result for people: counts, where it went, then every skip and error with its reason.
pub fn push(r: &crate::model::push::PushResult) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let what = if r.dry_run { "Dry run of push" } else { "Push" };
    let _ = writeln!(
        out,
        "{what} {} of {} to {} ({}): {} created, {} updated, {} skipped, {} errors",
        r.push_id,
        r.job_id,
        r.provider,
        r.mode,
        r.created,
        r.updated,
        r.skipped,
        r.errors.len()
    );
    if let Some(list) = r.list_url.as_deref().or(r.list_id.as_deref()) {
        let _ = writeln!(out, "  list: {}", crate::text::sanitize_inline(list));
    }
    if r.dry_run {
        let items: usize = r.planned.iter().map(|p| p.items.len()).sum();
        let _ = writeln!(
            out,
            "  would send {} request(s) carrying {items} item(s); nothing was sent",
            r.planned.len()
        );
        for p in r.planned.iter().take(3) {
            let body = serde_json::to_string(&p.body).unwrap_or_default();
            let body: String = body.chars().take(400).collect();
            let _ = writeln!(
                out,
                "  {} {}  {}",
                p.method,
                crate::text::sanitize_inline(&p.url),
                crate::text::sanitize_inline(&body)
            );
        }
        if r.planned.len() > 3 {
            let _ = writeln!(
                out,
                "  … and {} more (--format json shows all)",
                r.planned.len() - 3
            );
        }
    } else {
        let _ = writeln!(out, "  {} request(s) sent", r.requests_sent);
    }
    issue_lines(&mut out, "skipped", &r.skips);
    issue_lines(&mut out, "error", &r.errors);
    out
}

fn issue_lines(out: &mut String, label: &str, issues: &[crate::model::push::PushItemIssue]) {
    use std::fmt::Write as _;
    // Ten of each, then a count: a 10,000-lead push with one systematic problem should not
    // scroll the real result away.
    for i in issues.iter().take(10) {
        let _ = writeln!(
            out,
            "  {label} {}: {} — {}",
            crate::text::sanitize_inline(&i.item),
            i.code,
            crate::text::sanitize_inline(&i.message)
        );
    }
    if issues.len() > 10 {
        let _ = writeln!(
            out,
            "  … {} more {label} (--format json lists all)",
            issues.len() - 10
        );
    }
}

pub fn enrich(r: &crate::model::push::EnrichResult) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Enrichment {} of {} by {}: {} leads updated; {} emails verified ({} invalid), {} found, {} companies qualified, {} skipped; {} provider credits, {} request(s)",
        r.enrichment_id,
        r.job_id,
        r.provider,
        r.leads_updated,
        r.emails_verified,
        r.emails_invalid,
        r.emails_found,
        r.companies_qualified,
        r.skipped,
        r.provider_credits,
        r.requests_sent
    );
    issue_lines(&mut out, "error", &r.errors);
    out
}

/// Prints "push: 120/400 requests" to stderr while a push runs, when stderr is a terminal.
pub fn progress_reporter(
    mut rx: tokio::sync::watch::Receiver<crate::model::push::IntegrationProgress>,
    label: &'static str,
) -> tokio::task::JoinHandle<()> {
    use std::io::IsTerminal;
    tokio::spawn(async move {
        if !std::io::stderr().is_terminal() {
            return;
        }
        while rx.changed().await.is_ok() {
            let p = *rx.borrow_and_update();
            eprint!("\r{label}: {}/{} requests ", p.done, p.total);
        }
    })
}
