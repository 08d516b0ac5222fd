//! The credit cost model (docs/planner.md, "The credit estimate"), shared by the
//! planner's estimate and the runner's metering so the two can never disagree.
//!
//! A row is one lead: a company and at most one person. The table prices a *company* row with its
//! people, so a plan that pulls k roles spreads one company's cost over its k leads.

use crate::model::{Icp, Intent, Step};

/// Cost of one company row with `people` people enriched (the table's middle of each range).
fn company_cost(people: usize) -> f64 {
    match people {
        0 => 0.5,
        1 => 1.0,
        2 => 1.5,
        3 => 2.0,
        n => 2.0 + 0.5 * (n - 3) as f64,
    }
}

/// Deep-enrich dimensions the ICP asks for: hiring, tech stack, funding (and team size, which is
/// a headcount-by-department lookup).
pub fn deep_dimensions(icp: &Icp) -> usize {
    [
        !icp.hiring_for.is_empty(),
        !icp.technologies.is_empty(),
        !icp.funding_stages.is_empty() || icp.funded_within_days.is_some(),
        !icp.team_size.is_empty(),
    ]
    .into_iter()
    .filter(|b| *b)
    .count()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostModel {
    /// Credits per captured lead (fractional; rounded up at the end of a job).
    pub per_row: f64,
}

impl CostModel {
    pub fn new(icp: &Icp, steps: &[Step]) -> Self {
        let people = icp.roles.len();
        let per_company = company_cost(people) + 0.5 * deep_dimensions(icp) as f64;
        let mut per_row = per_company / people.max(1) as f64;
        if people > 0 && steps.iter().any(|s| s.intent == Intent::Verify) {
            per_row += 0.1;
        }
        Self { per_row }
    }

    /// Credits for `rows` leads, rounded up.
    pub fn credits(&self, rows: u64) -> u32 {
        let raw = (self.per_row * rows as f64 - 1e-9).ceil().max(0.0);
        raw.min(u32::MAX as f64) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(intent: Intent) -> Step {
        Step {
            id: "stp_1".into(),
            title: String::new(),
            intent,
            task: String::new(),
            expected_columns: vec![],
            roles: vec![],
        }
    }

    #[test]
    fn one_person_per_company_costs_one_credit_a_row_plus_verification() {
        let icp = Icp {
            roles: vec!["CTO".into()],
            ..Icp::default()
        };
        let m = CostModel::new(&icp, &[step(Intent::Discover), step(Intent::Verify)]);
        assert!((m.per_row - 1.1).abs() < 1e-9);
        assert_eq!(m.credits(100), 110);
    }

    #[test]
    fn company_only_discovery_is_half_a_credit_and_rounds_up() {
        let m = CostModel::new(&Icp::default(), &[step(Intent::Discover)]);
        assert_eq!(m.credits(3), 2);
        assert_eq!(m.credits(0), 0);
    }

    #[test]
    fn two_roles_share_a_company_and_deep_dimensions_add_half_a_credit() {
        let icp = Icp {
            roles: vec!["VP Engineering".into(), "Head of Growth".into()],
            funding_stages: vec!["series_a".into()],
            ..Icp::default()
        };
        // (1.5 + 0.5) / 2 per lead
        let m = CostModel::new(&icp, &[]);
        assert!((m.per_row - 1.0).abs() < 1e-9);
    }
}
