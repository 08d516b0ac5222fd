//! Cursor pagination: the reference's list envelope and query parameters.

use serde::{Deserialize, Serialize};

use super::Error;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub has_more: bool,
    pub next_cursor: Option<String>,
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    Asc,
    #[default]
    Desc,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageParams {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub order: Option<Order>,
}

impl PageParams {
    /// The limit after validation: 1–`max`, `default` when absent.
    pub fn limit_or(&self, default: u32, max: u32) -> Result<u32, Error> {
        match self.limit {
            None => Ok(default),
            Some(n) if (1..=max).contains(&n) => Ok(n),
            Some(n) => Err(
                Error::invalid(format!("limit must be between 1 and {max}; got {n}."))
                    .with_param("limit"),
            ),
        }
    }
}

/// Cursors are opaque to clients; inside they are the last row's sort key.
pub fn encode_cursor(key: i64) -> String {
    format!("c_{key:x}")
}

/// Only what `encode_cursor` writes: `from_str_radix` alone would take `c_-1`, `c_+1`, `c_00a`
/// or upper case, so the value must also print back to the same text.
pub fn decode_cursor(raw: &str) -> Result<i64, Error> {
    raw.strip_prefix("c_")
        .and_then(|hex| i64::from_str_radix(hex, 16).ok())
        .filter(|key| *key >= 0 && encode_cursor(*key) == raw)
        .ok_or_else(|| {
            Error::invalid("That cursor is not one this server issued; pass the next_cursor of a previous page.")
                .with_param("cursor")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_nothing_else_decodes() {
        for key in [0, 1, 255, i64::MAX] {
            assert_eq!(decode_cursor(&encode_cursor(key)).ok(), Some(key));
        }
        for bad in [
            "c_-1",
            "c_+1",
            "c_",
            "c_00a",
            "c_A",
            "c_ 1",
            "c_1 ",
            "1",
            "c_zz",
            "C_1",
            "c_8000000000000000",
            "c_-8000000000000000",
        ] {
            let err = decode_cursor(bad).expect_err(bad);
            assert_eq!(err.param.as_deref(), Some("cursor"), "{bad}");
        }
    }
}
