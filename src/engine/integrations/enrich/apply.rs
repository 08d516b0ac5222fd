//! Turning findings into lead fields, `provider` sources and a confidence moved by the
//! grounding rule.

use super::*;

/// How much a source's word on an email is worth. A synthetic (test-mode) email is generated
/// from a name pattern, so it is worth a pattern guess.
pub(super) fn strength_of(s: &Source, verified: bool) -> Strength {
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
pub(super) fn email_score(l: &Lead) -> Option<f64> {
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
pub(super) fn weight(l: &Lead) -> f64 {
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
pub(super) fn apply(lead: &mut Lead, findings: &[Finding], now: Timestamp) -> bool {
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
pub(super) fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}
