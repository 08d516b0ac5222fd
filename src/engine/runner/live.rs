//! Live mode's run: the plan's steps over the imported datasets. Companies come from rows that
//! prove the ICP's filters; people from rows whose titles match the plan's roles; every value in
//! a lead is grounded in the rows (and pages) that state it, or left out.

use serde_json::json;

use super::test_mode::role_groups;
use super::{Halt, Runner};
use crate::engine::attachments::Loaded;
use crate::engine::sources::dataset::normalise::fold;
use crate::engine::sources::dataset::query::{self, CompanyFacts};
use crate::engine::sources::dataset::roles::title_matches;
use crate::engine::sources::grounding;
use crate::engine::sources::web::WebSource;
use crate::engine::store::datasets::{self as ds, SourcedRecord};
use crate::model::push::{EnrichProvider, EnrichRequest};
use crate::model::{Error, ErrorCode, Intent, Plan};

/// ICP filters no dataset column can prove: named in the log rather than silently ignored.
fn unchecked(plan: &Plan, web_off: bool) -> Vec<&'static str> {
    let icp = &plan.icp;
    let mut out = Vec::new();
    if !icp.team_size.is_empty() {
        out.push("team size");
    }
    if !icp.hiring_for.is_empty() && web_off {
        out.push("hiring for");
    }
    if icp.funded_within_days.is_some() {
        out.push("funding recency");
    }
    out
}

/// What a live run works from, read once before its steps.
struct LiveWork {
    /// Names of the organisation's datasets (for the log).
    datasets: Vec<String>,
    /// Companies the datasets hold (before the ICP filter).
    checked: usize,
    companies: Vec<CompanyFacts>,
    web: Option<WebSource>,
    groups: Vec<(usize, Vec<String>)>,
    /// People per company (the roles of every group).
    people: usize,
    company_step: Option<usize>,
}

impl Runner {
    pub(super) async fn execute_live(
        &mut self,
        plan: Plan,
        attached: Vec<Loaded>,
    ) -> Result<(), Halt> {
        let work = self.live_work(&plan, &attached).await?;
        for (index, step) in plan.steps.iter().enumerate() {
            self.step = index as u32 + 1;
            self.checkpoint().await?;
            self.emit(
                crate::model::EventKind::Step,
                json!({"step_id": step.id, "status": "started", "title": step.title}),
            )
            .await?;
            self.live_step(index, step, &plan, &work).await?;
            self.flush().await?;
            self.emit(
                crate::model::EventKind::Step,
                json!({"step_id": step.id, "status": "completed", "title": step.title}),
            )
            .await?;
        }
        Ok(())
    }

    /// Reads the rows the run may use and picks its companies: with an attached list, every row
    /// the datasets hold about the listed companies plus the list's own rows, in the list's
    /// order whatever the ICP says; otherwise the companies whose sourced facts match the ICP.
    async fn live_work(&mut self, plan: &Plan, attached: &[Loaded]) -> Result<LiveWork, Halt> {
        let jid = self.job.clone();
        let icp = plan.icp.clone();
        let seeds: Vec<String> = {
            let mut seen = std::collections::HashSet::new();
            attached
                .iter()
                .flat_map(Loaded::company_keys)
                .filter(|k| seen.insert(k.clone()))
                .collect()
        };
        let keys = seeds.clone();
        let (datasets, mut rows) = self
            .engine
            .db(move |s| {
                s.read(|c| {
                    let org = crate::engine::store::jobs::org(c, &jid)?;
                    let rows = if keys.is_empty() {
                        ds::rows_for_icp(c, &org, &icp)?
                    } else {
                        ds::rows_for_companies(c, &org, &keys)?
                    };
                    Ok((ds::list(c, &org)?, rows))
                })
            })
            .await?;
        for a in attached {
            rows.extend(a.records.iter().map(|r| SourcedRecord {
                dataset: format!("attachment-{}", a.name),
                file_name: a.file_name.clone(),
                imported_at: a.loaded_at.millis(),
                record: r.clone(),
            }));
        }
        if datasets.is_empty() && attached.is_empty() {
            return Err(Halt::Failed(Error::new(
                ErrorCode::JobHalted,
                "Live mode has no research sources: import a dataset first (`leadline import FILE`).",
            )));
        }
        let web = match &self.engine.inner.options.web {
            Some(o) => Some(WebSource::new(o.clone())?),
            None => None,
        };
        let candidates = query::companies(&rows);
        let checked = candidates.len();
        let companies: Vec<CompanyFacts> = if seeds.is_empty() {
            candidates
                .into_iter()
                .filter(|c| query::matches(&plan.icp, &grounding::merge(&c.facts)))
                .collect()
        } else {
            let mut by_key: std::collections::HashMap<String, CompanyFacts> =
                candidates.into_iter().map(|c| (c.key.clone(), c)).collect();
            seeds.iter().filter_map(|k| by_key.remove(k)).collect()
        };
        if !attached.is_empty() {
            let names: Vec<&str> = attached.iter().map(|a| a.file_name.as_str()).collect();
            self.log(format!(
                "Enriching the {} companies of the attached list ({}) from {} dataset(s){}",
                companies.len(),
                names.join(", "),
                datasets.len(),
                if web.is_some() {
                    " and their websites"
                } else {
                    ""
                }
            ))
            .await?;
        }
        let groups = role_groups(plan);
        let people: usize = groups.iter().map(|(_, roles)| roles.len()).sum();
        Ok(LiveWork {
            datasets: datasets.into_iter().map(|d| d.name).collect(),
            checked,
            companies,
            web,
            groups,
            people,
            // Company-only plans capture once: at discovery, or at the first enrich step
            // without one.
            company_step: plan
                .steps
                .iter()
                .position(|s| s.intent == Intent::Discover)
                .or_else(|| plan.steps.iter().position(|s| s.intent == Intent::Enrich)),
        })
    }

    /// One step of a live run: what it says it does, then the leads it captures.
    async fn live_step(
        &mut self,
        index: usize,
        step: &crate::model::Step,
        plan: &Plan,
        work: &LiveWork,
    ) -> Result<(), Halt> {
        match step.intent {
            Intent::Discover => {
                self.log(format!(
                    "Searching {} dataset(s) ({}): {}",
                    work.datasets.len(),
                    work.datasets.join(", "),
                    step.task
                ))
                .await?;
                self.log(format!(
                    "Found {} companies whose sourced facts match the profile ({} checked)",
                    work.companies.len(),
                    work.checked
                ))
                .await?;
                let skipped = unchecked(plan, work.web.is_none());
                if !skipped.is_empty() {
                    self.log(format!(
                        "Not checked (no source states it): {}",
                        skipped.join(", ")
                    ))
                    .await?;
                }
            }
            Intent::Enrich => {}
            Intent::Verify if self.engine.modernleads_configured() => {
                self.verify_with_provider().await?;
            }
            Intent::Verify | Intent::Score | Intent::Dedupe => {
                self.log(self.closing_line(step.intent)).await?;
            }
        }
        let roles = work
            .groups
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, r)| r);
        match roles {
            Some(roles) if !roles.is_empty() => self.capture_people(roles, plan, work).await,
            _ if work.people == 0 && work.company_step == Some(index) => {
                self.capture_companies(plan, work).await
            }
            _ => Ok(()),
        }
    }

    /// The people of each company whose titles match `roles`, until the target is reached.
    async fn capture_people(
        &mut self,
        roles: &[String],
        plan: &Plan,
        work: &LiveWork,
    ) -> Result<(), Halt> {
        self.log(format!(
            "Looking for {} at {} companies",
            roles.join(", "),
            work.companies.len()
        ))
        .await?;
        for company in &work.companies {
            if self.full() {
                break;
            }
            let Some(company) = self.with_web(work.web.as_ref(), company, plan).await? else {
                continue;
            };
            for role in roles {
                for person in query::people_for_role(&company, role) {
                    if self.full() {
                        return Ok(());
                    }
                    let draft = query::draft(&company.facts, Some(person), &[]);
                    self.capture(draft).await?;
                }
            }
        }
        Ok(())
    }

    /// A company-only plan: one lead per company, until the target is reached.
    async fn capture_companies(&mut self, plan: &Plan, work: &LiveWork) -> Result<(), Halt> {
        for company in &work.companies {
            if self.full() {
                break;
            }
            let Some(company) = self.with_web(work.web.as_ref(), company, plan).await? else {
                continue;
            };
            let draft = query::draft(&company.facts, None, &[]);
            self.capture(draft).await?;
        }
        Ok(())
    }

    /// The company with what its website proves folded in (people matched by name), or `None`
    /// when the plan asks for open roles the site does not show. Without the web step, as is.
    async fn with_web(
        &mut self,
        web: Option<&WebSource>,
        company: &CompanyFacts,
        plan: &Plan,
    ) -> Result<Option<CompanyFacts>, Halt> {
        let Some(web) = web else {
            return Ok(Some(company.clone()));
        };
        let domain = grounding::merge(&company.facts).text("company.domain");
        let Some(domain) = domain else {
            return Ok(Some(company.clone()));
        };
        self.checkpoint().await?;
        let found = web.research(&domain).await;
        for s in &found.skipped {
            self.log(format!("Skipped {s}")).await?;
        }
        let mut out = company.clone();
        out.facts.extend(found.facts);
        for person in found.people {
            let name = grounding::merge(&person)
                .text("person.full_name")
                .map(|n| fold(&n));
            let existing = out.people.iter_mut().find(|p| {
                grounding::merge(p)
                    .text("person.full_name")
                    .map(|n| fold(&n))
                    == name
            });
            match existing {
                Some(p) => p.extend(person),
                None => out.people.push(person),
            }
        }
        if !plan.icp.hiring_for.is_empty() {
            let hiring = match grounding::merge(&out.facts)
                .fields
                .get("fields.hiring_for")
                .map(|c| c.value.clone())
            {
                Some(serde_json::Value::Array(items)) => items,
                _ => Vec::new(),
            };
            let proven = plan.icp.hiring_for.iter().any(|want| {
                hiring
                    .iter()
                    .filter_map(|h| h.as_str())
                    .any(|h| title_matches(h, want))
            });
            if !proven {
                return Ok(None);
            }
        }
        Ok(Some(out))
    }

    /// The `verify` step with Modern Leads: every captured email is checked (in batches beyond a
    /// few dozen), the verdicts become fields and sources and move each lead's confidence, and
    /// the leads held for the artifact are the verified ones. A provider failure is logged and
    /// the job goes on with unverified emails: verification improves leads, it does not gate them.
    async fn verify_with_provider(&mut self) -> Result<(), Halt> {
        self.flush().await?;
        let jid = self.job.clone();
        let (job, leads) = self
            .engine
            .db(move |s| {
                s.read(|c| {
                    Ok((
                        crate::engine::store::jobs::get(c, &jid)?,
                        crate::engine::store::leads::all(c, &jid)?,
                    ))
                })
            })
            .await?;
        let request = EnrichRequest {
            verify: true,
            ..EnrichRequest::new(EnrichProvider::Modernleads)
        };
        match self.engine.enrich_leads(&job, leads, request, None).await {
            Ok(r) => {
                self.log(format!(
                    "Verified {} email addresses with Modern Leads ({} undeliverable, {} requests)",
                    r.emails_verified + r.emails_invalid,
                    r.emails_invalid,
                    r.requests_sent
                ))
                .await?;
            }
            Err(e) => {
                self.log(format!(
                    "Modern Leads verification failed ({}: {}); emails stay unverified",
                    e.code, e.message
                ))
                .await?;
            }
        }
        // What the verification wrote is what the artifact and the summary report.
        let jid = self.job.clone();
        self.captured = self
            .engine
            .db(move |s| s.read(|c| crate::engine::store::leads::all(c, &jid)))
            .await?;
        Ok(())
    }

    fn full(&self) -> bool {
        self.captured.len() as u64 + self.pending.len() as u64 >= self.target
    }
}
