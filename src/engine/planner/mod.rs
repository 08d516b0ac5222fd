//! The planner: plain English → an ICP and a plan (docs/planner.md). Behind a trait so the
//! rule-based planner (default, offline) and an LLM planner can be swapped by configuration.

pub mod llm;
pub mod rules;
pub mod vocab;

use async_trait::async_trait;

use crate::model::{Error, Icp, Step};

pub use llm::{LlmPlanner, LlmPlannerConfig};
pub use rules::RulesPlanner;

/// The longest prompt the API accepts.
pub const MAX_PROMPT_CHARS: usize = 8_000;

/// What the planner is asked.
#[derive(Debug, Clone, Default)]
pub struct PlanRequest {
    /// The new user message.
    pub prompt: String,
    /// Earlier user messages in the thread, oldest first (context for follow-ups).
    pub history: Vec<String>,
    /// `hints.max_rows` from the API or `--max-rows` from the CLI: overrides the prompt's size.
    pub max_rows_hint: Option<u32>,
    /// The message carries a seed list (CSV / URL list) to enrich instead of discovering.
    pub has_attachments: bool,
}

/// A drafted plan, before the engine gives it ids and a pending job.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanDraft {
    pub title: String,
    pub icp: Icp,
    /// At most 12; ids `stp_1`… in order.
    pub steps: Vec<Step>,
    pub credits_estimate: u32,
    /// Shown to the reviewer with the plan (e.g. "the LLM planner failed; rules were used").
    pub notes: Vec<String>,
    /// Spans of the prompt (or LLM answer) the planner could not use; never guessed at.
    pub not_understood: Vec<String>,
    /// The prompt's language when it is not English ("fr"): the assistant answers in it.
    pub lang: Option<&'static str>,
}

impl PlanDraft {
    /// The assistant's plan card, in the prompt's language, naming what was not understood.
    pub fn card(&self) -> String {
        let lang = self.lang.and_then(rules::i18n::language);
        let steps = self.steps.len().to_string();
        let credits = self.credits_estimate.to_string();
        let mut card = lang
            .and_then(|l| l.message("plan"))
            .unwrap_or("{title} \u{2014} {steps} steps, about {credits} credits. Approve to run it, or replan with feedback.")
            .replace("{title}", &self.title)
            .replace("{steps}", &steps)
            .replace("{credits}", &credits);
        if !self.not_understood.is_empty() {
            let words = self.not_understood.join(", ");
            let line = lang
                .and_then(|l| l.message("not_understood"))
                .unwrap_or("Not understood: {words}.")
                .replace("{words}", &words);
            card.push(' ');
            card.push_str(&line);
        }
        card
    }
}

#[async_trait]
pub trait Planner: Send + Sync {
    /// Drafts a plan, or declines with `plan_rejected` and a reason a person can act on.
    /// Callers have already checked the prompt is 1–8,000 characters.
    async fn plan(&self, request: &PlanRequest) -> Result<PlanDraft, Error>;

    /// Edits `previous` according to `feedback` ("only VP Eng", "also Germany", "make it 50
    /// rows", "skip Crunchbase", "trim to under 100 credits") and drafts the new plan.
    async fn replan(&self, previous: &Icp, feedback: &str) -> Result<PlanDraft, Error>;
}
