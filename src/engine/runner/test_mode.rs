//! Test mode's side of a run: the synthetic companies (generated, or from an attached list),
//! each with a domain of its own, and how the target rows split between role groups.

use super::super::sources::synthetic::{CompanyDraft, Domains, SyntheticSource};
use crate::model::{Intent, Plan, Step};

/// The companies of one run, generated in index order so each one's domain is claimed after
/// every earlier company's.
pub(super) struct Companies {
    source: SyntheticSource,
    pub list: Vec<CompanyDraft>,
    domains: Domains,
}

impl Companies {
    pub fn new(source: SyntheticSource, seeded: Vec<CompanyDraft>) -> Self {
        let mut domains = Domains::default();
        for d in seeded.iter().filter_map(|c| c.company.domain.as_deref()) {
            domains.keep(d);
        }
        Self {
            source,
            list: seeded,
            domains,
        }
    }

    pub fn source(&self) -> &SyntheticSource {
        &self.source
    }

    /// A fresh search: the first `n` companies of the (ICP, seed).
    pub fn discover(&mut self, n: u32) {
        self.list.clear();
        self.domains = Domains::default();
        self.extend_to(n as usize);
    }

    /// Makes sure company `i` exists.
    pub fn extend_to(&mut self, len: usize) {
        while self.list.len() < len {
            let mut draft = self.source.company(self.list.len() as u32);
            self.domains.claim(&mut draft);
            self.list.push(draft);
        }
    }
}

/// What a test-mode run works from: the role groups and their quotas, and the companies they
/// are drawn from (an attached list's, else generated).
pub(super) struct TestWork {
    pub groups: Vec<(usize, Vec<String>)>,
    pub quotas: Vec<u64>,
    /// People per company (the roles of every group).
    pub people: usize,
    /// Companies of an attached list (0: generated).
    pub listed: usize,
    pub companies_needed: u64,
    /// How far a step may go past its companies to replace duplicates.
    pub max_companies: u64,
    pub companies: Companies,
}

impl TestWork {
    /// Sizes the run; an attached list caps `target` at what its companies can give.
    pub fn new(
        plan: &Plan,
        source: SyntheticSource,
        attached: &[crate::engine::attachments::Loaded],
        target: &mut u64,
    ) -> Self {
        let groups = role_groups(plan);
        let people: usize = groups.iter().map(|(_, roles)| roles.len()).sum();
        // An attached list fixes the companies: the generator invents the rest of each one.
        let seeded = seeded_companies(&source, attached);
        let listed = seeded.len();
        if listed > 0 {
            *target = (*target).min(listed as u64 * people.max(1) as u64);
        }
        let companies_needed = if people == 0 {
            *target
        } else {
            target.div_ceil(people as u64)
        };
        let max_companies = if listed == 0 {
            companies_needed * 2 + 100
        } else {
            listed as u64
        };
        Self {
            quotas: quotas(*target, &groups),
            groups,
            people,
            listed,
            companies_needed,
            max_companies,
            companies: Companies::new(source, seeded),
        }
    }
}

/// Test mode with an attached list: one company per listed company, keeping its name and domain
/// (a name alone gets a generated domain; a domain alone is named after itself).
fn seeded_companies(
    source: &SyntheticSource,
    attached: &[crate::engine::attachments::Loaded],
) -> Vec<CompanyDraft> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for record in attached.iter().flat_map(|a| &a.records) {
        let Some(key) = record.company_key() else {
            continue;
        };
        if !seen.insert(key) {
            continue;
        }
        let mut draft = source.company(out.len() as u32);
        match (&record.company_name, &record.domain) {
            (Some(name), domain) => {
                draft.company.name = name.clone();
                if let Some(d) = domain {
                    draft.company.domain = Some(d.clone());
                }
            }
            (None, Some(domain)) => {
                draft.company.domain = Some(domain.clone());
                draft.company.name = domain_label(domain);
            }
            (None, None) => continue,
        }
        out.push(draft);
    }
    out
}

/// `acme-labs.io` → `Acme Labs`.
fn domain_label(domain: &str) -> String {
    domain
        .split('.')
        .next()
        .unwrap_or(domain)
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each role group's share of the target rows, in proportion to its roles; the remainder goes
/// to the first groups so the shares add up to the target exactly.
fn quotas(target: u64, groups: &[(usize, Vec<String>)]) -> Vec<u64> {
    let people: u64 = groups.iter().map(|(_, r)| r.len() as u64).sum();
    if people == 0 {
        return vec![0; groups.len()];
    }
    let mut shares: Vec<u64> = groups
        .iter()
        .map(|(_, r)| target * r.len() as u64 / people)
        .collect();
    let mut rest = target - shares.iter().sum::<u64>();
    for share in shares.iter_mut() {
        if rest == 0 {
            break;
        }
        *share += 1;
        rest -= 1;
    }
    shares
}

/// Which roles each step pulls: `enrich` steps carry theirs; a plan with roles but no enrich step
/// pulls them all in its first step.
pub(super) fn role_groups(plan: &Plan) -> Vec<(usize, Vec<String>)> {
    let groups: Vec<(usize, Vec<String>)> = plan
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.intent == Intent::Enrich && !s.roles.is_empty())
        .map(|(i, s)| (i, s.roles.clone()))
        .collect();
    if groups.is_empty() && !plan.icp.roles.is_empty() {
        let first = first_capture_step(&plan.steps);
        return vec![(first, plan.icp.roles.clone())];
    }
    groups
}

fn first_capture_step(steps: &[Step]) -> usize {
    steps
        .iter()
        .position(|s| s.intent == Intent::Enrich)
        .or_else(|| steps.iter().position(|s| s.intent == Intent::Discover))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::quotas;

    #[test]
    fn role_groups_share_the_target_in_proportion_and_exactly() {
        let g = |n: usize| (0, vec!["x".to_string(); n]);
        assert_eq!(quotas(200, &[g(2)]), [200]);
        assert_eq!(quotas(200, &[g(1), g(1)]), [100, 100]);
        assert_eq!(quotas(10, &[g(2), g(1)]), [7, 3]);
        assert_eq!(quotas(7, &[g(1), g(1), g(1)]), [3, 2, 2]);
        assert_eq!(quotas(5, &[]), Vec::<u64>::new());
    }
}
