//! The ideal customer profile: the structured filter the planner extracts from a prompt and every
//! research source filters on (docs/planner.md, "The ICP object"). Every key is always serialised.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An inclusive numeric range; either bound may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub min: Option<u32>,
    pub max: Option<u32>,
}

impl Range {
    pub fn is_open(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }

    pub fn contains(&self, n: u32) -> bool {
        self.min.is_none_or(|min| n >= min) && self.max.is_none_or(|max| n <= max)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Icp {
    /// Slugs from the fixed vocabulary of docs/planner.md, "Industries" (`fintech`, `devtools`, …).
    pub industries: Vec<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub countries: Vec<String>,
    /// `EU EUROPE DACH NORDICS BENELUX NA LATAM APAC SEA MENA`.
    pub regions: Vec<String>,
    pub cities: Vec<String>,
    /// USPS codes.
    pub us_states: Vec<String>,
    pub funding_stages: Vec<String>,
    pub employees: Range,
    /// Per department (`engineering`, `sales`, …).
    pub team_size: BTreeMap<String, Range>,
    /// Canonical titles (`VP Engineering`, `CTO`, `Founder`).
    pub roles: Vec<String>,
    pub technologies: Vec<String>,
    pub hiring_for: Vec<String>,
    pub funded_within_days: Option<u32>,
    pub max_rows: Option<u32>,
    pub excluded_sources: Vec<String>,
}

impl Icp {
    /// Rows a job produces when neither the prompt nor a hint says how many.
    pub const DEFAULT_ROWS: u32 = 200;
    /// The hard cap on rows in one job's artifact.
    pub const MAX_ROWS: u32 = 10_000;

    /// The number of rows a job for this ICP aims to capture.
    pub fn target_rows(&self) -> u32 {
        self.max_rows
            .unwrap_or(Self::DEFAULT_ROWS)
            .clamp(1, Self::MAX_ROWS)
    }
}

impl Icp {
    /// The ICP as readable filters, in review order, skipping what the prompt did not say:
    /// `[("Industries", "fintech"), ("Team size", "engineering ≥ 20"), …]`.
    pub fn filters(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut list = |label: &'static str, items: &[String]| {
            if !items.is_empty() {
                out.push((label, items.join(", ")));
            }
        };
        list("Industries", &self.industries);
        list("Countries", &self.countries);
        list("Regions", &self.regions);
        list("Cities", &self.cities);
        list("US states", &self.us_states);
        let stages: Vec<String> = self
            .funding_stages
            .iter()
            .map(|s| s.replace('_', " "))
            .collect();
        list("Funding", &stages);
        list("Roles", &self.roles);
        list("Technologies", &self.technologies);
        list("Hiring for", &self.hiring_for);
        list("Skip sources", &self.excluded_sources);
        if !self.employees.is_open() {
            out.push(("Employees", describe_range(&self.employees)));
        }
        if !self.team_size.is_empty() {
            let teams: Vec<String> = self
                .team_size
                .iter()
                .map(|(dept, r)| format!("{dept} {}", describe_range(r)))
                .collect();
            out.push(("Team size", teams.join(", ")));
        }
        if let Some(days) = self.funded_within_days {
            out.push(("Funded within", format!("{days} days")));
        }
        out.push((
            "Rows",
            match self.max_rows {
                Some(n) => n.to_string(),
                None => format!("{} (default)", Self::DEFAULT_ROWS),
            },
        ));
        out
    }
}

/// `≥ 20`, `≤ 199`, `50–250`.
pub fn describe_range(r: &Range) -> String {
    match (r.min, r.max) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥ {a}"),
        (None, Some(b)) => format!("≤ {b}"),
        (None, None) => "any".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_serialised_even_when_empty() {
        // In declaration order, as docs/planner.md lists them ("The ICP object"; the struct
        // serialises in field order).
        let text = serde_json::to_string(&Icp::default()).unwrap();
        let keys = [
            "industries",
            "countries",
            "regions",
            "cities",
            "us_states",
            "funding_stages",
            "employees",
            "team_size",
            "roles",
            "technologies",
            "hiring_for",
            "funded_within_days",
            "max_rows",
            "excluded_sources",
        ];
        let positions: Vec<usize> = keys
            .iter()
            .map(|k| {
                text.find(&format!("\"{k}\":"))
                    .unwrap_or_else(|| panic!("{k} missing: {text}"))
            })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        let json = serde_json::to_value(Icp::default()).unwrap();
        assert_eq!(json.as_object().unwrap().len(), keys.len());
        assert_eq!(
            json["employees"],
            serde_json::json!({"min": null, "max": null})
        );
    }

    #[test]
    fn filters_read_like_a_reviewer_would_say_them() {
        let mut icp = Icp {
            industries: vec!["fintech".into()],
            countries: vec!["FR".into()],
            funding_stages: vec!["series_a".into()],
            roles: vec!["VP Engineering".into(), "Head of Growth".into()],
            ..Icp::default()
        };
        icp.team_size.insert(
            "engineering".into(),
            Range {
                min: Some(20),
                max: None,
            },
        );
        let f = icp.filters();
        assert!(f.contains(&("Funding", "series a".to_string())));
        assert!(f.contains(&("Team size", "engineering ≥ 20".to_string())));
        assert!(f.contains(&("Roles", "VP Engineering, Head of Growth".to_string())));
        assert_eq!(f.last(), Some(&("Rows", "200 (default)".to_string())));
    }

    #[test]
    fn target_rows_defaults_to_200_and_caps_at_10000() {
        let mut icp = Icp::default();
        assert_eq!(icp.target_rows(), 200);
        icp.max_rows = Some(50_000);
        assert_eq!(icp.target_rows(), 10_000);
    }
}
