//! The usage summary (`GET /v1/usage`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credits {
    pub included: u64,
    pub used: u64,
    pub remaining: u64,
    pub rollover: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobCounts {
    pub succeeded: u64,
    pub failed: u64,
    pub stopped: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub period: Period,
    pub plan: String,
    pub credits: Credits,
    pub jobs: JobCounts,
    /// Additive: credits test-mode jobs would have cost (never charged).
    pub test_credits: u64,
}
