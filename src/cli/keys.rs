//! `api-keys`: mint, list and revoke the server's keys (the embedded engine's store only).

use super::Failure;
use super::args::{ApiKeysCommand, Format};
use super::commands::Outcome;
use super::output;
use crate::engine::Engine;
use crate::engine::store::blocking;
use crate::model::OrgId;
use crate::server::keys::{self, Scope};

pub(super) fn api_keys(engine: &Engine, command: ApiKeysCommand) -> Outcome {
    match command {
        ApiKeysCommand::Create {
            name,
            scopes,
            live,
            org,
            format,
        } => create(engine, &org_of(org)?, &name, &scopes, live, format),
        ApiKeysCommand::List { org, format } => list(engine, &org_of(org)?, format),
        ApiKeysCommand::Revoke { id, org } => {
            let org = org_of(org)?;
            let key = blocking(|| keys::revoke(engine.store(), &org, &id))?;
            eprintln!("Revoked {} ({}).", key.id, key.redacted);
            Ok(())
        }
    }
}

fn org_of(raw: Option<String>) -> Result<OrgId, Failure> {
    Ok(match raw {
        Some(o) => OrgId::parse(&o)?,
        None => OrgId::local(),
    })
}

fn scope_list(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn create(
    engine: &Engine,
    org: &OrgId,
    name: &str,
    scopes: &[String],
    live: bool,
    format: Format,
) -> Outcome {
    let scopes = scopes
        .iter()
        .map(|s| Scope::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let minted = blocking(|| keys::mint(engine.store(), org, name, &scopes, live, None))?;
    match format {
        Format::Json => output::json(&minted)?,
        _ => {
            output::text(&format!("{}\n", minted.secret))?;
            eprintln!(
                "Created {} ({}) for {} with scopes {}. The secret above is shown once: store it now.",
                minted.key.id,
                minted.key.redacted,
                minted.key.organization,
                scope_list(&minted.key.scopes)
            );
        }
    }
    Ok(())
}

fn list(engine: &Engine, org: &OrgId, format: Format) -> Outcome {
    let list = blocking(|| keys::list(engine.store(), org))?;
    if format == Format::Json {
        output::json(&list)?;
        return Ok(());
    }
    let mut lines = String::new();
    for k in &list {
        lines.push_str(&format!(
            "{}  {:<20} {}  {:<28} {}\n",
            k.id,
            crate::text::sanitize_inline(&k.name),
            k.redacted,
            scope_list(&k.scopes),
            if k.revoked_at.is_some() {
                "revoked"
            } else {
                "active"
            }
        ));
    }
    output::text(&lines)?;
    Ok(())
}
