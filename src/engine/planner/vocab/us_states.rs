//! US states and territories: USPS code and name (assets/planner/us_states.tsv).

use std::sync::LazyLock;

use super::data::{asset, pairs};

pub static US_STATES: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    let (file, text) = asset!("us_states.tsv");
    pairs(file, text)
});
