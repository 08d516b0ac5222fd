//! The vocabularies of `planner::vocab`, loaded once into lexicons.

use std::sync::LazyLock;

use super::lexicon::Lexicon;
use crate::engine::planner::vocab::{countries, geo, industries, roles, tech, us_states};

/// What a place/industry/technology phrase stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// `weak`: a catch-all word ("software") that yields to anything more specific.
    Industry {
        slug: &'static str,
        weak: bool,
    },
    Country(&'static str),
    Region(&'static str),
    City(&'static str),
    State(&'static str),
    /// `weak`: also an everyday word, so only read after a cue ("using Segment").
    Tech {
        name: &'static str,
        weak: bool,
    },
}

pub static ENTITIES: LazyLock<Lexicon<Entity>> = LazyLock::new(|| {
    let mut phrases: Vec<(&'static str, Entity)> = Vec::new();
    // Order matters where spellings collide: "New York" is the city, "Georgia" the state.
    for (code, aliases) in geo::COUNTRY_ALIASES.iter() {
        phrases.extend(aliases.iter().map(|a| (*a, Entity::Country(code))));
    }
    for (code, _, aliases) in geo::REGIONS.iter() {
        phrases.extend(aliases.iter().map(|a| (*a, Entity::Region(code))));
    }
    for (alias, city) in geo::CITY_ALIASES.iter() {
        phrases.push((alias, Entity::City(city)));
    }
    for (city, _) in geo::CITIES.iter() {
        phrases.push((city, Entity::City(city)));
    }
    for (alias, code) in geo::US_STATE_ALIASES.iter() {
        phrases.push((alias, Entity::State(code)));
    }
    for (code, name) in us_states::US_STATES.iter() {
        phrases.push((name, Entity::State(code)));
    }
    for (code, _, names) in countries::COUNTRIES.iter() {
        phrases.extend(names.iter().map(|n| (*n, Entity::Country(code))));
    }
    for (phrase, slug) in industries::INDUSTRY_PHRASES.iter() {
        let (weak, phrase) = match phrase.strip_prefix('~') {
            Some(p) => (true, p),
            None => (false, *phrase),
        };
        phrases.push((phrase, Entity::Industry { slug, weak }));
    }
    for t in tech::TECHNOLOGIES.iter() {
        phrases.extend(t.aliases.iter().map(|a| {
            (
                *a,
                Entity::Tech {
                    name: t.name,
                    weak: t.weak,
                },
            )
        }));
    }
    // Weak technologies must not be reached by typo-matching ordinary words.
    let fuzzy_ok: Vec<(&'static str, Entity)> = phrases;
    Lexicon::new(
        fuzzy_ok
            .into_iter()
            .filter(|(_, e)| !matches!(e, Entity::Tech { weak: true, .. })),
        true,
    )
});

/// Weak technologies, looked up only after a cue.
pub static WEAK_TECH: LazyLock<Lexicon<&'static str>> = LazyLock::new(|| {
    Lexicon::new(
        tech::TECHNOLOGIES
            .iter()
            .filter(|t| t.weak)
            .flat_map(|t| t.aliases.iter().map(move |a| (*a, t.name))),
        false,
    )
});

pub static FUNCTIONS: LazyLock<Lexicon<&'static str>> = LazyLock::new(|| {
    Lexicon::new(
        roles::FUNCTIONS
            .iter()
            .flat_map(|(f, aliases)| aliases.iter().map(move |a| (*a, *f))),
        true,
    )
});

/// C-level titles: acronyms (any case, plural allowed) and long forms.
pub static C_LEVEL: LazyLock<Lexicon<&'static str>> = LazyLock::new(|| {
    let acronyms = roles::C_LEVEL.iter().map(|(code, _)| (*code, *code));
    let others = roles::OTHER_ACRONYMS.iter().map(|code| (*code, *code));
    let long = roles::C_LEVEL
        .iter()
        .flat_map(|(code, forms)| forms.iter().map(move |f| (*f, *code)));
    Lexicon::new(acronyms.chain(others).chain(long), false)
});

/// Whole-title shorthand ("HoG", "eng managers").
pub static ROLE_ALIASES: LazyLock<Lexicon<&'static str>> =
    LazyLock::new(|| Lexicon::new(roles::ROLE_ALIASES.iter().copied(), false));

pub static SOURCES: LazyLock<Lexicon<&'static str>> = LazyLock::new(|| {
    Lexicon::new(
        crate::engine::planner::vocab::SOURCES
            .iter()
            .flat_map(|(s, aliases)| aliases.iter().map(move |a| (*a, *s))),
        false,
    )
});

/// Display name of an ISO country code.
pub fn country_name(code: &str) -> Option<&'static str> {
    countries::COUNTRIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, name, _)| *name)
}

pub fn region_name(code: &str) -> Option<&'static str> {
    geo::REGIONS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, name, _)| *name)
}

pub fn state_name(code: &str) -> Option<&'static str> {
    us_states::US_STATES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

pub fn industry_label(slug: &str) -> Option<&'static str> {
    industries::INDUSTRIES
        .iter()
        .find(|(s, _)| *s == slug)
        .map(|(_, label)| *label)
}
