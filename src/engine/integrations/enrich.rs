//! Enriching a job's leads with Modern Leads: verify their emails, look up missing ones, score
//! their companies against the ICP. What the provider says becomes lead fields backed by a
//! `provider` source, the email's verdict moves the lead's confidence by the grounding rule, and
//! every changed lead is rewritten in one transaction at the end.
//!
//! Up to [`SINGLE_LIMIT`] items go one request each (a few at a time); more go through the batch
//! endpoints, polled until done, so 10,000 leads cost a handful of requests, not 10,000.
//!
//! A fatal answer midway (bad key, no credits, missing scope, rate limit outlasting the retries)
//! stops the enrichment; what was learned before it is still written and the error says so. A
//! second run skips what the first learned, so nothing is paid for twice.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use serde_json::{Value, json};

use super::modernleads::{
    self, BatchRow, LookupRequest, LookupResponse, ModernLeads, QualifyRequest, VerifyResponse,
};
use crate::engine::Engine;
use crate::engine::sources::grounding::{self, Strength};
use crate::engine::store::{self, scope::Scope};
use crate::model::push::{
    EnrichProvider, EnrichRequest, EnrichResult, IntegrationProgress, ProgressSender, PushItemIssue,
};
use crate::model::{
    EnrichmentId, Error, ErrorCode, Job, JobId, JobStatus, Lead, Source, SourceKind, Timestamp,
};
use crate::text::sanitize_inline;

const PROVIDER: &str = "modernleads";
/// Up to this many distinct items a step sends one request each; beyond, the batch endpoint.
pub const SINGLE_LIMIT: usize = 50;

/// Fields an enrichment writes that describe other facts (the email's deliverability) or judge
/// the lead (its fit): they are not facts about the company or person, so they do not count in
/// the lead's confidence.
const META_FIELDS: &[&str] = &[
    "email_status",
    "email_verified",
    "email_deliverable",
    "email_lookup",
    "fit_score",
    "fit_label",
    "fit_reason",
];

const VERIFY: &str = "/v1/verify/email";
const LOOKUP: &str = "/v1/lookup";
const QUALIFY: &str = "/v1/qualify";

/// What the provider said about one lead.
#[derive(Debug, Clone)]
enum Finding {
    Verified {
        url: String,
        status: String,
        verified: bool,
        deliverable: Option<bool>,
    },
    Lookup {
        url: String,
        status: String,
        email: Option<String>,
        verified: bool,
    },
    Qualified {
        url: String,
        score: f64,
        label: String,
        reason: Option<String>,
    },
}

/// An email's verdict, as far as the lead's confidence is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Good,
    Bad,
    Unknown,
}

fn verdict(status: &str, verified: bool, deliverable: Option<bool>) -> Verdict {
    let status = status.to_ascii_lowercase();
    if deliverable == Some(false)
        || matches!(
            status.as_str(),
            "invalid" | "undeliverable" | "bounce" | "bounced" | "disposable"
        )
    {
        Verdict::Bad
    } else if verified {
        Verdict::Good
    } else {
        // catch_all, unknown, risky: neither raises nor lowers.
        Verdict::Unknown
    }
}

/// State shared by the steps of one enrichment.
struct Run<'a> {
    client: &'a ModernLeads,
    concurrency: usize,
    progress: Option<ProgressSender>,
    done: u64,
    total: u64,
    findings: Vec<(usize, Finding)>,
    errors: Vec<PushItemIssue>,
    credits: f64,
    fatal: Option<Error>,
    batch_name: String,
}

impl Run<'_> {
    fn tick(&mut self) {
        self.done += 1;
        if let Some(p) = &self.progress {
            p.send_replace(IntegrationProgress {
                done: self.done.min(self.total),
                total: self.total,
            });
        }
    }

    /// Records a failed request for each lead it carried; a fatal one stops the enrichment.
    fn failed(&mut self, leads: &[Lead], idxs: &[usize], e: Error) {
        if modernleads::is_fatal(&e) {
            self.fatal.get_or_insert(e);
            return;
        }
        for &i in idxs {
            self.errors.push(PushItemIssue {
                item: leads[i].id.to_string(),
                code: e.code.as_str().to_string(),
                message: e.message.clone(),
            });
        }
    }

    /// [`Run::failed`] for every lead of a batch's groups; true when the enrichment must stop.
    fn failed_batch<K>(&mut self, leads: &[Lead], chunk: &[(K, Vec<usize>)], e: Error) -> bool {
        let all: Vec<usize> = chunk.iter().flat_map(|(_, i)| i.iter().copied()).collect();
        self.failed(leads, &all, e);
        self.fatal.is_some()
    }
}

/// Leads grouped by the item a request carries (an email, a person, a domain), first-seen order.
type Groups<K> = Vec<(K, Vec<usize>)>;

fn group<K: std::hash::Hash + Eq + Clone>(items: impl Iterator<Item = (K, usize)>) -> Groups<K> {
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut out: Groups<K> = Vec::new();
    for (k, i) in items {
        match index.get(&k) {
            Some(&g) => out[g].1.push(i),
            None => {
                index.insert(k.clone(), out.len());
                out.push((k, vec![i]));
            }
        }
    }
    out
}

fn units(n: usize) -> u64 {
    if n == 0 {
        0
    } else if n <= SINGLE_LIMIT {
        n as u64
    } else {
        n.div_ceil(modernleads::MAX_BATCH) as u64
    }
}

impl Engine {
    /// Enriches a finished job's leads with a provider and stores what it learned.
    pub async fn enrich(
        &self,
        job: &JobId,
        request: EnrichRequest,
        progress: Option<ProgressSender>,
    ) -> Result<EnrichResult, Error> {
        let request = request.normalised();
        let (job, leads) = self.enrich_inputs(job).await?;
        check_enrichable(&job)?;
        self.enrich_leads(&job, leads, request, progress).await
    }

    /// Whether Modern Leads is configured (a key is set): live jobs' `verify` steps use it then.
    pub(crate) fn modernleads_configured(&self) -> bool {
        let settings = &self.inner.options.integrations;
        ModernLeads::with_tuning(
            &settings.providers.modernleads,
            &settings.secrets,
            settings.modernleads.clone(),
        )
        .is_ok()
    }

    /// Enriches `leads` (the job's, as stored) and writes back what changed. The job may still be
    /// running: a live job's `verify` step calls this between its steps.
    pub(crate) async fn enrich_leads(
        &self,
        job: &Job,
        mut leads: Vec<Lead>,
        request: EnrichRequest,
        progress: Option<ProgressSender>,
    ) -> Result<EnrichResult, Error> {
        let request = request.normalised();
        let settings = &self.inner.options.integrations;
        let client = ModernLeads::with_tuning(
            &settings.providers.modernleads,
            &settings.secrets,
            settings.modernleads.clone(),
        )?;
        if !client.is_test_key() && leads.iter().any(|l| !l.livemode) {
            return Err(Error::invalid(format!(
                "job {} holds test-mode (synthetic) leads; their emails are invented, so a live Modern Leads key would pay to check them. Use an ml_test_… key for demos, or run the search in live mode.",
                job.id
            ))
            .with_param("provider"));
        }

        let verify: Groups<String> = if request.verify {
            group(leads.iter().enumerate().filter_map(|(i, l)| {
                let email = lead_email(l)?;
                (!learned(l, "fields.email_status")).then(|| (email.to_ascii_lowercase(), i))
            }))
        } else {
            Vec::new()
        };
        let lookup: Groups<LookupKey> = if request.lookup {
            group(
                leads
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| lead_email(l).is_none() && !learned(l, "fields.email_lookup"))
                    .filter_map(|(i, l)| Some((LookupKey::of(l)?, i))),
            )
        } else {
            Vec::new()
        };
        let qualify: Groups<String> = if request.qualify {
            group(leads.iter().enumerate().filter_map(|(i, l)| {
                let domain = lead_domain(l)?;
                (!learned(l, "fields.fit_score")).then_some((domain, i))
            }))
        } else {
            Vec::new()
        };

        let mut asked = vec![false; leads.len()];
        for (_, idxs) in verify.iter().chain(qualify.iter()) {
            for &i in idxs {
                asked[i] = true;
            }
        }
        for (_, idxs) in &lookup {
            for &i in idxs {
                asked[i] = true;
            }
        }
        let skipped = asked.iter().filter(|a| !**a).count() as u64;

        let mut run = Run {
            client: &client,
            concurrency: settings.concurrency.max(1),
            progress,
            done: 0,
            total: units(verify.len()) + units(lookup.len()) + qualify.len() as u64,
            findings: Vec::new(),
            errors: Vec::new(),
            credits: 0.0,
            fatal: None,
            batch_name: format!("leadline {}", job.id),
        };
        if let Some(p) = &run.progress {
            p.send_replace(IntegrationProgress {
                done: 0,
                total: run.total,
            });
        }

        run_verify(&mut run, &leads, verify).await;
        if run.fatal.is_none() {
            run_lookup(&mut run, &leads, lookup).await;
        }
        if run.fatal.is_none() {
            run_qualify(&mut run, &leads, qualify).await;
        }

        let now = Timestamp::now();
        let mut result = EnrichResult {
            enrichment_id: EnrichmentId::generate(),
            object: "enrichment".into(),
            job_id: job.id.clone(),
            provider: EnrichProvider::Modernleads,
            leads_updated: 0,
            emails_verified: 0,
            emails_invalid: 0,
            emails_found: 0,
            companies_qualified: 0,
            skipped,
            errors: std::mem::take(&mut run.errors),
            provider_credits: run.credits,
            requests_sent: client.requests_sent(),
            created_at: now,
        };
        let fatal = run.fatal.take();
        let findings = std::mem::take(&mut run.findings);
        drop(run);

        let mut changed = vec![false; leads.len()];
        let mut qualified_domains: Vec<&str> = Vec::new();
        let mut by_lead: HashMap<usize, Vec<Finding>> = HashMap::new();
        for (i, f) in findings {
            match &f {
                Finding::Verified {
                    status,
                    verified,
                    deliverable,
                    ..
                } => match verdict(status, *verified, *deliverable) {
                    Verdict::Good => result.emails_verified += 1,
                    Verdict::Bad => result.emails_invalid += 1,
                    Verdict::Unknown => {}
                },
                Finding::Lookup { email: Some(_), .. } => result.emails_found += 1,
                Finding::Lookup { .. } => {}
                Finding::Qualified { .. } => {
                    if let Some(d) = leads[i].company.domain.as_deref()
                        && !qualified_domains.iter().any(|q| q.eq_ignore_ascii_case(d))
                    {
                        qualified_domains.push(d);
                    }
                }
            }
            by_lead.entry(i).or_default().push(f);
        }
        result.companies_qualified = qualified_domains.len() as u64;
        for (i, fs) in by_lead {
            changed[i] = apply(&mut leads[i], &fs, now);
        }
        let mut updated: Vec<Lead> = leads
            .into_iter()
            .zip(changed)
            .filter_map(|(l, c)| c.then_some(l))
            .collect();
        updated.shrink_to_fit();
        result.leads_updated = updated.len() as u64;

        let stored = result.clone();
        self.db(move |s| {
            s.write(|c| {
                store::leads::update_batch(c, &updated)?;
                store::pushes::insert_enrichment(c, &stored)
            })
        })
        .await?;
        self.announce();

        match fatal {
            Some(e) => Err(Error::new(
                e.code,
                format!(
                    "{} The enrichment stopped there; {} lead(s) enriched before it were saved. Run it again once fixed: leads already enriched are skipped, so nothing is paid for twice.",
                    e.message, result.leads_updated
                ),
            )),
            None => Ok(result),
        }
    }

    async fn enrich_inputs(&self, job: &JobId) -> Result<(Job, Vec<Lead>), Error> {
        let (id, org) = (job.clone(), self.scope_org());
        self.db(move |s| {
            s.read(|c| {
                Scope(&org).job(c, &id)?;
                let job = store::jobs::get(c, &id)?;
                let leads = store::leads::all(c, &id)?;
                Ok((job, leads))
            })
        })
        .await
    }
}

fn check_enrichable(job: &Job) -> Result<(), Error> {
    if !matches!(job.status, JobStatus::Succeeded | JobStatus::Stopped) {
        return Err(Error::conflict(format!(
            "job {} is {}; only a succeeded or stopped job's leads can be enriched.",
            job.id,
            job.status.as_str()
        )));
    }
    Ok(())
}

fn lead_email(l: &Lead) -> Option<&str> {
    l.person
        .as_ref()?
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| e.contains('@'))
}

fn lead_domain(l: &Lead) -> Option<String> {
    l.company
        .domain
        .as_deref()
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty())
}

fn is_ours(s: &Source) -> bool {
    s.kind == SourceKind::Provider && s.name.as_deref() == Some(PROVIDER)
}

/// Whether an earlier enrichment already learned `path` for this lead.
fn learned(l: &Lead, path: &str) -> bool {
    l.sources_for(path).any(is_ours)
}

/// A person as `/v1/lookup` and `/v1/batch/enrich` know them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct LookupKey {
    first: String,
    last: String,
    /// The domain, else the LinkedIn URL.
    place: String,
}

impl LookupKey {
    fn of(l: &Lead) -> Option<Self> {
        let r = lookup_request(l)?;
        Some(Self::from_parts(
            &r.first_name,
            &r.last_name,
            r.domain.as_deref().or(r.linkedin_url.as_deref())?,
        ))
    }

    fn from_parts(first: &str, last: &str, place: &str) -> Self {
        let fold = |s: &str| s.trim().to_lowercase();
        Self {
            first: fold(first),
            last: fold(last),
            place: fold(place).trim_end_matches('/').to_string(),
        }
    }

    fn of_row(r: &BatchRow) -> Option<Self> {
        Some(Self::from_parts(
            r.first_name.as_deref()?,
            r.last_name.as_deref()?,
            r.domain.as_deref().or(r.linkedin_url.as_deref())?,
        ))
    }
}

/// The lookup for a lead's person: a first and a last name, and the company domain (else the
/// person's LinkedIn URL).
fn lookup_request(l: &Lead) -> Option<LookupRequest> {
    let p = l.person.as_ref()?;
    let mut names = p.full_name.split_whitespace();
    let first = names.next()?.to_string();
    let last = names.collect::<Vec<_>>().join(" ");
    if last.is_empty() {
        return None;
    }
    let domain = lead_domain(l);
    let linkedin_url = match &domain {
        Some(_) => None,
        None => p.linkedin.clone().filter(|u| !u.trim().is_empty()),
    };
    if domain.is_none() && linkedin_url.is_none() {
        return None;
    }
    Some(LookupRequest {
        first_name: first,
        last_name: last,
        domain,
        linkedin_url,
        lookup_type: None,
        company_name: Some(l.company.name.clone()).filter(|n| !n.is_empty()),
        job_title: p.title.clone(),
        country: l.company.hq_country.clone(),
    })
}

fn qualify_request(l: &Lead, domain: &str) -> QualifyRequest {
    let text = |k: &str| {
        l.fields
            .get(k)
            .and_then(Value::as_str)
            .map(|s| s.chars().take(1000).collect::<String>())
    };
    QualifyRequest {
        domain: domain.to_string(),
        company_name: Some(l.company.name.clone()).filter(|n| !n.is_empty()),
        employees: l.fields.get("employees").and_then(Value::as_u64),
        industry: text("industry"),
        description: text("description"),
        ..QualifyRequest::default()
    }
}

async fn run_verify(run: &mut Run<'_>, leads: &[Lead], groups: Groups<String>) {
    if groups.is_empty() {
        return;
    }
    let url = run.client.url(VERIFY);
    if groups.len() <= SINGLE_LIMIT {
        let client = run.client;
        let calls = groups.into_iter().map(|(_, idxs)| {
            // The lead's own spelling goes out; grouping was by the lowercased address.
            let email = lead_email(&leads[idxs[0]]).unwrap_or_default().to_string();
            (
                idxs,
                async move { client.verify_email(&email).await }.boxed(),
            )
        });
        singles(run, leads, calls, |v| {
            (v.credits_charged, verified(&url, v))
        })
        .await;
        return;
    }
    for chunk in groups.chunks(modernleads::MAX_BATCH) {
        let emails: Vec<String> = chunk
            .iter()
            .map(|(_, idxs)| lead_email(&leads[idxs[0]]).unwrap_or_default().to_string())
            .collect();
        let name = run.batch_name.clone();
        let rows = match batch(run, |c| c.batch_verify(&emails, Some(&name))).await {
            Ok(rows) => rows,
            Err(e) => {
                if run.failed_batch(leads, chunk, e) {
                    return;
                }
                continue;
            }
        };
        let (batch_url, rows) = rows;
        let mut by_email: HashMap<String, BatchRow> = HashMap::with_capacity(rows.len());
        for r in rows {
            if let Some(e) = &r.email {
                by_email.insert(e.trim().to_ascii_lowercase(), r);
            }
        }
        for (email, idxs) in chunk {
            match by_email.get(email) {
                Some(r) => {
                    let v = VerifyResponse {
                        email: email.clone(),
                        status: r.status.clone().unwrap_or_default(),
                        verified: r.verified.unwrap_or(false),
                        deliverable: r.deliverable,
                        ..VerifyResponse::default()
                    };
                    for &i in idxs {
                        run.findings.push((i, verified(&batch_url, &v)));
                    }
                }
                None => missing_result(run, leads, idxs, &batch_url),
            }
        }
    }
}

fn verified(url: &str, v: &VerifyResponse) -> Finding {
    Finding::Verified {
        url: url.to_string(),
        status: sanitize_inline(&v.status),
        verified: v.verified,
        deliverable: v.deliverable,
    }
}

fn missing_result(run: &mut Run<'_>, leads: &[Lead], idxs: &[usize], batch_url: &str) {
    for &i in idxs {
        run.errors.push(PushItemIssue {
            item: leads[i].id.to_string(),
            code: ErrorCode::Integration.as_str().to_string(),
            message: format!("Modern Leads batch {batch_url} returned no result for this lead."),
        });
    }
}

/// Submits a batch, polls it to the end and downloads its rows. Returns the batch's URL (the
/// source of what it says) and its rows.
async fn batch<'c, F, Fut>(run: &mut Run<'c>, submit: F) -> Result<(String, Vec<BatchRow>), Error>
where
    F: FnOnce(&'c ModernLeads) -> Fut,
    Fut: std::future::Future<Output = Result<modernleads::BatchCreated, Error>>,
{
    let client = run.client;
    let created = submit(client).await?;
    let id = created.batch_id.clone();
    let status = client.wait_for_batch(&id, |_| {}).await?;
    if status.status == "failed" {
        return Err(Error::new(
            ErrorCode::Integration,
            format!(
                "Modern Leads batch {} failed on its side; run the enrichment again.",
                sanitize_inline(&id)
            ),
        ));
    }
    let results = client.batch_download(&id).await?;
    run.credits += status
        .credits_charged
        .or(results.credits_charged)
        .unwrap_or(0.0);
    run.tick();
    let batch_url = run.client.url(&format!(
        "/v1/batch/{}",
        url::form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
    ));
    Ok((batch_url, results.results))
}

async fn run_lookup(run: &mut Run<'_>, leads: &[Lead], groups: Groups<LookupKey>) {
    if groups.is_empty() {
        return;
    }
    let url = run.client.url(LOOKUP);
    if groups.len() <= SINGLE_LIMIT {
        let client = run.client;
        let calls = groups.into_iter().filter_map(|(_, idxs)| {
            let mut req = lookup_request(&leads[idxs[0]])?;
            req.lookup_type = Some("email".into());
            Some((idxs, async move { client.lookup(&req).await }.boxed()))
        });
        singles(run, leads, calls, |r| {
            (r.credits_charged, looked_up(&url, r))
        })
        .await;
        return;
    }
    for chunk in groups.chunks(modernleads::MAX_BATCH) {
        let rows: Vec<LookupRequest> = chunk
            .iter()
            .filter_map(|(_, idxs)| lookup_request(&leads[idxs[0]]))
            .collect();
        let name = run.batch_name.clone();
        let (batch_url, results) = match batch(run, |c| c.batch_enrich(&rows, Some(&name))).await {
            Ok(r) => r,
            Err(e) => {
                if run.failed_batch(leads, chunk, e) {
                    return;
                }
                continue;
            }
        };
        drop(rows);
        let mut by_key: HashMap<LookupKey, BatchRow> = HashMap::with_capacity(results.len());
        for r in results {
            if let Some(k) = LookupKey::of_row(&r) {
                by_key.insert(k, r);
            }
        }
        for (key, idxs) in chunk {
            match by_key.get(key) {
                Some(r) => {
                    let l = LookupResponse {
                        email: r.email.clone(),
                        status: r.status.clone().unwrap_or_default(),
                        verified: r.verified.unwrap_or(false),
                        ..LookupResponse::default()
                    };
                    for &i in idxs {
                        run.findings.push((i, looked_up(&batch_url, &l)));
                    }
                }
                None => missing_result(run, leads, idxs, &batch_url),
            }
        }
    }
}

fn looked_up(url: &str, r: &LookupResponse) -> Finding {
    let email = r
        .email
        .as_deref()
        .map(|e| sanitize_inline(e).trim().to_string())
        .filter(|e| e.contains('@') && !e.contains(char::is_whitespace));
    Finding::Lookup {
        url: url.to_string(),
        status: sanitize_inline(&r.status),
        email: email.filter(|_| r.status.eq_ignore_ascii_case("found")),
        verified: r.verified,
    }
}

async fn run_qualify(run: &mut Run<'_>, leads: &[Lead], groups: Groups<String>) {
    if groups.is_empty() {
        return;
    }
    // No batch endpoint scores companies: one request per domain, a few at a time.
    let url = run.client.url(QUALIFY);
    let client = run.client;
    let calls = groups.into_iter().map(|(domain, idxs)| {
        let req = qualify_request(&leads[idxs[0]], &domain);
        (idxs, async move { client.qualify(&req).await }.boxed())
    });
    singles(run, leads, calls, |q| {
        (
            q.credits_charged,
            Finding::Qualified {
                url: url.clone(),
                score: q.fit_score,
                label: sanitize_inline(&q.fit_label),
                reason: q.reason.as_deref().map(sanitize_inline),
            },
        )
    })
    .await;
}

/// One request per group of leads, `run.concurrency` at a time; each answer becomes a finding
/// for every lead of its group. A fatal answer (bad key, no credits) stops the requests not yet
/// sent.
/// A group's leads and the answer their request got.
type Answered<R> = (Vec<usize>, Result<R, Error>);

// The calls come boxed: with a generic future type here, the compiler cannot prove the runner's
// task `Send` (a known limit of its higher-ranked lifetime inference).
async fn singles<'a, R: Send + 'a>(
    run: &mut Run<'_>,
    leads: &[Lead],
    calls: impl Iterator<Item = (Vec<usize>, BoxFuture<'a, Result<R, Error>>)>,
    found: impl Fn(&R) -> (f64, Finding),
) {
    let abort = Arc::new(AtomicBool::new(false));
    let calls: Vec<BoxFuture<'a, Option<Answered<R>>>> = calls
        .map(|(idxs, call)| {
            let abort = abort.clone();
            async move {
                if abort.load(Ordering::SeqCst) {
                    return None;
                }
                let answer = call.await;
                if answer.as_ref().is_err_and(modernleads::is_fatal) {
                    abort.store(true, Ordering::SeqCst);
                }
                Some((idxs, answer))
            }
            .boxed()
        })
        .collect();
    let mut answers = futures::stream::iter(calls).buffer_unordered(run.concurrency);
    while let Some(answer) = answers.next().await {
        let Some((idxs, answer)) = answer else {
            continue;
        };
        run.tick();
        match answer {
            Ok(r) => {
                let (credits, finding) = found(&r);
                run.credits += credits;
                for &i in &idxs {
                    run.findings.push((i, finding.clone()));
                }
            }
            Err(e) => run.failed(leads, &idxs, e),
        }
    }
}

/// How much a source's word on an email is worth. A synthetic (test-mode) email is generated
/// from a name pattern, so it is worth a pattern guess.
fn strength_of(s: &Source, verified: bool) -> Strength {
    match s.kind {
        SourceKind::Web => Strength::Page,
        SourceKind::Dataset => Strength::Dataset,
        SourceKind::Provider if verified && is_ours(s) => Strength::VerifiedEmail,
        SourceKind::Provider => Strength::Provider,
        SourceKind::Synthetic => Strength::PatternGuess,
    }
}

/// The grounding rule's score for the lead's email, given its sources and what Modern Leads
/// said about it: a verification adds a verified-email source; an undeliverable verdict
/// contradicts the address with a verified-email rival.
fn email_score(l: &Lead) -> Option<f64> {
    lead_email(l)?;
    let verified = l.fields.get("email_verified").and_then(Value::as_bool) == Some(true);
    let mut strengths: Vec<Strength> = l
        .sources_for("person.email")
        .map(|s| strength_of(s, verified))
        .collect();
    if strengths.is_empty() {
        // An address nobody vouches for is a guess.
        strengths.push(Strength::PatternGuess);
    }
    let support = grounding::combined(strengths);
    let bad = learned(l, "fields.email_status")
        && verdict(
            l.fields
                .get("email_status")
                .and_then(Value::as_str)
                .unwrap_or(""),
            verified,
            l.fields.get("email_deliverable").and_then(Value::as_bool),
        ) == Verdict::Bad;
    Some(if bad {
        grounding::contested(support, Strength::VerifiedEmail.weight())
    } else {
        support
    })
}

/// The number of field scores the lead's confidence averages, `person.email` counted twice.
fn weight(l: &Lead) -> f64 {
    let c = &l.company;
    let mut n = f64::from(u8::from(!c.name.is_empty()));
    for v in [&c.domain, &c.linkedin, &c.hq_city, &c.hq_country] {
        n += f64::from(u8::from(v.is_some()));
    }
    if let Some(p) = &l.person {
        n += f64::from(u8::from(!p.full_name.is_empty()));
        for v in [&p.title, &p.linkedin] {
            n += f64::from(u8::from(v.is_some()));
        }
        if lead_email(l).is_some() {
            n += 2.0;
        }
    }
    n + l
        .fields
        .keys()
        .filter(|k| !META_FIELDS.contains(&k.as_str()))
        .count() as f64
}

/// Writes what the provider said into the lead; true when anything changed.
fn apply(lead: &mut Lead, findings: &[Finding], now: Timestamp) -> bool {
    let before = lead.clone();
    let (old_score, old_weight) = (email_score(lead), weight(lead));
    for f in findings {
        let (url, paths) = match f {
            Finding::Verified {
                url,
                status,
                verified,
                deliverable,
            } => {
                lead.fields.insert("email_status".into(), json!(status));
                lead.fields.insert("email_verified".into(), json!(verified));
                let mut paths = vec!["fields.email_status", "fields.email_verified"];
                if let Some(d) = deliverable {
                    lead.fields.insert("email_deliverable".into(), json!(d));
                    paths.push("fields.email_deliverable");
                }
                if verdict(status, *verified, *deliverable) == Verdict::Good {
                    paths.push("person.email");
                }
                (url, paths)
            }
            Finding::Lookup {
                url,
                status,
                email,
                verified,
            } => {
                lead.fields.insert("email_lookup".into(), json!(status));
                let mut paths = vec!["fields.email_lookup"];
                if let (Some(email), Some(person)) = (email, lead.person.as_mut()) {
                    person.email = Some(email.clone());
                    lead.fields.insert("email_verified".into(), json!(verified));
                    paths.extend(["person.email", "fields.email_verified"]);
                }
                (url, paths)
            }
            Finding::Qualified {
                url,
                score,
                label,
                reason,
            } => {
                lead.fields.insert("fit_score".into(), number(*score));
                lead.fields.insert("fit_label".into(), json!(label));
                let mut paths = vec!["fields.fit_score", "fields.fit_label"];
                if let Some(r) = reason {
                    lead.fields.insert("fit_reason".into(), json!(r));
                    paths.push("fields.fit_reason");
                }
                (url, paths)
            }
        };
        // One provider source per field: a newer answer replaces the older one's claim.
        for s in lead.sources.iter_mut().filter(|s| is_ours(s)) {
            s.fields.retain(|p| !paths.contains(&p.as_str()));
        }
        lead.sources
            .retain(|s| !(is_ours(s) && s.fields.is_empty()));
        lead.sources.push(Source {
            kind: SourceKind::Provider,
            url: Some(url.clone()),
            retrieved_at: now,
            name: Some(PROVIDER.into()),
            fields: paths.into_iter().map(Into::into).collect(),
        });
    }
    let (new_score, new_weight) = (email_score(lead), weight(lead));
    if new_weight > 0.0 && (old_score != new_score || old_weight != new_weight) {
        let total = lead.confidence * old_weight - 2.0 * old_score.unwrap_or(0.0)
            + 2.0 * new_score.unwrap_or(0.0);
        lead.confidence = ((total / new_weight).clamp(0.0, 1.0) * 100.0).round() / 100.0;
    }
    *lead != before
}

/// A score as JSON: whole numbers stay integers (`8`, not `8.0`).
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Company, LeadId, Person};

    fn lead(kind: SourceKind) -> Lead {
        Lead {
            id: LeadId::generate(),
            object: "lead".into(),
            job_id: JobId::generate(),
            company: Company {
                name: "Acme".into(),
                domain: Some("acme.io".into()),
                ..Company::default()
            },
            person: Some(Person {
                full_name: "Ana Lima".into(),
                title: Some("CTO".into()),
                email: Some("ana@acme.io".into()),
                linkedin: None,
            }),
            fields: serde_json::Map::new(),
            sources: vec![Source {
                kind,
                url: None,
                retrieved_at: Timestamp::from_millis(0),
                name: None,
                fields: vec![
                    "company.name".into(),
                    "company.domain".into(),
                    "person.full_name".into(),
                    "person.title".into(),
                    "person.email".into(),
                ],
            }],
            confidence: 0.6,
            livemode: true,
        }
    }

    fn verify(status: &str, verified: bool, deliverable: bool) -> Finding {
        Finding::Verified {
            url: "https://ml.test/v1/verify/email".into(),
            status: status.into(),
            verified,
            deliverable: Some(deliverable),
        }
    }

    #[test]
    fn a_verified_email_raises_confidence_and_an_invalid_one_lowers_it() {
        // Dataset-backed: every field 0.6, email counted twice over 6 weights.
        let mut good = lead(SourceKind::Dataset);
        assert!(apply(
            &mut good,
            &[verify("valid", true, true)],
            Timestamp::now()
        ));
        // email: 1 − 0.4 × 0.05 = 0.98 → (0.6 × 4 + 0.98 × 2) / 6 = 0.7267.
        assert_eq!(good.confidence, 0.73);
        assert_eq!(
            email_score(&good),
            Some(grounding::combined([
                Strength::Dataset,
                Strength::VerifiedEmail
            ]))
        );

        let mut bad = lead(SourceKind::Dataset);
        apply(
            &mut bad,
            &[verify("invalid", false, false)],
            Timestamp::now(),
        );
        // email: 0.6 × (1 − 0.95 / 2) = 0.315 → (2.4 + 0.63) / 6 = 0.50499… in floating point.
        assert_eq!(bad.confidence, 0.5);
        assert_eq!(
            bad.person.as_ref().unwrap().email.as_deref(),
            Some("ana@acme.io")
        );
        assert!(
            bad.sources
                .last()
                .unwrap()
                .fields
                .iter()
                .all(|f| f != "person.email")
        );

        // The same verdict again does not compound.
        apply(&mut good, &[verify("valid", true, true)], Timestamp::now());
        assert_eq!(good.confidence, 0.73);
        assert_eq!(good.sources.iter().filter(|s| is_ours(s)).count(), 1);
    }

    #[test]
    fn unknown_verdicts_leave_confidence_alone_and_found_emails_add_a_field() {
        let mut l = lead(SourceKind::Web);
        apply(
            &mut l,
            &[verify("catch_all", false, true)],
            Timestamp::now(),
        );
        assert_eq!(l.confidence, 0.6);

        let mut l = lead(SourceKind::Dataset);
        l.person.as_mut().unwrap().email = None;
        l.sources[0].fields.retain(|f| f != "person.email");
        let found = Finding::Lookup {
            url: "u".into(),
            status: "found".into(),
            email: Some("ana@acme.io".into()),
            verified: true,
        };
        apply(&mut l, &[found], Timestamp::now());
        // (0.6 × 4 + 0.95 × 2) / 6 = 0.7167.
        assert_eq!(l.confidence, 0.72);
        assert_eq!(l.fields["email_lookup"], json!("found"));
    }
}
