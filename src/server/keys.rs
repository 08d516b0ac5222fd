//! API keys: minted once (the secret is shown a single time), stored as a SHA-256 hash, compared
//! in constant time, scoped, revocable, and bound to one organisation.

use rand::Rng;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::engine::store::Store;
use crate::model::{Error, ErrorCode, OrgId, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Read,
    Run,
    Integrations,
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Scope::Read, Scope::Run, Scope::Integrations, Scope::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Run => "run",
            Scope::Integrations => "integrations",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Result<Scope, Error> {
        Scope::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or_else(|| {
                Error::invalid(format!(
                    "unknown scope `{}`: use read, run, integrations or admin",
                    crate::text::sanitize_inline(raw)
                ))
                .with_param("scopes")
            })
    }
}

/// A key's metadata (never its secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: String,
    pub object: String,
    pub name: String,
    /// `sk_test_…c0ff`: enough to recognise it, not to use it.
    pub redacted: String,
    pub scopes: Vec<Scope>,
    pub livemode: bool,
    pub organization: OrgId,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl ApiKey {
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// A newly minted key: the only time the secret exists outside its holder.
#[derive(Debug, Clone, Serialize)]
pub struct MintedKey {
    #[serde(flatten)]
    pub key: ApiKey,
    pub secret: String,
}

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ApiKey> {
    let scopes: String = r.get(3)?;
    Ok(ApiKey {
        id: r.get(0)?,
        object: "api_key".into(),
        name: r.get(1)?,
        redacted: format!("{}…{}", r.get::<_, String>(2)?, r.get::<_, String>(4)?),
        scopes: scopes
            .split(',')
            .filter_map(|s| Scope::parse(s).ok())
            .collect(),
        livemode: r.get(5)?,
        organization: OrgId::from_db(r.get(6)?),
        created_at: Timestamp::from_millis(r.get(7)?),
        expires_at: r.get::<_, Option<i64>>(8)?.map(Timestamp::from_millis),
        revoked_at: r.get::<_, Option<i64>>(9)?.map(Timestamp::from_millis),
    })
}

const COLUMNS: &str =
    "id, name, prefix, scopes, last4, livemode, org_id, created_at, expires_at, revoked_at";

pub fn mint(
    store: &Store,
    org: &OrgId,
    name: &str,
    scopes: &[Scope],
    livemode: bool,
    expires_at: Option<Timestamp>,
) -> Result<MintedKey, Error> {
    let name = crate::text::sanitize_inline(name.trim());
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid("name is required (1–100 characters).").with_param("name"));
    }
    let mut scopes: Vec<Scope> = scopes.to_vec();
    // `read` is required for everything, so every key has it.
    if !scopes.contains(&Scope::Read) {
        scopes.insert(0, Scope::Read);
    }
    scopes.dedup();
    let prefix = if livemode { "sk_live_" } else { "sk_test_" };
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut rng = rand::rng();
    let body: String = (0..40)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    let secret = format!("{prefix}{body}");
    let id = format!("key_{}", ulid::Ulid::generate());
    let now = Timestamp::now();
    let scope_list = scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let last4: String = secret[secret.len() - 4..].to_string();
    store.write(|tx| {
        tx.execute(
            "INSERT INTO api_keys (id, org_id, name, hash, prefix, last4, scopes, livemode, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, org, name, hash(&secret), prefix, last4, scope_list, livemode, now.millis(), expires_at.map(|t| t.millis())],
        )?;
        Ok(())
    })?;
    let key = store.read(|c| get(c, org, &id))?;
    Ok(MintedKey { key, secret })
}

pub fn get(c: &Connection, org: &OrgId, id: &str) -> Result<ApiKey, Error> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM api_keys WHERE id = ?1 AND org_id = ?2"),
        params![id, org],
        row,
    )
    .optional()?
    .ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!(
                "API key {} was not found.",
                crate::text::sanitize_inline(id)
            ),
        )
        .with_param("key_id")
    })
}

pub fn list(store: &Store, org: &OrgId) -> Result<Vec<ApiKey>, Error> {
    store.read(|c| {
        let mut stmt = c.prepare(&format!(
            "SELECT {COLUMNS} FROM api_keys WHERE org_id = ?1 ORDER BY created_at DESC"
        ))?;
        let keys = stmt
            .query_map([org], row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(keys)
    })
}

pub fn revoke(store: &Store, org: &OrgId, id: &str) -> Result<ApiKey, Error> {
    store.write(|tx| {
        get(tx, org, id)?;
        tx.execute(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?3) WHERE id = ?1 AND org_id = ?2",
            params![id, org, Timestamp::now().millis()],
        )?;
        get(tx, org, id)
    })
}

/// The key a bearer secret belongs to, if it is valid now.
pub fn verify(store: &Store, secret: &str) -> Result<ApiKey, Error> {
    let unauthorised = |m: &str| Error::new(ErrorCode::Authentication, m.to_string());
    if !(secret.starts_with("sk_test_") || secret.starts_with("sk_live_")) {
        return Err(unauthorised(
            "That is not a Leadex secret key (sk_test_… or sk_live_…). Check the Authorization header.",
        ));
    }
    let digest = hash(secret);
    let found: Option<(Vec<u8>, ApiKey)> = store.read(|c| {
        Ok(c.query_row(
            &format!("SELECT {COLUMNS}, hash FROM api_keys WHERE hash = ?1"),
            [&digest],
            |r| Ok((r.get::<_, Vec<u8>>(10)?, row(r)?)),
        )
        .optional()?)
    })?;
    // The lookup narrows by hash; the final comparison is constant-time all the same.
    let Some((stored, key)) = found.filter(|(stored, _)| bool::from(stored.ct_eq(&digest))) else {
        return Err(unauthorised(
            "Invalid API key. Check it, or create one with `leadline api-keys create`.",
        ));
    };
    let _ = stored;
    if key.revoked_at.is_some() {
        return Err(unauthorised("This API key was revoked. Create a new one."));
    }
    if key.expires_at.is_some_and(|t| t <= Timestamp::now()) {
        return Err(unauthorised("This API key has expired. Create a new one."));
    }
    Ok(key)
}
