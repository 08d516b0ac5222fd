//! Prompt → ICP. Passes run from the most structured reading to the least, each claiming the
//! tokens it used, so a word is read once: numbers ("20+ engineers"), skipped sources, funding
//! stages, roles ("Head of Data" is a role, so "Data" is not an industry), then places,
//! industries and technologies.

use super::lexicons::{ENTITIES, Entity, WEAK_TECH};
use super::text::{COMMON_WORDS, Kind, Token, tokenize};
use super::{i18n, numbers, roles, sources, stages};
use crate::engine::planner::vocab::{geo, us_states};
use crate::model::Icp;

/// What a prompt said, before any decision about rejection.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub icp: Icp,
    pub credit_limit: Option<numbers::CreditLimit>,
    /// Spans of the prompt no rule could use, in order ("pls" is glue; "Zorblax" is not).
    pub not_understood: Vec<String>,
    /// The spans of `not_understood` that look like a role ("Blorp Wrangler Manager"): the
    /// planner asks instead of guessing when these are the only roles.
    pub unknown_roles: Vec<String>,
    /// The prompt's language when it is not English ("fr").
    pub lang: Option<&'static str>,
}

/// Words after which an everyday-word technology ("Segment", "Rust") is read as one.
const TECH_CUES: &[&str] = &[
    "using",
    "use",
    "uses",
    "used",
    "on",
    "running",
    "runs",
    "run",
    "built",
    "powered",
    "stack",
    "stacks",
    "customers",
    "users",
    "leveraging",
    "leverage",
    "leverages",
    "adopting",
    "adopted",
    "adopt",
    "with",
    "via",
    "technologies",
    "technology",
    "tools",
    "tech",
    "includes",
    "including",
    "like",
];
const TECH_SEPARATORS: &[&str] = &[
    ",", "and", "or", "&", "/", "+", "plus", "with", "by", "of", "the", "their", "in", "a", "an",
];

pub fn extract(prompt: &str) -> Extraction {
    // Escape sequences are removed whole, so "\x1b[31mZorblax" is reported as "Zorblax",
    // not "31mZorblax", and an OSC title never becomes a word.
    let prompt = crate::text::sanitize_multiline(prompt);
    let translated = i18n::translate(&prompt);
    let tokens = tokenize(&translated.text);
    let mut e = extract_tokens(&tokens);
    e.lang = translated.lang;
    e.not_understood = bounded(std::mem::take(&mut e.not_understood));
    e
}

/// At most this many spans of at most this many characters are reported: a pasted page must not
/// become a plan object of 8,000 characters of "not understood".
const MAX_UNREAD_SPANS: usize = 20;
const MAX_UNREAD_CHARS: usize = 60;

pub fn bounded(spans: Vec<String>) -> Vec<String> {
    let total = spans.len();
    let mut out: Vec<String> = spans
        .into_iter()
        .take(MAX_UNREAD_SPANS)
        .map(|s| {
            if s.chars().count() > MAX_UNREAD_CHARS {
                let head: String = s.chars().take(MAX_UNREAD_CHARS).collect();
                format!("{head}\u{2026}")
            } else {
                s
            }
        })
        .collect();
    if total > MAX_UNREAD_SPANS {
        out.push(format!("\u{2026} and {} more", total - MAX_UNREAD_SPANS));
    }
    out
}

pub fn extract_tokens(tokens: &[Token]) -> Extraction {
    let mut claimed = vec![false; tokens.len()];
    let mut icp = Icp::default();
    let nums = numbers::extract(tokens, &mut claimed);
    nums.apply(&mut icp);
    icp.excluded_sources = sources::extract(tokens, &mut claimed)
        .into_iter()
        .map(String::from)
        .collect();
    icp.funding_stages = stages::extract(tokens, &mut claimed)
        .into_iter()
        .map(String::from)
        .collect();
    for role in roles::extract(tokens, &mut claimed) {
        let list = if role.hiring {
            &mut icp.hiring_for
        } else {
            &mut icp.roles
        };
        push(list, role.title);
    }
    read_entities(tokens, &mut claimed, &mut icp);
    let (not_understood, unknown_roles) = unread_spans(tokens, &claimed);
    Extraction {
        icp,
        credit_limit: nums.credit_limit,
        not_understood,
        unknown_roles,
        lang: None,
    }
}

/// Runs of words no pass claimed and that are not glue, as typed; and those runs that hold a
/// title noun or title prefix ("Wrangler Manager", "Head of Blorp").
fn unread_spans(tokens: &[Token], claimed: &[bool]) -> (Vec<String>, Vec<String>) {
    let unread = |k: usize| {
        let t = &tokens[k];
        !claimed[k]
            && t.kind == Kind::Word
            && !roles::is_glue(&t.norm)
            && !TECH_CUES.contains(&t.norm.as_str())
            && !COMMON_WORDS.contains(&t.norm.as_str())
    };
    let (mut spans, mut role_like) = (Vec::new(), Vec::new());
    let mut k = 0;
    while k < tokens.len() {
        if !unread(k) {
            k += 1;
            continue;
        }
        let start = k;
        // "Head of Blorp": glue inside a run stays in it when an unread word follows.
        while k < tokens.len()
            && (unread(k) || (tokens[k].is("of") && k + 1 < tokens.len() && unread(k + 1)))
        {
            k += 1;
        }
        let words: Vec<&str> = tokens[start..k].iter().map(|t| t.raw.as_str()).collect();
        let span = words.join(" ");
        if tokens[start..k]
            .iter()
            .any(|t| roles::is_title_word(&t.norm))
        {
            role_like.push(span.clone());
        }
        spans.push(span);
    }
    (spans, role_like)
}

fn push(list: &mut Vec<String>, value: String) {
    if !list.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
        list.push(value);
    }
}

fn read_entities(tokens: &[Token], claimed: &mut [bool], icp: &mut Icp) {
    let mut weak_industries: Vec<String> = Vec::new();
    let mut tech_context = false;
    let mut i = 0;
    while i < tokens.len() {
        if claimed[i] {
            tech_context = false;
            i += 1;
            continue;
        }
        let hit = ENTITIES.match_at(tokens, i, claimed);
        let weak_tech = if tech_context {
            WEAK_TECH.match_at(tokens, i, claimed)
        } else {
            None
        };
        match (hit, weak_tech) {
            (_, Some(w)) if hit.is_none_or(|h| h.len <= w.len) => {
                push(&mut icp.technologies, w.value.to_string());
                claimed[i..i + w.len].iter_mut().for_each(|c| *c = true);
                i += w.len;
                continue;
            }
            (Some(h), _) => {
                apply(h.value, icp, &mut weak_industries);
                claimed[i..i + h.len].iter_mut().for_each(|c| *c = true);
                i += h.len;
                // "Austin TX", "Denver, CO": a USPS code right after a US city is its state.
                if let Entity::City(city) = h.value
                    && let Some(k) = state_after_us_city(tokens, claimed, i, city)
                {
                    push(&mut icp.us_states, tokens[k].raw.to_uppercase());
                    claimed[i..=k].iter_mut().for_each(|c| *c = true);
                    i = k + 1;
                }
                // A technology keeps a list going: "using HubSpot and Segment".
                tech_context = matches!(h.value, Entity::Tech { .. });
                continue;
            }
            _ => {}
        }
        let t = &tokens[i];
        // EMEA spans two of the contract's regions; it stays regions, never countries.
        if t.norm == "emea" {
            push(&mut icp.regions, "EUROPE".to_string());
            push(&mut icp.regions, "MENA".to_string());
            claimed[i] = true;
            i += 1;
            continue;
        }
        if TECH_CUES.contains(&t.norm.as_str()) {
            tech_context = true;
        } else if !(tech_context
            && (TECH_SEPARATORS.contains(&t.norm.as_str())
                || t.kind == Kind::Punct && t.norm == ","))
        {
            tech_context = false;
        }
        i += 1;
    }
    if icp.industries.is_empty() {
        icp.industries = weak_industries;
    }
}

fn state_after_us_city(tokens: &[Token], claimed: &[bool], at: usize, city: &str) -> Option<usize> {
    if !geo::CITIES
        .iter()
        .any(|(c, country)| *c == city && *country == "US")
    {
        return None;
    }
    let k = if tokens.get(at).is_some_and(|t| t.is_punct(",")) {
        at + 1
    } else {
        at
    };
    let t = tokens.get(k)?;
    let code = t.raw.to_uppercase();
    // Lower-case codes that are also words ("NYC or Boston") only count in capitals.
    let word_like = [
        "or", "in", "me", "ok", "hi", "oh", "de", "la", "al", "id", "pa", "co", "ma", "ne", "mo",
        "as", "ar",
    ];
    let typed_ok = t.raw == code || !word_like.contains(&t.norm.as_str());
    let is_state = typed_ok
        && t.kind == Kind::Word
        && code.len() == 2
        && us_states::US_STATES.iter().any(|(c, _)| *c == code);
    (is_state && !claimed[k]).then_some(k)
}

fn apply(entity: Entity, icp: &mut Icp, weak_industries: &mut Vec<String>) {
    match entity {
        Entity::Industry { slug, weak: false } => push(&mut icp.industries, slug.to_string()),
        Entity::Industry { slug, weak: true } => push(weak_industries, slug.to_string()),
        Entity::Country(code) => push(&mut icp.countries, code.to_string()),
        Entity::Region(code) => push(&mut icp.regions, code.to_string()),
        Entity::City(name) => push(&mut icp.cities, name.to_string()),
        Entity::State(code) => push(&mut icp.us_states, code.to_string()),
        Entity::Tech { name, .. } => push(&mut icp.technologies, name.to_string()),
    }
}

/// Whether the ICP names anyone to look for (the audience of docs/planner.md, "Rejection").
pub fn has_audience(icp: &Icp) -> bool {
    !(icp.industries.is_empty()
        && icp.countries.is_empty()
        && icp.regions.is_empty()
        && icp.cities.is_empty()
        && icp.us_states.is_empty()
        && icp.funding_stages.is_empty()
        && icp.employees.is_open()
        && icp.team_size.values().all(|r| r.is_open())
        && icp.roles.is_empty()
        && icp.technologies.is_empty()
        && icp.hiring_for.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_stay_regions_and_cities_do_not_imply_countries() {
        let icp =
            extract("AI startups in the EU, the Nordics, Southeast Asia and North America").icp;
        assert_eq!(icp.regions, ["EU", "NORDICS", "SEA", "NA"]);
        assert!(icp.countries.is_empty());
        assert_eq!(extract("SaaS in EMEA").icp.regions, ["EUROPE", "MENA"]);
        let icp = extract("fintechs in London and Berlin").icp;
        assert_eq!(icp.cities, ["London", "Berlin"]);
        assert!(icp.countries.is_empty());
    }

    #[test]
    fn states_are_usps_codes_without_a_us_country() {
        let icp = extract("SaaS in California and New York State").icp;
        assert_eq!(icp.us_states, ["CA", "NY"]);
        assert!(icp.countries.is_empty());
        assert_eq!(extract("SaaS in Texas, USA").icp.countries, ["US"]);
        assert!(extract("NYC or Boston").icp.us_states.is_empty());
        let icp = extract("software cos in austin tx and Denver, CO").icp;
        assert_eq!(
            (icp.cities, icp.us_states),
            (
                vec!["Austin".to_string(), "Denver".to_string()],
                vec!["TX".to_string(), "CO".to_string()]
            )
        );
    }

    #[test]
    fn countries_by_name_adjective_and_abbreviation() {
        assert_eq!(
            extract("UK, Britain, U.S., American, French, Deutschland")
                .icp
                .countries,
            ["GB", "US", "FR", "DE"]
        );
        assert!(extract("help us find fintechs").icp.countries.is_empty());
    }

    #[test]
    fn an_industry_word_inside_a_role_is_not_an_industry() {
        let icp = extract("Head of Data at banks").icp;
        assert_eq!(icp.industries, ["fintech"]);
        assert_eq!(icp.roles, ["Head of Data"]);
    }

    #[test]
    fn weak_technologies_need_a_cue() {
        assert_eq!(
            extract("martech using HubSpot and Segment")
                .icp
                .technologies,
            ["HubSpot", "Segment"]
        );
        assert!(
            extract("the mid-market segment of fintech")
                .icp
                .technologies
                .is_empty()
        );
    }

    #[test]
    fn rejection_is_about_audience() {
        for p in [
            "find leads",
            "hello",
            "asdf",
            "",
            "   ",
            "?!...",
            "Please find me some leads",
        ] {
            assert!(!has_audience(&extract(p).icp), "{p}");
        }
        assert!(has_audience(&extract("fintech").icp));
    }
}
