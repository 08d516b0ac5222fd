//! The job and artifact objects, and the one place the job state machine lives.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ArtifactId, Error, ErrorCode, JobId, PlanId, ThreadId, Timestamp};

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
pub enum JobStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    Stopped,
}

/// What can be asked of a job. Every status change goes through [`JobStatus::apply`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Approve,
    Stop,
    /// A replan replaced this pending job's plan.
    Supersede,
    Succeed,
    Fail,
    /// The runner halted at a checkpoint (a stop request or the credit ceiling).
    Halt,
}

impl JobStatus {
    /// Every status, in lifecycle order.
    pub const ALL: &'static [JobStatus] = <Self as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(raw: &str) -> Option<Self> {
        raw.trim().parse().ok()
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Stopped)
    }

    /// The state machine. `Stop` on a pending job cancels it (the user declined the plan);
    /// everything not listed is a 409 `conflict` that says what the job is doing instead.
    pub fn apply(self, t: Transition, job: &JobId) -> Result<JobStatus, Error> {
        use JobStatus::*;
        use Transition::*;
        match (self, t) {
            (Pending, Approve) => Ok(Running),
            (Pending, Stop) | (Pending, Supersede) => Ok(Stopped),
            (Running, Stop) => Ok(Running), // a request: the runner halts at its next checkpoint
            (Running, Halt) => Ok(Stopped),
            (Running, Succeed) => Ok(Succeeded),
            (Running, Fail) => Ok(Failed),
            (from, t) => Err(Error::new(
                ErrorCode::Conflict,
                match (from, t) {
                    (Running, Approve) => format!("Job {job} is already running."),
                    (_, Approve) => format!("Job {job} is {} and can no longer be approved; post a new message or replan.", from.as_str()),
                    (_, Stop) => format!("Job {job} already finished ({}); there is nothing to stop.", from.as_str()),
                    (_, Supersede) => format!("Job {job} is {}; only a pending job's plan can be replaced.", from.as_str()),
                    _ => format!("Job {job} is {}; that change is not allowed.", from.as_str()),
                },
            )
            .with_param("job_id")),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub step: u32,
    pub total: u32,
    pub percent: u32,
}

/// The artifact as embedded in a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactRef {
    pub id: ArtifactId,
    pub rows: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobError {
    pub code: ErrorCode,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: JobId,
    pub object: String,
    pub thread_id: ThreadId,
    pub plan_id: PlanId,
    pub status: JobStatus,
    pub progress: Progress,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
    pub credits_used: u32,
    pub artifact: Option<ArtifactRef>,
    pub summary: Option<String>,
    pub error: Option<JobError>,
    pub metadata: Map<String, Value>,
    /// Additive: false for synthetic (test-mode) execution.
    pub livemode: bool,
    /// Additive.
    pub created_at: Timestamp,
    /// Additive: leads captured so far.
    pub rows_captured: u64,
    /// Additive: the ceiling set on approval.
    pub max_credits: Option<u32>,
    /// Additive: the job that replaced this one through a replan.
    pub superseded_by: Option<JobId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artifact {
    pub id: ArtifactId,
    pub object: String,
    pub job_id: JobId,
    pub format: String,
    pub rows: u64,
    pub bytes: u64,
    pub columns: Vec<String>,
    /// Locally a `file://` URL of the CSV; the server mints an HTTP one.
    pub download_url: Option<String>,
    pub expires_at: Option<Timestamp>,
    pub created_at: Timestamp,
    /// Additive: true when the job did not finish (stopped or interrupted).
    pub partial: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use JobStatus::*;
    use Transition::*;

    #[test]
    fn the_state_machine_allows_exactly_the_documented_moves() {
        let id = JobId::generate();
        let allowed = [
            (Pending, Approve, Running),
            (Pending, Stop, Stopped),
            (Pending, Supersede, Stopped),
            (Running, Stop, Running),
            (Running, Halt, Stopped),
            (Running, Succeed, Succeeded),
            (Running, Fail, Failed),
        ];
        for &from in JobStatus::ALL {
            for t in [Approve, Stop, Supersede, Succeed, Fail, Halt] {
                let expected = allowed
                    .iter()
                    .find(|(f, tr, _)| *f == from && *tr == t)
                    .map(|x| x.2);
                match (from.apply(t, &id), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{from:?} --{t:?}"),
                    (Err(e), None) => assert_eq!(e.code, ErrorCode::Conflict, "{from:?} --{t:?}"),
                    (got, want) => panic!("{from:?} --{t:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn conflicts_say_what_the_job_is_doing() {
        let id = JobId::generate();
        let e = Succeeded.apply(Stop, &id).unwrap_err();
        assert!(
            e.message.contains("already finished (succeeded)"),
            "{}",
            e.message
        );
        let e = Running.apply(Approve, &id).unwrap_err();
        assert!(e.message.contains("already running"), "{}", e.message);
    }
}
