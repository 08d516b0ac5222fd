//! The thread object: one research conversation.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{JobId, JobStatus, ThreadId, Timestamp};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    pub id: ThreadId,
    pub object: String,
    pub title: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub message_count: u64,
    pub last_job_id: Option<JobId>,
    pub metadata: Map<String, Value>,
    /// Additive: the status of `last_job_id`, so a thread list needs no second request.
    pub last_job_status: Option<JobStatus>,
}

/// Limits from the reference: metadata of up to 50 pairs, keys ≤ 40 chars, values ≤ 500 chars.
pub fn validate_metadata(metadata: &Map<String, Value>) -> Result<(), super::Error> {
    if metadata.len() > 50 {
        return Err(super::Error::invalid(format!(
            "metadata has {} keys; at most 50 are allowed.",
            metadata.len()
        ))
        .with_param("metadata"));
    }
    for (k, v) in metadata {
        if k.chars().count() > 40 {
            return Err(super::Error::invalid(format!(
                "metadata key `{}…` is longer than 40 characters.",
                k.chars().take(20).collect::<String>()
            ))
            .with_param("metadata"));
        }
        let Value::String(s) = v else {
            return Err(super::Error::invalid(format!(
                "metadata value for `{k}` must be a string."
            ))
            .with_param("metadata"));
        };
        if s.chars().count() > 500 {
            return Err(super::Error::invalid(format!(
                "metadata value for `{k}` is longer than 500 characters."
            ))
            .with_param("metadata"));
        }
    }
    Ok(())
}

/// The longest title the reference allows.
pub const MAX_TITLE_CHARS: usize = 200;
