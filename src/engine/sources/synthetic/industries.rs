//! What companies in each industry of docs/planner.md are called, do, run on and hire for. The data
//! is assets/synthetic/industries.toml.

use std::sync::LazyLock;

use serde::Deserialize;

use super::assets::{leak_list, leak_strs, parse};

#[derive(Debug, Clone)]
pub struct Industry {
    pub slug: &'static str,
    /// Appended to a coined stem: " Robotics" is a separate word, "Pay" is fused ("KalrixPay").
    pub suffixes: &'static [&'static str],
    pub offerings: &'static [&'static str],
    pub audiences: &'static [&'static str],
    pub technologies: &'static [&'static str],
    pub hiring: &'static [&'static str],
}

impl<'de> Deserialize<'de> for Industry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            slug: String,
            suffixes: Vec<String>,
            offerings: Vec<String>,
            audiences: Vec<String>,
            technologies: Vec<String>,
            hiring: Vec<String>,
        }
        let raw = Raw::deserialize(d)?;
        Ok(Industry {
            slug: raw.slug.leak(),
            suffixes: leak_strs(raw.suffixes),
            offerings: leak_strs(raw.offerings),
            audiences: leak_strs(raw.audiences),
            technologies: leak_strs(raw.technologies),
            hiring: leak_strs(raw.hiring),
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Industries {
    #[serde(deserialize_with = "leak_list")]
    common_technologies: &'static [&'static str],
    #[serde(deserialize_with = "leak_list")]
    common_openings: &'static [&'static str],
    generic: Industry,
    industries: Vec<Industry>,
}

static TABLES: LazyLock<Industries> = LazyLock::new(|| {
    parse(
        "industries.toml",
        include_str!("../../../../assets/synthetic/industries.toml"),
    )
});

/// Every industry of the vocabulary.
pub fn industries() -> &'static [Industry] {
    &TABLES.industries
}

/// Used for slugs outside the vocabulary, which still get a company.
pub fn generic() -> &'static Industry {
    &TABLES.generic
}

/// Tools almost any software company might run, for the "plus a couple of others".
pub fn common_technologies() -> &'static [&'static str] {
    TABLES.common_technologies
}

/// Open roles almost any growing company has.
pub fn common_openings() -> &'static [&'static str] {
    TABLES.common_openings
}

pub fn industry(slug: &str) -> Option<&'static Industry> {
    industries()
        .iter()
        .find(|i| i.slug.eq_ignore_ascii_case(slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vocabulary of docs/planner.md, so a slug added there but not here is noticed.
    const PLANNER_SLUGS: &str = "accounting adtech agtech ai ai_infrastructure automotive biotech \
        climate construction consulting consumer crypto cybersecurity data_analytics devtools \
        ecommerce edtech energy fintech food_beverage gaming government hardware healthcare \
        hospitality hr_tech insurance insurtech legaltech logistics manufacturing martech media \
        nonprofit pharma proptech real_estate retail robotics saas semiconductors telecom travel";

    #[test]
    fn every_planner_industry_has_a_full_entry() {
        for slug in PLANNER_SLUGS.split_whitespace() {
            let i = industry(slug).unwrap_or_else(|| panic!("no entry for {slug}"));
            assert!(!i.suffixes.is_empty() && !i.offerings.is_empty() && !i.audiences.is_empty());
            assert!(!i.technologies.is_empty() && !i.hiring.is_empty());
        }
        assert_eq!(industries().len(), PLANNER_SLUGS.split_whitespace().count());
    }

    #[test]
    fn suffixes_either_start_a_word_or_fuse_with_a_capital() {
        // The uniqueness of company names relies on this: the stem ends where the suffix begins.
        for i in industries().iter().chain([generic()]) {
            for s in i.suffixes {
                let first = s.chars().next().unwrap_or(' ');
                assert!(first == ' ' || first.is_uppercase() || *s == "ly", "{s:?}");
            }
        }
    }
}
