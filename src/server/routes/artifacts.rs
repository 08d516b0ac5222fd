//! Artifacts: the record with a fresh signed `download_url`, and the download itself.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::model::requests::ExportFormat;
use crate::model::{Artifact, ArtifactId, Error, ErrorCode, Timestamp};
use crate::server::AppState;
use crate::server::context::{Caller, Id};
use crate::server::error::{ApiError, ApiResult};
use crate::server::extract::Params;
use crate::server::signing::LIFETIME_SECS;

fn format_of(params: &Params) -> Result<ExportFormat, ApiError> {
    match params.one("format") {
        None | Some("") => Ok(ExportFormat::Csv),
        Some(raw) => ExportFormat::parse(raw).ok_or_else(|| {
            Error::invalid("format must be csv, json or xlsx.")
                .with_param("format")
                .into()
        }),
    }
}

/// The record as JSON when the client asks for JSON; otherwise (a plain `curl -L`, as in the
/// reference's Quickstart) a redirect to the signed download, so the file arrives directly.
pub async fn get(
    State(s): State<AppState>,
    c: Caller,
    Id(id): Id<ArtifactId>,
    headers: HeaderMap,
    params: Params,
) -> ApiResult<Response> {
    let format = format_of(&params)?;
    let mut artifact: Artifact = c.engine.get_artifact(&id).await?;
    let expires = Timestamp::now().millis() / 1000 + LIFETIME_SECS;
    let ext = format.extension();
    let signature = s.signer.sign(id.as_str(), ext, expires);
    let url = format!(
        "{}/v1/artifacts/{id}/download?format={ext}&expires={expires}&signature={signature}",
        s.base_url
    );
    artifact.format = ext.to_string();
    artifact.download_url = Some(url.clone());
    artifact.expires_at = Some(Timestamp::from_millis(expires * 1000));
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    if wants_json {
        Ok(Json(artifact).into_response())
    } else {
        Ok(Redirect::to(&url).into_response())
    }
}

pub async fn download(
    State(s): State<AppState>,
    Id(id): Id<ArtifactId>,
    params: Params,
) -> ApiResult<Response> {
    let format = format_of(&params)?;
    let expires: i64 = params.parse("expires", "a Unix time")?.unwrap_or(0);
    let signature = params.one("signature").unwrap_or("");
    let now = Timestamp::now().millis() / 1000;
    if !s
        .signer
        .verify(id.as_str(), format.extension(), expires, signature, now)
    {
        return Err(ApiError::new(
            ErrorCode::Authentication,
            "This download link is invalid or has expired. Fetch the artifact again for a fresh download_url.",
        ));
    }
    // The signature proves an authorised caller minted this URL.
    let bytes = s.engine.artifact_bytes(&id, format).await?;
    let content_type = match format {
        ExportFormat::Csv => "text/csv; charset=utf-8",
        ExportFormat::Json => "application/json",
        ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    let mut response = (StatusCode::OK, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"leads.{}\"",
        format.extension()
    )) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
