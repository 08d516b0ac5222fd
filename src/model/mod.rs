//! The Leadex v1 object model: the exact wire shapes of docs/api.md ("Objects"), plus the additive
//! fields leadline adds (`icp` on plans, `livemode` on jobs and leads, …).

pub mod error;
pub mod event;
pub mod icp;
pub mod ids;
pub mod job;
pub mod lead;
pub mod list;
pub mod message;
pub mod plan;
pub mod push;
pub mod requests;
pub mod thread;
pub mod time;
pub mod usage;

pub use error::{Error, ErrorCode, Result};
pub use event::{Event, EventKind};
pub use icp::{Icp, Range};
pub use ids::{
    ArtifactId, EnrichmentId, EventId, JobId, LeadId, MessageId, OrgId, PlanId, PushId, ThreadId,
};
pub use job::{Artifact, ArtifactRef, Job, JobError, JobStatus, Progress};
pub use lead::{Company, FieldPath, Lead, Person, Source, SourceKind};
pub use list::{Order, Page, PageParams};
pub use message::{Message, MessageKind, Role};
pub use plan::{Intent, Plan, Step};
pub use thread::Thread;
pub use time::Timestamp;
pub use usage::Usage;
