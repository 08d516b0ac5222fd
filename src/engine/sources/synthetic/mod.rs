//! Test mode's research source: synthetic but plausible leads consistent with the ICP,
//! deterministic for an ICP and a seed.
//!
//! Everything a company is follows from (ICP, seed, index) through one ChaCha8 stream seeded by
//! a hash this module computes itself; a person follows from the company's seed and the role, so
//! the runner may pull roles in any order.

mod assets;
mod companies;
mod hashing;
mod industries;
mod names;
mod people;
mod places;

use chrono::{DateTime, Duration};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};

use crate::model::{Company, Icp, Person, Range, Source, SourceKind, Timestamp};

use self::companies::{STAGES, Stage, StemPermutation};
use self::hashing::{Fnv, icp_fingerprint, mix, rng};
use self::industries::{Industry, common_openings, common_technologies, generic};
use self::names::{NameStyle, ascii_alnum, slug};
use self::people::{EMAIL_PATTERNS, title_variants};
use self::places::{Country, country, country_of_city, elsewhere, global_mix, region, us_state};
use super::LeadDraft;

/// One generated company, shared by the leads of every role pulled at it.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyDraft {
    pub company: Company,
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// Per-company randomness, so a company's people do not depend on generation order.
    pub seed: u64,
}

const REGISTRY: &str = "test-mode: company registry";
const CAREERS: &str = "test-mode: careers page";
const TEAM: &str = "test-mode: team page";
const EMAIL: &str = "test-mode: email pattern";

/// Company fields a careers page (or, for a person, the team page) backs; the rest come from
/// the registry.
fn careers_backed(key: &str) -> bool {
    key == "technologies" || key == "hiring_for" || key.ends_with("_headcount")
}

const DESCRIPTIONS: &[&str] = &[
    "{name} builds {offering} for {audience}.",
    "{name} offers {offering} to {audience}.",
    "{name}: {offering} for {audience}.",
];

/// Where a company may be: a country and the cities to draw from.
#[derive(Debug, Clone)]
struct Locale {
    /// ISO code as the ICP gave it (upper-cased), absent when a named city's country is unknown.
    code: Option<String>,
    country: &'static Country,
    cities: Cities,
}

#[derive(Debug, Clone)]
enum Cities {
    Table(&'static [&'static str]),
    Named(String),
}

#[derive(Debug, Clone)]
struct Choice<T: 'static> {
    slug: String,
    data: &'static T,
}

#[derive(Debug, Clone)]
struct Team {
    key: String,
    range: Range,
    share: (f64, f64),
}

#[derive(Debug, Clone)]
pub struct SyntheticSource {
    key: u64,
    stems: StemPermutation,
    locales: Vec<Locale>,
    industries: Vec<Choice<Industry>>,
    /// Stages with their weights; never empty.
    stages: Vec<(Choice<Stage>, u32)>,
    employees: Range,
    teams: Vec<Team>,
    /// The headcount at which every ICP team minimum is a usual share of the company.
    team_floor: u32,
    technologies: Vec<String>,
    hiring_for: Vec<String>,
    funded_within_days: Option<u32>,
}

impl SyntheticSource {
    pub fn new(icp: &Icp, seed: u64) -> Self {
        let key = mix(icp_fingerprint(icp), seed);
        let teams = teams_of(icp);
        Self {
            key,
            stems: StemPermutation::new(mix(key, 0x5eed)),
            locales: locales(icp),
            industries: industries_of(icp),
            stages: stages_of(icp),
            employees: icp.employees,
            team_floor: team_floor(&teams),
            teams,
            technologies: icp.technologies.clone(),
            hiring_for: icp.hiring_for.clone(),
            funded_within_days: icp.funded_within_days,
        }
    }

    /// Company number `index` (0-based); the same (ICP, seed, index) always gives the same company.
    pub fn company(&self, index: u32) -> CompanyDraft {
        let seed = mix(self.key, u64::from(index));
        let mut rng = rng(seed);
        let industry = pick(&mut rng, &self.industries);
        let locale = pick(&mut rng, &self.locales);
        let hq_city = match &locale.cities {
            Cities::Table([]) => None,
            Cities::Table(cities) => Some((*pick(&mut rng, cities)).to_string()),
            Cities::Named(city) => Some(city.clone()),
        };

        let mut stem = String::with_capacity(24);
        self.stems.stem(index, &mut stem);
        let suffix = *pick(&mut rng, industry.data.suffixes);
        let name = format!("{stem}{suffix}");
        let domain = domain(&mut rng, &stem, suffix, locale.country);
        let linkedin = format!("https://www.linkedin.com/company/{}", slug(&name));

        let mut fields = Map::new();
        fields.insert("industry".into(), industry.slug.clone().into());
        let template = *pick(&mut rng, DESCRIPTIONS);
        let description = template
            .replace("{name}", &name)
            .replace(
                "{offering}",
                pick::<&str>(&mut rng, industry.data.offerings),
            )
            .replace(
                "{audience}",
                pick::<&str>(&mut rng, industry.data.audiences),
            );
        fields.insert("description".into(), description.into());

        let stage = pick_weighted(&mut rng, &self.stages);
        let (lo, hi) =
            companies::employee_bounds(self.employees, stage.data.employees, self.team_floor);
        let employees = log_uniform(&mut rng, lo, hi);
        fields.insert("employees".into(), employees.into());
        for team in &self.teams {
            let share = rng.random_range(team.share.0..=team.share.1);
            let natural = ((f64::from(employees) * share).round() as u32).clamp(1, employees);
            // A malformed range (min > max) must not panic; its min wins.
            let min = team.range.min.unwrap_or(0);
            let max = team.range.max.unwrap_or(u32::MAX).max(min);
            // Lift a small team a little past the ICP's floor rather than pile every company on it.
            let lifted = if natural < min {
                min.saturating_add(rng.random_range(0..=min / 4))
            } else {
                natural
            };
            let headcount = lifted.min(employees.max(min)).clamp(min, max);
            fields.insert(team.key.clone(), headcount.into());
        }

        fields.insert("funding_stage".into(), stage.slug.clone().into());
        if stage.data.is_funded() {
            let (lo, hi) = stage.data.raised_musd;
            let musd = rng.random_range(lo..=hi);
            fields.insert(
                "funding_amount".into(),
                companies::format_amount(musd, locale.country.currency).into(),
            );
        }

        let technologies = with_extras(
            &mut rng,
            &self.technologies,
            [industry.data.technologies, common_technologies()],
            if self.technologies.is_empty() { 3 } else { 2 },
        );
        fields.insert("technologies".into(), technologies.into());
        let extra_openings = if self.hiring_for.is_empty() {
            rng.random_range(1..=3)
        } else {
            rng.random_range(0..=1)
        };
        let hiring = with_extras(
            &mut rng,
            &self.hiring_for,
            [industry.data.hiring, common_openings()],
            extra_openings,
        );
        fields.insert("hiring_for".into(), hiring.into());

        CompanyDraft {
            company: Company {
                name,
                domain: Some(domain),
                linkedin: Some(linkedin),
                hq_city,
                hq_country: locale.code.clone(),
            },
            fields,
            seed,
        }
    }

    /// The lead for `role` (a canonical title) at `company`, or a company-only lead for `None`.
    pub fn lead(&self, company: &CompanyDraft, role: Option<&str>, now: Timestamp) -> LeadDraft {
        let mut fields = company.fields.clone();
        if let Some(date) = self.funded_at(company, now) {
            fields.insert("funded_at".into(), date.into());
        }

        let mut registry: Vec<String> = company_paths(&company.company);
        let mut careers = Vec::new();
        for key in fields.keys() {
            let path = format!("fields.{key}");
            if careers_backed(key) {
                careers.push(path)
            } else {
                registry.push(path)
            }
        }

        let mut sources = vec![source(REGISTRY, registry, now)];
        // Seeded by company and role only, so roles can be pulled in any order.
        let role_hash = role.map_or(0, |r| Fnv::new().str(r).finish());
        let mut rng = rng(mix(company.seed, role_hash));
        let (person, certainty) = match role {
            Some(role) => {
                let (person, certainty) = person(&mut rng, &company.company, role);
                let mut team = vec![
                    "person.full_name".into(),
                    "person.title".into(),
                    "person.linkedin".into(),
                ];
                team.append(&mut careers);
                sources.push(source(TEAM, team, now));
                if person.email.is_some() {
                    let backs = vec!["person.email".into(), "company.domain".into()];
                    sources.push(source(EMAIL, backs, now));
                }
                (Some(person), certainty)
            }
            None => {
                sources.push(source(CAREERS, careers, now));
                // A company-only lead is as good as its registry record is complete.
                (
                    None,
                    if fields.contains_key("funding_amount") {
                        0.9
                    } else {
                        0.75
                    },
                )
            }
        };
        sources.retain(|s| !s.fields.is_empty());

        let jitter = rng.random_range(-0.05..=0.05);
        let raw = 0.30 + 0.08 * sources.len() as f64 + 0.40 * certainty + jitter;
        let confidence = (raw.clamp(0.5, 0.99) * 100.0).round() / 100.0;

        LeadDraft {
            company: company.company.clone(),
            person,
            fields,
            sources,
            confidence,
        }
    }

    /// When the company's round closed: inside the ICP's window when it has one, otherwise at a
    /// distance usual for the stage. Kept per company so every role at it agrees.
    fn funded_at(&self, company: &CompanyDraft, now: Timestamp) -> Option<String> {
        if !company.fields.contains_key("funding_amount") {
            return None;
        }
        let stage = company
            .fields
            .get("funding_stage")
            .and_then(Value::as_str)
            .and_then(companies::stage);
        let (lo, hi) = match (self.funded_within_days, stage) {
            (Some(window), _) => (0, window),
            (None, Some(stage)) => stage.age_days,
            (None, None) => companies::fallback_stage().age_days,
        };
        let mut rng = rng(mix(company.seed, 0xf00d));
        let days = rng.random_range(lo..=hi.max(lo));
        let now = DateTime::from_timestamp_millis(now.millis())?;
        let date = now.checked_sub_signed(Duration::days(i64::from(days)))?;
        Some(date.format("%Y-%m-%d").to_string())
    }
}

/// Uniform choice; every table and list handed here is non-empty by construction.
fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn pick_weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (item, weight) in items {
        if roll < *weight {
            return item;
        }
        roll -= weight;
    }
    &items[items.len() - 1].0
}

/// Roughly log-uniform, because company sizes spread over orders of magnitude; integers only
/// (no `ln`/`exp`, whose last bits vary between platforms' libm): a doubling band, then a value
/// inside it.
fn log_uniform(rng: &mut ChaCha8Rng, lo: u32, hi: u32) -> u32 {
    if lo >= hi {
        return lo;
    }
    let (lo, hi) = (u64::from(lo.max(1)), u64::from(hi));
    let mut bands = 1;
    while lo << bands <= hi {
        bands += 1;
    }
    let start = lo << rng.random_range(0..bands);
    let end = (start * 2 - 1).min(hi);
    // Within [lo, hi] by construction, so the narrowing cannot truncate.
    rng.random_range(start..=end) as u32
}

/// The ICP's values first, then `extra` others from `pools` that are not already there.
fn with_extras(
    rng: &mut ChaCha8Rng,
    given: &[String],
    pools: [&[&str]; 2],
    extra: usize,
) -> Vec<Value> {
    let mut out: Vec<Value> = given.iter().map(|s| Value::String(s.clone())).collect();
    let total = pools[0].len() + pools[1].len();
    let mut added = 0;
    // Bounded, so a pool that is all taken cannot loop forever.
    for _ in 0..extra * 4 {
        if added == extra {
            break;
        }
        let i = rng.random_range(0..total);
        let candidate = if i < pools[0].len() {
            pools[0][i]
        } else {
            pools[1][i - pools[0].len()]
        };
        let taken = out.iter().any(|v| {
            v.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case(candidate))
        });
        if !taken {
            out.push(candidate.into());
            added += 1;
        }
    }
    out
}

/// Mostly the bare stem, sometimes with the suffix or a "get…"/"…hq" as a taken name forces.
fn domain(rng: &mut ChaCha8Rng, stem: &str, suffix: &str, country: &Country) -> String {
    let mut base = String::with_capacity(32);
    match rng.random_range(0..10) {
        0..6 => ascii_alnum(stem, &mut base),
        6..8 => {
            ascii_alnum(stem, &mut base);
            ascii_alnum(suffix, &mut base);
        }
        8 => {
            base.push_str("get");
            ascii_alnum(stem, &mut base);
        }
        _ => {
            ascii_alnum(stem, &mut base);
            base.push_str("hq");
        }
    }
    base.push('.');
    base.push_str(pick::<&str>(rng, country.tlds));
    base
}

fn person(rng: &mut ChaCha8Rng, company: &Company, role: &str) -> (Person, f64) {
    let country = company
        .hq_country
        .as_deref()
        .and_then(country)
        .unwrap_or_else(elsewhere);
    let style: NameStyle = *pick(rng, country.styles);
    let pool = style.pool();
    let (first, last) = (*pick(rng, pool.first), *pick(rng, pool.last));
    let full_name = format!("{first} {last}");

    let variants = title_variants(role);
    let title = variants.render(rng.random_range(0..variants.len()));

    let (mut first_ascii, mut last_ascii) = (String::new(), String::new());
    ascii_alnum(first, &mut first_ascii);
    ascii_alnum(last, &mut last_ascii);
    let roll = rng.random_range(0..100);
    let mut cumulative = 0;
    let mut found = None;
    for &(pattern, weight, certainty) in EMAIL_PATTERNS {
        cumulative += weight;
        if roll < cumulative {
            found = Some((pattern, certainty));
            break;
        }
    }
    // No address without a domain; an unguessable address leaves only the team page to go on.
    let (email, certainty) = match (found, company.domain.as_deref()) {
        (Some((pattern, certainty)), Some(domain)) => (
            Some(pattern.address(&first_ascii, &last_ascii, domain)),
            certainty,
        ),
        _ => (None, 0.5),
    };
    let tag: u32 = rng.random_range(0..0x100_0000);
    let linkedin = format!("https://www.linkedin.com/in/{}-{tag:06x}", slug(&full_name));
    (
        Person {
            full_name,
            title: Some(title),
            email,
            linkedin: Some(linkedin),
        },
        certainty,
    )
}

fn company_paths(company: &Company) -> Vec<String> {
    let mut paths = vec!["company.name".to_string()];
    let optional = [
        ("company.domain", &company.domain),
        ("company.linkedin", &company.linkedin),
        ("company.hq_city", &company.hq_city),
        ("company.hq_country", &company.hq_country),
    ];
    paths.extend(
        optional
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(p, _)| (*p).to_string()),
    );
    paths
}

fn source(name: &str, fields: Vec<String>, now: Timestamp) -> Source {
    // Synthetic facts never get a URL: nothing may look like a real page backs them.
    Source {
        kind: SourceKind::Synthetic,
        url: None,
        retrieved_at: now,
        name: Some(name.into()),
        fields: fields.into_iter().map(Into::into).collect(),
    }
}

/// Candidate locations, most specific filter first: named cities, then US states (plus any
/// other countries), then countries and regions, else a global mix. Repeats act as weights.
fn locales(icp: &Icp) -> Vec<Locale> {
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

fn industries_of(icp: &Icp) -> Vec<Choice<Industry>> {
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

fn stages_of(icp: &Icp) -> Vec<(Choice<Stage>, u32)> {
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
fn teams_of(icp: &Icp) -> Vec<Team> {
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

fn team_floor(teams: &[Team]) -> u32 {
    teams
        .iter()
        .filter_map(|t| {
            let min = f64::from(t.range.min?);
            Some((min / t.share.1).ceil().min(f64::from(u32::MAX)) as u32)
        })
        .fold(0, u32::saturating_add)
}

#[cfg(test)]
mod tests;
