//! The rule-based planner: vocabularies and a few small grammars, no network, deterministic.

mod budget;
mod extract;
pub mod i18n;
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

pub use extract::{bounded as bounded_unread, has_audience};
pub use lexicons::Entity;
pub use replan::widened;
pub use roles::title_word;

/// What the planner says when a prompt names nobody to look for.
/// The clarifying question when the only roles in a prompt are words the planner does not know.
pub const UNKNOWN_ROLES: &str = "I don't know these roles:";
const WHICH_ROLES: &str = "Which roles should I pull (e.g. CTO, VP Engineering, Head of Sales)?";

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
        self.read(prompt).map(|e| e.icp)
    }

    /// Prompt → everything the rules read from it, or `plan_rejected` (in the prompt's
    /// language) when it names no audience or its only roles are words the planner does not know.
    pub fn read(&self, prompt: &str) -> Result<extract::Extraction, Error> {
        if prompt.chars().count() > MAX_PROMPT_CHARS {
            return Err(Error::invalid(format!(
                "The prompt is longer than {MAX_PROMPT_CHARS} characters."
            ))
            .with_param("content"));
        }
        let e = extract::extract(prompt);
        let lang = e.lang.and_then(i18n::language);
        if e.icp.roles.is_empty() && e.icp.hiring_for.is_empty() && !e.unknown_roles.is_empty() {
            let words = e.unknown_roles.join(", ");
            let message = match lang.and_then(|l| l.message("unknown_roles")) {
                Some(m) => m.replace("{words}", &words),
                None => format!("{UNKNOWN_ROLES} {words}. {WHICH_ROLES}"),
            };
            return Err(Error::new(ErrorCode::PlanRejected, message));
        }
        if !has_audience(&e.icp) {
            let message = lang
                .and_then(|l| l.message("rejected"))
                .unwrap_or(NO_AUDIENCE);
            return Err(Error::new(ErrorCode::PlanRejected, message));
        }
        Ok(e)
    }

    pub fn plan_sync(&self, request: &PlanRequest) -> Result<PlanDraft, Error> {
        let (mut icp, not_understood, lang) = match self.read(&request.prompt) {
            // An attached list is itself the audience: "enrich these" needs nothing more.
            Err(e) if e.code == ErrorCode::PlanRejected && request.has_attachments => {
                (Icp::default(), Vec::new(), None)
            }
            other => {
                let e = other?;
                (e.icp, e.not_understood, e.lang)
            }
        };
        if let Some(hint) = request.max_rows_hint {
            icp.max_rows = Some(hint.clamp(1, Icp::MAX_ROWS));
        }
        let mut d = draft(icp, request.has_attachments, Vec::new());
        d.not_understood = not_understood;
        d.lang = lang;
        Ok(d)
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
        ..PlanDraft::default()
    }
}

/// Runs a free-text value through the rule vocabularies (for normalising LLM answers).
pub fn read_value(text: &str) -> Icp {
    extract::extract(text).icp
}

/// Like [`read_value`], but only when every word of `text` was understood: "Je Veux Le VP" is
/// not the role "VP" with some words left over.
pub fn read_whole_value(text: &str) -> Option<Icp> {
    let e = extract::extract(text);
    e.not_understood.is_empty().then_some(e.icp)
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
