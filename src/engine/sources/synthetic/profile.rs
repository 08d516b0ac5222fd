//! What an ICP lets the generator pick from: places, industries, stages (with weights) and team
//! sizes, each resolved once per job from the ICP's filters.

use super::companies::{self, STAGES, Stage};
use super::industries::{self, Industry, generic};
use super::places::{Country, country, country_of_city, elsewhere, global_mix, region, us_state};
use crate::model::{Icp, Range};

/// Where a company may be: a country and the cities to draw from.
#[derive(Debug, Clone)]
pub(super) struct Locale {
    /// ISO code as the ICP gave it (upper-cased), absent when a named city's country is unknown.
    pub(super) code: Option<String>,
    pub(super) country: &'static Country,
    pub(super) cities: Cities,
}

#[derive(Debug, Clone)]
pub(super) enum Cities {
    Table(&'static [&'static str]),
    Named(String),
}

#[derive(Debug, Clone)]
pub(super) struct Choice<T: 'static> {
    pub(super) slug: String,
    pub(super) data: &'static T,
}

#[derive(Debug, Clone)]
pub(super) struct Team {
    pub(super) key: String,
    pub(super) range: Range,
    pub(super) share: (f64, f64),
}

/// Candidate locations, most specific filter first: named cities, then US states (plus any
/// other countries), then countries and regions, else a global mix. Repeats act as weights.
pub(super) fn locales(icp: &Icp) -> Vec<Locale> {
    if !icp.cities.is_empty() {
        let only_country = match icp.countries.as_slice() {
            [one] => Some(one.to_ascii_uppercase()),
            _ => None,
        };
        return icp
            .cities
            .iter()
            .map(|city| {
                let known = country_of_city(city);
                let code = known
                    .map(|c| c.code.to_string())
                    .or_else(|| only_country.clone());
                let info = known
                    .or_else(|| code.as_deref().and_then(country))
                    .unwrap_or_else(elsewhere);
                Locale {
                    code,
                    country: info,
                    cities: Cities::Named(city.clone()),
                }
            })
            .collect();
    }

    let mut out = Vec::new();
    let us = country("US").unwrap_or_else(elsewhere);
    for state in &icp.us_states {
        let cities = us_state(state).unwrap_or(&[]);
        out.push(Locale {
            code: Some("US".into()),
            country: us,
            cities: Cities::Table(cities),
        });
    }
    let mut codes: Vec<String> = Vec::new();
    let named = icp.countries.iter().map(|c| c.to_ascii_uppercase());
    let in_regions = icp
        .regions
        .iter()
        .filter_map(|r| region(r))
        .flatten()
        .map(|c| (*c).to_string());
    for code in named.chain(in_regions) {
        // A state already narrows the US; the whole country would undo that.
        let narrowed = code == "US" && !icp.us_states.is_empty();
        if !narrowed && !codes.contains(&code) {
            codes.push(code);
        }
    }
    for code in codes {
        let info = country(&code).unwrap_or_else(elsewhere);
        out.push(Locale {
            code: Some(code),
            country: info,
            cities: Cities::Table(info.cities),
        });
    }
    if out.is_empty() {
        for code in global_mix() {
            let info = country(code).unwrap_or_else(elsewhere);
            out.push(Locale {
                code: Some((*code).into()),
                country: info,
                cities: Cities::Table(info.cities),
            });
        }
    }
    out
}

pub(super) fn industries_of(icp: &Icp) -> Vec<Choice<Industry>> {
    if icp.industries.is_empty() {
        return industries::industries()
            .iter()
            .map(|i| Choice {
                slug: i.slug.into(),
                data: i,
            })
            .collect();
    }
    icp.industries
        .iter()
        .map(|slug| Choice {
            slug: slug.clone(),
            data: industries::industry(slug).unwrap_or_else(generic),
        })
        .collect()
}

pub(super) fn stages_of(icp: &Icp) -> Vec<(Choice<Stage>, u32)> {
    if !icp.funding_stages.is_empty() {
        return icp
            .funding_stages
            .iter()
            .map(|slug| {
                let data = companies::stage(slug).unwrap_or_else(companies::fallback_stage);
                (
                    Choice {
                        slug: slug.clone(),
                        data,
                    },
                    1,
                )
            })
            .collect();
    }
    // With no stage asked for, keep to stages that fit the other filters when any do.
    let fits = |s: &&Stage| {
        let funded_ok = icp.funded_within_days.is_none() || s.is_funded();
        let size = icp.employees;
        let size_ok = size.min.is_none_or(|min| s.employees.1 >= min)
            && size.max.is_none_or(|max| s.employees.0 <= max);
        funded_ok && size_ok
    };
    let mut stages: Vec<&Stage> = STAGES.iter().filter(fits).collect();
    if stages.is_empty() {
        stages = STAGES
            .iter()
            .filter(|s| icp.funded_within_days.is_none() || s.is_funded())
            .collect();
    }
    stages
        .into_iter()
        .map(|s| {
            (
                Choice {
                    slug: s.slug.into(),
                    data: s,
                },
                s.weight,
            )
        })
        .collect()
}

/// The ICP's departments, plus engineering, which almost every company reports.
pub(super) fn teams_of(icp: &Icp) -> Vec<Team> {
    let mut teams: Vec<Team> = icp
        .team_size
        .iter()
        .map(|(dept, range)| {
            let mut key = String::with_capacity(dept.len() + 10);
            for c in dept.chars() {
                key.push(if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                });
            }
            key.push_str("_headcount");
            Team {
                key,
                range: *range,
                share: companies::department_share(dept),
            }
        })
        .collect();
    if !teams.iter().any(|t| t.key == "engineering_headcount") {
        let share = companies::department_share("engineering");
        teams.insert(
            0,
            Team {
                key: "engineering_headcount".into(),
                range: Range::default(),
                share,
            },
        );
    }
    teams
}

pub(super) fn team_floor(teams: &[Team]) -> u32 {
    teams
        .iter()
        .filter_map(|t| {
            let min = f64::from(t.range.min?);
            Some((min / t.share.1).ceil().min(f64::from(u32::MAX)) as u32)
        })
        .fold(0, u32::saturating_add)
}
