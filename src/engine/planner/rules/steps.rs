//! ICP → ordered steps, a title and a credit estimate (docs/planner.md, "Steps and credits").

use super::lexicons::{country_name, industry_label, region_name, state_name};
use crate::engine::credits::CostModel;
use crate::model::{Icp, Intent, Range, Step};

pub const MAX_STEPS: usize = 12;
const MAX_ROLES_PER_STEP: usize = 3;

/// The plan parts the rules (and the LLM planner) derive from an ICP.
#[derive(Debug, Clone, PartialEq)]
pub struct Drafted {
    pub title: String,
    pub steps: Vec<Step>,
    pub credits_estimate: u32,
}

pub fn draft(icp: &Icp, has_attachments: bool) -> Drafted {
    let steps = build_steps(icp, has_attachments);
    let credits_estimate = CostModel::new(icp, &steps).credits(u64::from(icp.target_rows()));
    Drafted {
        title: title(icp),
        steps,
        credits_estimate,
    }
}

pub fn credits(icp: &Icp, has_attachments: bool) -> u32 {
    draft(icp, has_attachments).credits_estimate
}

fn step(intent: Intent, title: String, task: String, columns: &[&str], roles: Vec<String>) -> Step {
    Step {
        id: String::new(),
        title,
        intent,
        task,
        expected_columns: columns.iter().map(|c| c.to_string()).collect(),
        roles,
    }
}

fn build_steps(icp: &Icp, has_attachments: bool) -> Vec<Step> {
    let mut steps = vec![first_step(icp, has_attachments)];
    let groups = role_groups(&icp.roles, MAX_STEPS - 1 - 2);
    for group in groups {
        let names = join_and(&group);
        let task = format!(
            "For each company, find the current {names} (matching equivalent titles, e.g. \"{}\"). \
             Capture person_name, title, email, linkedin.",
            variants(&group[0])
        );
        steps.push(step(
            Intent::Enrich,
            format!("Find the {names}"),
            task,
            &["person_name", "title", "email", "linkedin"],
            group,
        ));
    }
    if !icp.roles.is_empty() {
        steps.push(step(
            Intent::Verify,
            "Verify emails".into(),
            "Verify every captured email (syntax, MX and mailbox checks); drop bounces and flag catch-all domains.".into(),
            &["email"],
            vec![],
        ));
    }
    let rows = icp.target_rows();
    let (key, cols): (&str, &[&str]) = if icp.roles.is_empty() {
        ("domain", &["company_name", "domain"])
    } else {
        (
            "domain and person email",
            &["company_name", "domain", "person_name", "email"],
        )
    };
    steps.push(step(
        Intent::Dedupe,
        "Deduplicate".into(),
        format!(
            "Merge duplicate rows by {key}, keep the best-sourced values, and stop at {rows} rows."
        ),
        cols,
        vec![],
    ));
    for (k, s) in steps.iter_mut().enumerate() {
        s.id = format!("stp_{}", k + 1);
    }
    steps
}

fn first_step(icp: &Icp, has_attachments: bool) -> Step {
    let mut columns: Vec<&str> = vec![
        "company_name",
        "domain",
        "hq_city",
        "hq_country",
        "industry",
        "employees",
    ];
    if !icp.funding_stages.is_empty() || icp.funded_within_days.is_some() {
        columns.extend(["funding_stage", "funding_amount", "funded_at"]);
    }
    if !icp.technologies.is_empty() {
        columns.push("technologies");
    }
    if !icp.hiring_for.is_empty() {
        columns.push("hiring_for");
    }
    let headcounts: Vec<String> = icp
        .team_size
        .keys()
        .map(|d| format!("{d}_headcount"))
        .collect();
    columns.extend(headcounts.iter().map(String::as_str));
    let filters = filters(icp);
    let capture = columns.join(", ");
    if has_attachments {
        let task = if filters.is_empty() {
            format!("Match each attached company by domain or name and fill in {capture}.")
        } else {
            format!(
                "Match each attached company by domain or name, fill in {capture}, and flag rows outside {filters}."
            )
        };
        return step(
            Intent::Enrich,
            "Enrich the attached companies".into(),
            task,
            &columns,
            vec![],
        );
    }
    let task = if filters.is_empty() {
        format!("Find companies. Capture {capture}.")
    } else {
        format!("Filter by {filters}. Capture {capture}.")
    };
    step(
        Intent::Discover,
        format!("Discover {}", audience(icp)),
        task,
        &columns,
        vec![],
    )
}

fn range_text(r: &Range) -> String {
    match (r.min, r.max) {
        (Some(a), Some(b)) if a == b => format!("={a}"),
        (Some(a), Some(b)) => format!("{a}-{b}"),
        (Some(a), None) => format!("\u{2265}{a}"),
        (None, Some(b)) => format!("\u{2264}{b}"),
        (None, None) => "any".into(),
    }
}

/// The filters spelled out for the discover step ("industry=fintech, country=FR, …").
pub fn filters(icp: &Icp) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut list = |name: &str, values: &[String]| {
        if !values.is_empty() {
            parts.push(format!("{name}={}", values.join("|")));
        }
    };
    list("industry", &icp.industries);
    list("country", &icp.countries);
    list("region", &icp.regions);
    list("city", &icp.cities);
    list("us_state", &icp.us_states);
    list("stage", &icp.funding_stages);
    list("technologies", &icp.technologies);
    list("hiring_for", &icp.hiring_for);
    if !icp.employees.is_open() {
        parts.push(format!("employees{}", range_text(&icp.employees)));
    }
    for (dept, r) in &icp.team_size {
        if !r.is_open() {
            parts.push(format!("{dept}_headcount{}", range_text(r)));
        }
    }
    if let Some(days) = icp.funded_within_days {
        parts.push(format!("funded within the last {days} days"));
    }
    if !icp.excluded_sources.is_empty() {
        parts.push(format!("skipping {}", icp.excluded_sources.join(", ")));
    }
    parts.join(", ")
}

fn stage_label(s: &str) -> String {
    match s {
        "pre_seed" => "pre-seed".into(),
        "late_stage" => "late-stage".into(),
        "public" => "public".into(),
        "bootstrapped" => "bootstrapped".into(),
        "seed" => "seed".into(),
        other => match other.strip_prefix("series_") {
            Some(l) => format!("Series {}", l.to_uppercase()),
            None => other.to_string(),
        },
    }
}

fn stages_label(stages: &[String]) -> Option<String> {
    let series: Vec<&String> = stages.iter().filter(|s| s.starts_with("series_")).collect();
    // "Series B+" reads better than four stages.
    if series.len() >= 3
        && series.len() == stages.len()
        && series.last().is_some_and(|s| *s == "series_e")
    {
        return Some(format!("{}+", stage_label(series[0])));
    }
    match stages {
        [] => None,
        [one] => Some(stage_label(one)),
        [a, b] => Some(format!("{} or {}", stage_label(a), stage_label(b))),
        [a, .., z] => Some(format!("{}\u{2013}{}", stage_label(a), stage_label(z))),
    }
}

fn places(icp: &Icp) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    out.extend(icp.cities.iter().cloned());
    out.extend(
        icp.us_states
            .iter()
            .map(|s| state_name(s).unwrap_or(s).to_string()),
    );
    out.extend(icp.countries.iter().map(|c| match c.as_str() {
        "US" => "the US".to_string(),
        "GB" => "the UK".to_string(),
        other => country_name(other).unwrap_or(other).to_string(),
    }));
    out.extend(
        icp.regions
            .iter()
            .map(|r| region_name(r).unwrap_or(r).to_string()),
    );
    out
}

/// "Series A fintech companies in France".
fn audience(icp: &Icp) -> String {
    let mut words: Vec<String> = Vec::new();
    if let Some(s) = stages_label(&icp.funding_stages) {
        words.push(s);
    }
    let industries: Vec<&str> = icp
        .industries
        .iter()
        .map(|s| industry_label(s).unwrap_or(s))
        .collect();
    if !industries.is_empty() {
        words.push(join_and_str(
            &industries.iter().take(2).copied().collect::<Vec<_>>(),
        ));
    }
    words.push("companies".into());
    let places = places(icp);
    if !places.is_empty() {
        let shown: Vec<String> = places.iter().take(3).cloned().collect();
        let more = places.len().saturating_sub(3);
        let mut p = join_and(&shown);
        if more > 0 {
            p.push_str(&format!(" +{more}"));
        }
        words.push(format!("in {p}"));
    }
    words.join(" ")
}

pub fn title(icp: &Icp) -> String {
    let mut t = audience(icp);
    // Capitalise the first letter only ("fintech companies" → "Fintech companies").
    if let Some(first) = t.get(..1) {
        let upper = first.to_uppercase();
        t.replace_range(..1, &upper);
    }
    let people: Vec<&String> = icp.roles.iter().collect();
    if !people.is_empty() {
        let shown: Vec<&str> = people.iter().take(2).map(|s| s.as_str()).collect();
        let mut r = shown.join(" & ");
        if people.len() > 2 {
            r.push_str(&format!(" +{}", people.len() - 2));
        }
        t.push_str(" \u{2014} ");
        t.push_str(&r);
    } else if !icp.hiring_for.is_empty() {
        t.push_str(&format!(" hiring {}", icp.hiring_for[0]));
    }
    t
}

fn join_and_str(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn join_and(items: &[String]) -> String {
    let v: Vec<&str> = items.iter().map(String::as_str).collect();
    join_and_str(&v)
}

fn variants(role: &str) -> String {
    if let Some(f) = role.strip_prefix("VP ") {
        format!("VP of {f}, Vice President {f}")
    } else if let Some(f) = role.strip_prefix("Head of ") {
        format!("Head of {f}, {f} Lead")
    } else if let Some(f) = role.strip_prefix("Director of ") {
        format!("{f} Director, Director of {f}")
    } else if role == "Founder" {
        "Founder, Co-founder".into()
    } else {
        role.to_string()
    }
}

/// The function a role belongs to, for grouping people into steps.
fn function_of(role: &str) -> String {
    let c_level = [
        ("CEO", "leadership"),
        ("Founder", "leadership"),
        ("CTO", "engineering"),
        ("CFO", "finance"),
        ("COO", "operations"),
        ("CMO", "marketing"),
        ("CRO", "sales"),
        ("CIO", "it"),
        ("CISO", "security"),
        ("CPO", "product"),
        ("CDO", "data"),
    ];
    if let Some((_, f)) = c_level.iter().find(|(r, _)| *r == role) {
        return f.to_string();
    }
    let f = ["VP ", "SVP ", "EVP ", "Head of ", "Director of "]
        .iter()
        .find_map(|p| role.strip_prefix(p))
        .unwrap_or(role);
    let lower = f.to_lowercase();
    let aliases = [
        ("engineering", "engineering"),
        ("revenue", "sales"),
        ("sales", "sales"),
        ("business development", "sales"),
        ("growth", "marketing"),
        ("marketing", "marketing"),
        ("finance", "finance"),
        ("operations", "operations"),
        ("people", "people"),
        ("security", "security"),
        ("data", "data"),
        ("product", "product"),
        ("design", "product"),
        ("customer", "customer"),
        ("machine learning", "data"),
        ("platform", "engineering"),
        ("infrastructure", "engineering"),
        ("it", "it"),
        ("legal", "legal"),
        ("procurement", "operations"),
        ("partnerships", "sales"),
    ];
    aliases
        .iter()
        .find(|(a, _)| {
            lower == *a || lower.starts_with(&format!("{a} ")) || lower.ends_with(&format!(" {a}"))
        })
        .map(|(_, f)| f.to_string())
        .unwrap_or_else(|| lower)
}

/// Roles grouped by function, at most three per step and at most `max_groups` steps; when
/// there are more functions than steps, neighbouring groups share a step.
pub fn role_groups(roles: &[String], max_groups: usize) -> Vec<Vec<String>> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for r in roles {
        let f = function_of(r);
        match groups
            .iter_mut()
            .find(|(g, members)| *g == f && members.len() < MAX_ROLES_PER_STEP)
        {
            Some((_, members)) => members.push(r.clone()),
            None => groups.push((f, vec![r.clone()])),
        }
    }
    let mut out: Vec<Vec<String>> = groups.into_iter().map(|(_, m)| m).collect();
    // Merge the smallest neighbours until the plan fits.
    while out.len() > max_groups.max(1) {
        let k = (0..out.len() - 1)
            .min_by_key(|k| out[*k].len() + out[*k + 1].len())
            .unwrap_or(0);
        let next = out.remove(k + 1);
        out[k].extend(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn icp(roles: &[&str]) -> Icp {
        Icp {
            industries: vec!["fintech".into()],
            countries: vec!["FR".into()],
            funding_stages: vec!["series_a".into()],
            roles: roles.iter().map(|r| r.to_string()).collect(),
            ..Icp::default()
        }
    }

    #[test]
    fn discover_then_one_enrich_per_function_then_verify_and_dedupe() {
        let d = draft(&icp(&["VP Engineering", "Head of Growth", "CTO"]), false);
        let intents: Vec<Intent> = d.steps.iter().map(|s| s.intent).collect();
        assert_eq!(
            intents,
            [
                Intent::Discover,
                Intent::Enrich,
                Intent::Enrich,
                Intent::Verify,
                Intent::Dedupe
            ]
        );
        assert_eq!(d.steps[1].roles, ["VP Engineering", "CTO"]);
        assert_eq!(d.steps[2].roles, ["Head of Growth"]);
        assert_eq!(
            d.steps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["stp_1", "stp_2", "stp_3", "stp_4", "stp_5"]
        );
        assert!(
            d.steps[0]
                .task
                .contains("industry=fintech, country=FR, stage=series_a")
        );
        assert_eq!(
            d.title,
            "Series A fintech companies in France \u{2014} VP Engineering & Head of Growth +1"
        );
    }

    #[test]
    fn no_people_means_no_verification() {
        let d = draft(&icp(&[]), false);
        assert!(
            d.steps
                .iter()
                .all(|s| s.intent != Intent::Verify && s.intent != Intent::Enrich)
        );
    }

    #[test]
    fn many_roles_still_fit_twelve_steps_with_at_most_three_per_step_when_possible() {
        let roles: Vec<String> = (0..20).map(|k| format!("Title {k} Specialist")).collect();
        let refs: Vec<&str> = roles.iter().map(String::as_str).collect();
        let d = draft(&icp(&refs), false);
        assert!(d.steps.len() <= MAX_STEPS);
        let pulled: usize = d.steps.iter().map(|s| s.roles.len()).sum();
        assert_eq!(pulled, 20);
    }

    #[test]
    fn attachments_enrich_instead_of_discovering() {
        let d = draft(&icp(&["CTO"]), true);
        assert_eq!(d.steps[0].intent, Intent::Enrich);
        assert_eq!(d.steps[0].title, "Enrich the attached companies");
    }

    #[test]
    fn credits_follow_the_cost_model() {
        // 1 role + funding dimension: (1 + 0.5) per row + 0.1 verify, 200 rows.
        assert_eq!(draft(&icp(&["CTO"]), false).credits_estimate, 320);
    }
}
