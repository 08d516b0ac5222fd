//! ISO 3166-1 countries: code, display name, and the names people type (assets/planner/
//! countries.tsv, generated once from the Debian iso-codes table). Adjectives and colloquial
//! names live in country_aliases.tsv so this table stays a plain copy of the standard.

use std::sync::LazyLock;

use super::data::{asset, named};

pub type Country = (&'static str, &'static str, Vec<&'static str>);

pub static COUNTRIES: LazyLock<Vec<Country>> = LazyLock::new(|| {
    let (file, text) = asset!("countries.tsv");
    named(file, text)
});
