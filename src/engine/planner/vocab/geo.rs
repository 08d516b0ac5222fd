//! Place vocabularies beyond the ISO table: what people call countries in passing (adjectives,
//! short forms), the fixed region codes, and major cities. Regions stay regions (docs/planner.md):
//! nothing here expands a region into countries. Data in assets/planner/*.tsv.

use std::sync::LazyLock;

use super::data::{aliased, asset, named, pairs};

type Pairs = LazyLock<Vec<(&'static str, &'static str)>>;

/// Extra names and adjectives for countries. A leading `=` means the alias only counts when typed
/// exactly in that case ("US" is a country, "us" is a pronoun).
pub static COUNTRY_ALIASES: LazyLock<Vec<(&'static str, Vec<&'static str>)>> =
    LazyLock::new(|| {
        let (file, text) = asset!("country_aliases.tsv");
        aliased(file, text)
    });

/// The region codes of docs/planner.md: code, display name, aliases.
pub static REGIONS: LazyLock<Vec<(&'static str, &'static str, Vec<&'static str>)>> =
    LazyLock::new(|| {
        let (file, text) = asset!("regions.tsv");
        named(file, text)
    });

/// Major cities and their ISO country.
pub static CITIES: Pairs = LazyLock::new(|| {
    let (file, text) = asset!("cities.tsv");
    pairs(file, text)
});

/// Other names of cities: alias → city of `CITIES`.
pub static CITY_ALIASES: Pairs = LazyLock::new(|| {
    let (file, text) = asset!("city_aliases.tsv");
    pairs(file, text)
});

/// Colloquial state names; us_states.tsv has the official ones.
pub static US_STATE_ALIASES: Pairs = LazyLock::new(|| {
    let (file, text) = asset!("us_state_aliases.tsv");
    pairs(file, text)
});
