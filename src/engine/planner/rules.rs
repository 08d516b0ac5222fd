//! The rule-based planner (placeholder until the planner issue lands its vocabularies).

use async_trait::async_trait;

use super::{PlanDraft, PlanRequest, Planner};
use crate::model::{Error, Icp};

#[derive(Debug, Default, Clone)]
pub struct RulesPlanner;

impl RulesPlanner {
    pub fn new() -> Self {
        Self
    }
}

#[async_trait]
impl Planner for RulesPlanner {
    async fn plan(&self, _request: &PlanRequest) -> Result<PlanDraft, Error> {
        Err(Error::internal("planner not built yet"))
    }

    async fn replan(&self, _previous: &Icp, _feedback: &str) -> Result<PlanDraft, Error> {
        Err(Error::internal("planner not built yet"))
    }
}
