//! Finding missing emails: `/v1/lookup` one person at a time, `/v1/batch/enrich` for many.

use super::*;

/// A person as `/v1/lookup` and `/v1/batch/enrich` know them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct LookupKey {
    first: String,
    last: String,
    /// The domain, else the LinkedIn URL.
    place: String,
}

impl LookupKey {
    pub(super) fn of(l: &Lead) -> Option<Self> {
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

    pub(super) fn of_row(r: &BatchRow) -> Option<Self> {
        Some(Self::from_parts(
            r.first_name.as_deref()?,
            r.last_name.as_deref()?,
            r.domain.as_deref().or(r.linkedin_url.as_deref())?,
        ))
    }
}

/// The lookup for a lead's person: a first and a last name, and the company domain (else the
/// person's LinkedIn URL).
pub(super) fn lookup_request(l: &Lead) -> Option<LookupRequest> {
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

pub(super) async fn run_lookup(run: &mut Run<'_>, leads: &[Lead], groups: Groups<LookupKey>) {
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

pub(super) fn looked_up(url: &str, r: &LookupResponse) -> Finding {
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
