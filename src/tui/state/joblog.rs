//! The job log: the current job, its steps and log lines, built from its events.

use serde_json::Value;

use crate::model::{Event, EventId, EventKind, Job, JobStatus, Lead, Progress, Timestamp};
use crate::text::sanitize_inline;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Pending,
    Started,
    Completed,
    Failed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    pub id: String,
    pub title: String,
    pub status: StepStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub at: Timestamp,
    pub level: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnState {
    /// No live stream.
    Idle,
    Live,
    Reconnecting {
        attempt: u32,
    },
}

/// Lines kept in memory; a long job's log scrolls off the top.
const MAX_LINES: usize = 5_000;

#[derive(Debug)]
pub struct JobLogState {
    pub job: Option<Job>,
    pub steps: Vec<StepRow>,
    pub lines: Vec<LogLine>,
    pub rows_captured: u64,
    pub credits_used: u32,
    pub progress: Progress,
    pub error: Option<(String, String)>,
    pub last_event: Option<EventId>,
    /// Keep the newest line in view.
    pub follow: bool,
    /// First visible line when not following.
    pub scroll: usize,
    pub conn: ConnState,
    pub events_loaded: bool,
}

impl Default for JobLogState {
    fn default() -> Self {
        Self {
            job: None,
            steps: Vec::new(),
            lines: Vec::new(),
            rows_captured: 0,
            credits_used: 0,
            progress: Progress::default(),
            error: None,
            last_event: None,
            follow: true,
            scroll: 0,
            conn: ConnState::Idle,
            events_loaded: false,
        }
    }
}

/// What an event changed beyond the log itself, for update to act on.
#[derive(Debug, Default)]
pub struct Applied {
    pub new_leads: Vec<Lead>,
    pub finished: bool,
    pub error: Option<(String, String)>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .map(sanitize_inline)
        .unwrap_or_default()
}

impl JobLogState {
    /// Clears everything derived from events (before a replay), keeping the job itself.
    pub fn reset_events(&mut self) {
        let job = self.job.take();
        let follow = self.follow;
        *self = Self {
            job,
            follow,
            ..Self::default()
        };
        if let Some(j) = &self.job {
            self.rows_captured = j.rows_captured;
            self.credits_used = j.credits_used;
            self.progress = j.progress;
        }
    }

    pub fn set_job(&mut self, job: Job) {
        let same = self.job.as_ref().map(|j| &j.id) == Some(&job.id);
        if job.status.is_terminal() {
            // The server's final figures win over what events said along the way (a failed job
            // can end with fewer credits charged than its last progress event reported).
            self.rows_captured = job.rows_captured;
            self.credits_used = job.credits_used;
        } else {
            // A job snapshot can lag the stream: never go backwards while it runs.
            self.rows_captured = self.rows_captured.max(job.rows_captured);
            self.credits_used = self.credits_used.max(job.credits_used);
        }
        if job.status.is_terminal() || !same {
            self.progress = job.progress;
        }
        if let Some(e) = &job.error {
            self.error = Some((e.code.to_string(), sanitize_inline(&e.message)));
        }
        if !same {
            self.steps.clear();
            self.lines.clear();
            self.last_event = None;
            self.events_loaded = false;
            self.scroll = 0;
            self.rows_captured = job.rows_captured;
            self.credits_used = job.credits_used;
        }
        self.job = Some(job);
    }

    pub fn is_running(&self) -> bool {
        self.job
            .as_ref()
            .is_some_and(|j| j.status == JobStatus::Running)
    }

    /// Applies one event. Events already seen (by id) are ignored, so a replay after a
    /// reconnect cannot duplicate lines or leads.
    pub fn apply(&mut self, ev: &Event) -> Applied {
        let mut out = Applied::default();
        if self.last_event.is_some_and(|last| ev.id <= last) {
            return out;
        }
        self.last_event = Some(ev.id);
        let d = &ev.data;
        match ev.kind {
            EventKind::Log => {
                let level = text(d, "level");
                self.push_line(
                    ev.created_at,
                    if level.is_empty() {
                        "info".into()
                    } else {
                        level
                    },
                    text(d, "message"),
                );
            }
            EventKind::Step => self.apply_step(ev),
            EventKind::Result => out.new_leads = self.apply_result(d),
            EventKind::Artifact => {
                let rows = d.get("rows").and_then(Value::as_u64).unwrap_or(0);
                let bytes = d.get("bytes").and_then(Value::as_u64).unwrap_or(0);
                self.push_line(
                    ev.created_at,
                    "artifact".into(),
                    format!("{} — {rows} rows, {bytes} bytes", text(d, "artifact_id")),
                );
            }
            EventKind::Error => {
                let code = text(d, "code");
                let message = text(d, "message");
                self.push_line(ev.created_at, "error".into(), format!("{code}: {message}"));
                self.error = Some((code.clone(), message.clone()));
                if let Some(j) = &mut self.job {
                    j.status = JobStatus::Failed;
                    // The timer stops when the job does, not when the server is next asked.
                    j.finished_at.get_or_insert(ev.created_at);
                }
                self.conn = ConnState::Idle;
                out.error = Some((code, message));
                out.finished = true;
            }
            EventKind::Done => {
                let summary = text(d, "summary");
                let status = text(d, "status");
                if let Some(job) = d
                    .get("job")
                    .and_then(|j| serde_json::from_value::<Job>(j.clone()).ok())
                {
                    self.set_job(job);
                } else if let (Some(j), Some(s)) = (&mut self.job, JobStatus::parse(&status)) {
                    j.status = s;
                    j.finished_at.get_or_insert(ev.created_at);
                }
                self.push_line(ev.created_at, "done".into(), format!("{status}: {summary}"));
                self.conn = ConnState::Idle;
                out.finished = true;
            }
        }
        out
    }

    fn apply_step(&mut self, ev: &Event) {
        let d = &ev.data;

        let id = text(d, "step_id");
        let title = text(d, "title");
        let status = match d.get("status").and_then(Value::as_str) {
            Some("started") => StepStatus::Started,
            Some("completed") => StepStatus::Completed,
            Some("failed") => StepStatus::Failed,
            _ => StepStatus::Pending,
        };
        match self.steps.iter_mut().find(|s| s.id == id) {
            Some(s) => {
                s.status = status;
                if !title.is_empty() {
                    s.title = title.clone();
                }
            }
            None => self.steps.push(StepRow {
                id,
                title: title.clone(),
                status,
            }),
        }
        let verb = match status {
            StepStatus::Started => "started",
            StepStatus::Completed => "completed",
            StepStatus::Failed => "failed",
            StepStatus::Pending => "pending",
        };
        self.push_line(ev.created_at, "step".into(), format!("{title} — {verb}"));
    }

    /// Counters and progress from a `result` event; returns the leads it carries.
    fn apply_result(&mut self, d: &Value) -> Vec<Lead> {
        if let Some(n) = d.get("rows_captured").and_then(Value::as_u64) {
            self.rows_captured = n;
        }
        if let Some(n) = d.get("credits_used").and_then(Value::as_u64) {
            self.credits_used = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(p) = d
            .get("progress")
            .and_then(|p| serde_json::from_value::<Progress>(p.clone()).ok())
        {
            self.progress = p;
        }
        if let Some(Value::Array(leads)) = d.get("leads") {
            // A malformed lead is skipped, not fatal: the table reloads on `done`.
            return leads
                .iter()
                .filter_map(|l| serde_json::from_value(l.clone()).ok())
                .collect();
        }
        Vec::new()
    }

    fn push_line(&mut self, at: Timestamp, level: String, message: String) {
        self.lines.push(LogLine { at, level, message });
        if self.lines.len() > MAX_LINES {
            let cut = self.lines.len() - MAX_LINES;
            self.lines.drain(..cut);
            self.scroll = self.scroll.saturating_sub(cut);
        }
    }

    /// Milliseconds the job has run: to `now` while it runs, frozen at its end once it ended.
    pub fn elapsed_ms(&self, now: Timestamp) -> Option<i64> {
        let j = self.job.as_ref()?;
        let start = j.started_at?;
        let end = match j.finished_at {
            Some(end) => end,
            // Ended without an end time (an older server): its last event is the best bound.
            None if j.status.is_terminal() => self.lines.last().map_or(start, |l| l.at),
            None => now,
        };
        Some((end.millis() - start.millis()).max(0))
    }
}
