//! Prefixed opaque ids (`thr_…`, `job_…`). Each kind is its own type so a job id can never be
//! passed where a thread id is expected.

use std::fmt;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::error::{Error, ErrorCode};

/// ULIDs from one process-wide monotonic generator: ids sort in creation order even within the
/// same millisecond, which keeps "most recent first" listings stable.
fn next_ulid() -> ulid::Ulid {
    static GENERATOR: Mutex<Option<ulid::Generator>> = Mutex::new(None);
    let mut guard = GENERATOR
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let generator = guard.get_or_insert_with(ulid::Generator::new);
    // Overflow only happens after 2^80 ids in one millisecond; fall back to a fresh random ULID.
    generator
        .generate()
        .unwrap_or_else(|_| ulid::Ulid::generate())
}

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $param:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            /// A fresh id.
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, next_ulid()))
            }

            /// Parses user input, accepting only ids with the right prefix and a sane body.
            pub fn parse(raw: &str) -> Result<Self, Error> {
                let raw = raw.trim();
                let body = raw.strip_prefix($prefix).unwrap_or("");
                if body.is_empty()
                    || body.len() > 64
                    || !body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                {
                    return Err(Error::new(
                        ErrorCode::InvalidRequest,
                        format!(
                            "`{}` is not a valid {} id: expected something like `{}01HXA4Z2M8V5WC9T7R1K`.",
                            crate::text::sanitize_inline(raw),
                            $param,
                            $prefix
                        ),
                    )
                    .with_param($param));
                }
                Ok(Self(raw.to_string()))
            }

            /// Wraps a value read back from our own database (already validated when written).
            pub fn from_db(raw: String) -> Self {
                Self(raw)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl crate::engine::store::Param for $name {
            fn value(&self) -> crate::engine::store::Value<'_> {
                crate::engine::store::Value::Text(&self.0)
            }
        }
    };
}

prefixed_id!(/// A thread (`thr_…`).
    ThreadId, "thr_", "thread_id");
prefixed_id!(/// A message (`msg_…`).
    MessageId, "msg_", "message_id");
prefixed_id!(/// A plan (`pln_…`).
    PlanId, "pln_", "plan_id");
prefixed_id!(/// A job (`job_…`).
    JobId, "job_", "job_id");
prefixed_id!(/// An artifact (`art_…`).
    ArtifactId, "art_", "artifact_id");
prefixed_id!(/// A lead (`lead_…`).
    LeadId, "lead_", "lead_id");
prefixed_id!(/// A push of a job's leads to a provider (`psh_…`).
    PushId, "psh_", "push_id");
prefixed_id!(/// An enrichment of a job's leads by a provider (`enr_…`).
    EnrichmentId, "enr_", "enrichment_id");
prefixed_id!(/// An organisation (`org_…`): every thread, and so everything in it, belongs to one.
    OrgId, "org_", "organization");

impl OrgId {
    /// The organisation of the embedded engine (and of keys created without one).
    pub fn local() -> Self {
        Self("org_local".to_string())
    }
}

/// A job event id. Events are numbered per job from 1 (`evt_1`, `evt_2`, …) so the number doubles
/// as the SSE `id:` and a `Last-Event-ID` resumes exactly after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(pub u64);

impl EventId {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let digits = raw.strip_prefix("evt_").unwrap_or(raw);
        digits.parse().ok().map(EventId)
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "evt_{}", self.0)
    }
}

impl Serialize for EventId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EventId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        EventId::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom(format!("bad event id {raw:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_carry_their_prefix_and_sort_in_creation_order() {
        let a = JobId::generate();
        let b = JobId::generate();
        assert!(a.as_str().starts_with("job_"));
        assert!(a < b, "{a} should sort before {b}");
        assert_eq!(JobId::parse(a.as_str()).unwrap(), a);
    }

    #[test]
    fn parse_rejects_the_wrong_prefix_and_junk() {
        assert!(JobId::parse("thr_01HXA4Z2M8V5WC9T7R1K").is_err());
        assert!(JobId::parse("job_").is_err());
        assert!(JobId::parse("job_a b").is_err());
        let err = ThreadId::parse("nope").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRequest);
        assert_eq!(err.param.as_deref(), Some("thread_id"));
    }

    #[test]
    fn event_ids_round_trip_with_or_without_prefix() {
        assert_eq!(EventId::parse("evt_42"), Some(EventId(42)));
        assert_eq!(EventId::parse("42"), Some(EventId(42)));
        assert_eq!(EventId::parse("evt_x"), None);
        assert_eq!(EventId(7).to_string(), "evt_7");
    }
}
