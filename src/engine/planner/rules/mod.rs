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
        let mut icp = match self.icp(&request.prompt) {
            // An attached list is itself the audience: "enrich these" needs nothing more.
            Err(e) if e.code == ErrorCode::PlanRejected && request.has_attachments => {
                Icp::default()
            }
            other => other?,
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Intent;

    fn request(prompt: &str) -> PlanRequest {
        PlanRequest {
            prompt: prompt.into(),
            ..PlanRequest::default()
        }
    }

    #[test]
    fn the_row_hint_overrides_the_prompt() {
        let r = PlanRequest {
            max_rows_hint: Some(75),
            ..request("top 500 fintechs in Spain")
        };
        assert_eq!(
            RulesPlanner::new()
                .plan_sync(&r)
                .map(|d| d.icp.max_rows)
                .ok(),
            Some(Some(75))
        );
        let r = PlanRequest {
            max_rows_hint: Some(90_000),
            ..request("fintechs in Spain")
        };
        assert_eq!(
            RulesPlanner::new()
                .plan_sync(&r)
                .map(|d| d.icp.max_rows)
                .ok(),
            Some(Some(Icp::MAX_ROWS))
        );
    }

    #[test]
    fn attachments_are_enriched_not_discovered() {
        let r = PlanRequest {
            has_attachments: true,
            ..request("enrich these with the CTO and VP Sales")
        };
        let d = RulesPlanner::new().plan_sync(&r).expect("plan");
        assert_eq!(d.steps[0].intent, Intent::Enrich);
        assert_eq!(d.steps[0].title, "Enrich the attached companies");
        assert!(d.steps.iter().all(|s| s.intent != Intent::Discover));
        let r = PlanRequest {
            has_attachments: true,
            ..request("enrich this list please")
        };
        assert!(RulesPlanner::new().plan_sync(&r).is_ok());
    }

    #[test]
    fn prompts_without_audience_are_rejected_with_an_actionable_reason() {
        for p in [
            "find leads",
            "hello",
            "asdf",
            "",
            "   \n\t",
            "?!?!",
            "...",
            "Please find me some leads",
        ] {
            let e = RulesPlanner::new().plan_sync(&request(p)).expect_err(p);
            assert_eq!(e.code, ErrorCode::PlanRejected, "{p}");
            assert!(
                e.message.contains("audience") && e.message.contains("e.g."),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn over_long_prompts_are_invalid_requests() {
        let e = RulesPlanner::new()
            .plan_sync(&request(&"fintech ".repeat(1_200)))
            .expect_err("too long");
        assert_eq!(e.code, ErrorCode::InvalidRequest);
    }

    #[test]
    fn typos_and_shouting_are_tolerated() {
        let icp = RulesPlanner::new()
            .icp("SERIES A FINTECHS IN GERMNAY, VP ENGINEERING")
            .expect("icp");
        assert_eq!(icp.countries, ["DE"]);
        assert_eq!(icp.funding_stages, ["series_a"]);
        assert_eq!(icp.roles, ["VP Engineering"]);
    }
}
