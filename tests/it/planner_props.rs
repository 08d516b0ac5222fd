//! Property tests: no input up to 8,000 characters panics the rule planner; every answer is a
//! valid plan whose ICP values come from the vocabularies, or a clean `plan_rejected`.

use leadline::engine::planner::vocab::{
    DEPARTMENTS, FUNDING_STAGES, REGION_CODES, SOURCES, countries, geo, industries, tech, us_states,
};
use leadline::engine::planner::{PlanDraft, PlanRequest, RulesPlanner};
use leadline::model::{ErrorCode, Icp, Intent};
use proptest::prelude::*;

fn check_icp(icp: &Icp) -> Result<(), String> {
    let within = |name: &str, values: &[String], allowed: &dyn Fn(&str) -> bool| {
        values.iter().find(|v| !allowed(v)).map_or(Ok(()), |v| {
            Err(format!("{name}: {v:?} is not in the vocabulary"))
        })
    };
    within("industries", &icp.industries, &|v| {
        industries::INDUSTRIES.iter().any(|(s, _)| *s == v)
    })?;
    within("countries", &icp.countries, &|v| {
        countries::COUNTRIES.iter().any(|(c, _, _)| *c == v)
    })?;
    within("regions", &icp.regions, &|v| REGION_CODES.contains(&v))?;
    within("cities", &icp.cities, &|v| {
        geo::CITIES.iter().any(|(c, _)| *c == v)
    })?;
    within("us_states", &icp.us_states, &|v| {
        us_states::US_STATES.iter().any(|(c, _)| *c == v)
    })?;
    within("funding_stages", &icp.funding_stages, &|v| {
        FUNDING_STAGES.contains(&v)
    })?;
    within("technologies", &icp.technologies, &|v| {
        tech::TECHNOLOGIES.iter().any(|t| t.name == v)
    })?;
    within("excluded_sources", &icp.excluded_sources, &|v| {
        SOURCES.iter().any(|(s, _)| *s == v)
    })?;
    if let Some(k) = icp
        .team_size
        .keys()
        .find(|k| !DEPARTMENTS.contains(&k.as_str()))
    {
        return Err(format!("team_size key {k:?}"));
    }
    for title in icp.roles.iter().chain(&icp.hiring_for) {
        if title.trim().is_empty() || title.trim() != title || title.chars().count() > 120 {
            return Err(format!("bad title {title:?}"));
        }
    }
    if icp.max_rows.is_some_and(|r| r == 0 || r > Icp::MAX_ROWS) {
        return Err(format!("max_rows {:?}", icp.max_rows));
    }
    Ok(())
}

fn check_draft(d: &PlanDraft) -> Result<(), String> {
    check_icp(&d.icp)?;
    if d.steps.is_empty() || d.steps.len() > 12 {
        return Err(format!("{} steps", d.steps.len()));
    }
    for (k, s) in d.steps.iter().enumerate() {
        if s.id != format!("stp_{}", k + 1) {
            return Err(format!("step id {}", s.id));
        }
        if s.intent != Intent::Enrich && !s.roles.is_empty() {
            return Err("roles on a non-enrich step".into());
        }
    }
    let pulled: usize = d.steps.iter().map(|s| s.roles.len()).sum();
    if pulled != d.icp.roles.len() {
        return Err(format!(
            "steps pull {pulled} roles, ICP has {}",
            d.icp.roles.len()
        ));
    }
    if d.title.trim().is_empty() {
        return Err("empty title".into());
    }
    Ok(())
}

const WORDS: &[&str] = &[
    "Series",
    "A",
    "B",
    "C",
    "+",
    "seed",
    "or",
    "and",
    "later",
    "fintech",
    "SaaS",
    "in",
    "France",
    "US",
    "EU",
    "Nordics",
    "London",
    "California",
    "with",
    "20+",
    "more",
    "than",
    "fewer",
    "under",
    "1k",
    "1,000",
    "500\u{2013}5000",
    "-",
    "\u{2013}",
    "engineers",
    "employees",
    "VP",
    "Eng",
    "Head",
    "of",
    "Growth",
    "Director",
    "CTOs",
    "founders",
    "hiring",
    "Staff",
    "Engineers",
    "using",
    "Snowflake",
    "Segment",
    "skip",
    "Crunchbase",
    "top",
    "100",
    "last",
    "90",
    "days",
    "months",
    "rows",
    "a",
    "500-row",
    "list",
    ",",
    ".",
    ";",
    "!",
    "\u{1F600}",
    "\u{0301}",
    "Ω",
    "mid-market",
    "enterprise",
    "SMB",
    "between",
    "to",
    "at",
    "least",
    "up",
    "\u{2265}",
    "\u{2264}",
    "<",
    ">",
    "0",
    "99999999999999999999",
    "1.5k",
    "k",
    "9e999",
    "Chief",
    "Officer",
    "managers",
    "plant",
    "C++",
    "U.S.",
];

fn wordy() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(WORDS), 0..120).prop_map(|w| w.join(" "))
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<char>(), 0..8000)
            .prop_map(|c| c.into_iter().collect::<String>()),
        ".{0,300}",
        wordy(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_prompt_gives_a_valid_plan_or_a_clean_rejection(prompt in any_text()) {
        let request = PlanRequest { prompt: prompt.chars().take(8000).collect(), ..PlanRequest::default() };
        match RulesPlanner::new().plan_sync(&request) {
            Ok(d) => prop_assert!(check_draft(&d).is_ok(), "{:?} for {:?}", check_draft(&d), request.prompt),
            Err(e) => {
                prop_assert_eq!(e.code, ErrorCode::PlanRejected);
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn any_feedback_gives_a_valid_plan_or_a_clean_rejection(feedback in any_text()) {
        let previous = Icp {
            industries: vec!["fintech".into()],
            countries: vec!["FR".into()],
            roles: vec!["VP Engineering".into(), "Head of Growth".into()],
            ..Icp::default()
        };
        let feedback: String = feedback.chars().take(8000).collect();
        match RulesPlanner::new().replan_sync(&previous, &feedback) {
            Ok(d) => prop_assert!(check_draft(&d).is_ok(), "{:?} for {:?}", check_draft(&d), feedback),
            Err(e) => prop_assert_eq!(e.code, ErrorCode::PlanRejected),
        }
    }
}
