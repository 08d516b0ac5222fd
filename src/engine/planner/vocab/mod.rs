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

/// Departments `team_size` may be keyed by (planner.md).
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

/// Region codes (planner.md).
pub const REGION_CODES: &[&str] = &[
    "EU", "EUROPE", "DACH", "NORDICS", "BENELUX", "NA", "LATAM", "APAC", "SEA", "MENA",
];
