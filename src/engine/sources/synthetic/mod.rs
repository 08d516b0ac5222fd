//! Test mode's research source: synthetic but plausible leads consistent with the ICP,
//! deterministic for an ICP and a seed. (Placeholder until its generator lands.)

use crate::model::{Company, Icp, Timestamp};

use super::LeadDraft;

/// One generated company, shared by the leads of every role pulled at it.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyDraft {
    pub company: Company,
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// Per-company randomness, so a company's people do not depend on generation order.
    pub seed: u64,
}

#[derive(Debug, Clone)]
pub struct SyntheticSource {
    seed: u64,
}

impl SyntheticSource {
    pub fn new(_icp: &Icp, seed: u64) -> Self {
        Self { seed }
    }

    /// Company number `index` (0-based); the same (ICP, seed, index) always gives the same company.
    pub fn company(&self, index: u32) -> CompanyDraft {
        CompanyDraft {
            company: Company {
                name: format!("Company {index}"),
                ..Company::default()
            },
            fields: Default::default(),
            seed: self.seed ^ u64::from(index),
        }
    }

    /// The lead for `role` (a canonical title) at `company`, or a company-only lead for `None`.
    pub fn lead(&self, company: &CompanyDraft, _role: Option<&str>, _now: Timestamp) -> LeadDraft {
        LeadDraft {
            company: company.company.clone(),
            person: None,
            fields: company.fields.clone(),
            sources: vec![],
            confidence: 0.5,
        }
    }
}
