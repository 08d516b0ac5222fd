//! The industry slugs of docs/planner.md and the phrasings people use for them (assets/planner/
//! industries.tsv, industry_phrases.tsv).

use std::sync::LazyLock;

use super::data::{asset, pairs};

/// Every slug the ICP may carry, with a short label for plan titles.
pub static INDUSTRIES: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    let (file, text) = asset!("industries.tsv");
    pairs(file, text)
});

/// Phrase → slug. Phrases are lower case with hyphens written as spaces; plurals are matched by
/// the gazetteer, so only the singular is listed. A leading `~` marks a catch-all word that only
/// counts when nothing more specific was named ("fintech software" is fintech, not also SaaS).
pub static INDUSTRY_PHRASES: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    let (file, text) = asset!("industry_phrases.tsv");
    pairs(file, text)
});
