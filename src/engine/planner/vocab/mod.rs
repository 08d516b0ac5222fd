//! The planner's vocabularies, as data. The rule extractor and the LLM planner's normaliser both
//! read these tables, so a value the ICP carries always comes from here.

pub mod countries;
pub(crate) mod data;
pub mod geo;
pub mod industries;
pub mod roles;
pub mod tech;
pub mod us_states;

use std::sync::LazyLock;

/// Research sources a user may ask to skip: canonical lower-case name, then what people type.
pub static SOURCES: LazyLock<Vec<(&'static str, Vec<&'static str>)>> = LazyLock::new(|| {
    let (file, text) = data::asset!("sources.tsv");
    data::aliased(file, text)
});

/// Departments `team_size` may be keyed by (docs/planner.md, "Sizes: employees and team_size").
pub const DEPARTMENTS: &[&str] = &[
    "engineering",
    "sales",
    "marketing",
    "product",
    "data",
    "design",
    "support",
    "operations",
];

/// Funding stages in order, so ranges ("seed to Series B") can be expanded.
pub const FUNDING_STAGES: &[&str] = &[
    "pre_seed",
    "seed",
    "series_a",
    "series_b",
    "series_c",
    "series_d",
    "series_e",
    "late_stage",
    "public",
    "bootstrapped",
];

/// Region codes (docs/planner.md, "Places").
pub const REGION_CODES: &[&str] = &[
    "EU", "EUROPE", "DACH", "NORDICS", "BENELUX", "NA", "LATAM", "APAC", "SEA", "MENA",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn industry_slugs_are_exactly_those_of_the_contract() {
        let contract = "accounting adtech agtech ai ai_infrastructure automotive biotech climate construction \
            consulting consumer crypto cybersecurity data_analytics devtools ecommerce edtech energy fintech \
            food_beverage gaming government hardware healthcare hospitality hr_tech insurance insurtech legaltech \
            logistics manufacturing martech media nonprofit pharma proptech real_estate retail robotics saas \
            semiconductors telecom travel";
        let ours: Vec<&str> = industries::INDUSTRIES.iter().map(|(s, _)| *s).collect();
        assert_eq!(ours, contract.split_whitespace().collect::<Vec<_>>());
        for (phrase, slug) in industries::INDUSTRY_PHRASES.iter() {
            assert!(ours.contains(slug), "{phrase} → {slug}");
        }
    }

    #[test]
    fn every_alias_points_at_a_known_value() {
        for (code, _) in geo::COUNTRY_ALIASES.iter() {
            assert!(
                countries::COUNTRIES.iter().any(|(c, _, _)| c == code),
                "{code}"
            );
        }
        for (code, _, _) in geo::REGIONS.iter() {
            assert!(REGION_CODES.contains(code), "{code}");
        }
        for (_, city) in geo::CITY_ALIASES.iter() {
            assert!(geo::CITIES.iter().any(|(c, _)| c == city), "{city}");
        }
        for (city, country) in geo::CITIES.iter() {
            assert!(
                countries::COUNTRIES.iter().any(|(c, _, _)| c == country),
                "{city}: {country}"
            );
        }
        for (_, code) in geo::US_STATE_ALIASES.iter() {
            assert!(
                us_states::US_STATES.iter().any(|(c, _)| c == code),
                "{code}"
            );
        }
        assert!(countries::COUNTRIES.len() >= 249);
        assert!(tech::TECHNOLOGIES.len() >= 200);
    }
}
