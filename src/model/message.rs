//! The message object: a turn in a thread.

use serde::{Deserialize, Serialize};

use super::{JobId, MessageId, PlanId, ThreadId, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Assistant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A prompt, or the assistant explaining something (a rejection, a note).
    Text,
    /// The assistant drafted a plan (`plan_id`, `job_id` set).
    Plan,
    /// A job finished (`job_id` set); content is its summary.
    Result,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub object: String,
    pub thread_id: ThreadId,
    pub role: Role,
    pub kind: MessageKind,
    pub content: String,
    pub plan_id: Option<PlanId>,
    pub job_id: Option<JobId>,
    pub created_at: Timestamp,
}
