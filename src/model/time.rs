//! ISO-8601 UTC timestamps with millisecond precision (`2026-04-21T14:22:01.430Z`).

use std::fmt;

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    pub fn now() -> Self {
        Self(Utc::now().timestamp_millis())
    }

    pub fn from_millis(ms: i64) -> Self {
        Self(ms)
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn parse(raw: &str) -> Option<Self> {
        DateTime::parse_from_rfc3339(raw.trim())
            .ok()
            .map(|t| Self(t.with_timezone(&Utc).timestamp_millis()))
    }

    fn to_datetime(self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.0)
            .single()
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }

    /// "3m ago", "2h ago", "5d ago": how the thread list shows times.
    pub fn relative_to(self, now: Timestamp) -> String {
        let secs = (now.0 - self.0).max(0) / 1000;
        match secs {
            0..=9 => "now".to_string(),
            10..=59 => format!("{secs}s ago"),
            60..=3599 => format!("{}m ago", secs / 60),
            3600..=86_399 => format!("{}h ago", secs / 3600),
            86_400..=2_591_999 => format!("{}d ago", secs / 86_400),
            _ => self.to_datetime().format("%Y-%m-%d").to_string(),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_datetime().format("%Y-%m-%dT%H:%M:%S%.3fZ"))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Timestamp::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom(format!("not an ISO-8601 timestamp: {raw:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_with_milliseconds_and_parses_back() {
        let t = Timestamp::from_millis(1_776_781_321_430);
        assert_eq!(t.to_string(), "2026-04-21T14:22:01.430Z");
        assert_eq!(Timestamp::parse("2026-04-21T14:22:01.430Z"), Some(t));
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2026-04-21T14:22:01.430Z\""
        );
    }

    #[test]
    fn relative_times_read_like_a_person_would_say_them() {
        let now = Timestamp::from_millis(10_000_000_000);
        assert_eq!(
            Timestamp::from_millis(now.0 - 3_000).relative_to(now),
            "now"
        );
        assert_eq!(
            Timestamp::from_millis(now.0 - 180_000).relative_to(now),
            "3m ago"
        );
        assert_eq!(
            Timestamp::from_millis(now.0 - 7_200_000).relative_to(now),
            "2h ago"
        );
    }
}
