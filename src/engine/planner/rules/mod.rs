//! The rule-based planner: vocabularies and a few small grammars, no network, deterministic.

mod extract;
mod lexicon;
mod lexicons;
mod numbers;
mod replan;
mod roles;
mod sources;
mod stages;
pub mod steps;
mod text;

use async_trait::async_trait;

use super::{MAX_PROMPT_CHARS, PlanDraft, PlanRequest, Planner};
use crate::model::{Error, ErrorCode, Icp};

pub use extract::has_audience;
pub use lexicons::Entity;
pub use roles::title_word;

/// What the planner says when a prompt names nobody to look for.
pub const NO_AUDIENCE: &str = "I couldn't find an audience in that \u{2014} name an industry, a place, a company size \
    or a role, e.g. \"Series A fintechs in France with 20+ engineers, VP Engineering\".";

#[derive(Debug, Default, Clone)]
pub struct RulesPlanner;

impl RulesPlanner {
    pub fn new() -> Self {
        Self
    }

    /// Prompt → ICP, or `plan_rejected` when it names no audience.
    pub fn icp(&self, prompt: &str) -> Result<Icp, Error> {
        if prompt.chars().count() > MAX_PROMPT_CHARS {
            return Err(Error::invalid(format!(
                "The prompt is longer than {MAX_PROMPT_CHARS} characters."
            ))
            .with_param("content"));
        }
        let icp = extract::extract(prompt).icp;
        if !has_audience(&icp) {
            return Err(Error::new(ErrorCode::PlanRejected, NO_AUDIENCE));
        }
        Ok(icp)
    }

    pub fn plan_sync(&self, request: &PlanRequest) -> Result<PlanDraft, Error> {
        let mut icp = self.icp(&request.prompt)?;
        if let Some(hint) = request.max_rows_hint {
            icp.max_rows = Some(hint.clamp(1, Icp::MAX_ROWS));
        }
        Ok(draft(icp, request.has_attachments, Vec::new()))
    }

    pub fn replan_sync(&self, previous: &Icp, feedback: &str) -> Result<PlanDraft, Error> {
        if feedback.chars().count() > MAX_PROMPT_CHARS {
            return Err(Error::invalid(format!(
                "The feedback is longer than {MAX_PROMPT_CHARS} characters."
            ))
            .with_param("feedback"));
        }
        let edit = replan::apply(previous, feedback)?;
        Ok(draft(edit.icp, false, edit.notes))
    }
}

/// Steps, title and credits for an ICP (shared with the LLM planner).
pub fn draft(icp: Icp, has_attachments: bool, notes: Vec<String>) -> PlanDraft {
    let d = steps::draft(&icp, has_attachments);
    PlanDraft {
        title: d.title,
        icp,
        steps: d.steps,
        credits_estimate: d.credits_estimate,
        notes,
    }
}

/// Runs a free-text value through the rule vocabularies (for normalising LLM answers).
pub fn read_value(text: &str) -> Icp {
    extract::extract(text).icp
}

#[async_trait]
impl Planner for RulesPlanner {
    async fn plan(&self, request: &PlanRequest) -> Result<PlanDraft, Error> {
        self.plan_sync(request)
    }

    async fn replan(&self, previous: &Icp, feedback: &str) -> Result<PlanDraft, Error> {
        self.replan_sync(previous, feedback)
    }
}
