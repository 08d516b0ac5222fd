//! One polite GET: robots.txt checked by the caller, a real User-Agent, a total timeout, a
//! redirect limit, and the body streamed and cut at the size cap.

use std::time::Duration;

use super::WebOptions;

#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    /// After redirects.
    pub url: String,
    pub status: u16,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body was longer than the cap; `body` holds its start.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    Timeout,
    TooManyRedirects,
    Status(u16),
    Network(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Timeout => f.write_str("timed out"),
            FetchError::TooManyRedirects => f.write_str("too many redirects"),
            FetchError::Status(s) => write!(f, "HTTP {s}"),
            FetchError::Network(e) => write!(f, "network error: {e}"),
        }
    }
}

pub fn client(o: &WebOptions) -> Result<reqwest::Client, crate::model::Error> {
    reqwest::Client::builder()
        .user_agent(o.user_agent.clone())
        .timeout(o.timeout)
        .connect_timeout(o.timeout.min(Duration::from_secs(5)))
        .redirect(reqwest::redirect::Policy::limited(o.max_redirects))
        .build()
        .map_err(|e| crate::model::Error::internal(format!("cannot build the HTTP client: {e}")))
}

fn classify(e: &reqwest::Error) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout
    } else if e.is_redirect() {
        FetchError::TooManyRedirects
    } else {
        FetchError::Network(e.to_string())
    }
}

/// The body as text: the charset the server names, else UTF-8 when valid, else Windows-1252.
fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    let label = content_type
        .and_then(|ct| {
            ct.to_lowercase()
                .split("charset=")
                .nth(1)
                .map(str::to_string)
        })
        .map(|l| l.trim_matches(['"', ' ', ';']).to_string());
    if let Some(enc) = label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())) {
        return enc.decode_with_bom_removal(bytes).0.into_owned();
    }
    crate::engine::sources::dataset::decode::text(bytes)
}

pub async fn get(
    client: &reqwest::Client,
    url: &str,
    o: &WebOptions,
) -> Result<Fetched, FetchError> {
    let work = async {
        let mut resp = client.get(url).send().await.map_err(|e| classify(&e))?;
        let status = resp.status().as_u16();
        if !resp.status().is_success() {
            return Err(FetchError::Status(status));
        }
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let final_url = resp.url().to_string();
        let mut body: Vec<u8> = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&e))? {
            let room = o.max_bytes.saturating_sub(body.len());
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        let ct = headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.as_str());
        Ok(Fetched {
            url: final_url,
            status,
            body: decode(&body, ct),
            headers,
            truncated,
        })
    };
    // The client's timeout covers the body too; this bounds anything it does not.
    match tokio::time::timeout(o.timeout + Duration::from_millis(250), work).await {
        Ok(r) => r,
        Err(_) => Err(FetchError::Timeout),
    }
}
