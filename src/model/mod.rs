//! The Leadex v1 object model: the exact wire shapes of docs/api.md ("Objects"), plus the additive
//! fields leadline adds (`icp` on plans, `livemode` on jobs and leads, …).

pub mod confidence;
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
pub mod table;
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

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::push::PushProvider;
    use super::{EventKind, Intent, JobStatus};

    /// The enums' names are derived twice (serde for the wire, strum for `as_str`/`parse`): they
    /// must agree for every variant, and a name must read back as its variant.
    fn same_names<T>(all: &[T], as_str: fn(T) -> &'static str, parse: fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize,
    {
        for &v in all {
            assert_eq!(serde_json::to_value(v).unwrap(), as_str(v), "{v:?}");
            assert_eq!(parse(as_str(v)), Some(v), "{v:?}");
        }
    }

    #[test]
    fn wire_names_and_derived_names_agree() {
        same_names(JobStatus::ALL, JobStatus::as_str, JobStatus::parse);
        same_names(EventKind::VARIANTS, EventKind::as_str, EventKind::parse);
        same_names(Intent::VARIANTS, Intent::as_str, |s| s.parse().ok());
        same_names(PushProvider::ALL, PushProvider::as_str, |s| s.parse().ok());
        assert_eq!(JobStatus::parse(" running "), Some(JobStatus::Running));
        assert_eq!(
            JobStatus::parse("Running"),
            None,
            "names are exact, as on the wire"
        );
    }
}
