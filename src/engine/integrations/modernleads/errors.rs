//! Modern Leads' documented error codes as plain messages with our error codes.

use super::*;

/// The plain message for a documented error code (or, for an answer that is not the
/// provider's error JSON, its status and the start of its body).
pub(super) fn error_for(var: &str, endpoint: &str, resp: &HttpResponse) -> Error {
    let Some(env) = serde_json::from_slice::<Envelope>(&resp.body)
        .ok()
        .filter(|e| e.code.is_some() || e.error.is_some())
    else {
        return Error::new(
            ErrorCode::Integration,
            format!(
                "Modern Leads answered {endpoint} with HTTP {} and a body that is not its error JSON: {}",
                resp.status,
                resp.snippet()
            ),
        );
    };
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(sanitize_inline)
            .filter(|s| !s.trim().is_empty())
    };
    let code = clean(&env.code).unwrap_or_default();
    let detail = match (clean(&env.error), clean(&env.message)) {
        (Some(e), Some(m)) if e != m => format!(" ({e}: {m})"),
        (Some(e), _) => format!(" ({e})"),
        (None, Some(m)) => format!(" ({m})"),
        (None, None) => String::new(),
    };
    let tries = resp.attempts;
    let (kind, message) = match code.as_str() {
        "invalid_input" => (
            ErrorCode::InvalidRequest,
            format!("Modern Leads rejected the {endpoint} request as invalid{detail}."),
        ),
        "missing_key"
        | "invalid_key"
        | "revoked_key"
        | "expired_key"
        | "insufficient_credits"
        | "subscription_required"
        | "scope_denied"
        | "ip_denied" => account_error(&code, var, endpoint, &detail, clean(&env.cta_url)),
        "not_found" => (
            ErrorCode::NotFound,
            format!(
                "Modern Leads has no such resource for this key at {endpoint} (a batch of another key, or expired){detail}."
            ),
        ),
        "idempotency_key_payload_mismatch" => (
            ErrorCode::Conflict,
            format!(
                "Modern Leads refused {endpoint}: its Idempotency-Key was already used with a different request{detail}. Run it again: a new call gets a new key."
            ),
        ),
        "buyer_context_missing" => (
            ErrorCode::InvalidRequest,
            format!(
                "Modern Leads cannot score fit without your buyer context (your product and ICP): set it in the Modern Leads dashboard{detail}."
            ),
        ),
        "rate_limited" => (
            ErrorCode::RateLimit,
            format!(
                "Modern Leads kept rate-limiting {endpoint} after {tries} tries; wait a minute and run it again{detail}."
            ),
        ),
        "spend_cap_reached" => (
            ErrorCode::RateLimit,
            format!(
                "Modern Leads' hourly credit cap for this key is reached; wait for the next hour or raise the cap in its dashboard{detail}."
            ),
        ),
        "internal" => (
            ErrorCode::Integration,
            format!(
                "Modern Leads had an internal error on {endpoint} after {tries} tries; try again later{detail}."
            ),
        ),
        _ => (
            by_status(resp.status),
            format!(
                "Modern Leads answered {endpoint} with HTTP {}{}{detail}.",
                resp.status,
                if code.is_empty() {
                    String::new()
                } else {
                    format!(" ({code})")
                }
            ),
        ),
    };
    Error::new(kind, message)
}

/// The errors about the key and the account: what to fix, and where.
fn account_error(
    code: &str,
    var: &str,
    endpoint: &str,
    detail: &str,
    cta_url: Option<String>,
) -> (ErrorCode, String) {
    match code {
        "missing_key" | "invalid_key" | "revoked_key" | "expired_key" => {
            let what = match code {
                "missing_key" => "did not receive the API key",
                "invalid_key" => "does not recognise the API key",
                "revoked_key" => "says the API key was revoked",
                _ => "says the API key has expired",
            };
            (
                ErrorCode::Authentication,
                format!(
                    "Modern Leads {what} in {var} ({code}). Create a key at Settings → API Keys and set {var} to it (ml_live_… or ml_test_…)."
                ),
            )
        }
        "insufficient_credits" => {
            let url = cta_url.unwrap_or_else(|| TOP_UP_URL.to_string());
            (
                ErrorCode::InsufficientCredits,
                format!(
                    "Modern Leads has not enough credits left for {endpoint}: top up at {url}, then run it again."
                ),
            )
        }
        "subscription_required" => {
            let url = cta_url.map(|u| format!(" at {u}")).unwrap_or_default();
            (
                ErrorCode::Permission,
                format!("Modern Leads needs a subscription for {endpoint}: upgrade{url}{detail}."),
            )
        }
        "scope_denied" => (
            ErrorCode::Permission,
            format!(
                "The Modern Leads key in {var} lacks the scope for {endpoint} (verify, lookup, qualify or batch): create a key with that scope{detail}."
            ),
        ),
        // "ip_denied", the last code the caller sends here.
        _ => (
            ErrorCode::Permission,
            format!(
                "Modern Leads refuses the key in {var} from this machine's IP address: allow it in the key's settings{detail}."
            ),
        ),
    }
}

/// Errors after which every further call would fail the same way.
pub fn is_fatal(e: &Error) -> bool {
    matches!(
        e.code,
        ErrorCode::Authentication
            | ErrorCode::InsufficientCredits
            | ErrorCode::Permission
            | ErrorCode::RateLimit
    )
}

fn by_status(status: u16) -> ErrorCode {
    match status {
        400 | 422 => ErrorCode::InvalidRequest,
        401 => ErrorCode::Authentication,
        402 => ErrorCode::InsufficientCredits,
        403 => ErrorCode::Permission,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        429 => ErrorCode::RateLimit,
        _ => ErrorCode::Integration,
    }
}
