//! Verifying emails: `/v1/verify/email` one at a time, `/v1/batch/verify` for many.

use super::*;

pub(super) async fn run_verify(run: &mut Run<'_>, leads: &[Lead], groups: Groups<String>) {
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

pub(super) fn verified(url: &str, v: &VerifyResponse) -> Finding {
    Finding::Verified {
        url: url.to_string(),
        status: sanitize_inline(&v.status),
        verified: v.verified,
        deliverable: v.deliverable,
    }
}
