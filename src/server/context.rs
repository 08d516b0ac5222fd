//! The request context handlers take: the authenticated caller with its engine scoped to the
//! key's organisation and mode, and typed path ids whose rejections use the API's envelope.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use super::AppState;
use super::error::ApiError;
use super::gate::Principal;
use super::idempotency::ScopeUsed;
use super::keys::{ApiKey, Scope};
use crate::engine::{Engine, Mode};
use crate::model::{ArtifactId, Error, ErrorCode, JobId, PlanId, ThreadId};

/// Who is calling, and the engine they may act through.
pub struct Caller {
    pub key: ApiKey,
    /// Scoped to the key's organisation and mode: it cannot see anything else.
    pub engine: Engine,
    /// Where an idempotent request records the scope it needed (re-checked on replay).
    used: Option<ScopeUsed>,
}

/// The 403 for a key without `scope`.
pub fn missing_scope(scope: Scope) -> Error {
    Error::new(
        ErrorCode::Permission,
        format!(
            "This API key lacks the `{}` scope needed here. Create a key with it.",
            scope.as_str()
        ),
    )
}

impl Caller {
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if let Some(used) = &self.used {
            used.record(scope);
        }
        if self.key.has(scope) {
            Ok(())
        } else {
            Err(missing_scope(scope).into())
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // The gate runs before every authenticated route; without it this is a wiring bug.
        let key = parts
            .extensions
            .get::<Principal>()
            .map(|p| p.key.clone())
            .ok_or_else(|| Error::internal("request reached a handler unauthenticated"))?;
        let mode = if key.livemode { Mode::Live } else { Mode::Test };
        let engine = state
            .engine
            .for_org(key.organization.clone())
            .with_mode(mode);
        let used = parts.extensions.get::<ScopeUsed>().cloned();
        Ok(Caller { key, engine, used })
    }
}

/// Ids that can appear as the `{id}` path segment.
pub trait PathId: Sized {
    fn parse_path(raw: &str) -> Result<Self, Error>;
}

macro_rules! path_ids {
    ($($t:ty),*) => {$(
        impl PathId for $t {
            fn parse_path(raw: &str) -> Result<Self, Error> {
                <$t>::parse(raw)
            }
        }
    )*};
}
path_ids!(JobId, ThreadId, PlanId, ArtifactId);

/// API key ids are plain strings (`key_…`); the store decides whether one exists.
impl PathId for String {
    fn parse_path(raw: &str) -> Result<Self, Error> {
        Ok(raw.to_string())
    }
}

/// The `{id}` path segment, parsed; a bad one is a 400 in the envelope naming it.
pub struct Id<T>(pub T);

impl<S: Send + Sync, T: PathId> FromRequestParts<S> for Id<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| Error::invalid(format!("Bad path: {}", e.body_text())).with_param("id"))?;
        Ok(Id(T::parse_path(&raw)?))
    }
}
