//! A planner that always drafts the same plan for a given ICP, so live-mode tests and benches
//! exercise the runner and sources without depending on the rule planner's vocabulary.

use async_trait::async_trait;
use leadline::engine::planner::{PlanDraft, PlanRequest, Planner};
use leadline::model::{Error, Icp, Intent, Step};

/// Discover, then one enrich step for the ICP's roles (when it names any), then dedupe.
pub struct FixedPlanner(pub Icp);

pub fn step(n: usize, intent: Intent, roles: &[String]) -> Step {
    Step {
        id: format!("stp_{n}"),
        title: format!("{} step", intent.as_str()),
        intent,
        task: "Filter the datasets by the profile".into(),
        expected_columns: vec![],
        roles: roles.to_vec(),
    }
}

#[async_trait]
impl Planner for FixedPlanner {
    async fn plan(&self, _r: &PlanRequest) -> Result<PlanDraft, Error> {
        let mut steps = vec![step(1, Intent::Discover, &[])];
        if !self.0.roles.is_empty() {
            steps.push(step(2, Intent::Enrich, &self.0.roles));
        }
        steps.push(step(steps.len() + 1, Intent::Dedupe, &[]));
        Ok(PlanDraft {
            title: "Fixed plan".into(),
            icp: self.0.clone(),
            steps,
            credits_estimate: 10,
            notes: vec![],
            not_understood: Vec::new(),
            lang: None,
        })
    }

    async fn replan(&self, _p: &Icp, _f: &str) -> Result<PlanDraft, Error> {
        Err(Error::internal("a fixed plan is not replanned"))
    }
}
