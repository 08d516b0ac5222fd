//! How the CLI prints: JSON in the reference shapes, CSV for data, and plain text for people.
//! Every string from the store passes through `sanitize_inline` before reaching a terminal.

use std::io::Write;

use serde::Serialize;

use crate::model::{Job, Lead, Page, Plan, Thread, Timestamp};
use crate::text::sanitize_inline as clean;

pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
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
