//! Request parsing with the API's own error envelope: a malformed body or query is a 400
//! `invalid_request_error` naming the problem, never the framework's plain-text rejection.
//! Unknown fields are ignored, as the reference asks of both sides.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::model::Error;

/// A JSON body, read but not yet parsed. Handlers check the caller's scope and that the object
/// in the path is theirs first and parse after, so a read key or another organisation's key
/// learns a 403/404, never what the body should have held. An empty body parses as the type's
/// default (e.g. `POST /approve` with no body).
pub struct Body(Bytes);

impl Body {
    pub fn parse<T: DeserializeOwned + Default>(&self) -> Result<T, ApiError> {
        if self.0.iter().all(u8::is_ascii_whitespace) {
            return Ok(T::default());
        }
        serde_json::from_slice(&self.0)
            .map_err(|e| Error::invalid(format!("Malformed JSON body: {e}")).into())
    }
}

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Bytes::from_request(req, state).await {
            Ok(bytes) => Ok(Body(bytes)),
            // Over the body limit (413) or a broken upload: axum's status, in the envelope.
            Err(e) => Err(ApiError::from(Error::invalid(format!(
                "Could not read the request body: {}",
                e.body_text()
            )))
            .with_status(e.status())),
        }
    }
}

/// Query parameters as a multimap (`has_field` repeats).
pub struct Params(pub HashMap<String, Vec<String>>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes()) {
            map.entry(k.into_owned()).or_default().push(v.into_owned());
        }
        Ok(Params(map))
    }
}

impl Params {
    pub fn one(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.last()).map(String::as_str)
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0.get(key).cloned().unwrap_or_default()
    }

    /// A parsed value, or a 400 naming the parameter.
    pub fn parse<T: std::str::FromStr>(
        &self,
        key: &str,
        what: &str,
    ) -> Result<Option<T>, ApiError> {
        match self.one(key) {
            None | Some("") => Ok(None),
            Some(raw) => raw.parse().map(Some).map_err(|_| {
                Error::invalid(format!(
                    "`{key}` must be {what}; got `{}`.",
                    crate::text::sanitize_inline(raw)
                ))
                .with_param(key)
                .into()
            }),
        }
    }

    /// A yes/no parameter; absent or empty means `default`, anything but the usual spellings
    /// is a 400 (a `force=ture` silently read as false would surprise).
    pub fn flag(&self, key: &str, default: bool) -> Result<bool, ApiError> {
        match self.one(key) {
            None | Some("") => Ok(default),
            Some("true" | "1" | "yes") => Ok(true),
            Some("false" | "0" | "no") => Ok(false),
            Some(raw) => Err(Error::invalid(format!(
                "`{key}` must be true or false; got `{}`.",
                crate::text::sanitize_inline(raw)
            ))
            .with_param(key)
            .into()),
        }
    }
}
