//! Job events: what the runner reports, persisted with per-job increasing ids and streamed (SSE).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{EventId, JobId, Timestamp};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    /// `{message, level}`: a free-text progress line.
    Log,
    /// `{step_id, status: started|completed|failed, title}`.
    Step,
    /// `{leads: [lead…], rows_captured, credits_used, progress}`.
    Result,
    /// `{artifact_id, rows, bytes}`.
    Artifact,
    /// `{code, message}`: a failure that halts the job. Terminal.
    Error,
    /// `{job_id, status, artifact_id, summary, job}`: terminal success, or a stop (status says).
    Done,
}

/// The SSE event that ends a stopped job's stream.
pub const STOPPED: &str = "stopped";

impl EventKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(raw: &str) -> Option<Self> {
        raw.parse()
            .ok()
            // A stopped job's stream ends with `event: stopped` (the reference closes streams "on
            // done, error, or stopped"); its data is the `done` payload with `status: "stopped"`.
            .or((raw == STOPPED).then_some(Self::Done))
    }

    /// The SSE event name: `stopped` for the end of a stopped job, else [`Self::as_str`].
    pub fn sse_name(self, data: &serde_json::Value) -> &'static str {
        if self == Self::Done && data.get("status").and_then(|s| s.as_str()) == Some("stopped") {
            STOPPED
        } else {
            self.as_str()
        }
    }

    /// The stream closes after these.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Error | Self::Done)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub object: String,
    pub job_id: JobId,
    #[serde(rename = "type")]
    pub kind: EventKind,
    pub data: Value,
    pub created_at: Timestamp,
}
