//! The plan inspector.

use crate::model::{Icp, Plan};
use crate::text::sanitize_inline;

#[derive(Debug, Default)]
pub struct PlanState {
    pub plan: Option<Plan>,
    pub scroll: u16,
    /// The audience of the plan a replan replaced, so the inspector can show old → new before
    /// the new plan is approved.
    pub previous_icp: Option<Icp>,
}

impl PlanState {
    pub fn set(&mut self, mut plan: Plan) {
        sanitize_plan(&mut plan);
        if self.plan.as_ref().map(|p| &p.id) != Some(&plan.id) {
            self.scroll = 0;
            self.previous_icp = match self.plan.take() {
                Some(old) if plan.replaces.as_ref() == Some(&old.id) => Some(old.icp),
                // Reloading the same replacement keeps the diff; any other plan drops it.
                _ => None,
            };
        }
        self.plan = Some(plan);
    }
}

/// Planner text can echo the user's prompt (or an LLM's output): clean every string once.
fn sanitize_plan(plan: &mut Plan) {
    plan.title = sanitize_inline(&plan.title);
    for n in plan.notes.iter_mut().chain(plan.not_understood.iter_mut()) {
        *n = sanitize_inline(n);
    }
    for s in &mut plan.steps {
        s.title = sanitize_inline(&s.title);
        s.task = sanitize_inline(&s.task);
        for c in &mut s.expected_columns {
            *c = sanitize_inline(c);
        }
    }
    let icp = &mut plan.icp;
    for list in [
        &mut icp.industries,
        &mut icp.countries,
        &mut icp.regions,
        &mut icp.cities,
        &mut icp.us_states,
        &mut icp.funding_stages,
        &mut icp.roles,
        &mut icp.technologies,
        &mut icp.hiring_for,
        &mut icp.excluded_sources,
    ] {
        for v in list.iter_mut() {
            *v = sanitize_inline(v);
        }
    }
    icp.team_size = std::mem::take(&mut icp.team_size)
        .into_iter()
        .map(|(k, v)| (sanitize_inline(&k), v))
        .collect();
}
