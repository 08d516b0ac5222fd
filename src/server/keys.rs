//! API keys: minted once (the secret is shown a single time), stored as a SHA-256 hash, compared
//! in constant time, scoped, revocable, and bound to one organisation.

use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::engine::store::Store;
use crate::engine::store::api_keys::{self, KeyRecord, NewKey};
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

impl From<KeyRecord> for ApiKey {
    fn from(r: KeyRecord) -> Self {
        ApiKey {
            id: r.id,
            object: "api_key".into(),
            name: r.name,
            redacted: format!("{}…{}", r.prefix, r.last4),
            scopes: r
                .scopes
                .split(',')
                .filter_map(|s| Scope::parse(s).ok())
                .collect(),
            livemode: r.livemode,
            organization: r.org,
            created_at: r.created_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
        }
    }
}

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
    let digest = hash(&secret);
    store.write(|tx| {
        api_keys::insert(
            tx,
            &NewKey {
                id: &id,
                org,
                name: &name,
                hash: &digest,
                prefix,
                last4: &last4,
                scopes: &scope_list,
                livemode,
                created_at: now,
                expires_at,
            },
        )
    })?;
    let key = found(store.read(|c| api_keys::get(c, org, &id))?, &id)?;
    Ok(MintedKey { key, secret })
}

/// A key of `org` by id, or the API's not-found error.
fn found(record: Option<KeyRecord>, id: &str) -> Result<ApiKey, Error> {
    record.map(ApiKey::from).ok_or_else(|| {
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
        Ok(api_keys::list(c, org)?
            .into_iter()
            .map(ApiKey::from)
            .collect())
    })
}

pub fn revoke(store: &Store, org: &OrgId, id: &str) -> Result<ApiKey, Error> {
    store.write(|tx| {
        found(api_keys::get(tx, org, id)?, id)?;
        api_keys::revoke(tx, org, id, Timestamp::now())?;
        found(api_keys::get(tx, org, id)?, id)
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
    let found = store.read(|c| api_keys::find_by_hash(c, &digest))?;
    // The lookup narrows by hash; the final comparison is constant-time all the same.
    let Some(record) = found.filter(|r| bool::from(r.hash.ct_eq(&digest))) else {
        return Err(unauthorised(
            "Invalid API key. Check it, or create one with `leadline api-keys create`.",
        ));
    };
    let key = ApiKey::from(record);
    if key.revoked_at.is_some() {
        return Err(unauthorised("This API key was revoked. Create a new one."));
    }
    if key.expires_at.is_some_and(|t| t <= Timestamp::now()) {
        return Err(unauthorised("This API key has expired. Create a new one."));
    }
    Ok(key)
}
