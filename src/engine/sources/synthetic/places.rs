//! Where companies are: countries with their cities, naming traditions, web domains and
//! currency; the regions of docs/planner.md; US states with their cities. The data is
//! assets/synthetic/places.toml.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use super::assets::{leak_strs, parse};
use super::names::NameStyle;

/// How funding is reported in a country: a prefix and units per US dollar.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Currency {
    pub prefix: String,
    pub per_usd: f64,
}

#[derive(Debug)]
pub struct Country {
    pub code: &'static str,
    pub styles: &'static [NameStyle],
    /// Top-level domains, repeated to weight the common ones.
    pub tlds: &'static [&'static str],
    pub currency: &'static Currency,
    pub cities: &'static [&'static str],
}

/// A country as the file spells it: its currency by code.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountry {
    code: String,
    styles: Vec<NameStyle>,
    tlds: Vec<String>,
    currency: String,
    cities: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaces {
    global_mix: Vec<String>,
    currencies: BTreeMap<String, Currency>,
    elsewhere: RawCountry,
    regions: BTreeMap<String, Vec<String>>,
    us_states: BTreeMap<String, Vec<String>>,
    countries: Vec<RawCountry>,
}

pub struct Places {
    pub countries: Vec<Country>,
    /// For a country code outside the table: people from everywhere, a `.com`, dollars, no city.
    pub elsewhere: Country,
    /// The regions of docs/planner.md ("Places"). Countries outside the table are left out.
    pub regions: BTreeMap<String, &'static [&'static str]>,
    /// With no location in the ICP: roughly where startups are, repeated to weight.
    pub global_mix: &'static [&'static str],
    /// USPS code → cities, the main startup hubs first.
    pub us_states: BTreeMap<String, &'static [&'static str]>,
}

pub static PLACES: LazyLock<Places> = LazyLock::new(|| {
    let raw: RawPlaces = parse(
        "places.toml",
        include_str!("../../../../assets/synthetic/places.toml"),
    );
    let currencies: &'static BTreeMap<String, Currency> = Box::leak(Box::new(raw.currencies));
    let country = |c: RawCountry| Country {
        currency: currencies.get(&c.currency).unwrap_or_else(|| {
            panic!(
                "assets/synthetic/places.toml: {} has an unknown currency {}",
                c.code, c.currency
            )
        }),
        code: c.code.leak(),
        styles: c.styles.leak(),
        tlds: leak_strs(c.tlds),
        cities: leak_strs(c.cities),
    };
    let lists = |m: BTreeMap<String, Vec<String>>| {
        m.into_iter()
            .map(|(k, v)| (k, leak_strs(v)))
            .collect::<BTreeMap<_, _>>()
    };
    Places {
        countries: raw.countries.into_iter().map(country).collect(),
        elsewhere: country(raw.elsewhere),
        regions: lists(raw.regions),
        global_mix: leak_strs(raw.global_mix),
        us_states: lists(raw.us_states),
    }
});

pub fn countries() -> &'static [Country] {
    &PLACES.countries
}

pub fn elsewhere() -> &'static Country {
    &PLACES.elsewhere
}

pub fn global_mix() -> &'static [&'static str] {
    PLACES.global_mix
}

pub fn country(code: &str) -> Option<&'static Country> {
    countries()
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code))
}

pub fn region(code: &str) -> Option<&'static [&'static str]> {
    PLACES.regions.get(&code.to_ascii_uppercase()).copied()
}

pub fn us_state(code: &str) -> Option<&'static [&'static str]> {
    PLACES.us_states.get(&code.to_ascii_uppercase()).copied()
}

/// The country a named city is in, when the tables know it (case-insensitive, accents kept).
pub fn country_of_city(city: &str) -> Option<&'static Country> {
    countries()
        .iter()
        .find(|c| {
            c.cities
                .iter()
                .any(|known| known.eq_ignore_ascii_case(city))
        })
        .or_else(|| {
            let in_us = PLACES
                .us_states
                .values()
                .any(|cities| cities.iter().any(|k| k.eq_ignore_ascii_case(city)));
            in_us.then(|| country("US")).flatten()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_country_and_mix_entry_is_in_the_table() {
        let listed = PLACES
            .regions
            .values()
            .flat_map(|cs| cs.iter())
            .chain(global_mix());
        for code in listed {
            assert!(country(code).is_some(), "{code} has no country entry");
        }
    }

    #[test]
    fn tables_have_no_empty_lists_and_all_fifty_states_plus_dc() {
        for c in countries() {
            assert!(
                !c.cities.is_empty() && !c.tlds.is_empty() && !c.styles.is_empty(),
                "{}",
                c.code
            );
        }
        assert_eq!(PLACES.us_states.len(), 51);
        assert!(PLACES.us_states.values().all(|cities| !cities.is_empty()));
    }

    #[test]
    fn cities_resolve_to_their_country() {
        assert_eq!(country_of_city("Lyon").map(|c| c.code), Some("FR"));
        assert_eq!(country_of_city("boulder").map(|c| c.code), Some("US"));
        assert!(country_of_city("Atlantis").is_none());
    }
}
