//! Scoring companies against the ICP with `/v1/qualify`, one request per domain.

use super::*;

pub(super) fn qualify_request(l: &Lead, domain: &str) -> QualifyRequest {
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

pub(super) async fn run_qualify(run: &mut Run<'_>, leads: &[Lead], groups: Groups<String>) {
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
