//! The planner's vocabularies, as data. The rule extractor and the LLM planner's normaliser both
//! read these tables, so a value the ICP carries always comes from here.

pub mod countries;
pub mod geo;
pub mod industries;
pub mod roles;
pub mod tech;
pub mod us_states;

/// Research sources a user may ask to skip: canonical lower-case name, then what people type.
pub const SOURCES: &[(&str, &[&str])] = &[
    ("crunchbase", &["crunchbase", "cb"]),
    (
        "linkedin",
        &[
            "linkedin",
            "linked in",
            "sales navigator",
            "linkedin sales navigator",
        ],
    ),
    ("apollo", &["apollo", "apollo.io"]),
    ("pitchbook", &["pitchbook", "pitch book"]),
    ("zoominfo", &["zoominfo", "zoom info"]),
    ("clearbit", &["clearbit"]),
    ("hunter", &["hunter", "hunter.io"]),
    ("lusha", &["lusha"]),
    ("rocketreach", &["rocketreach"]),
    ("builtwith", &["builtwith", "built with"]),
    ("g2", &["g2", "g2 crowd"]),
    ("glassdoor", &["glassdoor"]),
    ("indeed", &["indeed"]),
    (
        "wellfound",
        &["wellfound", "angellist", "angel list", "angel.co"],
    ),
    ("dealroom", &["dealroom"]),
    ("cb insights", &["cb insights", "cbinsights"]),
    ("owler", &["owler"]),
    ("people data labs", &["people data labs", "pdl"]),
    ("github", &["github"]),
    ("twitter", &["twitter", "x.com"]),
    ("product hunt", &["product hunt", "producthunt"]),
    ("techcrunch", &["techcrunch"]),
    ("google", &["google", "google search"]),
    ("company websites", &["company websites", "websites"]),
    ("news", &["news", "press releases"]),
];

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
        for (phrase, slug) in industries::INDUSTRY_PHRASES {
            assert!(ours.contains(slug), "{phrase} → {slug}");
        }
    }

    #[test]
    fn every_alias_points_at_a_known_value() {
        for (code, _) in geo::COUNTRY_ALIASES {
            assert!(
                countries::COUNTRIES.iter().any(|(c, _, _)| c == code),
                "{code}"
            );
        }
        for (code, _, _) in geo::REGIONS {
            assert!(REGION_CODES.contains(code), "{code}");
        }
        for (_, city) in geo::CITY_ALIASES {
            assert!(geo::CITIES.iter().any(|(c, _)| c == city), "{city}");
        }
        for (city, country) in geo::CITIES {
            assert!(
                countries::COUNTRIES.iter().any(|(c, _, _)| c == country),
                "{city}: {country}"
            );
        }
        for (_, code) in geo::US_STATE_ALIASES {
            assert!(
                us_states::US_STATES.iter().any(|(c, _)| c == code),
                "{code}"
            );
        }
        assert!(countries::COUNTRIES.len() >= 249);
        assert!(tech::TECHNOLOGIES.len() >= 200);
    }
}
