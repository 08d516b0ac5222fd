//! The plan object: ordered research steps and a credit estimate, attached to a pending job.

use serde::{Deserialize, Serialize};

use super::{Icp, JobId, PlanId, ThreadId, Timestamp};

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
pub enum Intent {
    Discover,
    Enrich,
    Verify,
    Score,
    Dedupe,
}

impl Intent {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// `stp_1`, `stp_2`, … in order.
    pub id: String,
    pub title: String,
    pub intent: Intent,
    pub task: String,
    pub expected_columns: Vec<String>,
    /// Additive: the canonical roles an `enrich` step pulls (empty for other intents). The runner
    /// uses it to know which people each step captures.
    #[serde(default)]
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub object: String,
    pub job_id: JobId,
    pub title: String,
    pub steps: Vec<Step>,
    pub credits_estimate: u32,
    pub created_at: Timestamp,
    /// Additive: the thread the plan belongs to.
    pub thread_id: ThreadId,
    /// Additive: the structured audience (docs/planner.md, "The ICP object").
    pub icp: Icp,
    /// Additive: notes the planner wants the reviewer to see (e.g. an LLM fallback).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Additive: spans of the prompt the planner could not use (#13); `[]` when none.
    #[serde(default)]
    pub not_understood: Vec<String>,
    /// Additive: the plan this one replaced through a replan, if any.
    pub replaces: Option<PlanId>,
}
